"""Text normalisation shared by every contamination check.

NFKC, minus sign and en dash as "-", thousands separators dropped ("1,200" is "1200"), casefold, then keep
maximal runs of Unicode letters and digits as words (punctuation, underscores and whitespace separate words), plus each arithmetic symbol as a word of its own, so "9 + 0" and "9 - 0"
stay different questions. "Don't!" becomes ["don", "t"]; "Ｆｒａｎｃｅ" becomes ["france"].
The same function runs on both sides of every comparison, so the choice only has to be consistent.
"""

from __future__ import annotations

import re
import unicodedata

NORMALIZATION = "NFKC, minus/en dash as -, thousands separators dropped, casefold, words = maximal runs of Unicode letters/digits ([^\\W_]+) and single arithmetic symbols (+-*/=×÷^%<>)"

_WORD = re.compile(r"[^\W_]+|[-+*/=×÷^%<>]")
_DIGITS = re.compile(r"\d")
_SYMBOLS = frozenset("-+*/=×÷^%<>")


_THOUSANDS = re.compile(r"(?<=\d)[,，'’_\u00a0\u2009\u202f](?=\d{3}(?!\d))")  # before NFKC turns the spaces into " "
_MINUS = str.maketrans({"−": "-", "–": "-"})


def words(text: str) -> list[str]:
    """Normalised word tokens of `text`: thousands separators dropped ("1,200" is "1200"), the minus sign and
    en dash read as "-" ("90 − 84" is "90 - 84")."""
    return _WORD.findall(unicodedata.normalize("NFKC", _THOUSANDS.sub("", text)).translate(_MINUS).casefold())


def normalized(text: str) -> str:
    """Normalised text: the words joined by single spaces (used for exact equality)."""
    return " ".join(words(text))


def number_tokens(tokens: list[str]) -> tuple[str, ...]:
    """Numbers and arithmetic symbols, in order: two prompts asking about different sums differ here."""
    return tuple(t for t in tokens if _DIGITS.search(t) or t in _SYMBOLS)
