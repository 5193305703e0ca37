"""Token shards: the llm.c binary format, a document index, a manifest, and pre-tokenised letter-choice evals.

A shard is a 256 x int32 header followed by the token values:

    header[0] = 20240520 (magic)        header[1] = version: 1 = uint16 values, 2 = uint32 values
    header[2] = number of values        header[3] = kind (0 tokens, 1 supervision mask)
    header[4] = vocabulary size (token shards)      header[5] = bytes per value (2 or 4)

Version 1 is llm.c's own (readers that use only header[0..2] load it unchanged); a vocabulary above 65,536
ids does not fit uint16, so its shards are written as version 2 (uint32), which the header states. Next to
each token shard, `<name>.idx.npy` holds the start offset of every sequence (a document or a conversation,
each starting at BOS) plus the end, so readers find sequence boundaries without scanning tokens. Rows files
also get a mask shard (`<name>.mask.bin`, 1 where the token is supervised: assistant text, python calls,
<|assistant_end|>); document shards have none, every token of a document is a target. Shards are cut between
sequences, never inside one.

`shards.json` lists every shard with its split (train | val), token, sequence and supervised counts and the
sha256 of each file, plus the tokenizer hash, so training refuses shards made with another tokenizer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_output_dir, atomic_write_json, read_json, sha256_file
from . import choice_eval as _choice_eval
from .split_overlap import RECORD as OVERLAP_RECORD
from .split_overlap import check_overlap_record, overlap_record

MAGIC = 20240520
VERSION = 1  # uint16 values (llm.c)
VERSION_U32 = 2  # uint32 values, for vocabularies above 65,536 ids
DTYPES = {VERSION: np.dtype(np.uint16), VERSION_U32: np.dtype(np.uint32)}
HEADER_INTS = 256
HEADER_BYTES = HEADER_INTS * 4
KIND_TOKENS, KIND_MASK = 0, 1
U16_VOCAB = 1 << 16
MAX_VOCAB = 1 << 32
MANIFEST_FORMAT = "picochat_hf.token_shards"
SPLITS = ("train", "val")
# a row's own `split` that puts it in the val shards (nanochat's SFT script writes val rows to their own shards); any
# other split (train, or none) is trained on
DEFAULT_VAL_FRACTION = 0.01  # documents held out into val shards when no val_fraction is given
VAL_ROW_SPLITS = frozenset({"val", "validation", "valid", "dev", "test", "eval", "heldout"})


def version_for_vocab(vocab_size: int) -> int:
    """The shard version whose value type holds every id below `vocab_size`."""
    return VERSION if vocab_size <= U16_VOCAB else VERSION_U32


def check_vocab_fits(vocab_size: int, where: str | None = None) -> None:
    if vocab_size > MAX_VOCAB:
        raise PicochatInputError(f"vocabulary of {vocab_size} tokens does not fit uint32 shards (at most {MAX_VOCAB})",
                                 path=where, field="vocab_size")


def write_shard(path: str | Path, values: Any, *, kind: int = KIND_TOKENS, vocab_size: int = 0,
                version: int | None = None) -> Path:
    """Write one shard (header + values) atomically; the version follows the vocabulary unless given."""
    path = Path(path)
    version = version if version is not None else version_for_vocab(vocab_size)
    dtype = DTYPES[version]
    data = np.asarray(values)
    if data.size and (data.min() < 0 or int(data.max()) > np.iinfo(dtype).max):
        raise PicochatInputError(f"values outside {dtype.name}", path=path, field="input_ids")
    data = data.astype(dtype, copy=False)
    header = np.zeros(HEADER_INTS, dtype=np.int32)
    header[:6] = (MAGIC, version, len(data), kind, min(vocab_size, np.iinfo(np.int32).max), dtype.itemsize)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(header.tobytes())
        fh.write(data.tobytes())
    tmp.replace(path)
    return path


def read_shard_header(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise PicochatInputError("file not found", path=path)
    header = np.fromfile(path, dtype=np.int32, count=HEADER_INTS)
    if len(header) < HEADER_INTS:
        raise PicochatInputError("too short for a shard header", path=path, field="header")
    if header[0] != MAGIC:
        raise PicochatInputError(f"bad magic {header[0]} (expected {MAGIC})", path=path, field="header[0]")
    version = int(header[1])
    if version not in DTYPES:
        raise PicochatInputError(f"unsupported version {version} (expected 1 = uint16 or 2 = uint32)", path=path, field="header[1]")
    dtype = DTYPES[version]
    if header[5] not in (0, dtype.itemsize):  # 0: an llm.c shard, which leaves header[5] unset
        raise PicochatInputError(f"header says {header[5]} bytes per value, version {version} means {dtype.itemsize}",
                                 path=path, field="header[5]")
    n = int(header[2])
    expected = HEADER_BYTES + dtype.itemsize * n
    if path.stat().st_size != expected:
        raise PicochatInputError(f"file has {path.stat().st_size} bytes, header promises {expected}", path=path, field="header[2]")
    return {"count": n, "kind": int(header[3]), "vocab_size": int(header[4]), "version": version, "dtype": dtype}


def read_shard(path: str | Path, *, kind: int | None = None) -> np.ndarray:
    """The shard's values as a read-only memmap (header checked against the file size)."""
    info = read_shard_header(path)
    if kind is not None and info["kind"] != kind:
        raise PicochatInputError(f"expected a {'mask' if kind else 'token'} shard, found kind {info['kind']}", path=path,
                                 field="header[3]")
    if info["count"] == 0:
        return np.zeros(0, dtype=info["dtype"])
    return np.memmap(path, dtype=info["dtype"], mode="r", offset=HEADER_BYTES, shape=(info["count"],))


