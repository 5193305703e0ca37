"""Claims spelling working makes about the asked word as a whole, which must hold for it.

- the word written whole where the working names it ("scatr -> s c a t t e r", "Backwards, scater is r-e-t-t-a-c-s",
  "the word scater has ...", "scater: rettacs", "2 in "scater"") must be the word, not a near miss of it; where it
  stands before an answer ("warpe: 2") or after "in" ("2 in "warpe"") a part of the word is allowed, but a count said of
  a part must be the part's own count of the asked letter;
- a count of vowels or consonants ("scatter has three vowels", "It has 4 consonants") must be the word's; y may be
  counted either way;
- a letter said to be doubled ("the c is doubled", "a double c") must stand twice in a row in the word.

The words are data (`word_claims.yaml`); number words are scoring.yaml's `number_words_units`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..utils.yaml_text import load_yaml_text

__all__ = ["false_doubled", "false_near_miss", "false_part_count", "false_vowel_count"]

CLAIMS_YAML = Path(__file__).with_name("word_claims.yaml")
_LETTER = r"[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*(?:['’]?s)?(?![\w'’])"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)) or "(?!)"


@dataclass(frozen=True)
class _Claims:
    naming: list[re.Pattern]
    answered: list[re.Pattern]
    edits: int
    not_names: frozenset[str]
    min_length: int
    vowels: frozenset[str]
    either: frozenset[str]
    kinds: re.Pattern
    vowel_words: frozenset[str]
    doubled: list[re.Pattern]


@lru_cache(maxsize=1)
def _claims() -> _Claims:
    data = load_yaml_text(CLAIMS_YAML.read_text(encoding="utf-8"))
    token = r"[\"“'‘*]*(?P<tok>[A-Za-z]{2,})[\"”'’*]*"
    naming = [re.compile(rf"(?<![\w'’-]){token}[ \t]*(?:->|→|=>|:)[ \t]*[A-Za-z](?![\w'’])"),
              re.compile(rf"(?<![\w'’-]){token},?\s+(?:{_alt(data['naming_after'])})\b", re.IGNORECASE),
              re.compile(rf"\b(?:{_alt(data['naming_before'])})\s*,?\s+{token}(?![\w'’-])", re.IGNORECASE)]
    count_after = r"(?:\s*,)?[ \t]*(?P<n>\d+)\b"
    count_before = r"(?P<n>\d+)(?:[ \t]+times?)?,?[ \t]+"
    quoted = r"[\"“'‘*]*(?P<tok>[A-Za-z]{2,})[\"”'’*]*"
    answered = [re.compile(rf"(?<![\w'’-]){quoted}[ \t]*(?:->|→|=>|:)[ \t]*(?:(?P<n>\d+)\b|(?=[A-Za-z]))"),
                re.compile(rf"{count_before}(?:{_alt(data['naming_in'])})[ \t]+{quoted}(?![\w'’-])", re.IGNORECASE),
                re.compile(rf"\b(?:{_alt(data['naming_in'])})[ \t]+{quoted}(?![\w'’-])(?:{count_after})?", re.IGNORECASE)]
    kinds = data["vowel_words"] + data["consonant_words"]
    count = r"(?P<n>\d+|[a-z]+)"
    doubled = [re.compile(rf"\b(?:{_alt(data['doubled_before'])})\s+{_LETTER}", re.IGNORECASE),
               re.compile(rf"(?<![\w'’])(?:the\s+)?(?:letter\s+)?{_LETTER}\s+(?:{_alt(data['doubled_after'])})\b", re.IGNORECASE)]
    return _Claims(naming=naming, answered=answered, edits=int(data["near_miss_edits"]), not_names=frozenset(w.lower() for w in data["not_names"]), min_length=int(data["near_miss_min_length"]),
                   vowels=frozenset(data["vowels"]), either=frozenset(data["either"]),
                   kinds=re.compile(rf"(?<![\w'’]){count}\s+(?P<kind>{_alt(kinds)})\b", re.IGNORECASE),
                   vowel_words=frozenset(w.lower() for w in data["vowel_words"]), doubled=doubled)


def _edits(a: str, b: str) -> int:
    """Letters added, dropped or changed to make `a` into `b` (Levenshtein distance)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def false_near_miss(reply: str, word: str | None, prompt: str) -> str | None:
    """A word written whole where the working names the asked word that is a near miss of it ("scatr", "scater" for
    "scatter"), neither the word nor its reversal nor a word of the prompt."""
    if not word:
        return None
    c = _claims()
    word = word.lower()
    for m, tok in _named(c.naming, reply, word, prompt, c):
        if _near(tok, word, c):
            return f"it writes {m.group('tok')!r} for the word {word!r}"
    return None


