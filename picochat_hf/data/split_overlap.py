"""Validation shards must not hold a sequence the training shards hold.

`shards.is_validation` keeps copies of one document in one split when shards are written, and a val shard that is
a copy of a train shard is refused by its sha256; this check covers what those miss: a manifest whose val shards
come from another build, or were edited, and share some sequences with train. Each sequence of two or more
tokens is hashed (xxh3, 64 bits) straight from the memory-mapped shard; a lone BOS (an empty document) predicts
nothing and is skipped. Cost: one pass over every shard's tokens, run only when there are val shards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xxhash

from ..utils.errors import PicochatInputError

MIN_TOKENS = 2  # a sequence shorter than this has no target token: it cannot leak a prediction


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


def check_split_overlap(manifest: dict[str, Any], folder: Path, where: Path) -> None:
    """Refuse a manifest whose val shards hold a sequence (a document's tokens) one of its train shards holds."""
    shards = manifest["shards"]
    val: dict[int, tuple[int, int]] = {}
    for i, s in enumerate(shards):
        if s.get("split") == "val":
            for k, h in _sequence_hashes(folder, s):
                val.setdefault(h, (i, k))
    if not val:
        return
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
