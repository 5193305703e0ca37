"""Spelling working that is false about the word asked: a spelled-out run of letters that is no piece of the word, a
tally of another letter or miscounted (see `false_working`, which applies them; letter-place claims are `letter_positions`,
letter-count claims `letter_counts`)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .number_units import asked_letters
from .spelling_words import asked_words, prompt_words, the_asked_word
from .word_claims import listed_kind

# One letter standing alone (not part of a word or a contraction), with an optional running tally after it ("t 1").
_LETTER = re.compile(r"(?<![\w'’])([A-Za-z])(?:[ \t]+(\d+))?(?![\w'’])")
# What may stand between two letters of one spelled-out run: a comma, a semicolon, a hyphen, dash, dot, slash, bar or arrow, spaces, or
# "and" or "then" ("n and g", "e, then a, then c"); a full stop with a space after it ends the sentence, and the run.
_RUN_GAP = re.compile(r"[ \t]*(?:[,;\-–—·•/|→]|->)[ \t]*|[ \t]+|\.|[ \t]*[,;]?[ \t]+(?:and|then|and\s+then)[ \t]+")
# An arrow between two runs parted otherwise ("s c a t t e r -> r e t t a c s") ends the first; in a run parted by
# arrows ("s -> c -> a") it is a gap like any other.
_ARROW_GAP = re.compile(r"[ \t]*(?:→|->)[ \t]*")
_QUOTED_LETTER = re.compile(r"[\"“”'‘’*`]+([A-Za-z])[\"“”'‘’*`]+")
# A line that holds one letter of a list ("1. c", "- c", "c"); such lines in a row are one run.
_LIST_LINE = re.compile(r"[ \t]*(?:\d+[.)]|[-*•])?[ \t]*([A-Za-z])[ \t]*[.,;]?[ \t]*")
# A run a label presents as the whole word, its spelling or its reversal ("Spell it out:", "It is spelled", "Reversed:").
_WHOLE_LABEL = re.compile(r"(?:\bspell(?:s|ed|ing)?(?:\s+it)?(?:\s+out)?|\bletters\s+are|\bletter\s+by\s+letter|\bwith\s+spaces|"
                          r"\breversed|\bbackwards?|\bin\s+reverse)\s*(?:is|as|are)?\s*[:=]?\s*$", re.IGNORECASE)
# A run a label presents as the word's first or last letters ("The last three letters are", "The first 3 letters:").
_END_RUN = re.compile(r"\b(first|last|final)\s+(?:\d+|[a-z]+)\s+letters\s*(?:are|were)?\s*(?:the\s+letters\s+)?[:=]?\s*$",
                      re.IGNORECASE)
# After a run, words that make it a set of letters, not a spelling ("the letters d, g, l each appear once").
_SET_AFTER = re.compile(r"\s*(?:each|all|both|also|appear|appears|occur|occurs|once|twice|thrice|"
                        r"are\s+(?:in|vowels|consonants|there))\b", re.IGNORECASE)
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_VOWELS = "aeiouy"
_MIN_RUN = 3
# "Count each t:", "Count the t's:", "Counting t:", "Count every letter 't':" and what follows on its line.
_TALLY = re.compile(r"\bcount(?:ing)?\s+(?:(?:each|every|the|all)\s+)?(?:letter\s+)?[\"“'‘]?([A-Za-z])[\"”'’]?(?:['’]?s)?\s*:\s*([^\n]*)",
                    re.IGNORECASE)
# One tally item: a letter, in quotes or not, and its mark written "t 1", "t1", "t (1)", "t = 1", "t: 1", "t #1".
_TALLY_ITEM = re.compile(r"[\"“'‘]?([A-Za-z])[\"”'’]?(?:\s*(?:[=:#(]\s*)?(\d+)\)?)?(?![\w'’])(.*)", re.DOTALL)
# The count stated after a tally: "Count: 2", "Count = 2", "So the count is 2", "Total: 2".
_COUNT_LINE = re.compile(r"^\s*(?:so\s*,?\s*)?(?:the\s+)?(?:count|total)\s*(?::|=|\bis\b|\bwas\b)\s*(\d+)\b",
                         re.IGNORECASE | re.MULTILINE)


def _lines(text: str) -> list[str]:
    """`text`'s lines, letters in quotes unquoted ("'d', 'u'"), a list of one letter a line ("1. c" / "2. o") joined into
    one line, and a line ending in a comma joined to the next ("c, o, r,\\nt, e")."""
    text = _QUOTED_LETTER.sub(r"\1", text)
    # a tally mark in brackets after a lone letter ("o (1)", "o (one)") is a mark, not a break in the run
    text = re.sub(r"(?<![\w'’])([A-Za-z])[ \t]*\((\d+)\)", r"\1 \2", text)
    text = re.sub(r"(?<![\w'’])([A-Za-z])[ \t]*\([a-z]+\)", r"\1", text)
    text = re.sub(r",[ \t]*\n[ \t]*(?=[A-Za-z](?![\w'’]))", ", ", text)
    lines: list[str] = []
    listed: list[str] = []
    for line in text.splitlines() + [""]:
        m = _LIST_LINE.fullmatch(line)
        if m and line.strip():
            listed.append(m.group(1))
            continue
        if listed:
            lines.append(", ".join(listed))
            listed = []
        lines.append(line)
    return lines


def _runs(text: str) -> list[tuple[str, list[int | None], str, str]]:
    """Each run of at least three lone letters: its letters, tally marks, and the text of its line before and after it."""
    runs = []
    for line in _lines(text):
        letters: list[str] = []
        marks: list[int | None] = []
        start = end = None
        arrows: list[bool] = []
        for m in list(_LETTER.finditer(line)) + [None]:
            arrow = m is not None and end is not None and bool(_ARROW_GAP.fullmatch(line[end : m.start()]))
            if m is None or (end is not None and not _RUN_GAP.fullmatch(line[end : m.start()])) \
                    or (arrow and arrows and not any(arrows)):
                arrows = []
                if len(letters) >= _MIN_RUN:
                    runs.append(("".join(letters), marks, line[:start], line[end:]))
                letters, marks, start = [], [], None
            if m is None:
                break
            if start is not None:
                arrows.append(arrow)
            start = m.start() if start is None else start
            letters.append(m.group(1).lower())
            marks.append(int(m.group(2)) if m.group(2) else None)
            end = m.end()
    return runs


def letter_runs(text: str) -> list[tuple[str, list[int | None]]]:
    """Each run of at least three lone letters in `text` (one line at a time, a list of one letter a line as one line):
    its letters in lower case, and the tally number written after each letter (None where there is none)."""
    return [(run, marks) for run, marks, _, _ in _runs(text)]


def _subsequence(run: str, of: str) -> bool:
    it = iter(of)
    return all(c in it for c in run)


def false_spelling(reply: str, prompt: str, row: dict | None = None) -> str | None:
    """The first letter run of `reply` that is no piece of the word the prompt asks about (any word it names when it
    asks about none in particular), forwards or backwards, nor a run the prompt itself writes ("c, o, r, i, s, t, e, r"
    asked about "dumpling"; "w, o, r, d" asked about "the word dumpling"). A run a label presents as the whole word
    ("Spell it out: l, i, n, g.") must be all of it; a run with no such label may also be a stretch of the alphabet
    ("p, q, r"), vowels in order ("a, e, i, o, u") or a set of the word's letters ("d, g, l each appear once")."""
    words = asked_words(prompt, row) or prompt_words(prompt)
    shown = {run for run, _ in letter_runs(prompt)}
    for run, _, before, after in _runs(reply):
        if any(run in s for s in shown):
            continue
        end = _END_RUN.search(before)
        if end and asked_words(prompt, row):  # "The last three letters are t, e, r": the word's end, not all of it
            if not any((w.startswith(run) if end.group(1).lower() == "first" else w.endswith(run)) for w in words):
                return run
            continue
        if _WHOLE_LABEL.search(before) and asked_words(prompt, row):
            if not any(run in (w, w[::-1]) for w in words):
                return run
            continue
        if any(run in w or run in w[::-1] for w in words):
            continue
        if run in _ALPHABET or _subsequence(run, _VOWELS):
            continue
        if _SET_AFTER.match(after) and len(set(run)) == len(run) and any(set(run) <= set(w) for w in words):
            continue
        if listed_kind(run, before, words):  # "5 consonants: s, c, t, t, r"
            continue
        return run
    return None


