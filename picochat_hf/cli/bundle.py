"""`picochat bundle`: pack a run's public result into a tar.gz, or `--check` one."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bundle", help="result bundles: tar.gz of a run's evidence with a sha256 manifest; --check verifies one")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--run-dir", help="Run directory to bundle (with --out).")
    mode.add_argument("--check", metavar="BUNDLE", help="Verify a bundle: file hashes, the archive's .sha256 sidecar, and every "
                                                        "eval report's rates and intervals re-derived from its results.jsonl, and the release verdict's "
                                                        "checks (scoring:* included) re-derived from the bundled reports.")
    parser.add_argument("--out", help="Bundle path (.tar.gz).")
    parser.add_argument("--force", action="store_true", help="Overwrite an existing bundle.")
    parser.add_argument("--no-archive-hash", action="store_true",
                        help="With --check: a missing .sha256 sidecar is a warning instead of a failure (a mismatching one still fails).")
    parser.set_defaults(func=_bundle)


def _check(path: str, require_archive_hash: bool) -> int:
    from ..export.bundle import check_bundle

    res = check_bundle(path, require_archive_hash=require_archive_hash)
    for problem in res["problems"]:
        print(problem)
    if res["archive_sha256"] is None and not require_archive_hash:
        print("warning: no .sha256 sidecar; the archive itself is unverified (--no-archive-hash)")
    if res["missing_expected"]:
        print("not in the bundle (expected for a public result): " + "; ".join(res["missing_expected"]))
    for said in res["unverifiable"] + res["unverified_checks"]:
        print(f"not verifiable from the bundle: {said}")
    sentence = res["summary"].get("release_sentence")
    if sentence:
        print(f"when bundled: {sentence}")
    audited = sum(1 for r in res["rederived"] if r["ok"])
    print(f"{'ok' if res['ok'] else 'FAILED'}: {res['files']} files checked, {audited} of {len(res['rederived'])} eval reports re-derived from their rows")
    return 0 if res["ok"] else 1


def _bundle(args: argparse.Namespace) -> int:
    from ..export.bundle import check_bundle, make_bundle
    from ..utils.errors import PicochatInputError

    if args.check:
        return _check(args.check, not args.no_archive_hash)
    if not args.out:
        raise PicochatInputError("--run-dir needs --out path.tar.gz", field="out")
    out = make_bundle(args.run_dir, args.out, force=args.force)
    res = check_bundle(out)
    print(f"wrote {out} ({res['files']} files)" + (f"; missing: {'; '.join(res['missing_expected'])}" if res["missing_expected"] else ""))
    print(res["summary"]["release_sentence"])
    return 0
