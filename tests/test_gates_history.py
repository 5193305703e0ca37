"""The gate's log of its verdicts (gates/release_history.jsonl): a verdict records how many verdicts on the same
weights came before it, a fresh re-draw re-runs a larger sample, and consumers hold the shipped verdict to the
log, so a verdict swapped for a luckier try, or forged to carry a chosen seed without its warning, is stale."""

from __future__ import annotations

import json

from gate_fixtures import build_chain, check_named, edit_json
from picochat_hf.cli import main as cli_main
from picochat_hf.export.bundle_claims import _history_problems
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.common import roll_up
from picochat_hf.gates.history import HISTORY, history_sentence, read_history, sample_rows, summary_of
from picochat_hf.gates.verify import verify_release
from picochat_hf.run_dir import RunDir
from test_gates_regenerate import _run

EVAL = "regenerated:eval/eval_report.json"


def test_each_written_verdict_is_logged_and_counts_the_ones_before(tmp_path):
    run = RunDir(build_chain(tmp_path))
    first = run_release_gate(run.root, "skill_release")
    assert first["history"] == {"file": HISTORY, "verdicts_before": 0, "fresh_draws_before": 0, "failed_draws_before": 0, "before": {}}
    assert history_sentence(first).startswith("This is the first verdict the gate logged on these weights")
    saved = run.release.read_bytes()
    second = run_release_gate(run.root, "skill_release")
    assert second["history"] == {"file": HISTORY, "verdicts_before": 1, "fresh_draws_before": 0, "failed_draws_before": 0,
                                 "before": {"warn": 1}}
    assert history_sentence(second).startswith("This is verdict 2 the gate logged on these weights; before it: warn 1")
    assert [e["status"] for e in read_history(run.release_history)] == ["warn", "warn"]
    assert verify_release(run)["state"] == "current"
    assert run_release_gate(run.root, "skill_release", write=False).get("history") is None  # a dry run is no try
    # the first try put back in place of the last one is not the verdict the log ends with
    run.release.write_bytes(saved)
    v = verify_release(run)
    # the two verdicts may share created_at (it has seconds); their verdict_id always differs
    assert v["state"] == "stale" and "is not the last verdict gates/release_history.jsonl logged (" in v["sentence"]
    assert "verdict_id differ" in v["sentence"]


def test_a_verdict_without_its_log_or_with_edited_counts_is_stale(tmp_path):
    run = RunDir(build_chain(tmp_path))
    run_release_gate(run.root, "skill_release")
    original = run.release.read_bytes()
    edit_json(run.release, lambda r: r.pop("history"))
    assert "records no count of earlier verdicts" in verify_release(run)["sentence"]
    run.release.write_bytes(original)
    run_release_gate(run.root, "skill_release")
    edit_json(run.release, lambda r: r["history"].update(verdicts_before=0, before={}))  # the earlier try hidden
    assert "its history says 0 (none; 0 fresh draws, 0 failed) earlier verdicts on these weights, but gates/release_history.jsonl logs 1 (1 warn" \
        in verify_release(run)["sentence"]
    run_release_gate(run.root, "skill_release")
    original = run.release.read_bytes()
    log = run.release_history.read_bytes()
    run.release_history.unlink()
    assert f"{HISTORY} is missing or empty" in verify_release(run)["sentence"]
    run.release_history.write_bytes(log + b"not json\n")
    v = verify_release(run)
    assert v["state"] == "stale" and "line 4: not JSON" in v["sentence"]
    run.release_history.write_bytes(log)
    assert verify_release(run)["state"] == "current"


def _forge_fresh(release: dict) -> None:
    """A verdict drawn from a chosen seed, rewritten to read as a fresh draw: the warning gone, the status re-rolled."""
    release["checks"] = [c for c in release["checks"] if c["name"] != "sample_seed_chosen"]
    release["sample_seed_given"] = False
    release["status"] = roll_up(release["checks"], "approved")
    release["blocking"] = [c["why"] for c in release["checks"] if c["status"] == "block"]


def test_sample_grows_only_after_draws_that_met_rows_the_model_does_not_give():
    held = {"weights_sha256": "w", "status": "warn", "regenerate_rows": 4, "sample_seed_given": False, "rerun_failed": False}
    failed = {**held, "status": "blocked", "rerun_failed": True}
    assert sample_rows(4, True, summary_of([held, held], "w")) == 4  # re-draws after re-runs that held: the rows asked
    assert sample_rows(4, True, summary_of([failed, held, failed], "w")) == 12
    assert sample_rows(4, False, summary_of([failed], "w")) == 4  # a given seed reproduces an earlier draw
    assert sample_rows(4, True, summary_of([failed], "other weights")) == 4 and sample_rows(0, True, summary_of([failed], "w")) == 0


