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
    from ..utils.run_manifest import write_run_manifest
    from .run_folder import require_run_folder

    require_run_folder(args.run_dir)  # a report is never written into an empty folder or a model folder
    paths = write_run_report(args.run_dir, force=args.force)  # refuses first if a report exists without --force
    if not args.no_manifest:
        write_run_manifest(args.run_dir)
    print(f"report: {paths['html']} and {paths['md']}")
    from ..gates.verify import verify_release

    print(verify_release(args.run_dir)["sentence"])
    return 0
