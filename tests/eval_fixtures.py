"""Tiny non-picochat models for the eval tests: a Llama and a GPT-2 built from config, plus rows."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM

from picochat_hf.eval.model_io import LoadedModel


def _ids(tok) -> dict:
    return {"bos_token_id": tok.bos_token_id, "eos_token_id": tok.eos_token_id, "pad_token_id": tok.pad_token_id}


def llama_model(tok, seed: int = 0) -> LlamaForCausalLM:
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                      num_key_value_heads=1, max_position_embeddings=512, **_ids(tok))  # fmt: skip
    return LlamaForCausalLM(cfg).eval()


def gpt2_model(tok, seed: int = 0) -> GPT2LMHeadModel:
    torch.manual_seed(seed)
    cfg = GPT2Config(vocab_size=len(tok), n_embd=32, n_layer=2, n_head=2, n_positions=512, **_ids(tok))
    return GPT2LMHeadModel(cfg).eval()


def tiny_llama(tok, seed: int = 0) -> LoadedModel:
    return LoadedModel(llama_model(tok, seed), tok, "tiny-llama", "tiny-llama", "cpu", "fp32")


def save_checkpoint(model, tok, folder: Path) -> Path:
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def chat_row(i: int, question: str, **rules) -> dict:
    return {"id": f"r{i}", "messages": [{"role": "user", "content": question}], "category": rules.pop("category", "general"),
            "skill": rules.pop("skill", "general"), "split": "eval", "source": "test", **rules}  # fmt: skip
