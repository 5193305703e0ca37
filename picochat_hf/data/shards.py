"""Token shards in the llm.c format, paired with supervision-mask shards, and pre-tokenised letter-choice evals.

A shard is a 256 x int32 header followed by uint16 values:

    header[0] = 20240520 (magic)   header[1] = 1 (version)   header[2] = number of values
    header[3] = kind (0 tokens, 1 supervision mask)          header[4] = vocabulary size (token shards)

llm.c readers use only header[0..2], so token shards load there unchanged. The mask shard next to each
token shard holds 1 where the token is supervised (assistant text, python calls, <|assistant_end|>; every
token of a pretraining document) and 0 elsewhere. Shards are cut between documents/conversations, never
inside one. A vocabulary larger than 65,536 ids does not fit uint16 and is refused.

Letter-choice eval files are JSONL: per row the prompt tokens up to and including <|assistant_start|>,
`answer_position` (the position whose next-token logits score the letters), the letters, their single
token ids, and `gold` (index of the correct letter).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_output_dir, atomic_write_json, atomic_write_text, sha256_file
from .schema import iter_jsonl, validate_row

MAGIC = 20240520
VERSION = 1
HEADER_INTS = 256
KIND_TOKENS, KIND_MASK = 0, 1
MAX_VOCAB = 1 << 16


def check_vocab_fits(vocab_size: int, where: str | None = None) -> None:
    if vocab_size > MAX_VOCAB:
        raise PicochatInputError(f"vocabulary of {vocab_size} tokens does not fit uint16 shards (at most {MAX_VOCAB})",
                                 path=where, field="vocab_size")


def write_shard(path: str | Path, values: np.ndarray | array, *, kind: int = KIND_TOKENS, vocab_size: int = 0) -> Path:
    """Write one shard (header + uint16 values) atomically."""
    path = Path(path)
    data = np.asarray(values, dtype=np.uint16) if not isinstance(values, array) else np.frombuffer(values, dtype=np.uint16)
    header = np.zeros(HEADER_INTS, dtype=np.int32)
    header[:5] = (MAGIC, VERSION, len(data), kind, vocab_size)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(header.tobytes())
        fh.write(data.tobytes())
    tmp.replace(path)
    return path


def read_shard_header(path: str | Path) -> dict[str, int]:
    path = Path(path)
    if not path.exists():
        raise PicochatInputError("file not found", path=path)
    header = np.fromfile(path, dtype=np.int32, count=HEADER_INTS)
    if len(header) < HEADER_INTS:
        raise PicochatInputError("too short for a shard header", path=path)
    if header[0] != MAGIC:
        raise PicochatInputError(f"bad magic {header[0]} (expected {MAGIC})", path=path, field="header[0]")
    if header[1] != VERSION:
        raise PicochatInputError(f"unsupported version {header[1]}", path=path, field="header[1]")
    n = int(header[2])
    expected = HEADER_INTS * 4 + 2 * n
    if path.stat().st_size != expected:
        raise PicochatInputError(f"file has {path.stat().st_size} bytes, header promises {expected}", path=path, field="header[2]")
    return {"count": n, "kind": int(header[3]), "vocab_size": int(header[4])}


def read_shard(path: str | Path, *, kind: int | None = None) -> np.ndarray:
    """The shard's values as a read-only uint16 memmap (header checked against the file size)."""
    info = read_shard_header(path)
    if kind is not None and info["kind"] != kind:
        raise PicochatInputError(f"expected a {'mask' if kind else 'token'} shard, found kind {info['kind']}", path=path,
                                 field="header[3]")
    return np.memmap(path, dtype=np.uint16, mode="r", offset=HEADER_INTS * 4, shape=(info["count"],))


