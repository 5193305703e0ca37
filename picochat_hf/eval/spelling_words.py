"""The word a spelling prompt asks about: the one reading shared by the working checks (`false_spelling`,
`letter_positions`, `letter_counts`) and the answer judge's letter asides (`number_units.letter_aside`)."""

from __future__ import annotations

import re

__all__ = ["asked_words", "prompt_words", "the_asked_word"]

_QUOTED = re.compile(r"[\"“”'‘’«»]([A-Za-z]{2,})[\"“”'‘’«»]")
_WORD_AFTER = re.compile(r"\bword\s+([A-Za-z]{2,})\b", re.IGNORECASE)
_WORD_AT_END = re.compile(r"\b(?:in|of)\s+([A-Za-z]{2,})\s*[.?!]?\s*$", re.IGNORECASE)


def prompt_words(prompt: str) -> list[str]:
    """Every word of two letters or more the prompt writes, in lower case."""
    return [w.lower() for w in re.findall(r"[A-Za-z]{2,}", prompt)]


def asked_words(prompt: str, row: dict | None = None) -> list[str]:
    """The word a spelling prompt asks about: the row's recorded word, else the prompt's quoted words, else the word after
    "word", else the word that ends the prompt after "in" or "of" ("... shows up in toast."); [] when none is there."""
    problem = (row or {}).get("problem")
    if isinstance(problem, dict) and isinstance(problem.get("word"), str) and problem["word"].isalpha():
        return [problem["word"].lower()]
    quoted = [w.lower() for w in _QUOTED.findall(prompt)]
    return quoted or [w.lower() for w in _WORD_AFTER.findall(prompt) or _WORD_AT_END.findall(prompt)]


def the_asked_word(prompt: str, row: dict | None = None) -> str | None:
    """The one word the prompt asks about, None when it names none or several different ones."""
    words = set(asked_words(prompt, row))
    return words.pop() if len(words) == 1 else None
