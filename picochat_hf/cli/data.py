"""`picochat data ...`: dataset packs, task packs, SFT mixtures, reasoning imports, token shards."""

from __future__ import annotations

import argparse
import glob
from pathlib import Path

from ..utils.checks import fraction, nonneg_int, positive_int, process_count, seed


def _expand(patterns: list[str]) -> list[str]:
    out: list[str] = []
    for pat in patterns:
        hits = sorted(glob.glob(pat))
        out.extend(hits if hits else [pat])  # a pattern matching nothing is reported as "file not found"
    return out


def _cmd_import(args: argparse.Namespace) -> int:
    from ..data.dataset_pack import import_dataset_pack

    documents = None
    if args.default:
        from ..data.default_corpus import iter_default_documents

        documents = iter_default_documents()
    path = import_dataset_pack(
        _expand(args.input) if args.input else None,
        args.out_dir,
        documents=documents,
        dataset_name=args.dataset_name,
        dataset_train_split=args.dataset_train_split,
        text_column=args.text_column,
        dataset_config=args.dataset_config,
        max_rows=args.max_rows,
        min_chars=args.min_chars,
        max_document_chars=args.max_document_chars,
        dedup_exact=args.dedup_exact,
        shard_chars=args.shard_chars,
        force=args.force,
    )
    print(path)
    return 0


def _cmd_task_pack(args: argparse.Namespace) -> int:
    from ..data.task_pack import build_task_pack

    paths = build_task_pack(
        args.out_dir,
        dataset_pack=args.dataset_pack,
        profile=args.profile,
        sft_rows=args.sft_rows,
        eval_rows=args.eval_rows,
        source=args.source,
        answer_style=args.answer_style,
        seed=args.seed,
        force=args.force,
        promote=not args.no_promote,
    )
    for key, path in paths.items():
        print(f"{key}: {path}")
    return 0


def _task_pack_out_dir(args: argparse.Namespace) -> None:
    """`--out-dir` left out: the run layout's task_pack/ beside the dataset pack's folder (`RunDir`), else ./task_pack."""
    if args.out_dir is not None:
        return
    from ..run_dir import RunDir

    pack = Path(args.dataset_pack) if args.dataset_pack else None
    folder = (pack if pack.is_dir() else pack.parent) if pack is not None else None  # a pack is named by file or folder
    in_layout = folder is not None and folder.name == "dataset_pack"
    args.out_dir = str(RunDir(folder.parent).task_pack_dir if in_layout else Path("task_pack"))


SFT_FILE_KEYS = ("smoltalk", "mmlu", "gsm8k", "smoltalk_val", "mmlu_val", "gsm8k_val", "identity", "words")


def _cmd_sft_mixture(args: argparse.Namespace) -> int:
    from ..data.sft_mixture import build_sft_mixture

    local = {k: Path(getattr(args, f"{k}_file")) for k in SFT_FILE_KEYS if getattr(args, f"{k}_file")}
    paths = build_sft_mixture(
        args.out_dir,
        source=args.source,
        local_files=local,
        mmlu_epochs=args.mmlu_epochs,
        gsm8k_epochs=args.gsm8k_epochs,
        identity_epochs=args.identity_epochs,
        simple_spelling_size=args.simple_spelling_size,
        spelling_bee_size=args.spelling_bee_size,
        max_rows_per_source=args.max_rows_per_source,
        seed=args.seed,
        force=args.force,
    )
    for key, path in paths.items():
        print(f"{key}: {path}")
    return 0


_COLUMN_DEFAULTS = {"question_column": "question", "trace_column": "trace", "answer_column": "answer"}


def _reasoning_columns(args: argparse.Namespace) -> dict[str, str | None]:
    """The column flags, defaulted; beside --messages-column, where the messages give question, trace and answer, a
    column flag would be dropped, so it is refused, as is a --seed that --sample first never reads."""
    given = {name: getattr(args, name) for name in _COLUMN_DEFAULTS if getattr(args, name) is not None}
    if args.messages_column is not None and given:
        from ..utils.errors import PicochatInputError

        name = next(iter(given))
        raise PicochatInputError(f"--{name.replace('_', '-')} is not read beside --messages-column (the messages give "
                                 "the question, trace and answer); give one of them", field=name)
    if args.seed is not None and args.sample == "first":
        from ..utils.errors import PicochatInputError

        raise PicochatInputError("--sample first takes the first rows whatever the seed; --seed applies to --sample "
                                 "random or reservoir", field="seed")
    columns = {**_COLUMN_DEFAULTS, **given}
    return {**columns, "answer_column": columns["answer_column"] or None}


