"""Base pretraining: document pieces, validation loss + bits per byte, best and last checkpoints."""

from __future__ import annotations

import json
import math

import pytest
import torch
from train_fixtures import stub_preflight, tokenizer

from picochat_hf.cli import main as cli_main
from picochat_hf.training.callbacks import read_metrics
from picochat_hf.training.pretrain import is_validation
from picochat_hf.training.tokenize import tokenize_documents
from picochat_hf.training.trainer import token_byte_lengths


@pytest.fixture(autouse=True)
def ready_gate(monkeypatch):
    stub_preflight(monkeypatch, "ready")


def test_documents_split_into_bos_led_pieces_without_losing_tokens():
    tok = tokenizer()
    text = "The quick brown fox jumps over the lazy dog. " * 20
    ts = tokenize_documents([text, "short one"], tok, seq_len=32)
    full = tok(text)["input_ids"]
    pieces = [ts.dataset[i]["input_ids"] for i in range(len(ts.lengths))]
    assert pieces[0][0] == tok.bos_token_id and all(len(p) <= 32 for p in pieces)
    assert sum(len(p) for p in pieces[:-1]) == len(full)  # the long document, all of it, in order
    assert [t for p in pieces[:-1] for t in p] == full
    assert ts.stats.truncated == 1 and ts.stats.kept == 2


def test_token_bytes_sum_to_the_text_bytes():
    tok = tokenizer()
    text = "Héllo wörld, naïve café — 12+30=42."
    ids = tok(text, add_special_tokens=False)["input_ids"]
    table = token_byte_lengths(tok)
    assert table[ids].sum().item() == len(text.encode("utf-8"))
    assert table[tok.bos_token_id] == 0


def test_validation_split_is_stable_and_about_the_right_size():
    # distinct texts: the split is keyed by text, so 2000 copies of one text (the old fixture) all share one split
    docs = [{"id": f"d{i}", "text": f"document number {i}"} for i in range(2000)]
    chosen = [is_validation(d, 0.1) for d in docs]
    assert chosen == [is_validation(d, 0.1) for d in docs]
    assert 150 < sum(chosen) < 250


def test_pretrain_writes_curves_best_and_last(tmp_path):
    from picochat_hf.data.dataset_pack import import_dataset_pack
    from picochat_hf.data.default_corpus import iter_default_documents

    tok = tokenizer()
    tok_dir = tmp_path / "tok"
    tok.save_pretrained(tok_dir)
    pack = import_dataset_pack(None, tmp_path / "pack", documents=iter_default_documents(max_documents=12), progress=False)
    out = tmp_path / "run" / "base"
    rc = cli_main(["train", "base", "--dataset-pack", str(pack), "--tokenizer", str(tok_dir), "--out-dir", str(out),
                   "--preset", "cpu-tiny", "--seq-len", "128", "--batch-size", "4", "--steps", "8", "--eval-steps", "4",
                   "--learning-rate", "3e-3", "--lr-warmup-steps", "1", "--device", "cpu", "--val-fraction", "0.1"])
    assert rc == 0
    metrics = read_metrics(out / "metrics.jsonl")
    evals = [m for m in metrics if "eval_loss" in m]
    assert [m["step"] for m in evals][:2] == [4, 8]
    # recompute the validation targets and their bytes independently
    val_texts = [d["text"] for d in iter_default_documents(max_documents=12) if is_validation(d, 0.1)]
    val = tokenize_documents(val_texts, tok, seq_len=128)
    table = token_byte_lengths(tok)
    targets = [t for ids in val.dataset["input_ids"] for t in ids[1:]]
    n_bytes = table[targets].sum().item()
    for m in evals:
        assert m["eval_target_tokens"] == len(targets)
        assert m["eval_bpb"] == pytest.approx(m["eval_loss"] * len(targets) / (math.log(2) * n_bytes), rel=1e-9)
    report = json.loads((out / "train_report.json").read_text())
    assert report["stage"] == "base" and report["steps"] == 8
    assert report["packing_utilisation"] > 0.9  # documents pieces fill rows
    # plain text trains on every token it reads: the budget's count is its real tokens, as before
    assert (report["trained_tokens_seen"], report["trained_tokens_counted"]) == (report["real_tokens_seen"], "real")
    best = report["best_checkpoint"]
    assert best["loss"] == min(m["eval_loss"] for m in evals)
    assert (out / "best_checkpoint" / "config.json").exists() and (out / "checkpoint" / "config.json").exists()
    assert report["validation_curve"] and report["data"]["validation_documents"] >= 1
    from transformers import AutoModelForCausalLM

    last = AutoModelForCausalLM.from_pretrained(out / "checkpoint")
    assert last.config.model_type == "picochat"
    with torch.no_grad():
        assert torch.isfinite(last(torch.tensor([[tok.bos_token_id, 10, 11]])).logits).all()

