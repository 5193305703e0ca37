"""Letters labelled with numbers in spelling working, which must be true of the word the prompt asks about.

A small model lays out a word's letters with numbers in many ways: places ("1: h, 2: o", "h(1) o(2)", "h-1, o-2", a
"| position | letter |" table), counts ("o x2", "o ×2", "h x1, o x2", a "| letter | count |" table), or labels that
may be either ("h: 1, o: 2, o: 3", "h=2, o=2"). Each layout is read as what it can mean:

- a number before its letter ("2: o", "| 2 | o |") or a table headed by a place word numbers a place: the letter must
  stand there in the word;
- "x2"/"×2" after or before a letter ("o x2", "2x o") or a table headed by a count word counts: the word must hold the
  letter that many times;
- a number after its letter ("o: 2", "o=2", "o-2", "o(2)") reads either way, and the labels of one layout fail only when
  neither reading holds for all of them; a letter labelled twice cannot be a count, so its labels number places, or
  tally it when they run 1, 2, ... to its count in the word ("o (1) ... o (2)").

A number that labels something else is no letter's: one after a word that opens no place ("Step 2: e", "Line 2: e",
"Letters 1 to 10: s") or after a range or equals sign ("Letters 1-10: s", "Total = 10: s") numbers a step or a range,
and one followed by a length word ("e k i l e u t a t s - 10 letters") gives the word's length.

A running tally ("Count each o: h, o 1, o 2", "Tally of o: 1, 2") is `false_spelling`'s or `number_tallies`' and is not
read here. The word lists are the
scoring YAML's (`scoring.yaml`, `letter_label_place_words`, `letter_label_count_words`, `letter_label_number_openers`,
`letter_label_length_words`).
"""

from __future__ import annotations

import re
from typing import Any

from .number_tallies import without_number_tallies
from .spelling_words import the_asked_word

__all__ = ["false_labels", "labelled_letters"]

_LETTER = r"[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*"
_END = r"(?![\w'’])"
_TALLY_LINE = re.compile(r"\bcount(?:ing)?\s+(?:(?:each|every|the|all)\s+)?(?:letter\s+)?[\"“'‘]?[A-Za-z][\"”'’]?(?:['’]?s)?\s*:[^\n]*",
                         re.IGNORECASE)
# (layout, reading, pattern): reading "place", "count" or "either"
_LAYOUTS = [
    ("colon", "either", re.compile(rf"(?<![\w'’]){_LETTER}\s*[:=]\s*(?P<n>\d+)\b(?!\s*(?:[-+*/×÷=.]\s*\d|times?\b))")),
    ("dash", "either", re.compile(rf"(?<![\w'’-]){_LETTER}\s*[-–]\s*(?P<n>\d+)\b(?!\s*(?:[-+*/×÷=.]\s*\d|times?\b))")),
    ("bracket", "either", re.compile(rf"(?<![\w'’]){_LETTER}\s*\(\s*#?(?P<n>\d+)\s*\)")),
    ("dash_times", "count", re.compile(rf"(?<![\w'’-]){_LETTER}\s*[-–=]\s*(?P<n>\d+)\s*times?\b")),
    ("times", "count", re.compile(rf"(?<![\w'’]){_LETTER}(?:['’]s)?\s*(?::\s*)?\(?\s*[x×]\s*(?P<n>\d+)\b\)?")),
    ("times_first", "count", re.compile(rf"(?<![\w.,])(?P<n>\d+)\s*[x×]\s+{_LETTER}{_END}")),
    ("number_first", "place", re.compile(rf"(?<![\w.,])(?P<n>\d+)\s*[:=–-]\s*{_LETTER}{_END}(?!\s*[-+*/×÷=]\s*\d)")),
    ("numbered_line", "place", re.compile(rf"(?m)^[ \t]*(?P<n>\d+)[.)][ \t]*{_LETTER}[ \t]*[.,;]?[ \t]*$")),
]


