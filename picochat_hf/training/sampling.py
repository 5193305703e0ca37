"""Category-aware sampling and the packed batch sampler that feeds `PackingCollator`.

Sampling modes (P is the probability that a draw comes from category c, n_c its number of rows):

- `category_sqrt`: P(c) ∝ sqrt(n_c), rows uniform within a category (draws with replacement). Big
  categories still dominate, small ones are seen far more often than their share.
- `category_balanced`: P(c) equal for every category (with replacement).
- `uniform`: every row once per pass, in a shuffled order (without replacement).
- `sequential`: every row once, in file order (evaluation).

Every random choice comes from a `torch.Generator` seeded with `seed + epoch`, never from global state, so
all DDP ranks compute the identical batch sequence; accelerate's `BatchSamplerShard` then hands rank r the
batches r, r + W, r + 2W, … (disjoint slices). Resuming replays the same sequence and skips what was done.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence

import torch

from .packing import best_fit_rows

SAMPLING_MODES = ("category_sqrt", "category_balanced", "uniform", "sequential")


def category_probabilities(categories: Sequence[str], mode: str) -> dict[str, float]:
    """P(category) under a sampling mode."""
    counts = Counter(categories)
    if mode == "category_sqrt":
        raw = {c: math.sqrt(n) for c, n in counts.items()}
    elif mode == "category_balanced":
        raw = {c: 1.0 for c in counts}
    elif mode in ("uniform", "sequential"):
        raw = {c: float(n) for c, n in counts.items()}
    else:
        raise ValueError(f"sampling must be one of {SAMPLING_MODES}, got {mode!r}")
    total = sum(raw.values())
    return {c: v / total for c, v in sorted(raw.items())}


def row_weights(categories: Sequence[str], mode: str) -> torch.Tensor:
    """Per-row sampling weight: P(category of the row) / n_category."""
    counts = Counter(categories)
    probs = category_probabilities(categories, mode)
    return torch.tensor([probs[c] / counts[c] for c in categories], dtype=torch.float64)


def index_stream(n: int, mode: str, generator: torch.Generator, weights: torch.Tensor | None = None, chunk: int = 4096) -> Iterator[int]:
    """Row indices drawn under `mode`; infinite except for `sequential` (one pass)."""
    if n == 0:
        return
    if mode == "sequential":
        yield from range(n)
        return
    if mode == "uniform":
        while True:
            yield from torch.randperm(n, generator=generator).tolist()
    if weights is None:
        raise ValueError(f"{mode} sampling needs row weights")
    while True:
        yield from torch.multinomial(weights, chunk, replacement=True, generator=generator).tolist()


class PackedBatchSampler:
    """Yields micro-batches as lists of rows; each row is a tuple of example indices that fit `seq_len`.

    With `packing="bos_bestfit"` rows are filled by best fit from a buffer of sampled examples; with
    `packing="none"` every row is one example. A training epoch has a fixed number of batches (what one
    pass of `len(lengths)` draws packs into at epoch 0), so the Trainer's step arithmetic holds for every
    epoch; `sequential` yields each example exactly once and may end with a short batch.
    """

    def __init__(
        self,
        lengths: Sequence[int],
        categories: Sequence[str] | None,
        *,
        seq_len: int,
        rows_per_batch: int,
        packing: str = "bos_bestfit",
        sampling: str = "category_sqrt",
        seed: int = 0,
        buffer_size: int = 100,
    ) -> None:
        if sampling not in SAMPLING_MODES:
            raise ValueError(f"sampling must be one of {SAMPLING_MODES}, got {sampling!r}")
        self.lengths = list(lengths)
        self.categories = list(categories) if categories is not None else ["all"] * len(self.lengths)
        if len(self.categories) != len(self.lengths):
            raise ValueError("lengths and categories differ in size")
        if not self.lengths:
            raise ValueError("no examples to sample from")
        too_long = [i for i, n in enumerate(self.lengths) if n > seq_len]
        if too_long:
            raise ValueError(f"{len(too_long)} examples exceed seq_len={seq_len}; apply the overlong policy first")
        self.seq_len = seq_len
        self.rows_per_batch = rows_per_batch
        self.packing = packing
        self.sampling = sampling
        self.seed = seed
        # a buffer larger than the data would hold the same example twice and pack the copies side by side
        self.buffer_size = max(1, min(buffer_size, len(self.lengths)))
        self.epoch = 0
        self.batch_size = None  # batches are lists of rows; tells accelerate not to assume a fixed size
        self._weights = row_weights(self.categories, sampling) if sampling.startswith("category") else None
        self._num_batches: int | None = None

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    # -- the deterministic plan -------------------------------------------------------------------------
    def _stream(self, epoch: int) -> Iterator[int]:
        gen = torch.Generator().manual_seed(self.seed + epoch)
        return index_stream(len(self.lengths), self.sampling, gen, self._weights)

    def _rows(self, stream: Iterator[int]) -> Iterator[tuple[int, ...]]:
        if self.packing == "none":
            for i in stream:
                yield (i,)
            return
        yield from (tuple(r) for r in best_fit_rows(((self.lengths[i], i) for i in stream), self.seq_len, self.buffer_size))

    def _batches(self, epoch: int) -> Iterator[list[tuple[int, ...]]]:
        batch: list[tuple[int, ...]] = []
        for row in self._rows(self._stream(epoch)):
            batch.append(row)
            if len(batch) == self.rows_per_batch:
                yield batch
                batch = []
        if batch:
            yield batch

    def __len__(self) -> int:
        if self._num_batches is None:
            if self.sampling == "sequential":
                self._num_batches = sum(1 for _ in self._batches(0))
            else:
                one_pass = _take(self._stream(0), len(self.lengths))
                rows = sum(1 for _ in self._rows(iter(one_pass)))
                self._num_batches = max(1, math.ceil(rows / self.rows_per_batch))
        return self._num_batches

    def __iter__(self) -> Iterator[list[tuple[int, ...]]]:
        n = len(self)
        for k, batch in enumerate(self._batches(self.epoch)):
            if k >= n:
                return
            yield batch

    def plan(self, num_batches: int, start_epoch: int = 0) -> Iterator[list[tuple[int, ...]]]:
        """The first `num_batches` batches from `start_epoch` on, crossing epochs like the Trainer does."""
        epoch, left = start_epoch, num_batches
        per_epoch = len(self)
        while left > 0:
            for k, batch in enumerate(self._batches(epoch)):
                if k >= per_epoch or left == 0:
                    break
                yield batch
                left -= 1
            epoch += 1

    def category_draws(self, num_batches: int) -> dict[str, int]:
        """How many examples of each category the first `num_batches` batches (all ranks together) contain."""
        counts: Counter[str] = Counter()
        for batch in self.plan(num_batches):
            for row in batch:
                counts.update(self.categories[i] for i in row)
        return dict(sorted(counts.items()))


def _take(it: Iterator[int], n: int) -> list[int]:
    out = []
    for x in it:
        out.append(x)
        if len(out) == n:
            break
    return out
