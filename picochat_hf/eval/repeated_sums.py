"""A product written as a sum of equal addends under a heading that says what it repeats, judged against that heading.

"9 × 4 is four 9s: 9+9+9+9 = 36", "Add 9 four times: 9 + 9 + 9 + 9 = 36", "4 groups of 9 = 9 + 9 + 9 + 9" hold; the
same headings over a sum with one addend too many or too few ("Add 9 five times: 9+9+9+9 = 36") or another addend
("four 9s: 9+9+8+9") are false, even where the sum's total is right. The heading words are data (`repeated_sums.yaml`);
the number words are the scoring YAML's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..utils.yaml_text import load_yaml_text

__all__ = ["false_repeated_sum"]

SUMS_YAML = Path(__file__).with_name("repeated_sums.yaml")


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _headings() -> list[tuple[re.Pattern, str, str]]:
    """(pattern, group naming the repeated number, group naming how many times) for each heading form."""
    data = load_yaml_text(SUMS_YAML.read_text(encoding="utf-8"))
    n = r"(?:\d+|[a-z]+)"
    links = "|".join(rf"\b{w}\b" if w.isalpha() else re.escape(w) for w in data["links"])
    link = rf"[ \t]*(?:{links})[ \t]*"
    # the whole sum, alone or with its total, ending the clause ("9 + 9 = 18, 18 + 9 = 27" adds up step by step)
    total = r"(?P<sum>\d+(?:[ \t]*\+[ \t]*\d+)+)(?=[ \t]*(?:=[ \t]*\d+)?[ \t]*(?:[.;\n)]|$|,?[ \t]+(?:so|and|which)\b))"
    verbs = _alt(data["repeat_verbs"])
    forms = [
        (rf"\b(?:{verbs})[ \t]+(?P<x>{n})[ \t]*,?[ \t]*(?P<k>{n})[ \t]+times\b", "x", "k"),
        (rf"(?<![\w.])(?P<x>{n})[ \t]+(?:{verbs})[ \t]+(?P<k>{n})[ \t]+times\b", "x", "k"),
        (rf"(?<![\w.])(?P<k>{n})[ \t]+(?:{_alt(data['groups'])})[ \t]+(?P<x>{n})\b", "x", "k"),
        (rf"(?<![\w.])(?P<k>{n})[ \t]+(?P<x>\d+['’]?s|[a-z]+s)\b", "x", "k"),
    ]
    return [(re.compile(p + link + total, re.IGNORECASE), x, k) for p, x, k in forms]


def _number(text: str, st: Any) -> float | None:
    words = [w.lower() for w in getattr(st, "number_words_units", [])]
    text = text.lower()
    for cut in (text, re.sub(r"['’]?s$", "", text), re.sub(r"es$", "", text)):  # "nines", "sixes", "9s", "9's"
        if cut in words:
            return float(words.index(cut))
        if cut.isdigit():
            return float(cut)
    return None


def false_repeated_sum(reply: str, st: Any) -> str | None:
    """The first sum under a repeating heading whose addends are not the heading's number, as many times as it says."""
    for pattern, x_group, k_group in _headings():
        for m in pattern.finditer(reply):
            x, k = _number(m.group(x_group), st), _number(m.group(k_group), st)
            if x is None or k is None:
                continue
            addends = [float(a) for a in re.findall(r"\d+", m.group("sum"))]
            if len(addends) != k or any(a != x for a in addends):
                return m.group(0).strip()
    return None
