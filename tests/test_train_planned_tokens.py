"""A base run's preflight judges the tokens the run will train on, counted as its train report counts them.

The preflight's token budget read `planned_tokens` (steps x packed slots, padding included), while the release gate
reads the base report's `trained_tokens_seen` (real tokens for plain text, supervised tokens for conversation
shards): a plan passed the preflight on padding and user turns and the run it approved was blocked at release. The
plan now carries `planned_trained_tokens` (the sampler or shard stream replayed over the planned steps), and the
report of the run states the same number."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from train_fixtures import chat_rows, stub_preflight, tokenizer, write_rows

from picochat_hf.data import shards as sh
from picochat_hf.gates.preflight_checks import _base_budget, check_budget
from picochat_hf.training.config import PicochatPretrainConfig, parse_config
from picochat_hf.training.pretrain import run_pretrain

THRESHOLDS = {"compute_optimal": {"target_tokens_per_param": 1, "warn_below": 0.5, "warn_above": 4, "block_above_long": 8},
              "release_token_budget": {"enforce": True, "min_tokens_per_param": 1, "min_planned_to_target": 1.0}}


def _base_inputs(plan: dict, planned: int, params: int) -> SimpleNamespace:
    return SimpleNamespace(stage="base", plan=plan, planned=planned, params=params, t=THRESHOLDS, long=False)


def test_the_preflight_blocks_a_base_plan_whose_trained_tokens_miss_the_budget_that_its_slots_meet():
    inp = _base_inputs({"planned_trained_tokens": 600}, planned=1200, params=1000)
    budget = [c for c in check_budget(inp) if c["name"] == "release_token_budget"]
    assert budget[0]["status"] == "block" and budget[0]["value"] == 0.6, budget
    assert "Planned trained tokens" in budget[0]["why"] or "planned trained tokens" in budget[0]["why"]


def test_the_preflight_passes_a_base_plan_whose_trained_tokens_meet_the_budget():
    inp = _base_inputs({"planned_trained_tokens": 1100}, planned=1200, params=1000)
    budget = [c for c in check_budget(inp) if c["name"] == "release_token_budget"]
    assert budget[0]["status"] == "pass" and budget[0]["value"] == 1.1, budget


def test_a_planned_trained_count_above_the_slots_cannot_raise_the_budget():
    assert _base_budget(_base_inputs({"planned_trained_tokens": 5000}, planned=1200, params=1000))[0] == 1200
    assert _base_budget(_base_inputs({}, planned=1200, params=1000))[:1] == (1200,)  # an older plan: its slots


def _run(monkeypatch, tmp_path, **fields) -> dict:
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    calls = stub_preflight(monkeypatch)
    tok_dir = tmp_path / "tok"
    tokenizer().save_pretrained(tok_dir)
    cfg = {"tokenizer": str(tok_dir), "output_dir": str(tmp_path / "run" / "base"), "depth": 1, "max_length": 64,
           "per_device_train_batch_size": 2, "device_kind": "cpu", "max_steps": 2, "eval_strategy": "no",
           "learning_rate": 1e-3, **fields}
    path = tmp_path / "base.yaml"
    path.write_text(json.dumps(cfg), encoding="utf-8")
    out = run_pretrain(parse_config(PicochatPretrainConfig, ["--config", str(path)]))
    report = json.loads((out / "train_report.json").read_text())
    assert calls[0][0]["planned_trained_tokens"] == report["plan"]["planned_trained_tokens"]
    return report


def test_an_in_memory_base_run_plans_the_real_tokens_its_report_counts(monkeypatch, tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"text": f"the fox {i} jumps."}) + "\n" for i in range(40)), encoding="utf-8")
    report = _run(monkeypatch, tmp_path, documents=str(docs))
    plan = report["plan"]
    assert plan["planned_trained_tokens"] == report["trained_tokens_seen"] and plan["planned_trained_counted"] == "real"
    assert report["trained_tokens_seen"] < plan["planned_tokens"]  # the slots hold padding


def test_a_base_run_on_conversation_shards_plans_its_supervised_tokens(tmp_path):
    """The stream's plan replayed over the planned rows is what `_streamed_done` replays for the report."""
    from picochat_hf.training.plan_tokens import planned_streamed
    from picochat_hf.training.pretrain import _streamed_done
    from picochat_hf.training.stream import ShardStream, open_shards

    rows = write_rows(tmp_path / "rows.jsonl", chat_rows(sizes={"math": 24}))
    folder = sh.write_token_shards(rows, tokenizer(), tmp_path / "shards", shard_tokens=400, progress=False).parent
    stream = ShardStream(open_shards(folder, tokenizer()), split="train", seq_len=64, buffer_size=4)
    steps, rows_per_batch = 3, 2
    trainer = SimpleNamespace(args=SimpleNamespace(gradient_accumulation_steps=1, world_size=1),
                              state=SimpleNamespace(global_step=steps), _train_batch_size=rows_per_batch)
    done, _ = _streamed_done(trainer, stream)
    planned = planned_streamed(stream, steps * rows_per_batch)
    assert planned == {"planned_trained_tokens": done["supervised_tokens"], "planned_trained_counted": "supervised"}
    assert done["supervised_tokens"] < done["real_tokens"] <= steps * rows_per_batch * 64


@pytest.mark.parametrize("steps", [None, 3])
def test_the_config_preflight_plans_the_same_count_as_the_run(monkeypatch, tmp_path, steps):
    from picochat_hf.training.plan_steps import plan_with_epoch_steps

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"text": f"the fox {i} jumps."}) + "\n" for i in range(40)), encoding="utf-8")
    tok_dir = tmp_path / "tok"
    tokenizer().save_pretrained(tok_dir)
    cfg = {"documents": str(docs), "tokenizer": str(tok_dir), "output_dir": str(tmp_path / "run" / "base"), "depth": 1,
           "max_length": 64, "per_device_train_batch_size": 2, "device_kind": "cpu", "eval_strategy": "no",
           **({"max_steps": steps} if steps else {"num_train_epochs": 1})}
    path = tmp_path / "base.yaml"
    path.write_text(json.dumps(cfg), encoding="utf-8")
    plan, _ = plan_with_epoch_steps(path, "base")
    assert 0 < plan["planned_trained_tokens"] < plan["planned_tokens"], plan
    assert not (tmp_path / "run").exists()
