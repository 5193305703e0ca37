"""How often does a leaderboard of equal runs call one of them significantly worse?

Simulates boards of `--runs` runs whose true pass rate is the same (`--rate`), each scored on the same
`--rows` eval rows (each row passes independently per run), and counts the boards on which at least one
run is marked worse than the best:

- old rule: two-proportion z-test against the best run, alpha 0.05, no correction (what the leaderboard did);
- new rule: `picochat_hf.eval.leaderboard.board` (exact McNemar on the shared rows, Holm across the board).

Both rules see the same simulated boards. Usage:

    python bench/leaderboard_false_alarms.py --boards 1000 --runs 5 --rows 100 --rate 0.5 --seed 0
"""

from __future__ import annotations

import argparse
import random
import time

from statsmodels.stats.proportion import proportions_ztest

from picochat_hf.eval.leaderboard import board
from picochat_hf.eval.stats import wilson_ci


def simulate(rng: random.Random, runs: int, rows: int, rate: float) -> list[dict]:
    out = []
    for k in range(runs):
        passed_rows = {f"r{i}": rng.random() < rate for i in range(rows)}
        passed = sum(passed_rows.values())
        cell = {"passed": passed, "n": rows, "rate": passed / rows, "ci": wilson_ci(passed, rows), "file_sha256": "f" * 64,
                "file": "eval.jsonl", "rows": passed_rows}
        out.append({"run": f"run{k}", "cells": {"eval": cell}})
    return out


def old_rule(runs: list[dict]) -> bool:
    cells = {r["run"]: r["cells"]["eval"] for r in runs}
    best = max(cells, key=lambda name: cells[name]["rate"])
    for name, c in cells.items():
        if name == best:
            continue
        b = cells[best]
        if c["passed"] == b["passed"]:
            continue
        _, p = proportions_ztest([c["passed"], b["passed"]], [c["n"], b["n"]])
        if p < 0.05:
            return True
    return False


def new_rule(runs: list[dict]) -> bool:
    return any(e.get("worse") for e in board(runs)["quantities"]["eval"].values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--boards", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=100)
    ap.add_argument("--rate", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    old = new = 0
    start = time.process_time()
    for _ in range(args.boards):
        runs = simulate(rng, args.runs, args.rows, args.rate)
        old += old_rule(runs)
        new += new_rule(runs)
    cpu = time.process_time() - start
    print(f"{args.boards} boards of {args.runs} equal runs (true rate {args.rate}, {args.rows} shared rows each), seed {args.seed}")
    print(f"boards marking a run significantly worse: old z-test {old / args.boards:.1%}, new McNemar+Holm {new / args.boards:.1%}")
    print(f"({cpu:.1f} CPU-s)")


if __name__ == "__main__":
    main()