class TokenShardWriter:
    """Appends (tokens, mask) sequences and cuts a new shard pair when the next sequence would overflow."""

    def __init__(self, out_dir: Path, *, vocab_size: int, shard_tokens: int = 10_000_000, prefix: str = "shard"):
        check_vocab_fits(vocab_size)
        self.out_dir, self.vocab_size, self.shard_tokens, self.prefix = out_dir, vocab_size, shard_tokens, prefix
        self.shards: list[dict[str, Any]] = []
        self._tok, self._mask, self._seqs = array("H"), array("H"), 0

    def add(self, ids: list[int], mask: list[int]) -> None:
        if len(ids) != len(mask):
            raise ValueError("ids and mask differ in length")
        if self._tok and len(self._tok) + len(ids) > self.shard_tokens:
            self._flush()
        if ids and max(ids) >= self.vocab_size:
            raise PicochatInputError(f"token id {max(ids)} outside the vocabulary of {self.vocab_size}", field="input_ids")
        self._tok.extend(ids)
        self._mask.extend(mask)
        self._seqs += 1

    def _flush(self) -> None:
        k = len(self.shards)
        tok_name, mask_name = f"{self.prefix}_{k:06d}.bin", f"{self.prefix}_{k:06d}.mask.bin"
        write_shard(self.out_dir / tok_name, self._tok, kind=KIND_TOKENS, vocab_size=self.vocab_size)
        write_shard(self.out_dir / mask_name, self._mask, kind=KIND_MASK)
        self.shards.append({"tokens": tok_name, "mask": mask_name, "num_tokens": len(self._tok),
                            "supervised_tokens": int(sum(self._mask)), "sequences": self._seqs,
                            "sha256": {"tokens": sha256_file(self.out_dir / tok_name), "mask": sha256_file(self.out_dir / mask_name)}})
        self._tok, self._mask, self._seqs = array("H"), array("H"), 0

    def close(self) -> list[dict[str, Any]]:
        if self._tok:
            self._flush()
        return self.shards


def encode_conversation(tokenizer, messages: list[dict]) -> tuple[list[int], list[int]]:
    """Token ids and the assistant mask from the tokenizer's chat template (`{% generation %}` spans)."""
    enc = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    return list(enc["input_ids"]), list(enc["assistant_masks"])


def encode_document(tokenizer, text: str) -> tuple[list[int], list[int]]:
    ids = tokenizer(text)["input_ids"]  # the tokenizer adds <|bos|> itself
    return ids, [1] * len(ids)


def _encode_documents(tokenizer, texts: list[str]) -> Iterator[tuple[list[int], list[int]]]:
    for ids in tokenizer(texts)["input_ids"]:  # one batched call: the Rust tokenizer works in parallel
        yield ids, [1] * len(ids)


def _iter_sequences(input_path: Path, tokenizer) -> tuple[str, Iterator[tuple[list[int], list[int]]]]:
    name = input_path.name
    if name.endswith(".json") or input_path.is_dir():
        from .dataset_pack import iter_pack_documents

        def docs(batch_size: int = 256) -> Iterator[tuple[list[int], list[int]]]:
            batch: list[str] = []
            for d in iter_pack_documents(input_path):
                batch.append(d["text"])
                if len(batch) == batch_size:
                    yield from _encode_documents(tokenizer, batch)
                    batch = []
            if batch:
                yield from _encode_documents(tokenizer, batch)

        return "documents", docs()
    if name.endswith(".jsonl"):
        def rows() -> Iterator[tuple[list[int], list[int]]]:
            n = 0
            for line, obj in iter_jsonl(input_path):
                row = validate_row(obj, path=input_path, line=line)
                n += 1
                yield encode_conversation(tokenizer, row["messages"])
            if n == 0:
                raise PicochatInputError("no rows (empty file)", path=input_path)

        return "conversations", rows()
    raise PicochatInputError("unknown input; expected rows .jsonl or a dataset_pack.json", path=input_path)


def write_token_shards(input_path: str | Path, tokenizer, out_dir: str | Path, *, shard_tokens: int = 10_000_000,
                       choice_eval: bool = False, force: bool = False, progress: bool = True) -> Path:
    """Tokenise rows (JSONL, chat template + assistant mask) or a dataset pack (documents, all supervised) into
    paired shards under `out_dir`; return the path of `shards.json`. With `choice_eval`, also write
    `choice_eval.jsonl` from the rows that carry `correct_choice`."""
    input_path = Path(input_path)
    if not input_path.exists():
        raise PicochatInputError("file not found", path=input_path)
    vocab = len(tokenizer)
    check_vocab_fits(vocab, where=getattr(tokenizer, "name_or_path", None) or "tokenizer")
    kind, seqs = _iter_sequences(input_path, tokenizer)
    with atomic_output_dir(out_dir, force=force) as tmp:
        writer = TokenShardWriter(tmp, vocab_size=vocab, shard_tokens=shard_tokens)
        for ids, mask in tqdm(seqs, desc="tokenise", unit=kind[:-1], disable=not progress):
            writer.add(ids, mask)
        shards = writer.close()
        manifest = {"format": "llm.c token shards (uint16) + supervision-mask shards", "magic": MAGIC, "version": VERSION,
                    "input": str(input_path), "input_kind": kind, "vocab_size": vocab,
                    "tokenizer_hash": _tok_hash(tokenizer), "shards": shards,
                    "num_tokens": sum(s["num_tokens"] for s in shards),
                    "supervised_tokens": sum(s["supervised_tokens"] for s in shards),
                    "sequences": sum(s["sequences"] for s in shards)}
        if choice_eval:
            if kind != "conversations":
                raise PicochatInputError("--choice-eval needs rows JSONL, not a dataset pack", path=input_path)
            n = write_choice_eval(input_path, tokenizer, tmp / "choice_eval.jsonl")
            manifest["choice_eval"] = {"path": "choice_eval.jsonl", "rows": n}
        atomic_write_json(tmp / "shards.json", manifest)
    return Path(out_dir) / "shards.json"


