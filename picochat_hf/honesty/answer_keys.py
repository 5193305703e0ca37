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
_SPACED = r"[*_]*[ \t]+(?=\S)"  # a mark's tail: emphasis closing it, then spaces before the entry's text
# "1.", "(2)", "3)", "b)", "ii.", "4:", "5/", and a number glued to its text ("1.Lima": no decimal, "1.5")
_DOTTED = (r"\(?(" + _MARKS + r")[.):/]\)?" + _SPACED, r"(\d{1,3})[.):](?=[^\W\d_])")
_HASHED = (r"#(\d{1,3})[.):]?" + _SPACED,)  # "#2 Belgrade"
# "1 - Lima" anywhere; "1 - 80" only where an entry starts its line or follows a comma, semicolon or colon: inside a
# line "150 - 70" is a sum
_DASHED = (r"(" + _MARKS + r")[ \t]+[-–—](?=[ \t]+[^\d\s-])" + _SPACED,
           r"(?:(?<=^)|(?<=[,;:])|(?<=[,;:][ \t]))(\d{1,3})[ \t]+[-–—](?=[ \t]+-?\d)" + _SPACED)
_ARROWED = (r"(" + _MARKS + r")[ \t]*(?:=>|->|→|=)[ \t]*(?=\S)",)  # "2=Belgrade", "2 → Belgrade"
_LETTER_DASHED = (r"(\d{1,3})[-–—](?=[a-j](?![^\W_]))",)  # "1-B": a lettered quiz's key
_QUESTION_FORMS = (*_DOTTED, *_HASHED)
_KEY_FORMS = (*_DOTTED, *_HASHED, *_DASHED, *_ARROWED, *_LETTER_DASHED)
_BULLET = " \t-*•>"  # a key's entry may stand in a bulleted list ("- 2. Belgrade")


def _alternatives(labels: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(labels, key=len, reverse=True))


def _mark(forms: tuple[str, ...], ask: str = "") -> re.Pattern:
    # at a line start or after a space, comma or semicolon, emphasis before it: "**4.** ", "Q5. "
    return re.compile(r"(?:^|(?<=[\s,;]))[*_]*" + ask + r"(?:" + "|".join(forms) + r")", re.IGNORECASE | re.MULTILINE)


class AnswerKeys:
    """Reads answer keys: `labels` open a key, `question_labels` may stand before a question's number ("Q1.")."""

    def __init__(self, labels: list[str], question_labels: list[str] = ()):
        ask = r"(?:(?:" + _alternatives(list(question_labels)) + r")[ \t]*)?" if question_labels else ""
        # "Answers:", "Answer key -", "## Solutions" alone on its line or followed right away by its first entry
        self.label = re.compile(r"^[ \t#>*_]*(?:" + _alternatives(labels) + r")[ \t*_]*(?:[:=–—-][ \t*_]*)?(?:$|(?=[*_]*" + ask
                                + r"(?:" + "|".join(_KEY_FORMS) + r")))", re.IGNORECASE | re.MULTILINE) if labels else None
        self.mark = _mark(_QUESTION_FORMS, ask)  # a question's mark
        self.key_mark = _mark(_KEY_FORMS, ask)  # a key entry's mark ("Q2: Belgrade")
        # a key of answers without marks, in the quiz's order, its label maybe worded on: "Answers first: Belgrade, Lima."
        self.listed = re.compile(r"(?<![^\W_])(?:" + _alternatives([w for w in labels if len(w) > 1]) + r")(?:[ \t]+[^\W\d_]+){0,3}[ \t]*[:–—-]"
                                 r"[ \t]*\n?[ \t]*", re.IGNORECASE) if any(len(w) > 1 for w in labels) else None

    def pairs(self, text: str) -> list[tuple[str, str, bool]]:
        """(a marked question, the key's entry of that mark, whether the question has no "?") for every answer key."""
        out = answer_key_pairs(text, self.label, self.mark, self.key_mark) if self.label is not None and self.label.search(text) else []
        return out + (listed_key_pairs(text, self.listed, self.mark, self.key_mark) if self.listed is not None and "?" in text else [])


def _numbered(text: str, lo: int, hi: int, mark: re.Pattern, *, lines: bool = True) -> list[tuple[str, int, int]]:
    """(mark, where its text starts, where it ends) for every marked entry between `lo` and `hi`: up to the next
    entry and the end of its line (a question's, with `lines` false, runs on to a blank line: "1. Capital\nof Peru?").
    A mark right after a mark opens no entry of its own ("1. b) Belgrade" is entry 1 "b) Belgrade" and entry b). A
    mark is read lowercase ("B)" is "b")."""
    marks = list(mark.finditer(text, lo, hi))
    out = []
    for k, m in enumerate(marks):
        nxt = next((n.start() for n in marks[k + 1 :] if text[m.end() : n.start()].strip()), hi)
        if lines:
            stop = text.find("\n", m.end(), nxt)
        else:
            blank = _BLANK_LINE.search(text, m.end(), nxt)
            stop = blank.start() if blank else -1
        out.append((next(g for g in m.groups() if g).lower(), m.end(), stop if stop >= 0 else nxt))
    return out


