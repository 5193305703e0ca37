"""`picochat eval ...`: SFT fit, held-out fit, chat skills eval, scoring outside replies, external ARC/MMLU files, lm-eval harness."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..eval.dataset_input import add_dataset_flags, eval_rows_input
from ..utils.checks import nonneg_int, open_fraction, positive_float, positive_int, seed


def _model_flags(p: argparse.ArgumentParser, *, max_new_tokens: int | None) -> None:
    p.add_argument("--checkpoint", type=Path, required=True, help="any folder AutoModelForCausalLM loads")
    p.add_argument("--tokenizer", type=Path, default=None, help="tokenizer folder (default: the checkpoint's)")
    p.add_argument("--out-dir", type=Path, required=True)
    p.add_argument("--device", default="cpu", help="cpu, cuda, cuda:0, mps ...")
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"])
    p.add_argument("--batch-size", type=positive_int, default=16)
    if max_new_tokens is not None:
        p.add_argument("--max-new-tokens", type=positive_int, default=max_new_tokens)
        p.add_argument("--scoring-config", type=Path, default=None, help="rule-engine YAML (default: the shipped scoring.yaml)")
    p.add_argument("--max-rows", type=positive_int, default=None, help="score only the first N rows")
    p.add_argument("--trust-remote-code", action="store_true", help="load model code shipped in the checkpoint folder")
    p.add_argument("--force", action="store_true", help="overwrite an existing output folder")
    p.add_argument("--no-progress", action="store_true", help="hide progress bars")


def _add_sft_fit(sub: argparse._SubParsersAction) -> None:
    """`picochat eval sft-fit`: greedy replies scored against SFT answers."""
    fit = sub.add_parser("sft-fit", help="greedy replies to SFT rows scored against the supervised answers")
    fit.add_argument("--input", type=Path, default=None, help="SFT rows (JSONL)")
    add_dataset_flags(fit, split_flag="dataset_train_split", default_split="train")
    fit.add_argument("--split", choices=["train", "heldout"], default="train", help="heldout: the validation split training held out")
    fit.add_argument("--heldout-fraction", "--val-fraction", dest="heldout_fraction", type=open_fraction, default=None,
                     help="held-out share, as `train sft --heldout-fraction` gave it (default: the training default); "
                          "--val-fraction: its old name")
    fit.add_argument("--seed", type=seed, default=None, help="split seed (default: the training default)")
    _model_flags(fit, max_new_tokens=128)
    fit.set_defaults(func=_sft_fit)


def _add_chat(sub: argparse._SubParsersAction) -> None:
    """`picochat eval chat`: the rule-scored chat skills eval."""
    chat = sub.add_parser("chat", help="rule-scored chat skills eval on eval rows")
    chat.add_argument("--input", type=Path, default=None, help="eval rows (JSONL) with scoring rules")
    add_dataset_flags(chat, split_flag="dataset_test_split", default_split="test")
    _model_flags(chat, max_new_tokens=64)
    chat.set_defaults(func=_chat)


def _add_score(sub: argparse._SubParsersAction) -> None:
    """`picochat eval score`: judge replies made elsewhere."""
    score = sub.add_parser("score", help="judge replies made elsewhere (JSONL of {id, reply}) with the eval chat rules")
    score.add_argument("--input", type=Path, default=None, help="eval rows (JSONL) with scoring rules")
    add_dataset_flags(score, split_flag="dataset_test_split", default_split="test")
    score.add_argument("--replies", type=Path, required=True, help='JSONL, one {"id": <row id>, "reply": <text>} per line')
    score.add_argument("--out-dir", type=Path, required=True)
    score.add_argument("--allow-missing", action="store_true", help="count rows without a reply as failed and ignore replies for unknown ids")
    score.add_argument("--scoring-config", type=Path, default=None, help="rule-engine YAML (default: the shipped scoring.yaml)")
    score.add_argument("--force", action="store_true", help="overwrite an existing output folder")
    score.set_defaults(func=_score)


def _add_external(sub: argparse._SubParsersAction) -> None:
    """`picochat eval external`: a local ARC/MMLU file."""
    ext = sub.add_parser("external", help="local ARC/MMLU file: letter logits and answer-text log-likelihood")
    ext.add_argument("--input", type=Path, required=True, help="ARC JSON/JSONL, MMLU JSONL or MMLU CSV")
    ext.add_argument("--format", default="auto", choices=["auto", "arc", "mmlu", "mmlu_csv"])
    ext.add_argument("--benchmark-name", default=None, help="name in reports (default: the file name)")
    _model_flags(ext, max_new_tokens=None)
    # the benchmark protocol's command passes --max-new-tokens 1; scoring reads logits and generates nothing, so the
    # flag could only be ignored: refuse it with that reason rather than as an unknown (mistyped-looking) argument
    ext.add_argument("--max-new-tokens", type=_no_generation, default=None, help=argparse.SUPPRESS)
    ext.set_defaults(func=_external)


def _no_generation(text: str) -> int:
    raise argparse.ArgumentTypeError("eval external scores the options' letter logits and answer-text log-likelihood and "
                                     "generates nothing; leave --max-new-tokens out")


def _add_write_demo(sub: argparse._SubParsersAction) -> None:
    """`picochat eval write-demo-arc`: the shipped ARC-format demo file."""
    demo = sub.add_parser("write-demo-arc", help="write the shipped 30-question ARC-format demo file")
    demo.add_argument("--out", type=Path, required=True)
    demo.add_argument("--force", action="store_true")
    demo.set_defaults(func=_write_demo)


def _add_lm_harness(sub: argparse._SubParsersAction) -> None:
    """`picochat eval lm-harness`: lm-evaluation-harness on a model folder."""
    lm = sub.add_parser("lm-harness", help="run lm-evaluation-harness on a model folder (offline local tasks shipped)")
    lm.add_argument("--checkpoint", "--model-path", dest="checkpoint", type=Path, required=True,
                    help="model folder (an export loads with trust_remote_code); --model-path: its old name")
    lm.add_argument("--tasks", required=True, help="comma-separated lm-eval tasks, e.g. picochat_arc_demo,picochat_arc_local")
    lm.add_argument("--out-dir", type=Path, required=True)
    lm.add_argument("--include-path", type=Path, default=None, help="extra folder of task YAMLs (copied into the run)")
    lm.add_argument("--device", default="cpu")
    lm.add_argument("--batch-size", default="8", help="an integer or 'auto'")
    lm.add_argument("--model-arg", action="append", default=[], metavar="KEY=VALUE", help="extra HFLM model arg (repeatable)")
    lm.add_argument("--arc-file", type=Path, default=None, help="data file for the picochat_arc_local task")
    lm.add_argument("--mmlu-file", type=Path, default=None, help="data file for the picochat_mmlu_local task")
    lm.add_argument("--limit", type=positive_float, default=None, help="lm-eval --limit (rows per task, or a fraction)")
    lm.add_argument("--num-fewshot", type=nonneg_int, default=None)
    lm.add_argument("--apply-chat-template", action="store_true")
    trust = lm.add_mutually_exclusive_group()
    trust.add_argument("--trust-remote-code", action="store_true", default=None,
                       help="run Python shipped in the model folder (default: only when it is picochat's own code, checked by sha256)")
    trust.add_argument("--no-trust-remote-code", action="store_true", help="never run the folder's model code")
    lm.add_argument("--log-samples", action="store_true", help="also store per-document results (lm_eval_samples.jsonl)")
    lm.add_argument("--dry-run", action="store_true", help="write lm_eval_command.json only")
    lm.add_argument("--force", action="store_true")
    lm.set_defaults(func=_lm_harness)


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("eval", help="evaluate checkpoints: SFT fit, chat skills, ARC/MMLU files, lm-eval")
    sub = group.add_subparsers(dest="eval_command", metavar="ACTION", required=True)
    _add_sft_fit(sub)
    _add_chat(sub)
    _add_score(sub)
    _add_external(sub)
    _add_write_demo(sub)
    _add_lm_harness(sub)


def _common(args: argparse.Namespace) -> dict:
    return {
        "tokenizer": args.tokenizer,
        "batch_size": args.batch_size,
        "device": args.device,
        "precision": args.precision,
        "max_rows": args.max_rows,
        "trust_remote_code": args.trust_remote_code,
        "force": args.force,
        "progress": not args.no_progress,
    }


def _print_summary(report: dict, out_dir: Path) -> None:
    s = report["summary"]
    print(f"{report['kind']}: {s['passed']}/{s['n']} passed ({100 * s['pass_rate']:.1f}%, 95% CI "
          f"{100 * s['ci'][0]:.1f}-{100 * s['ci'][1]:.1f}) -> {out_dir}/eval_report.json")  # fmt: skip


def _sft_fit(args: argparse.Namespace) -> int:
    from ..eval.sft_fit import run_sft_fit
    from ..eval.splits import DEFAULT_SPLIT_SEED, DEFAULT_VAL_FRACTION

    with eval_rows_input(args, split_field="dataset_train_split", file_name="sft_rows.jsonl", row_split="train") as (rows, dataset):
        report = run_sft_fit(
            rows, args.checkpoint, args.out_dir, split=args.split,
            heldout_fraction=DEFAULT_VAL_FRACTION if args.heldout_fraction is None else args.heldout_fraction,
            seed=DEFAULT_SPLIT_SEED if args.seed is None else args.seed,
            max_new_tokens=args.max_new_tokens, scoring_config=args.scoring_config, dataset=dataset, **_common(args),
        )  # fmt: skip
    _print_summary(report, args.out_dir)
    return 0


def _chat(args: argparse.Namespace) -> int:
    from ..eval.chat_eval import run_chat_eval
    from ..eval.scoring import check_row_rules

    with eval_rows_input(args, split_field="dataset_test_split", check=check_row_rules, max_rows=args.max_rows) as (rows, dataset):
        report = run_chat_eval(rows, args.checkpoint, args.out_dir, max_new_tokens=args.max_new_tokens,
                               scoring_config=args.scoring_config, dataset=dataset, **_common(args))
    _print_summary(report, args.out_dir)
    return 0


def _score(args: argparse.Namespace) -> int:
    from ..eval.score_replies import run_score_replies
    from ..eval.scoring import check_row_rules

    with eval_rows_input(args, split_field="dataset_test_split", check=check_row_rules) as (rows, dataset):
        report = run_score_replies(rows, args.replies, args.out_dir, allow_missing=args.allow_missing,
                                   scoring_config=args.scoring_config, force=args.force, dataset=dataset)
    _print_summary(report, args.out_dir)
    c = report["config"]
    if c["missing_replies"] or c["extra_replies"]:
        print(f"{c['missing_replies']} rows had no reply (counted as failed); {c['extra_replies']} replies named no row (ignored)")
    return 0


def _external(args: argparse.Namespace) -> int:
    from ..eval.external import run_external_eval

    report = run_external_eval(args.input, args.checkpoint, args.out_dir, fmt=args.format, benchmark_name=args.benchmark_name, **_common(args))
    e = report["external"]
    print(f"{e['benchmark']}: n={e['n']} letter_acc={e['letter_acc']:.3f} acc={e['acc']:.3f} acc_norm={e['acc_norm']:.3f} "
          f"(random baseline {e['random_baseline']:.3f}) -> {args.out_dir}/eval_report.json")  # fmt: skip
    return 0


def _write_demo(args: argparse.Namespace) -> int:
    from ..eval.external import write_demo_arc_file

    print(write_demo_arc_file(args.out, force=args.force))
    return 0


# the `fmt` of the lm-eval task that reads each file (picochat_arc_local.yaml, picochat_mmlu_local.yaml)
LOCAL_TASK_FORMATS = {"arc_file": "arc", "mmlu_file": "auto"}
LOCAL_TASKS = {"arc_file": "picochat_arc_local", "mmlu_file": "picochat_mmlu_local"}  # the task each file feeds


def _local_task_files(args: argparse.Namespace) -> dict[str, str]:
    """The lm-eval metadata naming the local tasks' files. A file no named task reads is refused (`--tasks arc_easy
    --arc-file mine.jsonl` would score the Hub's ARC, not the file), as is a local task with no file (flag or
    PICOCHAT_<KEY> variable), which lm-eval could only fail on; with --include-path, tasks of one's own may read
    the keys, so an unread file is allowed there. Each file is read here so a bad one is one line and exit 2, in a
    dry run too."""
    import os

    from ..eval.external import read_benchmark
    from ..utils.errors import PicochatInputError

    tasks = {t.strip() for t in str(args.tasks).split(",")}
    metadata = {key: str(getattr(args, key)) for key in LOCAL_TASKS if getattr(args, key) is not None}
    for key, task in LOCAL_TASKS.items():
        flag = "--" + key.replace("_", "-")
        if key in metadata and task not in tasks and args.include_path is None:
            raise PicochatInputError(f"{flag} is read only by the {task} task, which --tasks does not name; the file "
                                     "would not be scored", field=key)
        if task in tasks and key not in metadata and not os.environ.get(f"PICOCHAT_{key.upper()}"):
            raise PicochatInputError(f"the {task} task reads its rows from {flag} (or PICOCHAT_{key.upper()}); none "
                                     "given", field=key)
    for key, path in metadata.items():
        if not Path(path).exists():
            raise PicochatInputError("file not found", path=path, field=key)
        if not Path(path).is_file():
            raise PicochatInputError("is a directory where a file is expected", path=path, field=key)
        read_benchmark(path, LOCAL_TASK_FORMATS[key])
    return metadata


def _lm_harness(args: argparse.Namespace) -> int:
    from ..eval.lm_harness import run_lm_harness
    from ..utils.errors import PicochatInputError

    batch_size: int | str = args.batch_size
    auto, _, retries = str(batch_size).partition(":")
    if auto == "auto":  # lm-eval's 'auto' or 'auto:N' (N recomputations of the batch size)
        if _ and (not retries.isdigit() or int(retries) < 1):
            raise PicochatInputError(f"batch size must be an integer >= 1, 'auto' or 'auto:N' with N >= 1, got {batch_size!r}",
                                     field="batch_size")
    else:
        if not str(batch_size).isdigit() or int(batch_size) < 1:
            raise PicochatInputError(f"batch size must be an integer >= 1 or 'auto', got {batch_size!r}", field="batch_size")
        batch_size = int(batch_size)
    metadata = _local_task_files(args)
    record = run_lm_harness(
        args.checkpoint, args.tasks, args.out_dir, include_path=args.include_path, device=args.device,
        batch_size=batch_size, model_args=args.model_arg, apply_chat_template=args.apply_chat_template,
        dry_run=args.dry_run, trust_remote_code=True if args.trust_remote_code else (False if args.no_trust_remote_code else None),
        limit=args.limit,
        num_fewshot=args.num_fewshot, metadata=metadata, log_samples=args.log_samples, force=args.force,
    )  # fmt: skip
    print(record["command_text"])
    if "results" in record:
        print(json.dumps(record["results"]["scores"], indent=2))
    print(f"-> {args.out_dir}")
    return 0
