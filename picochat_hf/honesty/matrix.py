"""Per-target overlap statistics and the overlap matrix (corpus, SFT, eval, generated replies)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .config import ScanConfig
from .ngram_index import Matches, Target
from .normalize import words


def _covered(windows: np.ndarray, num_words: int, n: int) -> np.ndarray:
    """Which words lie inside at least one of the marked n-gram windows."""
    delta = np.zeros(num_words + 1, dtype=np.int64)
    pos = np.flatnonzero(windows)
    np.add.at(delta, pos, 1)
    np.add.at(delta, pos + n, -1)
    return np.cumsum(delta)[:-1] > 0


def uncovered_numbers(t: Target, m: Matches, n: int, ignore: np.ndarray | None = None) -> tuple[bool, np.ndarray]:
    """(whether a number of the target lies outside every shared non-template n-gram, the reference documents that
    first held its shared n-grams): "90 balloons ... sells 12" shares a story's template and its 90, not its 84."""
    if t.ngram_slots is None or not t.ngram_slots.size:
        return False, np.empty(0, dtype=np.int64)
    found = m.ngram_found[t.ngram_slots] & (~ignore[t.ngram_slots] if ignore is not None else True)
    covered = _covered(found, t.num_words, n)
    numeric = np.array([any(c.isdigit() for c in w) for w in words(t.text)], dtype=bool)
    docs = np.unique(m.ngram_source[t.ngram_slots[found]])
    return bool((numeric & ~covered).any()), docs[docs >= 0]


def target_stats(t: Target, m: Matches, n: int, ignore: np.ndarray | None = None) -> dict[str, Any] | None:
    """Coverage, longest shared span (words) and whole-text containment of one target against one reference.

    Coverage is the share of the target's non-template words (words outside every `ignore`d n-gram) that
    lie inside shared non-template n-grams, so template text never counts, not even inside an n-gram that
    bridges it and the question."""
    if t.ngram_slots is not None:
        if t.ngram_slots.size == 0:
            return None
        raw = m.ngram_found[t.ngram_slots]
        found = raw & ~ignore[t.ngram_slots] if ignore is not None else raw
        if not found.any():
            return {"coverage": 0.0, "longest": 0, "contained": bool(raw.all()), "source": None, "hit": False}
        covered = _covered(found, t.num_words, n)
        template = _covered(ignore[t.ngram_slots], t.num_words, n) if ignore is not None else np.zeros(t.num_words, dtype=bool)
        own = int((~template).sum())  # words outside template text: only they can make a leak
        coverage = float((covered & ~template).sum()) / own if own else 0.0
        # longest run of consecutive shared n-grams -> span of run + n - 1 words
        padded = np.concatenate([[0], found.astype(np.int8), [0]])
        edges = np.flatnonzero(np.diff(padded))
        starts, ends = edges[::2], edges[1::2]
        best = int(np.argmax(ends - starts))
        run = int(ends[best] - starts[best])
        source = m.source_name(int(m.ngram_source[t.ngram_slots[starts[best]]]))
        return {"coverage": coverage, "longest": run + n - 1, "contained": bool(raw.all()), "source": source, "hit": True}
    if t.short_slot is not None:
        hit = bool(m.short_found[t.num_words][t.short_slot])
        source = m.source_name(int(m.short_source[t.num_words][t.short_slot])) if hit else None
        return {"coverage": 1.0 if hit else 0.0, "longest": t.num_words if hit else 0, "contained": hit, "source": source, "hit": hit}
    return None


def _risk(cell: dict, cfg: ScanConfig) -> str:
    r, n = cfg.matrix_risk, cfg.ngram_size
    if cell["contained"] or cell["max_coverage"] >= r["high_coverage"] or cell["longest_span"] >= max(r["high_span"], 5 * n):
        return "high"
    if cell["max_coverage"] >= r["medium_coverage"] or cell["longest_span"] >= max(r["medium_span"], 2 * n):
        return "medium"
    return "low" if cell["with_overlap"] else "clean"


def matrix_cell(reference: str, target_side: str, targets: list[Target], m: Matches | None, cfg: ScanConfig, ignore) -> dict:
    cell: dict[str, Any] = {"reference": reference, "target": target_side, "targets": len(targets), "checked": 0}
    if m is None:
        return {**cell, "risk": "not_scanned"}
    rows, covered_words, total_words = [], 0.0, 0
    for t in targets:
        st = target_stats(t, m, cfg.ngram_size, ignore)
        if st is None:
            continue
        rows.append((t, st))
        covered_words += st["coverage"] * t.num_words
        total_words += t.num_words
    best = max(rows, key=lambda r: r[1]["longest"], default=None)
    cell.update(
        checked=len(rows),
        with_overlap=sum(1 for _, s in rows if s["hit"]),
        contained=sum(1 for _, s in rows if s["contained"] and s["hit"]),
        coverage=covered_words / total_words if total_words else 0.0,
        max_coverage=max((s["coverage"] for _, s in rows), default=0.0),
        share_over_fail=(sum(1 for _, s in rows if s["coverage"] >= cfg.fail_coverage) / len(rows)) if rows else 0.0,
        longest_span=best[1]["longest"] if best else 0,
        longest_target=best[0].key if best and best[1]["longest"] else None,
        longest_source=best[1]["source"] if best else None,
        top=[
            {"target": t.key, "coverage": round(s["coverage"], 4), "longest_span": s["longest"], "source": s["source"]}
            for t, s in sorted(rows, key=lambda r: (-r[1]["coverage"], -r[1]["longest"], r[0].key))[: cfg.top_k]
            if s["hit"]
        ],
    )
    cell["risk"] = _risk(cell, cfg)
    return cell
