"""Streamed base pretraining from token shards: memory-mapped, BOS-aligned best fit, the same global batch
for any world size, and an exact data position on resume.

- `ShardStream` walks the train shards of a `shards.json` pass by pass: each pass shuffles the shard order
  and the document order inside a shard with a generator seeded by `seed + pass`, and cuts documents longer
  than a row into row-sized pieces (the first keeps its BOS; nothing is cropped). A conversation (a shard with
  a mask) longer than a row keeps only its first piece: a later one would train the rest of an answer, and
  later turns, with the question they answer cut away. Only the sequence offsets (`.idx.npy`) are read to plan;
  token bytes are read from the memory map when a row is built.
- rows are packed by best fit over a rolling buffer of pieces (`packing.best_fit_rows`), every piece
  starting a new position segment; the rest of a row is padding, counted as such.
- the row stream depends on the data, `seed`, `max_length` and `packing_buffer` only, never on the world
  size or the per-device batch: every rank plans the same stream and accelerate's `BatchSamplerShard` hands
  rank r the micro-batches r, r + W, ..., so a global step holds the same rows for 1 process x 4 rows and
  2 processes x 2 rows. Each rank reads only its own rows' tokens.
- row shards (conversations) carry a supervision mask shard: a piece's labels are its tokens where the mask is
  1 and -100 elsewhere, so only what the writer marked supervised (assistant text) is a target; document
  shards have no mask and every token is a target.
- resuming replays the plan (offsets only, no token reads) up to the checkpoint's step, so the data position
  is restored exactly; `stream_totals` replays it for the report (documents, pieces, passes, padding).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader

from ..data.shards import KIND_MASK, KIND_TOKENS, load_shard_manifest, read_index, read_shard
from ..utils.errors import PicochatInputError
from .packing import best_fit_rows
from .trainer import PackedSFTTrainer

Piece = tuple[int, int, int]  # (shard number within the split, start, end)


class ShardStream:
    """The deterministic piece and row stream of one split of a shard set."""

    def __init__(self, manifest: dict[str, Any], *, split: str, seq_len: int, seed: int = 0, buffer_size: int = 100):
        self.folder = Path(manifest["dir"])
        listed = [(i, s) for i, s in enumerate(manifest["shards"]) if s.get("split", "train") == split]
        self.shards = [s for _, s in listed]
        self._listed_at = [i for i, _ in listed]  # position in the manifest, for error messages
        if not self.shards:
            raise PicochatInputError(f"no {split} shards", path=self.folder / "shards.json", field="shards")
        self.split, self.seq_len, self.seed, self.buffer_size = split, seq_len, seed, max(1, buffer_size)
        self.bos = manifest.get("bos_token_id")
        self.input_kind = manifest.get("input_kind")
        self._maps: dict[int, np.ndarray] = {}
        self._masks: dict[int, np.ndarray | None] = {}
        self._checked: set[int] = set()

    def tokens(self, shard: int) -> np.ndarray:
        if shard not in self._maps:
            self._maps[shard] = read_shard(self.folder / self.shards[shard]["tokens"], kind=KIND_TOKENS)
        return self._maps[shard]

    def mask(self, shard: int) -> np.ndarray | None:
        """The shard's supervision mask (1 = a target), or None for a document shard (every token a target). A shard
        that says it holds unsupervised tokens, or comes from conversations, without a mask shard is refused: read
        as a document shard, the user turns would become targets."""
        if shard not in self._masks:
            entry = self.shards[shard]
            where = self.folder / "shards.json"
            if not entry.get("mask"):
                if self.input_kind == "conversations" or entry.get("supervised_tokens", entry.get("num_tokens")) != entry.get("num_tokens"):
                    raise PicochatInputError("a conversation shard lists no mask shard, so its user turns would be trained "
                                             "on (rebuild the shards with `picochat data shards`)", path=where,
                                             field=f"shards[{self._listed_at[shard]}].mask")
                self._masks[shard] = None
            else:
                mask = read_shard(self.folder / entry["mask"], kind=KIND_MASK)
                if len(mask) != len(self.tokens(shard)):
                    raise PicochatInputError(f"mask shard holds {len(mask)} values, its token shard {len(self.tokens(shard))}",
                                             path=self.folder / entry["mask"], field="header[2]")
                self._masks[shard] = mask
        return self._masks[shard]

    def offsets(self, shard: int) -> np.ndarray:
        """The shard's sequence offsets; the first time, every sequence is checked to start at BOS (one token read
        per document), so an index that does not match its tokens cannot cut documents in the wrong places."""
        offsets = np.asarray(read_index(self.folder, self.shards[shard]))
        if shard not in self._checked and isinstance(self.bos, int):
            starts = np.asarray(self.tokens(shard)[offsets[:-1]])
            if not bool(np.all(starts == self.bos)):
                k = int(np.argmax(starts != self.bos))
                raise PicochatInputError(f"sequence {k} starts with token {int(starts[k])}, not BOS ({self.bos}): the index and "
                                         "the tokens disagree", path=self.folder / self.shards[shard]["index"], field="index")
            self._checked.add(shard)
        return offsets

    def is_conversation(self, shard: int) -> bool:
        """Whether the shard's sequences are conversations (it has a mask shard, or the manifest says so)."""
        return bool(self.shards[shard].get("mask")) or self.input_kind == "conversations"

    def pieces(self, pass_index: int) -> Iterator[tuple[int, Piece]]:
        """(length, piece) for one pass; documents shuffled, long ones cut into row-sized pieces. The part of a
        conversation past its first row comes as one (0, piece): no row takes it, and totals count it."""
        rng = np.random.default_rng(self.seed + pass_index)
        for shard in rng.permutation(len(self.shards)).tolist():
            offsets = self.offsets(shard)
            order = rng.permutation(len(offsets) - 1)
            conversation = self.is_conversation(shard)
            for start, end in zip(offsets[:-1][order].tolist(), offsets[1:][order].tolist()):
                for k in range(start, end, self.seq_len):
                    if conversation and k > start:
                        yield 0, (shard, k, end)
                        break
                    stop = min(k + self.seq_len, end)
                    yield stop - k, (shard, k, stop)

    def passes(self, first: int = 0) -> Iterator[tuple[int, int, Piece]]:
        """(pass, length, piece), pass after pass. A pass without a piece of 2+ tokens (every document a lone
        BOS, or no documents) raises: rows skip such pieces, so the endless stream would never yield a row."""
        p = first
        while True:
            usable = False
            for n, piece in self.pieces(p):
                usable = usable or n >= 2
                yield p, n, piece
            if not usable:
                raise PicochatInputError(f"no {self.split} document holds 2 or more tokens (nothing to predict)",
                                         path=self.folder / "shards.json", field="shards")
            p += 1

    def rows(self) -> Iterator[list[Piece]]:
        """The endless row stream (pieces of length >= 2: a lone token has no target)."""
        stream = ((n, piece) for _, n, piece in self.passes() if n >= 2)
        return (list(r) for r in best_fit_rows(stream, self.seq_len, self.buffer_size))

    def targets(self, piece: Piece) -> int:
        """How many of a piece's tokens are trained on: the collator never trains a piece's first token (its target
        would be the previous piece's last), and a mask shard leaves out what it does not mark 1."""
        shard, start, end = piece
        mask = self.mask(shard)
        if mask is None:
            return max(0, end - start - 1)
        return int(np.count_nonzero(np.asarray(mask[start + 1 : end]) == 1))

    def examples(self, row: list[Piece]) -> list[dict[str, torch.Tensor]]:
        """`input_ids` and `labels` of each piece of a row; labels -100 where the mask shard says unsupervised."""
        out = []
        for shard, start, end in row:
            ids = np.asarray(self.tokens(shard)[start:end], dtype=np.int64)
            labels = ids
            mask = self.mask(shard)
            if mask is not None:
                piece = np.asarray(mask[start:end])
                if piece.size and int(piece.max()) > 1:
                    # a mask holds 0 or 1; any other value is a corrupt or foreign file, not a weight to guess at
                    k = start + int(np.argmax(piece > 1))
                    raise PicochatInputError(f"mask value {int(mask[k])} at position {k}: a mask holds 0 or 1",
                                             path=self.folder / self.shards[shard]["mask"], field="mask")
                labels = np.where(piece == 1, ids, -100)
            out.append({"input_ids": torch.from_numpy(ids), "labels": torch.from_numpy(np.ascontiguousarray(labels))})
        return out