class TokenShardWriter:
    """Appends sequences and cuts a new shard when the next sequence would overflow `shard_tokens`.

    Writes `<prefix>_NNNNNN.bin` (tokens), `.idx.npy` (sequence offsets) and, with `with_mask`,
    `.mask.bin`. Memory holds one shard's worth of values at most.
    """

    def __init__(self, out_dir: Path, *, vocab_size: int, shard_tokens: int = 10_000_000, prefix: str = "shard",
                 with_mask: bool = True, split: str = "train"):
        check_vocab_fits(vocab_size)
        self.out_dir, self.vocab_size, self.shard_tokens, self.prefix = out_dir, vocab_size, shard_tokens, prefix
        self.with_mask, self.split = with_mask, split
        self.dtype = DTYPES[version_for_vocab(vocab_size)]
        self.shards: list[dict[str, Any]] = []
        self._reset()

    def _reset(self) -> None:
        self._tok: list[np.ndarray] = []
        self._mask: list[np.ndarray] = []
        self._lens: list[int] = []
        self._n = 0

    def add(self, ids: Any, mask: Any = None) -> None:
        ids = np.asarray(ids)
        if self.with_mask:
            mask = np.asarray(mask if mask is not None else np.ones(len(ids)), dtype=np.uint16)
            if len(mask) != len(ids):
                raise ValueError("ids and mask differ in length")
        if ids.size and int(ids.max()) >= self.vocab_size:
            raise PicochatInputError(f"token id {int(ids.max())} outside the vocabulary of {self.vocab_size}", field="input_ids")
        if self._n and self._n + len(ids) > self.shard_tokens:
            self._flush()
        self._tok.append(ids.astype(self.dtype, copy=False))
        if self.with_mask:
            self._mask.append(mask)
        self._lens.append(len(ids))
        self._n += len(ids)

    def _flush(self) -> None:
        stem = f"{self.prefix}_{len(self.shards):06d}"
        names = {"tokens": f"{stem}.bin", "index": f"{stem}.idx.npy", "mask": f"{stem}.mask.bin" if self.with_mask else None}
        tokens = np.concatenate(self._tok)
        write_shard(self.out_dir / names["tokens"], tokens, kind=KIND_TOKENS, vocab_size=self.vocab_size)
        offsets = np.zeros(len(self._lens) + 1, dtype=np.int64)
        np.cumsum(self._lens, out=offsets[1:])
        np.save(self.out_dir / names["index"], offsets)
        supervised = len(tokens)
        if self.with_mask:
            mask = np.concatenate(self._mask)
            write_shard(self.out_dir / names["mask"], mask, kind=KIND_MASK, version=VERSION)
            supervised = int(mask.sum())
        self.shards.append({"split": self.split, **names, "num_tokens": int(len(tokens)), "supervised_tokens": supervised,
                            "sequences": len(self._lens),
                            "sha256": {k: sha256_file(self.out_dir / v) for k, v in names.items() if v}})
        self._reset()

    def close(self) -> list[dict[str, Any]]:
        if self._n:
            self._flush()
        return self.shards


