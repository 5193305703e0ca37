"""Can the demo's model learn one skill on its own? A probe for recipe research.

Trains a fresh demo-sized picochat (nanochat init) on only the SFT rows of the chosen skills or categories of a
finished demo run (its `tokenizer/` and `task_pack/`), with the assistant tokens supervised, rows packed
greedily into `--seq-len` token rows, AdamW with a short warmup, and bf16 autocast. At `--points` evenly spaced
steps it scores the run's held-out eval rows of the same skills through the demo's own eval path
(`eval.rows_eval.evaluate_rows`: letter logits for choice rows, greedy replies judged by the rules otherwise),
so "the skill does not learn in the mixture" can be told apart from "the skill does not learn at this size
and budget".

    python bench/skill_probe.py RUN_DIR choice [--steps 800 --lr 3e-3 --batch 16 --threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

import torch
from transformers import AutoTokenizer

from picochat_hf.demo import MODEL_PRESET, DemoConfig
from picochat_hf.eval.model_io import LoadedModel
from picochat_hf.eval.rows_eval import evaluate_rows
from picochat_hf.eval.scoring import default_scoring_config
from picochat_hf.modeling import PicochatForCausalLM, preset_config


def load_rows(path: Path, wanted: list[str]) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r for r in rows if r["skill"] in wanted or any(r["category"].startswith(w) for w in wanted)]


def encode(tok, row: dict) -> tuple[list[int], int]:
    """Token ids of the whole exchange and the length of its prompt part (everything before the reply)."""
    prompt = tok.apply_chat_template(row["messages"][:-1], add_generation_prompt=True, tokenize=True, return_dict=False)
    full = tok.apply_chat_template(row["messages"], tokenize=True, return_dict=False)
    return full, len(prompt)


def batch(data: list[tuple[list[int], int]], rows: int, seq_len: int, pad: int, rng: random.Random):
    ids = torch.full((rows, seq_len), pad)
    labels = torch.full((rows, seq_len), -100)
    for b in range(rows):
        at = 0
        while True:
            full, n_prompt = rng.choice(data)
            if at + len(full) > seq_len:
                break
            ids[b, at : at + len(full)] = torch.tensor(full)
            labels[b, at + n_prompt : at + len(full)] = torch.tensor(full[n_prompt:])
            at += len(full)
    return ids, labels


def score(model, tok, rows: list[dict], max_new_tokens: int) -> float:
    """Held-out pass rate through the demo's own eval path (`evaluate_rows`: letter logits for choice rows,
    greedy replies judged by the rules for the rest), as the skill-growth callback scores it."""
    model.eval()
    loaded = LoadedModel(model, tok, "<probe>", "<probe>", "cpu", "as trained")
    results = evaluate_rows(loaded, rows, default_scoring_config(), max_new_tokens=max_new_tokens, batch_size=32,
                            progress=False)
    model.train()
    return sum(r["passed"] for r in results) / max(1, len(results))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", type=Path, help="a finished demo run (tokenizer/ and task_pack/)")
    ap.add_argument("skills", help="comma-separated skills or category prefixes, e.g. choice or spelling_first")
    ap.add_argument("--steps", type=int, default=800)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq-len", type=int, default=256)
    ap.add_argument("--points", type=int, default=4)
    ap.add_argument("--eval-rows", type=int, default=100)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    wanted = args.skills.split(",")
    tok = AutoTokenizer.from_pretrained(args.run_dir / "tokenizer")
    pack = args.run_dir / "task_pack"
    train = load_rows(next(pack.glob("chat_task_mixture_*.jsonl")), wanted)
    held = load_rows(next(pack.glob("eval_task_mixture_*.jsonl")), wanted)[: args.eval_rows]
    data = [encode(tok, r) for r in train]
    cfg = DemoConfig()
    model = PicochatForCausalLM(preset_config(MODEL_PRESET, len(tok), **cfg.model_fields()))
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95), weight_decay=0.0)
    print(f"{args.skills}: {len(train)} SFT rows ({sum(len(d[0]) for d in data) / len(data):.0f} tokens each), "
          f"{len(held)} held-out eval rows; load {os.getloadavg()[0]:.2f}", flush=True)
    start = time.perf_counter()
    every = max(1, args.steps // args.points)
    for step in range(1, args.steps + 1):
        for group in opt.param_groups:
            group["lr"] = args.lr * min(1.0, step / 20)
        ids, labels = batch(data, args.batch, args.seq_len, tok.pad_token_id or 0, rng)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        if step % every == 0 or step == args.steps:
            rate = score(model, tok, held, cfg.eval_max_new_tokens)
            print(f"step {step:5d}  train loss {loss.item():.3f}  held-out pass {rate:.1%}  "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
