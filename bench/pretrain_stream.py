"""Streamed pretraining at growing corpus sizes: peak RSS and tokens/s of `train base --shards`, the
in-memory path beside it, and `data shards` tokenisation MB/s with 1 vs 2 processes. All in one run.

    python bench/pretrain_stream.py --sizes-mb 100 2000            # the issue's sizes (2 GB takes long on CPU)
    python bench/pretrain_stream.py --sizes-mb 20 100 --steps 60   # what a shared 2-core machine manages
    python bench/pretrain_stream.py --sizes-mb 100 --skip-in-memory

Method
- corpus: `--base-mb` of synthetic English-like documents (words drawn from the embedded corpus, log-normal
  lengths) written once as JSONL; a larger size repeats that file with new document ids, so tokenisation
  work grows with the size (the token content repeats; neither speed nor memory depends on it).
- tokenizer: picochat's BPE (`--vocab`) trained on the first few MB.
- `data shards`: wall-clock MB/s of input text, `--shard-procs` processes each (the 1-process run also lets
  the Rust tokenizer use its own threads, so "1 process" is not "1 core"; TOKENIZERS_PARALLELISM is
  recorded).
- `train base`: each run in its own process; peak RSS is that process's ru_maxrss; tokens/s is
  real (non-pad) tokens / the training loop's wall time (from train_report.json), so loading and the
  in-memory path's up-front tokenisation are not counted in tokens/s but are in peak RSS.
- data path alone: tokens/s that sampler + row view + collator deliver without the model, streamed vs in
  memory (the same pieces), alternating rounds in one process; compare with the model's tokens/s.
- row planning: rows per second that `ShardStream` plans from the offsets (no token reads), which bounds
  what resuming a streamed run costs (it replays the plan up to the checkpoint's step).
- `uptime` load averages are printed with every measurement: on a shared machine they are the context.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ")[0] if Path("/proc/loadavg").exists() else "?"


def make_corpus(path: Path, mb: float, seed: int = 0) -> None:
    from picochat_hf.data.default_corpus import default_texts

    words = " ".join(default_texts()).split()
    rng = random.Random(seed)
    target = int(mb * 1_000_000)
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        i = 0
        while written < target:
            n = max(20, int(rng.lognormvariate(5.5, 0.8)))  # median ~250 words per document
            line = json.dumps({"id": f"b{i}", "text": " ".join(rng.choices(words, k=n))}) + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
            i += 1


def grow(base: Path, path: Path, mb: float) -> None:
    """`mb` of documents: copies of the base corpus with new ids."""
    target = int(mb * 1_000_000)
    written, copy = 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            with open(base, encoding="utf-8") as fh:
                for line in fh:
                    doc = json.loads(line)
                    doc["id"] = f"c{copy}-{doc['id']}"
                    text = json.dumps(doc) + "\n"
                    out.write(text)
                    written += len(text.encode("utf-8"))
                    if written >= target:
                        break
            copy += 1


def measured(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of a command run as its own process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); rc = subprocess.run(sys.argv[1:]).returncode; "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, rc)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True)
    last = out.stdout.strip().splitlines()[-1].split()
    if last[2] != "0":
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    return float(last[0]), float(last[1])


def train(work: Path, name: str, data_flags: list[str], args: argparse.Namespace) -> dict:
    out = work / f"run-{name}"
    cmd = ["picochat", "train", "base", *data_flags, "--tokenizer", str(work / "tok"), "--out-dir", str(out), "--force",
           "--preset", args.preset, "--seq-len", str(args.seq_len), "--batch-size", str(args.batch_size),
           "--steps", str(args.steps), "--eval-steps", str(10 * args.steps), "--device", "cpu", "--allow-blocked-preflight",
           "--set", "max_eval_tokens=20000", "--set", "dataloader_num_workers=0"]
    before = load()
    wall, rss = measured(cmd)
    report = json.loads((out / "train_report.json").read_text())
    return {"run": name, "load_before": before, "load_after": load(), "process_wall_s": round(wall, 1), "peak_rss_mb": round(rss),
            "train_loop_s": report["wall_time_s"], "real_tokens": report["real_tokens_seen"],
            "tokens_per_s": round(report["real_tokens_seen"] / report["wall_time_s"])}


def planning_rate(shards: Path, tokenizer_dir: Path, seq_len: int, rows: int = 20_000) -> dict:
    """Rows planned per second by `ShardStream` (offsets + best fit, no token reads): what a resume replays."""
    from picochat_hf.tokenizer import load_tokenizer
    from picochat_hf.training.stream import ShardStream, open_shards

    stream = ShardStream(open_shards(shards, load_tokenizer(tokenizer_dir)), split="train", seq_len=seq_len, seed=0)
    before = load()
    t0, tc = time.perf_counter(), time.process_time()
    for k, _ in enumerate(stream.rows()):
        if k + 1 == rows:
            break
    wall, cpu = time.perf_counter() - t0, time.process_time() - tc
    return {"run": f"row planning ({shards.name}, seq {seq_len})", "load_before": before, "rows": rows,
            "rows_per_s": round(rows / wall), "planned_tokens_per_s": round(rows * seq_len / wall),
            "planned_tokens_per_cpu_s": round(rows * seq_len / cpu)}


def data_path_rate(shards: Path, tokenizer_dir: Path, seq_len: int, rows: int, batches: int = 200) -> list[dict]:
    """Tokens/s of the data path alone (sampler + row view + collator, no model), streamed vs in memory, in
    alternating rounds in this process. The in-memory set holds the same train pieces, read from the shards."""
    from datasets import Dataset

    from picochat_hf.tokenizer import load_tokenizer
    from picochat_hf.training.packing import PackingCollator
    from picochat_hf.training.sampling import PackedBatchSampler
    from picochat_hf.training.stream import ShardRowSampler, ShardStream, _ShardRowsView, open_shards
    from picochat_hf.training.trainer import _RowsView

    tok = load_tokenizer(tokenizer_dir)
    manifest = open_shards(shards, tok)
    stream = ShardStream(manifest, split="train", seq_len=seq_len, seed=0)
    pieces = [stream.examples([p])[0]["input_ids"].tolist() for n, p in stream.pieces(0) if n >= 2]
    view = _RowsView(Dataset.from_dict({"input_ids": pieces, "labels": pieces}))
    lengths = [len(p) for p in pieces]
    del pieces
    collate = PackingCollator(tok.pad_token_id, seq_len)

    def run(kind: str) -> float:
        if kind == "streamed":
            sampler, source = ShardRowSampler(ShardStream(manifest, split="train", seq_len=seq_len, seed=0), rows), _ShardRowsView(stream)
        else:
            sampler, source = PackedBatchSampler(lengths, None, seq_len=seq_len, rows_per_batch=rows, sampling="uniform"), view
        it = iter(sampler)
        t0, real = time.perf_counter(), 0
        for _ in range(batches):
            batch = collate([source[row] for row in next(it)])
            real += int(batch["num_real_tokens"])
        return real / (time.perf_counter() - t0)

    rates: dict[str, list[float]] = {"streamed": [], "in-memory": []}
    before = load()
    for _ in range(3):
        for kind in rates:
            rates[kind].append(run(kind))
    return [{"run": f"data path only, {kind}", "load_before": before, "batches": batches, "rows_per_batch": rows,
             "tokens_per_s_median_of_3": round(sorted(r)[1])} for kind, r in rates.items()]


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes-mb", type=float, nargs="+", default=[100, 2000])
    ap.add_argument("--base-mb", type=float, default=100, help="size of the generated corpus that larger sizes repeat")
    ap.add_argument("--work-dir", default="bench_pretrain_stream")
    ap.add_argument("--vocab", type=int, default=8192)
    ap.add_argument("--preset", default="cpu-tiny")
    ap.add_argument("--seq-len", type=int, default=256)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--shard-procs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--skip-in-memory", action="store_true")
    return ap.parse_args()


def prepare(work: Path, args: argparse.Namespace) -> Path:
    """Create the work folder, the base corpus and the tokenizer (each once); return the base corpus."""
    work.mkdir(parents=True, exist_ok=True)
    base = work / f"corpus-{args.base_mb:g}MB.jsonl"
    if not base.exists():
        make_corpus(base, args.base_mb)
    if not (work / "tok" / "tokenizer.json").exists():
        from picochat_hf.tokenizer import iter_texts_from_files, save_tokenizer, train_tokenizer

        texts = (t for i, t in enumerate(iter_texts_from_files([base])) if i < 3000)
        save_tokenizer(train_tokenizer(texts, vocab_size=args.vocab), work / "tok")
    return base


def record(results: list[dict], row: dict) -> None:
    results.append(row)
    print(json.dumps(row), flush=True)


def time_shards(work: Path, corpus: Path, mb: float, n: int, real_mb: float) -> dict:
    """`picochat data shards` on the corpus with `n` processes: seconds, MB/s and tokens."""
    before = load()
    t0 = time.perf_counter()
    subprocess.run(["picochat", "data", "shards", "--input", str(corpus), "--tokenizer", str(work / "tok"),
                    "--out-dir", str(work / f"shards-{mb:g}"), "--num-proc", str(n), "--val-fraction", "0.001",
                    "--shard-tokens", "50000000", "--force"], check=True, capture_output=True)
    dt = time.perf_counter() - t0
    tokens = json.loads((work / f"shards-{mb:g}" / "shards.json").read_text())["num_tokens"]
    return {"run": f"data shards {mb:g}MB, {n} proc", "load_before": before, "load_after": load(),
            "seconds": round(dt, 1), "MB_per_s": round(real_mb / dt, 2), "tokens": tokens}


def bench_size(work: Path, base: Path, mb: float, args: argparse.Namespace, results: list[dict]) -> None:
    """Every measurement at one corpus size; the first size also gets the process sweep, the data path and
    the in-memory comparison."""
    corpus = base if mb == args.base_mb else work / f"corpus-{mb:g}MB.jsonl"
    if not corpus.exists():
        grow(base, corpus, mb)
    real_mb = corpus.stat().st_size / 1e6
    procs = args.shard_procs if mb == args.sizes_mb[0] else [max(args.shard_procs)]
    for n in procs:
        record(results, time_shards(work, corpus, mb, n, real_mb))
    record(results, planning_rate(work / f"shards-{mb:g}", work / "tok", args.seq_len))
    record(results, train(work, f"shards-{mb:g}MB", ["--shards", str(work / f"shards-{mb:g}")], args))
    if mb == args.sizes_mb[0]:
        for row in data_path_rate(work / f"shards-{mb:g}", work / "tok", args.seq_len, args.batch_size):
            record(results, row)
    if mb == args.sizes_mb[0] and not args.skip_in_memory:
        record(results, train(work, f"in-memory-{mb:g}MB", ["--documents", str(corpus), "--val-fraction", "0.001"], args))


def print_summary(results: list[dict], args: argparse.Namespace) -> None:
    streamed = [r for r in results if r["run"].startswith("shards-")]
    shard_runs = [r for r in results if r["run"].startswith("data shards")]
    print("\nsummary")
    if len(streamed) > 1:
        print(f"peak RSS {streamed[-1]['run']} / {streamed[0]['run']}: {streamed[-1]['peak_rss_mb'] / streamed[0]['peak_rss_mb']:.2f}x")
    mem = [r for r in results if r["run"].startswith("in-memory")]
    if mem:
        print(f"tokens/s streamed / in-memory at {args.sizes_mb[0]:g}MB: {streamed[0]['tokens_per_s'] / mem[0]['tokens_per_s']:.2f}x; "
              f"peak RSS streamed / in-memory: {streamed[0]['peak_rss_mb'] / mem[0]['peak_rss_mb']:.2f}x")
    if len(shard_runs) > 1 and shard_runs[0]["run"].endswith("1 proc"):
        print(f"data shards MB/s 2 proc / 1 proc: {shard_runs[1]['MB_per_s'] / shard_runs[0]['MB_per_s']:.2f}x")


def main() -> None:
    args = parse_args()
    work = Path(args.work_dir)
    base = prepare(work, args)
    print(f"cores={os.cpu_count()} TOKENIZERS_PARALLELISM={os.environ.get('TOKENIZERS_PARALLELISM', 'unset')} "
          f"preset={args.preset} seq_len={args.seq_len} batch={args.batch_size} steps={args.steps}")
    results: list[dict] = []
    for mb in args.sizes_mb:
        bench_size(work, base, mb, args, results)
    print_summary(results, args)
    (work / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
