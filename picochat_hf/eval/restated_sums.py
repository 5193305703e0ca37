"""The operands a reply restates when it sets out the asked sum, which must be the prompt's own.

A restatement names the sum without giving a result: an instruction ("Add 43 and 45.", "Subtract 71 from 94 column by
column.", "Take 47 away from 67.", "Multiply 6 by 11.", "43 and 45 added together"), the numbers to use ("Take 43 and 45.", "We need 43 and 45."), a
bare expression ("We need 43 + 45."), or where the working starts ("Start from 45 and add 43.", "Start with 68 cookies
and take away 48."). Asked 43 + 44, each of these sets out another sum, and a right final answer after it is not shown
by the working.

An operand that is not the prompt's may still be a step of honest working, when the prompt's numbers have two digits or
more: a place part of a prompt number ("add 40, then 4" for 44), in an addition or subtraction a column's digit, a carry
or a borrowed ones value ("13 - 8"), or a result the working has already stated after "=". An instruction with its result ("Add 40 and 40 to get
90") is an equation, judged for truth by `answers.false_equation`, and not read here. An instruction or expression of
another operation than the asked one ("22 + 71" checking a subtraction) is not a restatement of it.

An equation that relates the answer by the row's operation or its inverse ("6 × 6 = 36" asked 9 × 4, "78 + 6 = 84" asked
84 - 78) must name the row's operands or numbers derived from them (`derived_numbers`, `foreign_numbers`; read by
`worked_operands` and `number_glosses`).
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["FAMILY", "asked_sum", "derived_numbers", "false_operands", "foreign_numbers", "other_sum"]

_N = r"(\d+(?:\.\d+)?)"
_NOUN = r"(?:\s+[a-z]+)?"  # a counted noun after a number ("68 cookies")
# (pattern, operation or None for any, whether the first group is the sum's first operand)
_RESTATED = [
    (re.compile(rf"\badd(?:ing|ed)?\s+{_N}{_NOUN}\s+(?:and|to|plus|with)\s+{_N}", re.IGNORECASE), "+", True),
    (re.compile(rf"\bsubtract(?:ing|ed)?\s+{_N}{_NOUN}\s+from\s+{_N}", re.IGNORECASE), "-", False),
    (re.compile(rf"\btak(?:e|ing)\s+(?:away\s+)?{_N}{_NOUN}\s+(?:away\s+)?from\s+{_N}", re.IGNORECASE), "-", False),
    (re.compile(rf"\bmultiply(?:ing)?\s+{_N}\s+(?:by|and|with)\s+{_N}", re.IGNORECASE), "*", True),
    (re.compile(rf"(?<![\d.,]){_N}{_NOUN}\s+and\s+{_N}{_NOUN}\s+(?:added|summed|put|combined)\b", re.IGNORECASE), "+", True),
    (re.compile(rf"\b(?:tak(?:e|ing)|we\s+(?:need|use|have)|using)\s+{_N}{_NOUN}\s+and\s+{_N}(?!\s*(?:away|from)\b)",
                re.IGNORECASE), None, True),
]
# "Start with 45", "Starting from 68 cookies and take away 48", "Begin at 43, then add 44"
_START = re.compile(rf"\b(?:start|begin)(?:ing|s)?\s+(?:with|from|at)\s+{_N}\b(?P<rest>[^.\n]*)", re.IGNORECASE)
_THEN = [(re.compile(rf"\b(?:add|plus)\s+{_N}", re.IGNORECASE), "+"),
         (re.compile(rf"\b(?:take\s+away|subtract|remove|minus|take)\s+{_N}", re.IGNORECASE), "-")]
# An expression of two numbers that no operator, "=" or digit goes on from on either side ("We need 43 + 45.")
_EXPRESSION = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)[ \t]*([-+−*×÷/]|(?<=\s)x(?=\s))[ \t]*(\d+(?:\.\d+)?)(?![\d.,]*\d)")
_SIGNS = {"+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "x": "*"}
_RESULT_AFTER = re.compile(r"\s*(?:[,:]\s*)?(?:=|to\s+get|to\s+make|gives|makes|leaves|equals|is|comes\s+to|→)\s*-?\d")


def asked_sum(row: dict, prompt: str) -> tuple[str | None, float, float] | None:
    """(operation, a, b) of the sum the row asks for: its recorded problem, else the prompt's two numbers, in order, with
    the sign between them ("What is 43 + 44?") or, in a story, no sign (None: "A shelf holds 84 ... removes 78")."""
    problem = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    if problem.get("op") in _SIGNS and all(isinstance(problem.get(k), (int, float)) for k in ("a", "b")):
        return _SIGNS[problem["op"]], float(problem["a"]), float(problem["b"])
    numbers = re.findall(r"(?<![\w.,])\d+(?![\w.,]\d)", prompt)
    if problem or len(numbers) != 2:
        return None
    sign = re.search(rf"{numbers[0]}\s*([-+*/×÷])\s*{numbers[1]}", prompt)
    if sign and sign.group(1) not in _SIGNS:
        return None
    return (_SIGNS[sign.group(1)] if sign else None), float(numbers[0]), float(numbers[1])


def _steps(text: str, op: str | None, a: float, b: float) -> set[float]:
    """Numbers honest working may use besides the operands: place parts of the operands ("40" and "4" of 44), in an
    addition or subtraction any digit (a carry) and a borrowed ones value ("13" of 93 - 71 with 3 < 8), and results
    already stated after "="."""
    if max(a, b) < 10:
        return set()
    out = {float(v) for v in range(10)} if op in ("+", "-", None) else set()
    for n in (a, b):
        if n.is_integer():
            digits = str(int(n))
            out |= {float(int(d) * 10 ** (len(digits) - 1 - k)) for k, d in enumerate(digits)}
            out |= {float(10 + int(d)) for d in digits} if op in ("-", None) else set()
    out |= {float(v) for v in re.findall(r"=\s*(\d+(?:\.\d+)?)(?![\d.,]*\d)", text)}
    return out


def _wrong(said: tuple[float, ...], kind: str | None, asked: tuple[str | None, float, float], steps: set[float]) -> bool:
    """Whether the operands `said` (in the sum's order) set out another sum than the one asked."""
    op, a, b = asked
    if kind is not None and op is not None and kind != op:
        return False  # another operation: a check or a step, not the asked sum restated
    rest = [a, b]
    for x in said:
        if x in rest:
            rest.remove(x)
        elif x not in steps:
            return True
    # a written subtraction, or a story's, keeps its order: "Start with 71 and take away 93" asked 93 - 71
    return op == "-" and kind in ("-", None) and said[0] == b != a and (len(said) == 1 or said[1] == a)


def _restatements(text: str) -> list[tuple[str, tuple[float, ...], str | None]]:
    """(words, operands in the sum's order, operation) of each restatement of a whole sum `text` makes."""
    out = []
    for pattern, kind, ordered in _RESTATED:
        for m in pattern.finditer(text):
            if not _RESULT_AFTER.match(text, m.end()):
                x, y = float(m.group(1)), float(m.group(2))
                out.append((m.group(0), (x, y) if ordered else (y, x), kind))
    for m in _START.finditer(text):
        then = [(t.search(m.group("rest")), kind) for t, kind in _THEN]
        found = min(((t, kind) for t, kind in then if t), key=lambda tk: tk[0].start(), default=None)
        said = (float(m.group(1)),) + ((float(found[0].group(1)),) if found else ())
        out.append((m.group(0).strip(), said, found[1] if found else None))
    for m in _EXPRESSION.finditer(text):
        before, after = text[: m.start()].rstrip(), text[m.end() :].lstrip()
        if re.search(r"[-+−*×÷/=(\d]$|\bx$", before) or re.match(r"[-+−*×÷/=)]|x\s|\d|→|(?:is|equals|makes|gives)\s+-?\d", after):
            continue  # part of a longer expression or an equation
        out.append((m.group(0), (float(m.group(1)), float(m.group(3))), _SIGNS.get(m.group(2))))
    return out


def false_operands(text: str, row: dict, prompt: str) -> str | None:
    """The words of a reply that set out another sum than the one asked ("Add 43 and 45." asked 43 + 44), None when each
    restatement names the prompt's operands. `text` is the reply with number words as digits and worded equations
    rewritten with signs (`worded_steps.as_equations`)."""
    asked = asked_sum(row, prompt)
    if asked is None:
        return None
    steps = _steps(text, *asked)
    for words, said, kind in _restatements(text):
        if _wrong(said, kind, asked, steps):
            return words
    return None


def other_sum(said: tuple[float, ...], kind: str | None, asked: tuple[str | None, float, float], text: str) -> bool:
    """Whether operands `said` of an operation `kind` (in the sum's order) set out another sum than `asked`, by the rule
    of a restatement: the steps `text` may use besides the operands are allowed, another operation is not judged."""
    return _wrong(said, kind, asked, _steps(text, *asked))


# the operations that relate a row's answer to its operands: its own and the inverse of it
FAMILY = {"+": {"+", "-"}, "-": {"+", "-"}, "*": {"*", "/"}}


def _digits(n: float) -> list[int]:
    return [int(d) for d in str(int(n))] if n.is_integer() and n >= 0 else []


def derived_numbers(asked: tuple[str | None, float, float], found: list[tuple[tuple[float, ...], float]], answer: float) -> set[float]:
    """Numbers honest working may use besides the operands: the operands' place parts ("80" and "4" of 84) and digits,
    a carry or borrow of 1, a borrowed digit of the top number ("14" of 84 - 78) or a lent one ("9" after lending from
    0), the step to the next ten ("2" takes 78 to 80), on an addition, once the working makes a ten, what is left of the other
    operand ("7 + 3 = 10, 10 + 2 = 12"; "57 + 3 = 60, 60 + 65 = 125"), the operands split at a place and their like parts summed or taken ("78 + 2 = 80" of
    478 + 402: `_place_splits`); the results of the working's equations `found` ((operands, result) each) and the
    operands of those that do not reach the answer ("78 + 2 = 80, 80 + 4 = 84, so 2 + 4 = 6")."""
    op, a, b = asked
    out: set[float] = {0.0, 1.0, 10.0}
    for n in (a, b):
        digits = _digits(n)
        out |= {float(d * 10 ** (len(digits) - 1 - k)) for k, d in enumerate(digits)} | {float(d) for d in digits}
        if op in ("-", None) and n == a:  # the top number's digit after a borrow, or after lending one and borrowing
            out |= {float(d + 10) for d in digits} | {float(d + 9) for d in digits}
        if op != "*":
            out |= {float(10 - digits[-1])} if digits and digits[-1] else set()
    used = {x for said, _ in found for x in said}
    if op == "+" and a.is_integer() and b.is_integer():  # a ten made first: 57 + 3 = 60, then 60 + 65 = 125
        out |= {y - (10 - x % 10) for x, y in ((a, b), (b, a)) if x % 10 and 10 - x % 10 in used}
    out |= _place_splits(op, a, b)
    for said, value in found:
        out.add(value)
        if answer not in said and value != answer:
            out |= set(said)
    return out


def _place_splits(op: str | None, a: float, b: float) -> set[float]:
    """The parts of whole operands split at a place, and the sums (on an addition) or differences (on a subtraction) of
    their like parts: 478 + 402 split at the hundreds is 400 + 400 = 800 and 78 + 2 = 80."""
    if op == "*" or not (a.is_integer() and b.is_integer()) or min(a, b) < 0:
        return set()
    out: set[float] = set()
    for k in range(1, len(str(int(max(a, b))))):
        low = (a % 10 ** k, b % 10 ** k)
        high = (a - low[0], b - low[1])
        for x, y in (low, high):
            out |= {x, y, x + y} if op in ("+", None) else {x, y}
            out |= {abs(x - y)} if op in ("-", None) else set()
    return out


def foreign_numbers(said: tuple[float, ...], kind: str | None, value: float, asked: tuple[str | None, float, float],
                    answer: float, allowed: set[float]) -> list[float]:
    """The numbers of an equation `said` `kind` = `value` that relates the answer by the row's operation or its inverse
    and are neither the row's operands nor `allowed`; [] when it does not relate the answer, or when the row's operation is
    not known (a story without a recorded problem: "3 boxes of 12" may be 12 + 12 + 12)."""
    op, a, b = asked
    numbers = list(said) + [value]
    if op is None or kind not in FAMILY[op] or answer not in numbers:
        return []
    numbers.remove(answer)
    rest = Counter([a, b])
    foreign = []
    for x in numbers:
        if rest[x]:
            rest[x] -= 1
        elif x not in allowed:
            foreign.append(x)
    return foreign
