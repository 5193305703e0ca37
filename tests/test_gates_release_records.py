"""Release-gate evidence that reads right but is not tied to the release: lm-eval scores nothing re-runs, reports
dated before the weights they claim, reports that do not record the tokenizer they read; and the limits a verdict
states about what no check can confirm from the run directory alone."""

from __future__ import annotations

import json

import pytest
from gate_fixtures import GOOD_SKILLS, PARAMS, all_pass_but_rerun, build_chain, check_named, edit_json, result_rows, write_eval, write_json
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.provenance import weights_sha256
from test_gates_release import _ship_tokenizer


def test_lm_eval_scores_the_gate_cannot_rerun_are_listed_but_not_counted(tmp_path):
    """lm_eval/lm_eval_results.json records the released weights' hash, but nothing re-scores its numbers: another
    model's scores with the hash edited in read the same. They neither satisfy the external benchmark the profile
    needs nor change a verdict that rests on re-run evidence; the verdict's limits name them."""
    run = RunDir(build_chain(tmp_path))
    before = run_release_gate(run.root, "skill_release")
    assert all_pass_but_rerun(before) and not any("lm-eval" in s for s in before["unverified"])
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.97}, "hellaswag": {"acc_norm,none": 0.91}},
                                     "weights_sha256": weights_sha256(run.released_checkpoint)})
    result = run_release_gate(run.root, "skill_release")
    assert result["status"] == before["status"] and all_pass_but_rerun(result)
    c = check_named(result, "external_benchmark")
    assert c["value"] == 1 and "arc_easy acc,none=0.970 (lm_eval/lm_eval_results.json; not counted: not re-run)" in c["why"]
    assert result["unverified"][-1].startswith("The lm-eval scores (lm_eval/lm_eval_results.json) were never re-run")
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.97}}, "weights_sha256": "0" * 64})
    result = run_release_gate(run.root, "skill_release")  # scores about other weights still block
    assert result["status"] == "blocked"
    assert check_named(result, "external_model:lm_eval/lm_eval_results.json")["status"] == "block"


def test_lm_eval_scores_alone_do_not_meet_the_external_benchmark(tmp_path):
    """A run whose only benchmark is lm-eval's (no external_eval/* report the gate re-runs) misses the profile's
    external benchmark: the hash it records is the file's word."""
    run = RunDir(build_chain(tmp_path, external=False))
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.97}},
                                     "weights_sha256": weights_sha256(run.released_checkpoint)})
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "external_benchmark")
    assert result["status"] == "blocked" and c["status"] == "block" and c["value"] == 0
    assert "lm-eval's scores are not counted" in c["why"] and "not counted: not re-run" in c["why"]


def test_verdict_names_the_records_it_rests_on_without_a_recheck(tmp_path):
    from picochat_hf.gates.limits import unverified_records

    run = RunDir(build_chain(tmp_path))
    result = run_release_gate(run.root, "skill_release")
    said = result["unverified"]
    assert said[0].startswith("The training reports and the preflight") and "rewritten consistently throughout" in said[0]
    assert said[1].startswith("No recorded reply was re-run") and "not re-run (--rescan)" in said[2] and len(said) == 3
    assert "## What this verdict cannot check" in run.release_md.read_text()
    rerun = {**result, "regenerate_rows": 4, "sample_seed": "ab" * 8, "rescan": True,
             "checks": [c for c in result["checks"] if c["name"] != "replies_rerun"],
             "external": [{"name": "arc_easy", "source": "lm_eval/lm_eval_results.json"}]}
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
    for change, used in (({"tokenizer_sha256": None}, "the tokenizer at sft/checkpoint"), ({"tokenizer_sha256": None, "tokenizer": None},
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


def test_lm_eval_of_a_release_that_ships_a_tokenizer_is_listed_not_blocked(tmp_path):
    """lm-eval records no tokenizer hash (it reads the model folder's): its scores are listed as the file's word and not
    counted, not blocked for a hash its harness never writes; scores about other weights still block."""
    run = RunDir(build_chain(tmp_path))
    _ship_tokenizer(run)
    write_eval(run, "eval", result_rows(GOOD_SKILLS, 80), input_path=run.task_pack_dir / "eval.jsonl", checkpoint=run.released_checkpoint)
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.4}}, "model_path": str(run.released_checkpoint),
                                     "weights_sha256": weights_sha256(run.released_checkpoint)})
    result = run_release_gate(run.root, "skill_release", write=False)
    assert [c["name"] for c in result["checks"] if c["status"] != "pass"] == ["replies_rerun"]
    assert "the tokenizer they read (lm-eval records none)" in result["unverified"][-1]
    edit_json(run.lm_eval_results, lambda r: r.update(weights_sha256="0" * 64))
    result = run_release_gate(run.root, "skill_release", write=False)
    assert check_named(result, "external_model:lm_eval/lm_eval_results.json")["status"] == "block"