class ShardRowSampler:
    """Endless micro-batches of `rows_per_batch` planned rows (no length: training runs `max_steps`)."""

    def __init__(self, stream: ShardStream, rows_per_batch: int):
        self.stream, self.rows_per_batch = stream, rows_per_batch
        self.batch_size = None  # batches are lists of rows; tells accelerate not to assume a fixed size

    def __iter__(self) -> Iterator[list[list[Piece]]]:
        batch: list[list[Piece]] = []
        for row in self.stream.rows():
            batch.append(row)
            if len(batch) == self.rows_per_batch:
                yield batch
                batch = []


class _ShardRowsView(torch.utils.data.Dataset):
    def __init__(self, stream: ShardStream):
        self.stream = stream

    def __getitem__(self, row: list[Piece]) -> list[dict[str, torch.Tensor]]:
        return self.stream.examples(row)


STREAM_FILE = "picochat_stream.json"


def stream_identity(stream: ShardStream, rows_per_step: int) -> dict[str, Any]:
    """What fixes the row stream and a step's share of it: the train shards (their files' sha256 and sizes), the
    seed, the row length, the packing buffer and the rows per optimizer step (per-device rows x accumulation x
    world size), and for conversation shards the piece rule (only a conversation's first piece). A resumed run replays
    the plan up to its step, so all of it must be what the checkpoint saw."""
    import hashlib
    import json

    listed = [(s.get("tokens"), s.get("sha256"), s.get("num_tokens")) for s in stream.shards]
    identity = {"train_shards_sha256": hashlib.sha256(json.dumps(listed, sort_keys=True).encode("utf-8")).hexdigest(),
                "seed": stream.seed, "max_length": stream.seq_len, "packing_buffer": stream.buffer_size,
                "rows_per_step": rows_per_step}
    if any(stream.is_conversation(k) for k in range(len(stream.shards))):
        # plans written before conversations kept only their first piece have no such key: not resumed as this one
        identity["conversation_pieces"] = "first_only"
    return identity


