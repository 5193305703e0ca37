"""`picochat leaderboard RUN [RUN ...] --out reports/leaderboard.md`: compare runs with intervals and noise marks."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("leaderboard", help="compare runs: pass rates with intervals, baselines, external scores, gates")
    p.add_argument("runs", nargs="+", type=Path, help="run folders (runs/<run>)")
    p.add_argument("--out", type=Path, required=True, help="markdown file; its data goes next to it as .json")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=_leaderboard)


def _leaderboard(args: argparse.Namespace) -> int:
    from ..eval.leaderboard import build_leaderboard

    out = build_leaderboard(args.runs, args.out, force=args.force)
    print(out.read_text(encoding="utf-8"))
    return 0
