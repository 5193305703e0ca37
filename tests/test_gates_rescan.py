"""`picochat gate release --rescan` re-runs the honesty scan on the files its report names: an untouched report
passes; one whose failing findings were deleted (counts and status made to match, so it is consistent with
itself) and one whose named input no longer has its recorded hash block."""

from __future__ import annotations

import json

from gate_fixtures import build_chain, check_named, edit_json, write_rows
from picochat_hf.cli import main as cli_main
from picochat_hf.gates import run_release_gate
from picochat_hf.honesty.scan import run_scan
from picochat_hf.run_dir import RunDir


def _scanned_run(tmp_path, *, leak: bool) -> RunDir:
    """The chain fixture with a real scan of its eval and SFT files and a one-document corpus (which holds one
    eval prompt with its answer when `leak`)."""
    run = RunDir(build_chain(tmp_path))
    text = "A short note on gardens and rivers." + (" Question: q math 5. The answer is 105." if leak else "")
    corpus = write_rows(run.root / "corpus" / "docs.jsonl", [{"text": text}])
    run_scan(eval_path=run.task_pack_dir / "eval.jsonl", sft_path=run.task_pack_dir / "sft.jsonl", corpus_paths=[corpus],
             out_dir=run.honesty_dir, force=True, show_progress=False)
    return run


def test_untouched_scan_passes_and_deleted_findings_block(tmp_path):
    run = _scanned_run(tmp_path, leak=True)
    report = json.loads(run.honesty_report.read_text())
    assert report["status"] == "blocked" and any(f["eval_id"] == "math-5" and f["severity"] == "fail" for f in report["findings"])
    c = check_named(run_release_gate(run, "research", write=False, rescan=True), "honesty_rescanned")
    assert c["status"] == "pass" and c["why"].startswith("Re-running the honesty scan on the files honesty/honesty_report.json names "
                                                         "gives its status and findings again (blocked, ")

    def clean(h):
        h["findings"] = [f for f in h["findings"] if f["severity"] != "fail"]
        h["status"] = "caution" if h["findings"] else "ready"
        h["counts"]["eval_prompts_failing"] = 0

    edit_json(run.honesty_report, clean)
    result = run_release_gate(run, "skill_release", write=False, rescan=True)
    assert check_named(result, "honesty_findings")["status"] == "pass"  # consistent with itself
    c = check_named(result, "honesty_rescanned")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert "is not the scan of the files it names: it says " in c["why"] and "the scan gives blocked with 1;" in c["why"]
    assert "findings are missing from it (first: " in c["why"] and "on math-5, fail)" in c["why"]


def test_scan_of_a_file_changed_since_blocks(tmp_path):
    run = _scanned_run(tmp_path, leak=False)
    assert check_named(run_release_gate(run, "skill_release", write=False, rescan=True), "honesty_rescanned")["status"] == "pass"
    (run.root / "corpus" / "docs.jsonl").write_text(json.dumps({"text": "Another corpus entirely."}) + "\n")
    c = check_named(run_release_gate(run, "skill_release", write=False, rescan=True), "honesty_rescanned")
    assert c["status"] == "block" and "cannot be re-scanned: its input names " in c["why"] and "no longer hashes to" in c["why"]


def test_rescan_is_off_by_default_and_on_the_cli(tmp_path):
    run = _scanned_run(tmp_path, leak=False)
    assert not any(c["name"] == "honesty_rescanned" for c in run_release_gate(run, "skill_release", write=False)["checks"])
    cli_main(["gate", "release", "--run-dir", str(run.root), "--rescan"])
    release = json.loads(run.release.read_text())
    assert release["rescan"] is True and check_named(release, "honesty_rescanned")["status"] == "pass"