def _asked_letter(row: dict, prompt: str, st: Any) -> str | None:
    problem = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    if isinstance(problem.get("letter"), str) and len(problem["letter"]) == 1:
        return problem["letter"].lower()
    named = asked_letters(prompt, st)
    return next(iter(named)) if len(named) == 1 else None


def false_tally(reply: str, row: dict, prompt: str, st: Any) -> str | None:
    """Why a running tally ("Count each t: t, a, n, g 1.") is false: it counts another letter than the one asked, marks
    a letter that is not the counted one, skips an occurrence, numbers its marks out of order, stops before the last
    counted letter of the word asked about or goes over other letters, or disagrees with the "Count: N" line after it. A tally of no letters ("positions 1 and 6") is
    not judged; items may be parted by commas, semicolons or spaces."""
    asked = _asked_letter(row, prompt, st)
    word = the_asked_word(prompt, row)
    for m in _TALLY.finditer(reply):
        counted = m.group(1).lower()
        if asked is not None and counted != asked:
            return f"it counts the letter {counted!r}, not {asked!r}"
        seen, letters = 0, ""
        body = m.group(2)
        parts = re.split(r"[,;]", body) if re.search(r"[,;]", body) else re.split(r"\s+(?=[\"“'‘]?[A-Za-z](?![\w'’]))", body)  # "d 1 u g a l d 2"
        for part in parts:
            item = _TALLY_ITEM.fullmatch(part.strip().rstrip(".").strip())
            if not item:
                break  # the tally has ended ("... g 1, so 1.")
            letter, mark = item.group(1).lower(), int(item.group(2)) if item.group(2) else None
            if (letter == counted) != (mark is not None) or (mark is not None and mark != seen + 1):
                return f"its tally of {counted!r} is miscounted at {part.strip()!r}"
            seen += mark is not None
            letters += letter
            if item.group(3).strip():
                break  # the tally's last item ("g 1. So 1", "d 2 -> 2")
        if not letters:
            continue
        # a tally may stop once no counted letter is left ("h, o 1, o 2" in hookah), not before
        if word is not None and not (word.startswith(letters) and counted not in word[len(letters) :]):
            return f"its tally goes over {letters!r}, not the word {word!r}"
        stated = _COUNT_LINE.search(reply, m.end())
        if stated and int(stated.group(1)) != seen:
            return f"its tally marks {seen} but it states a count of {stated.group(1)}"
    return None


