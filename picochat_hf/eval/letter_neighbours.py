"""Claims in spelling working about the letter next to another one ("The letter after t is r.", "The letter before r is
e.", "t is followed by t"), which must hold at some place of the word the prompt asks about; a claim about the alphabet
("the letter after t in the alphabet is u") is not judged. The words are data (`letter_places.yaml`)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..utils.yaml_text import load_yaml_text
from .reply_text import word_alternation

__all__ = ["false_neighbour", "false_order", "neighbour_claims"]

PLACES_YAML = Path(__file__).with_name("letter_places.yaml")
_LETTER = r"[\"“'‘*]*(?P<{name}>[A-Za-z])[\"”'’*]*(?![\w'’])"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, int]]:
    """(pattern, step from the `known` letter to the `claimed` one) for each claim form."""
    data = load_yaml_text(PLACES_YAML.read_text(encoding="utf-8"))
    known, claimed = _LETTER.format(name="known"), _LETTER.format(name="claimed")
    # the claimed letter must end the claim: "is r." but not "is a vowel"
    end = r"(?=\s*(?:[,;.!?)]|$|\band\b|\bso\b|\bthen\b))"
    aside = rf"(?!\s+(?:in|of)\s+(?:the\s+)?(?:{word_alternation(data['not_the_word'])})\b)"
    out = []
    for key, step in (("after", 1), ("before", -1)):
        out.append((rf"\bthe\s+letter\s+(?:{word_alternation(data[key])})\s+(?:the\s+)?(?:letter\s+)?{known}{aside}\s+(?:is|was|=|:)\s+"
                    rf"(?:the\s+letter\s+)?{claimed}{end}", step))
    for key, step in (("followed_by", 1), ("preceded_by", -1)):
        out.append((rf"(?<![\w'’])(?:the\s+letter\s+)?{known}\s+(?:is|comes)\s+(?:{word_alternation(data[key])})\s+(?:the\s+letter\s+)?"
                    rf"{claimed}{aside}{end}", step))
    for key, step in (("opens_after", 1), ("opens_before", -1)):
        out.append((rf"(?:^|(?<=[\n.;:!?]))\s*(?:and\s+|then\s+)?(?:{word_alternation(data[key])})\s+(?:the\s+letter\s+)?{known}{aside}\s*,?\s+"
                    rf"(?:comes|is|there\s+is)\s+(?:the\s+letter\s+)?{claimed}{end}", step))
    return [(re.compile(p, re.IGNORECASE), step) for p, step in out]


@lru_cache(maxsize=1)
def _orders() -> list[tuple[re.Pattern, int]]:
    """(pattern, 1 where the `known` letter stands before the `claimed` one, -1 after) for each order claim."""
    data = load_yaml_text(PLACES_YAML.read_text(encoding="utf-8"))
    known, claimed = _LETTER.format(name="known"), _LETTER.format(name="claimed")
    aside = rf"(?!\s+(?:in|of)\s+(?:the\s+)?(?:{word_alternation(data['not_the_word'])})\b)"
    return [(re.compile(rf"(?<![\w'’])(?:the\s+letter\s+)?{known}\s+(?:{word_alternation(data[key])})\s+(?:the\s+letter\s+)?{claimed}{aside}"
                        r"(?=\s*(?:[,;.!?)]|$|\band\b|\bso\b|\bthen\b|\bin\b))", re.IGNORECASE), step)
            for key, step in (("order_before", 1), ("order_after", -1))]


def false_order(reply: str, words: list[str]) -> str | None:
    """The first claim that one letter comes before or after another ("c comes before s") that holds in none of `words`;
    "before" holds where some of the first letter stands anywhere before some of the second."""
    for pattern, step in _orders():
        for m in pattern.finditer(reply):
            x, y = m.group("known").lower(), m.group("claimed").lower()
            if words and not any(_in_order(w, x, y) if step > 0 else _in_order(w, y, x) for w in words):
                return m.group(0).strip()
    return None


def _in_order(word: str, first: str, second: str) -> bool:
    return first in word and second in word[word.index(first) + 1 :]


def neighbour_claims(reply: str) -> list[tuple[str, int, str]]:
    """(known letter, step to the claimed one: 1 after, -1 before, claimed letter) for each claim the reply states."""
    out = []
    for pattern, step in _patterns():
        out += [(m.start(), m.group("known").lower(), step, m.group("claimed").lower()) for m in pattern.finditer(reply)]
    return [(known, step, claimed) for _, known, step, claimed in sorted(out)]


def _holds(word: str, known: str, step: int, claimed: str) -> bool:
    return any(c == known and 0 <= k + step < len(word) and word[k + step] == claimed for k, c in enumerate(word))


def false_neighbour(reply: str, words: list[str]) -> str | None:
    """The first claim about a letter's neighbour that holds in none of `words` ("the letter after t is r" about
    "scatter"), None when each holds or no word is asked about."""
    for known, step, claimed in neighbour_claims(reply):
        if words and not any(_holds(w, known, step, claimed) for w in words):
            return f"the letter {'after' if step > 0 else 'before'} {known!r} is {claimed!r}"
    order = false_order(reply, words)
    return f"{order!r} holds in none of {words}" if order else None