def _cmd_reasoning_import(args: argparse.Namespace) -> int:
    from ..data.reasoning_import import import_reasoning_traces

    paths = import_reasoning_traces(
        _expand(args.input),
        args.out_dir,
        **_reasoning_columns(args),
        messages_column=args.messages_column,
        sample=args.sample,
        max_rows=args.max_rows,
        seed=args.seed if args.seed is not None else 0,
        english_only=args.english_only,
        max_chars=args.max_chars,
        dedup=not args.no_dedup,
        system_prompt=args.system_prompt,
        force=args.force,
    )
    for key, path in paths.items():
        print(f"{key}: {path}")
    return 0


def _cmd_shards(args: argparse.Namespace) -> int:
    from ..data.shards import write_token_shards
    from ..tokenizer import load_tokenizer

    tokenizer = load_tokenizer(args.tokenizer)
    if args.dataset_name:
        path = _dataset_shards(args, tokenizer)
    else:
        path = write_token_shards(args.input, tokenizer, args.out_dir, shard_tokens=args.shard_tokens,
                                  choice_eval=args.choice_eval, force=args.force, num_proc=args.num_proc,
                                  val_fraction=args.val_fraction, text_column=args.text_column)
    print(path)
    return 0


def _dataset_shards(args: argparse.Namespace, tokenizer) -> Path:
    """Shards of a named dataset: chat rows (any row format; the first record decides) or documents."""
    from collections import Counter

    from ..data.datasets_source import iter_dataset_documents, iter_dataset_rows, load_records
    from ..data.row_formats import detect_format, present_columns
    from ..data.shards import DEFAULT_VAL_FRACTION, write_document_shards, write_row_shards
    from ..utils.errors import PicochatInputError

    where = f"{args.dataset_name}[{args.dataset_train_split}]"
    named = dict(config=args.dataset_config, split=args.dataset_train_split, streaming=args.dataset_streaming)
    first = next(iter(load_records(args.dataset_name, **named)), None)
    if first is not None and detect_format(present_columns(first[1])) is not None:  # as input_kind decides for --input
        if args.choice_eval:
            raise PicochatInputError("--choice-eval needs --input rows", field="choice_eval")
        if args.num_proc != 1:
            from ..data.shards import ROWS_ONE_PROCESS

            raise PicochatInputError(f"{where} " + ROWS_ONE_PROCESS.format(num_proc=args.num_proc), field="num_proc")
        for name in ("val_fraction", "text_column"):  # as write_token_shards refuses them beside rows
            if getattr(args, name) is not None:
                raise PicochatInputError(f"{where} holds chat rows, which carry their own split and text; "
                                         f"--{name.replace('_', '-')} applies to documents only", field=name)
        defaults: Counter = Counter()
        rows = iter_dataset_rows(args.dataset_name, **named, defaults_used=defaults)
        return write_row_shards(rows, tokenizer, args.out_dir, source=where, defaults=defaults,
                                shard_tokens=args.shard_tokens, force=args.force)
    docs = iter_dataset_documents(args.dataset_name, **named, text_column=args.text_column or "text")
    fraction = DEFAULT_VAL_FRACTION if args.val_fraction is None else args.val_fraction
    return write_document_shards(docs, tokenizer, args.out_dir, source=where, shard_tokens=args.shard_tokens,
                                 val_fraction=fraction, num_proc=args.num_proc, force=args.force)


