"""A quiz page's numbered or lettered questions answered in an answer key further away: "1. Capital of Hungary?\n2.
Capital of Serbia?\n...\nAnswers: 1. Budapest 2. Belgrade". The question and its answer are far apart, so the reader
that looks right after a "?" (`corpus_questions.py`) never sees them together; this pairs them by their mark.

A key opens at a line starting with one of `corpus_answer_key_labels` ("Answers:", "Answer key", "## Solutions"),
alone or followed right away by its first marked entry, and runs to the next blank line after its first entry.
A mark is a number, a letter or a roman numeral up to "xxx" ("1.", "(2)", "b)", "ii."), and in a key also a number
or letter before a dash or after a "#" ("1 - Lima", "#2 Belgrade"); a question's mark is never a dash form, as a
quiz of sums writes its own ("1. What is 26 - 9?"), nor is a key's dash form before digits inside a line ("1. 150 -
70 = 80"). A key's entries ("1. Budapest", "(2) Belgrade", "b) Belgrade") are read up to the next entry or line end,
and each is paired with the last question of that mark before the label: a marked line or run ("2. Capital of
Serbia?") ending in "?"; a key with no question of its marks before it answers the first questions after it (an
answer key printed first). A numbered statement ("2. Belgrade lies on the Danube.") asks nothing and is not paired.
An SFT prompt marking two or more questions is paired the same way with the marked entries of its reply
(`numbered_pairs`).
"""

from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_REACH = 4000  # characters of a key read after its label
_MARKS = r"\d{1,3}|[ivx]{1,4}|[a-z]"  # a number, a roman numeral, a letter (roman first: "ii" is one mark)
_DOTTED = r"\(?(" + _MARKS + r")[.):]\)?"  # "1.", "(2)", "3)", "b)", "ii.", "4:"
# "1 - Lima" anywhere; "1 - 80" only where an entry starts its line or follows a comma, semicolon or colon: inside a
# line "150 - 70" is a sum
_DASHED = (r"(?:(" + _MARKS + r")[ \t]+[-–—](?=[ \t]+[^\d\s-])|(?:(?<=^)|(?<=[,;:])|(?<=[,;:][ \t]))(\d{1,3})[ \t]+[-–—]"
           r"(?=[ \t]+-?\d))")
_HASHED = r"#(\d{1,3})[.):]?"


def _alternatives(labels: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(labels, key=len, reverse=True))


def _mark(body: str, ask: str = "") -> re.Pattern:
    # at a line start or after a space, comma or semicolon, emphasis around it: "**4.** ", "Q5. "
    return re.compile(r"(?:^|(?<=[\s,;]))[*_]*" + ask + r"(?:" + body + r")[*_]*[ \t]+(?=\S)", re.IGNORECASE | re.MULTILINE)


class AnswerKeys:
    """Reads answer keys: `labels` open a key, `question_labels` may stand before a question's number ("Q1.")."""

    def __init__(self, labels: list[str], question_labels: list[str] = ()):
        key_forms = f"{_DOTTED}|{_DASHED}|{_HASHED}"
        self.label = re.compile(r"^[ \t#>*_]*(?:" + _alternatives(labels) + r")[ \t*_]*:?[ \t*_]*(?:$|(?=[*_]*(?:"
                                + key_forms + r")[*_]*[ \t]+\S))", re.IGNORECASE | re.MULTILINE) if labels else None
        ask = r"(?:(?:" + _alternatives(list(question_labels)) + r")[ \t]*)?" if question_labels else ""
        self.mark = _mark(_DOTTED, ask)  # a question's mark
        self.key_mark = _mark(key_forms)  # a key entry's mark

    def pairs(self, text: str) -> list[tuple[str, str]]:
        """(a marked question, the key's entry of that mark) for every answer key of `text`."""
        return answer_key_pairs(text, self.label, self.mark, self.key_mark) if self.label is not None and self.label.search(text) else []


def _numbered(text: str, lo: int, hi: int, mark: re.Pattern) -> list[tuple[str, int, int]]:
    """(mark, where its text starts, where it ends) for every marked entry between `lo` and `hi`: up to the next
    entry or the end of its line. A mark is read lowercase ("B)" is "b")."""
    marks = list(mark.finditer(text, lo, hi))
    out = []
    for k, m in enumerate(marks):
        line_end = text.find("\n", m.end(), hi)
        end = min(marks[k + 1].start() if k + 1 < len(marks) else hi, line_end if line_end >= 0 else hi)
        out.append((next(g for g in m.groups() if g).lower(), m.end(), end))
    return out


def _questions(text: str, mark: re.Pattern, lo: int = 0, hi: int | None = None, *, first: bool = False) -> dict[str, str]:
    """{mark: its question} for the marked entries of `text[lo:hi]` ending in "?" (the last of each mark, or the
    `first`)."""
    out: dict[str, str] = {}
    for number, a, b in _numbered(text, lo, len(text) if hi is None else hi, mark):
        asked = text[a:b]
        if "?" in asked and not (first and number in out):
            out[number] = asked[: asked.rindex("?") + 1]
    return out


def numbered_pairs(asked: str, reply: str) -> list[tuple[str, str]]:
    """(question k, the reply's entry k) when a prompt marks two or more questions and its reply marks answers
    ("1. Capital of Peru? 2. Capital of Serbia?" answered "1. Lima 2. Belgrade" or "1 - Lima 2 - Belgrade")."""
    questions = _questions(asked, _PLAIN.mark) if "?" in asked else {}
    if len(questions) < 2:
        return []
    entries: dict[str, str] = {}
    for number, a, b in _numbered(reply, 0, len(reply), _PLAIN.key_mark):
        entries.setdefault(number, reply[a:b].strip(" \t,;"))
    return [(q, entries[n]) for n, q in questions.items() if n in entries]


def _key_end(text: str, first: int, end: int, key_mark: re.Pattern) -> int:
    """Where a key whose first entry is at `first` ends: at `end` (a blank line), or before a line that starts no entry or
    asks ("Questions:", "1. Capital of Peru?": the quiz printed right under its key)."""
    line_end = text.find("\n", first, end)
    while 0 <= line_end < end:
        start = line_end + 1
        line_end = text.find("\n", start, end)
        line = text[start : line_end if line_end >= 0 else end]
        if "?" in line or not key_mark.match(text, start + len(line) - len(line.lstrip(" \t"))):
            return start
    return end


def answer_key_pairs(text: str, label: re.Pattern, mark: re.Pattern, key_mark: re.Pattern) -> list[tuple[str, str]]:
    """(a marked question, the key's entry of that mark) for every key opened by `label` in `text`."""
    out: list[tuple[str, str]] = []
    labels = list(label.finditer(text))
    for k, lab in enumerate(labels):
        start = lab.end()
        first = key_mark.search(text, start, start + _REACH)
        if first is None:
            continue
        blank = _BLANK_LINE.search(text, first.start(), start + _REACH)
        end = _key_end(text, first.start(), blank.start() if blank else min(len(text), start + _REACH), key_mark)
        entries = _numbered(text, first.start(), end, key_mark)
        questions = _questions(text[: lab.start()], mark)
        if not questions.keys() & {number for number, _, _ in entries}:  # a key printed before its quiz
            after = min(labels[k + 1].start() if k + 1 < len(labels) else len(text), end + _REACH)
            questions = _questions(text, mark, end, after, first=True)
        for number, a, b in entries:
            if number in questions:
                out.append((questions.pop(number), text[a:b].strip(" \t,;")))
    return out


_PLAIN = AnswerKeys([])
