"""Near-duplicate prompts with MinHash LSH (datasketch): candidates in sub-linear time, then an exact score.

The LSH index holds the reference prompts' word sets; each query prompt retrieves candidates whose estimated
word-set Jaccard is above `lsh_threshold`; candidates whose exact word-set Jaccard is below it are dropped
(LSH false positives), and the rest are scored with `max(word-set Jaccard, difflib ratio)` on normalised
text. So a near hit needs word-set Jaccard >= `lsh_threshold` and a score >= `threshold`. Short prompts and prompts with different numbers or
arithmetic symbols never count as near duplicates ("what is 12 + 7" differs from "what is 13 + 7" and "12 - 7").
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

from .normalize import number_tokens


def similarity(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    jaccard = len(sa & sb) / len(sa | sb) if sa or sb else 1.0
    ratio = difflib.SequenceMatcher(None, " ".join(a), " ".join(b), autojunk=False).ratio()
    return max(jaccard, ratio)


def near_matches(
    queries: Sequence[tuple[str, list[str]]],
    references: Sequence[tuple[str, list[str]]],
    *,
    threshold: float,
    min_words: int,
    lsh_threshold: float,
    num_perm: int,
    seed: int = 1,
) -> dict[str, tuple[str, float]]:
    """For each query key, the best reference `(key, similarity)` at or above `threshold` (exact equals excluded)."""
    refs = [(k, w) for k, w in references if len(w) >= min_words]
    qs = [(k, w) for k, w in queries if len(w) >= min_words]
    if not refs or not qs:
        return {}
    ref_sets = [set(w) for _, w in refs]
    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=num_perm)
    ref_hashes = MinHash.bulk([[t.encode() for t in set(w)] for _, w in refs], num_perm=num_perm, seed=seed)
    with lsh.insertion_session() as session:
        for i, mh in enumerate(ref_hashes):
            session.insert(i, mh, check_duplication=False)
    q_hashes = MinHash.bulk([[t.encode() for t in set(w)] for _, w in qs], num_perm=num_perm, seed=seed)
    out: dict[str, tuple[str, float]] = {}
    for (qkey, qwords), mh in zip(qs, q_hashes):
        best: tuple[str, float] | None = None
        qnums = number_tokens(qwords)
        qset = set(qwords)
        for i in lsh.query(mh):
            rkey, rwords = refs[i]
            if rwords == qwords or number_tokens(rwords) != qnums:
                continue
            rset = ref_sets[i]
            if len(qset & rset) < lsh_threshold * len(qset | rset):
                continue  # an LSH false positive: the exact word-set Jaccard is below the candidate threshold
            score = similarity(qwords, rwords)
            if score >= threshold and (best is None or score > best[1]):
                best = (rkey, score)
        if best is not None:
            out[qkey] = best
    return out
