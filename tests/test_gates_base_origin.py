"""The base run's report is evidence about the release only when SFT started from what that base run wrote: a
base/train_report.json copied from another base run (another seed, a longer budget) must not lend the release its
token budget or its completed status."""

from __future__ import annotations

from gate_fixtures import all_pass_but_rerun, build_chain, check_named, edit_json
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir


def test_sft_started_from_the_base_runs_output_passes(tmp_path):
    run = RunDir(build_chain(tmp_path))
    result = run_release_gate(run.root, "skill_release", write=False)
    assert all_pass_but_rerun(result)
    c = check_named(result, "base_checkpoint_origin")
    assert c["status"] == "pass" and "SFT started from weights" in c["why"]


def test_base_report_of_another_base_run_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("base"), lambda r: r.update(outputs={"checkpoint_weights_sha256": "cd" * 32},
                                                           real_tokens_seen=10 ** 9))
    result = run_release_gate(run.root, "skill_release", write=False)
    c = check_named(result, "base_checkpoint_origin")
    assert result["status"] == "blocked" and c["status"] == "block"
    assert "base/train_report.json says the base run wrote weights cdcdcdcdcdcd" in c["why"] and "SFT started from" in c["why"]


def test_a_best_checkpoint_of_the_base_run_is_its_output_too(tmp_path):
    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("base"), lambda r: r["outputs"].update(checkpoint_weights_sha256="cd" * 32,
                                                                       best_checkpoint_weights_sha256="ef" * 32))
    edit_json(run.train_report("sft"), lambda r: r["inputs"].update(init_weights_sha256="ef" * 32))
    assert check_named(run_release_gate(run.root, "skill_release", write=False), "base_checkpoint_origin")["status"] == "pass"


def test_untied_reports_block_with_the_missing_field_named(tmp_path):
    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("sft"), lambda r: r["inputs"].pop("init_weights_sha256"))
    c = check_named(run_release_gate(run.root, "skill_release", write=False), "base_checkpoint_origin")
    assert c["status"] == "block" and "inputs.init_weights_sha256" in c["why"]
    run = RunDir(build_chain(tmp_path / "b"))
    edit_json(run.train_report("base"), lambda r: r.pop("outputs"))
    c = check_named(run_release_gate(run.root, "research", write=False), "base_checkpoint_origin")
    assert c["status"] == "warn" and "outputs" in c["why"]