def _questions(text: str, mark: re.Pattern, lo: int = 0, hi: int | None = None, *, first: bool = False) -> dict[str, tuple[str, bool]]:
    """{mark: (its question, whether it is written without a "?")} for the marked entries of `text[lo:hi]`, the last
    of each mark (or the `first`), one asking with a "?" before any other: an entry without one is its first line,
    read as a key ("2. Capital of Serbia", "2. Name the capital of Serbia.") that must say what the item asks."""
    asks: dict[str, tuple[str, bool]] = {}
    states: dict[str, tuple[str, bool]] = {}
    for number, a, b in _numbered(text, lo, len(text) if hi is None else hi, mark, lines=False):
        asked = text[a:b]
        at = asked.find("?")
        found = asks if at >= 0 else states
        if first and number in found:
            continue
        if at >= 0:
            line_end = asked.find("\n", at)
            line = asked[:line_end] if line_end >= 0 else asked
            found[number] = (line[: line.rindex("?") + 1], False)
        else:
            found[number] = (asked.split("\n", 1)[0], True)
    return {**states, **asks}


def numbered_pairs(asked: str, reply: str) -> list[tuple[str, str]]:
    """(question k, the reply's entry k) when a prompt marks two or more questions and its reply marks answers
    ("1. Capital of Peru? 2. Capital of Serbia?" answered "1. Lima 2. Belgrade" or "1 - Lima 2 - Belgrade")."""
    questions = {n: q for n, (q, keyed) in _questions(asked, _PLAIN.mark).items() if not keyed} if "?" in asked else {}
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
        if "?" in line or not key_mark.match(text, start + len(line) - len(line.lstrip(_BULLET))):
            return start
    return end


def _asking(questions: dict[str, tuple[str, bool]], marks: set[str]) -> bool:
    return any(not questions[n][1] for n in marks & questions.keys())


def answer_key_pairs(text: str, label: re.Pattern, mark: re.Pattern, key_mark: re.Pattern) -> list[tuple[str, str, bool]]:
    """(a marked question, the key's entry of that mark, whether the question is written without a "?") for every key
    opened by `label` in `text`."""
    out: list[tuple[str, str, bool]] = []
    labels = list(label.finditer(text))
    for k, lab in enumerate(labels):
        start = lab.end()
        first = key_mark.search(text, start, start + _REACH)
        if first is None:
            continue
        blank = _BLANK_LINE.search(text, first.start(), start + _REACH)
        end = _key_end(text, first.start(), blank.start() if blank else min(len(text), start + _REACH), key_mark)
        entries = _numbered(text, first.start(), end, key_mark)
        marks = {number for number, _, _ in entries}
        questions = _questions(text[: lab.start()], mark)
        if not _asking(questions, marks):  # a key printed before its quiz
            after = _questions(text, mark, end, min(labels[k + 1].start() if k + 1 < len(labels) else len(text), end + _REACH), first=True)
            questions = after if _asking(after, marks) or not questions.keys() & marks else questions
        for number, a, b in entries:
            if number in questions:
                question, keyed = questions.pop(number)
                out.append((question, text[a:b].strip(" \t,;"), keyed))
    return out


def listed_key_pairs(text: str, label: re.Pattern, mark: re.Pattern, key_mark: re.Pattern) -> list[tuple[str, str, bool]]:
    """(question k, the k-th answer) for a key listing its answers without marks, in the order of the questions numbered
    (or lettered) 1, 2, ... before it, or after it when none asks before it: "Answers first: Belgrade, Lima. Then the quiz:
    1. Capital of Serbia? 2. Capital of Peru?". The list is two or more entries of a few words between commas,
    semicolons or line ends, to its sentence's end, a blank line or the first entry of prose; a key with marks is read by
    `answer_key_pairs`."""
    out: list[tuple[str, str, bool]] = []
    for lab in label.finditer(text):
        stop = _LIST_END.search(text, lab.end(), lab.end() + _LIST_REACH)
        body = text[lab.end() : stop.start() if stop else min(len(text), lab.end() + _LIST_REACH)]
        entries = []
        for e in (e.strip(" \t*_") for e in _LIST_SPLIT.split(body)):  # up to the first entry that is prose, not an answer
            if not e or len(e.split()) > _LIST_WORDS:
                break
            entries.append(e)
        if len(entries) == 1:  # "Belgrade and Lima": two answers joined by "and"
            entries = [e.strip(" \t*_") for e in _LIST_AND.split(entries[0])]
        if len(entries) < 2 or key_mark.search(body):
            continue
        questions = _questions(text[: lab.start()], mark)
        if not _asking(questions, set(questions)):
            questions = _questions(text, mark, lab.end() + len(body), min(len(text), lab.end() + len(body) + _REACH), first=True)
        for k, entry in enumerate(entries):
            for number in (str(k + 1), chr(ord("a") + k)):
                if number in questions and not questions[number][1]:
                    out.append((questions[number][0], entry, False))
    return out


_LIST_END = re.compile(r"[.!?](?=\s|$)|\n[ \t]*\n")
_LIST_SPLIT = re.compile(r"[ \t]*(?:[,;]|\n)[ \t]*(?:and[ \t]+)?")
_LIST_AND = re.compile(r"[ \t]+and[ \t]+", re.IGNORECASE)
_LIST_REACH = 400  # characters of an unmarked key read after its label
_LIST_WORDS = 4  # words of one answer in such a key: a longer entry is prose, not a key

_PLAIN = AnswerKeys([])
