"""The value of a run of English number words, shared by the reply scorer and the contamination scan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def number_words_value(words: Iterable[str], small: Mapping[str, int], scales: Mapping[str, int]) -> int:
    """The value of number words already known to be in `small` (units and tens) or `scales` (100, 1000, ...):
    "hundred" multiplies the running group, a larger scale closes it ("one hundred and twelve thousand five" is
    112005, "twelve hundred" 1200); a scale word with no number before it counts one ("a thousand")."""
    total = current = 0
    for w in words:
        if w in small:
            current += small[w]
        elif scales[w] == 100:
            current = max(current, 1) * 100
        else:
            total, current = total + max(current, 1) * scales[w], 0
    return total + current
