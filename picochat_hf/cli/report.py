"""`picochat report`: rebuild a run's run_manifest.json, report.md and self-contained report.html."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report", help="write run_manifest.json, report.md and report.html for a run directory")
    p.add_argument("--run-dir", type=Path, required=True)
    p.add_argument("--force", action="store_true", help="overwrite an existing report")
    p.add_argument("--no-manifest", action="store_true", help="leave run_manifest.json as it is")
    p.set_defaults(func=_report)


def _report(args: argparse.Namespace) -> int:
    from ..report import write_run_report
    from ..utils.errors import PicochatInputError
    from ..utils.run_manifest import write_run_manifest

    if not args.run_dir.is_dir():
        raise PicochatInputError("run directory not found", path=args.run_dir)
    paths = write_run_report(args.run_dir, force=args.force)  # refuses first if a report exists without --force
    if not args.no_manifest:
        write_run_manifest(args.run_dir)
    print(f"report: {paths['html']} and {paths['md']}")
    from ..gates.verify import verify_release

    print(verify_release(args.run_dir)["sentence"])
    return 0
