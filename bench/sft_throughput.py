"""Real (non-pad) tokens per second of SFT: ours vs TRL's SFTTrainer with padding vs TRL's BFD padding-free.

Same model (a small picochat), same pre-tokenised conversations, same optimizer settings; the three
trainers run in alternating rounds inside one process so machine noise hits all of them alike. Each
measurement times `--steps` optimizer steps after `--warmup` steps and counts the real tokens of the
batches those steps consumed (pad tokens excluded). Both wall-clock and this process's CPU time are
reported: on a shared machine the CPU-time ratio is the steadier one.

    python bench/sft_throughput.py                  # CPU, short
    python bench/sft_throughput.py --device cuda --hidden 512 --layers 8 --seq-len 2048 --steps 30

Methods
- ours:     PackedSFTTrainer + PackingCollator(bos_bestfit): R rows x T tokens, block-diagonal attention.
- trl-pad:  SFTTrainer, pre-tokenised rows, default collator: B conversations padded to the longest.
- trl-bfd:  SFTTrainer(packing=True, packing_strategy="bfd"): bins of T tokens, padding-free (one flat row).
Per-step token budgets are matched: B = R x T / mean conversation length.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import statistics
import tempfile
import time
from typing import Any

import torch
from datasets import Dataset
from transformers import TrainerCallback
from trl import SFTConfig, SFTTrainer

from picochat_hf import PicochatConfig, PicochatForCausalLM
from picochat_hf.data.default_corpus import default_texts
from picochat_hf.tokenizer import train_tokenizer
from picochat_hf.training.packing import PackingCollator
from picochat_hf.training.tokenize import tokenize_conversations
from picochat_hf.training.trainer import PackedSFTTrainer


class StepClock(TrainerCallback):
    """Wall time and this process's CPU time at the end of every optimizer step."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.wall.append(time.perf_counter())
        self.cpu.append(time.process_time())


def count_tokens(inputs: dict) -> int:
    if "num_real_tokens" in inputs:
        return int(inputs["num_real_tokens"])
    if "attention_mask" in inputs:
        return int(inputs["attention_mask"].sum())
    return int(inputs["input_ids"].numel())  # padding-free: one flat row of real tokens


def make_rows(n: int, median_words: float, seed: int) -> list[dict]:
    rng = random.Random(seed)
    words = " ".join(itertools.islice(default_texts(), 50)).split()
    rows = []
    for i in range(n):
        q = " ".join(rng.choice(words) for _ in range(max(3, int(rng.lognormvariate(math.log(median_words / 4), 0.6)))))
        a = " ".join(rng.choice(words) for _ in range(max(2, int(rng.lognormvariate(math.log(median_words), 0.8)))))
        rows.append({"id": str(i), "category": rng.choice(["a", "b", "c"]), "messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]})
    return rows


def build(method: str, model: Any, tok: Any, ds: Dataset, cats: list[str], a: argparse.Namespace, mean_len: float, out: str) -> Any:
    common = dict(output_dir=out, max_steps=a.warmup + a.steps, learning_rate=1e-3, lr_scheduler_type="constant", logging_steps=10**6,
                  save_strategy="no", report_to="none", use_cpu=a.device == "cpu", bf16=a.bf16, gradient_checkpointing=False,
                  dataloader_pin_memory=False, disable_tqdm=True, seed=a.seed, max_length=a.seq_len)
    if method == "ours":
        args = SFTConfig(per_device_train_batch_size=a.rows, dataset_kwargs={"skip_prepare_dataset": True}, **common)
        return PackedSFTTrainer(model=model, args=args, data_collator=PackingCollator(tok.pad_token_id, a.seq_len), train_dataset=ds,
                                processing_class=tok, train_categories=cats, sampling="uniform")
    if method == "trl-pad":
        batch = max(1, round(a.rows * a.seq_len / mean_len))
        args = SFTConfig(per_device_train_batch_size=batch, **common)
        return SFTTrainer(model=model, args=args, train_dataset=ds, processing_class=tok)
    args = SFTConfig(per_device_train_batch_size=a.rows, packing=True, packing_strategy="bfd", **common)
    return SFTTrainer(model=model, args=args, train_dataset=ds, processing_class=tok)


def measure(trainer: Any, a: argparse.Namespace) -> tuple[float, float]:
    """(real tokens per wall second, real tokens per CPU second of this process)."""
    clock = StepClock()
    trainer.add_callback(clock)
    tokens: list[int] = []
    step = trainer.training_step

    def counting_step(model: Any, inputs: dict, *rest: Any, **kw: Any) -> Any:
        tokens.append(count_tokens(inputs))
        return step(model, inputs, *rest, **kw)

    trainer.training_step = counting_step
    trainer.train()
    ga = trainer.args.gradient_accumulation_steps
    timed = tokens[a.warmup * ga : (a.warmup + a.steps) * ga]
    first, last = a.warmup - 1, len(clock.wall) - 1
    return sum(timed) / (clock.wall[last] - clock.wall[first]), sum(timed) / (clock.cpu[last] - clock.cpu[first])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows-data", type=int, default=1500, help="conversations")
    ap.add_argument("--median-words", type=float, default=40)
    ap.add_argument("--vocab", type=int, default=1024)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--seq-len", type=int, default=512)
    ap.add_argument("--rows", type=int, default=4, help="rows per micro-batch (ours, trl-bfd)")
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--bf16", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 keeps CPU time free of OpenMP spin-waits)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    tok = train_tokenizer(itertools.islice(default_texts(), 80), vocab_size=a.vocab)
    ts = tokenize_conversations(make_rows(a.rows_data, a.median_words, a.seed), tok, seq_len=a.seq_len)
    mean_len = sum(ts.lengths) / len(ts.lengths)
    cfg = PicochatConfig(vocab_size=len(tok), hidden_size=a.hidden, num_hidden_layers=a.layers, num_attention_heads=max(1, a.hidden // 64),
                         num_key_value_heads=max(1, a.hidden // 64), max_position_embeddings=a.seq_len, bos_token_id=tok.bos_token_id,
                         eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    init = PicochatForCausalLM(cfg).state_dict()
    print(f"model {sum(v.numel() for v in init.values()) / 1e6:.2f}M params, {len(ts.lengths)} conversations, "
          f"mean {mean_len:.0f} tokens, T={a.seq_len}, device {a.device}")
    results: dict[str, list[float]] = {"ours": [], "trl-pad": [], "trl-bfd": []}
    cpu_results: dict[str, list[float]] = {m: [] for m in results}
    with tempfile.TemporaryDirectory() as out:
        for r in range(a.rounds):
            for method in results:
                model = PicochatForCausalLM(cfg)
                model.load_state_dict(init)
                trainer = build(method, model, tok, ts.dataset, ts.categories, a, mean_len, out)
                tps, cps = measure(trainer, a)
                results[method].append(tps)
                cpu_results[method].append(cps)
                print(f"round {r} {method:<8} {tps:>10.0f} real tokens/s wall {cps:>10.0f} real tokens/CPU-s")
    for label, res in (("wall", results), ("cpu", cpu_results)):
        med = {m: statistics.median(v) for m, v in res.items()}
        print(f"median ({label}) " + "  ".join(f"{m} {v:.0f}" for m, v in med.items()))
        print(f"ratio ({label}) ours/trl-pad = {med['ours'] / med['trl-pad']:.2f}   ours/trl-bfd = {med['ours'] / med['trl-bfd']:.2f}")


if __name__ == "__main__":
    main()
