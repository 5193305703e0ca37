"""Duplicate measurement that scales: exact hashes, MinHash/LSH bands, HyperLogLog line counts.

Everything here keeps a fixed amount of state per document (a few dozen bytes), never the text, so a
corpus far larger than memory can be measured in one streaming pass:

- exact duplicate documents: a 64-bit xxhash of the normalised text per document (8 bytes each);
- near-duplicate documents: a datasketch MinHash over word 5-gram shingles, cut into `bands` LSH bands;
  each band is reduced to one 64-bit hash (8 bytes × bands per document). A document is a near duplicate
  when it shares a band with an earlier document, which for `bands` × `rows` happens with probability
  1 - (1 - J**rows)**bands at Jaccard similarity J (threshold ≈ (1/bands)**(1/rows));
- duplicate lines: datasketch HyperLogLog++ estimates the number of distinct lines in fixed memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import xxhash
from datasketch import HyperLogLogPlusPlus, MinHash, MinHashLSH

from ..utils.errors import PicochatInputError

_WORD = re.compile(r"\w+")


def refuse_repeated_inputs(paths: Sequence[Path], field: str = "input") -> None:
    """Refuse a file named twice (directly, through a glob, or by another spelling of its path): it would be read
    twice, every row or document counted and trained on twice."""
    seen: dict[Path, Path] = {}
    for p in paths:
        key = Path(p).resolve()
        if key in seen:
            raise PicochatInputError(f"named twice (also as {seen[key]}); give each input once", path=p, field=field)
        seen[key] = Path(p)


def normalize_text(text: str) -> str:
    """Lowercase and collapse whitespace: the form used for exact duplicate and overlap checks."""
    return " ".join(text.lower().split())


def text_hash64(text: str) -> int:
    return xxhash.xxh64_intdigest(normalize_text(text).encode("utf-8"))


def first_sighting(seen: set[int], text: str) -> bool:
    """True the first time `text` is offered (its 64-bit hash is then remembered in `seen`), False after."""
    h = text_hash64(text)
    if h in seen:
        return False
    seen.add(h)
    return True


def _xxh32(item: str) -> int:
    return xxhash.xxh32_intdigest(item.encode("utf-8"))


def char_shingles(text: str, n: int = 5) -> list[str]:
    s = normalize_text(text)
    if len(s) <= n:
        return [s] if s else []
    return [s[i : i + n] for i in range(len(s) - n + 1)]


_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1, 0xD3A2646C, 0xFD7046C5, 0xB55A4F09],
                dtype=np.uint64)


_BASE = np.uint64(0x100000001B3)  # odd, so it is invertible mod 2^64
_BASE_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[[*range(48, 58), *range(97, 123), 95, *range(128, 256)]] = True  # 0-9 a-z _ and UTF-8 bytes


def word_hashes(text: str) -> np.ndarray:
    """64-bit polynomial hashes of the words of `text` (runs of letters, digits, '_' or non-ASCII), lowercased,
    computed for all words at once from prefix sums over the UTF-8 bytes (no Python loop per word)."""
    b = np.frombuffer(text.lower().encode("utf-8"), dtype=np.uint8)
    if not len(b):
        return np.zeros(0, dtype=np.uint64)
    is_word = _WORD_BYTE[b]
    edges = np.diff(np.concatenate(([False], is_word, [False])).astype(np.int8))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(len(b), _BASE, dtype=np.uint64))  # B^1 .. B^n, wrapping mod 2^64
        inv = np.cumprod(np.full(len(b), _BASE_INV, dtype=np.uint64))
        prefix = np.concatenate(([np.uint64(0)], np.cumsum((b.astype(np.uint64) + np.uint64(1)) * powers, dtype=np.uint64)))
        # sum_{i in word} (c_i + 1) B^(i+1), shifted to start at B^1: multiply by B^-start
        shift = np.where(starts > 0, inv[np.maximum(starts - 1, 0)], np.uint64(1))
        return (prefix[ends] - prefix[starts]) * shift


def word_shingle_hashes(text: str, n: int = 5) -> list[int]:
    """32-bit hashes of the word n-gram shingles of `text`: a fixed linear mix of the n word hashes,
    vectorised, so a document costs a handful of numpy passes instead of one string hash per shingle."""
    wh = word_hashes(text)
    if not len(wh):
        return []
    with np.errstate(over="ignore"):
        if len(wh) <= n:
            acc = np.array([(wh * _MIX[: len(wh)]).sum()], dtype=np.uint64)
        else:
            m = len(wh) - n + 1
            acc = np.zeros(m, dtype=np.uint64)
            for k in range(n):
                acc += wh[k : k + m] * _MIX[k]
        return ((acc ^ (acc >> np.uint64(29))) & np.uint64(0xFFFFFFFF)).tolist()


def minhash(shingles: Iterable[str], num_perm: int = 64, seed: int = 1) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=_xxh32)
    m.update_batch(list(shingles))
    return m


class _GrowableU64:
    """An append-only uint64 array that doubles its capacity (8 bytes per value, no Python objects)."""

    def __init__(self, width: int = 1, capacity: int = 1024):
        self.data = np.empty((capacity, width), dtype=np.uint64)
        self.n = 0

    def append(self, values: Sequence[int] | np.ndarray) -> None:
        if self.n == len(self.data):
            self.data = np.concatenate([self.data, np.empty_like(self.data)])
        self.data[self.n] = values
        self.n += 1

    def view(self) -> np.ndarray:
        return self.data[: self.n]


def _repeated_mask(values: np.ndarray) -> np.ndarray:
    """True for each entry whose value already occurred at a smaller index."""
    _, first = np.unique(values, return_index=True)
    mask = np.ones(len(values), dtype=bool)
    mask[first] = False
    return mask


class CorpusDuplicateStats:
    """Streaming duplicate statistics for a document corpus (see module docstring for the methods)."""

    def __init__(self, *, num_perm: int = 64, bands: int = 8, shingle_words: int = 5, near_max_documents: int = 2_000_000,
                 hll_precision: int = 14, seed: int = 1):
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        self.num_perm, self.bands, self.rows = num_perm, bands, num_perm // bands
        self.shingle_words = shingle_words
        self.near_max_documents = near_max_documents
        self.seed = seed
        self._exact = _GrowableU64(1)
        self._bands = _GrowableU64(bands)
        self._lines = HyperLogLogPlusPlus(p=hll_precision, hashfunc=lambda b: xxhash.xxh64_intdigest(b))
        self.total_lines = 0
        self._template = MinHash(num_perm=num_perm, seed=seed, hashfunc=_xxh32)

    def add(self, text: str) -> None:
        self._exact.append([text_hash64(text)])
        for line in text.splitlines():
            line = line.strip()
            if line:
                self.total_lines += 1
                self._lines.update(line.encode("utf-8"))
        if self._bands.n < self.near_max_documents:
            m = MinHash(num_perm=self.num_perm, hashfunc=int, permutations=self._template.permutations,
                        scheme=self._template.scheme)
            m.update_batch(word_shingle_hashes(text, self.shingle_words))
            hv = m.hashvalues.astype(np.uint64).reshape(self.bands, self.rows)
            self._bands.append([xxhash.xxh64_intdigest(row.tobytes()) for row in hv])

    def summary(self) -> dict:
        n = self._exact.n
        exact = int(_repeated_mask(self._exact.view()[:, 0]).sum()) if n else 0
        near_n = self._bands.n
        if near_n:
            near_mask = np.zeros(near_n, dtype=bool)
            for b in range(self.bands):
                near_mask |= _repeated_mask(self._bands.view()[:, b])
            near = int(near_mask.sum())
        else:
            near = 0
        distinct_lines = min(self.total_lines, int(round(self._lines.count()))) if self.total_lines else 0
        return {
            "documents": n,
            "exact_duplicate_documents": exact,
            "exact_duplicate_rate": exact / n if n else 0.0,
            "near_duplicate_documents": near,
            "near_duplicate_rate": near / near_n if near_n else 0.0,
            "near_duplicate_documents_checked": near_n,
            "lines": self.total_lines,
            "distinct_lines_estimate": distinct_lines,
            "duplicate_line_rate": 1.0 - distinct_lines / self.total_lines if self.total_lines else 0.0,
            "methods": {
                "exact_duplicate": "64-bit xxhash of lowercased, whitespace-collapsed text; a document repeating an earlier one counts",
                "near_duplicate": (
                    f"datasketch MinHash ({self.num_perm} permutations, word {self.shingle_words}-gram shingles) with banded LSH "
                    f"({self.bands} bands x {self.rows} rows, Jaccard threshold ~{(1 / self.bands) ** (1 / self.rows):.2f}); "
                    "a document sharing a band with an earlier document counts (exact duplicates included); "
                    f"candidates are not re-verified; at most the first {self.near_max_documents} documents are checked"
                ),
                "duplicate_line": "datasketch HyperLogLog++ estimate of distinct non-empty stripped lines "
                f"(precision {self._lines.p}, relative error ~{1.04 / (2 ** self._lines.p) ** 0.5:.3%})",
            },
        }


def near_duplicate_pairs(queries: Sequence[str], index_texts: Sequence[str], *, threshold: float = 0.8, num_perm: int = 64,
                         shingle_chars: int = 5) -> list[tuple[int, int, float]]:
    """Pairs (query_i, index_j, estimated Jaccard) at or above `threshold`, using datasketch MinHashLSH over
    character 5-gram shingles of the normalised text (suited to short prompts)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    sigs = []
    for j, text in enumerate(index_texts):
        m = minhash(char_shingles(text, shingle_chars), num_perm)
        sigs.append(m)
        lsh.insert(j, m)
    pairs = []
    for i, text in enumerate(queries):
        q = minhash(char_shingles(text, shingle_chars), num_perm)
        for j in lsh.query(q):
            est = q.jaccard(sigs[j])
            if est >= threshold:
                pairs.append((i, int(j), float(est)))
    return sorted(pairs)