# Labels of the whole word spelled or reversed ("Spell it out:", "Reversed:"); "Spelling: correct." labels no word.
_SPELLING_LABEL = r"spell(?:\s+it)?(?:\s+out)?|spelled(?:\s+out)?|it\s+is\s+spelled"
_REVERSAL_LABEL = r"reversed|backwards?|in\s+reverse|read\s+(?:right\s+to\s+left|backwards)"
_GLUED = r"[\"“'‘*]*(?P<glued>[A-Za-z]{2,})[\"”'’*]*[ \t]*[.!]?[ \t]*$"


def false_glued(reply: str, prompt: str, row: dict | None = None) -> str | None:
    """A word written whole where the working spells or reverses the asked word, that is not it ("Spell it out:
    inspectoin.", "Reversed: noitcepsn.", "inspection backwards is noitcepsin." about "inspection"); None otherwise."""
    word = the_asked_word(prompt, row)
    if word is None:
        return None
    link = r"[ \t]*(?:\bis\b|\bas\b|:|=|\bgives\b|\breads\b|\bbecomes\b)[ \t]*"  # "Spell it out." labels nothing
    forms = [(rf"(?:^|[\n.;])[ \t]*(?:{_SPELLING_LABEL}){link}{_GLUED}", word),
             (rf"(?:^|[\n.;])[ \t]*(?:the\s+word\s+)?(?:{_REVERSAL_LABEL}){link}{_GLUED}", word[::-1]),
             (rf"\b{re.escape(word)}[\"”'’]?[ \t]+(?:{_REVERSAL_LABEL}){link}{_GLUED}", word[::-1])]
    for pattern, want in forms:
        for m in re.finditer(pattern, reply, re.IGNORECASE | re.MULTILINE):
            if m.group("glued").lower() != want and _attempt(m.group("glued").lower(), word):
                return m.group("glued")
    asked = set(re.findall(r"[a-z]+", prompt.lower()))
    for tok in re.findall(r"[A-Za-z]{3,}", reply):  # the word's own letters scrambled, wherever written ("So it is noitcepsin.")
        low = tok.lower()
        if Counter(low) == Counter(word) and low not in (word, word[::-1]) and low not in asked:
            return tok
    return None


def _attempt(glued: str, word: str) -> bool:
    """Whether a word after a spelling label tries to write the asked word: about its length and mostly its letters
    ("noitcepsn" for "inspection"), not a word of the sentence ("inspection reversed gives it.", "... is below.")."""
    shared = sum((Counter(glued) & Counter(word)).values())
    return abs(len(glued) - len(word)) <= 2 and shared * 5 >= len(word) * 3
