"""Benchmark: the contamination scan of this tree against another commit's, on the same inputs in one run, with the
findings compared (a speed-up must change none) and the time ratio printed.

    python bench/scan_speed.py                                 # against HEAD, the bench's small pack with planted leaks
    python bench/scan_speed.py --base 052554d --demo --repeats 2   # also the demo-sized pack (400 eval, 20,000 SFT rows)

Inputs: the small pack of `contamination_recall.py` (600 SFT rows, 150 eval rows, the embedded corpus) with two leaks of
every form planted and their wrong-answer twins, and with `--demo` the default demo's task pack size (`build_task_pack`,
400 eval rows, 20,000 SFT rows) against the embedded corpus. Each scan runs in a subprocess (`run_scan`, reading
included), base and this tree alternating `--repeats` times; the CPU seconds of the process (steadier than wall seconds
on a shared machine) and the wall seconds are printed as the median of the repeats, with the load average before the run.
Findings are compared only where both trees hold the same scan (the same finding kinds); `--base` an older release
prints its times for the ratio alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from contamination_recall import FILLER_DOC, FORMS, SPLIT_FORMS, eligible, extract_old, plant, statement, write_jsonl, wrong_answer  # noqa: E402

from picochat_hf.data.default_corpus import iter_default_documents  # noqa: E402
from picochat_hf.data.schema import read_rows  # noqa: E402
from picochat_hf.data.task_pack import build_task_pack  # noqa: E402

RUNNER = """
import json, sys, time
import picochat_hf
assert picochat_hf.__file__.startswith(sys.argv[5]), picochat_hf.__file__
from picochat_hf.honesty import run_scan
c, t = time.process_time(), time.perf_counter()
rep = run_scan(eval_path=sys.argv[1], sft_path=sys.argv[2], corpus_paths=[sys.argv[3]], show_progress=False)
cpu, wall = time.process_time() - c, time.perf_counter() - t
keep = {k: rep[k] for k in ("findings", "prompts", "matrix", "counts")}
json.dump(keep, open(sys.argv[4], "w"), sort_keys=True)
print(json.dumps({"cpu": cpu, "wall": wall}))
"""


def small_inputs(work: Path, seed: int) -> tuple[Path, Path, Path]:
    pack = build_task_pack(work / "pack_small", sft_rows=600, eval_rows=150, seed=seed, answer_style="direct", profile="capability")
    ev, sft = read_rows(pack["eval"]), read_rows(pack["sft"])
    docs = [{"id": f"doc{i}", "text": d["text"]} for i, d in enumerate(iter_default_documents())]
    rng, extra_sft = random.Random(seed), []
    for form in FORMS:
        for k, r in enumerate([r for r in ev if eligible(r, form)][:2]):
            s, d = plant(form, r, k, rng)
            extra_sft += s
            docs += [{"id": f"leak-{form}-{k}", "text": t} for t in d]
            if form in SPLIT_FORMS:
                sep = " " if form == "corpus_split" else "\n"
                docs.append({"id": f"twin-{form}-{k}", "text": f"{FILLER_DOC}{sep}{statement(form, r, wrong_answer(r, form))}{sep}{FILLER_DOC}"})
    return write_jsonl(work / "eval_small.jsonl", ev), write_jsonl(work / "sft_small.jsonl", sft + extra_sft), write_jsonl(work / "corpus.jsonl", docs)


def demo_inputs(work: Path, seed: int) -> tuple[Path, Path, Path]:
    pack = build_task_pack(work / "pack_demo", sft_rows=20000, eval_rows=400, seed=seed, profile="capability")
    docs = [{"id": f"doc{i}", "text": d["text"]} for i, d in enumerate(iter_default_documents())]
    return Path(pack["eval"]), Path(pack["sft"]), write_jsonl(work / "corpus_plain.jsonl", docs)


def scan_once(tree: Path, inputs: tuple[Path, Path, Path], out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
    res = subprocess.run([sys.executable, "-c", RUNNER, *map(str, inputs), str(out), str(tree)], env=env, cwd=tree,
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def compare(name: str, base: Path, here: Path, inputs: tuple[Path, Path, Path], work: Path, repeats: int) -> bool:
    times: dict[str, list[dict]] = {"base": [], "this tree": []}
    for _ in range(repeats):
        for label, tree in (("base", base), ("this tree", here)):
            times[label].append(scan_once(tree, inputs, work / f"{name}_{label.replace(' ', '_')}.json"))
    got = {label: json.loads((work / f"{name}_{label.replace(' ', '_')}.json").read_text()) for label in times}
    kinds = [set(g["counts"]) for g in got.values()]
    same = got["base"] == got["this tree"] if kinds[0] == kinds[1] else None
    med = {label: {k: statistics.median(t[k] for t in ts) for k in ("cpu", "wall")} for label, ts in times.items()}
    print(f"| {name} | {med['base']['cpu']:.2f} / {med['base']['wall']:.2f} | {med['this tree']['cpu']:.2f} / {med['this tree']['wall']:.2f} | "
          f"x{med['this tree']['cpu'] / med['base']['cpu']:.2f} | "
          f"{'identical' if same else 'n/a (other scan)' if same is None else 'DIFFERENT'} | {got['this tree']['counts']['eval_prompts_failing']} |")
    return same is not False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="HEAD", help="the commit to time against (its picochat_hf, from git archive)")
    ap.add_argument("--demo", action="store_true", help="also the demo-sized pack (400 eval rows, 20,000 SFT rows)")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    here = Path(__file__).resolve().parents[1]
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = extract_old(args.base, work / "base")
        small = small_inputs(work, args.seed)
        print(f"| input | base ({args.base}) cpu / wall s | this tree cpu / wall s | cpu ratio | findings | failing |")
        print("|---|---|---|---|---|---|")
        ok = compare("small pack + planted leaks", base, here, small, work, args.repeats)
        if args.demo:
            ok &= compare("demo-sized pack", base, here, demo_inputs(work, args.seed), work, args.repeats)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
