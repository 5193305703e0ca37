"""Working that computes the answer must be about the row's own numbers, the rule a gloss of the answer follows.

A scratchpad's equations may be true and still set out another problem: asked 9 × 4, "So 6 × 6 = 36." computes the
answer from numbers the row never gave; asked 7 + 5, "6 + 6 = 12"; asked 84 − 78, "90 - 6 = 84" restates the relation
with other operands. An equation relates the answer when the answer is one of its numbers (an operand or its result)
and its operation is the row's or the inverse of it (+ and − on an addition or subtraction, × and ÷ on a
multiplication, where a sum of equal addends is a product: "9 + 9 + 9 + 9" is four 9s). Its other numbers must then be
the row's operands, in any order ("4 × 9 = 36", "78 + 6 = 84", "36 ÷ 4 = 9"), or numbers honest working derives from
them (`restated_sums.derived_numbers`). An equation of another operation ("3 × 4 = 12" on 7 + 5, "40 - 4 = 36" on 9 × 4) is a check,
judged for truth only, as its gloss is (`number_glosses`), as long as the working also states the row's own sum or the
check's numbers could come from the row: on a multiplication, sums and differences of partial products (multiples of an
operand: "40 - 4 = 36" on 9 × 4, "80 + 16 = 96" on 8 × 12); on an addition or subtraction, products of its operands and
derived numbers. A check of other numbers standing alone is working about another problem ("Add 81 and 15 column by
column ... So 81 + 15 = 96." on 8 × 12, "3 × 4 = 12" on 7 + 5) and fails. The answer restating itself ("1 - 0 = 1" on
8 - 7, "12 - 0 = 12" on 7 + 5) computes nothing: a carry's 0 or 1 never excuses the answer's own value.

Column working on whole numbers of two digits or more must use the row's columns: an equation of the row's operation
on single digits (a borrowed ones value on a subtraction: "14 - 8") whose result ends in a digit of the answer must be
some column's digits with its carry or borrow ("2 + 5 = 7. 3 + 5 = 8." asked 43 + 44 fails; "3 + 4 = 7" holds), unless
it goes on from a result the working stated before ("1 + 8 = 9, 9 + 1 = 10" adds the carry); `column_steps` judges the
place-labelled columns.
"""

from __future__ import annotations

import re

from .column_steps import fits_a_column
from .number_glosses import expression_sum
from .restated_sums import FAMILY, asked_sum, derived_numbers, foreign_numbers

__all__ = ["chains", "foreign_step", "foreign_column_step"]

_N = r"-?\d+(?:\.\d+)?"
_SIDE = rf"\(?{_N}\)?(?:[ \t]*[-+−*×÷/][ \t]*\(?{_N}\)?)*"
_CHAIN = re.compile(rf"(?<![\d.,\w])(?<![-+−*×÷/=][ \t])(?<![-+−*×÷/=]){_SIDE}(?:[ \t]*=[ \t]*{_SIDE})+(?![\d.,]*\d)")


def chains(signed: str) -> list[tuple[str, str, float]]:
    """(words, first expression, value) of each chain of "=" in `signed` with an expression of two numbers or more and a
    lone number ("6 × 6 = 36", "36 = 6 × 6", "43 + 44 = 80 + 7 = 87"); a chain of two lone numbers or of two different
    lone values is left to `answers.false_equation`."""
    text = re.sub(r"(?<=\d)[ \t]*[xX][ \t]*(?=\d)", " × ", signed)
    out = []
    for m in _CHAIN.finditer(text):
        sides = [s.strip() for s in m.group(0).split("=")]
        lone = {float(s.strip("()")) for s in sides if re.fullmatch(rf"\(?{_N}\)?", s)}
        expressions = [s for s in sides if not re.fullmatch(rf"\(?{_N}\)?", s)]
        if len(lone) == 1 and expressions:
            out.append((m.group(0), expressions[0], lone.pop()))
    return out