# ----------------------------------------------------------------------------------------------- building shards

def is_validation(doc: dict, fraction: float) -> bool:
    """Stable held-out assignment: a hash of the document's normalised text (its id when it has no text), independent
    of order, seed and world size. Keyed by text, not id, so copies of one document under different ids (or with other
    case and spacing) all land in the same split and validation never scores text the model trained on."""
    import hashlib

    from .dedup import normalize_text

    text = doc.get("text")
    key = (normalize_text(text) if isinstance(text, str) and text.strip() else str(doc.get("id"))).encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2**64 < fraction


def encode_conversation(tokenizer, messages: list[dict], *, source: Any = "<rows>", row_id: Any = None,
                        tools: list[dict] | str | None = None) -> tuple[list[int], list[int]]:
    """Token ids and the assistant mask from the tokenizer's chat template (`{% generation %}` spans), without the
    assistant messages of weight 0 (context only). `tools` (function definitions) go to the template as TRL passes
    them; a template that never reads `tools` is refused them, since it would drop them silently."""
    from .chat_masks import messages_for_template, without_context_only

    from .schema import holds_nothing

    extra = {}
    if not holds_nothing(tools):
        try:
            tools = json.loads(tools) if isinstance(tools, str) else tools
        except ValueError:
            raise PicochatInputError(f"row {row_id!r}: tool definitions given as text that is not JSON", path=source,
                                     field="tools") from None
        if "tools" not in (getattr(tokenizer, "chat_template", None) or ""):
            raise PicochatInputError(f"row {row_id!r}: the chat template renders no tool definitions, so the model would "
                                     "be trained on calls to tools it was never shown", path=source, field="tools")
        extra["tools"] = tools
    refuse_special_token_text(tokenizer, messages, source=source, row_id=row_id)
    enc = tokenizer.apply_chat_template(messages_for_template(tokenizer, messages), tokenize=True, return_dict=True,
                                        return_assistant_tokens_mask=True, **extra)
    ids = list(enc["input_ids"])
    return ids, without_context_only(tokenizer, messages, ids, list(enc["assistant_masks"]), source=source, row_id=row_id)


def refuse_special_token_text(tokenizer, messages: list[dict], *, source: Any, row_id: Any) -> None:
    """Refuse message text that spells one of the tokenizer's special tokens: encoded as the token, it would render
    turns the row does not show (picochat's own are refused when rows are read; this covers any tokenizer's)."""
    from .schema import message_text

    special = [t.content for t in getattr(tokenizer, "added_tokens_decoder", {}).values() if getattr(t, "special", False)]
    for i, msg in enumerate(messages):
        text = message_text(msg.get("content") or "")
        token = next((t for t in special if t and t in text), None)
        if token is not None:
            raise PicochatInputError(f"row {row_id!r}: holds the tokenizer's special token {token}, which would be encoded as "
                                     "the token, not as text", path=source, field=f"messages[{i}].content")


def encode_document(tokenizer, text: str) -> tuple[list[int], list[int]]:
    ids = tokenizer(text)["input_ids"]  # the tokenizer adds <|bos|> itself
    return ids, [1] * len(ids)


def _holds_rows(path: Path) -> bool:
    """A data file of chat rows in any accepted row format (`row_formats.detect_format`: messages,
    prompt/completion, preference, ShareGPT, Alpaca) rather than {"text": ...} documents: its first record says."""
    from .readers import iter_data_records
    from .row_formats import detect_format, present_columns

    for _, obj in iter_data_records(path):
        obj = present_columns(obj)
        return detect_format(obj) is not None or any(k in obj for k in ("messages", "prompt", "chosen"))
    return False


def _is_dataset_pack(path: Path) -> bool:
    """A dataset pack folder or manifest (`format` names a dataset pack; a .json that holds no records is read
    as one, so its errors say what a pack lacks)."""
    from .dataset_pack import PACK_FORMAT
    from .readers import compression_of, iter_data_records

    if path.is_dir() or path.name == "dataset_pack.json":
        return True
    if not path.name.lower().endswith(".json") or compression_of(path):
        return False
    try:
        first = next(iter(iter_data_records(path)), None)
    except PicochatInputError:
        return True
    return first is not None and first[1].get("format") == PACK_FORMAT


