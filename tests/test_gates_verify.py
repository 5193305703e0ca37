"""Consumers re-check the release verdict: an evidence file (or the released weights) changed after the gate
makes the verdict stale, in plain words, in `verify_release`, the report and the CLI."""

from __future__ import annotations

from gate_fixtures import all_pass_but_rerun, build_chain, edit_json, fake_weights, write_json
from picochat_hf.cli import main as cli_main
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.verify import may_publish, verify_release
from picochat_hf.run_dir import RunDir


def test_current_verdict_matches_its_evidence(tmp_path):
    run = RunDir(build_chain(tmp_path))
    run_release_gate(run.root, "skill_release")
    v = verify_release(run)
    assert v["state"] == "current" and v["status"] == "warn"
    assert v["sentence"].startswith("The release verdict (warn under profile skill_release) matches its evidence: all ")
    assert may_publish(v) == (True, "")


def test_edited_evidence_after_the_gate_is_stale(tmp_path):
    run = RunDir(build_chain(tmp_path))
    run_release_gate(run.root, "skill_release")
    edit_json(run.eval_report("eval"), lambda r: r["summary"]["by_skill"]["math"].update(pass_rate=1.0))
    v = verify_release(run)
    assert v["state"] == "stale" and v["changed"] == ["eval/eval_report.json"]
    assert v["sentence"] == ("The release verdict (warn under profile skill_release) is stale: eval/eval_report.json changed after "
                             "the gate ran. Re-run `picochat gate release --force` before trusting it.")
    assert may_publish(v) == (False, v["sentence"])


def test_new_evidence_and_swapped_weights_are_stale(tmp_path):
    run = RunDir(build_chain(tmp_path, external=False))
    run_release_gate(run.root, "research")
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.9}}})
    fake_weights(run.released_checkpoint, seed=9)
    v = verify_release(run)
    assert v["added"] == ["lm_eval/lm_eval_results.json"]
    assert any(c.startswith("the released weights") for c in v["changed"])
    assert "lm_eval/lm_eval_results.json appeared after it ran" in v["sentence"]


def test_report_repeats_the_gate_not_its_own_arithmetic(tmp_path, capsys):
    run = RunDir(build_chain(tmp_path, {"identity": 0.9, "refusal": 0.9, "choice": 0.7, "math": 0.1, "spelling": 0.6}))
    run_release_gate(run.root, "skill_release")
    edit_json(run.eval_report("eval"), lambda r: r["summary"]["by_skill"]["math"].update(pass_rate=1.0, passed=80))
    assert cli_main(["report", "--run-dir", str(run.root), "--no-manifest"]) == 0
    assert "is stale: eval/eval_report.json changed after the gate ran" in capsys.readouterr().out
    md = run.report_md.read_text()
    assert "**Release gate: BLOCKED — STALE**" in md
    # the edited rate is not shown as measured (its interval is not that of its counts), and the gate's verdict is
    # marked stale, never "clears"
    assert "| math | does not hold |" in md and "| math | 100.0% |" not in md and "| blocks (stale) |" in md
    assert "clears (stale)" in md and "These verdicts are stale." in md
    assert "— STALE" in run.report_html.read_text()


def test_report_says_not_measured_for_rates_over_no_rows(tmp_path):
    from gate_fixtures import result_rows, write_eval

    run = RunDir(build_chain(tmp_path))
    write_eval(run, "eval", result_rows({"choice": 0.7}, 80), input_path=run.task_pack_dir / "eval.jsonl", checkpoint=run.released_checkpoint)
    run_release_gate(run.root, "research")
    assert cli_main(["report", "--run-dir", str(run.root), "--no-manifest"]) == 0
    md = run.report_md.read_text()
    assert "| prompt echo rate | not measured |" in md and "| refusal pass rate | not measured |" in md


def test_verdict_edited_to_approved_is_stale(tmp_path):
    """gates/release.json is not evidence about itself: a blocked verdict edited to read approved (checks, summary
    and blocking sentences too) no longer follows from the gate re-run on the same evidence."""
    run = RunDir(build_chain(tmp_path, {"identity": 0.9, "refusal": 0.95, "choice": 0.7, "math": 0.1, "spelling": 0.6}))
    assert run_release_gate(run.root, "skill_release")["status"] == "blocked"

    def approve(r):
        r.update(status="approved", blocking=[], summary="All checks pass.")
        for c in r["checks"]:
            c["status"] = "pass"

    edit_json(run.release, approve)
    v = verify_release(run)
    assert v["state"] == "stale" and v["status"] == "approved"
    assert v["rerun"] == ("gates/release.json says approved, but the gate re-run on the same evidence under profile skill_release "
                          "gives blocked (skill_math is recorded pass, re-run block)")
    assert may_publish(v) == (False, v["sentence"])