def foreign_step(signed: str, row: dict, prompt: str, answer: str) -> str | None:
    """Why the first equation of the working that relates the answer names numbers the row never gave fails ("'6 × 6 =
    36' computes the answer from 6, which the problem does not give"); None when each is about the row's own numbers.
    `signed` is the reply with number words as digits and worded steps written with signs (`worded_steps`)."""
    asked = asked_sum(row, prompt)
    if asked is None:
        return None
    want = float(answer)
    found = [(words, *expression_sum(expression, asked[0]), value) for words, expression, value in chains(signed)]
    for i, (words, kind, said, value) in enumerate(found):
        others = [(said_, value_) for _, _, said_, value_ in found[:i] + found[i + 1 :]]
        allowed = derived_numbers(asked, others, want)
        if want in _CARRIES and want not in asked[1:] and want not in {v for _, v in others}:
            allowed = allowed - {want}  # "1 - 0 = 1" asked 8 - 7: a carry of 1 is not the answer computed
        foreign = foreign_numbers(said, kind, value, asked, want, allowed) if said else []
        foreign = foreign or (_foreign_check(said, kind, value, asked, want, allowed, found, others) if said else [])
        if foreign:
            named = ", ".join(dict.fromkeys(_plain(x) for x in foreign))
            return f"{words!r} relates the answer {answer} to {named}, which the problem does not give"
    return None


_CARRIES = {0.0, 1.0, 10.0}


def _foreign_check(said: tuple[float, ...], kind: str | None, value: float, asked: tuple[str | None, float, float],
                   want: float, allowed: set[float], found: list, others: list[tuple[tuple[float, ...], float]]) -> list[float]:
    """The numbers of a check by another operation than the row's family that reaches the answer and that neither the
    row nor its partial products give, when no equation of the working states the row's own sum; [] otherwise."""
    op, a, b = asked
    numbers = list(said) + [value]
    if op is None or kind is None or kind in FAMILY[op] or want not in numbers:
        return []
    if any(k in FAMILY[op] and sorted(s) == sorted((a, b)) for _, k, s, _ in found):
        return []  # "3 × 4 = 12, and 7 + 5 = 12.": a check beside the row's own sum
    numbers.remove(want)
    values = {v for _, v in others}  # results the working's other equations reached

    def from_row(x: float) -> bool:
        if x in (a, b) or x in values:
            return True
        if op == "*":  # a partial product: a whole multiple of an operand ("80" and "16" of 8 x 12)
            return x > 0 and any(n and x.is_integer() and n.is_integer() and x % n == 0 for n in (a, b))
        return x in allowed or (a == b and x == 2.0)  # "2 × 6 = 12" doubles 6 + 6
    return [x for x in numbers if not from_row(x)]


def foreign_column_step(signed: str, row: dict, answer: str) -> str | None:
    """The first equation of single digits by the row's operation whose result ends in a digit of the answer and that is
    no column of the row's ("2 + 5 = 7" asked 43 + 44); None when each fits a column, or on a row of one-digit numbers."""
    problem = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    op, a, b = problem.get("op"), problem.get("a"), problem.get("b")
    if op not in ("+", "-") or not all(isinstance(v, int) and v >= 0 for v in (a, b)) or max(a, b) < 10:
        return None
    ends, before = {int(d) for d in answer if d.isdigit()}, set()
    for words, expression, value in chains(signed):
        kind, said = expression_sum(expression, op)
        going_on = bool(before & set(said))  # "1 + 8 = 9, 9 + 1 = 10": a column's sum goes on with its carry
        before.add(value)
        if kind != op or len(said) < 2 or not value.is_integer() or int(value) % 10 not in ends or going_on:
            continue
        if all(x.is_integer() and 0 <= x < 10 for x in said[1:]) and 0 <= said[0] < (20 if op == "-" else 10):
            if not fits_a_column([int(x) for x in said], int(value), a, b, op):
                return f"{words!r} adds or takes digits that are no column of {a} {op} {b}"
    return None


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