def input_kind(input_path: Path) -> str:
    """"conversations" for chat rows (any row format, any data file `readers.iter_data_records` reads),
    "documents" for a dataset pack, text files and data files of {"text": ...} documents."""
    from .readers import input_format, is_data_file

    if _is_dataset_pack(input_path):
        return "documents"
    if input_format(input_path) == "text":
        return "documents"
    if is_data_file(input_path):
        return "conversations" if _holds_rows(input_path) else "documents"
    return "documents"  # .jsonl.gz and the like: input_format has checked it is a document file


def iter_input_documents(input_path: Path, *, text_column: str = "text") -> Iterator[dict]:
    if _is_dataset_pack(input_path):
        from .dataset_pack import iter_pack_documents

        return iter_pack_documents(input_path)
    from .readers import iter_file_documents

    return iter_file_documents(input_path, text_column=text_column)


def _manifest(kind: str, source: Any, tokenizer, shards: list[dict], **extra: Any) -> dict[str, Any]:
    vocab = len(tokenizer)
    version = version_for_vocab(vocab)
    splits = {}
    for split in SPLITS:
        mine = [s for s in shards if s["split"] == split]
        if mine:
            splits[split] = {"shards": len(mine), "num_tokens": sum(s["num_tokens"] for s in mine),
                             "sequences": sum(s["sequences"] for s in mine),
                             "supervised_tokens": sum(s["supervised_tokens"] for s in mine)}
    return {"format": MANIFEST_FORMAT, "layout": "llm.c token shards + .idx.npy sequence offsets"
            + (" + supervision-mask shards" if kind == "conversations" else ""),
            "magic": MAGIC, "version": version, "dtype": DTYPES[version].name, "input": source, "input_kind": kind,
            "vocab_size": vocab, "bos_token_id": tokenizer.bos_token_id, "tokenizer_hash": _tok_hash(tokenizer),
            "shards": shards, "splits": splits,
            "num_tokens": sum(s["num_tokens"] for s in shards),
            "supervised_tokens": sum(s["supervised_tokens"] for s in shards),
            "sequences": sum(s["sequences"] for s in shards), **extra}


def write_document_shards(documents: Iterable[dict], tokenizer, out_dir: str | Path, *, source: Any,
                          shard_tokens: int = 10_000_000, val_fraction: float = 0.01, num_proc: int = 1,
                          batch_docs: int = 512, force: bool = False, progress: bool = True) -> Path:
    """Tokenise documents (`{"id", "text"}`) into train/val token shards; `num_proc` processes tokenise in
    parallel with bounded memory and the output is identical for any `num_proc`. Returns `shards.json`."""
    from collections import deque

    from .parallel_tokenize import tokenize_stream

    if not 0.0 <= val_fraction < 1.0:
        raise PicochatInputError("val_fraction must be within [0, 1)", field="val_fraction")
    vocab = len(tokenizer)
    check_vocab_fits(vocab, where=getattr(tokenizer, "name_or_path", None) or "tokenizer")
    flags: deque[bool] = deque()

    def texts() -> Iterator[str]:
        for doc in documents:
            flags.append(val_fraction > 0 and is_validation(doc, val_fraction))
            yield doc["text"]

    with atomic_output_dir(out_dir, force=force) as tmp:
        writers = {s: TokenShardWriter(tmp, vocab_size=vocab, shard_tokens=shard_tokens, prefix=s, with_mask=False, split=s)
                   for s in SPLITS}
        bar = tqdm(desc="tokenise", unit="doc", disable=not progress)
        for flat, lengths in tokenize_stream(texts(), tokenizer, num_proc=num_proc, batch_docs=batch_docs):
            start = 0
            for n in lengths.tolist():
                writers["val" if flags.popleft() else "train"].add(flat[start : start + n])
                start += n
            bar.update(len(lengths))
        bar.close()
        shards = writers["train"].close() + writers["val"].close()
        if not shards:
            raise PicochatInputError("no documents to tokenise", path=str(source))
        manifest = _manifest("documents", source, tokenizer, shards, val_fraction=val_fraction,
                             documents=sum(s["sequences"] for s in shards))
        manifest[OVERLAP_RECORD] = overlap_record(manifest, tmp, Path(str(source)))
        atomic_write_json(tmp / "shards.json", manifest)
    return Path(out_dir) / "shards.json"


