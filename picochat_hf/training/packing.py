"""BOS-aligned best-fit packing of whole conversations into fixed-length rows.

The design follows nanochat's SFT loader (BestFit-Pad), with the two fixes a port needs:

- every row holds whole conversations, each starting at its own BOS, placed by *best fit*: keep a buffer of
  sampled conversations and, while a row has room, take the largest one that still fits; when none fits,
  pad the rest of the row. Nothing is cropped at packing time.
- packed conversations cannot see each other: `position_ids` restart at 0 for every conversation and the
  batch carries **no** `attention_mask`, which is what makes transformers' `create_causal_mask` build a
  block-diagonal mask (an all-ones mask would silently re-enable cross-conversation attention).

Conversations longer than a row never reach the packer: `apply_overlong_policy` truncates or drops them
up front and counts what it did, so the loss can't quietly train on nothing (nanochat's latent NaN).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

IGNORE_INDEX = -100
PACKING_MODES = ("bos_bestfit", "none")
OVERLONG_POLICIES = ("truncate", "drop")


@dataclass
class OverlongStats:
    """What the overlong policy did, so reports can say it instead of hiding it."""

    policy: str
    seq_len: int
    seen: int = 0
    kept: int = 0
    truncated: int = 0
    dropped_too_long: int = 0
    dropped_no_supervised: int = 0
    tokens_seen: int = 0
    tokens_cropped: int = 0
    tokens_dropped: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def apply_overlong_policy(
    input_ids: Sequence[int],
    labels: Sequence[int],
    seq_len: int,
    policy: str,
    stats: OverlongStats,
) -> tuple[list[int], list[int]] | None:
    """Fit one tokenised example into `seq_len` tokens, or return None when it must be dropped.

    `truncate` keeps the first `seq_len` tokens (so the example still starts at BOS); `drop` skips it. An
    example with no supervised token left (all labels -100) is always dropped and counted separately.
    """
    if policy not in OVERLONG_POLICIES:
        raise ValueError(f"overlong policy must be one of {OVERLONG_POLICIES}, got {policy!r}")
    n = len(input_ids)
    stats.seen += 1
    stats.tokens_seen += n
    ids, labs = list(input_ids), list(labels)
    if n > seq_len:
        if policy == "drop":
            stats.dropped_too_long += 1
            stats.tokens_dropped += n
            return None
        stats.truncated += 1
        stats.tokens_cropped += n - seq_len
        ids, labs = ids[:seq_len], labs[:seq_len]
    # labels[0] is never a target (nothing precedes the BOS), so look at positions 1.. only
    if not any(x != IGNORE_INDEX for x in labs[1:]):
        stats.dropped_no_supervised += 1
        stats.tokens_dropped += len(ids)
        return None
    stats.kept += 1
    return ids, labs


class BestFitBuffer:
    """A buffer of (length, item) pairs that pops the largest item no longer than a given room, in O(log n)."""

    def __init__(self) -> None:
        self._keys: list[tuple[int, int]] = []  # (length, insertion number) keeps ties in arrival order
        self._items: dict[tuple[int, int], Any] = {}
        self._counter = 0

    def __len__(self) -> int:
        return len(self._keys)

    def push(self, length: int, item: Any) -> None:
        key = (length, self._counter)
        self._counter += 1
        bisect.insort(self._keys, key)
        self._items[key] = item

    def pop_best_fit(self, room: int) -> tuple[int, Any] | None:
        """Remove and return the largest item with length <= room (earliest among equals), or None."""
        # position after every key with length <= room; step back to the last one
        pos = bisect.bisect_right(self._keys, (room, float("inf")))
        if pos == 0:
            return None
        length = self._keys[pos - 1][0]
        # among items of this length prefer the earliest arrival: the first key with this length
        first = bisect.bisect_left(self._keys, (length, -1))
        key = self._keys.pop(first)
        return length, self._items.pop(key)


def best_fit_rows(
    stream: Iterable[tuple[int, Any]],
    seq_len: int,
    buffer_size: int = 100,
) -> Iterator[list[Any]]:
    """Group (length, item) pairs into rows of at most `seq_len` tokens by best fit over a rolling buffer.

    For each row: refill the buffer to `buffer_size`, take the largest item that fits the room left, repeat
    until nothing fits, then close the row. Items longer than `seq_len` are an error (apply the overlong
    policy first). Yields lists of items; the stream may be infinite.
    """
    if buffer_size < 1:
        raise ValueError("buffer_size must be >= 1")
    it = iter(stream)
    buf = BestFitBuffer()
    exhausted = False

    def refill() -> None:
        nonlocal exhausted
        while not exhausted and len(buf) < buffer_size:
            try:
                length, item = next(it)
            except StopIteration:
                exhausted = True
                return
            if length > seq_len:
                raise ValueError(f"item of {length} tokens is longer than a row ({seq_len}); apply the overlong policy first")
            buf.push(length, item)

    while True:
        refill()
        if not len(buf):
            return
        row: list[Any] = []
        room = seq_len
        while room > 0:
            refill()
            got = buf.pop_best_fit(room)
            if got is None:
                break
            length, item = got
            row.append(item)
            room -= length
        yield row


@dataclass
class PackingCollator:
    """Collate tokenised examples into a training batch.

    `packing="bos_bestfit"`: features are either *planned rows* (a list of rows, each a list of examples, as
    yielded by `PackedBatchSampler`) or a flat list of examples, which are then packed here by best fit.
    Every row is exactly `seq_len` long: `input_ids` padded with `pad_token_id`, `labels` -100 on padding, on
    non-assistant tokens and on the first token of every example, `position_ids` restarting at 0 per example
    (padding forms its own segment). No `attention_mask`, on purpose (see the module docstring).

    `packing="none"`: one example per row, right-padded to the longest in the batch, with the usual
    `attention_mask` (the padding baseline).

    Each example is a mapping with `input_ids` and `labels` (same length). The batch also carries
    `num_real_tokens`, `num_slots` and `num_supervised_tokens` (0-d tensors) that the trainer pops before
    the forward pass; they feed the throughput and utilisation metrics.
    """

    pad_token_id: int
    seq_len: int
    packing: str = "bos_bestfit"
    buffer_size: int = 100
    return_tensors: str = "pt"
    stats_keys: tuple[str, ...] = field(default=("num_real_tokens", "num_slots", "num_supervised_tokens"), init=False)

    def __post_init__(self) -> None:
        if self.packing not in PACKING_MODES:
            raise ValueError(f"packing must be one of {PACKING_MODES}, got {self.packing!r}")

    def __call__(self, features: list[Any]) -> dict[str, torch.Tensor]:
        if not features:
            raise ValueError("empty batch")
        planned = isinstance(features[0], (list, tuple))
        if self.packing == "none":
            examples = [ex for row in features for ex in row] if planned else list(features)
            return self._pad_batch(examples)
        if planned:
            rows = [list(row) for row in features]
        else:
            rows = list(best_fit_rows(((len(ex["input_ids"]), ex) for ex in features), self.seq_len, max(self.buffer_size, len(features))))
        return self._packed_batch(rows)

    def _packed_batch(self, rows: list[list[dict]]) -> dict[str, torch.Tensor]:
        R, T = len(rows), self.seq_len
        input_ids = torch.full((R, T), self.pad_token_id, dtype=torch.long)
        labels = torch.full((R, T), IGNORE_INDEX, dtype=torch.long)
        position_ids = torch.zeros((R, T), dtype=torch.long)
        real = 0
        for r, row in enumerate(rows):
            pos = 0
            for ex in row:
                ids = ex["input_ids"]
                n = len(ids)
                if pos + n > T:
                    raise ValueError(f"row {r} overflows: {pos} + {n} > {T} tokens")
                input_ids[r, pos : pos + n] = torch.as_tensor(ids, dtype=torch.long)
                labels[r, pos : pos + n] = torch.as_tensor(ex["labels"], dtype=torch.long)
                labels[r, pos] = IGNORE_INDEX  # first token: its target would be the previous example's last token
                position_ids[r, pos : pos + n] = torch.arange(n)
                pos += n
            if pos < T:
                position_ids[r, pos:] = torch.arange(T - pos)  # padding: a segment of its own
            real += pos
        return {
            "input_ids": input_ids,
            "labels": labels,
            "position_ids": position_ids,
            "num_real_tokens": torch.tensor(real),
            "num_slots": torch.tensor(R * T),
            "num_supervised_tokens": (labels != IGNORE_INDEX).sum(),
        }

    def _pad_batch(self, examples: list[dict]) -> dict[str, torch.Tensor]:
        B = len(examples)
        T = max(len(ex["input_ids"]) for ex in examples)
        input_ids = torch.full((B, T), self.pad_token_id, dtype=torch.long)
        labels = torch.full((B, T), IGNORE_INDEX, dtype=torch.long)
        attention_mask = torch.zeros((B, T), dtype=torch.long)
        real = 0
        for b, ex in enumerate(examples):
            n = len(ex["input_ids"])
            input_ids[b, :n] = torch.as_tensor(ex["input_ids"], dtype=torch.long)
            labels[b, :n] = torch.as_tensor(ex["labels"], dtype=torch.long)
            labels[b, 0] = IGNORE_INDEX
            attention_mask[b, :n] = 1
            real += n
        return {
            "input_ids": input_ids,
            "labels": labels,
            "attention_mask": attention_mask,
            "num_real_tokens": torch.tensor(real),
            "num_slots": torch.tensor(B * T),
            "num_supervised_tokens": (labels != IGNORE_INDEX).sum(),
        }
