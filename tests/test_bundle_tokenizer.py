"""A bundle's tokenizer hash is re-derived from the tokenizer files it carries, never taken from run_manifest.json's
word: an edited manifest hash, a rewritten summary hash, a swapped chat template or an unloadable tokenizer fail
`bundle --check` and name the file."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from gate_fixtures import build_chain, fake_weights
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate

from test_bundle_check import _rewrite


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, tiny_tokenizer_dir):
    """(run directory, its bundle, the real tokenizer hash): a judged chain whose tokenizer/ is a real tokenizer."""
    root = tmp_path_factory.mktemp("bundle_tok")
    ckpt = fake_weights(root / "run" / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text('{"model": "released"}')
    run = build_chain(root, checkpoint=ckpt)
    run_release_gate(run, "skill_release")
    shutil.copytree(tiny_tokenizer_dir, run / "tokenizer")
    real = (run / "tokenizer" / "tokenizer_hash.txt").read_text().strip()
    (run / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "tokenizer_hash": real, "num_parameters": 1000,
                                                       "planned_tokens": 25000}))
    return run, make_bundle(run, root / "run.tar.gz"), real


def _forge(src, dst, change):
    """Rewrite members with `change(rel, data)`, then re-list every member's sha256 in the manifest and re-sign the
    archive: a forger who re-makes every hash, so only what the files say can catch it."""
    members = {}
    _rewrite(src, dst, lambda name, data: members.setdefault(name, change(name.split("/", 1)[1], data)))
    manifest_name = next(n for n in members if n.endswith("/bundle_manifest.json"))
    manifest = json.loads(members[manifest_name])
    manifest["files"] = [{"path": n.split("/", 1)[1], "sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)}
                         for n, d in members.items() if n != manifest_name and d is not None]
    members[manifest_name] = json.dumps(manifest).encode()
    _rewrite(src, dst, lambda name, data: members[name])
    dst.with_name(dst.name + ".sha256").write_text(hashlib.sha256(dst.read_bytes()).hexdigest() + f"  {dst.name}\n")
    return check_bundle(dst)


def test_the_summary_tokenizer_hash_is_the_bundled_tokenizers(bundled, tmp_path):
    run, out, real = bundled
    res = check_bundle(out)
    assert res["ok"], res["problems"]
    assert res["summary"]["tokenizer_hash"] == real and res["summary"]["sources"]["tokenizer_hash"] == "run_manifest.json tokenizer_hash"

    def summary(rel, data):
        if rel != "bundle_manifest.json":
            return data
        manifest = json.loads(data)
        manifest["summary"]["tokenizer_hash"] = "f00d"
        return json.dumps(manifest).encode()

    res = _forge(out, tmp_path / "summary.tar.gz", summary)
    assert f"the bundle summary says tokenizer_hash 'f00d', but run_manifest.json tokenizer_hash gives {real!r}" in res["problems"]
    both = _forge(out, tmp_path / "both.tar.gz", lambda rel, data: summary(rel, data) if rel != "run_manifest.json"
                  else json.dumps({**json.loads(data), "tokenizer_hash": "f00d"}).encode())
    assert not both["ok"] and f"run_manifest.json says tokenizer_hash 'f00d', but the bundled tokenizer/ hashes to {real!r}" in both["problems"]


def test_a_swapped_template_or_unloadable_tokenizer_fails_the_check(bundled, tmp_path):
    run, out, real = bundled
    swapped = _forge(out, tmp_path / "template.tar.gz",
                     lambda rel, data: b"{{ messages }}" if rel == "tokenizer/chat_template.jinja" else data)
    assert not swapped["ok"] and any(p.startswith("run_manifest.json says tokenizer_hash") for p in swapped["problems"])
    assert any(p.startswith("the bundle summary says tokenizer_hash") for p in swapped["problems"])
    broken = _forge(out, tmp_path / "broken.tar.gz", lambda rel, data: b"{}" if rel == "tokenizer/tokenizer.json" else data)
    assert not broken["ok"] and any(p.startswith("the bundled tokenizer/ cannot be loaded") for p in broken["problems"])


def test_a_manifest_hash_edited_before_bundling_is_not_repeated(bundled, tmp_path):
    """run_manifest.json's tokenizer_hash (copied from tokenizer_hash.txt) edited or left from another tokenizer: the
    summary states the hash of the bundled tokenizer, and the check names the manifest's wrong word."""
    run, _, real = bundled
    manifest = run / "run_manifest.json"
    kept = manifest.read_text()
    manifest.write_text(json.dumps({**json.loads(kept), "tokenizer_hash": "f00d"}))
    try:
        res = check_bundle(make_bundle(run, tmp_path / "edited.tar.gz"))
    finally:
        manifest.write_text(kept)
    assert res["summary"]["tokenizer_hash"] == real
    assert res["summary"]["sources"]["tokenizer_hash"] == "tokenizer/ (re-derived from the bundled tokenizer files)"
    assert res["problems"] == [f"run_manifest.json says tokenizer_hash 'f00d', but the bundled tokenizer/ hashes to {real!r}"]
