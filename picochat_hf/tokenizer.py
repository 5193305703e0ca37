"""Train and load picochat's tokenizer: byte-level BPE (the `tokenizers` library) with nanochat's special
tokens, a Jinja chat template with `{% generation %}` markers, BOS added by the tokenizer itself, and a
stable hash that identifies it in manifests.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import IO

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import AutoTokenizer, PreTrainedTokenizerFast

from .utils.errors import PicochatInputError
from .utils.setting_names import old_keywords

BOS = "<|bos|>"
PAD = "<|pad|>"
SPECIAL_TOKENS = [
    BOS,
    "<|user_start|>",
    "<|user_end|>",
    "<|assistant_start|>",
    "<|assistant_end|>",
    "<|python_start|>",
    "<|python_end|>",
    "<|output_start|>",
    "<|output_end|>",
    PAD,
]
EOS = "<|assistant_end|>"

# GPT-4-style split, with numbers cut into runs of at most two digits (as nanochat does): small
# vocabularies then still tokenise arithmetic consistently.
# `digit_group=1` cuts every digit apart, which helps tiny models learn carries.
# `letter_group=1` cuts every letter apart (a leading space or quote may still join it): no merge then
# hides a word's letters, which spelling and letter-counting tasks need; 0 keeps whole letter runs.
def split_pattern(digit_group: int = 2, letter_group: int = 0) -> str:
    if digit_group not in (1, 2, 3):
        raise ValueError(f"digit_group must be 1, 2 or 3, got {digit_group}")
    if letter_group < 0:
        raise ValueError(f"letter_group must be 0 (whole runs) or positive, got {letter_group}")
    letters = r"\p{L}+" if letter_group == 0 else r"\p{L}{1," + str(letter_group) + "}"
    contraction = r"'(?i:[sdmt]|ll|ve|re)|" if letter_group == 0 else ""
    return (
        contraction
        + r"""[^\r\n\p{L}\p{N}]?+"""
        + letters
        + r"""|\p{N}{1,"""
        + str(digit_group)
        + r"""}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"""
    )


SPLIT_PATTERN = split_pattern(2)


def chat_template() -> str:
    return resources.files("picochat_hf").joinpath("chat_template.jinja").read_text(encoding="utf-8")


def _build_backend(vocab_size: int, texts: Iterable[str], min_frequency: int = 2, digit_group: int = 2,
                   letter_group: int = 0) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(split_pattern(digit_group, letter_group)), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=True,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    return tok


def train_tokenizer(
    texts: Iterable[str],
    vocab_size: int = 4096,
    *,
    model_max_length: int = 2048,
    min_frequency: int = 2,
    digit_group: int = 2,
    letter_group: int = 0,
) -> PreTrainedTokenizerFast:
    """Train a byte-level BPE on `texts` and wrap it as a transformers fast tokenizer.

    The vocabulary holds the 256 byte symbols and the special tokens, so `vocab_size` must exceed
    256 + len(SPECIAL_TOKENS). Numbers are pre-split into runs of at most `digit_group` digits, letters
    into runs of at most `letter_group` letters (0: no limit). A vocabulary larger than the merges the
    split allows simply stops growing.
    """
    floor = 256 + len(SPECIAL_TOKENS)
    if vocab_size <= floor:
        raise ValueError(f"vocab_size must be larger than {floor} (bytes + special tokens), got {vocab_size}")
    backend = _build_backend(vocab_size, texts, min_frequency=min_frequency, digit_group=digit_group,
                             letter_group=letter_group)
    bos_id = backend.token_to_id(BOS)
    backend.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A", pair=f"{BOS} $A {BOS} $B", special_tokens=[(BOS, bos_id)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token=BOS,
        eos_token=EOS,
        pad_token=PAD,
        additional_special_tokens=[t for t in SPECIAL_TOKENS if t not in (BOS, EOS, PAD)],
        chat_template=chat_template(),
        model_max_length=model_max_length,
        clean_up_tokenization_spaces=False,
    )


def _open_text(path: Path) -> IO[str]:
    """The file as UTF-8 text (a BOM dropped), decompressed as a stream when its suffix names a codec."""
    import io

    from .data.readers import compression_of, open_binary

    if compression_of(path) is None:
        return open(path, encoding="utf-8-sig")
    return io.TextIOWrapper(open_binary(path), encoding="utf-8-sig")


@old_keywords("tokenizer train")
def iter_texts_from_files(paths: Iterable[str | Path], text_column: str = "text") -> Iterator[str]:
    """Stream training text from .txt files (one document per file) or JSONL files, either optionally compressed
    (`.gz`, `.bz2`, `.xz`, `.zst`, read as a stream, as `data import` reads them).

    A JSONL line contributes its `text_column` string, or the contents of its `messages`. `text_field` is the old
    keyword of `text_column` (utils/setting_names.yaml): still read, and refused beside it.
    """
    from .data.readers import record_format_name
    from .data.schema import DuplicateKeyError, duplicate_key_error, unique_keys
    from .utils.json_numbers import STRICT_NUMBERS, NonFiniteNumberError, nonfinite_error
    from .utils.json_strings import refuse_lone_surrogates

    for path in map(Path, paths):
        if not path.exists():
            raise PicochatInputError("file not found", path=path)
        suffix = Path(record_format_name(path)).suffix
        if suffix in (".jsonl", ".json"):
            with _open_text(path) as fh:  # a leading byte-order mark is dropped, as every other reader does
                for lineno, raw in enumerate(fh, start=1):
                    if not raw.strip():
                        continue
                    try:
                        obj = json.loads(raw, object_pairs_hook=unique_keys, **STRICT_NUMBERS)
                    except NonFiniteNumberError as exc:
                        raise nonfinite_error(exc, raw, path, line=lineno) from None
                    except json.JSONDecodeError as exc:
                        raise PicochatInputError(f"malformed JSON ({exc.msg})", path=path, line=lineno) from None
                    except DuplicateKeyError as exc:  # the trainer and the scan would read different texts
                        raise duplicate_key_error(exc, path, lineno) from None
                    refuse_lone_surrogates(obj, raw, path, lineno)
                    if isinstance(obj, dict) and isinstance(obj.get(text_column), str):
                        yield obj[text_column]
                    elif isinstance(obj, dict) and isinstance(obj.get("messages"), list):
                        for m in obj["messages"]:
                            c = m.get("content") if isinstance(m, dict) else None
                            if isinstance(c, str):
                                yield c
                            elif isinstance(c, list):
                                yield "".join(p.get("text", "") for p in c if isinstance(p, dict))
                    else:
                        raise PicochatInputError(f"needs a string '{text_column}' or a 'messages' list", path=path, line=lineno, field=text_column)
        elif suffix in (".txt", ".md", ""):
            with _open_text(path) as fh:  # non-UTF-8 text is refused, not trained on as U+FFFD; a BOM is no text
                # stream in paragraphs so a large file never sits in memory whole
                buf: list[str] = []
                for line in fh:
                    buf.append(line)
                    if not line.strip() and len(buf) > 64:
                        yield "".join(buf)
                        buf = []
                if buf:
                    yield "".join(buf)
        else:
            raise PicochatInputError(f"unknown input format {path.suffix!r}; use .txt, .md or .jsonl (optionally .gz, .bz2, .xz "
                                     "or .zst)", path=path)


def save_tokenizer(tok: PreTrainedTokenizerFast, out_dir: str | Path) -> Path:
    """Save with `save_pretrained` and write `tokenizer_hash.txt` next to it."""
    out_dir = Path(out_dir)
    tok.save_pretrained(out_dir)
    (out_dir / "tokenizer_hash.txt").write_text(tokenizer_hash(tok) + "\n", encoding="utf-8")
    return out_dir


def load_tokenizer(path: str | Path) -> PreTrainedTokenizerFast:
    from .utils.model_files import check_tokenizer_folder

    path = check_tokenizer_folder(path)
    if not (path / "tokenizer.json").exists():
        raise PicochatInputError("no tokenizer.json here (expected a folder written by save_pretrained)", path=path, field="tokenizer")
    return AutoTokenizer.from_pretrained(path)


def tokenizer_hash(tok: PreTrainedTokenizerFast) -> str:
    """sha256 over what decides token ids: vocab, merges, pre-tokenizer, post-processor, added tokens,
    and the chat template. Stable across save/load (tested)."""
    spec = json.loads(tok.backend_tokenizer.to_str())
    model = spec.get("model", {})
    payload = {
        "model_type": model.get("type"),
        "vocab": sorted(model.get("vocab", {}).items(), key=lambda kv: kv[1]),
        "merges": [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])],
        "pre_tokenizer": spec.get("pre_tokenizer"),
        "post_processor": spec.get("post_processor"),
        "normalizer": spec.get("normalizer"),
        "added_tokens": sorted((t["id"], t["content"], t.get("special", False)) for t in spec.get("added_tokens", [])),
        "chat_template": tok.chat_template,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()
