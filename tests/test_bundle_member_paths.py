"""A bundle whose manifest lists an evidence file with its right hash under another path (moved, or swapped with
another evidence file, the manifest rewritten and the archive re-signed) fails `bundle --check`, naming the path
the verdict judged; `gate release` on a run directory laid out the same way blocks too. The honest bundle passes."""

from __future__ import annotations

import json

from gate_fixtures import build_chain, check_named, honest_bundle
from picochat_hf.export import check_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir
from test_bundle_check import _rewrite_signed


def _moved(src, dst, moves: dict[str, str]):
    """Rename members (run-relative paths) and the manifest's entries for them, keeping every hash; re-sign."""
    first = dst.with_name("moved_" + dst.name)

    def move(name, data):
        prefix, rel = name.split("/", 1)
        if rel == "bundle_manifest.json":
            manifest = json.loads(data)
            for f in manifest["files"]:
                f["path"] = moves.get(f["path"], f["path"])
            return json.dumps(manifest).encode()
        return data

    _rewrite_signed(src, first, move)
    import io
    import tarfile

    with tarfile.open(first, "r:gz") as tin, tarfile.open(dst, "w:gz") as tout:
        for m in tin.getmembers():
            data = tin.extractfile(m).read()
            prefix, rel = m.name.split("/", 1)
            info = tarfile.TarInfo(f"{prefix}/{moves.get(rel, rel)}")
            info.size = len(data)
            tout.addfile(info, io.BytesIO(data))
    import hashlib

    dst.with_name(dst.name + ".sha256").write_text(hashlib.sha256(dst.read_bytes()).hexdigest() + f"  {dst.name}\n")
    return dst


def test_the_honest_bundle_passes(tmp_path):
    res = check_bundle(honest_bundle(tmp_path))
    assert res["ok"], res["problems"]


def test_an_evidence_file_listed_under_another_path_fails_the_check(tmp_path):
    res = check_bundle(_moved(honest_bundle(tmp_path), tmp_path / "m.tar.gz", {"eval/results.jsonl": "eval/results_v2.jsonl"}))
    assert res["archive_sha256"] is True and res["altered"] == [] and res["missing"] == [] and not res["ok"]
    assert "eval/results.jsonl, evidence the release gate judged, is not in the bundle" in res["problems"], res["problems"]
    assert any(p.startswith("eval/eval_report.json: no eval/results.jsonl") for p in res["problems"]), res["problems"]


def test_two_evidence_files_swapped_with_their_right_hashes_fail_the_check(tmp_path):
    swap = {"sft_fit/results.jsonl": "sft_fit_heldout/results.jsonl", "sft_fit_heldout/results.jsonl": "sft_fit/results.jsonl"}
    res = check_bundle(_moved(honest_bundle(tmp_path), tmp_path / "s.tar.gz", swap))
    assert res["archive_sha256"] is True and res["altered"] == [] and not res["ok"]
    assert sorted(res["stale_evidence"]) == ["sft_fit/results.jsonl", "sft_fit_heldout/results.jsonl"], res["problems"]
    assert "sft_fit/results.jsonl differs from the file the release gate judged" in res["problems"]
    assert any(p.startswith("sft_fit/eval_report.json: ") for p in res["problems"]), res["problems"]


def test_gate_release_agrees_on_a_moved_results_file(tmp_path):
    run = RunDir(build_chain(tmp_path))
    results = RunDir.results_beside(run.eval_report("eval"))
    results.rename(results.with_name("results_v2.jsonl"))
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "rows:eval/eval_report.json")
    assert result["status"] == "blocked" and c["status"] == "block" and "has no results.jsonl beside it" in c["why"], c["why"]
