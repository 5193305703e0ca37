"""Release-gate evidence that reads right but is not tied to the release: lm-eval scores nothing re-runs, reports
dated before the weights they claim, reports that do not record the tokenizer they read; and the limits a verdict
states about what no check can confirm from the run directory alone."""

from __future__ import annotations

from gate_fixtures import GOOD_SKILLS, all_pass_but_rerun, build_chain, check_named, edit_json, result_rows, write_eval, write_json
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.provenance import weights_sha256
from test_gates_release import _ship_tokenizer


def test_lm_eval_scores_the_gate_cannot_rerun_cap_the_verdict_at_warn(tmp_path):
    """lm_eval/lm_eval_results.json records the released weights' hash, but nothing re-scores its numbers: another
    model's scores with the hash edited in read the same. Re-runs on: the verdict is warn, naming the file."""
    run = RunDir(build_chain(tmp_path))
    result = run_release_gate(run.root, "skill_release")
    assert all_pass_but_rerun(result) and not any(c["name"] == "lm_eval_rerun" for c in result["checks"])
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.97}, "hellaswag": {"acc_norm,none": 0.91}},
                                     "weights_sha256": weights_sha256(run.released_checkpoint)})
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "lm_eval_rerun")
    assert c["status"] == "warn" and c["value"] == 2 and result["status"] == "warn"
    assert c["why"].startswith("lm_eval/lm_eval_results.json (arc_easy acc,none=0.970, hellaswag acc_norm,none=0.910) was not re-run")
    assert "its scores and the weights it says it scored (with a tokenizer it does not record) are the file's own word" in c["why"]
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.97}}, "weights_sha256": "0" * 64})
    result = run_release_gate(run.root, "skill_release")  # scores about other weights still block
    assert result["status"] == "blocked" and check_named(result, "lm_eval_rerun")["status"] == "warn"

def test_verdict_names_the_records_it_rests_on_without_a_recheck(tmp_path):
    from picochat_hf.gates.limits import unverified_records

    run = RunDir(build_chain(tmp_path))
    result = run_release_gate(run.root, "skill_release")
    said = result["unverified"]
    assert said[0].startswith("The training reports and the preflight") and "rewritten consistently throughout" in said[0]
    assert said[1].startswith("No recorded reply was re-run") and "not re-run (--rescan)" in said[2] and len(said) == 3
    assert "## What this verdict cannot check" in run.release_md.read_text()
    rerun = {**result, "regenerate_rows": 4, "sample_seed": "ab" * 8, "rescan": True,
             "checks": [c for c in result["checks"] if c["name"] != "replies_rerun"] + [{"name": "lm_eval_rerun", "status": "warn"}]}
    said = unverified_records(rerun)
    assert said[1] == ("Only 4 recorded rows of each eval, fit and external benchmark report were re-run on the released checkpoint "
                       "(sample seed abababababababab); the other recorded replies were re-judged, not shown to be its replies.")
    assert not any("--rescan" in s for s in said) and said[-1].startswith("The lm-eval scores (lm_eval/lm_eval_results.json) were never re-run")

def test_eval_dated_before_the_training_that_wrote_its_weights_blocks(tmp_path):
    """An eval report claims the released weights by hash; one written before the SFT run that wrote them cannot
    have scored them (another model's report with the hash edited in). Dated after: it passes."""
    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("sft"), lambda r: r.update(provenance={"created_at": "2001-01-01T00:00:00+00:00"}))
    result = run_release_gate(run.root, "skill_release")
    assert all_pass_but_rerun(result) and check_named(result, "evidence_dates")["value"] == 4
    edit_json(run.train_report("sft"), lambda r: r.update(provenance={"created_at": "2999-01-01T00:00:00+00:00"}))
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "evidence_dates")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert c["why"].startswith("sft_fit/eval_report.json was written at ") and "(3 more): it cannot have scored them." in c["why"]
    assert "before sft/train_report.json wrote the released weights at 2999-01-01T00:00:00+00:00" in c["why"]
    edit_json(run.train_report("sft"), lambda r: r.update(provenance={"created_at": "2001-01-01T00:00:00+00:00"}))
    edit_json(run.eval_report("eval"), lambda r: r.pop("provenance"))  # the date stripped to skip the check
    c = check_named(run_release_gate(run.root, "skill_release"), "evidence_dates")
    assert c["status"] == "block" and c["why"].startswith("eval/eval_report.json records no readable provenance.created_at")

