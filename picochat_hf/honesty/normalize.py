"""Text normalisation shared by every contamination check.

NFKC, casefold, then keep maximal runs of Unicode letters and digits as words (punctuation, underscores
and whitespace separate words), plus each arithmetic symbol as a word of its own, so "9 + 0" and "9 - 0"
stay different questions. "Don't!" becomes ["don", "t"]; "Ｆｒａｎｃｅ" becomes ["france"].
The same function runs on both sides of every comparison, so the choice only has to be consistent.
"""

from __future__ import annotations

import re
import unicodedata

NORMALIZATION = "NFKC, casefold, words = maximal runs of Unicode letters/digits ([^\\W_]+) and single arithmetic symbols (+-*/=×÷^%<>)"

_WORD = re.compile(r"[^\W_]+|[-+*/=×÷^%<>]")
_DIGITS = re.compile(r"\d")
_SYMBOLS = frozenset("-+*/=×÷^%<>")


def words(text: str) -> list[str]:
    """Normalised word tokens of `text`."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def normalized(text: str) -> str:
    """Normalised text: the words joined by single spaces (used for exact equality)."""
    return " ".join(words(text))


def number_tokens(tokens: list[str]) -> tuple[str, ...]:
    """Numbers and arithmetic symbols, in order: two prompts asking about different sums differ here."""
    return tuple(t for t in tokens if _DIGITS.search(t) or t in _SYMBOLS)