def _table_pairs(text: str, st: Any) -> list[tuple[str, str, str, int]]:
    """(layout, reading, letter, number) for each two-cell row of a markdown table; its header's words tell places
    (`letter_label_place_words`) from counts (`letter_label_count_words`)."""
    places = {w.lower() for w in getattr(st, "letter_label_place_words", [])}
    counts = {w.lower() for w in getattr(st, "letter_label_count_words", [])}
    out, reading = [], None
    for line in text.splitlines():
        if not line.strip().startswith("|"):
            reading = None
            continue
        cells = [c.strip().strip("*\"'`") for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or all(re.fullmatch(r":?-+:?", c) for c in cells):
            continue
        words = set(re.findall(r"[a-z#]+", " ".join(cells).lower()))
        letter_cell = next((k for k, c in enumerate(cells) if re.fullmatch(r"[A-Za-z]", c)), None)
        number_cell = next((k for k, c in enumerate(cells) if re.fullmatch(r"\d+", c)), None)
        if letter_cell is None or number_cell is None:
            reading = "place" if words & places else "count" if words & counts else reading
            continue
        row_reading = reading or ("place" if number_cell < letter_cell else "either")
        out.append(("table", row_reading, cells[letter_cell].lower(), int(cells[number_cell])))
    return out


def labelled_letters(reply: str, st: Any) -> list[tuple[str, str, str, int]]:
    """(layout, reading, letter, number) for each letter the reply labels with a number."""
    text = without_number_tallies(_TALLY_LINE.sub(" ", reply))  # tallies are judged on their own
    out = _table_pairs(text, st)
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("|"))
    taken: set[int] = set()
    for layout, reading, pattern in _LAYOUTS:
        for m in pattern.finditer(text):
            if m.start("letter") in taken or _labels_something_else(text, m, reading, st):
                continue
            taken.add(m.start("letter"))
            out.append((layout, reading, m.group("letter").lower(), int(m.group("n"))))
    return out


def _labels_something_else(text: str, m: re.Match, reading: str, st: Any) -> bool:
    """Whether the number of a layout match labels no letter: a place number opened by a word that is no place word
    (`letter_label_number_openers`; "Step 2: e", "Letters 1 to 10: s") or by a range or equals sign ("1-10: s"), or a
    number a length word follows (`letter_label_length_words`; "s - 10 letters")."""
    after = re.match(r"\s*([a-z]+)", text[m.end("n"):].lower())
    if after and after.group(1) in {w.lower() for w in getattr(st, "letter_label_length_words", [])}:
        return True
    if reading != "place" or m.start("n") > m.start("letter"):
        return False
    line_start = text.rfind("\n", 0, m.start("n")) + 1
    before = re.search(r"([a-z#]+|[-–=/])\s*$", text[line_start : m.start("n")].lower())
    if before is None:
        return False
    openers = {w.lower() for w in [*getattr(st, "letter_label_place_words", []), *getattr(st, "letter_label_number_openers", [])]}
    return before.group(1) not in openers


def _places_hold(word: str, pairs: list[tuple[str, int]]) -> bool:
    return all(1 <= n <= len(word) and word[n - 1] == letter for letter, n in pairs)


def _counts_hold(word: str, pairs: list[tuple[str, int]]) -> bool:
    return all(word.count(letter) == n for letter, n in pairs)


def _tally_holds(word: str, pairs: list[tuple[str, int]]) -> bool:
    """Whether the labels run 1, 2, ... over each letter's occurrences, in order, to its count in the word: a running
    tally of a letter labelled more than once ("a, u, t, o (1), g, i, r, o (2)")."""
    marks: dict[str, list[int]] = {}
    for letter, n in pairs:
        marks.setdefault(letter, []).append(n)
    return any(len(ns) > 1 for ns in marks.values()) and all(
        ns == list(range(1, len(ns) + 1)) and word.count(letter) == len(ns) for letter, ns in marks.items())


def false_labels(reply: str, prompt: str, st: Any, row: dict | None = None) -> str | None:
    """Why the letters the reply labels with numbers are false of the word asked ("1: h, 2: k" about "hookah": letter 2 is
    o), None when every layout holds under a reading it allows or no word can be told."""
    word = the_asked_word(prompt, row)
    if word is None:
        return None
    word = word.lower()
    layouts: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for layout, reading, letter, n in labelled_letters(reply, st):
        layouts.setdefault((layout, reading), []).append((letter, n))
    for (layout, reading), pairs in layouts.items():
        letters = [letter for letter, _ in pairs]
        # a letter labelled twice numbers its places, or tallies it ("o (1) ... o (2)")
        tally = reading == "either" and _tally_holds(word, pairs)
        if reading == "either" and len(set(letters)) < len(letters):
            reading = "place"
        ok = tally or (reading in ("place", "either") and _places_hold(word, pairs)) or (
            reading in ("count", "either") and _counts_hold(word, pairs))
        if not ok:
            told = ", ".join(f"{letter}: {n}" for letter, n in pairs)
            kind = {"place": "places", "count": "counts"}.get(reading, "places or counts")
            return f"its labels ({told}) are not the {kind} of the letters of {word!r}"
    return None