ROWS_ONE_PROCESS = ("is read as chat rows, which are tokenised in one process (chat template and assistant mask per "
                    "conversation), so --num-proc {num_proc} would change nothing; it applies to documents")


def write_token_shards(input_path: str | Path, tokenizer, out_dir: str | Path, *, shard_tokens: int = 10_000_000,
                       choice_eval: bool = False, force: bool = False, progress: bool = True, num_proc: int = 1,
                       val_fraction: float | None = None, text_column: str | None = None) -> Path:
    """Tokenise rows (JSONL: chat template + assistant mask) or documents (a dataset pack, .txt/.md, JSONL or
    parquet with a text column, `text_column` default "text"; all supervised, train/val split by `val_fraction`,
    default 0.01) into shards under `out_dir`; return the path of `shards.json`. Rows carry their own split and
    text, so a `val_fraction` or `text_column` beside them is refused. With `choice_eval`, also write `choice_eval.jsonl` from rows that carry `correct_choice`."""
    input_path = Path(input_path)
    if not input_path.exists():
        raise PicochatInputError("file not found", path=input_path)
    check_vocab_fits(len(tokenizer), where=getattr(tokenizer, "name_or_path", None) or "tokenizer")
    kind = input_kind(input_path)
    if kind == "documents":
        if choice_eval:
            raise PicochatInputError("--choice-eval needs rows JSONL, not documents", path=input_path)
        documents = iter_input_documents(input_path, text_column=text_column or "text")
        return write_document_shards(documents, tokenizer, out_dir,
                                     source=str(input_path), shard_tokens=shard_tokens,
                                     val_fraction=DEFAULT_VAL_FRACTION if val_fraction is None else val_fraction,
                                     num_proc=num_proc, force=force, progress=progress)
    if val_fraction is not None:  # it would split nothing: each row's own `split` decides its shards
        raise PicochatInputError("rows carry their own split (a row with split val, validation, eval, test or heldout "
                                 "goes to the val shards); --val-fraction splits documents only", path=input_path,
                                 field="val_fraction")
    if num_proc != 1:  # rows are encoded one conversation at a time (chat template + mask): more processes would idle
        raise PicochatInputError(ROWS_ONE_PROCESS.format(num_proc=num_proc), path=input_path, field="num_proc")
    if text_column is not None:  # rows are read as conversations: a text column would be read by nothing
        raise PicochatInputError(f"is read as chat rows (their messages), so --text-column {text_column} would be read by "
                                 "nothing; it names the text of documents", path=input_path, field="text_column")
    from collections import Counter

    from .row_formats import iter_rows

    defaults: Counter = Counter()
    return write_row_shards(iter_rows(input_path, defaults_used=defaults), tokenizer, out_dir, source=str(input_path),
                            defaults=defaults, shard_tokens=shard_tokens, force=force, progress=progress,
                            choice_eval_from=input_path if choice_eval else None)


def write_row_shards(rows: Iterable[dict], tokenizer, out_dir: str | Path, *, source: str, defaults: Any = None,
                     shard_tokens: int = 10_000_000, force: bool = False, progress: bool = True,
                     choice_eval_from: str | Path | None = None) -> Path:
    """Tokenise normalised chat rows (chat template + assistant mask) into token and mask shards, `train_*` or, for a
    row whose own `split` is a validation one (`VAL_ROW_SPLITS`), `val_*`; `defaults` is the counter the rows'
    reader filled (for the manifest's `row_formats`). Returns `shards.json`."""
    from .row_formats import defaults_summary

    with atomic_output_dir(out_dir, force=force) as tmp:
        writers = {s: TokenShardWriter(tmp, vocab_size=len(tokenizer), shard_tokens=shard_tokens, prefix=s, split=s)
                   for s in SPLITS}
        for row in tqdm(rows, desc="tokenise", unit="conversation", disable=not progress):
            split = "val" if str(row.get("split") or "train").lower() in VAL_ROW_SPLITS else "train"
            writers[split].add(*encode_conversation(tokenizer, row["messages"], source=source, row_id=row.get("id"),
                                                    tools=row.get("tools")))
        shards = writers["train"].close() + writers["val"].close()
        if not shards:
            raise PicochatInputError("no rows (empty file)", path=source)
        manifest = _manifest("conversations", source, tokenizer, shards, row_formats=defaults_summary(defaults))
        manifest[OVERLAP_RECORD] = overlap_record(manifest, tmp, Path(str(source)))
        if choice_eval_from is not None:
            n = write_choice_eval(choice_eval_from, tokenizer, tmp / "choice_eval.jsonl")
            manifest["choice_eval"] = {"path": "choice_eval.jsonl", "rows": n}
        atomic_write_json(tmp / "shards.json", manifest)
    return Path(out_dir) / "shards.json"


