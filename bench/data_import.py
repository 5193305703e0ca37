"""Dataset-pack import throughput (MB/s) and peak memory as the corpus grows.

Generates JSONL corpora of English-word text (documents of ~1-6 KB, 2% exact duplicates, 2% near
duplicates), imports each one in a fresh process with `import_dataset_pack`, and prints input size,
wall time, MB/s and the child's peak RSS. Flat memory means peak RSS barely moves while the input grows
10x: the importer streams documents and keeps only fixed-size hashes per document.

    python bench/data_import.py                      # 100MB only
    python bench/data_import.py --sizes 100MB,1GB    # the comparison reported in docs/data.md
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHILD = """
import json, resource, sys, time
from picochat_hf.data.dataset_pack import import_dataset_pack
t = time.perf_counter()
pack = import_dataset_pack([sys.argv[1]], sys.argv[2], progress=False)
wall = time.perf_counter() - t
report = json.load(open(pack.parent / "import_report.json"))
print(json.dumps({"wall_s": wall, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "documents": report["counts"]["documents"], "dup": report["duplicates"]["exact_duplicate_rate"],
                  "near": report["duplicates"]["near_duplicate_rate"]}))
"""


def parse_size(text: str) -> int:
    text = text.strip().upper()
    for suffix, mult in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * mult)
    return int(text)


def generate(path: Path, size: int, seed: int = 0) -> int:
    from english_words import get_english_words_set

    vocab = np.array(sorted(get_english_words_set(["web2"], lower=True, alpha=True)))
    rng = np.random.default_rng(seed)
    written, n, recent = 0, 0, []
    with open(path, "w", encoding="utf-8") as fh:
        while written < size:
            r = rng.random()
            if recent and r < 0.02:
                text = recent[rng.integers(len(recent))]
            elif recent and r < 0.04:
                words = recent[rng.integers(len(recent))].split(" ")
                words[rng.integers(len(words))] = "changed"
                text = " ".join(words)
            else:
                n_words = int(rng.integers(150, 900))
                words = vocab[rng.integers(0, len(vocab), n_words)]
                lines = [" ".join(words[i : i + 12]) for i in range(0, n_words, 12)]
                text = ".\n".join(lines) + "."
                recent = (recent + [text])[-64:]
            line = json.dumps({"id": f"doc{n}", "text": text}) + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100MB", help="comma-separated corpus sizes, e.g. 100MB,1GB")
    ap.add_argument("--workdir", default=None, help="scratch folder (default: a temporary directory, removed after)")
    args = ap.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        tmp = Path(tmp)
        rows = []
        for size in sizes:
            src = tmp / f"corpus_{size}.jsonl"
            t = time.perf_counter()
            nbytes = generate(src, size)
            gen_s = time.perf_counter() - t
            env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
            out = subprocess.run([sys.executable, "-c", CHILD, str(src), str(tmp / f"pack_{size}")], env=env,
                                 capture_output=True, text=True, check=True)
            res = json.loads(out.stdout.strip().splitlines()[-1])
            res.update(input_mb=nbytes / 1e6, mb_per_s=nbytes / 1e6 / res["wall_s"], generate_s=gen_s)
            rows.append(res)
            print(f"{res['input_mb']:9.1f} MB  {res['documents']:9d} docs  {res['wall_s']:8.1f} s  "
                  f"{res['mb_per_s']:6.2f} MB/s  peak RSS {res['peak_rss_mb']:7.1f} MB  "
                  f"(exact dup {res['dup']:.2%}, near dup {res['near']:.2%})", flush=True)
            src.unlink()
        if len(rows) > 1:
            a, b = rows[0], rows[-1]
            print(f"input x{b['input_mb'] / a['input_mb']:.1f} -> peak RSS x{b['peak_rss_mb'] / a['peak_rss_mb']:.2f}, "
                  f"throughput x{b['mb_per_s'] / a['mb_per_s']:.2f}")


if __name__ == "__main__":
    main()
