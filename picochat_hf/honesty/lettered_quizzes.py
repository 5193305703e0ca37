"""A multiple-choice quiz written with its own options and answered by their letters: "Capital of Serbia?\nA)
Budapest\nB) Belgrade\nC) Lima\nAnswer: B", or numbered questions with inline options answered in a key further down
("1. Capital of Serbia? A) Budapest B) Belgrade C) Lima ... Answers: 1-B, 2-A").

The quiz's options need not be an eval item's: whatever they are, the letter chosen names one of them, and the
question with that option's text is read as a question answered in a document (`corpus_questions.py`): "Capital of
Serbia?" answered "Belgrade" leaks the free-form item "What is the capital of Serbia?"; it leaks a choice item asking it
only when the quiz's options are the item's (one set within the other), in a corpus document as in an SFT row. A quiz's options alone answer nothing (the reader after a "?" skips them, `options_ahead`).

An option run is two or more lines lettered in order from A ("A. Budapest", "b) Belgrade", "(C) Lima"), or two or
more options lettered in order inline with a closing bracket ("A) Budapest B) Belgrade"). Its question is the last
line with words before it (the line's start for an inline run), without its mark ("1.", "Q:", "Question 2:"). Its
answer is the first line with words after it (for an inline run, the rest of its line after a sentence end or an
answer label first), read as the letter judge reads a reply ("Answer: B", "The answer is (b).", "B) Belgrade"), or
the entry of the question's mark in an answer key (`answer_keys.py`; questions without marks count 1, 2, ... in order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answer_keys import AnswerKeys, _BLANK_LINE, _REACH, _key_end, _numbered
from .choice_copies import answered, inline_option_text, labelled_runs
from .choice_lists import ListRules
from .normalize import words

_INLINE_LABEL = re.compile(r"(?<![\w(])\(?([A-Ja-j])\)[ \t]+")
_LABEL_CLOSE = re.compile(r"(?<=[A-Ja-j])\)[ \t]")
_LINE = re.compile(r"[^\n]+")
# the last inline option ends at its sentence's end or its table cell's ("| Capital of Serbia? A) Budapest B) Belgrade | B |":
# the next cell is the answer) ...
_OPTION_END = re.compile(r"[.?!;](?=\s|$)|\|")
# a quiz's options right after its question: an option lettered A, then one lettered B on its line or the next
OPTIONS_AHEAD = re.compile(r"\s*(?:[-*•][ \t]+)?\(?[Aa][.)][ \t]+\S[^\n]*?\s+(?:[-*•][ \t]+)?\(?[Bb][.)][ \t]+\S")
# a bullet before an option line: "  - A) Budapest" is the option line "A) Budapest"
_BULLETED_OPTION = re.compile(r"^([ \t]*)[-*•][ \t]+(?=\(?[A-Ja-j][.):]\s)", re.MULTILINE)
_B_LINE = re.compile(r"^[ \t]*\(?[Bb][.):]\s", re.MULTILINE)  # a fast first test: no option line B, no run of option lines
_OWN_MARK = re.compile(r"^[ \t]*[?.!]+")
_ROMAN_OR_NUMBER = re.compile(r"\d{1,3}|[ivx]{1,4}")


@dataclass(frozen=True)
class _Run:
    start: int
    end: int  # where the options end (an inline run's answer may follow on its line)
    options: dict[str, str]
    reply: str  # an inline run's words after its last option, on its line


def options_ahead(text: str) -> bool:
    """Whether `text` (read right after a question) opens with a lettered option list: those are the quiz's options,
    not its answer ("Capital of Serbia? A) Belgrade B) Budapest" answers nothing)."""
    return OPTIONS_AHEAD.match(text) is not None


def _inline_runs(text: str, answer_label: re.Pattern) -> list[_Run]:
    """Options lettered inline with a closing bracket, in order from A or a, two or more on one line."""
    out: list[_Run] = []
    if len(_LABEL_CLOSE.findall(text)) < 2:
        return out
    for line in _LINE.finditer(text):
        marks = list(_INLINE_LABEL.finditer(line.group(0)))
        k = 0
        while k < len(marks):
            letters = "ABCDEFGHIJ" if marks[k].group(1) == "A" else "abcdefghij"
            j = k + 1
            while j < len(marks) and marks[j].group(1) == letters[j - k]:
                j += 1
            run, s = marks[k:j], line.group(0)
            if marks[k].group(1) in "Aa" and len(run) >= 2:
                last = run[-1].end()
                cuts = [m.start() for m in (_OPTION_END.search(s, last), answer_label.search(s, last)) if m]
                stop = min(cuts, default=len(s))
                texts = [s[m.end() : run[i + 1].start()] for i, m in enumerate(run[:-1])] + [s[last:stop]]
                out.append(_Run(line.start() + run[0].start(), line.start() + stop,
                                {letters[i].upper(): inline_option_text(t) for i, t in enumerate(texts)}, s[stop:]))
            k = max(j, k + 1)
    return out


def _runs(text: str, answer_label: re.Pattern) -> list[_Run]:
    lines = [_Run(a, b, opts, "") for a, b, opts in labelled_runs(text) if "A" in opts] if _B_LINE.search(text) else []
    inline = [r for r in _inline_runs(text, answer_label) if not any(r.start < x.end and x.start < r.end for x in lines)]
    return sorted(lines + inline, key=lambda r: r.start)


def _question(text: str, run: _Run, lo: int, keys: AnswerKeys) -> tuple[str, str | None]:
    """(the question before a run, its mark or None): the run's line before it, else the last line with words."""
    before = text[lo : run.start].rstrip()
    line = before[before.rfind("\n") + 1 :]
    m = keys.mark.match(line.lstrip())
    if m is None:
        return line, None
    mark = next(g for g in m.groups() if g).lower()
    return line.lstrip()[m.end() :], mark if _ROMAN_OR_NUMBER.fullmatch(mark) else None


