"""`picochat tokenizer train`: a byte-level BPE with nanochat's special tokens and chat template."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..utils.checks import positive_int


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("tokenizer", help="train and inspect tokenizers")
    sub = group.add_subparsers(dest="tokenizer_command", metavar="ACTION", required=True)
    train = sub.add_parser("train", help="train a byte-level BPE tokenizer")
    src = train.add_mutually_exclusive_group(required=True)
    src.add_argument("--input", nargs="+", type=Path, 
                     help=".txt/.md files (one document each) or JSONL (text or messages), optionally .gz/.bz2/.xz/.zst")
    src.add_argument("--default", action="store_true", help="train on the embedded default corpus")
    train.add_argument("--text-column", "--text-field", dest="text_column", default="text",
                       help="JSONL field holding the text (default: text); --text-field: its old name")
    train.add_argument("--vocab-size", type=positive_int, default=4096)
    train.add_argument("--min-frequency", type=positive_int, default=2)
    train.add_argument("--model-max-length", type=positive_int, default=2048)
    train.add_argument("--digit-group", type=int, default=2, choices=[1, 2, 3], help="longest run of digits kept together (nanochat: 2)")
    train.add_argument("--out-dir", type=Path, required=True)
    train.add_argument("--force", action="store_true", help="overwrite an existing tokenizer folder")
    train.set_defaults(func=_train)


def _counted(texts: Iterable[str], seen: list[int]) -> Iterator[str]:
    """Yield `texts`, counting in `seen[0]` those that are not blank."""
    for text in texts:
        if text.strip():
            seen[0] += 1
        yield text


# the BPE trainer sizes its tables by the vocabulary asked for: 10**9 aborts the process on an allocation of ~70 GB
# (a Rust abort, no Python error), while 2**20 needs about 70 MB and is four times the largest vocabularies in use
MAX_VOCAB = 2**20


def _warn_short_vocab(size: int, asked: int, floor: int, min_frequency: int) -> None:
    """One warning naming vocab_size when the input formed fewer merges than it asks for (the trainer stops growing
    without a word): a tokenizer of bytes alone, or a vocabulary smaller than the model would be sized for."""
    if size >= asked:
        return
    import sys

    merges = size - floor
    what = ("no merges formed, so it encodes bytes only" if merges <= 0 else
            f"the input formed only {merges} merges, so it holds {size} tokens")
    fix = "give more text or a lower --min-frequency" + ("" if merges <= 0 else f", or --vocab-size {size}")
    print(f"picochat: warning: field 'vocab_size': {asked} asked for, but {what} (pairs seen fewer than --min-frequency "
          f"{min_frequency} times do not merge); {fix}", file=sys.stderr)


def _train(args: argparse.Namespace) -> int:
    from ..data.default_corpus import default_texts
    from ..tokenizer import SPECIAL_TOKENS, iter_texts_from_files, save_tokenizer, tokenizer_hash, train_tokenizer
    from ..utils.errors import PicochatInputError
    from ..utils.io import atomic_output_dir, ensure_can_write

    floor = 256 + len(SPECIAL_TOKENS)
    if args.vocab_size <= floor:
        raise PicochatInputError(f"must be larger than {floor} (bytes + special tokens), got {args.vocab_size}", field="vocab_size")
    if args.vocab_size > MAX_VOCAB:
        raise PicochatInputError(f"must be at most {MAX_VOCAB} (the largest released vocabularies hold about 256k tokens), got "
                                 f"{args.vocab_size}", field="vocab_size")
    ensure_can_write(args.out_dir, force=args.force)
    if args.input:
        for p in args.input:
            if not p.exists():
                raise PicochatInputError("file not found", path=p, field="input")
            if not p.is_file():
                raise PicochatInputError("is not a file", path=p, field="input")
        texts = iter_texts_from_files(args.input, text_column=args.text_column)
    else:
        texts = default_texts()
    seen = [0]  # documents with any text: a tokenizer trained on nothing is refused, not saved
    with atomic_output_dir(args.out_dir, force=args.force) as tmp:
        tok = train_tokenizer(_counted(texts, seen), vocab_size=args.vocab_size, model_max_length=args.model_max_length,
                              min_frequency=args.min_frequency, digit_group=args.digit_group)
        if not seen[0]:
            raise PicochatInputError("no text to train on (the input files hold no non-blank document)",
                                     path=args.input[0] if args.input else None, field="input")
        save_tokenizer(tok, tmp)
    _warn_short_vocab(len(tok), args.vocab_size, floor, args.min_frequency)
    print(f"tokenizer: {len(tok)} tokens, hash {tokenizer_hash(tok)[:16]}, saved to {args.out_dir}")
    return 0