def _exported_copy(run: RunDir, folder) -> str:
    """An export-like copy of the released checkpoint (same tensors, another file hash), every report re-pointed at it."""
    import torch
    from safetensors.torch import save_file

    folder.mkdir()
    save_file({"w": torch.arange(PARAMS, dtype=torch.float32)}, str(folder / "model.safetensors"), metadata={"format": "pt"})
    digest = weights_sha256(folder)
    for kind in ("eval", "sft_fit", "sft_fit_heldout"):
        edit_json(run.eval_report(kind), lambda r: r["model"].update(path=str(folder), tokenizer=str(folder), weights_sha256=digest))
    edit_json(run.external_dir("arc_easy") / "eval_report.json", lambda r: r["model"].update(weights_sha256=digest))
    return digest


def test_eval_dated_before_training_blocks_when_the_release_is_an_export_folder(tmp_path):
    """--checkpoint naming an export folder (same tensors, another file hash) was dated by no training report, so
    reports older than the training passed unchecked; they are now dated against the SFT run whose tensors it holds."""
    run = RunDir(build_chain(tmp_path))
    export = tmp_path / "export_copy"
    digest = _exported_copy(run, export)
    assert digest != json.loads(run.train_report("sft").read_text())["outputs"]["checkpoint_weights_sha256"]
    edit_json(run.train_report("sft"), lambda r: r.update(provenance={"created_at": "2999-01-01T00:00:00+00:00"}))
    result = run_release_gate(run.root, "skill_release", checkpoint=export, write=False)
    c = check_named(result, "evidence_dates")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert "before sft/train_report.json wrote the released weights at 2999-01-01T00:00:00+00:00" in c["why"]
    edit_json(run.train_report("sft"), lambda r: r.update(provenance={"created_at": "2001-01-01T00:00:00+00:00"}))
    result = run_release_gate(run.root, "skill_release", checkpoint=export, write=False)
    assert check_named(result, "evidence_dates")["status"] == "pass" and check_named(result, "sft_checkpoint_origin")["status"] == "pass"


def test_eval_dated_before_the_runs_sft_blocks_even_when_no_report_wrote_the_release(tmp_path):
    """A checkpoint no training report of the run wrote is still dated against the run's SFT report."""
    from gate_fixtures import fake_weights

    run = RunDir(build_chain(tmp_path))
    other = fake_weights(tmp_path / "other", seed=3)
    edit_json(run.train_report("sft"), lambda r: r.update(provenance={"created_at": "2999-01-01T00:00:00+00:00"}))
    c = check_named(run_release_gate(run.root, "research", checkpoint=other, write=False), "evidence_dates")
    assert c["status"] == "warn" and "before sft/train_report.json wrote the released weights" in c["why"]


@pytest.mark.parametrize("strip", [lambda r: r.pop("provenance"), lambda r: r.update(provenance={"created_at": "yesterday"})])
def test_train_report_whose_date_was_stripped_blocks(tmp_path, strip):
    """Every trainer dates its report; one without a readable date (stripped, or hand-made) would skip both date
    checks (evidence written before the weights, a preflight written after the training), so it blocks them."""
    run = RunDir(build_chain(tmp_path))
    assert check_named(run_release_gate(run.root, "skill_release", write=False), "evidence_dates")["status"] == "pass"
    edit_json(run.train_report("sft"), strip)
    result = run_release_gate(run.root, "skill_release", write=False)
    dates, tie = check_named(result, "evidence_dates"), check_named(result, "preflight_plan")
    assert dates["status"] == "block" and "sft/train_report.json records no readable provenance.created_at" in dates["why"]
    assert tie["status"] == "block" and "sft/train_report.json records no readable provenance.created_at" in tie["why"]
    assert check_named(run_release_gate(run.root, "research", write=False), "evidence_dates")["status"] == "warn"
