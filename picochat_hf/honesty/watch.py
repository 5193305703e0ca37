"""Streamed co-occurrence checks: is an eval item's text in a document, and is its answer right beside it?

A `Watch` is one word-id sequence to find (a whole prompt, an operand expression, a spelling word, an
option list) plus the answers that, found in a window around it, make the hit a leak "with its answer".
Watches are keyed by the hash of their first `min(len, n)` words, so every batch of the reference stream
is hashed once per key length (at most `n` lengths, the same prefix-sum hashing as `ngram_index`); a key
hit is then verified word by word and its window searched. Time stays linear in the reference size: the
per-hit work is bounded by the window sizes.

An answer beside the hit counts only where it is said: not right after a rejecting word ("What is 23 + 34? Not
57."), nor offered beside another answer ("57 or 58"), the same cues the question reader uses (`choice_lists.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .ngram_index import window_hashes


@dataclass
class Watch:
    item: int
    kind: str  # prompt | expression | operands | story | story_named | spelling | spelling_cued | options | stem
    seq: np.ndarray
    answers: list[np.ndarray] = field(default_factory=list)
    required: list[np.ndarray] = field(default_factory=list)  # each somewhere in the window, the hit's own span included
    before: int = 16
    after: int = 48
    second: np.ndarray | None = None  # story: the second operand must follow within `gap` words
    gap: int = 8
    in_corpus: bool = True  # False: watched in SFT rows only (a word problem with a one-digit operand: in a corpus
    #                         a caution at most, and its one-word key would be checked at every "5" of the corpus)
    answer_before: bool = True  # False: only an answer after the hit counts ("Name a word that starts with l." ->
    #                             "lantern" asks for a word, it does not answer the first letter of "lantern")
    next_number: int = 0  # in a windowed stream, the answer also counts as the first number said within this many words
    #                       after the hit ("Add 23 and 34 for me. That gives 57."); another number said first ends the search
    last_number: int = 0  # ... or as the last number said within this many words before it, a linking word between
    in_turn: bool = False  # operands: the second is the next number said after the first and the answer the next after it
    #                        within `next_number` words, in every stream ("Take 23. Now add 34 to it. You get 57.", "23,34,57")
    any_of: list[np.ndarray] = field(default_factory=list)  # one of these somewhere in the window (an operator's cue words)
    none_between: list[np.ndarray] = field(default_factory=list)  # none of these between the operands ("add 23 to 34")


@dataclass(frozen=True)
class Unsaid:
    """Word ids around an answer that keep it from being said: a rejecting word right before it ("not"), an alternative
    word right before it ("or", "either") or right after it ("or", unless a hedge follows: "57 or so")."""

    rejecting: frozenset[int] = frozenset()
    before: frozenset[int] = frozenset()
    after: frozenset[int] = frozenset()
    hedges: frozenset[int] = frozenset()
    numbers: frozenset[int] = frozenset()  # number words ("5", "600"): a spaced answer ("5 7") is no run of a longer list
    listing: frozenset[int] = frozenset()  # words joining a list of numbers ("and", the "," of "5, 7")
    any_number: frozenset[int] = frozenset()  # every word that starts a number ("57", "fifty", "seven"; not "one", mostly a pronoun)
    links: frozenset[int] = frozenset()  # words linking an answer said before an expression to it ("57 is what 23 + 34 gives")
    row_marks: frozenset[int] = frozenset()  # marks between a table's or a CSV's numbers ("-" of a rule row, "," and ";")

    def said(self, seg: np.ndarray, answer: np.ndarray) -> bool:
        """Whether `answer` occurs in `seg` at least once said, not rejected or offered beside another."""
        m = answer.shape[0]
        if m == 0 or seg.shape[0] < m:
            return False
        spaced = m > 1 and all(int(a) in self.numbers for a in answer.tolist())
        for s in np.flatnonzero(seg[: seg.shape[0] - m + 1] == answer[0]).tolist():
            if not np.array_equal(seg[s : s + m], answer):
                continue
            prev = int(seg[s - 1]) if s else 0
            nxt, then = (int(seg[s + m]) if s + m < seg.shape[0] else 0), (int(seg[s + m + 1]) if s + m + 1 < seg.shape[0] else 0)
            if prev in self.rejecting or prev in self.before or (nxt in self.after and then and then not in self.hedges):
                continue
            if spaced and self._in_list(seg, s, s + m):
                continue
            return True
        return False

    def first_number(self, seg: np.ndarray, answers: list[np.ndarray], reach: int) -> bool:
        """Whether the first number said in the first `reach` words of `seg` is one of `answers` ("That gives 57.", "is one
        thousand three hundred twelve"): a number rejected right before it ("not 58") is passed over, any other number
        first ("+ 10 = 67") ends the search."""
        firsts = {int(a[0]) for a in answers if a.shape[0]}
        for k, w in enumerate(seg[:reach].tolist()):
            if w in firsts and any(np.array_equal(seg[k : k + a.shape[0]], a) and self.said(seg[max(0, k - 1) : k + a.shape[0] + 2], a)
                                   for a in answers):
                return True
            if w in self.any_number and not (k and int(seg[k - 1]) in self.rejecting):
                return False
        return False

    def last_number(self, seg: np.ndarray, answers: list[np.ndarray], reach: int) -> bool:
        """Whether the last number said in the last `reach` words of `seg` is one of `answers` and a linking word
        (`links`: "is", "from") stands between it and the end ("1312 is what you get from 973 + 339"); any other number
        nearer ends the search."""
        lasts = {int(a[-1]) for a in answers if a.shape[0]}
        n = seg.shape[0]
        for k in range(n - 1, max(-1, n - 1 - reach), -1):
            w = int(seg[k])
            for a in answers if w in lasts else ():
                m = a.shape[0]
                if k + 1 >= m and np.array_equal(seg[k + 1 - m : k + 1], a) and self.said(seg[max(0, k - m) : k + 3], a):
                    return bool(self.links & set(seg[k + 1 :].tolist()))
            if w in self.any_number:
                return False
        return False

    def _in_list(self, seg: np.ndarray, start: int, end: int) -> bool:
        """Whether the numbers at `seg[start:end]` are part of a longer run or list of numbers ("5 7 9", "3, 5 7", "5 7
        and 9"): spaced digits give one number only standing alone."""
        near = [int(seg[k]) if 0 <= k < seg.shape[0] else 0 for k in (start - 2, start - 1, end, end + 1)]
        return (near[1] in self.numbers or near[2] in self.numbers or (near[1] in self.listing and near[0] in self.numbers)
                or (near[2] in self.listing and near[3] in self.numbers))


@dataclass
class WatchResult:
    found: dict[tuple[int, str], int] = field(default_factory=dict)  # (item, kind) -> first document index
    with_answer: dict[tuple[int, str], int] = field(default_factory=dict)


def _find(hay: np.ndarray, needle: np.ndarray) -> int:
    """First start of `needle` in `hay`, -1 when absent."""
    m = needle.shape[0]
    if m == 0 or hay.shape[0] < m:
        return -1
    starts = np.flatnonzero(hay[: hay.shape[0] - m + 1] == needle[0])
    for s in starts:
        if np.array_equal(hay[s : s + m], needle):
            return int(s)
    return -1


class Watcher:
    def __init__(self, watches: list[Watch], n: int, unsaid: Unsaid = Unsaid()):
        self.watches, self.unsaid = watches, unsaid
        self.numeric = unsaid.any_number | unsaid.numbers | unsaid.row_marks  # what a table's run of numbers holds
        self.by_length: dict[int, tuple[np.ndarray, list[list[Watch]]]] = {}
        by_len: dict[int, list[Watch]] = {}
        for w in watches:
            if w.seq.shape[0] and w.seq.all():  # a word outside the vocabulary can never match
                by_len.setdefault(min(int(w.seq.shape[0]), n), []).append(w)
        groups: dict[int, dict[int, list[Watch]]] = {}
        for length, ws in by_len.items():  # the hash of each watch's first words, all watches of a length at once
            keys = window_hashes(np.concatenate([w.seq[:length] for w in ws]), length)[::length]
            for key, w in zip(keys.tolist(), ws):
                groups.setdefault(length, {}).setdefault(key, []).append(w)
        for length, table in groups.items():
            keys = np.array(sorted(table), dtype=np.uint64)
            self.by_length[length] = (keys, [table[int(k)] for k in keys])

    def scan(self, ids: np.ndarray, doc_of_word: np.ndarray, res: WatchResult, *, whole_doc: bool, skip_docs: set[int] | None = None) -> None:
        """Mark every watch found in this batch (`doc_of_word` gives each word's document index)."""
        for length, (keys, entries) in self.by_length.items():
            h = window_hashes(ids, length)
            if h.size == 0:
                continue
            slot = np.minimum(np.searchsorted(keys, h), keys.shape[0] - 1)
            for p in np.flatnonzero(keys[slot] == h):
                doc = int(doc_of_word[p])
                for w in entries[int(slot[p])]:
                    self._check(w, ids, doc_of_word, int(p), doc, res, whole_doc, skip_docs)

    def _check(self, w: Watch, ids, doc_of_word, p: int, doc: int, res: WatchResult, whole_doc: bool, skip_docs) -> None:
        key = (w.item, w.kind)
        if key in res.with_answer or (skip_docs and w.kind != "prompt" and doc in skip_docs):
            return
        m = w.seq.shape[0]
        if not np.array_equal(ids[p : p + m], w.seq):
            return
        lo = int(np.searchsorted(doc_of_word, doc, "left"))
        hi = int(np.searchsorted(doc_of_word, doc, "right")) - 1  # the separator after the document
        end = p + m
        if w.second is not None:  # story operands: the second within `gap` words after the first
            q = _find(ids[end : min(hi, end + w.gap)], w.second)
            between = set(ids[end : end + q].tolist())
            if q < 0 or (w.in_turn and (self.unsaid.any_number & between or any(int(x[0]) in between for x in w.none_between))):
                return
            end += q + w.second.shape[0]
        res.found.setdefault(key, doc)
        if not w.answers:
            return
        if w.in_turn:
            self._in_turn(w, ids, lo, hi, p, end, res, doc)
            return
        after = ids[end:hi] if whole_doc else ids[end : min(hi, end + w.after)]
        before = ids[lo:p] if whole_doc else ids[max(lo, p - w.before) : p]
        near = [seg for seg in (before, after) if seg.size]
        if w.next_number and not whole_doc:  # in the corpus the answer after an expression is the first number said after it
            if not (any(self.unsaid.said(before, a) for a in w.answers) or self._number_beside(w, ids, lo, hi, p, end)):
                return
        elif not any(self.unsaid.said(seg, a) for seg in (near if w.answer_before else [after]) for a in w.answers):
            return
        span = ids[lo:hi] if whole_doc else ids[max(lo, p - w.before) : min(hi, end + w.after)]
        if all(_find(span, r) >= 0 for r in w.required):
            res.with_answer[key] = doc

    def _in_turn(self, w: Watch, ids: np.ndarray, lo: int, hi: int, p: int, end: int, res: WatchResult, doc: int) -> None:
        """Operands said in turn: the answer is the next number said after the second within `next_number` words, and one
        of the operator's cue words (`any_of`) lies within `before` words before the first or `after` words after it
        ("| a | b | sum |" over "| 23 | 34 | 57 |"; a row "| 23 | 34 | 58 |" or "| 23 | 10 | 33 |" holds no leak)."""
        longest = max(a.shape[0] for a in w.answers)
        if not self.unsaid.first_number(ids[end : min(hi, end + w.next_number + longest + 1)], w.answers, w.next_number):
            return
        span = ids[max(lo, p - w.before) : min(hi, end + w.after)]
        if any(_find(span, c) >= 0 for c in w.any_of) or self._header_cue(w, ids, lo, p):
            res.with_answer[(w.item, w.kind)] = doc

    def _header_cue(self, w: Watch, ids: np.ndarray, lo: int, p: int) -> bool:
        """Whether one of the operator's cue words lies within `before` words before the run of numbers (and the marks
        between a table's or a CSV's numbers) that the operands end: a long table's header over a row far down ("| a | b |
        sum |", forty rows, "| 23 | 34 | 57 |"); the numbers of its other rows are no words between the two."""
        k = p
        while k > lo and int(ids[k - 1]) in self.numeric:
            k -= 1
        if k >= p - w.before:  # no longer run than the window already read
            return False
        head = ids[max(lo, k - w.before) : k]
        return any(_find(head, c) >= 0 for c in w.any_of)

    def _number_beside(self, w: Watch, ids: np.ndarray, lo: int, hi: int, p: int, end: int) -> bool:
        """The answer as the first number said after the hit within `next_number` words, or as the last said before it
        within `last_number` words with a linking word between."""
        longest = max(a.shape[0] for a in w.answers)
        if self.unsaid.first_number(ids[end : min(hi, end + w.next_number + longest + 1)], w.answers, w.next_number):
            return True
        return bool(w.last_number) and self.unsaid.last_number(ids[max(lo, p - w.last_number - longest) : p], w.answers, w.last_number)