def test_a_re_draw_after_a_blocked_re_run_re_runs_more_rows_and_a_forged_fresh_seed_is_caught(tmp_path, tiny_tokenizer, capsys):
    """The fixture's fit and benchmark replies were written by hand, so every draw meets rows the model does not give:
    under a release profile that blocks, and the next fresh draw on the same weights re-runs more rows."""
    run = _run(tmp_path, tiny_tokenizer)
    gate = ["gate", "release", "--run-dir", str(run.root), "--profile", "skill_release", "--force"]
    assert cli_main([*gate, "--regenerate-rows", "2"]) == 1
    first = json.loads(run.release.read_text())
    assert first["regenerate_rows"] == 2 and read_history(run.release_history)[-1]["rerun_failed"] is True
    capsys.readouterr()
    assert cli_main([*gate, "--regenerate-rows", "2"]) == 1
    grown = json.loads(run.release.read_text())
    out = capsys.readouterr().out
    assert grown["regenerate_rows"] == 4 and grown["regenerate_rows_asked"] == 2 and len(check_named(grown, EVAL)["rows"]) == 4
    assert grown["history"]["failed_draws_before"] == 1 and "4 rows of each report re-run, not 2" in out
    assert f"--regenerate-rows 4 --sample-seed {grown['sample_seed']} draws them again" in out
    assert verify_release(run)["state"] == "current"
    # the two blocked draws count under any profile; a research verdict's misses only warn, so it adds none
    research = ["gate", "release", "--run-dir", str(run.root), "--profile", "research", "--force"]
    assert cli_main([*research, "--regenerate-rows", "2"]) == 0 and json.loads(run.release.read_text())["regenerate_rows"] == 6
    assert read_history(run.release_history)[-1]["rerun_failed"] is False
    # a chosen seed reproduces a draw at the rows asked (no growth) and is capped at warn ...
    assert cli_main([*research, "--regenerate-rows", "2", "--sample-seed", first["sample_seed"]]) == 0
    chosen = json.loads(run.release.read_text())
    assert chosen["regenerate_rows"] == 2 and check_named(chosen, "sample_seed_chosen")["status"] == "warn"
    assert verify_release(run)["state"] == "current"
    # ... and rewritten to read as a fresh draw, it agrees with itself but not with the gate's log
    edit_json(run.release, _forge_fresh)
    v = verify_release(run)
    assert v["state"] == "stale" and "it is not the last verdict gates/release_history.jsonl logged (sample_seed_given differs)" in v["sentence"]
    forged = json.loads(run.release.read_text())
    problems = _history_problems(forged, {HISTORY: run.release_history.read_bytes()})
    assert problems and "sample_seed_given differs" in problems[0]
    assert _history_problems(chosen, {HISTORY: run.release_history.read_bytes()}) == []


def test_log_deleted_with_the_verdict_is_said_to_be_undetectable(tmp_path):
    """gates/release_history.jsonl deleted together with gates/release.json: the next verdict reads as the first.
    Nothing else in the run counts verdicts (train and eval reports and the export are written before any), so the
    verdict's `unverified` list and the card's history line say the count is the log's word, at every setting."""
    from picochat_hf.gates.limits import unverified_records

    run = RunDir(build_chain(tmp_path))
    run_release_gate(run.root, "skill_release")
    run_release_gate(run.root, "skill_release")
    run.release.unlink()
    run.release_history.unlink()
    again = run_release_gate(run.root, "skill_release")
    assert again["history"]["verdicts_before"] == 0 and verify_release(run)["state"] == "current"  # the files alone cannot tell
    line = history_sentence(again)
    assert line.startswith("This is the first verdict the gate logged on these weights")
    assert "deleted together with gates/release.json" in line
    for rows in (0, 4):
        said = " ".join(unverified_records({**again, "regenerate_rows": rows}))
        assert "gates/release_history.jsonl" in said and "deleted together with gates/release.json" in said, rows
    later = {**again, "history": {**again["history"], "verdicts_before": 2, "before": {"warn": 2}}}
    assert "deleted together with gates/release.json" in history_sentence(later)  # a count is the log's word too