def check_stream_resume(checkpoint: str | Path, identity: dict[str, Any]) -> None:
    """Refuse to resume a streamed run from a checkpoint whose row stream differs (other shards, seed, row length,
    packing buffer or rows per step): the replayed data position would not be the one the weights were at."""
    import json

    from ..utils.io import read_json

    path = Path(checkpoint) / STREAM_FILE
    if not path.is_file():
        raise PicochatInputError(f"no {STREAM_FILE}: the checkpoint was not written by a streamed run, so its data "
                                 "position is unknown", path=checkpoint, field="resume_from_checkpoint")
    # read as strictly as the manifests: a key named twice could show one stream and be checked as another
    saved = read_json(path)
    if not isinstance(saved, dict):
        raise PicochatInputError(f"expected a JSON object, got {type(saved).__name__}", path=path)
    for key, value in identity.items():
        # compared as JSON text: 0.0 or false would equal a seed of 0 in Python, and no run writes either
        if json.dumps(saved.get(key), sort_keys=True) != json.dumps(value, sort_keys=True):
            raise PicochatInputError(f"the checkpoint's stream had {key} = {saved.get(key)!r}, this run has {value!r}: "
                                     "resume with the same shards and data settings", path=path, field=key)


class ShardPretrainTrainer(PackedSFTTrainer):
    """`PackedSFTTrainer` whose training batches come from a `ShardStream` (evaluation is unchanged)."""

    def __init__(self, *args: Any, shard_stream: ShardStream, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shard_stream = shard_stream

    def rows_per_step(self) -> int:
        args = self.args
        return int(self._train_batch_size) * int(args.gradient_accumulation_steps) * int(args.world_size)

    def _save_checkpoint(self, model: Any, trial: Any) -> None:
        super()._save_checkpoint(model, trial)
        if self.args.should_save:  # before the completion marker (on_save), so a complete checkpoint holds it
            from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR

            from ..utils.io import atomic_write_json

            folder = Path(self._get_output_dir(trial=trial)) / f"{PREFIX_CHECKPOINT_DIR}-{self.state.global_step}"
            atomic_write_json(folder / STREAM_FILE, stream_identity(self.shard_stream, self.rows_per_step()))

    def get_train_dataloader(self) -> DataLoader:
        sampler = ShardRowSampler(self.shard_stream, self._train_batch_size)
        loader = DataLoader(_ShardRowsView(self.shard_stream), batch_sampler=sampler, collate_fn=self.data_collator,
                            num_workers=self.args.dataloader_num_workers, pin_memory=self.args.dataloader_pin_memory)
        return self.accelerator.prepare(loader)


def open_shards(path: str | Path, tokenizer: Any, *, verify_sha256: bool = False) -> dict[str, Any]:
    """The checked manifest of a shard folder for this tokenizer (hash and vocabulary must match)."""
    from ..tokenizer import tokenizer_hash

    try:
        tok_hash = tokenizer_hash(tokenizer)
    except Exception:  # a tokenizer the hash cannot read: the vocabulary check still applies
        tok_hash = None
    manifest = load_shard_manifest(path, tokenizer_hash=tok_hash, vocab_size=len(tokenizer), verify_sha256=verify_sha256)
    where = Path(manifest["dir"]) / "shards.json"
    # a manifest that does not say which tokenizer (or vocabulary) made its ids cannot be checked against the
    # model's: refused, not taken as a match
    if tok_hash is not None and not manifest.get("tokenizer_hash"):
        raise PicochatInputError("the manifest records no tokenizer_hash, so the shards cannot be matched to this "
                                 "tokenizer (rebuild them with `picochat data shards`)", path=where, field="tokenizer_hash")
    if not isinstance(manifest.get("vocab_size"), int):
        raise PicochatInputError("the manifest records no vocab_size (rebuild the shards with `picochat data shards`)",
                                 path=where, field="vocab_size")
    return manifest


def validation_pieces(stream: ShardStream, max_tokens: int | None) -> tuple[list[list[int]], int]:
    """Validation pieces in file order (for a loss, the set matters, not the order), whole documents until
    `max_tokens` is reached; returns (pieces, documents read)."""
    pieces: list[list[int]] = []
    docs = total = 0
    for shard in range(len(stream.shards)):
        if stream.mask(shard) is not None:
            # pieces are scored on every token; a masked shard's user turns would enter the validation loss
            raise PicochatInputError(f"{stream.split} shards carry supervision masks; a validation loss over them "
                                     "would score unsupervised tokens", path=stream.folder / "shards.json",
                                     field=f"shards[{stream._listed_at[shard]}].mask")
        offsets = stream.offsets(shard)
        tokens = stream.tokens(shard)
        for start, end in zip(offsets[:-1].tolist(), offsets[1:].tolist()):
            if max_tokens is not None and total >= max_tokens:
                return pieces, docs
            docs += 1
            for k in range(start, end, stream.seq_len):
                piece = np.asarray(tokens[k : min(k + stream.seq_len, end)], dtype=np.int64).tolist()
                if len(piece) >= 2:
                    pieces.append(piece)
                    total += len(piece)
    return pieces, docs


def stream_totals(stream: ShardStream, num_rows: int) -> dict[str, Any]:
    """What the first `num_rows` rows of the plan hold: pieces, split documents, tokens, the tokens trained on
    (`supervised_tokens`: labels other than -100, read from the mask shards), padding, passes, and the conversation
    tails left out (pieces past a conversation's first row, and their tokens)."""
    pieces = real = supervised = short = tails = tail_tokens = 0
    passes_seen: set[int] = set()
    if num_rows <= 0:
        return {"rows": 0, "pieces": 0, "real_tokens": 0, "supervised_tokens": 0, "padding_tokens": 0, "passes_started": 0}

    def counted() -> Iterator[tuple[int, Piece]]:
        nonlocal short, tails, tail_tokens
        for p, n, piece in stream.passes():
            passes_seen.add(p)
            if n == 0:
                tails, tail_tokens = tails + 1, tail_tokens + piece[2] - piece[1]
                continue
            if n < 2:
                short += 1
                continue
            yield n, piece

    for k, row in enumerate(best_fit_rows(counted(), stream.seq_len, stream.buffer_size)):
        if k >= num_rows:
            break
        pieces += len(row)
        real += sum(end - start for _, start, end in row)
        supervised += sum(stream.targets(piece) for piece in row)
    return {"rows": num_rows, "pieces": pieces, "real_tokens": real, "supervised_tokens": supervised, "padding_tokens": num_rows * stream.seq_len - real,
            "single_token_pieces_skipped": short, "conversation_tails_dropped": tails,
            "conversation_tail_tokens_dropped": tail_tokens, "passes_started": len(passes_seen)}
