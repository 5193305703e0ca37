"""Text helpers every answer judge shares: the comparable form of a reply and whether it asks instead of states."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

STRIP = " \t\r\n\"'`.,;:!?()[]{}*_“”‘’«»"  # typographic quotes as well as ASCII ones
MARKDOWN = re.compile(r"[*_`]+")


def clean(text: str) -> str:
    """Lowercase, no markdown emphasis, collapsed whitespace, no surrounding quotes or punctuation."""
    s = MARKDOWN.sub("", text)
    return re.sub(r"\s+", " ", s.strip().lower()).strip(STRIP)


def asked(text: str) -> bool:
    """The reply ends in a question mark: it asks about an answer instead of stating it ("r?", "Is it B?")."""
    return MARKDOWN.sub("", text).rstrip(" \t\r\n\"'`)]").endswith("?")


def word_alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of literal phrases, the longest first, spaces as any whitespace (no word bounds added)."""
    return _word_alternation(tuple(words))


@lru_cache(maxsize=1024)
def _word_alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def phrase_alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of phrases: words whole ("not", not "knot"), "n't" glued to its word, spaces as any
    whitespace, apostrophes straight or curly; the longest first. Built once per lexicon (the judges ask for the same
    lexicons' alternations on every reply)."""
    return _phrase_alternation(tuple(words))


@lru_cache(maxsize=1024)
def _phrase_alternation(words: tuple[str, ...]) -> str:
    out = []
    for w in sorted(words, key=len, reverse=True):
        body = re.escape(w.lower()).replace("'", "['’]").replace(r"\ ", r"\s+")
        lead = r"(?<=[a-z])" if w.startswith("n'") else (r"\b" if w[:1].isalnum() else "")
        out.append(lead + body + (r"\b" if w[-1:].isalnum() else ""))
    return "|".join(out) or "(?!)"


def plural_stem(word: str) -> str:
    """A word without a plural "s" ("hours" -> "hour"; words of three letters or fewer are kept: "gas", "bus")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


# Contractions written without their apostrophe ("cant", "dont", "im") and "idk", as users type them; "u" is "you" after a
# verb that takes a person ("tell u"), while "starts with u" names a letter.
_BARE_CONTRACTIONS = re.compile(r"\b(can|don|doesn|didn|isn|aren|wasn|weren|couldn|wouldn|shouldn|haven|hasn|hadn|won)t\b|\b(i)(m|ve)\b",
                                re.IGNORECASE)
_TEXTED_YOU = re.compile(r"\b(tell|give|show|thank|let|help|ask|see|assure|promise|guarantee|remind|send|teach|owe|for)\s+u\b", re.IGNORECASE)


def typed_forms(text: str) -> str:
    """The text with apostrophe-less contractions, "idk" and a texted "u" written out ("I cant tell u" -> "I can't tell you"),
    and in compatibility form, so full-width and long-s letters read as plain ones ("ｓｗｏｒｄｆｉｓｈ", "ſwordfiſh")."""
    text = unicodedata.normalize("NFKC", text)
    text = _BARE_CONTRACTIONS.sub(lambda m: f"{m.group(1)}'t" if m.group(1) else f"{m.group(2)}'{m.group(3)}", text)
    return _TEXTED_YOU.sub(r"\1 you", re.sub(r"\bidk\b", "I don't know", text, flags=re.IGNORECASE))
