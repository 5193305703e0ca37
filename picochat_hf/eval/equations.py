"""Equations a reply writes, read and checked: "43 + 44 = 88" and "So 5 = 2 + 2." are false, "43 + 44 = 88 - 1 = 87"
holds. `answers` reads its candidates with these; the working checks (`false_working`) fail a reply that states a false
one."""

from __future__ import annotations

import ast
import re
from typing import Any

from .number_tokens import NumberMention, number_mentions, parse_number

__all__ = ["equation_holds", "equation_value", "evaluate", "false_equation", "false_reversed"]

_EMPHASIS = re.compile(r"\*\*|__|`")
# an equation stays on its line: "= 9\n- 3 x 9 = 28" is a list bullet before "3 x 9", not "9 - 3 x 9"
_EQUATION = re.compile(r"((?:[-−]?\d[\d.,]*[ \t]*[-+−*/×÷x][ \t]*)+[-−]?\d[\d.,]*)\s*=\s*$")


def equation_holds(text: str, m: NumberMention) -> bool:
    """The number at `m` is the true result of the expression written before it ("20+30=50"; "20+30=60" is false)."""
    return equation_value(text, m) is True


def place_values(a: float, b: float) -> bool:
    """Whether one of two nonzero numbers is the other times 10, 100 or 1000: a column's digit and its place value
    ("= 5. That is 50.")."""
    return a != 0 and b != 0 and max(abs(a), abs(b)) / min(abs(a), abs(b)) in (10.0, 100.0, 1000.0)


def evaluate(expr: str) -> float | None:
    """The value of an expression of digits, brackets and + - * / (with "−", "×", "x", "÷" and thousands commas); None if
    unreadable."""
    expr = expr.replace("−", "-").replace("×", "*").replace("x", "*").replace("÷", "/").replace(",", "")
    if not re.fullmatch(r"[-+*/.\d\s()]+", expr):
        return None
    try:
        return eval(compile(ast.parse(expr, mode="eval"), "<expr>", "eval"), {"__builtins__": {}})  # digits and + - * / only
    except (SyntaxError, ZeroDivisionError, ValueError):
        return None


_RIGHT_EXPRESSION = re.compile(r"[-−]?\d[\d.,]*(?<=\d)(?:[ \t]*[-+−*/×÷x][ \t]*[-−]?\d[\d.,]*(?<=\d))+")
# an expression with brackets after "=": "6 × 12 = 6 × (10 + 2)" (read whole, or 6 × 12 = 6 would be judged)
_BRACKETED_EXPRESSION = re.compile(r"[-−]?\d[\d.,]*\s*[-+−*/×÷x]\s*\([-+−*/×÷x\d.,\s()]*\)")


def equation_value(text: str, m: NumberMention) -> bool | None:
    """Whether the expression written before the number at `m` equals it, or the expression it starts when one follows
    ("43 + 44 = 88 - 1 = 87" holds); None when there is none or it cannot be read."""
    eq = _EQUATION.search(text[: m.start])
    if eq is None or m.value is None:
        return None
    value = evaluate(eq.group(1))
    if value is None:
        return None
    right = _BRACKETED_EXPRESSION.match(text, m.start) or _RIGHT_EXPRESSION.match(text, m.start)
    if right is not None and evaluate(right.group(0)) is not None:
        return abs(value - evaluate(right.group(0))) < 1e-9
    places = len(m.value.split(".")[1]) if "." in m.value else 0  # "10 / 3 = 3.33" rounds, it does not err
    return abs(value - float(m.value)) < 1e-9 or (places > 0 and round(value, places) == float(m.value))


# "5 = 2 + 2": a lone number, "=", an expression of two or more numbers
_REVERSED = re.compile(r"(?<![\d.,])(?P<left>[-−]?\d[\d,]*(?:\.\d+)?)(?![\d.,]*\d)\s*=\s*(?P<right>" + _RIGHT_EXPRESSION.pattern + ")")
# Where a lone number states something: the start, after punctuation or a connective ("So 5 = ...", "because 5 = ...")
_STATEMENT_BEFORE = re.compile(r"(?:^|[\n.:;!?(,]|\b(?:so|thus|then|hence|therefore|because|since|and|get|gets|got|gives|give|"
                               r"means|yields|is|was|check)\b)[\s*]*$", re.IGNORECASE)


def false_equation(text: str, st: Any) -> str | None:
    """The first equation `text` states falsely, with its expression on either side ("43 + 44 = 88", "So 5 = 2 + 2."),
    None when every one it writes holds: worked steps that contradict their own final answer."""
    text = _EMPHASIS.sub("", text)
    for m in number_mentions(text, st.operator_words, st.negative_words):
        if equation_value(text, m) is False:
            eq = _EQUATION.search(text[: m.start])
            return f"{eq.group(1).strip()} = {text[m.start : m.end]}" if eq else text[m.start : m.end]
    return false_reversed(text)


def false_reversed(text: str) -> str | None:
    """The first equation stated with a lone number on the left and an expression on the right that it is not ("So 5 =
    2 + 2.", "87 = 40 + 3 + 45"); a label before the number ("Day 1 = 2 + 3 pages") makes it no statement."""
    for m in _REVERSED.finditer(text):
        if not _STATEMENT_BEFORE.search(text[: m.start()]) or re.match(r"\s*(?:=|[-+−*/×÷]\s*\d)", text[m.end() :]):
            continue
        left, right = parse_number(m.group("left").replace("−", "-")), evaluate(m.group("right"))
        if left is not None and right is not None and abs(float(left) - right) > 1e-9:
            return m.group(0)
    return None
