"""`picochat bundle`: pack a run's public result into a tar.gz, or `--check` one."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bundle", help="result bundles: tar.gz of a run's evidence with a sha256 manifest; --check verifies one")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--run-dir", help="Run directory to bundle (with --out).")
    mode.add_argument("--check", metavar="BUNDLE", help="Verify a bundle: names missing, altered and unexpected files.")
    parser.add_argument("--out", help="Bundle path (.tar.gz).")
    parser.add_argument("--force", action="store_true", help="Overwrite an existing bundle.")
    parser.set_defaults(func=_bundle)


def _bundle(args: argparse.Namespace) -> int:
    from ..export.bundle import check_bundle, make_bundle
    from ..utils.errors import PicochatInputError

    if args.check:
        res = check_bundle(args.check)
        for key in ("missing", "altered", "extra", "unsafe"):
            for name in res[key]:
                print(f"{key}: {name}")
        if res["archive_sha256"] is False:
            print("altered: the archive does not match its .sha256 sidecar")
        if res["missing_expected"]:
            print("not in the bundle (expected for a public result): " + "; ".join(res["missing_expected"]))
        print(f"{'ok' if res['ok'] else 'FAILED'}: {res['files']} files checked")
        return 0 if res["ok"] else 1
    if not args.out:
        raise PicochatInputError("--run-dir needs --out path.tar.gz", field="out")
    out = make_bundle(args.run_dir, args.out, force=args.force)
    from ..export.bundle import check_bundle as _check

    res = _check(out)
    print(f"wrote {out} ({res['files']} files)" + (f"; missing: {'; '.join(res['missing_expected'])}" if res["missing_expected"] else ""))
    return 0
