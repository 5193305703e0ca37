"""Working laid out as labelled lines must give each label the story's own quantity.

A worked reply may set its working out as labels ("Start: 91. Removed: 30. Left: 91 - 30 = 61.", "Total: 91",
"Taken away: 30", "=> Remaining: 61"). The label names the quantity's part in the problem, so its number can be checked
against the row's problem: a start label (`count_label_start`: "Start", "Before", "At first") holds the first operand,
a change label (`count_label_change`: "Removed", "Taken away", "Added") the second, and a result label
(`count_label_result`: "Left", "Remaining", "Now") the answer; `count_label_whole` ("Total") is the start of a
subtraction and the result of anything else. A label whose words name two parts, or none, or a part of the working
(`count_label_parts`: "Ones sum: 9", "After borrowing: 14 - 8 = 6"), is not judged. The value is
the number after the label, or the result after the last "=" when the label opens a step ("Left: 91 - 30 = 61", whose
equation `answers.false_equation` judges); a value an operator goes on from ("Left: 91 - 30") is not judged.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["false_label_count"]

# A label opens a line, a bullet or a sentence and runs to ":" ("Taken away: 30", "- Left: 61", "=> Remaining: 61").
_LABEL = re.compile(r"(?:^|\n|[.;]\s+|=>\s*|->\s*)\s*(?:[-*•]\s+)?(?P<label>[A-Za-z][A-Za-z ]{0,30}?)\s*:\s*(?P<value>[^\n.;]*(?:\.\d[^\n.;]*)*)")
_NUM = r"-?\d[\d,]*(?:\.\d+)?"


@lru_cache(maxsize=4096)
def _word_re(phrase: str) -> re.Pattern:
    """A label phrase as whole words, compiled once (re's own cache of 512 patterns is shared by every judge)."""
    return re.compile(rf"\b{re.escape(phrase.lower())}\b")


def _roles(label: str, st: Any, op: str) -> set[str]:
    words = label.lower().split()
    text = " ".join(words)
    if any(_word_re(p).search(text) for p in st.count_label_parts):
        return set()
    roles = set()
    for role, phrases in (("start", st.count_label_start), ("change", st.count_label_change), ("result", st.count_label_result)):
        if any(_word_re(p).search(text) for p in phrases):
            roles.add(role)
    if any(_word_re(p).search(text) for p in st.count_label_whole):
        roles.add("start" if op == "-" else "result")
    return roles


def _value(text: str) -> float | None:
    """The number a label gives: the number a bracketed gloss follows ("6 (78 + 6 = 84)" gives 6), the result after the
    last "=", else a lone number that no operator goes on from."""
    glossed = re.match(rf"\s*({_NUM})[ \t]*[(\[]", text)
    if glossed:
        return float(glossed.group(1).replace(",", ""))
    if "=" in text:
        after = re.match(rf"\s*({_NUM})", text.rsplit("=", 1)[1])
        return float(after.group(1).replace(",", "")) if after else None
    lone = re.match(rf"\s*({_NUM})(?!\s*[-+*/×÷x]\s*\d)(?![\d,.]*\d)", text)
    return float(lone.group(1).replace(",", "")) if lone else None


def false_label_count(reply: str, row: dict, st: Any) -> str | None:
    """The first labelled quantity the reply gives that is not the problem's ("Start: 92." asked 91 - 30, "Taken away: 20",
    "Left: 60"), None when every one it can place holds; rows without a recorded two-number problem are not judged."""
    problem = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    op = {"×": "*", "x": "*"}.get(str(problem.get("op")), str(problem.get("op")))
    if op not in ("+", "-", "*") or not all(isinstance(problem.get(k), (int, float)) for k in ("a", "b", "result")):
        return None
    want = {"start": float(problem["a"]), "change": float(problem["b"]), "result": float(problem["result"])}
    for m in _LABEL.finditer(reply):
        roles = _roles(m.group("label"), st, op)
        value = _value(m.group("value"))
        if len(roles) != 1 or value is None:
            continue
        role = roles.pop()
        if value != want[role]:
            return f"{m.group('label').strip()}: {m.group('value').strip()}"
    return None