def _tok_hash(tokenizer) -> str | None:
    try:
        from ..tokenizer import tokenizer_hash

        return tokenizer_hash(tokenizer)
    except Exception:  # a tokenizer the hash cannot read (e.g. not a fast tokenizer)
        return None


def iter_shard_pairs(shards_json: str | Path) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (tokens, mask) memmaps for each shard pair listed in `shards.json`, checking their headers."""
    shards_json = Path(shards_json)
    if shards_json.is_dir():
        shards_json = shards_json / "shards.json"
    from ..utils.io import read_json

    manifest = read_json(shards_json)
    for i, s in enumerate(manifest.get("shards") or []):
        tok = read_shard(shards_json.parent / s["tokens"], kind=KIND_TOKENS)
        mask = read_shard(shards_json.parent / s["mask"], kind=KIND_MASK)
        if len(tok) != len(mask):
            raise PicochatInputError("token and mask shards differ in length", path=shards_json, field=f"shards[{i}]")
        yield tok, mask


# ----------------------------------------------------------------------------------------------- letter-choice evals

def letter_token_ids(tokenizer, letters: Iterable[str]) -> list[int]:
    ids = []
    for letter in letters:
        enc = tokenizer.encode(letter, add_special_tokens=False)
        if len(enc) != 1:
            raise PicochatInputError(f"letter {letter!r} is {len(enc)} tokens, not one", field="letters")
        ids.append(enc[0])
    return ids


def choice_eval_record(row: dict, tokenizer) -> dict:
    msgs = row["messages"]
    last_user = max(i for i, m in enumerate(msgs) if m["role"] == "user")
    prompt = tokenizer.apply_chat_template(msgs[: last_user + 1], tokenize=True, add_generation_prompt=True,
                                           return_dict=True)["input_ids"]
    letters = [chr(ord("A") + i) for i in range(len(row["choices"]))]
    if row["correct_choice"] not in letters:
        raise PicochatInputError(f"correct_choice {row['correct_choice']!r} is not one of {letters}", field="correct_choice")
    return {"id": row["id"], "category": row.get("category"), "tokens": list(prompt), "answer_position": len(prompt) - 1,
            "letters": letters, "letter_token_ids": letter_token_ids(tokenizer, letters),
            "gold": letters.index(row["correct_choice"])}


def write_choice_eval(rows_path: str | Path, tokenizer, out_path: str | Path) -> int:
    rows_path = Path(rows_path)
    records = []
    for line, obj in iter_jsonl(rows_path):
        row = validate_row(obj, path=rows_path, line=line)
        if row.get("correct_choice") and row.get("choices"):
            try:
                records.append(choice_eval_record(row, tokenizer))
            except PicochatInputError as exc:
                raise PicochatInputError(exc.reason, path=rows_path, line=line, field=exc.field) from None
    if not records:
        raise PicochatInputError("no rows with choices and correct_choice", path=rows_path, field="correct_choice")
    atomic_write_text(out_path, "".join(json.dumps(r) + "\n" for r in records))
    return len(records)


def read_choice_eval(path: str | Path) -> list[dict]:
    """Read and validate a pre-tokenised letter-choice eval file."""
    path = Path(path)
    out = []
    for line, obj in iter_jsonl(path):
        if not isinstance(obj, dict):
            raise PicochatInputError("expected a JSON object", path=path, line=line)
        for name, typ in (("id", str), ("tokens", list), ("answer_position", int), ("letters", list),
                          ("letter_token_ids", list), ("gold", int)):
            if not isinstance(obj.get(name), typ):
                raise PicochatInputError(f"missing or not a {typ.__name__}", path=path, line=line, field=name)
        if not all(isinstance(t, int) for t in obj["tokens"]):
            raise PicochatInputError("tokens must be integers", path=path, line=line, field="tokens")
        if not 0 <= obj["answer_position"] < len(obj["tokens"]):
            raise PicochatInputError("outside the token list", path=path, line=line, field="answer_position")
        if len(obj["letters"]) != len(obj["letter_token_ids"]) or not 0 <= obj["gold"] < len(obj["letters"]):
            raise PicochatInputError("letters, letter_token_ids and gold disagree", path=path, line=line, field="gold")
        out.append(obj)
    if not out:
        raise PicochatInputError("no rows (empty file)", path=path)
    return out
