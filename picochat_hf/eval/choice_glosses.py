"""A gloss right after the chosen letter is a claim about that option, judged as one.

"C, the smallest" (C is 823, the largest), "A (3 hours)" (A is 120 minutes), "C: 8 letters" (C has 9) and "A, odd" (A
is 316) state something false about the option they follow while naming no other option's text, so the checks of a
stated option pass them. Each is judged as the claim "<letter> is <gloss>" by `choice_claims.false_claim`; a gloss it
cannot compute ("D, plaguily", a word with no claim rule) is left alone, and a gloss that is a clause or a reason ("C,
because it is the largest") is judged as written. A gloss that is a month or a day of the week names the option it
follows: on an option that is another month or day ("C, June" when C is April) it is false, and so is a month's place
that is not the option's ("C: the sixth month" when C is April; days are not judged so, since weeks start on Sunday or
Monday). The words are data
(`choice_glosses.yaml`; the calendar is the task pack's, `data.skills.choice`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..data.skills.choice import DAYS, MONTHS
from ..utils.yaml_text import load_yaml_text

__all__ = ["false_calendar_gloss", "gloss_as_claim"]

GLOSSES_YAML = Path(__file__).with_name("choice_glosses.yaml")
_MONTHS = tuple(m.lower() for m in MONTHS)  # in the year's order
_CALENDARS = (frozenset(d.lower() for d in DAYS), frozenset(_MONTHS))
_LEAD = r"^\s*(?:[*_`\"'“‘]+)?(?:(?:the\s+)?(?:final\s+)?answer(?:\s+is)?\s*[:：]?\s*)?(?:option\s+)?"


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], str, tuple[str, ...], tuple[str, ...]]:
    data = load_yaml_text(GLOSSES_YAML.read_text(encoding="utf-8"))
    keys = ("clause_words", "joiners", "month_ordinals", "month_numbers")
    words, joiners, ordinals, numbers = (data.get(k) for k in keys)
    if not all(isinstance(x, list) and x for x in (words, joiners, ordinals, numbers)):
        raise ValueError(f"{GLOSSES_YAML}: {', '.join(repr(k) for k in keys)} must be non-empty lists")
    return (frozenset(str(w).lower() for w in words), "|".join(re.escape(str(j)) for j in joiners),
            tuple(str(o).lower() for o in ordinals), tuple(str(n).lower() for n in numbers))


def _month_place(gloss: str) -> int | None:
    """The place a gloss gives a month ("the sixth month", "the 6th calendar month", "month 6", "month six": 6), or None."""
    m = re.fullmatch(r"(?:the\s+)?(?P<ord>[a-z]+|\d{1,2}(?:st|nd|rd|th))\s+(?:calendar\s+)?month(?:\s+of\s+the\s+year)?"
                     r"|month\s+(?:number\s+|no\.?\s*)?(?P<num>\d{1,2}|[a-z]+)(?:\s+of\s+the\s+year)?", gloss.strip().lower())
    if m is None:
        return None
    _, _, ordinals, numbers = _lexicon()
    if m.group("num"):  # "month 6", "month six"
        num = m.group("num")
        return int(num) if num.isdigit() else numbers.index(num) + 1 if num in numbers else None
    word = m.group("ord")
    if word[0].isdigit():
        return int(word[:-2])
    return ordinals.index(word) + 1 if word in ordinals else None


def gloss_as_claim(text: str, gold: str) -> str | None:
    """"<gold> is <gloss>." for a reply that opens with the letter `gold` and a gloss of it; None when it has none."""
    gloss = _gloss(text, gold)
    return f"{gold} is {gloss}." if gloss else None


def false_calendar_gloss(text: str, gold: str, labels: list[str], choices: list[str] | None) -> str | None:
    """Why a month or day named as the gloss of the chosen option is not that option ("C, June" when C is April)."""
    gloss = _gloss(text, gold)
    if not gloss or not choices or gold not in labels or labels.index(gold) >= len(choices):
        return None
    own = choices[labels.index(gold)].strip().lower()
    # each part of a gloss is judged on its own ("April, the sixth month": "April" holds, "the sixth month" does not)
    for part in dict.fromkeys([gloss, *filter(None, re.split(r"\s*[,:–—]\s*|\s+-\s+|\s+(?:or|aka)\s+", gloss))]):
        said = part.lower().removeprefix("the ").strip()
        for seq in _CALENDARS:
            if said in seq and own in seq and said != own:
                return f"choice: {gold} is given with a false claim about option {gold} ({gold} is {part!r}, not {own!r})"
        place = _month_place(part)
        if place is not None and own in _MONTHS and place != _MONTHS.index(own) + 1:  # "C: the sixth month" when C is April
            return (f"choice: {gold} is given with a false claim about option {gold} ({gold} is {part!r}, but {own!r} is "
                    f"month {_MONTHS.index(own) + 1})")
    return None


@lru_cache(maxsize=4096)
def _gloss(text: str, gold: str) -> str | None:
    """The gloss after the letter `gold` that opens the reply, unless it is a clause or a reason."""
    clause_words, joiners, _, _ = _lexicon()
    m = re.match(rf"{_LEAD}[*_`\"'“‘]*{re.escape(gold)}[*_`\"'”’]*[ \t]*(?:{joiners})[ \t]*(?P<gloss>[^()\n.;!?]+?)[ \t]*"
                 r"(?:\)|[.;!?]|\n|$)", text, re.IGNORECASE)
    if m is None:
        return None
    gloss = m.group("gloss").strip(" \t,:-–—*_`\"'“”‘’")
    words = re.findall(r"[a-z']+", gloss.lower())
    if not gloss or any(w in clause_words for w in words):
        return None
    return gloss