def _tok_hash(tokenizer) -> str | None:
    try:
        from ..tokenizer import tokenizer_hash

        return tokenizer_hash(tokenizer)
    except Exception:  # a tokenizer the hash cannot read (e.g. not a fast tokenizer)
        return None


# ----------------------------------------------------------------------------------------------- reading shards

def load_shard_manifest(shards_json: str | Path, *, tokenizer_hash: str | None = None, vocab_size: int | None = None,
                        verify_sha256: bool = False) -> dict[str, Any]:
    """Read `shards.json` (or its folder) and check every listed file: present, right magic/version/size,
    counts as the manifest says, and (when given) the same tokenizer and vocabulary as the model's; that the
    val/train overlap check recorded at write time covers every shard (`verify_sha256` instead checks every file's
    sha256 and reruns that check over every token).

    Returns the manifest with `dir` set to the folder the shard paths resolve against.
    """
    shards_json = Path(shards_json)
    if shards_json.is_dir():
        shards_json = shards_json / "shards.json"
    if not shards_json.exists():
        raise PicochatInputError("no shards.json here (write one with `picochat data shards`)", path=shards_json)
    manifest = read_json(shards_json)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("shards"), list) or not manifest["shards"]:
        raise PicochatInputError("not a shard manifest (no list of shards)", path=shards_json, field="shards")
    _check_manifest_ids(manifest, shards_json)
    if tokenizer_hash is not None and manifest.get("tokenizer_hash") not in (None, tokenizer_hash):
        raise PicochatInputError(f"shards were tokenised with tokenizer {str(manifest.get('tokenizer_hash'))[:12]}, "
                                 f"the model's is {tokenizer_hash[:12]}", path=shards_json, field="tokenizer_hash")
    if vocab_size is not None and manifest.get("vocab_size", vocab_size) > vocab_size:
        raise PicochatInputError(f"shards use a vocabulary of {manifest['vocab_size']}, the model has {vocab_size}",
                                 path=shards_json, field="vocab_size")
    folder = shards_json.parent
    seen: dict[Any, int] = {}
    for i, s in enumerate(manifest["shards"]):
        field = f"shards[{i}]"
        if not isinstance(s, dict) or not isinstance(s.get("tokens"), str) or s.get("split", "train") not in SPLITS:
            raise PicochatInputError("each shard needs tokens and a split (train | val)", path=shards_json, field=field)
        _check_listed_once(s, i, folder, seen, shards_json)
        info = read_shard_header(folder / s["tokens"])
        if info["kind"] != KIND_TOKENS:
            raise PicochatInputError(f"expected a token shard, found kind {info['kind']}", path=folder / s["tokens"], field="header[3]")
        vocab = manifest.get("vocab_size")
        if info["vocab_size"] and isinstance(vocab, int) and info["vocab_size"] != min(vocab, np.iinfo(np.int32).max):
            # a shard written for another vocabulary holds ids this model's embedding may not have
            raise PicochatInputError(f"shard was written for a vocabulary of {info['vocab_size']}, the manifest says "
                                     f"{manifest['vocab_size']}", path=folder / s["tokens"], field="header[4]")
        if info["count"] != s.get("num_tokens"):
            raise PicochatInputError(f"header holds {info['count']} tokens, the manifest says {s.get('num_tokens')}",
                                     path=folder / s["tokens"], field="header[2]")
        if verify_sha256:
            for key, name in (("tokens", s["tokens"]), ("index", s.get("index")), ("mask", s.get("mask"))):
                if name and s.get("sha256", {}).get(key) != sha256_file(folder / name):
                    raise PicochatInputError("sha256 differs from the manifest", path=folder / name, field=f"{field}.sha256.{key}")
    check_overlap_record(manifest, folder, shards_json, full=verify_sha256)  # full: reread every token
    manifest["dir"] = str(folder)
    return manifest


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_manifest_ids(manifest: dict, where: Path) -> None:
    """`vocab_size` a positive integer and `bos_token_id` a token id of it, when recorded. A string failed comparing
    with the model's vocabulary (TypeError), NaN compared false and skipped that check, and a BOS of `true` was
    taken as token 1 by the stream's document-start check."""
    vocab = manifest.get("vocab_size")
    if vocab is not None and not (_is_count(vocab) and vocab > 0):
        raise PicochatInputError(f"must be a positive integer, got {vocab!r}"[:120], path=where, field="vocab_size")
    bos = manifest.get("bos_token_id")
    if bos is not None and not (_is_count(bos) and 0 <= bos < (vocab or bos + 1)):
        raise PicochatInputError(f"must be a token id (an integer in [0, vocab_size)), got {bos!r}"[:120], path=where,
                                 field="bos_token_id")


