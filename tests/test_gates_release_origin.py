"""The released checkpoint's ties to the run: a DPO checkpoint is a release candidate only when its train report
started from this run's SFT output and wrote the released weights, and the tokenizer the export ships is the one
the evals read."""

from __future__ import annotations

from gate_fixtures import all_pass_but_rerun, build_chain, check_named, edit_json, fake_weights, write_json
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.provenance import weights_sha256


def _dpo_release(run: RunDir, *, started: str | None = None, status: str = "completed"):
    """A DPO checkpoint trained (as its report says) from the SFT output, with every eval re-pointed at it."""
    dpo = fake_weights(run.checkpoint("dpo"), seed=7)
    sft_out = weights_sha256(run.released_checkpoint)
    write_json(run.train_report("dpo"), {"stage": "dpo", "status": status, "steps": 6,
                                         "inputs": {"init_checkpoint": str(run.released_checkpoint),
                                                    "init_weights_sha256": started or sft_out},
                                         "outputs": {"checkpoint_weights_sha256": weights_sha256(dpo)}})
    for kind in ("eval", "sft_fit", "sft_fit_heldout"):
        edit_json(run.eval_report(kind), lambda r: r["model"].update(path=str(dpo), tokenizer=str(dpo), weights_sha256=weights_sha256(dpo)))
    edit_json(run.external_dir("arc_easy") / "eval_report.json", lambda r: r["model"].update(weights_sha256=weights_sha256(dpo)))
    return dpo


def test_dpo_checkpoint_trained_from_the_sft_output_is_a_release_candidate(tmp_path):
    run = RunDir(build_chain(tmp_path))
    dpo = _dpo_release(run)
    result = run_release_gate(run, "skill_release", checkpoint=dpo, write=False)
    c = check_named(result, "sft_checkpoint_origin")
    assert c["status"] == "pass" and all_pass_but_rerun(result)
    assert c["why"].endswith(f"dpo/train_report.json trained from them and wrote weights {weights_sha256(dpo)[:12]}, which dpo/checkpoint holds.")
    assert "dpo/train_report.json" in result["evidence"]


def test_dpo_checkpoint_not_tied_to_this_runs_sft_blocks(tmp_path):
    """The DPO report must start from SFT's output, end at the released weights and be complete; any other
    DPO run (or another checkpoint named beside a real DPO report) is not this run's release."""
    run = RunDir(build_chain(tmp_path))
    dpo = _dpo_release(run, started="ab" * 32)
    c = check_named(run_release_gate(run, "skill_release", checkpoint=dpo, write=False), "sft_checkpoint_origin")
    assert c["status"] == "block" and "dpo/train_report.json trained from weights abababababab, not SFT's" in c["why"]
    edit_json(run.train_report("dpo"), lambda r: r["inputs"].pop("init_weights_sha256"))
    c = check_named(run_release_gate(run, "skill_release", checkpoint=dpo, write=False), "sft_checkpoint_origin")
    assert c["status"] == "block" and "does not record the weights it trained from" in c["why"]
    dpo = _dpo_release(run, status="failed")
    c = check_named(run_release_gate(run, "skill_release", checkpoint=dpo, write=False), "sft_checkpoint_origin")
    assert c["status"] == "block" and "status is failed, not completed" in c["why"]
    dpo = _dpo_release(run)
    other = fake_weights(tmp_path / "other", seed=11)
    c = check_named(run_release_gate(run, "skill_release", checkpoint=other, write=False), "sft_checkpoint_origin")
    assert c["status"] == "block" and f"wrote weights {weights_sha256(dpo)[:12]}" in c["why"]


def test_tokenizer_shipped_beside_a_checkpoint_without_one_is_tied_to_the_evals(tmp_path):
    """A checkpoint folder without tokenizer.json ships the one beside it (or the run's tokenizer/), as `export hf`
    finds it: the gate judges that one, so evals that read another tokenizer are not about the release."""
    from picochat_hf.utils.provenance import input_sha256

    run = RunDir(build_chain(tmp_path))
    judged = run.tokenizer_dir / "tokenizer.json"
    judged.parent.mkdir(parents=True)
    judged.write_text('{"version": "1.0", "model": "A"}')
    for kind in ("eval", "sft_fit", "sft_fit_heldout"):
        edit_json(run.eval_report(kind), lambda r: r["model"].update(tokenizer=str(run.tokenizer_dir), tokenizer_sha256=input_sha256(run.tokenizer_dir)))
    result = run_release_gate(run, "skill_release", write=False)
    assert check_named(result, "eval_model")["status"] == "pass" and result["checkpoint"]["tokenizer_sha256"] == input_sha256(run.tokenizer_dir)
    other = run.released_checkpoint.parent / "tokenizer.json"  # beside sft/checkpoint: the one an export would ship
    other.write_text('{"version": "1.0", "model": "B"}')
    c = check_named(run_release_gate(run, "skill_release", write=False), "eval_model")
    assert c["status"] == "block" and f"ships tokenizer {input_sha256(other.parent)[:12]}" in c["why"]
