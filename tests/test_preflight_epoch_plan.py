"""`picochat gate preflight --config` on a run set by epochs plans the steps the trainer counts, not `max_steps: null`."""

from __future__ import annotations

import json
import sys
import types

import pytest
import yaml

from picochat_hf.cli import main as cli_main
from picochat_hf.training.config import PicochatPretrainConfig, PicochatSFTConfig, parse_config


class _Stop(Exception):
    """Raised by the stub gate: the trainer's plan is captured and nothing trains."""


def _capture_plans(monkeypatch, stop: bool) -> list:
    plans: list = []
    module = types.ModuleType("picochat_hf.gates.preflight")

    def run_preflight(plan, run_dir, profile):
        plans.append(json.loads(json.dumps(plan)))
        if stop:
            raise _Stop
        return {"status": "ready", "profile": profile, "checks": []}

    module.run_preflight = run_preflight
    monkeypatch.setitem(sys.modules, "picochat_hf.gates.preflight", module)
    return plans


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    from train_fixtures import chat_rows, picochat_model, save_model_dir, tokenizer, write_rows

    from picochat_hf.data.default_corpus import iter_default_documents

    root = tmp_path_factory.mktemp("epoch_plan")
    rows = write_rows(root / "rows.jsonl", chat_rows(0, {"math": 6}))
    base = save_model_dir(picochat_model(), root / "base")
    docs = root / "docs.jsonl"
    docs.write_text("".join(json.dumps({"text": d["text"][:400]}) + "\n" for d in iter_default_documents(max_documents=8)))
    tokenizer().save_pretrained(root / "tok")
    return {"rows": str(rows), "base": str(base), "docs": str(docs), "tok": str(root / "tok")}


def _yaml(tmp_path, name: str, fields: dict) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(fields), encoding="utf-8")
    return str(path)


def _preflight_plan(monkeypatch, path: str) -> dict:
    plans = _capture_plans(monkeypatch, stop=False)
    assert cli_main(["gate", "preflight", "--config", path, "--no-write"]) == 0
    return plans[0]


def _trainer_plan(monkeypatch, run, cls, path: str) -> dict:
    plans = _capture_plans(monkeypatch, stop=True)
    with pytest.raises(_Stop):
        run(parse_config(cls, ["--config", path]))
    return plans[0]


def test_an_sft_epoch_yaml_plans_the_trainers_steps(inputs, tmp_path, monkeypatch):
    from picochat_hf.training.sft import run_sft

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    path = _yaml(tmp_path, "sft_epochs.yaml", {
        "input": inputs["rows"], "checkpoint": inputs["base"], "output_dir": str(tmp_path / "runs" / "r" / "sft"),
        "max_length": 128, "per_device_train_batch_size": 2, "device_kind": "cpu", "num_train_epochs": 3, "warmup_steps": 1})
    planned = _preflight_plan(monkeypatch, path)
    assert not (tmp_path / "runs").exists()  # counting the steps writes nothing where the run will go
    trained = _trainer_plan(monkeypatch, run_sft, PicochatSFTConfig, path)
    assert planned == trained
    assert planned["max_steps"] == 9 and planned["planned_tokens"] == 9 * planned["tokens_per_step"]  # 3 batches an epoch
    assert planned["num_train_epochs"] == 3.0


def test_a_base_epoch_yaml_plans_the_trainers_steps(inputs, tmp_path, monkeypatch):
    from picochat_hf.training.pretrain import run_pretrain

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    path = _yaml(tmp_path, "pretrain_epochs.yaml", {
        "documents": inputs["docs"], "tokenizer": inputs["tok"], "output_dir": str(tmp_path / "runs" / "b" / "base"), "depth": 1,
        "max_length": 64, "per_device_train_batch_size": 8, "device_kind": "cpu", "num_train_epochs": 1, "eval_strategy": "no"})
    planned = _preflight_plan(monkeypatch, path)
    assert not (tmp_path / "runs").exists()
    trained = _trainer_plan(monkeypatch, run_pretrain, PicochatPretrainConfig, path)
    assert planned == trained and planned["max_steps"] == 3 and planned["planned_tokens"] == 3 * 8 * 64


def test_a_warmup_longer_than_the_counted_epoch_run_is_refused_by_the_preflight(inputs, tmp_path, monkeypatch, capsys):
    """The trainer refuses it once the steps are counted; the preflight of the same YAML says so, not `ready`."""
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    path = _yaml(tmp_path, "sft_epochs.yaml", {
        "input": inputs["rows"], "checkpoint": inputs["base"], "output_dir": str(tmp_path / "runs" / "r" / "sft"),
        "max_length": 128, "per_device_train_batch_size": 2, "device_kind": "cpu", "num_train_epochs": 1, "warmup_steps": 50})
    plans = _capture_plans(monkeypatch, stop=False)
    assert cli_main(["gate", "preflight", "--config", path]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "warmup_steps" in err[0] and not plans and not (tmp_path / "runs").exists()


def test_a_step_budget_yaml_still_plans_without_reading_rows(inputs, tmp_path, monkeypatch):
    """max_steps given: the plan is sized on the meta device as before (no rows needed to count anything)."""
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    path = _yaml(tmp_path, "sft_steps.yaml", {
        "input": str(tmp_path / "absent.jsonl"), "checkpoint": inputs["base"], "output_dir": str(tmp_path / "runs" / "r" / "sft"),
        "max_length": 128, "per_device_train_batch_size": 2, "device_kind": "cpu", "max_steps": 4})
    planned = _preflight_plan(monkeypatch, path)
    assert planned["max_steps"] == 4 and planned["planned_tokens"] == 4 * 2 * 128 and planned["num_train_epochs"] is None


def test_a_dpo_config_is_refused_as_one_naming_its_dpo_key(tmp_path, capsys):
    """`gate preflight --config dpo.yaml` was read as an SFT plan and failed on `beta` as an unknown field."""
    path = _yaml(tmp_path, "prefs.yaml", {"input": "p.jsonl", "checkpoint": "c", "output_dir": str(tmp_path / "d"), "beta": 0.1,
                                          "max_steps": 5})
    assert cli_main(["gate", "preflight", "--config", path, "--no-write"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "DPO config" in err[0] and "'beta'" in err[0] and f"{path}:" in err[0] and "unknown" not in err[0]


def test_a_pretraining_config_is_planned_as_base_whatever_its_file_name(inputs, tmp_path, monkeypatch):
    """A base-run YAML named without "pretrain"/"base" was read as an SFT plan and failed on `depth` as unknown."""
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    path = _yaml(tmp_path, "my_run.yaml", {
        "documents": inputs["docs"], "tokenizer": inputs["tok"], "output_dir": str(tmp_path / "runs" / "b" / "base"), "depth": 1,
        "max_length": 64, "per_device_train_batch_size": 8, "device_kind": "cpu", "max_steps": 3})
    planned = _preflight_plan(monkeypatch, path)
    assert planned["stage"] == "base" and planned["max_steps"] == 3