def _add_import(sub: argparse._SubParsersAction) -> None:
    """`picochat data import`: a corpus into a dataset pack."""
    p = sub.add_parser("import", help="stream a corpus into a dataset pack with an import report")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--input", nargs="+", help="local .txt/.md/.jsonl/.parquet files (globs allowed)")
    src.add_argument("--dataset-name", "--dataset_name", "--hf-dataset", dest="dataset_name",
                     help="a Hub dataset streamed through `datasets` (e.g. karpathy/climbmix-400b-shuffle), a save_to_disk "
                          "folder or a data file (--hf-dataset: its old name)")
    src.add_argument("--default", action="store_true", help="the embedded default corpus (needs no download)")
    p.add_argument("--out-dir", required=True)
    p.add_argument("--dataset-train-split", "--dataset_train_split", "--split", dest="dataset_train_split", default="train",
                   help="split of --dataset-name to read (--split: its old name)")
    p.add_argument("--dataset-config", "--dataset_config", "--hf-config", dest="dataset_config", default=None,
                   help="configuration of --dataset-name (--hf-config: its old name)")
    p.add_argument("--text-column", "--text_column", dest="text_column", default="text")
    p.add_argument("--max-rows", type=positive_int, default=None, help="read at most this many documents")
    p.add_argument("--min-chars", type=nonneg_int, default=20, help="drop documents shorter than this (after stripping)")
    p.add_argument("--max-document-chars", type=positive_int, default=100_000, help="cut longer .txt files at paragraph boundaries")
    p.add_argument("--dedup-exact", action="store_true", help="drop exact duplicate documents (they are always counted)")
    p.add_argument("--shard-chars", type=positive_int, default=64_000_000, help="characters per parquet shard")
    p.add_argument("--force", action="store_true", help="replace an existing output directory")
    p.set_defaults(func=_cmd_import)


def _add_task_pack(sub: argparse._SubParsersAction) -> None:
    """`picochat data task-pack`: procedural SFT and eval rows."""
    p = sub.add_parser("task-pack", help="procedural SFT and held-out eval rows for identity, refusal, choice, math, spelling")
    p.add_argument("--out-dir", default=None,
                   help="default: task_pack/ of the run folder when --dataset-pack is <run>/dataset_pack/dataset_pack.json "
                        "(the run layout), else task_pack/ in the current folder")
    p.add_argument("--dataset-pack", default=None, help="dataset_pack.json to record (and promote) the task pack in")
    p.add_argument("--profile", default="capability", choices=["release", "capability", "balanced"])
    p.add_argument("--sft-rows", type=positive_int, default=2400)
    p.add_argument("--eval-rows", type=positive_int, default=480)
    p.add_argument("--source", default="offline", choices=["offline", "auto", "hf"])
    p.add_argument("--answer-style", "--skill-answer-style", dest="answer_style", default="scratchpad",
                   choices=["direct", "scratchpad"],
                   help="how math and spelling answers are written: the answer alone, or working then 'Final answer:'")
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument("--force", action="store_true", help="overwrite existing task-pack files")
    p.add_argument("--no-promote", action="store_true", help="leave the dataset pack manifest untouched")
    p.set_defaults(func=_cmd_task_pack, defaults=_task_pack_out_dir)


def _add_sft_mixture(sub: argparse._SubParsersAction) -> None:
    """`picochat data sft-mixture`: nanochat's SFT mixture."""
    p = sub.add_parser("sft-mixture", help="nanochat's SFT mixture: SmolTalk, MMLU, GSM8K tool calls, spelling, identity")
    p.add_argument("--out-dir", required=True)
    p.add_argument("--source", default="auto", choices=["auto", "hf", "offline"],
                   help="auto: local file if given, else the Hub, skipping what cannot be reached; hf: Hub required; "
                        "offline: local files and procedural tasks only")
    for key in SFT_FILE_KEYS:
        p.add_argument(f"--{key.replace('_', '-')}-file", default=None, help=f"local rows for {key}: JSON lines, a JSON array, CSV, parquet or Arrow (.gz/.bz2/.xz/.zst for text formats)"
                       if key != "words" else "word list (one word per line) for the spelling tasks")
    p.add_argument("--mmlu-epochs", type=nonneg_int, default=3)
    p.add_argument("--gsm8k-epochs", type=nonneg_int, default=4)
    p.add_argument("--identity-epochs", type=nonneg_int, default=2)
    p.add_argument("--simple-spelling-size", type=nonneg_int, default=200_000)
    p.add_argument("--spelling-bee-size", type=nonneg_int, default=80_000)
    p.add_argument("--max-rows-per-source", type=positive_int, default=None, help="cap every source (for small runs)")
    p.add_argument("--seed", type=seed, default=42)
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=_cmd_sft_mixture)