def test_verdict_under_a_profile_file_edited_after_the_gate_is_stale(tmp_path):
    run = RunDir(build_chain(tmp_path, {"identity": 0.9, "refusal": 0.95, "choice": 0.7, "math": 0.1, "spelling": 0.6}))
    prof = tmp_path / "lenient.yaml"
    prof.write_text("extends: skill_release\nname: lenient\nrelease: {skills: {math: {min: 0.05, severity: block}}}\n")
    assert all_pass_but_rerun(run_release_gate(run.root, str(prof)))
    assert verify_release(run)["state"] == "current"
    prof.write_text("extends: skill_release\nname: lenient\nrelease: {skills: {math: {min: 0.30, severity: block}}}\n")
    v = verify_release(run)
    assert v["state"] == "stale" and "gives blocked (skill_math is recorded pass, re-run block)" in v["sentence"]
    prof.unlink()
    v = verify_release(run)
    assert v["state"] == "stale" and "the gate cannot be re-run on it (" in v["rerun"]


def test_verdict_under_a_relative_profile_path_is_current_from_another_folder(tmp_path, monkeypatch):
    run = RunDir(build_chain(tmp_path))
    (tmp_path / "mine.yaml").write_text("extends: skill_release\nname: mine\n")
    monkeypatch.chdir(tmp_path)
    assert all_pass_but_rerun(run_release_gate(run.root, "mine.yaml"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    v = verify_release(run)
    assert v["state"] == "current", v["sentence"]


def test_claimed_re_runs_that_never_ran_are_stale(tmp_path):
    """A verdict that claims the model re-run (`regenerate_rows`) or the scan re-run (`rescan`) without the checks
    that say what they found, or with passes that do not follow from the files, does not follow from its evidence."""
    import json

    from gate_fixtures import check_named

    run = RunDir(build_chain(tmp_path))
    run_release_gate(run.root, "skill_release")
    original = run.release.read_text()
    edit_json(run.release, lambda r: r.update(regenerate_rows=8, rescan=True))
    v = verify_release(run)
    assert v["state"] == "stale" and "records no regenerated:eval/eval_report.json check" in v["sentence"]
    run.release.write_text(original)

    def claim(r, rows=None):  # passes as the gate would word them, but no rows named (or other rows)
        r["regenerate_rows"] = 8
        for kind in ("sft_fit", "sft_fit_heldout", "eval"):
            r["checks"].append({"name": f"regenerated:{kind}/eval_report.json", "status": "pass", "value": 8, "threshold": 8,
                                "why": f"The released checkpoint gives the recorded reply again on 8 sampled rows of {kind}/eval_report.json.",
                                **({"rows": rows} if rows is not None else {})})
    edit_json(run.release, claim)
    v = verify_release(run)
    assert v["state"] == "stale" and "is recorded pass, but the rows it names are not the sample" in v["sentence"]
    assert may_publish(v)[0] is False
    run.release.write_text(original)
    edit_json(run.release, lambda r: claim(r, [f"math-{i}" for i in range(8)]))
    assert verify_release(run)["state"] == "stale"

    run.release.write_text(original)
    edit_json(run.release, lambda r: (r.update(rescan=True), r["checks"].append(
        {"name": "honesty_rescanned", "status": "pass", "value": 3, "threshold": 3, "why": "Re-running ... gives ... again."})))
    v = verify_release(run)
    assert v["state"] == "stale" and "honesty_rescanned is recorded pass with 3 findings found again of 3, but " \
        "honesty/honesty_report.json lists 0" in v["sentence"]
    run.release.write_text(original)
    edit_json(run.release, lambda r: r["checks"].append(
        {"name": "honesty_rescanned", "status": "pass", "value": 0, "threshold": 0, "why": "Re-running ... gives ... again."}))
    v = verify_release(run)
    assert v["state"] == "stale" and "says the scan was not re-run (rescan false)" in v["sentence"]
    run.release.write_text(original)
    assert json.loads(run.release.read_text())["rescan"] is False and check_named(json.loads(original), "eval_model")
    assert verify_release(run)["state"] == "current"


def test_verdict_renamed_to_another_profile_is_stale(tmp_path):
    """A verdict run under research (math failing is a warning there) relabelled skill_release, where it blocks,
    would be repeated on the card as "warn under profile skill_release"; its profile name and stated exceptions
    must be the ones of the profile it re-runs under."""
    run = RunDir(build_chain(tmp_path, {"identity": 0.9, "refusal": 0.95, "choice": 0.7, "math": 0.1, "spelling": 0.6}))
    assert run_release_gate(run.root, "research")["status"] == "warn"
    assert verify_release(run)["state"] == "current"
    edit_json(run.release, lambda r: r.update(profile="skill_release"))
    v = verify_release(run)
    assert v["state"] == "stale" and "names profile skill_release, but it ran under profile research (research)" in v["sentence"]
    edit_json(run.release, lambda r: r.update(profile="research", exceptions=["The token budget is not enforced."]))
    v = verify_release(run)
    assert v["state"] == "stale" and "states other exceptions than profile research does" in v["sentence"]


def test_verdict_whose_sentences_were_edited_is_stale(tmp_path):
    """Statuses left as they were, but a check's sentence or the blocking list reworded: the report and card repeat
    those words, so they must be the ones the gate gives on the same evidence."""
    run = RunDir(build_chain(tmp_path, {"identity": 0.9, "refusal": 0.95, "choice": 0.7, "math": 0.1, "spelling": 0.6}))
    release = run_release_gate(run.root, "skill_release")
    assert release["status"] == "blocked" and verify_release(run)["state"] == "current"
    original = run.release.read_text()

    def reword(r):
        math = next(c for c in r["checks"] if c["name"] == "skill_math")
        math["why"] = "Math passed at 95%; threshold is 30%."
    edit_json(run.release, reword)
    v = verify_release(run)
    assert v["state"] == "stale" and "words skill_math otherwise than the gate re-run" in v["sentence"]
    run.release.write_text(original)
    edit_json(run.release, lambda r: r.update(blocking=["Spelling needs more rows."]))
    v = verify_release(run)
    assert v["state"] == "stale" and "blocking sentences are not those of its blocking checks" in v["sentence"]


def test_verdict_whose_numbers_or_thresholds_were_edited_is_stale(tmp_path):
    """Statuses and sentences left as they were, but a check's value or threshold rewritten (math at 0.99, spelling
    against a 0.01 bar): the card and report tables repeat both, so they must be the gate's on the same evidence."""
    run = RunDir(build_chain(tmp_path))
    run_release_gate(run.root, "skill_release")

    def forge(r):
        checks = {c["name"]: c for c in r["checks"]}
        checks["skill_math"]["value"], checks["skill_spelling"]["threshold"] = 0.99, 0.01
    edit_json(run.release, forge)
    v = verify_release(run)
    assert v["state"] == "stale"
    assert "states the value or threshold of skill_math, skill_spelling otherwise than the gate re-run" in v["sentence"]


def test_a_release_record_of_the_wrong_shape_is_a_one_line_error(tmp_path, capsys):
    """gates/release.json holding a list (or an evidence map that is not an object) was an AttributeError traceback in
    the report, card, bundle and push; it is a one-line error naming the file and field, exit code 2."""
    import pytest

    from picochat_hf.utils.errors import PicochatInputError

    run = RunDir(build_chain(tmp_path))
    for bad, field in (([1], None), ({"status": "approved", "evidence": ["eval/eval_report.json"]}, "evidence"),
                       ({"status": "approved", "checkpoint": "sft/checkpoint"}, "checkpoint")):
        write_json(run.release, bad)
        with pytest.raises(PicochatInputError) as err:
            verify_release(run)
        assert str(run.release) in str(err.value) and (field is None or field in str(err.value))
    assert cli_main(["report", "--run-dir", str(run.root), "--no-manifest"]) == 2
    err = capsys.readouterr().err
    assert "release.json" in err and len(err.strip().splitlines()) == 1


def test_a_verdict_whose_checkpoint_record_was_deleted_is_stale(tmp_path):
    """gates/release.json with its checkpoint block deleted (and the log's weights hash blanked to match) re-ran to the
    same statuses and read current, so `export hf` of any checkpoint repeated it (it names no weights to compare)."""
    import json

    run = RunDir(build_chain(tmp_path))
    run_release_gate(run.root, "skill_release")
    edit_json(run.release, lambda r: r.pop("checkpoint"))
    lines = [json.loads(x) for x in run.release_history.read_text().splitlines()]
    lines[-1]["weights_sha256"] = None
    run.release_history.write_text("".join(json.dumps(x) + "\n" for x in lines))
    v = verify_release(run)
    assert v["state"] == "stale" and "records no weights hash" in v["sentence"] and may_publish(v)[0] is False
