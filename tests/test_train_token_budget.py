"""The token budget counts the tokens a run trained on: supervised (label) tokens for data with supervision masks,
every real token for plain text. A base run on conversation shards recorded its user turns in `real_tokens_seen`,
and every budget reader read that field: 120 tokens claimed where 7 were trained on."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from train_fixtures import chat_rows, tokenizer, write_rows

from picochat_hf.data import shards as sh
from picochat_hf.gates.preflight_checks import _base_budget
from picochat_hf.gates.release_checks import check_token_budget
from picochat_hf.training.stream import ShardStream, open_shards
from picochat_hf.utils.trained_tokens import trained_count, trained_tokens

CONVERSATION_BASE = {"num_parameters": 1, "real_tokens_seen": 120, "supervised_tokens_seen": 7, "trained_tokens_seen": 7,
                     "trained_tokens_counted": "supervised", "planned_tokens": 120}
PLAIN_BASE = {"num_parameters": 1, "real_tokens_seen": 120, "supervised_tokens_seen": 118, "trained_tokens_seen": 120,
              "trained_tokens_counted": "real", "planned_tokens": 120}
RULES = {"missing_evidence": "block", "token_budget": {"severity": "block"}}
BUDGET = {"enforce": True, "min_tokens_per_param": 20, "min_planned_to_target": 1.0}


def _trainer_at(step: int, rows: int):
    args = SimpleNamespace(gradient_accumulation_steps=1, world_size=1)
    return SimpleNamespace(args=args, state=SimpleNamespace(global_step=step), _train_batch_size=rows)


def _release(base: dict) -> list:
    ev = SimpleNamespace(train={"base": base}, weights=False, checkpoint=None)
    return check_token_budget(ev, RULES, "release", BUDGET, True)


def test_a_streamed_run_on_conversation_shards_trains_on_its_supervised_tokens(tmp_path):
    from picochat_hf.training.pretrain import _streamed_done

    rows = write_rows(tmp_path / "rows.jsonl", chat_rows(sizes={"math": 12}))
    folder = sh.write_token_shards(rows, tokenizer(), tmp_path / "shards", shard_tokens=300, progress=False).parent
    stream = ShardStream(open_shards(folder, tokenizer()), split="train", seq_len=64, buffer_size=4)
    done, _ = _streamed_done(_trainer_at(3, 2), stream)
    assert done["masked"] and done["supervised_tokens"] < done["real_tokens"]
    assert trained_count(done, masked=done["masked"]) == (done["supervised_tokens"], "supervised")


def test_a_streamed_run_on_document_shards_still_counts_every_real_token(tmp_path):
    from picochat_hf.training.pretrain import _streamed_done

    docs = [{"id": f"d{i}", "text": f"the fox {i} jumps over the lazy dog."} for i in range(20)]
    manifest = sh.write_document_shards(docs, tokenizer(), tmp_path / "docs", source="t", val_fraction=0.0, progress=False)
    stream = ShardStream(open_shards(manifest.parent, tokenizer()), split="train", seq_len=32, buffer_size=4)
    done, _ = _streamed_done(_trainer_at(2, 2), stream)
    assert not done["masked"]
    assert trained_count(done, masked=done["masked"]) == (done["real_tokens"], "real")


def test_the_release_gate_judges_a_conversation_base_run_on_its_trained_tokens():
    (found,) = _release(CONVERSATION_BASE)
    assert found["status"] == "block" and found["value"] == 7, found
    assert "7 tokens" in found["why"]


def test_the_release_gate_passes_a_plain_text_base_run_on_its_real_tokens():
    (found,) = _release(PLAIN_BASE)
    assert found["status"] == "pass" and found["value"] == 120, found
    legacy = {k: v for k, v in PLAIN_BASE.items() if k not in ("trained_tokens_seen", "supervised_tokens_seen")}
    (found,) = _release(legacy)  # a report from before the field, with no supervised count: its real tokens
    assert found["status"] == "pass" and found["value"] == 120, found


def test_the_preflight_reads_the_base_runs_trained_tokens():
    inp = SimpleNamespace(stage="sft", base_report=CONVERSATION_BASE, params=1, planned=None)
    assert _base_budget(inp)[0] == 7
    inp = SimpleNamespace(stage="sft", base_report=PLAIN_BASE, params=1, planned=None)
    assert _base_budget(inp)[0] == 120


@pytest.mark.parametrize("report,expected", [
    (CONVERSATION_BASE, (7, "trained_tokens_seen")),
    (PLAIN_BASE, (120, "trained_tokens_seen")),
    ({"real_tokens_seen": 120, "supervised_tokens_seen": 7}, (7, "supervised_tokens_seen")),  # before the field
    ({"real_tokens_seen": 120}, (120, "real_tokens_seen")),
    ({"real_tokens_seen": 120, "supervised_tokens_seen": 118, "data": {"path": "in_memory"}}, (120, "real_tokens_seen")),
    ({**CONVERSATION_BASE, "trained_tokens_seen": 10 ** 9}, (120, "real_tokens_seen")),  # more than it read
    ({"real_tokens_seen": True}, (None, "trained_tokens_seen")),
    ({}, (None, "trained_tokens_seen")),
], ids=["conversations", "plain", "legacy-masked", "legacy-plain", "legacy-documents", "inflated", "bool", "none"])
def test_every_budget_reader_reads_one_count(report, expected):
    assert trained_tokens(report) == expected


def test_the_run_report_and_card_read_the_trained_tokens(tmp_path):
    from picochat_hf.export.bundle_claims import summary_numbers

    summary = summary_numbers({}, CONVERSATION_BASE, {})
    assert summary["real_tokens_per_parameter"] == 7
    assert summary["sources"]["real_tokens_per_parameter"].startswith("base/train_report.json trained_tokens_seen")


@pytest.mark.parametrize("masked,trained,counted", [(True, 7, "supervised"), (False, 120, "real")])
def test_the_train_report_records_the_tokens_trained_on(masked, trained, counted):
    from picochat_hf.training.common import build_train_report

    args = SimpleNamespace(gradient_accumulation_steps=1, world_size=1)
    trainer = SimpleNamespace(args=args, state=SimpleNamespace(global_step=2, log_history=[{"loss": 1.0}]))
    sampler = SimpleNamespace(categories=["document"], sampling="uniform", packing="bos_bestfit")
    done = {"real_tokens": 120, "supervised_tokens": 7, "slots": 128, "draws_by_category": {"document": 2}}
    plan = {"num_parameters": 10, "tokens_per_step": 64, "planned_tokens": 128, "max_steps": 2}
    report = build_train_report(stage="base", trainer=trainer, sampler=sampler, supervised=[], plan=plan, preflight={},
                                data={}, wall_time_s=1.0, final_eval=None, masked=masked, done=done)
    assert (report["trained_tokens_seen"], report["trained_tokens_counted"]) == (trained, counted)
    assert report["real_tokens_seen"] == 120 and report["supervised_tokens_seen"] == 7  # both still recorded
    assert report["tokens_per_parameter"]["trained"] == trained / 10
    assert trained_tokens(report) == (trained, "trained_tokens_seen")
