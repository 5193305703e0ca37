"""Arithmetic steps written in words, read so the working checks can judge them.

- Equalities in words ("So 3 is 5.", "43 + 44 makes 88", "43 plus 44 is 88", `working_equality_words`) and operations
  told as instructions ("Add 40 and 40 to get 90.", "Subtract 8 from 14 to get 7.") are rewritten with signs and "="
  (`as_equations`), for `false_working.false_equality` and `answers.false_equation`.
- The operands a reply restates when it sets out the sum ("Add 43 and 45 column by column." asked 43 + 44, "Start with
  84 buttons and take away 79." asked 84 - 78) must be the prompt's own (`false_operands`).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["as_equations", "false_operands"]

# Operator words read as their signs between two numbers ("43 plus 44 is 88"); "added to" and "subtracted from" put the
# operands the other way round and are left alone.
_OPERATOR_SIGNS = {"plus": "+", "minus": "-", "times": "*", "multiplied by": "*", "divided by": "/", "take away": "-"}
_N = r"(\d+(?:\.\d+)?)"
_GIVES = r"\s*,?\s*(?:to\s+get|to\s+make|gives|makes|leaves|equals|is|=)\s+"
# An instruction with its result: (pattern, how the signs are written from its three numbers).
_INSTRUCTIONS = [
    (re.compile(rf"\badd(?:ing)?\s+{_N}\s+(?:and|to)\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{0} + {1} = {2}"),
    (re.compile(rf"\bsubtract(?:ing)?\s+{_N}\s+from\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{1} - {0} = {2}"),
    (re.compile(rf"\btake(?:ing)?\s+{_N}\s+(?:away\s+)?from\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{1} - {0} = {2}"),
    (re.compile(rf"\bmultiply(?:ing)?\s+{_N}\s+(?:by|and)\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{0} * {1} = {2}"),
]


def as_equations(reply: str, st: Any) -> str:
    """`reply` with equalities in words written with "=" ("So 3 is 5." -> "So 3 = 5.", "43 + 44 makes 88" -> "43 + 44 =
    88"), operator words between numbers as signs ("43 plus 44" -> "43 + 44"), an arrow as "=" ("43 + 44 → 88") and instructions with a result as the sum
    they state ("Add 40 and 40 to get 90" -> "40 + 40 = 90"); a word between numbers only, so "2 is less than 6" and
    "the answer is 87" stay as they are."""
    text = reply
    for pattern, form in _INSTRUCTIONS:
        text = pattern.sub(lambda m, form=form: form.format(*m.groups()), text)
    signs = "|".join(re.escape(w) for w in sorted(_OPERATOR_SIGNS, key=len, reverse=True))
    text = re.sub(rf"(?<=\d)[ \t]+({signs})[ \t]+(?=-?\d)", lambda m: f" {_OPERATOR_SIGNS[m.group(1).lower()]} ", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d)[ \t]*(?:→|->|=>|⇒)[ \t]*(?=-?\d)", " = ", text)  # "43 + 44 → 88"
    words = sorted(getattr(st, "working_equality_words", []), key=len, reverse=True)
    if not words:
        return text
    alternation = "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in words)
    return re.sub(rf"(?<=\d)[ \t]+(?:{alternation})[ \t]+(?=-?\d)", " = ", text, flags=re.IGNORECASE)


# How a reply sets out the whole sum: (pattern, operation, whether its numbers come in the prompt's order).
_SET_OUT = [
    (re.compile(rf"\badd\s+{_N}\s+(?:and|to)\s+{_N}\s+column\s+by\s+column", re.IGNORECASE), "+", False),
    (re.compile(rf"\bsubtract\s+{_N}\s+from\s+{_N}\s+column\s+by\s+column", re.IGNORECASE), "-", True),
    (re.compile(rf"\bstart\s+with\s+{_N}\b[^.\n]*?\b(?:take\s+away|subtract|remove)\s+{_N}\b", re.IGNORECASE), "-", False),
]


def _operands(row: dict, prompt: str) -> tuple[str | None, float, float] | None:
    """(operation, a, b) of the sum the row asks for: its recorded problem, else the prompt's two numbers, in order, with
    the sign between them ("What is 43 + 44?") or, in a story, no sign (None: "A shelf holds 84 ... removes 78")."""
    problem = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    if problem.get("op") in ("+", "-") and all(isinstance(problem.get(k), (int, float)) for k in ("a", "b")):
        return problem["op"], float(problem["a"]), float(problem["b"])
    numbers = re.findall(r"(?<![\w.,])\d+(?![\w.,]\d)", prompt)
    if problem or len(numbers) != 2:
        return None
    sign = re.search(rf"{numbers[0]}\s*([-+*/×÷])\s*{numbers[1]}", prompt)
    if sign and sign.group(1) not in "+-":
        return None
    return (sign.group(1) if sign else None), float(numbers[0]), float(numbers[1])


def false_operands(reply: str, row: dict, prompt: str) -> str | None:
    """The words of a reply that set out another sum than the one asked ("Add 43 and 45 column by column." asked 43 +
    44), None when each one restates the prompt's operands."""
    asked = _operands(row, prompt)
    if asked is None:
        return None
    op, a, b = asked
    for pattern, kind, swapped in _SET_OUT:
        if op not in (None, kind):
            continue
        for m in pattern.finditer(reply):
            x, y = float(m.group(1)), float(m.group(2))
            said = (y, x) if swapped else (x, y)
            # a story may tell its numbers in any order ("Olive removes 78 of the 84 buttons"); a written sum may not
            if sorted(said) != sorted((a, b)) or (kind == "-" and op == "-" and said != (a, b)):
                return m.group(0)
    return None
