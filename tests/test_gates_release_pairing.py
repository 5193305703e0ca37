"""Per-row results paired with the rows they claim to score: results of another eval pack of the same size (ids
match by position, prompts do not) and a row scored twice are no evidence. `gate release` blocks on each with the
check and a sentence naming the file and the row; a verdict forged to pass over the same doctored evidence fails
`bundle --check`, naming the check; the honest chain (each result's prompt the scored row's, once) passes."""

from __future__ import annotations

import hashlib
import json

from gate_fixtures import all_pass_but_rerun, build_chain, check_named, edit_json
from picochat_hf.eval.rows_eval import summarize
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir


def _results(run: RunDir, kind: str = "eval") -> list[dict]:
    path = RunDir.results_beside(run.eval_report(kind))
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _write_results(run: RunDir, rows: list[dict], kind: str = "eval") -> None:
    """The results file and a summary that follows from it (a careful forger keeps the numbers consistent)."""
    RunDir.results_beside(run.eval_report(kind)).write_text("".join(json.dumps(r) + "\n" for r in rows))
    edit_json(run.eval_report(kind), lambda r: r.update(summary=summarize(rows)))


def _other_pack(rows: list[dict]) -> list[dict]:
    return [{**r, "prompt": r["prompt"].replace("q ", "another pack's q ", 1)} for r in rows]


def _twice(rows: list[dict]) -> list[dict]:
    return rows + [dict(rows[0])]  # a passing row counted again


def test_honest_results_pass_the_pairing_checks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    result = run_release_gate(run.root, "skill_release")
    assert all_pass_but_rerun(result), [c["why"] for c in result["checks"] if c["status"] != "pass"]
    assert check_named(result, "verdicts:eval/eval_report.json")["status"] == "pass"
    assert check_named(result, "rows:eval/eval_report.json")["status"] == "pass"


def test_results_of_another_pack_of_the_same_size_block(tmp_path):
    run = RunDir(build_chain(tmp_path))
    _write_results(run, _other_pack(_results(run)))
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "verdicts:eval/eval_report.json")
    assert result["status"] == "blocked" and c["status"] == "block"
    assert "eval/eval_report.json" in c["why"] and "records prompt \"another pack's q" in c["why"], c["why"]
    assert "but the scored row's prompt is 'q " in c["why"]


def test_a_result_reworded_only_in_its_reply_still_pairs(tmp_path):
    """The prompt pairs the result with its row; a reply is judged, not compared (a right reply in other words passes)."""
    run = RunDir(build_chain(tmp_path))
    rows = _results(run)
    math = next(r for r in rows if r["skill"] == "math" and r["passed"])
    math["reply"] = f"The answer is {math['reply']}."
    _write_results(run, rows)
    result = run_release_gate(run.root, "skill_release")
    assert check_named(result, "verdicts:eval/eval_report.json")["status"] == "pass", \
        check_named(result, "verdicts:eval/eval_report.json")["why"]


def test_a_row_scored_twice_blocks_even_when_the_numbers_follow(tmp_path):
    run = RunDir(build_chain(tmp_path))
    rows = _results(run)
    _write_results(run, _twice(rows))
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "rows:eval/eval_report.json")
    assert result["status"] == "blocked" and c["status"] == "block"
    assert f"row {rows[0]['id']!r} is recorded twice" in c["why"] and "eval/eval_report.json" in c["why"], c["why"]
    v = check_named(result, "verdicts:eval/eval_report.json")
    assert v["status"] == "block" and f"row {rows[0]['id']!r} is scored twice" in v["why"]


def test_a_fit_row_scored_twice_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    _write_results(run, _twice(_results(run, "sft_fit")), "sft_fit")
    c = check_named(run_release_gate(run.root, "skill_release"), "rows:sft_fit/eval_report.json")
    assert c["status"] == "block" and "is recorded twice" in c["why"] and "sft_fit/eval_report.json" in c["why"]


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _forge_over(run: RunDir, doctored: list) -> None:
    """A forger's verdict: gates/release.json's evidence hashes made those of the doctored files, so the verdict
    reads current and approved over them."""
    def forge(v):
        for path in doctored:
            v["evidence"][run.rel(path)] = _sha(path)
        v["checks"] = [c for c in v["checks"] if c["name"] != "replies_rerun"]
        v.update(status="approved", summary="All checks pass.")

    edit_json(run.release, forge)


def test_a_forged_approval_over_a_row_scored_twice_fails_the_bundle_check(tmp_path):
    ckpt_run = build_chain(tmp_path)
    (ckpt_run / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "num_parameters": 1000}))
    run = RunDir(ckpt_run)
    run_release_gate(run.root, "skill_release")
    honest = check_bundle(make_bundle(run.root, tmp_path / "honest.tar.gz"))
    assert not any("recorded twice" in p for p in honest["problems"]), honest["problems"]

    _write_results(run, _twice(_results(run)))
    _forge_over(run, [run.eval_report("eval"), RunDir.results_beside(run.eval_report("eval"))])
    res = check_bundle(make_bundle(run.root, tmp_path / "forged.tar.gz"))
    assert not res["ok"]
    assert any(p.startswith("eval/eval_report.json: row ") and "is recorded twice" in p for p in res["problems"]), res["problems"]
    assert any(p.startswith("gates/release.json records rows:eval/eval_report.json as pass") and "gives block" in p
               for p in res["problems"]), res["problems"]
    gate = run_release_gate(run.root, "skill_release")  # the gate agrees
    assert check_named(gate, "rows:eval/eval_report.json")["status"] == "block"
