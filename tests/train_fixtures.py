"""Tiny models, tokenizer and chat rows shared by the training tests (built once per session, offline)."""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

from picochat_hf import PicochatConfig, PicochatForCausalLM
from picochat_hf.data import default_corpus
from picochat_hf.tokenizer import train_tokenizer

CATEGORY_SIZES = {"math": 40, "identity": 12, "spelling": 4}


# The corpus reader as it was at import (collection, before any test ran): a test that monkeypatches the embedded
# corpus (tests/test_gates_*_corpus.py make it one document or none) and happens to be the first of its worker to ask
# for `tokenizer()` would otherwise train the shared tokenizer on that, and every later test on the worker would see
# longer encodings (the packing tests then fail with "assert 10 < 10").
_EMBEDDED_DOCUMENTS = default_corpus.iter_default_documents
VOCAB_SIZE = 384


def embedded_texts(max_documents: int):
    """The first documents of the embedded corpus, read as it was at collection (conftest's tokenizer uses it too)."""
    return (d["text"] for d in _EMBEDDED_DOCUMENTS(max_documents=max_documents))


@lru_cache(maxsize=1)
def tokenizer():
    import os

    tok = train_tokenizer(embedded_texts(60), vocab_size=VOCAB_SIZE)
    if len(tok) != VOCAB_SIZE:  # a corpus too small to fill the vocabulary: not the fixture every test assumes
        raise RuntimeError(f"train_fixtures.tokenizer() has {len(tok)} tokens, not {VOCAB_SIZE} "
                           f"(first built in {os.environ.get('PYTEST_CURRENT_TEST')})")
    return tok


def chat_rows(seed: int = 0, sizes: dict[str, int] = CATEGORY_SIZES) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for cat, n in sizes.items():
        for i in range(n):
            a, b = rng.randint(1, 99), rng.randint(1, 99)
            tail = " ".join(rng.choice(["yes", "the", "sum", "is", "right"]) for _ in range(rng.randint(1, 25)))
            msgs = [{"role": "user", "content": f"What is {a} plus {b}?"}, {"role": "assistant", "content": f"{a + b}. {tail}"}]
            if i % 5 == 0:  # some two-turn conversations
                msgs += [{"role": "user", "content": "Sure?"}, {"role": "assistant", "content": "Yes."}]
            rows.append({"id": f"{cat}-{i}", "category": cat, "skill": "general", "split": "train", "source": "test", "messages": msgs})
    return rows


def write_rows(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def picochat_model(seed: int = 0) -> PicochatForCausalLM:
    import torch

    tok = tokenizer()
    torch.manual_seed(seed)
    cfg = PicochatConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                         max_position_embeddings=256, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                         pad_token_id=tok.pad_token_id)
    return PicochatForCausalLM(cfg)


def llama_model(seed: int = 0, attn: str = "sdpa"):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tok = tokenizer()
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                      num_key_value_heads=1, max_position_embeddings=256, bos_token_id=tok.bos_token_id,
                      eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, attn_implementation=attn)
    return LlamaForCausalLM(cfg)


def gpt2_model(seed: int = 0):
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    tok = tokenizer()
    torch.manual_seed(seed)
    cfg = GPT2Config(vocab_size=len(tok), n_embd=32, n_layer=2, n_head=2, n_positions=256, bos_token_id=tok.bos_token_id,
                     eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    return GPT2LMHeadModel(cfg)


def save_model_dir(model, path: Path) -> Path:
    model.save_pretrained(path)
    tokenizer().save_pretrained(path)
    return path


def stub_preflight(monkeypatch, status: str = "ready") -> list:
    """Replace the preflight gate with a stub returning `status`; returns the list of calls it receives.

    Training tests use it so their outcome does not hang on the gate's thresholds; the gate itself is
    exercised by `test_real_preflight_gate_is_called_and_recorded`.
    """
    import sys
    import types

    calls: list = []
    module = types.ModuleType("picochat_hf.gates.preflight")

    def run_preflight(plan, run_dir, profile):
        calls.append((plan, run_dir, profile))
        blocked = status == "blocked"
        return {"status": status, "profile": profile,
                "checks": [{"name": "tokens_per_parameter", "status": "block" if blocked else "pass",
                            "value": 0.01, "threshold": 1.0, "why": "far too few tokens"}]}

    module.run_preflight = run_preflight
    monkeypatch.setitem(sys.modules, "picochat_hf.gates.preflight", module)
    return calls


# ---- the SFT training tests' argv (test_train_sft.py, test_training_muon.py; their fixtures ready_preflight and
# sft_workdir are in conftest.py)


def sft_argv(d: Path, out: Path, *extra: str) -> list[str]:
    """`run_sft`'s argv on `sft_workdir` `d`, writing to `out`: a few CPU steps' settings, then `extra`."""
    return ["--input", str(d / "train.jsonl"), "--checkpoint", str(d / "base"), "--output_dir", str(out),
            "--max_length", "128", "--per_device_train_batch_size", "2", "--learning_rate", "3e-3",
            "--warmup_steps", "1", "--device_kind", "cpu", "--seed", "3", *extra]
