"""A zero count written in words: "None.", "There are no x's.", "Not a single one.", "x does not occur in toast.".

A reply with no number answers a how-many question with 0 when it holds one or more zero markers and nothing else
but the prompt's words and a few fillers (`zero_count_fillers`). A marker is a zero phrase (`zero_count_phrases`:
"none", "not once"), "no" before what is counted (the letter the prompt names, or a plural word of the prompt: "no x's",
"no grapes") or "not" before a verb of occurring (`zero_count_verbs`: "does not occur", "is not in"). Any other word
("None of your business.", "No idea."), a second negation ("not none"), a name ("Pia has none") or a question mark
states no count. The word lists are the scoring YAML's (`scoring.yaml`).
"""

from __future__ import annotations

import re
from typing import Any

from .number_units import asks, asks_occurrences
from .reply_text import MARKDOWN, asked

_NEGATIONS = {"no", "not", "none", "never", "nowhere"}


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z]+", re.sub(r"n['’]t\b", " not", text.lower()))


def _marker(words: list[str], prompt_words: set[str], st: Any) -> tuple[int, int] | None:
    """Where the one zero marker is in `words` (start, end), None when there is none."""
    for phrase in sorted(st.zero_count_phrases, key=len, reverse=True):
        p = phrase.split()
        hits = [i for i in range(len(words) - len(p) + 1) if words[i : i + len(p)] == p]
        if hits:
            return hits[0], hits[0] + len(p)
    counted = {w for w in prompt_words if len(w) == 1 or (len(w) > 3 and w.endswith("s"))}
    for i, word in enumerate(words[:-1]):
        nxt = [w for w in words[i + 1 : i + 3] if w not in ("letter", "letters")][:1]
        if word == "no" and nxt and nxt[0] in counted:
            return i, words.index(nxt[0], i + 1) + 1
        if word == "not" and words[i + 1] in st.zero_count_verbs:
            return i, i + 2
    return None


def states_zero(text: str, prompt: str, st: Any) -> bool:
    """Whether `text`, which holds no number, answers the prompt's how-many question with 0 in words."""
    if not (asks(prompt, st.count_question_phrases) or asks_occurrences(prompt, st)) or asked(text):
        return False
    # a name the prompt capitalizes may hold what was moved, not what is left ("Pia has none")
    names = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+\b", prompt)} - set(re.findall(r"\b[a-z]+\b", prompt))
    prompt_words = set(_tokens(prompt)) - names
    prompt_words |= {w[:-1] for w in prompt_words if len(w) > 3 and w.endswith("s")}  # "Not a single grape is left."
    words = _tokens(MARKDOWN.sub("", text))
    markers = 0
    # the zero may be said more than once ("There are no x's, none at all."); each saying is one marker, and what is
    # left after all of them must still be the prompt's words and fillers only ("Not none." leaves a bare "not")
    while (span := _marker(words, prompt_words, st)) is not None:
        words = words[: span[0]] + ["#"] + words[span[1] :]
        markers += 1
    allowed = prompt_words | set(st.zero_count_fillers) | {"#"}
    return markers > 0 and all(w in allowed and w not in _NEGATIONS for w in words)