def _reply_after(text: str, run: _Run, keys: AnswerKeys) -> str:
    """A run's own answer: its inline rest, else the next line with words; none where that line asks or opens a key."""
    # an inline run's rest opens with its question's own mark ("(a) Budapest or (b) Belgrade? (b)"): that asks nothing
    own = _OWN_MARK.sub("", run.reply, count=1)
    for reply in (own, *(m.group(0) for m in _LINE.finditer(text, run.end, run.end + 400))):
        if words(reply):
            return "" if "?" in reply or (keys.label is not None and keys.label.match(reply)) else reply
    return ""


def quiz_answers(text: str, keys: AnswerKeys, rules: ListRules, answer_label: re.Pattern) -> list[tuple[str, str, frozenset[str]]]:
    """(a quiz question, the text of its own option its answer chooses, its options' texts) for every lettered quiz
    question in `text`."""
    text = _BULLETED_OPTION.sub(r"\1", text)
    runs = _runs(text, answer_label)
    if not runs:
        return []
    asked, out, previous = [], [], 0
    for run in runs:
        question, mark = _question(text, run, previous, keys)
        previous = run.end
        if not words(question):
            continue
        asked.append((run, question, mark))
        reply = _reply_after(text, run, keys)
        chosen = answered(reply, run.options, rules) if reply else None
        if chosen:
            out.append((question, chosen, frozenset(run.options.values())))
    return out + _keyed(text, asked, keys, rules) if keys.label is not None else out


def _keyed(text: str, asked: list[tuple[_Run, str, str | None]], keys: AnswerKeys, rules: ListRules) -> list[tuple[str, str, frozenset[str]]]:
    """(question, chosen option text) for the entries of every answer key, by the question's mark or its place."""
    out = []
    for lab in keys.label.finditer(text):
        first = keys.key_mark.search(text, lab.end(), lab.end() + _REACH)
        if first is None:
            continue
        blank = _BLANK_LINE.search(text, first.start(), lab.end() + _REACH)
        end = _key_end(text, first.start(), blank.start() if blank else min(len(text), lab.end() + _REACH), keys.key_mark)
        quiz = [a for a in asked if a[0].start < lab.start()] or [a for a in asked if a[0].start >= end]
        marked = any(mark for _, _, mark in quiz)
        by_mark = {(mark if marked else str(k + 1)): (run, question) for k, (run, question, mark) in enumerate(quiz) if mark or not marked}
        for number, a, b in _numbered(text, first.start(), end, keys.key_mark):
            if number in by_mark:
                run, question = by_mark[number]
                chosen = answered(text[a:b].strip(" \t,;."), run.options, rules)
                if chosen:
                    out.append((question, chosen, frozenset(run.options.values())))
    return out
