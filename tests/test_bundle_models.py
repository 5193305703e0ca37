"""`bundle --check` re-derives the verdict's `<kind>_model` and `external_model:*` checks from the weights hash each bundled
report records: eval results of another checkpoint step of the same run (other weights) under a verdict that still says
they are about the release fail, naming the check and both hashes, as `gate release` blocks them. A threshold edited in
the profile file after the verdict, with every status unchanged, makes the verdict stale."""

from __future__ import annotations

import hashlib
import json

from gate_fixtures import all_pass_but_rerun, build_chain, check_named, edit_json, gated_chain
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.verify import verify_release
from picochat_hf.run_dir import RunDir

OTHER_STEP = "cd" * 32  # the weights an earlier checkpoint step of the same run held


def _keep_verdict_over(run: RunDir, path) -> None:
    """A stale verdict passed off as current: its evidence hash of `path` made that of the changed file, nothing else."""
    edit_json(run.release, lambda v: v["evidence"].update({run.rel(path): hashlib.sha256(path.read_bytes()).hexdigest()}))


def _problem(res: dict, name: str) -> str:
    return next((p for p in res["problems"] if p.startswith(f"gates/release.json records {name} as pass")), "")


def test_an_honest_bundle_rederives_the_model_checks(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    res = check_bundle(make_bundle(run.root, tmp_path / "b.tar.gz"))
    assert res["ok"], res["problems"]
    left = " ".join(res["unverified_checks"])
    for name in ("eval_model", "sft_fit_model", "sft_fit_heldout_model", "external_model:"):
        assert name not in left, left


def test_eval_results_of_another_checkpoint_step_fail_the_bundle_check(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    judged = json.loads(run.release.read_text())["checkpoint"]["weights_sha256"]
    edit_json(run.eval_report("eval"), lambda r: r["model"].update(weights_sha256=OTHER_STEP))
    _keep_verdict_over(run, run.eval_report("eval"))
    res = check_bundle(make_bundle(run.root, tmp_path / "stale.tar.gz"))
    bad = _problem(res, "eval_model")
    assert not res["ok"] and "gives block" in bad, res["problems"]
    assert f"eval/eval_report.json scored weights {OTHER_STEP[:12]}" in bad and judged[:12] in bad, bad
    gate = run_release_gate(run.root, "skill_release")  # the gate agrees
    c = check_named(gate, "eval_model")
    assert gate["status"] == "blocked" and c["status"] == "block" and OTHER_STEP[:12] in c["why"]


def test_a_fit_and_a_benchmark_of_another_step_fail_the_bundle_check(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    ext = run.external_dir("arc_easy") / "eval_report.json"
    for path in (run.eval_report("sft_fit_heldout"), ext):
        edit_json(path, lambda r: r["model"].update(weights_sha256=OTHER_STEP))
        _keep_verdict_over(run, path)
    res = check_bundle(make_bundle(run.root, tmp_path / "stale.tar.gz"))
    assert not res["ok"]
    assert "sft_fit_heldout/eval_report.json scored weights" in _problem(res, "sft_fit_heldout_model"), res["problems"]
    assert "external_eval/arc_easy/eval_report.json scored weights" in _problem(res, "external_model:external_eval/arc_easy/eval_report.json")


def test_a_report_of_the_export_stays_the_verdicts_word(tmp_path):
    """Scored weights the bundled release manifest calls the export of the judged ones: the tensors cannot be compared
    without the weights, so the check is named as unverifiable, not failed."""
    run = RunDir(gated_chain(tmp_path))
    judged = json.loads(run.release.read_text())["checkpoint"]["weights_sha256"]
    run.release_manifest.parent.mkdir(parents=True, exist_ok=True)
    run.release_manifest.write_text(json.dumps({"weights_sha256": OTHER_STEP, "source_weights_sha256": judged}))
    edit_json(run.eval_report("eval"), lambda r: r["model"].update(weights_sha256=OTHER_STEP))
    _keep_verdict_over(run, run.eval_report("eval"))
    res = check_bundle(make_bundle(run.root, tmp_path / "export.tar.gz"))
    assert not _problem(res, "eval_model") and "eval_model" in " ".join(res["unverified_checks"]), res["problems"]


def test_a_threshold_edited_in_the_profile_file_after_the_verdict_is_stale(tmp_path):
    run = RunDir(build_chain(tmp_path))
    prof = tmp_path / "mine.yaml"
    prof.write_text("extends: skill_release\nname: mine\nrelease: {skills: {math: {min: 0.30, severity: block}}}\n")
    assert all_pass_but_rerun(run_release_gate(run.root, str(prof)))
    prof.write_text("extends: skill_release\nname: mine\nrelease: {skills: {math: {min: 0.25, severity: block}}}\n")
    v = verify_release(run)  # every status holds (math 50% passes either way); the threshold the verdict states does not
    assert v["state"] == "stale" and "skill_math" in v["sentence"], v["sentence"]
