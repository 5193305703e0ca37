"""`picochat gate preflight|release`: run a gate and print its verdict."""

from __future__ import annotations

import argparse
import contextlib
import sys

from ..gates.run_once import DEFAULT_ROWS
from ..run_dir import RunDir
from ..utils.checks import nonneg_int


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("gate", help="preflight (before training) and release (after evaluation) gates")
    sub = parser.add_subparsers(dest="gate_command", metavar="SUBCOMMAND", required=True)
    pre = sub.add_parser("preflight", help="Check a training plan (a training YAML config or a plan JSON).")
    src = pre.add_mutually_exclusive_group(required=True)
    src.add_argument("--config", help="Training YAML config (recipes/configs/*.yaml).")
    src.add_argument("--plan", help="Plan JSON (the dict the recipes pass to run_preflight).")
    pre.add_argument("--stage", choices=["sft", "base"], help="Override the stage read from the config.")
    pre.add_argument("--profile", default="research", help="research | first_release | skill_release | demo_release | path/to/profile.yaml")
    pre.add_argument("--run-dir", help="Write gates/preflight.json + .md here (default: the config's run folder).")
    pre.add_argument("--no-write", action="store_true", help="Only print the verdict.")
    pre.add_argument("--force", action="store_true",
                     help="Replace an existing gates/preflight.json (a trained run's record of the plan it trained with).")
    pre.set_defaults(func=_preflight)
    rel = sub.add_parser("release", help="Judge a finished run directory under a release profile.")
    rel.add_argument("--run-dir", required=True)
    rel.add_argument("--profile", default="skill_release",
                     help="research | first_release | skill_release | demo_release | path/to/profile.yaml")
    rel.add_argument("--checkpoint", help="The released checkpoint every eval must be about (default: the run's sft/checkpoint).")
    rel.add_argument("--regenerate-rows", type=nonneg_int, default=DEFAULT_ROWS, metavar="N",
                     help="Re-run the released checkpoint on N recorded replies of each eval and fit report (greedy, same prompts; "
                          f"passing rows first) and block on any it does not give again (default {DEFAULT_ROWS}; 0: off, and the "
                          "verdict is then at best warn, since re-judged replies may be another model's).")
    rel.add_argument("--sample-seed", metavar="HEX",
                     help="Draw the re-run rows with this seed (the sample_seed an earlier gates/release.json records) to reproduce "
                          "its re-runs; the verdict is then at best warn, since a chosen seed can miss edited rows (default: a fresh "
                          "seed each run, recorded in the verdict).")
    rel.add_argument("--rescan", action="store_true",
                     help="Re-run the honesty scan on the files honesty/honesty_report.json names and block when its findings differ.")
    rel.add_argument("--force", action="store_true", help="Replace an existing gates/release.json.")
    rel.set_defaults(func=_release)


def _print(result: dict, path: str | None) -> None:
    print(f"{result['status']} (profile {result['profile']}){' -> ' + path if path else ''}")
    for c in result["checks"]:
        if c["status"] != "pass":
            print(f"  [{c['status']}] {c['name']}: {c['why']}")


def _preflight(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..gates.preflight import run_preflight
    from ..training.plan_steps import plan_with_epoch_steps
    from ..utils.io import ensure_can_write, output_lock, read_json

    if args.config:
        plan, run_dir = plan_with_epoch_steps(args.config, stage=args.stage)
    else:
        from ..gates.preflight_inputs import check_plan_ranges, check_plan_types

        plan, run_dir = read_json(args.plan), None
        check_plan_types(plan, path=args.plan)
        check_plan_ranges(plan, path=args.plan)
        if args.stage:
            plan["stage"] = args.stage
    if args.run_dir:
        run_dir = Path(args.run_dir)
    if args.no_write:
        run_dir = None
    # the run folder a config names is written like an explicit --run-dir, so it is locked the same way
    with output_lock(run_dir) if run_dir is not None else contextlib.nullcontext():
        if run_dir is not None:  # another plan's verdict would replace the record of the plan the run trained with
            ensure_can_write(RunDir(run_dir).preflight, force=args.force)
        result = run_preflight(plan, run_dir, args.profile)
    _print(result, str(RunDir(run_dir).preflight) if run_dir else None)
    return 1 if result["status"] == "blocked" else 0


def _release(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..gates.release import run_release_gate
    from ..utils.errors import PicochatInputError
    from ..utils.io import ensure_can_write

    from .run_folder import require_run_folder

    require_run_folder(args.run_dir)  # a verdict is never written into an empty folder or a model folder
    if args.checkpoint is not None and not Path(args.checkpoint).is_dir():
        raise PicochatInputError("checkpoint folder not found (the released model every eval must be about)", path=args.checkpoint,
                                 field="checkpoint")
    ensure_can_write(RunDir(args.run_dir).release, force=args.force)
    if args.regenerate_rows < 0:
        raise PicochatInputError("expected a count >= 0", field="regenerate_rows")
    result = run_release_gate(args.run_dir, args.profile, checkpoint=args.checkpoint, regenerate_rows=args.regenerate_rows,
                              rescan=args.rescan, sample_seed=args.sample_seed)
    _print(result, str(RunDir(args.run_dir).release))
    if result["sample_seed"]:
        if result["regenerate_rows"] != args.regenerate_rows:
            print(f"{result['regenerate_rows']} rows of each report re-run, not {args.regenerate_rows}: earlier re-runs on these "
                  f"weights met rows that did not give their recorded replies "
                  f"({RunDir(args.run_dir).rel(RunDir(args.run_dir).release_history)})")
        print(f"re-run rows drawn with sample seed {result['sample_seed']} (--regenerate-rows {result['regenerate_rows']} "
              f"--sample-seed {result['sample_seed']} draws them again)")
    print("what this verdict cannot check:")
    for why in result["unverified"]:
        print(f"  - {why}")
    unchecked = ([] if args.regenerate_rows else ["the recorded replies were re-judged, not re-run (--regenerate-rows N re-runs the model on N of each report)"]) + \
                ([] if args.rescan else ["the honesty report was read, not re-run (--rescan)"])
    if unchecked:
        print("note: " + "; ".join(unchecked) + ".", file=sys.stderr)
    return 1 if result["status"] == "blocked" else 0
