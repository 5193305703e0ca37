"""`picochat demo`: run the whole factory on the embedded default corpus."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="run the whole pipeline on the embedded default corpus (CPU, offline)")
    p.add_argument("--out-dir", default=None, help="run directory (default: runs/demo)")
    p.add_argument("--config", type=Path, default=None, help="YAML file of DemoConfig fields to change the recipe")
    p.add_argument("--seed", type=int, default=None, help="seed for data generation and training (DemoConfig.seed)")
    p.add_argument("--force", action="store_true", help="replace an existing run directory")
    p.add_argument("--no-lm-eval", action="store_true", help="write the lm-eval command but do not run it")
    p.add_argument("--fast", action="store_true",
                   help="a first look at a fraction of the budget: fewer steps and rows (demo.FAST_OVERRIDES), runs/demo_fast; "
                        "the gate is expected to block it")
    p.set_defaults(func=_demo)


def _demo(args: argparse.Namespace) -> int:
    from ..demo import DemoConfig, fast_config, main_summary, run_demo

    cfg = DemoConfig.from_yaml(args.config) if args.config else DemoConfig()
    if args.fast:
        cfg = fast_config(cfg)
    if args.out_dir:
        cfg.out_dir = args.out_dir
    if args.seed is not None:
        cfg.seed = args.seed  # validated with the rest by run_demo before anything is written
    if args.no_lm_eval:
        cfg.run_lm_eval = False
    run_demo(cfg, force=args.force)
    main_summary(Path(cfg.out_dir))
    return 0
