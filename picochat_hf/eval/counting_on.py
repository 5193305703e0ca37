"""Counting on or back in ones from a number, judged term by term.

"Count back 3 from 12: 11, 10, 9." and "Counting on 4 from 7: 8, 9, 10, 11." hold; a term that is not one less (back)
or one more (on) than the one before ("Count back 3 from 12: 11, 10, 8."), or a stated number of steps the list does not
take ("Count back 3 from 12: 11, 10."), is false. The counting words are data (`counting_on.yaml`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..utils.yaml_text import load_yaml_text
from .reply_text import word_alternation

__all__ = ["false_counting"]

COUNTING_YAML = Path(__file__).with_name("counting_on.yaml")
# the terms, parted by commas or "and", the last one ending the list
_TERMS = r"\d+(?:[ \t]*,[ \t]*(?:and[ \t]+)?\d+|[ \t]+and[ \t]+\d+)*(?![\d.]*\d)"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, int]]:
    data = load_yaml_text(COUNTING_YAML.read_text(encoding="utf-8"))
    out = []
    for key, step in (("back", -1), ("on", 1)):
        out.append((re.compile(rf"\b(?:{word_alternation(data[key])})[ \t]+(?:(?P<steps>\d+)[ \t]+)?(?:from|after)[ \t]+(?P<start>\d+)"
                               r"(?:[ \t]+(?:to|down\s+to|up\s+to)[ \t]+\d+)?[ \t]*:[ \t]*"
                               rf"(?P<terms>{_TERMS})", re.IGNORECASE), step))
    return out


def false_counting(reply: str) -> str | None:
    """The first count on or back in ones whose terms do not step by one from its start, or not as many times as it
    says; None when each holds."""
    for pattern, step in _patterns():
        for m in pattern.finditer(reply):
            start, terms = int(m.group("start")), [int(t) for t in re.findall(r"\d+", m.group("terms"))]
            steps = int(m.group("steps")) if m.group("steps") else None
            # the list may start at the named number itself ("Count back from 12: 12, 11, 10")
            first = start if terms and terms[0] == start and steps is None else start + step
            want = [first + step * k for k in range(len(terms))]
            if terms != want or (steps is not None and len(terms) != steps):
                return m.group(0).strip()
    return None
