"""gates/preflight.json must be the preflight of the plan the run trained: one written for another model size,
token budget, dataset pack or seed reads `ready` under the right profile just as well, and blocks a release."""

from __future__ import annotations

import pytest
from gate_fixtures import build_chain, check_named, edit_json, read_json_file, write_preflight
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.common import load_profile
from picochat_hf.gates.evidence import load_release_evidence
from picochat_hf.gates.preflight_tie import check_preflight_plan, plan_fingerprint
from picochat_hf.run_dir import RunDir


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    return RunDir(build_chain(tmp_path_factory.mktemp("tie")))


@pytest.fixture
def run(chain):
    """The module's chain, with its preflight and train reports restored after each test."""
    saved = {p: p.read_bytes() for p in (chain.preflight, chain.train_report("sft"), chain.train_report("base"))}
    yield chain
    for p, data in saved.items():
        p.write_bytes(data)


def _tie(run: RunDir, profile: str = "skill_release") -> dict:
    return check_preflight_plan(load_release_evidence(run), load_profile(profile)["release"], profile)[0]


def _trained(run: RunDir) -> dict:
    return read_json_file(run.train_report("sft"))["plan"]


def test_preflight_of_the_trained_plan_passes(run):
    c = _tie(run)
    assert c["status"] == "pass" and c["value"] == plan_fingerprint(_trained(run))[:12]
    # the same plan whose inputs were staged elsewhere (a --force re-run moves them after the preflight) still ties
    write_preflight(run, plan={**_trained(run), "sft_input": "/staged/.sft.inputs.1.partial/sft.jsonl"})
    assert _tie(run)["status"] == "pass"


@pytest.mark.parametrize("change, named", [
    ({"num_parameters": 500, "flops_per_token": 3000}, "num_parameters 500 checked, 1000 trained"),  # another model size
    ({"max_steps": 5, "planned_tokens": 1280}, "max_steps 5 checked, 10 trained"),  # another token budget
    ({"seed": 7}, "seed 7 checked, 42 trained"),  # another seed
    ({"learning_rate": 1e-5}, "learning_rate 1e-05 checked, 0.0001 trained"),
])
def test_preflight_of_another_plan_blocks_a_release(run, change, named):
    plan = {**_trained(run), **change}
    write_preflight(run, plan=plan)
    c = _tie(run)
    assert c["status"] == "block" and named in c["why"] and c["why"].startswith("gates/preflight.json is not the preflight of this run")
    assert _tie(run, "research")["status"] == "warn"  # the chain severity of a research profile


def test_preflight_of_other_data_under_the_same_paths_blocks(run):
    write_preflight(run)
    edit_json(run.preflight, lambda p: p["inputs"].update(sft_input_sha256="ab" * 32))
    assert "sft_input_sha256 abababababab checked" in _tie(run)["why"]
    write_preflight(run)  # a dataset pack the run trained on that the preflight never checked
    edit_json(run.train_report("sft"), lambda r: r["inputs"].update(dataset_pack_sha256="cd" * 32))
    c = _tie(run)
    assert c["status"] == "block" and "dataset_pack_sha256 none recorded checked, cdcdcdcdcdcd trained" in c["why"]


def test_preflight_without_its_tie_blocks(run):
    for strip, said in (("plan", "records no plan"), ("inputs", "records no sha256 of the data it checked"),
                        ("plan_sha256", "records no plan_sha256")):
        write_preflight(run)
        edit_json(run.preflight, lambda p: p.pop(strip))
        c = _tie(run)
        assert c["status"] == "block" and said in c["why"], strip


def test_preflight_plan_edited_to_match_but_judged_on_other_numbers_blocks(run):
    """Another plan's preflight with its `plan` block (and hash) replaced by the trained one: its checks and numbers
    still carry the other plan's values."""
    write_preflight(run)
    edit_json(run.preflight, lambda p: p.update(numbers={"num_parameters": 500, "planned_tokens": 2560},
                                                checks=[{"name": "planned_steps", "status": "pass", "value": 5, "threshold": "> 0", "why": "."}]))
    c = _tie(run)
    assert c["status"] == "block" and "numbers.num_parameters is 500, but the run trained 1000" in c["why"] and "(1 more)" in c["why"]
    write_preflight(run)
    edit_json(run.train_report("sft"), lambda r: r["preflight"].update(plan_sha256="ef" * 32))
    assert "sft/train_report.json records plan_sha256 efefefefefef" in _tie(run)["why"]


def test_base_preflight_left_in_place_of_the_sft_one_blocks(run):
    write_preflight(run, plan={**_trained(run), "stage": "base"})
    assert "checked a 'base' plan, but the run's last training stage is sft" in _tie(run)["why"]
    edit_json(run.train_report("sft"), lambda r: r.pop("plan"))
    write_preflight(run, plan={**read_json_file(run.preflight)["plan"], "stage": "sft"})
    assert "sft/train_report.json records no plan" in _tie(run)["why"]


def test_gate_verdict_blocks_and_names_the_plan(run):
    write_preflight(run, plan={**_trained(run), "max_steps": 5, "planned_tokens": 1280})
    result = run_release_gate(run, "skill_release", write=False)
    assert result["status"] == "blocked" and check_named(result, "preflight_plan")["why"] in result["blocking"]
    assert check_named(result, "preflight")["status"] == "pass"  # its status and profile alone would have passed