def _add_reasoning_import(sub: argparse._SubParsersAction) -> None:
    """`picochat data reasoning-import`: reasoning traces as SFT rows."""
    p = sub.add_parser("reasoning-import", help="reasoning traces -> <reasoning>...</reasoning><answer>...</answer> SFT rows")
    p.add_argument("--input", nargs="+", required=True, help=".parquet or .jsonl files (globs allowed)")
    p.add_argument("--out-dir", required=True)
    p.add_argument("--question-column", default=None, help="default: question")
    p.add_argument("--trace-column", default=None, help="default: trace")
    p.add_argument("--answer-column", default=None, help="default: answer; empty string: split the trace at </think> instead")
    p.add_argument("--messages-column", default=None, help="read a messages list instead of the three column flags")
    p.add_argument("--sample", default="first", choices=["first", "random", "reservoir"])
    p.add_argument("--max-rows", "--rows", dest="max_rows", type=positive_int, default=None,
                   help="keep at most this many rows (--rows: its old name)")
    p.add_argument("--seed", type=seed, default=None, help="with --sample random or reservoir (default 0)")
    p.add_argument("--english-only", action="store_true")
    p.add_argument("--max-chars", type=positive_int, default=None, help="length budget for trace + answer, in characters")
    p.add_argument("--no-dedup", action="store_true", help="keep rows whose normalised question repeats")
    p.add_argument("--system-prompt", default=None)
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=_cmd_reasoning_import)


def _add_shards(sub: argparse._SubParsersAction) -> None:
    """`picochat data shards`: token shards for pretraining."""
    p = sub.add_parser("shards", help="llm.c-style token shards (uint16, uint32 above 65,536 ids) with a manifest and "
                                      "validation split, for `train base --shards`; rows also get supervision-mask shards")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--input", help="rows .jsonl (chat template, assistant mask), a dataset_pack.json, or documents "
                                     "(.txt/.md, .jsonl/.parquet with a text column)")
    src.add_argument("--dataset-name", "--dataset_name", dest="dataset_name",
                     help="documents from a Hub dataset, a save_to_disk folder or a local data file, through `datasets`")
    p.add_argument("--dataset-config", "--dataset_config", dest="dataset_config", default=None)
    p.add_argument("--dataset-train-split", "--dataset_train_split", dest="dataset_train_split", default="train")
    p.add_argument("--dataset-streaming", "--dataset_streaming", "--streaming", dest="dataset_streaming", action="store_true",
                   help="stream the dataset instead of downloading it first")
    p.add_argument("--text-column", "--text_column", dest="text_column", default=None,
                   help="the text column of documents (default: text); chat rows are read by their messages")
    p.add_argument("--tokenizer", required=True, help="a tokenizer folder (save_pretrained output)")
    p.add_argument("--out-dir", required=True)
    p.add_argument("--shard-tokens", type=positive_int, default=10_000_000, help="tokens per shard (cut between sequences)")
    p.add_argument("--num-proc", "--num_proc", dest="num_proc", type=process_count, default=1,
                   help="tokenising processes for documents (batched fast-tokenizer calls; output identical for any "
                        "value); chat rows are tokenised in one process (more is refused)")
    p.add_argument("--val-fraction", "--val_fraction", dest="val_fraction", type=fraction, default=None,
                   help="documents held out into val shards by a stable hash of their id (default 0.01); rows carry "
                        "their own split")
    p.add_argument("--choice-eval", action="store_true", help="also write choice_eval.jsonl from rows with correct_choice")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=_cmd_shards)


def register(subparsers: argparse._SubParsersAction) -> None:
    data = subparsers.add_parser("data", help="dataset packs, task packs, SFT mixtures, reasoning imports, token shards")
    sub = data.add_subparsers(dest="data_command", metavar="DATA_COMMAND")
    _add_import(sub)
    _add_task_pack(sub)
    _add_sft_mixture(sub)
    _add_reasoning_import(sub)
    _add_shards(sub)

    def no_subcommand(args: argparse.Namespace) -> int:
        data.print_help()
        return 2

    data.set_defaults(func=no_subcommand)
