"""`picochat honesty scan`: contamination and honesty evidence for a run."""

from __future__ import annotations

import argparse

from ..utils.checks import positive_int


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("honesty", help="contamination scan: eval rows against SFT rows, the corpus and generated replies")
    sub = parser.add_subparsers(dest="honesty_command", metavar="SUBCOMMAND", required=True)
    scan = sub.add_parser("scan", help="Scan eval rows for leaks into SFT rows, the corpus and generated replies.")
    scan.add_argument("--eval", required=True, help="Eval rows (JSONL, row contract).")
    scan.add_argument("--sft", help="SFT rows (JSONL, row contract).")
    scan.add_argument("--dataset-pack", action="append", default=[], help="dataset_pack.json whose documents form the corpus (repeatable).")
    scan.add_argument("--corpus", action="append", default=[], help="Plain text (paragraph per document) or JSONL {text} corpus file (repeatable).")
    scan.add_argument("--default-corpus", action="store_true",
                      help="Also scan the embedded default corpus (what base pretraining reads without a pack), written to "
                           "<out-dir>/default_corpus.jsonl so the report records the fingerprint the base run recorded.")
    scan.add_argument("--generated", action="append", default=[], help="eval_report.json (examples + rates) or JSONL of replies (repeatable).")
    scan.add_argument("--config", help="YAML overriding the scan settings (see picochat_hf/honesty/scan_defaults.yaml).")
    scan.add_argument("--ngram-size", type=positive_int, help="Word n-gram length (default 8).")
    scan.add_argument("--out-dir", required=True, help="Where honesty_report.json and report.md go (e.g. runs/<run>/honesty).")
    scan.add_argument("--force", action="store_true", help="Overwrite an existing report.")
    scan.add_argument("--fail-on-blocked", action="store_true", help="Exit 1 when the status is blocked.")
    scan.set_defaults(func=_scan)


def _scan(args: argparse.Namespace) -> int:
    from ..honesty import load_scan_config, run_scan

    cfg = load_scan_config(args.config, ngram_size=args.ngram_size)
    report = run_scan(
        eval_path=args.eval,
        sft_path=args.sft,
        corpus_paths=[*args.dataset_pack, *args.corpus, *([_default_corpus(args.out_dir, args.force)] if args.default_corpus else [])],
        generated_paths=args.generated,
        out_dir=args.out_dir,
        config=cfg,
        force=args.force,
    )
    print(f"honesty: {report['status']} - {report['summary']} ({args.out_dir}/honesty_report.json)")
    return 1 if args.fail_on_blocked and report["status"] == "blocked" else 0


def _default_corpus(out_dir: str, force: bool) -> str:
    """The embedded default corpus as `embedded_line` JSONL in the scan's folder (its sha256 is the fingerprint base
    pretraining records); an existing file with other bytes is kept unless --force."""
    from pathlib import Path

    from ..gates.preflight_corpus import embedded_line, embedded_text
    from ..utils.errors import PicochatInputError
    from ..utils.io import atomic_write_text

    path = Path(out_dir) / "default_corpus.jsonl"
    data = b"".join(embedded_line(doc_id, text) for doc_id, text in embedded_text().documents)
    if path.is_file() and path.read_bytes() == data:
        return str(path)
    if path.exists() and not force:
        raise PicochatInputError("exists and is not this Python's embedded default corpus; pass --force to replace it",
                                 path=path, field="default_corpus")
    atomic_write_text(path, data.decode("utf-8"))
    return str(path)
