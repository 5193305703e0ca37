"""Claims in spelling working about how often a letter occurs in the word asked, or how long the word is, which must
hold for that word: "There are 3 a's.", "o appears 3 times" or "There are no a's." about "hookah" is false even when the final count of o is
right, and so is "The word has 7 letters.". A running tally ("Count each o: h, o 1, o 2") is `false_spelling`'s; a
count of a word the prompt does not ask about ("cat has 3 letters") is not judged. Number words are the scoring YAML's
(`number_words_units`).
"""

from __future__ import annotations

import re
from typing import Any

from .spelling_words import the_asked_word

__all__ = ["false_letter_count"]

_TIMES = {"once": 1, "twice": 2, "thrice": 3}
_TALLY_LINE = re.compile(r"\bcount(?:ing)?\s+(?:(?:each|every|the|all)\s+)?(?:letter\s+)?[\"“'‘]?[A-Za-z][\"”'’]?(?:['’]?s)?\s*:[^\n]*",
                         re.IGNORECASE)
_LETTER = r"[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*"
_OF_WORD = r"(?:\s+(?:in|of)\s+(?:the\s+word\s+|the\s+|its\s+)?[\"“'‘]?(?P<word>[A-Za-z]{2,})[\"”'’]?)?"


def _patterns(number: str) -> list[re.Pattern]:
    verbs = r"(?:appears|occurs|shows\s+up|is\s+used|is\s+found|comes\s+up|turns\s+up)"
    return [re.compile(p, re.IGNORECASE) for p in (
        # "2 o's", "3 a's in hookah", "There are 1 a."; a lone letter only where its clause ends ("2 o's and 1 a.")
        rf"(?<![\w.,])(?P<n>{number})\s+{_LETTER}(?:['’]s\b|(?=[ \t]*(?:[.,;!?)\n]|$|\band\b|\bor\b))){_OF_WORD}",
        # a zero said in words: "There are no a's", "no a in hookah", "zero a's"
        rf"(?<![\w'’])(?P<zero>no|zero)\s+(?:letter\s+)?{_LETTER}(?:['’]s\b|(?=[ \t]*(?:[.,;!?)\n]|$|\band\b|\bor\b|\bin\b))){_OF_WORD}",
        rf"(?<![\w'’]){_LETTER}\s+(?P<absent>(?:does\s+not|doesn['’]t|never|do\s+not|don['’]t)\s+(?:appear|occur|show\s+up|come\s+up))\b",
        # "o appears 3 times", "the letter a occurs once in hookah"
        rf"(?<![\w'’]){_LETTER}\s+{verbs}(?:\s+in\s+(?:the\s+word\s+)?[\"“'‘]?(?P<word2>[A-Za-z]{{2,}})[\"”'’]?)?\s+"
        rf"(?:(?P<n2>{number})\s+times?\b|(?P<times>once|twice|thrice)\b)",
    )]


def _label_counts(text: str) -> list[tuple[str, int]]:
    """(letter, count) for each label of a count ("h: 2, o: 2, k: 1", "letter o: 3"); none when the labels number places
    instead ("h: 1, o: 2, o: 3": a letter labelled twice, or the numbers 1, 2, 3, ... in order)."""
    # "letter o: 3", but not "Letters: 6" (a length, `_length_claims`): "letter" and the letter are parted by a space
    pattern = rf"(?:(?:^|[\n,;(])\s*|\bletter\s+){_LETTER}\s*:\s*(?P<n>\d+)\b(?!\s*[-+*/×÷=.]\s*\d)"
    found = [(m.group("letter").lower(), int(m.group("n"))) for m in re.finditer(pattern, text, re.IGNORECASE | re.MULTILINE)]
    letters = [letter for letter, _ in found]
    places = len(found) > 1 and [n for _, n in found] == list(range(1, len(found) + 1))
    return [] if len(set(letters)) < len(letters) or places else found


