"""Counts a reply gives people beside its answer on a story that names several of them.

A question about a place ("How many buttons stay on the shelf?") and no person is answered by the place's count: after
the answer, a count given to that place or to "it" ("The shelf has 6 buttons. It has 84.", "84 buttons are on the
shelf") states a second count of it unless told as past ("It had 84.", "84 at first") or as a difference ("78 fewer").

A question about them together ("How many apples do they have in all?", "... do Tom and Ann have?") is answered by no
one person's count: the total given to one of them ("Tom has 8.", "She has 8.") states a count the prompt gives no one;
the total given to them all ("They have 8.", "Tom and Ann have 8.") or to no one is the answer. A count the prompt gives
that person ("Tom has 5 and Ann has 3, so 8") is working. After the answer, a count given to the asked person must agree
with it: "Pia has 61 left. Pia has 91." states a second count of hers, unless its clause tells it is past ("Pia had 91",
"Pia has 61 left, 91 at first"). The word lists are the scoring YAML's (`count_group_question_words`,
`count_owner_past_verbs`).
"""

from __future__ import annotations

import re
from typing import Any

from .number_holders import holdings
from .number_owners import CLAUSE_CUT, asked_names, count_owners, question_of
from .reply_text import phrase_alternation


def about_group(prompt: str, st: Any) -> bool:
    """Whether the prompt's question asks about several of the people its story names together."""
    if len(holdings(prompt, st)[0]) < 2:
        return False
    asked = " " + " ".join(re.findall(r"[a-z0-9]+", question_of(prompt).lower())) + " "
    return len(asked_names(prompt)) > 1 or any(f" {w.lower()} " in asked for w in st.count_group_question_words)


def group_owner(text: str, start: int, end: int, prompt: str, st: Any) -> str | None:
    """Why the number at text[start:end] is one person's count on a question about several together, None when not;
    a count given to several of the people the prompt names, or to no one, may be theirs together."""
    if not re.search(r"\b(?:" + phrase_alternation(st.count_question_phrases) + r")\b", prompt.lower()) or not about_group(prompt, st):
        return None
    held = holdings(prompt, st)[0]
    value = text[start:end].replace(",", "")
    head = CLAUSE_CUT.split(text[:start])[-1]
    owners = count_owners(text, start, end, st, prompt)
    if re.search(r"\b(?:[Ss]he|[Hh]e)\b", head):
        return "one person's count, not theirs together"
    if len(owners) == 1 and value not in held.get(next(iter(owners)), set()):
        return f"a count of {next(iter(owners))}'s alone, not theirs together"
    stranger = sorted(owners - set(held))
    return f"a count of {stranger[0]}'s, whom the prompt does not name" if stranger else None


def _past(head: str, tail: str, st: Any) -> bool:
    words = " " + " ".join(re.findall(r"[a-z]+", (head + " " + tail).lower())) + " "
    return any(f" {w} " in words for w in st.count_owner_past_verbs + st.count_start_phrases)


def second_count(text: str, mentions: list[Any], answer: str, prompt: str, st: Any) -> str | None:
    """Why a count given to the asked person after the answer contradicts it ("Pia has 61 left. Pia has 91."), else None."""
    first = next((m for m in mentions if m.value == answer), None)
    if first is None:
        return None
    who = asked_names(prompt) or count_owners(text, first.start, first.end, st, prompt)
    for m in mentions:
        if m.start < first.end or m.value in (None, answer):
            continue
        owners = count_owners(text, m.start, m.end, st, prompt) & who
        head, tail = CLAUSE_CUT.split(text[: m.start])[-1], CLAUSE_CUT.split(text[m.end :])[0]
        if owners and not _past(head, tail, st):
            return f"gives {sorted(owners)[0]} {text[m.start : m.end]!r} after the answer {answer!r}"
    return None


def _places(prompt: str) -> set[str]:
    """The places a question without a person asks about: the nouns after "the" in it that the story names too."""
    question = question_of(prompt)
    if asked_names(prompt):
        return set()
    story = prompt.replace(question, " ").lower()
    return {w for w in re.findall(r"\bthe\s+([a-z]+)", question.lower()) if re.search(rf"\b{w}\b", story)}


def second_place_count(text: str, mentions: list[Any], answer: str, prompt: str, st: Any) -> str | None:
    """Why a count given to the place the question asks about after the answer contradicts it ("The shelf has 6 buttons.
    It has 84."), else None. `mentions` are the numbers of `text` in order (`answers.number_mentions`)."""
    places = _places(prompt)
    first = next((m for m in mentions if m.value == answer), None)
    if not places or first is None:
        return None
    alt = "|".join(re.escape(p) for p in sorted(places))
    verbs = phrase_alternation(st.count_owner_verbs + st.count_store_verbs)
    adverbs = rf"(?:(?:{phrase_alternation(st.count_owner_adverbs)})\s+){{0,2}}"
    holder = re.compile(rf"\b(?:the\s+(?:{alt})|it)\s+{adverbs}(?:{verbs})\s*$", re.IGNORECASE)
    placed = re.compile(rf"^\s*(?:[a-z]+\s+)?(?:are|is|remain|stay|sit|lie)\s+(?:still\s+)?(?:on|in|at)\s+the\s+(?:{alt})\b",
                        re.IGNORECASE)
    for m in mentions:
        start, end = m.start, m.end
        if start < first.end or m.value in (None, answer):
            continue
        head, tail = CLAUSE_CUT.split(text[:start])[-1], CLAUSE_CUT.split(text[end:])[0]
        if re.match(rf"\s*(?:{phrase_alternation(st.difference_words_after)})\b", tail, re.IGNORECASE) or _past(head, tail, st):
            continue
        if holder.search(head) or placed.match(tail):
            return f"gives the {sorted(places)[0]} {text[start:end]!r} after the answer {answer!r}"
    return None