def _check_listed_once(shard: dict, i: int, folder: Path, seen: dict[Any, int], where: Path) -> None:
    """A shard file is listed once (listed twice it would be trained on twice, or, listed as train and val,
    scored on the tokens it trained on), and no val shard holds exactly a train shard's tokens (the sha256 the
    manifest records: the same file copied under another name)."""
    path = ("file", (folder / shard["tokens"]).resolve())
    if path in seen:
        raise PicochatInputError(f"lists the file of shards[{seen[path]}] again: a shard may be listed once, in one split",
                                 path=where, field=f"shards[{i}].tokens")
    seen[path] = i
    sha = shard["sha256"].get("tokens") if isinstance(shard.get("sha256"), dict) else None
    split = shard.get("split", "train")
    other = ("sha256", "val" if split == "train" else "train", sha)
    if isinstance(sha, str) and other in seen:
        raise PicochatInputError(f"holds exactly the tokens of {other[1]} shards[{seen[other]}] (same sha256): validation "
                                 "would score the training tokens", path=where, field=f"shards[{i}].tokens")
    seen.setdefault(("sha256", split, sha), i)


def read_index(folder: Path, shard: dict) -> np.ndarray:
    """Sequence offsets of one shard (start of each sequence, then the end), checked against its token count."""
    path = folder / shard["index"] if shard.get("index") else None
    if path is None or not path.exists():
        raise PicochatInputError("sequence index missing (rebuild the shards with `picochat data shards`)",
                                 path=path or folder / shard["tokens"], field="index")
    try:
        offsets = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise PicochatInputError(f"not a readable .npy array ({type(exc).__name__})", path=path, field="index") from None
    if not isinstance(offsets, np.ndarray) or not np.issubdtype(offsets.dtype, np.integer):
        raise PicochatInputError(f"offsets must be integers, got {getattr(offsets, 'dtype', type(offsets).__name__)}",
                                 path=path, field="index")
    if offsets.ndim != 1 or len(offsets) < 2 or offsets[0] != 0 or offsets[-1] != shard["num_tokens"]:
        raise PicochatInputError(f"offsets do not cover the shard's {shard['num_tokens']} tokens", path=path, field="index")
    if not bool(np.all(np.diff(offsets) > 0)):  # every sequence holds at least its BOS
        bad = int(np.argmax(np.diff(offsets) <= 0))
        raise PicochatInputError(f"offsets must increase; sequence {bad} runs from {int(offsets[bad])} to {int(offsets[bad + 1])}",
                                 path=path, field="index")
    return offsets


def iter_shard_pairs(shards_json: str | Path, *, split: str | None = None) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    """Yield (tokens, mask) memmaps for each shard in `shards.json` (mask None for document shards, where every
    token is a target), checking their headers; `split` keeps only train or val shards."""
    manifest = load_shard_manifest(shards_json)
    folder = Path(manifest["dir"])
    for i, s in enumerate(manifest["shards"]):
        if split is not None and s.get("split", "train") != split:
            continue
        tok = read_shard(folder / s["tokens"], kind=KIND_TOKENS)
        mask = read_shard(folder / s["mask"], kind=KIND_MASK) if s.get("mask") else None
        if mask is not None and len(tok) != len(mask):
            raise PicochatInputError("token and mask shards differ in length", path=folder, field=f"shards[{i}]")
        yield tok, mask


# letter-choice evals live in `choice_eval`; kept reachable from here, where `data shards --choice-eval` writes them
choice_eval_record = _choice_eval.choice_eval_record
letter_token_ids = _choice_eval.letter_token_ids
read_choice_eval = _choice_eval.read_choice_eval
write_choice_eval = _choice_eval.write_choice_eval