def _value(text: str, st: Any) -> int | None:
    low = text.lower()
    if low in _TIMES:
        return _TIMES[low]
    words = [w.lower() for w in getattr(st, "number_words_units", [])]
    if low in words:
        return words.index(low)
    return int(low) if low.isdigit() else None


def _length_claims(text: str, number: str) -> list[tuple[str, str | None]]:
    """(count, word named) for each claim of a word's length: "The word has 7 letters", "hookah is 6 letters long",
    "There are 6 letters in hookah", "d, u, m, p (4 letters)", "the first of the six letters"."""
    out = []
    # "2 letters o", "3 letters that are vowels" count some letters, not the word's
    some = r"(?!\s+(?:[\"“'‘*]*[A-Za-z][\"”'’*]*(?![\w'’])|that|which|like|such|in\s+common))"
    # "the first of the six letters", "all 6 letters of it"
    pattern = (rf"(?:\b(?P<verb>has|have|had|contains|is|are|with|of)\s+(?:the\s+|its\s+|all\s+)?(?P<n>{number})\s+letters\b{some}{_OF_WORD}"
               rf"|(?P<n2>{number})\s+letters\s+long\b"
               # a labelled length: "Letters: 6", "Total letters: 6", "Number of letters: 6" ("Letter count: 2" may count the
               # asked letter)
               rf"|(?:^|[\n.;(])\s*(?:total\s+|number\s+of\s+)?letters\s*:\s*(?P<n4>{number})\b(?!\s*[-+*/×÷=.,]\s*\d)"
               # a spelled-out word's length in brackets after it: "c, l, a, ... e (11 letters)"
               rf"|(?<=[A-Za-z])[\"”'’]?\s*\((?P<n3>{number})\s+letters(?:\s+long)?\))")
    for m in re.finditer(pattern, text, re.IGNORECASE):
        before = text[max(0, m.start() - 40) : m.start()]
        # "the first of the six letters" names no word before "of"
        of = (m.group("verb") or "").lower() == "of"
        named = m.group("word") or (None if of else (re.search(r"([A-Za-z]{2,})[\"”'’]?\s+(?:is|has|contains)?\s*$", before) or [None, None])[1])
        if m.group("n4"):
            named = "word"  # a labelled length is the asked word's
        out.append((m.group("n") or m.group("n2") or m.group("n3") or m.group("n4"), named))
    return out


def false_letter_count(reply: str, prompt: str, st: Any, row: dict | None = None) -> str | None:
    """A claim about how often a letter occurs in the word asked, or how many letters it has, that is false of it."""
    word = the_asked_word(prompt, row)
    if word is None:
        return None
    units = [re.escape(w) for w in getattr(st, "number_words_units", [])]
    number = r"\d+" + "".join(f"|{u}" for u in units)
    text = _TALLY_LINE.sub(" ", reply)
    for pattern in _patterns(number):
        for m in pattern.finditer(text):
            groups = m.groupdict()
            named = (groups.get("word") or groups.get("word2") or "").lower()
            if named and named not in (word, "word", "it"):
                continue  # a count of another word
            letter = m.group("letter").lower()
            n = 0 if groups.get("zero") or groups.get("absent") else _value(groups.get("n") or groups.get("n2") or groups.get("times") or "", st)
            if n is not None and word.count(letter) != n:
                return f"it says {letter!r} occurs {n} time(s), but {word!r} has {word.count(letter)}"
    for letter, n in _label_counts(text):
        if word.count(letter) != n:
            return f"it says {letter!r} occurs {n} time(s), but {word!r} has {word.count(letter)}"
    for n_text, named in _length_claims(text, number):
        # "that"/"this" after a spelling or reversal is that run, as long as the word
        if named and named.lower() not in (word, "word", "it", "there", "that", "this", "reversed", "backwards", "reversal"):
            continue
        n = _value(n_text, st)
        if n is not None and n != len(word):
            return f"it says the word has {n} letters, but {word!r} has {len(word)}"
    return None
