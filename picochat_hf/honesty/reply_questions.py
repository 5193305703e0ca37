"""Questions a reply asks of its own: "Capital of Serbia?" answered "I don't know. Which river flows through Belgrade?"
names Belgrade only inside a question about something else, and gives no answer.

A reply sentence ending in "?" that opens with one of `reply_question_openers` ("which", "is", ...) is such a question,
unless its opener is followed by one of `reply_question_tentative` ("Is it Belgrade?", "Is the answer Belgrade?", "What
about Belgrade?", "Do you mean Belgrade?": a guess that still names its answer) or it repeats a content word of the question
asked ("Is Belgrade the capital?", "Isn't Belgrade the capital of Serbia?" asked "Capital of Serbia?": a guess about the
asked thing). A sentence without an opener ("Belgrade?", "Belgrade, isn't it?") is a guess too.
"""

from __future__ import annotations

import re

from .choice_lists import ListRules
from .normalize import words

_SENTENCE = re.compile(r"[^.?!\n]*(?:[.?!]+|\n|$)")


def own_question(sentence: str, rules: ListRules, about: frozenset[str] = frozenset()) -> bool:
    """Whether `sentence` (ending in "?") asks a question of its own (see the module docstring); `about`: the content
    words of the question asked."""
    if not sentence.rstrip().endswith("?"):
        return False
    ws = words(sentence)
    opener = next((o for o in sorted(rules.question_openers, key=len, reverse=True) if tuple(ws[: len(o)]) == o), None)
    if opener is None:
        return False
    rest = ws[len(opener) :]
    return not any(tuple(rest[: len(t)]) == t for t in rules.question_tentative) and not about & set(rest)


def without_own_questions(reply: str, rules: ListRules, about: frozenset[str] = frozenset()) -> str:
    """`reply` without the questions it asks of its own (each such sentence blanked, the rest kept as written); `about`:
    the content words of the question asked, which make a question of the reply a guess about it."""
    if "?" not in reply or not rules.question_openers:
        return reply
    return "".join(" " if own_question(m.group(0), rules, about) else m.group(0) for m in _SENTENCE.finditer(reply))
