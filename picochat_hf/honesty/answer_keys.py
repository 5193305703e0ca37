"""A quiz page's numbered questions answered in an answer key further down: "1. Capital of Hungary?\n2. Capital of
Serbia?\n...\nAnswers: 1. Budapest 2. Belgrade". The question and its answer are far apart, so the reader that looks
right after a "?" (`corpus_questions.py`) never sees them together; this pairs them by number.

A key opens at a line starting with one of `corpus_answer_key_labels` ("Answers:", "Answer key", "## Solutions"),
alone or followed right away by its first numbered entry, and runs to the next blank line after its first entry.
Its entries ("1. Budapest", "(2) Belgrade", "3) Lima") are read up to the next entry or line end, and each is paired
with the last question of that number before the label: a numbered line or run ("2. Capital of Serbia?") ending in
"?". A numbered statement ("2. Belgrade lies on the Danube.") asks nothing and is not paired. An SFT prompt numbering
two or more questions is paired the same way with the numbered entries of its reply (`numbered_pairs`).
"""

from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_REACH = 4000  # characters of a key read after its label


def _alternatives(labels: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(labels, key=len, reverse=True))


class AnswerKeys:
    """Reads answer keys: `labels` open a key, `question_labels` may stand before a question's number ("Q1.")."""

    def __init__(self, labels: list[str], question_labels: list[str] = ()):
        self.label = re.compile(r"^[ \t#>*_]*(?:" + _alternatives(labels) + r")[ \t*_]*:?[ \t*_]*(?:$|(?=\(?\d{1,3}[.):]))",
                                re.IGNORECASE | re.MULTILINE) if labels else None
        ask = r"(?:(?:" + _alternatives(list(question_labels)) + r")[ \t]*)?" if question_labels else ""
        # "1. ", "(2) ", "3) ", "**4.** ", "Q5. " at a line start or after a space, comma or semicolon
        self.mark = re.compile(r"(?:^|(?<=[\s,;]))[*_]*" + ask + r"\(?(\d{1,3})[.):]\)?[*_]*[ \t]+(?=\S)", re.IGNORECASE | re.MULTILINE)

    def pairs(self, text: str) -> list[tuple[str, str]]:
        """(a numbered question, the key's entry of that number) for every answer key of `text`."""
        return answer_key_pairs(text, self.label, self.mark) if self.label is not None and self.label.search(text) else []


def _numbered(text: str, lo: int, hi: int, mark: re.Pattern) -> list[tuple[str, int, int]]:
    """(number, where its text starts, where it ends) for every numbered entry between `lo` and `hi`: up to the next
    entry or the end of its line."""
    marks = list(mark.finditer(text, lo, hi))
    out = []
    for k, m in enumerate(marks):
        line_end = text.find("\n", m.end(), hi)
        end = min(marks[k + 1].start() if k + 1 < len(marks) else hi, line_end if line_end >= 0 else hi)
        out.append((m.group(1), m.end(), end))
    return out


def _questions(text: str, mark: re.Pattern) -> dict[str, str]:
    """{number: its question} for the numbered entries of `text` ending in "?" (the last of each number)."""
    out = {}
    for number, a, b in _numbered(text, 0, len(text), mark):
        asked = text[a:b]
        if "?" in asked:
            out[number] = asked[: asked.rindex("?") + 1]
    return out


def numbered_pairs(asked: str, reply: str) -> list[tuple[str, str]]:
    """(question k, the reply's entry k) when a prompt numbers two or more questions and its reply numbers answers
    ("1. Capital of Peru? 2. Capital of Serbia?" answered "1. Lima 2. Belgrade")."""
    questions = _questions(asked, _PLAIN_MARK) if "?" in asked else {}
    if len(questions) < 2:
        return []
    entries: dict[str, str] = {}
    for number, a, b in _numbered(reply, 0, len(reply), _PLAIN_MARK):
        entries.setdefault(number, reply[a:b].strip(" \t,;"))
    return [(q, entries[n]) for n, q in questions.items() if n in entries]


def answer_key_pairs(text: str, label: re.Pattern, mark: re.Pattern) -> list[tuple[str, str]]:
    """(a numbered question, the key's entry of that number) for every key opened by `label` in `text`."""
    out: list[tuple[str, str]] = []
    for lab in label.finditer(text):
        questions = _questions(text[: lab.start()], mark)
        if not questions:
            continue
        start = lab.end()
        first = mark.search(text, start, start + _REACH)
        if first is None:
            continue
        blank = _BLANK_LINE.search(text, first.start(), start + _REACH)
        for number, a, b in _numbered(text, first.start(), blank.start() if blank else min(len(text), start + _REACH), mark):
            if number in questions:
                out.append((questions.pop(number), text[a:b].strip(" \t,;")))
    return out


_PLAIN_MARK = AnswerKeys([]).mark