def test_eval_that_does_not_record_its_tokenizer_hash_blocks_when_the_release_ships_one(tmp_path):
    """Same weights, tokenizer hash dropped (its path left at the model folder, or no path at all): the report may
    have read any tokenizer, so it is not tied to the one the release ships."""
    from picochat_hf.utils.provenance import input_sha256

    run = RunDir(build_chain(tmp_path))
    ckpt = run.released_checkpoint
    _ship_tokenizer(run)
    write_eval(run, "eval", result_rows(GOOD_SKILLS, 80), input_path=run.task_pack_dir / "eval.jsonl", checkpoint=ckpt)
    result = run_release_gate(run, "skill_release", write=False)
    assert check_named(result, "eval_model")["status"] == "pass"
    for change, used in (({"tokenizer_sha256": None}, f"the tokenizer at {ckpt}"), ({"tokenizer_sha256": None, "tokenizer": None},
                                                                                      "a tokenizer it does not name")):
        edit_json(run.eval_report("eval"), lambda r, change=change: r["model"].update(change))
        c = check_named(run_release_gate(run, "skill_release", write=False), "eval_model")
        assert c["status"] == "block" and c["why"] == (f"eval/eval_report.json scored the released weights with {used} but does not "
                                                       "record its sha256, so it cannot be tied to the tokenizer of sft/checkpoint.")
    edit_json(run.eval_report("eval"), lambda r: r["model"].update(tokenizer=str(ckpt), tokenizer_sha256=input_sha256(ckpt)))
    edit_json(run.external_dir("arc_easy") / "eval_report.json", lambda r: r["model"].pop("tokenizer_sha256"))
    result = run_release_gate(run, "skill_release", write=False)
    assert check_named(result, "eval_model")["status"] == "pass"
    assert check_named(result, "external_model:external_eval/arc_easy/eval_report.json")["status"] == "block"


def test_a_tokenizer_that_appears_after_the_gate_makes_the_verdict_stale(tmp_path):
    from picochat_hf.gates import verify_release

    run = RunDir(build_chain(tmp_path))
    run_release_gate(run.root, "skill_release")
    assert verify_release(run)["state"] == "current"
    (run.tokenizer_dir).mkdir(parents=True)
    (run.tokenizer_dir / "tokenizer.json").write_text('{"model": "shipped later"}')  # what an export would now ship
    v = verify_release(run)
    assert v["state"] == "stale" and "the released tokenizer (" in v["sentence"] and "changed after the gate ran" in v["sentence"]


def test_lm_eval_of_a_release_that_ships_a_tokenizer_is_capped_not_blocked(tmp_path):
    """lm-eval records no tokenizer hash (it reads the model folder's): its scores are capped at warn by lm_eval_rerun,
    not blocked for a hash its harness never writes; scores about other weights still block."""
    run = RunDir(build_chain(tmp_path))
    _ship_tokenizer(run)
    write_eval(run, "eval", result_rows(GOOD_SKILLS, 80), input_path=run.task_pack_dir / "eval.jsonl", checkpoint=run.released_checkpoint)
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.4}}, "model_path": str(run.released_checkpoint),
                                     "weights_sha256": weights_sha256(run.released_checkpoint)})
    result = run_release_gate(run.root, "skill_release", write=False)
    assert [c["name"] for c in result["checks"] if c["status"] != "pass"] == ["lm_eval_rerun", "replies_rerun"]
    assert "(with a tokenizer it does not record)" in check_named(result, "lm_eval_rerun")["why"]
    edit_json(run.lm_eval_results, lambda r: r.update(weights_sha256="0" * 64))
    result = run_release_gate(run.root, "skill_release", write=False)
    assert check_named(result, "external_model:lm_eval/lm_eval_results.json")["status"] == "block"
