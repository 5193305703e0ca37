"""Claims that tie an option to a word by the task pack's own tables (data: `choice_claims.yaml`, tables:
`data.skills.choice` CAPITALS, OPPOSITES, DAYS, MONTHS).

"A is the capital of Peru" is true when the table's capital of Peru is A's text, "A is the opposite of hot" when the
table pairs them (or `also_opposite` does: "soft" is the opposite of "loud" too), "A comes right after May" when A's
text is the month after May. A claim about a word the tables do not hold is left alone. The claim answers the
question when its word and relation are the question's own ("A is the capital of Hungary" asked for Hungary's capital,
"A comes right after May" asked what follows May).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .reply_text import phrase_alternation


@dataclass(frozen=True)
class RelationWords:
    """The relation phrases of `choice_claims.yaml` and the pairs it adds to the opposites table."""

    capital: tuple[str, ...]
    opposite: tuple[str, ...]
    following: tuple[str, ...]
    preceding: tuple[str, ...]
    also_opposite: frozenset[frozenset[str]]
    calendar_starts: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def relation_words() -> RelationWords:
    from .choice_claims import CLAIMS_YAML

    data = load_yaml_text(CLAIMS_YAML.read_text(encoding="utf-8")) or {}
    lists = {}
    for field, name in (("capital_links", "capital"), ("opposite_links", "opposite"), ("next_links", "following"),
                        ("previous_links", "preceding")):
        value = data.get(field)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise PicochatInputError("expected a list of non-empty strings", path=str(CLAIMS_YAML), field=field)
        lists[name] = tuple(v.lower() for v in value)
    pairs = data.get("also_opposite")
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 and all(isinstance(w, str) for w in p) for p in pairs):
        raise PicochatInputError("expected a list of two-word lists", path=str(CLAIMS_YAML), field="also_opposite")
    return RelationWords(also_opposite=frozenset(frozenset(w.lower() for w in p) for p in pairs),
                         calendar_starts=_calendar_starts(data.get("calendar_starts"), str(CLAIMS_YAML)), **lists)


def _calendar_starts(value: object, path: str) -> dict[str, tuple[str, ...]]:
    """`calendar_starts`: for "days" and "months", the table words a week or a year may be read to start on."""
    from ..data.skills.choice import DAYS, MONTHS

    out = {}
    for name, seq in (("days", DAYS), ("months", MONTHS)):
        starts = value.get(name) if isinstance(value, dict) else None
        if not isinstance(starts, list) or not starts or not all(isinstance(w, str) and w.title() in seq for w in starts):
            raise PicochatInputError(f"expected a non-empty list of {name} of the pack's table", path=path, field=f"calendar_starts.{name}")
        out[name] = tuple(w.lower() for w in starts)
    return out


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, set[str]]]:
    """Each relation's table: word -> the option texts it holds with ("peru" -> {"lima"})."""
    from ..data.skills.choice import CAPITALS, DAYS, MONTHS, OPPOSITES

    opposite: dict[str, set[str]] = {}
    for a, b in list(OPPOSITES.items()) + [tuple(p) for p in map(sorted, relation_words().also_opposite)]:
        opposite.setdefault(a.lower(), set()).add(b.lower())
        opposite.setdefault(b.lower(), set()).add(a.lower())
    following = {seq[k].lower(): {seq[(k + 1) % len(seq)].lower()} for seq in (DAYS, MONTHS) for k in range(len(seq))}
    preceding = {seq[k].lower(): {seq[k - 1].lower()} for seq in (DAYS, MONTHS) for k in range(len(seq))}
    return {"capital": {c.lower(): {city.lower()} for c, city in CAPITALS.items()}, "opposite": opposite,
            "following": following, "preceding": preceding}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    words, tables = relation_words(), _tables()
    parts = []
    for name in ("capital", "opposite", "following", "preceding"):
        objects = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(tables[name], key=len, reverse=True))
        links = getattr(words, name)
        negated = tuple(w.split(" ", 1)[0] + " not " + w.split(" ", 1)[1] for w in links if " " in w)  # "is not the capital of"
        parts.append(r"(?P<" + name + r">" + phrase_alternation(links + negated) + r")\s+[\"'“‘]?(?P<" + name + r"_x>" + objects
                     + r")(?![\w'’])")
    return re.compile(r"\s*(?:" + "|".join(parts) + r")", re.IGNORECASE)


def relation_claim_at(s: str, end: int, text: str, question: str) -> tuple[int, bool | None, bool] | None:
    """(where the claim ends, whether it is true, whether it is the relation the question asks about) for a relation
    claimed of the option `text` right after its subject at `end`, None when none is there."""
    m = _pattern().match(s, end)
    if m is None:
        return None
    name = next(n for n in ("capital", "opposite", "following", "preceding") if m.group(n))
    word = re.sub(r"\s+", " ", m.group(name + "_x").lower())
    holds = text.strip().lower() in _tables()[name].get(word, set())
    if re.search(r"\bnot\b", m.group(name), re.IGNORECASE):
        return m.end(), not holds, False
    return m.end(), holds, _asks(question, name, word)


def _asks(question: str, name: str, word: str) -> bool:
    """Whether the question asks for the option in relation `name` to `word` ("What is the capital of Peru?")."""
    q = question.lower()
    if not re.search(r"(?<![\w'’])" + re.escape(word).replace(r"\ ", r"\s+") + r"(?![\w'’])", q):
        return False
    cues = {"capital": r"\bcapital\b", "opposite": r"\b(?:opposite|antonym|reverse)\b", "following": r"\b(?:after|follows?)\b",
            "preceding": r"\b(?:before|precedes?)\b"}
    return re.search(cues[name], q) is not None


def _calendar(word: str) -> tuple[list[str], tuple[str, ...]] | None:
    """The sequence (days or months, lower case) holding `word`, with the words it may be read to start on."""
    from ..data.skills.choice import DAYS, MONTHS

    for name, seq in (("days", DAYS), ("months", MONTHS)):
        if word.strip().lower() in (low := [w.lower() for w in seq]):
            return low, relation_words().calendar_starts[name]
    return None


def calendar_word_at(s: str, pos: int, like: str) -> tuple[int, str] | None:
    """(where it ends, the word) for a day or month name written at `pos`, of the sequence that holds `like`."""
    found = _calendar(like)
    if found is None:
        return None
    m = re.compile(r"(?:the\s+)?(" + "|".join(found[0]) + r")(?![\w'’])", re.IGNORECASE).match(s, pos)
    return (m.end(), m.group(1).lower()) if m else None


def calendar_order(x: str, y: str, after: bool, direct: bool) -> tuple[bool, bool | None]:
    """(whether x and y are days, or months, of one sequence; whether x comes after y (before y when not `after`)):
    right after or before when `direct` ("follows", "precedes"), else anywhere after or before, under every start
    `calendar_starts` allows (True), none (False), or some only (None). The day or month right after another comes after
    it whatever the start (the next January comes after December)."""
    fx, fy = _calendar(x), _calendar(y)
    if fx is None or fy is None or fx[0] != fy[0] or x.strip().lower() == y.strip().lower():
        return False, None
    seq, starts = fx
    if not after:
        x, y = y, x
    i, j = seq.index(x.strip().lower()), seq.index(y.strip().lower())
    if i == (j + 1) % len(seq):
        return True, True
    if direct:
        return True, False
    later = {(i - seq.index(start)) % len(seq) > (j - seq.index(start)) % len(seq) for start in starts}
    return True, later.pop() if len(later) == 1 else None
