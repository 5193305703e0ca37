"""Packing efficiency: bos_bestfit vs per-conversation padding vs TRL's BFD, at rows of 512 and 2048 tokens.

Slot utilisation = real (non-pad) tokens / token slots the model computes on. Lost = tokens cropped or
dropped by the overlong policy, as a fraction of all tokens. Conversation lengths are drawn from a
log-normal fitted by eye to chat SFT mixtures (median ~250 tokens, long tail; override with flags), or
taken from real rows with `--input rows.jsonl --tokenizer DIR`.

    python bench/packing.py                       # synthetic lengths, 20k conversations
    python bench/packing.py --input runs/p/chat_task_mixture_capability.jsonl --tokenizer runs/p/tokenizer

Padding baselines: `pad-longest` pads each batch of B conversations to its longest (the usual dynamic
padding), `pad-max` pads every conversation to the row length. TRL BFD (`trl.pack_dataset`, strategy
bfd) packs the whole dataset offline; with its padding-free collator it computes on exactly the real
tokens of each bin, so its slot view is bins x row length (what a fixed R x T batch would hold).
"""

from __future__ import annotations

import argparse
import math
import random
import time

from datasets import Dataset
from trl import pack_dataset

from picochat_hf.training.packing import OverlongStats, apply_overlong_policy
from picochat_hf.training.sampling import PackedBatchSampler


def synthetic_lengths(n: int, median: float, sigma: float, seed: int) -> list[int]:
    rng = random.Random(seed)
    return [max(8, int(rng.lognormvariate(math.log(median), sigma))) for _ in range(n)]


def real_lengths(path: str, tokenizer_dir: str) -> list[int]:
    from transformers import AutoTokenizer

    from picochat_hf.data.schema import read_rows
    from picochat_hf.training.tokenize import tokenize_conversations

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    return tokenize_conversations(read_rows(path), tok, seq_len=10**9).lengths


def fit(lengths: list[int], seq_len: int, policy: str) -> tuple[list[int], int]:
    stats = OverlongStats(policy=policy, seq_len=seq_len)
    kept = []
    for n in lengths:
        out = apply_overlong_policy([0] * n, [0] * n, seq_len, policy, stats)
        if out is not None:
            kept.append(len(out[0]))
    return kept, stats.tokens_cropped + stats.tokens_dropped


def bench_bestfit(lengths: list[int], seq_len: int, rows: int, buffer: int) -> dict:
    kept, lost = fit(lengths, seq_len, "truncate")
    sampler = PackedBatchSampler(kept, None, seq_len=seq_len, rows_per_batch=rows, sampling="sequential", buffer_size=buffer)
    n_rows = sum(len(b) for b in sampler)
    return {"util": sum(kept) / (n_rows * seq_len), "lost": lost / sum(lengths)}


def bench_padding(lengths: list[int], seq_len: int, batch: int, seed: int) -> dict:
    kept, lost = fit(lengths, seq_len, "truncate")
    order = kept[:]
    random.Random(seed).shuffle(order)
    slots = sum(len(order[k : k + batch]) * max(order[k : k + batch]) for k in range(0, len(order), batch))
    return {"util": sum(kept) / slots, "lost": lost / sum(lengths), "util_pad_max": sum(kept) / (len(kept) * seq_len)}


def bench_trl_bfd(lengths: list[int], seq_len: int) -> dict:
    ds = Dataset.from_dict({"input_ids": [[1] * n for n in lengths]})
    packed = pack_dataset(ds, seq_len, strategy="bfd")
    real = sum(sum(s) for s in packed["seq_lengths"])
    return {"util": real / (len(packed) * seq_len), "lost": (sum(lengths) - real) / sum(lengths)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000, help="synthetic conversations")
    ap.add_argument("--median", type=float, default=250.0)
    ap.add_argument("--sigma", type=float, default=0.9)
    ap.add_argument("--input")
    ap.add_argument("--tokenizer")
    ap.add_argument("--seq-lens", default="512,2048")
    ap.add_argument("--rows", type=int, default=8, help="rows per micro-batch (bestfit) / conversations per batch (padding)")
    ap.add_argument("--buffer", type=int, default=100, help="best-fit buffer (nanochat uses 100)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    lengths = real_lengths(a.input, a.tokenizer) if a.input else synthetic_lengths(a.n, a.median, a.sigma, a.seed)
    srt = sorted(lengths)
    print(f"{len(lengths)} conversations, tokens: median {srt[len(srt) // 2]}, p90 {srt[int(len(srt) * 0.9)]}, max {srt[-1]}")
    print(f"{'seq_len':>7} {'method':<22} {'slot util':>9} {'lost tokens':>11} {'time s':>7}")
    for seq_len in (int(x) for x in a.seq_lens.split(",")):
        results = {}
        for name, fn in (
            ("bos_bestfit", lambda: bench_bestfit(lengths, seq_len, a.rows, a.buffer)),
            ("pad-longest", lambda: bench_padding(lengths, seq_len, a.rows, a.seed)),
            ("trl-bfd", lambda: bench_trl_bfd(lengths, seq_len)),
        ):
            t0 = time.perf_counter()
            results[name] = fn()
            dt = time.perf_counter() - t0
            print(f"{seq_len:>7} {name:<22} {results[name]['util']:>9.4f} {results[name]['lost']:>11.4f} {dt:>7.2f}")
        print(f"{seq_len:>7} {'pad-max':<22} {results['pad-longest']['util_pad_max']:>9.4f} {results['pad-longest']['lost']:>11.4f}")
        ours = results["bos_bestfit"]["util"]
        print(f"{seq_len:>7} ratio bos_bestfit/pad-longest = {ours / results['pad-longest']['util']:.3f}, "
              f"bos_bestfit/trl-bfd = {ours / results['trl-bfd']['util']:.3f}")


if __name__ == "__main__":
    main()
