"""An answer chosen by its place among the alternatives its question offers: "Capital of Serbia — Belgrade or
Budapest?" answered "The first one." gives Belgrade as "Capital of Serbia? Belgrade." does, and "Is the capital of
Serbia Budapest or Belgrade?" answered "The latter." gives Belgrade too.

The alternatives are the question's last clause (after a dash, colon, semicolon or bracket; the whole question without
one) split at its alternative words and commas; without a clause mark the first reaches back as many words as the longest
other one ("Is the capital of Serbia Budapest" offers "Budapest"). The reply names a place and nothing else: a place word
(`choice_positions`), maybe after a lead-in ("I'd say the", `choice_position_leads`) and before a noun ("one", "option",
`choice_position_nouns`); "Not the first one." and "The first one, or the second." name no place.
"""

from __future__ import annotations

import re

from .choice_lists import ListRules
from .normalize import words

_CLAUSE_MARK = re.compile(r"[—–:;(\[]|\s-\s")
_ALTERNATIVE = re.compile(r"\s*,\s*(?:or\s+)?|\s+or\s+|\s*/\s*", re.IGNORECASE)
PLACES = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}  # the places `choice_positions` may name


def offered_alternatives(question: str) -> tuple[str, list[str]] | None:
    """(the question without its alternatives, the alternatives in order) of a question ending in "X or Y?", None for
    one offering fewer than two."""
    asked = question.rstrip().rstrip("?").rstrip()
    if " or " not in asked.lower() and "/" not in asked:
        return None
    start = max((m.end() for m in _CLAUSE_MARK.finditer(asked)), default=0)
    parts = [p.strip() for p in _ALTERNATIVE.split(asked[start:])]
    if len(parts) < 2 or not all(words(p) for p in parts):
        return None
    if start:  # the clause holds the alternatives alone
        return asked[:start], parts
    reach = max(len(words(p)) for p in parts[1:])
    first = words(parts[0])
    return " ".join(first[: len(first) - reach]), [" ".join(first[-reach:]), *parts[1:]]


def chosen_place(reply: list[str], rules: ListRules) -> int | None:
    """The place a reply's words name alone ("the first one" is 0, "the latter" -1), None for any other reply."""
    ws = list(reply)
    for lead in sorted(rules.position_leads, key=len, reverse=True):
        if tuple(ws[: len(lead)]) == lead:
            ws = ws[len(lead) :]
            break
    ws = ws[1:] if ws[:1] == ["the"] else ws
    ws = ws[:-1] if len(ws) > 1 and ws[-1] in rules.position_nouns else ws
    return dict(rules.positions).get(ws[0]) if len(ws) == 1 else None


def chosen_by_position(question: str, reply: list[str], rules: ListRules) -> tuple[str, str] | None:
    """(the question without its alternatives, the alternative the reply's words choose by place), None unless the
    question offers alternatives and the reply names a place among them."""
    if not rules.positions:
        return None
    offered = offered_alternatives(question)
    place = chosen_place(reply, rules) if offered else None
    if place is None or not -len(offered[1]) <= place < len(offered[1]):
        return None
    return offered[0], offered[1][place]
