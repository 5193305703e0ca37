"""Who the prompt of a "how many" story says holds which counts, and which counts a reply gives someone falsely.

A story names who holds its things at the start ("Pia has 91 grapes", "Pia starts the day with 91") and who moves some
of them ("30 are taken away by Pia", "Pia removes 30", "gives 30 to Sam"). A person who only moves things out of a
store the story gives no one ("A jar contains 91 grapes") holds what they moved, never what is left, so "Pia has 61
left" answers no "how many are in the jar" question. A count a reply gives a person is a fact about the row: beside the
answer it must be one the prompt gives that person ("Sam has 30." with no Sam in the prompt, or with Sam given 30 while
the reply says 91, states a second, wrong fact). A count the prompt states is working in the reply unless its clause says of
it what only the question says ("6 stay, and 78 stay too" asked how many stay): then it is a second answer.
"""

from __future__ import annotations

import re
from typing import Any

from .reply_text import phrase_alternation, plural_stem

_NAME = r"[A-Z][a-z]+"
_SENTENCE = re.compile(r"(?<=[.!?\n])\s*")
_CLAUSE = re.compile(r"[,;]|\b(?:and|but|then|while)\b")
_NUMBER = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?")


def canonical(token: str) -> str:
    """A prompt number as the scorer compares reply numbers (`answers.parse_number`: "1,200" -> "1200", "12.50" ->
    "12.5"); a malformed one ("007") stays as written and so matches no reply number."""
    from .answers import parse_number  # answers imports this module

    return parse_number(token) or token


def _names(text: str, st: Any) -> list[str]:
    skip = {p.lower() for p in st.count_owner_pronouns}
    return [n for n in re.findall(rf"\b{_NAME}\b", text) if n.lower() not in skip]


def _change_words(st: Any) -> set[str]:
    return {w for g in st.count_change_verbs for w in g.split()}


def holdings(prompt: str, st: Any) -> tuple[dict[str, set[str]], set[str], set[str]]:
    """(each person's counts the prompt states, who holds its first count, who moves things in a clause of change).
    A clause that names no one before its number goes on with the last subject ("Pia has 91 grapes and sells 30")."""
    held: dict[str, set[str]] = {}
    first: set[str] | None = None
    moving: set[str] = set()
    subject: list[str] = []
    change = _change_words(st)
    for sentence in _SENTENCE.split(prompt):
        for clause in _CLAUSE.split(sentence):
            number = _NUMBER.search(clause)
            if number is None:
                continue
            before, after = _names(clause[: number.start()], st), _names(clause[number.end() :], st)
            subject = before[:1] or subject
            people = set(subject) | set(after)
            for name in people:
                held.setdefault(name, set()).add(canonical(number.group(0)))
            if first is None:
                first = people
            if change & set(re.findall(r"[a-z]+", clause.lower())):
                moving |= people
    return held, first or set(), moving


def movers(prompt: str, st: Any) -> set[str]:
    """The people a story shows moving its things who did not hold them at the start: they hold what they moved."""
    _, first, moving = holdings(prompt, st)
    return moving - first


def false_count(owners: set[str], value: str, prompt: str, st: Any) -> str | None:
    """Why giving `value` to `owners` states a wrong fact: the prompt gives one of them no such count."""
    if not owners or not re.search(r"\b(?:" + phrase_alternation(st.count_question_phrases) + r")\b", prompt.lower()):
        return None
    held, _, _ = holdings(prompt, st)
    wrong = sorted(o for o in owners if value not in held.get(o, set()))
    return f"gives {wrong[0]} {value}, which the prompt does not" if wrong else None


_REPLY_CLAUSE = re.compile(r"[.;:!?,\n]|\d|\b(?:and|but|so|or|then|while)\b")


def restates_answer(text: str, start: int, end: int, prompt: str, st: Any) -> bool:
    """Whether the clause of the number at text[start:end] uses a word only the prompt's question has ("stay" in "84 stay."
    asked "How many buttons stay on the shelf?"), besides `count_question_stop_words`: it answers the question again."""
    asks = re.findall(r"[^.!?]*\?", prompt)
    if not asks:
        return False
    told = {plural_stem(w) for w in re.findall(r"[a-z]+", prompt.replace(asks[-1], " ").lower())}
    only_asked = {plural_stem(w) for w in re.findall(r"[a-z]+", asks[-1].lower())} - told - set(st.count_question_stop_words)
    clause = _REPLY_CLAUSE.split(text[:start])[-1] + " " + _REPLY_CLAUSE.split(text[end:])[0]
    return bool(only_asked & {plural_stem(w) for w in re.findall(r"[a-z]+", clause.lower())})