def _named(patterns: list[re.Pattern], reply: str, word: str, prompt: str, c: _Claims):
    """(match, lower-case word) of each word `patterns` find written whole in `reply` that is neither `word` nor its
    reversal, nor a word of the prompt, nor one of the working's own labels (`not_names`)."""
    told = set(re.findall(r"[a-z]+", prompt.lower()))
    for pattern in patterns:
        for m in pattern.finditer(reply):
            tok = m.group("tok").lower()
            if tok not in (word, word[::-1]) and tok not in told and tok not in c.not_names:
                yield m, tok


def _near(tok: str, word: str, c: _Claims) -> bool:
    """Whether `tok` is a near miss of `word` or of its reversal (see `near_miss_edits`): a short word allows fewer
    edits, at most one in three of its letters."""
    if min(len(word), len(tok)) < c.min_length:
        return False
    return min(_edits(tok, word), _edits(tok, word[::-1])) <= min(c.edits, len(word) // 3)


def false_part_count(reply: str, word: str | None, prompt: str, letter: str | None = None) -> str | None:
    """A word written whole before an answer or after "in" ("finne: rennif", "2 in "warpe"") that is a near miss of the
    asked word; asked to count `letter`, a part of the word may be given a count, which must be its own ("2 in "warp"" of
    the r of "warper" fails, "1 in "warp"" holds)."""
    if not word:
        return None
    c = _claims()
    word = word.lower()
    for m, tok in _named(c.answered, reply, word, prompt, c):
        n = m.group("n")
        if letter and (tok in word or tok in word[::-1]):  # a part of the word, and any count said of it
            if n is not None and tok.count(letter.lower()) != int(n):
                return f"{m.group(0).strip()!r}: {tok!r} holds {tok.count(letter.lower())} {letter!r}, not {n}"
        elif _near(tok, word, c):
            return f"it writes {m.group('tok')!r} for the word {word!r}"
    return None


def _value(text: str, st: Any) -> int | None:
    if text.isdigit():
        return int(text)
    words = [w.lower() for w in getattr(st, "number_words_units", [])]
    return words.index(text.lower()) if text.lower() in words else None


def false_vowel_count(reply: str, word: str | None, st: Any) -> str | None:
    """A count of the word's vowels or consonants that is not its own ("scatter has three vowels")."""
    if not word:
        return None
    c = _claims()
    letters = [ch for ch in word.lower() if ch.isalpha()]
    sure = sum(ch in c.vowels for ch in letters)
    maybe = sum(ch in c.either for ch in letters)
    for m in c.kinds.finditer(reply):
        n = _value(m.group("n"), st)
        if n is None:
            continue
        vowel = m.group("kind").lower() in c.vowel_words
        low, high = (sure, sure + maybe) if vowel else (len(letters) - sure - maybe, len(letters) - sure)
        listed = re.match(r"\s*:\s*([A-Za-z](?:\s*(?:,|\band\b)\s*[A-Za-z])*)(?![\w'’])", reply[m.end():])
        named = re.findall(r"(?<![\w'’])[A-Za-z](?![\w'’])", listed.group(1)) if listed else []
        if not low <= n <= high or (listed and len(named) != n):
            return f"{m.group(0) + (listed.group(0) if listed else '')!r} does not hold for {word!r}"
    return None


def false_doubled(reply: str, word: str | None) -> str | None:
    """A letter said to be doubled ("the c is doubled", "a double c") that does not stand twice in a row in the word."""
    if not word:
        return None
    for pattern in _claims().doubled:
        for m in pattern.finditer(reply):
            if m.group("letter").lower() * 2 not in word.lower():
                return f"{m.group(0)!r} does not hold for {word!r}"
    return None


def listed_kind(run: str, before: str, words: list[str]) -> bool:
    """Whether a run of letters after a vowel or consonant label ("5 consonants: s, c, t, t, r", "3 vowels (o, a, e)")
    lists letters of that kind from one of `words`, in order: a selection of the word, not a spelling of it."""
    c = _claims()
    label = re.search(rf"\b(?P<kind>{_alt(sorted(c.vowel_words) + _consonant_words())})\s*(?:are|is)?\s*[:=(]?\s*$", before,
                      re.IGNORECASE)
    if label is None:
        return False
    vowel = label.group("kind").lower() in c.vowel_words
    kind = (lambda ch: ch in c.vowels or ch in c.either) if vowel else (lambda ch: ch not in c.vowels)
    return all(kind(ch) for ch in run) and any(_subsequence(run, w.lower()) for w in words)


def _consonant_words() -> list[str]:
    return [w.lower() for w in load_yaml_text(CLAIMS_YAML.read_text(encoding="utf-8"))["consonant_words"]]


def _subsequence(run: str, of: str) -> bool:
    it = iter(of)
    return all(ch in it for ch in run)
