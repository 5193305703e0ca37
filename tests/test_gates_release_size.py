"""The parameter count every budget claim divides by is the released model's: counted from the tensors of the
released weights, not read from the preflight or the train reports (a preflight planned for a smaller model, or
a report edited to a larger count, makes tokens per parameter look better)."""

from __future__ import annotations

import pytest
import torch
from gate_fixtures import PARAMS, build_chain, check_named, edit_json, fake_weights, write_preflight
from safetensors.torch import save_file

from picochat_hf.gates import run_release_gate
from picochat_hf.gates.release_size import count_parameters
from picochat_hf.run_dir import RunDir


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    return RunDir(build_chain(tmp_path_factory.mktemp("size")))


@pytest.fixture
def run(chain):
    files = [chain.preflight, chain.train_report("sft"), chain.train_report("base"), chain.released_checkpoint / "model.safetensors"]
    saved = {p: p.read_bytes() for p in files}
    yield chain
    for p, data in saved.items():
        p.write_bytes(data)


def _size(run: RunDir, profile: str = "skill_release") -> dict:
    return check_named(run_release_gate(run, profile, write=False), "released_parameters")


def test_count_reads_every_tensor_of_every_weight_file(tmp_path):
    assert count_parameters(fake_weights(tmp_path / "a")) == PARAMS
    folder = tmp_path / "sharded"
    folder.mkdir()
    save_file({"a": torch.zeros(3, 4), "s": torch.tensor(1.0)}, str(folder / "model-00001-of-00002.safetensors"))
    save_file({"b": torch.zeros(5)}, str(folder / "model-00002-of-00002.safetensors"))
    assert count_parameters(folder) == 12 + 1 + 5
    assert count_parameters(tmp_path / "nowhere") is None


def test_records_that_agree_with_the_released_weights_pass(run):
    c = _size(run)
    assert c["status"] == "pass" and c["value"] == PARAMS and f"{PARAMS:,}" in c["why"]


def test_preflight_planned_for_a_smaller_model_blocks(run):
    """The preflight, the SFT report and its plan all say 500 parameters (made to agree with each other); the
    released weights hold 1,000."""
    def smaller(r):
        r["plan"].update(num_parameters=500)
        r["num_parameters"] = 500
    edit_json(run.train_report("sft"), smaller)
    write_preflight(run)
    c = _size(run)
    assert c["status"] == "block" and c["value"] == PARAMS
    assert "gates/preflight.json" in c["why"] and "500" in c["why"] and "1,000" in c["why"]
    assert _size(run, "research")["status"] == "warn"


@pytest.mark.parametrize("where, field", [("base", "num_parameters"), ("sft", "num_parameters")])
def test_train_report_with_another_count_blocks(run, where, field):
    edit_json(run.train_report(where), lambda r: r.update({field: 2 * PARAMS}))
    c = _size(run)
    assert c["status"] == "block" and f"{where}/train_report.json" in c["why"] and "2,000" in c["why"]


def test_larger_base_count_cannot_shrink_the_token_budget_claim(run):
    """A base report whose count was edited down makes tokens per parameter look better; the budget divides by the
    released model's own count."""
    edit_json(run.train_report("base"), lambda r: r.update(num_parameters=PARAMS // 2, real_tokens_seen=10 * PARAMS))
    result = run_release_gate(run, "skill_release", write=False)
    budget = check_named(result, "token_budget")
    assert budget["status"] == "block" and budget["value"] == pytest.approx(10.0)  # 10,000 tokens / 1,000 counted parameters
    assert check_named(result, "released_parameters")["status"] == "block" and result["status"] == "blocked"


def test_report_without_a_count_blocks(run):
    edit_json(run.train_report("base"), lambda r: r.pop("num_parameters"))
    c = _size(run)
    assert c["status"] == "block" and "base/train_report.json records no num_parameters" in c["why"]


def test_released_weights_that_grew_block(run):
    """Same records, a larger model released under them (weights swapped; the chain checks block too, and this one
    says why the budget no longer holds)."""
    save_file({"w": torch.zeros(4 * PARAMS)}, str(run.released_checkpoint / "model.safetensors"))
    c = _size(run)
    assert c["status"] == "block" and c["value"] == 4 * PARAMS and "4,000" in c["why"]


def test_weights_whose_tensors_cannot_be_counted_block(run):
    (run.released_checkpoint / "model.safetensors").write_bytes(b"not safetensors")
    assert _size(run)["status"] == "block"
