"""Benchmark: contamination-scan time against corpus size, and against an all-pairs difflib baseline.

    python bench/contamination.py                          # 10 MB and 100 MB corpora, 10,000 eval prompts, 2,000 x 2,000 baseline
    python bench/contamination.py --sizes-mb 10 100 1000   # add the 1 GB point (about 1 GB of disk in --work-dir)

Text is synthetic: words drawn from a Zipf law over the embedded corpus's vocabulary, documents of 50-400
words, with 20 eval prompts planted in the corpus (each scan must find all of them). Part 1 times
`picochat_hf.honesty.scan` (streamed corpus, hashed 8-gram index) at each size and prints seconds, MB/s and
the time ratio next to the size ratio (linear growth keeps them equal). Part 2 compares the reference
factory's near-prompt check (all pairs of `max(difflib ratio, word Jaccard)`) with picochat_hf's SFT-vs-eval
scan (exact, n-gram and MinHash LSH near hits) on the same 2,000 eval x 2,000 SFT rows. Times are process
CPU seconds (the machine may be shared; wall time is printed for the corpus scans too). With
`--difflib-sample k` only k eval rows are timed against all SFT rows and the time is scaled by 2,000 / k
(printed as an extrapolation).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

from picochat_hf.data.default_corpus import iter_default_documents
from picochat_hf.honesty import scan
from picochat_hf.honesty.normalize import normalized
from picochat_hf.honesty.sources import iter_corpus


def vocabulary() -> list[str]:
    words: dict[str, int] = {}
    for doc in iter_default_documents():
        for w in re.findall(r"[A-Za-z]+", doc["text"].lower()):
            words[w] = words.get(w, 0) + 1
    return [w for w, _ in sorted(words.items(), key=lambda kv: -kv[1])]


class TextGen:
    def __init__(self, vocab: list[str], seed: int = 0):
        self.vocab = np.array(vocab)
        self.rng = np.random.default_rng(seed)
        ranks = np.arange(1, len(vocab) + 1)
        p = 1.0 / ranks**1.05
        self.p = p / p.sum()

    def words(self, n: int) -> list[str]:
        return self.vocab[self.rng.choice(len(self.vocab), size=n, p=self.p)].tolist()

    def sentence(self, lo: int, hi: int) -> str:
        w = self.words(int(self.rng.integers(lo, hi)))
        return " ".join(w).capitalize() + "?"


def eval_rows(gen: TextGen, n: int) -> list[dict]:
    return [{"id": f"e{i}", "messages": [{"role": "user", "content": gen.sentence(10, 25)}], "category": "general",
             "skill": "general", "split": "eval", "source": "bench"} for i in range(n)]


def sft_rows(gen: TextGen, n: int) -> list[dict]:
    return [{"id": f"s{i}", "messages": [{"role": "user", "content": gen.sentence(10, 25)}, {"role": "assistant", "content": gen.sentence(5, 30)}],
             "category": "general", "skill": "general", "split": "train", "source": "bench"} for i in range(n)]


def write_corpus(path: Path, gen: TextGen, size_bytes: int, plants: list[str]) -> None:
    """Blank-line separated documents; the planted prompts are spread evenly through the file."""
    plant_at = set(np.linspace(0, size_bytes * 0.95, len(plants)).astype(int).tolist())
    written, k = 0, 0
    marks = sorted(plant_at)
    with open(path, "w", encoding="utf-8") as fh:
        while written < size_bytes:
            chunk = gen.words(200_000)
            pos = 0
            while pos < len(chunk) and written < size_bytes:
                n = int(gen.rng.integers(50, 400))
                doc = " ".join(chunk[pos : pos + n])
                pos += n
                if k < len(marks) and written >= marks[k]:
                    doc = doc + " " + plants[k] + " " + doc[:60]
                    k += 1
                fh.write(doc + "\n\n")
                written += len(doc) + 2


def time_scan(evals: list[dict], corpus_path: Path) -> tuple[float, float, dict]:
    """(wall seconds, process CPU seconds, report): CPU time is the fairer measure on a shared machine."""
    t0, c0 = time.perf_counter(), time.process_time()
    report = scan(eval_rows=evals, corpus=lambda: iter_corpus([corpus_path]), show_progress=False)
    return time.perf_counter() - t0, time.process_time() - c0, report


def reference_all_pairs(evals: list[str], sfts: list[str]) -> int:
    """The reference's near-prompt check: every eval prompt against every SFT prompt."""
    hits = 0
    sft_sets = [set(s.split()) for s in sfts]
    for e in evals:
        es = set(e.split())
        best = 0.0
        for s, ss in zip(sfts, sft_sets):
            ratio = difflib.SequenceMatcher(None, e, s).ratio()
            jac = len(es & ss) / len(es | ss) if es | ss else 1.0
            best = max(best, ratio, jac)
        hits += best >= 0.86
    return hits


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes-mb", type=float, nargs="+", default=[10, 100])
    ap.add_argument("--eval-prompts", type=int, default=10_000)
    ap.add_argument("--pairs-rows", type=int, default=2_000)
    ap.add_argument("--difflib-sample", type=int, default=None, help="Time only this many eval rows in the difflib baseline and scale up.")
    ap.add_argument("--work-dir", default="bench_work", help="Where the generated corpora go (deleted after each size unless --keep).")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--skip-corpus", action="store_true")
    ap.add_argument("--skip-pairs", action="store_true")
    args = ap.parse_args(argv)

    gen = TextGen(vocabulary())
    print(f"cpu cores visible: {os.cpu_count()}; vocabulary {len(gen.vocab)} words", flush=True)
    if not args.skip_corpus:
        evals = eval_rows(gen, args.eval_prompts)
        plants = [evals[i]["messages"][0]["content"] for i in range(0, args.eval_prompts, max(1, args.eval_prompts // 20))][:20]
        work = Path(args.work_dir)
        work.mkdir(parents=True, exist_ok=True)
        rows = []
        for mb in args.sizes_mb:
            path = work / f"corpus_{int(mb)}mb.txt"
            t0 = time.perf_counter()
            if not path.exists():
                write_corpus(path, gen, int(mb * 1e6), plants)
            gen_s = time.perf_counter() - t0
            secs, cpu, report = time_scan(evals, path)
            found = report["counts"]["corpus_phrase_hits"]
            size = path.stat().st_size
            stream = report["timing"]["corpus_stream_cpu_s"]
            rows.append((mb, size, secs, stream, cpu))
            print(f"corpus {mb:>6.0f} MB: scan {secs:8.2f} s wall, {cpu:8.2f} s CPU; corpus stream {stream:7.2f} s CPU ({size / 1e6 / stream:5.1f} MB/CPU-s)  "
                  f"planted found {found}/{len(plants)}  "
                  f"docs {report['inputs']['corpus_stats']['documents']:,}  (generated in {gen_s:.1f} s)", flush=True)
            if not args.keep:
                path.unlink()
        base = rows[0]
        print("\nsize ratio vs time ratio (linear growth keeps them close; total includes the fixed index/near/report cost):")
        for mb, size, secs, stream, cpu in rows:
            print(f"  {mb:>6.0f} MB: size x{size / base[1]:7.2f}   corpus-stream CPU x{stream / base[3]:7.2f}   "
                  f"total wall x{secs / base[2]:7.2f}   total CPU x{cpu / base[4]:7.2f}")
    if not args.skip_pairs:
        n = args.pairs_rows
        ev, sf = eval_rows(gen, n), sft_rows(gen, n)
        for i in range(0, n, 100):  # plant exact and lightly edited leaks so both methods have something to find
            sf[i]["messages"][0]["content"] = ev[i]["messages"][0]["content"]
        t0 = time.process_time()
        report = scan(eval_rows=ev, sft_rows=sf, show_progress=False)
        ours = time.process_time() - t0
        e_norm = [normalized(r["messages"][0]["content"]) for r in ev]
        s_norm = [normalized(r["messages"][0]["content"]) for r in sf]
        k = args.difflib_sample or n
        t0 = time.process_time()
        hits = reference_all_pairs(e_norm[:k], s_norm)
        ref = (time.process_time() - t0) * (n / k)
        label = "measured" if k == n else f"extrapolated from {k} rows"
        print(f"\n{n} x {n} rows (CPU seconds): picochat_hf scan {ours:.2f} s (exact {report['counts']['exact_prompt_hits']}, "
              f"near {report['counts']['near_prompt_hits']}); all-pairs difflib {ref:.1f} s ({label}; {hits} hits in the timed rows)")
        print(f"speed-up: {ref / ours:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
