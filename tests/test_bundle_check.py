"""Result bundles: a complete bundle checks out; a tampered, truncated or padded one fails and says which file."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from test_gates_release import build_run


@pytest.fixture
def run(tmp_path):
    run = build_run(tmp_path)
    run_release_gate(run, "skill_release")
    (run / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "tokenizer_hash": "f00d", "num_parameters": 1000,
                                                       "planned_tokens": 25000}))
    (run / "tokenizer").mkdir()
    (run / "tokenizer" / "tokenizer.json").write_text("{}")
    (run / "base").mkdir()
    (run / "base" / "metrics.jsonl").write_text('{"step": 1, "eval_loss": 3.2}\n')
    (run / "base" / "checkpoint").mkdir()
    (run / "base" / "checkpoint" / "model.safetensors").write_bytes(b"\0" * 1000)  # weights never go in
    (run / "export").mkdir()
    (run / "export" / "README.md").write_text("---\nlicense: mit\n---\n# card\n")
    (run / "export" / "release_manifest.json").write_text("{}")
    return run


def _rewrite(src, dst, change):
    """Copy a bundle member by member, letting `change(name, data)` return new bytes or None to drop it."""
    with tarfile.open(src, "r:gz") as tin, tarfile.open(dst, "w:gz") as tout:
        for m in tin.getmembers():
            data = tin.extractfile(m).read()
            new = change(m.name, data)
            if new is None:
                continue
            info = tarfile.TarInfo(m.name)
            info.size = len(new)
            tout.addfile(info, io.BytesIO(new))


def test_bundle_roundtrip(run, tmp_path):
    out = make_bundle(run, tmp_path / "b" / "run.tar.gz")
    res = check_bundle(out)
    assert res["ok"] and res["archive_sha256"] is True
    assert res["summary"]["git_commit"] == "abc123" and res["summary"]["planned_tokens_per_parameter"] == 25.0
    assert res["summary"]["release_status"] == "approved"
    assert res["missing_expected"] == ["dataset pack", "import report"]
    with tarfile.open(out) as tar:
        names = tar.getnames()
    assert "run/bundle_manifest.json" in names and "run/eval/eval_report.json" in names and "run/gates/release.json" in names
    assert not any("checkpoint" in n or n.endswith(".safetensors") for n in names)
    with pytest.raises(Exception, match="already exists"):
        make_bundle(run, out)


def test_tampered_bundle_fails_check(run, tmp_path, capsys):
    out = make_bundle(run, tmp_path / "run.tar.gz")
    bad = tmp_path / "bad.tar.gz"

    def flip_eval(name, data):
        if name.endswith("eval/eval_report.json") and "/sft_fit" not in name:
            report = json.loads(data)
            report["summary"]["pass_rate"] = 0.99
            return json.dumps(report).encode()
        return data

    _rewrite(out, bad, flip_eval)
    res = check_bundle(bad)
    assert not res["ok"] and res["altered"] == ["eval/eval_report.json"] and res["archive_sha256"] is None
    assert cli_main(["bundle", "--check", str(bad)]) == 1
    assert "altered: eval/eval_report.json" in capsys.readouterr().out

    dropped = tmp_path / "dropped.tar.gz"
    _rewrite(out, dropped, lambda n, d: None if n.endswith("honesty/honesty_report.json") else d)
    res = check_bundle(dropped)
    assert res["missing"] == ["honesty/honesty_report.json"] and not res["ok"]

    padded = tmp_path / "padded.tar.gz"
    with tarfile.open(out, "r:gz") as tin:
        members = [(m, tin.extractfile(m).read()) for m in tin.getmembers()]
    with tarfile.open(padded, "w:gz") as tout:
        for m, data in members + [(tarfile.TarInfo("run/eval/extra_claims.json"), b'{"pass_rate": 1.0}')]:
            m.size = len(data)
            tout.addfile(m, io.BytesIO(data))
    assert check_bundle(padded)["extra"] == ["eval/extra_claims.json"]

    # the archive itself changed after its sidecar was written
    (tmp_path / "run.tar.gz").write_bytes(bad.read_bytes())
    res = check_bundle(out)
    assert res["archive_sha256"] is False and not res["ok"]


def test_cli_bundle(run, tmp_path, capsys):
    out = tmp_path / "x.tar.gz"
    assert cli_main(["bundle", "--run-dir", str(run), "--out", str(out)]) == 0
    assert "missing: dataset pack; import report" in capsys.readouterr().out
    assert cli_main(["bundle", "--check", str(out)]) == 0
    assert cli_main(["bundle", "--run-dir", str(run), "--out", str(out)]) == 2
    assert cli_main(["bundle", "--check", str(tmp_path / "nope.tar.gz")]) == 2