def test_preflight_written_after_the_training_it_claims_to_gate_blocks(run):
    """A `gate preflight --force` run after training (other settings, same plan) did not gate the run."""
    edit_json(run.train_report("sft"), lambda r: r.update(provenance={"created_at": "2026-01-02T00:00:00+00:00"}))
    write_preflight(run)
    edit_json(run.preflight, lambda p: p.update(provenance={"created_at": "2026-01-01T00:00:00+00:00"}))
    assert _tie(run)["status"] == "pass"
    edit_json(run.preflight, lambda p: p.update(provenance={"created_at": "2026-01-03T00:00:00+00:00"}))
    c = _tie(run)
    assert c["status"] == "block" and "was written at 2026-01-03T00:00:00+00:00, after sft/train_report.json" in c["why"]
    edit_json(run.preflight, lambda p: p.pop("provenance"))
    assert "records no readable provenance.created_at" in _tie(run)["why"]


def test_train_report_plan_edited_to_match_another_preflight_blocks(run):
    """Another plan's preflight, and the train report's plan block edited to match it: the report's own numbers
    (what was trained) still say otherwise."""
    other = {**_trained(run), "max_steps": 5, "planned_tokens": 1280}
    write_preflight(run, plan=other)
    edit_json(run.train_report("sft"), lambda r: r.update(plan=other))
    c = _tie(run)
    assert c["status"] == "block" and "sft/train_report.json trained max_steps 10, but the plan it records says 5" in c["why"]


@pytest.mark.parametrize("strip", ["sft_input_sha256", "eval_input_sha256", "init_weights_sha256"])
def test_train_report_without_a_data_hash_the_preflight_checked_blocks(run, strip):
    """An older or hand-made train report that records no hash of data the preflight checked: what was trained is
    unknown, so the tie cannot hold (and names the missing field)."""
    write_preflight(run)
    edit_json(run.train_report("sft"), lambda r: r["inputs"].pop(strip))
    c = _tie(run)
    assert c["status"] == "block" and f"sft/train_report.json records no inputs.{strip}" in c["why"]
    assert _tie(run, "research")["status"] == "warn"


def test_train_report_without_inputs_blocks(run):
    write_preflight(run)
    saved = run.train_report("sft").read_bytes()
    edit_json(run.train_report("sft"), lambda r: r["inputs"].update(sft_input_sha256=None))  # a null hash is as unknown as an absent one
    assert "records no inputs.sft_input_sha256" in _tie(run)["why"]
    run.train_report("sft").write_bytes(saved)
    edit_json(run.train_report("sft"), lambda r: r.pop("inputs"))
    c = _tie(run)
    assert c["status"] == "block" and "sft/train_report.json records no inputs" in c["why"]


def test_data_the_plan_names_but_neither_side_hashed_blocks(run):
    """A plan naming a dataset pack whose hash neither file records: the data checked and trained is unknown."""
    plan = {**_trained(run), "dataset_pack": "/somewhere/dataset_pack"}
    edit_json(run.train_report("sft"), lambda r: r.update(plan=plan, preflight={**r["preflight"], "plan_sha256": plan_fingerprint(plan)}))
    write_preflight(run, plan=plan)
    c = _tie(run)
    assert c["status"] == "block" and "names dataset_pack" in c["why"] and "dataset_pack_sha256" in c["why"]


def test_hashes_absent_on_both_sides_for_data_the_plan_does_not_name_pass(run):
    """No dataset pack or tokenizer in the plan: no hash is owed for them (the fixture records none)."""
    write_preflight(run)
    assert _tie(run)["status"] == "pass"


@pytest.mark.parametrize("strip, said", [
    (lambda r: r["preflight"].pop("plan_sha256"), "sft/train_report.json records no preflight.plan_sha256"),
    (lambda r: r.pop("preflight"), "sft/train_report.json records no preflight.plan_sha256"),
])
def test_train_report_that_does_not_say_which_preflight_it_ran_blocks(run, strip, said):
    """Every trainer records the fingerprint of the preflight it ran; a report without it (stripped, or an older
    hand-made one) cannot be tied to gates/preflight.json, whatever the plans say."""
    write_preflight(run)
    edit_json(run.train_report("sft"), strip)
    c = _tie(run)
    assert c["status"] == "block" and said in c["why"]
    assert _tie(run, "research")["status"] == "warn"


def test_train_report_without_the_preflight_status_it_ran_blocks_the_record(run):
    """A blocked preflight edited to read ready, with the status the train report recorded stripped too: the
    gate can no longer hold the file to what the run saw, so the record check blocks."""
    from picochat_hf.gates.release_checks import check_preflight

    write_preflight(run)
    rules = load_profile("skill_release")["release"]
    record = next(c for c in check_preflight(load_release_evidence(run), rules, "skill_release") if c["name"] == "preflight_record")
    assert record["status"] == "pass"
    for stage in ("sft", "base"):
        edit_json(run.train_report(stage), lambda r: r["preflight"].pop("status"))
    record = next(c for c in check_preflight(load_release_evidence(run), rules, "skill_release") if c["name"] == "preflight_record")
    assert record["status"] == "block" and "sft/train_report.json records no preflight.status" in record["why"]
