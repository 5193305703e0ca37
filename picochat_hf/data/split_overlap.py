"""Validation shards must not hold a sequence the training shards hold.

`shards.is_validation` keeps copies of one document in one split when shards are written, and a val shard that is
a copy of a train shard is refused by its sha256; this check covers what those miss: a manifest whose val shards
come from another build, or were edited, and share some sequences with train. Each sequence of two or more
tokens is hashed (xxh3, 64 bits) straight from the memory-mapped shard; a lone BOS (an empty document) predicts
nothing and is skipped.

That pass reads every token, so it runs once, when `picochat data shards` writes the shards, and its result is
recorded in `shards.json` (`split_overlap`) with the sha256 of each shard it covered. Loading a manifest (every
training start, every rank) only checks that record covers every listed shard, which costs nothing; a manifest
whose record is missing or does not cover a shard is refused, and `--verify-shards` (which also checks every
file's sha256) reruns the full pass instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xxhash

from ..utils.errors import PicochatInputError

MIN_TOKENS = 2  # a sequence shorter than this has no target token: it cannot leak a prediction
RECORD = "split_overlap"
METHOD = f"xxh3_64 of every val sequence of >= {MIN_TOKENS} tokens against every train sequence"
REMEDY = ("rebuild the shards with `picochat data shards`, which keeps copies of a document in one split and records "
          "this check, or pass --verify-shards to run it over every token now")


def _sequence_hashes(folder: Path, shard: dict[str, Any]):
    """(sequence number, hash) of each sequence of at least MIN_TOKENS tokens in one shard."""
    from .shards import KIND_TOKENS, read_index, read_shard

    try:
        tokens = read_shard(folder / shard["tokens"], kind=KIND_TOKENS)
        offsets = read_index(folder, shard)
    except PicochatInputError:
        return  # a broken shard or index is refused, with its own reason, where the training stream reads it
    for k in range(len(offsets) - 1):
        start, end = int(offsets[k]), int(offsets[k + 1])
        if end - start >= MIN_TOKENS:
            yield k, xxhash.xxh3_64_intdigest(tokens[start:end].tobytes())


def check_split_overlap(manifest: dict[str, Any], folder: Path, where: Path) -> int:
    """Refuse a manifest whose val shards hold a sequence (a document's tokens) one of its train shards holds;
    return the number of val sequences checked. Reads every token of every shard."""
    shards = manifest["shards"]
    val: dict[int, tuple[int, int]] = {}
    for i, s in enumerate(shards):
        if s.get("split") == "val":
            for k, h in _sequence_hashes(folder, s):
                val.setdefault(h, (i, k))
    if not val:
        return 0
    for i, s in enumerate(shards):
        if s.get("split", "train") != "train":
            continue
        for k, h in _sequence_hashes(folder, s):
            if h in val:
                vi, vk = val[h]
                raise PicochatInputError(f"val sequence {vk} holds exactly the tokens of train shards[{i}] sequence {k}: "
                                         "validation would score text the model trains on (rebuild the shards with "
                                         "`picochat data shards`, which keeps copies of a document in one split)",
                                         path=where, field=f"shards[{vi}]")
    return len(val)


def _identity(shard: dict[str, Any]) -> list[Any]:
    """What ties a shard to the check: its split and the sha256 of its tokens and of its sequence index."""
    sha = shard.get("sha256") if isinstance(shard.get("sha256"), dict) else {}
    return [shard.get("split", "train"), sha.get("tokens"), sha.get("index")]


def overlap_record(manifest: dict[str, Any], folder: Path, where: Path) -> dict[str, Any]:
    """Run the full check over freshly written shards and return the record `shards.json` keeps of it."""
    try:
        checked = check_split_overlap(manifest, folder, where)
    except PicochatInputError as exc:  # two documents whose texts differ in more than case and spacing, same tokens
        raise PicochatInputError(f"two documents put in different splits tokenise to the same tokens ({exc.reason.split(':')[0]}); "
                                 "remove the duplicate document from the input", path=where, field="text") from None
    return {"method": METHOD, "val_sequences": checked, "overlaps": 0,
            "shards": [_identity(s) for s in manifest["shards"]]}


def check_overlap_record(manifest: dict[str, Any], folder: Path, where: Path, *, full: bool) -> None:
    """At load: with `full`, rerun the check over every token; otherwise require the write-time record to cover every
    listed shard (a record of a superset is fine: dropping shards cannot create an overlap)."""
    shards = manifest["shards"]
    if not any(s.get("split") == "val" for s in shards):
        return  # no validation shard: nothing can be scored on training text
    if full:
        check_split_overlap(manifest, folder, where)
        return
    record = manifest.get(RECORD)
    covered = record.get("shards") if isinstance(record, dict) else None
    if not isinstance(covered, list) or record.get("overlaps") != 0:
        raise PicochatInputError("no record that val and train shards share no sequence; validation could score text "
                                 f"the model trains on ({REMEDY})", path=where, field=RECORD)
    known = {tuple(c) for c in covered if isinstance(c, list)}
    for i, s in enumerate(shards):
        ident = _identity(s)
        if None in ident[1:] or tuple(ident) not in known:
            raise PicochatInputError(f"this {ident[0]} shard is not covered by the split-overlap check recorded when the "
                                     "shards were written: validation would score text the model trains on if it shares "
                                     f"a sequence with train ({REMEDY})", path=where, field=f"shards[{i}]")
