"""`bundle --check` reads a bundle's JSON members as strictly as the run-folder readers do: a member that names a key
twice ("status": "blocked" ... "status": "approved") is read as its last value by Python and as its first by other
readers, so the check reports it instead of trusting either value."""

from __future__ import annotations

import hashlib
import json

import pytest
from test_bundle_check import _rewrite, run  # noqa: F401  (the `run` fixture)

from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.utils.errors import PicochatInputError


def _forge(src, dst, member: str, edit):
    """Rewrite one member's text with `edit`, and the manifest's hash of it to match (a forger who re-hashes)."""
    new = {}

    def change(name, data):
        if name == f"run/{member}":
            new["data"] = edit(data.decode()).encode()
            return new["data"]
        return data

    _rewrite(src, dst.with_name("step.tar.gz"), change)

    def fix(name, data):
        if name.endswith("bundle_manifest.json"):
            manifest = json.loads(data)
            for f in manifest["files"]:
                if f["path"] == member:
                    f["sha256"] = hashlib.sha256(new["data"]).hexdigest()
            return json.dumps(manifest).encode()
        return data

    _rewrite(dst.with_name("step.tar.gz"), dst, fix)


@pytest.mark.parametrize(("member", "key", "value"), [
    ("gates/release.json", "status", '"approved"'),
    ("eval/eval_report.json", "summary", '{"pass_rate": 1.0}'),
    ("honesty/honesty_report.json", "status", '"ready"'),
])
def test_a_bundled_member_naming_a_key_twice_fails_the_check(run, tmp_path, member, key, value):  # noqa: F811
    out = make_bundle(run, tmp_path / "b" / "run.tar.gz")
    assert check_bundle(out)["ok"] is True
    forged = tmp_path / "forged.tar.gz"
    _forge(out, forged, member, lambda text: text.replace("{", f'{{"{key}": {value}, ', 1))
    res = check_bundle(forged, require_archive_hash=False)
    assert not res["ok"], res["problems"]
    assert res["altered"] == []  # the manifest was re-hashed: only the repeated key gives the forgery away
    assert any(p.startswith(f"{member}") and f"names the key {key!r} twice" in p for p in res["problems"]), res["problems"]


def test_a_bundle_manifest_naming_a_key_twice_is_refused(run, tmp_path):  # noqa: F811
    out = make_bundle(run, tmp_path / "b" / "run.tar.gz")
    forged = tmp_path / "forged.tar.gz"
    _rewrite(out, forged, lambda name, data: data.replace(b"{", b'{"files": [], ', 1) if name.endswith("bundle_manifest.json") else data)
    with pytest.raises(PicochatInputError, match="names the key 'files' twice"):
        check_bundle(forged, require_archive_hash=False)
