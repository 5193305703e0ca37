"""A hashed word n-gram index built from the small side (eval prompts, SFT rows, replies) and matched
against a streamed reference side (the corpus), in time linear in the reference.

Every target text is turned into word ids (a vocabulary of the targets' own words; any other word maps to 0,
so it can never complete a target n-gram). A window of `L` word ids hashes to the polynomial
`sum(w[i+j] * P**j) mod 2**64`. For a streamed batch of `m` words all windows of one length are computed with
two prefix sums and one multiply (numpy, wrap-around uint64 arithmetic), then looked up in the sorted target
keys with `searchsorted`: O(m log K) per length, with no per-window Python. Documents are separated by id 0,
so no window spans two documents.

Two kinds of keys are indexed: every n-gram of targets with at least `n` words, and the whole text of shorter
targets (`min_words <= len < n`), so short prompts count only when they occur whole. With 64-bit keys the
chance of any false match over a 1 GB corpus is about 1e-6.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from .normalize import words

_P = np.uint64(0x9E3779B97F4A7C15)  # odd, so invertible mod 2**64
_P_INV = np.uint64(pow(int(_P), -1, 1 << 64))
_MAX_CHUNK_WORDS = 1 << 20


@dataclass
class Target:
    side: str
    key: str
    text: str
    ids: np.ndarray  # uint64 word ids
    ngram_slots: np.ndarray | None = None  # index into NgramIndex.ngram_keys for each window
    short_slot: int | None = None  # index into NgramIndex.short_keys[len] for whole-text short targets

    @property
    def num_words(self) -> int:
        return int(self.ids.shape[0])


@dataclass
class Matches:
    """What one streamed reference side shares with the targets."""

    name: str
    ngram_found: np.ndarray
    short_found: dict[int, np.ndarray]
    ngram_source: np.ndarray  # first reference document index that held each key (-1: none)
    short_source: dict[int, np.ndarray]
    doc_ids: list[str] = field(default_factory=list)
    num_docs: int = 0
    num_words: int = 0
    num_chars: int = 0

    def source_name(self, index: int) -> str | None:
        if index < 0:
            return None
        return self.doc_ids[index] if index < len(self.doc_ids) else f"#{index}"


class _Powers:
    def __init__(self) -> None:
        self.pow = np.ones(1, dtype=np.uint64)
        self.inv = np.ones(1, dtype=np.uint64)

    def ensure(self, m: int) -> None:
        if self.pow.shape[0] >= m:
            return
        size = max(m, 2 * self.pow.shape[0])
        with np.errstate(over="ignore"):
            self.pow = np.cumprod(np.concatenate([[np.uint64(1)], np.full(size - 1, _P, dtype=np.uint64)]), dtype=np.uint64)
            self.inv = np.cumprod(np.concatenate([[np.uint64(1)], np.full(size - 1, _P_INV, dtype=np.uint64)]), dtype=np.uint64)


_POWERS = _Powers()


def window_hashes(ids: np.ndarray, length: int) -> np.ndarray:
    """Hash of every window of `length` consecutive ids (len(ids) - length + 1 values)."""
    m = ids.shape[0]
    if m < length:
        return np.empty(0, dtype=np.uint64)
    _POWERS.ensure(m + 1)
    with np.errstate(over="ignore"):
        prefix = np.empty(m + 1, dtype=np.uint64)
        prefix[0] = 0
        np.cumsum(ids * _POWERS.pow[:m], dtype=np.uint64, out=prefix[1:])
        count = m - length + 1
        return (prefix[length:] - prefix[:count]) * _POWERS.inv[:count]


class NgramIndex:
    """Index of target texts; `match(stream)` marks which of their n-grams a reference side contains."""

    def __init__(self, n: int = 8, min_words: int = 3):
        if n < 1 or min_words < 1:
            raise ValueError("n and min_words must be positive")
        self.n = n
        self.min_words = min_words
        self.vocab: dict[str, int] = {}
        self.targets: list[Target] = []
        self._frozen = False

    def add(self, side: str, key: str, text: str) -> Target:
        if self._frozen:
            raise RuntimeError("index already built")
        ids = np.fromiter((self.vocab.setdefault(w, len(self.vocab) + 1) for w in words(text)), dtype=np.uint64)
        target = Target(side=side, key=key, text=text, ids=ids)
        self.targets.append(target)
        return target

    def build(self) -> None:
        """Collect the sorted key arrays and each target's slots in them."""
        per_target = [window_hashes(t.ids, self.n) if t.num_words >= self.n else None for t in self.targets]
        non_empty = [h for h in per_target if h is not None and h.size]
        self.ngram_keys = np.unique(np.concatenate(non_empty)) if non_empty else np.empty(0, dtype=np.uint64)
        for t, h in zip(self.targets, per_target):
            if h is not None:
                t.ngram_slots = np.searchsorted(self.ngram_keys, h)
        short: dict[int, list[np.uint64]] = {}
        for t in self.targets:
            if self.min_words <= t.num_words < self.n:
                short.setdefault(t.num_words, []).append(window_hashes(t.ids, t.num_words)[0])
        self.short_keys = {length: np.unique(np.array(v, dtype=np.uint64)) for length, v in short.items()}
        for t in self.targets:
            if self.min_words <= t.num_words < self.n:
                keys = self.short_keys[t.num_words]
                t.short_slot = int(np.searchsorted(keys, window_hashes(t.ids, t.num_words)[0]))
        self._frozen = True

    def key_frequency(self, side: str) -> np.ndarray:
        """For each n-gram key, the number of distinct `side` targets that contain it."""
        counts = np.zeros(self.ngram_keys.shape[0], dtype=np.int64)
        for t in self.targets:
            if t.side == side and t.ngram_slots is not None and t.ngram_slots.size:
                counts[np.unique(t.ngram_slots)] += 1
        return counts

    def strip_keys(self, tokens: list[str], drop: np.ndarray) -> list[str]:
        """`tokens` without the words covered by n-grams whose key is marked in `drop` (e.g. template text)."""
        if not drop.any() or len(tokens) < self.n:
            return tokens
        get = self.vocab.get
        h = window_hashes(np.fromiter((get(w, 0) for w in tokens), dtype=np.uint64), self.n)
        slot = np.minimum(np.searchsorted(self.ngram_keys, h), self.ngram_keys.shape[0] - 1)
        hit = (self.ngram_keys[slot] == h) & drop[slot]
        covered = np.zeros(len(tokens) + 1, dtype=np.int64)
        pos = np.flatnonzero(hit)
        np.add.at(covered, pos, 1)
        np.add.at(covered, pos + self.n, -1)
        keep = np.cumsum(covered)[:-1] == 0
        return [w for w, k in zip(tokens, keep) if k]

    def _encode(self, text: str) -> np.ndarray:
        tokens = words(text)
        return np.fromiter(map(self.vocab.get, tokens, repeat(0, len(tokens))), dtype=np.uint64, count=len(tokens))

    def match(self, name: str, docs: Iterable[tuple[str, str]], *, keep_doc_ids: bool = True, progress=None, watch=None) -> Matches:
        """Stream `(doc_id, text)` pairs once and mark every target key they contain.

        `watch` is an optional `(scan, result)` pair (see `watch.Watcher.scan`) run on every batch."""
        if not self._frozen:
            self.build()
        res = Matches(
            name=name,
            ngram_found=np.zeros(self.ngram_keys.shape[0], dtype=bool),
            short_found={k: np.zeros(v.shape[0], dtype=bool) for k, v in self.short_keys.items()},
            ngram_source=np.full(self.ngram_keys.shape[0], -1, dtype=np.int64),
            short_source={k: np.full(v.shape[0], -1, dtype=np.int64) for k, v in self.short_keys.items()},
        )
        for ids, doc_of_word in self._batches(docs, res, keep_doc_ids, progress):
            self._mark(ids, doc_of_word, self.n, self.ngram_keys, res.ngram_found, res.ngram_source)
            for length, keys in self.short_keys.items():
                self._mark(ids, doc_of_word, length, keys, res.short_found[length], res.short_source[length])
            if watch is not None:
                watch(ids, doc_of_word)
        return res

    def word_ids(self, tokens: list[str]) -> np.ndarray:
        """Ids of normalised words, adding unseen words to the vocabulary (streamed text maps to the same ids)."""
        return np.fromiter((self.vocab.setdefault(w, len(self.vocab) + 1) for w in tokens), dtype=np.uint64, count=len(tokens))

    @staticmethod
    def _mark(ids, doc_of_word, length, keys, found, source) -> None:
        if keys.shape[0] == 0 or ids.shape[0] < length:
            return
        h = window_hashes(ids, length)
        slot = np.searchsorted(keys, h)
        np.minimum(slot, keys.shape[0] - 1, out=slot)
        hit = keys[slot] == h
        if not hit.any():
            return
        slots = slot[hit]
        docs = doc_of_word[: h.shape[0]][hit]
        new = ~found[slots]
        if new.any():
            # first document per newly found key (np.unique keeps the first occurrence)
            uniq, first = np.unique(slots[new], return_index=True)
            source[uniq] = docs[new][first]
            found[uniq] = True

    def _batches(self, docs, res: Matches, keep_doc_ids: bool, progress) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        overlap = max([self.n, *self.short_keys.keys()]) - 1
        buf: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        size = 0
        for doc_id, text in docs:
            doc_index = res.num_docs
            res.num_docs += 1
            res.num_chars += len(text)
            if keep_doc_ids:
                res.doc_ids.append(str(doc_id))
            if progress is not None:
                progress.update(len(text))
            ids = self._encode(text)
            res.num_words += int(ids.shape[0])
            # very long documents go in overlapping pieces so no batch grows without bound
            start = 0
            while True:
                piece = ids[start : start + _MAX_CHUNK_WORDS]
                buf.append(piece)
                buf.append(np.zeros(1, dtype=np.uint64))  # document separator
                owners.append(np.full(piece.shape[0] + 1, doc_index, dtype=np.int64))
                size += piece.shape[0] + 1
                if size >= _MAX_CHUNK_WORDS:
                    yield np.concatenate(buf), np.concatenate(owners)
                    buf, owners, size = [], [], 0
                if start + _MAX_CHUNK_WORDS >= ids.shape[0]:
                    break
                start += _MAX_CHUNK_WORDS - overlap
        if buf:
            yield np.concatenate(buf), np.concatenate(owners)
