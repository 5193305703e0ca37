"""Column working must be true of the problem's own columns, and a comparison or a correction must hold.

Column addition and subtraction name their steps by place ("Ones: 3 + 6 = 9, write 9.", "tens: 9 + 3 = 12 -> write 2,
carry 1", "Tens: 2 is less than 6, borrow 1: 12 - 6 = 6."). `answers.false_equation` judges each equation; this module
judges what the equations do not say, from the row's recorded problem (two whole numbers, "+" or "-"):

- a carry ("carry 1", "carry the 2") must be the column's carry out, "no carry" only where there is none, and a digit
  written down ("write 2", "put down 2") the column's digit of the answer;
- a borrow ("borrow 1", "so borrow") only where the column's top digit, after any borrow from it, is less than the bottom
  one, and "no borrow" only where it is not; a borrow lowers the digit it takes from by exactly one and raises the one
  it gives to by ten ("Borrowing makes the 6 a 5", "the 4 becomes 14");
- the first equation of a column adds or takes that column's digits (and its carry), not other numbers.

Anywhere in the working, a comparison of two numbers ("4 is less than 8") must be true, and a correction of a stated
result ("3 + 4 = 7, no, 8", "... = 8, I mean 7") must give the true result: a retracted false step is still a false step
(`answers.false_equation` fails "3 + 4 = 8, no, 7"), and a true step "corrected" to a false one is false.
"""

from __future__ import annotations

import re

__all__ = ["false_borrow_change", "false_column_step", "false_comparison", "false_correction", "fits_a_column"]

_PLACES = ("ones", "tens", "hundreds", "thousands", "ten thousands")
_PLACE = re.compile(r"(?:^|(?<=[\n.;]))[ \t]*(?:[-*•]\s*)?(?:(?:in\s+)?the\s+)?(?P<place>ones|tens|hundreds|thousands)"
                    r"(?:\s+(?:column|place|digits?))?\s*(?::|,|-|—|\bcolumn\b)", re.IGNORECASE)
_EQ = re.compile(r"(\d+(?:\s*[-+]\s*\d+)+)\s*=\s*(\d+)")


def _columns(a: int, b: int, op: str) -> list[dict]:
    """Per place from the ones: the digits, what comes in and goes out (carry or borrow) and the digit written."""
    out, carry, width = [], 0, max(len(str(a)), len(str(b))) + 1
    for k in range(width):
        top, bottom = a // 10 ** k % 10, b // 10 ** k % 10
        if op == "+":
            total = top + bottom + carry
            out.append({"top": top, "bottom": bottom, "in": carry, "out": total // 10, "write": total % 10})
            carry = total // 10
        else:
            have = top - carry
            borrow = int(have < bottom)
            out.append({"top": top, "bottom": bottom, "in": carry, "out": borrow, "write": have + 10 * borrow - bottom})
            carry = borrow
    return out


def _segments(reply: str):
    """Each place-labelled stretch of the working with its place index: from its label to the next label or line end."""
    marks = list(_PLACE.finditer(reply))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(reply)
        line_end = reply.find("\n", m.end())
        yield _PLACES.index(m.group("place").lower()), reply[m.end(): min(end, line_end if line_end >= 0 else end)]


_CARRY_FROM = re.compile(r"\bcarr(?:y|ies|ying)\s+(?:the\s+|a\s+)?(?P<n>\d+)\s+(?P<dir>from|out\s+of|into|to|over\s+to)\s+the\s+"
                         r"(?P<place>ones|tens|hundreds|thousands)\b", re.IGNORECASE)


def false_column_step(reply: str, row: dict) -> str | None:
    """The first place-labelled step that is false of the problem's columns (see the module docstring), else None."""
    problem = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    op, a, b = problem.get("op"), problem.get("a"), problem.get("b")
    if op not in ("+", "-") or not all(isinstance(v, int) and v >= 0 for v in (a, b)) or (op == "-" and a < b):
        return None
    columns = _columns(a, b, op)
    for m in _CARRY_FROM.finditer(reply):  # "carry 1 from the ones", "carry 1 into the hundreds"
        k = _PLACES.index(m.group("place").lower()) - (1 if m.group("dir").lower() in ("into", "to", "over to") else 0)
        if op == "+" and 0 <= k < len(columns) and int(m.group("n")) != columns[k]["out"]:
            return f"{m.group(0)} (the {_PLACES[k]} carry {columns[k]['out']})"
    for k, text in _segments(reply):
        if k >= len(columns):
            continue
        why = _false_in_column(text, columns[k], op)
        if why:
            return f"{_PLACES[k]}: {text.strip()} ({why})"
    return None


def _false_in_column(text: str, col: dict, op: str) -> str | None:
    low = text.lower()
    if op == "+":
        for m in re.finditer(r"\bcarry(?:ing)?\s+(?:the\s+|a\s+)?(\d+)", low):
            if int(m.group(1)) != col["out"]:
                return f"the carry is {col['out']}"
        if re.search(r"\bno\s+carry\b|\bnothing\s+to\s+carry\b|\bno\s+need\s+to\s+carry\b", low) and col["out"]:
            return f"the carry is {col['out']}"
    else:
        said = re.search(r"\bborrow", low)
        denied = re.search(r"\bno\s+(?:need\s+to\s+)?borrow|\bno\s+borrowing|\bwithout\s+borrowing|\bdon['’]?t\s+(?:need\s+to\s+)?borrow", low)
        if denied and col["out"]:
            return "this column must borrow"
        if said and not denied and not col["out"] and not re.search(r"\bborrowed\b|\bafter\s+(?:the\s+)?borrow", low):
            return "this column needs no borrow"
        for m in re.finditer(r"\bborrow(?:ing)?\s+(\d+)", low):
            if col["out"] and int(m.group(1)) not in (1, 10):
                return "a borrow is one ten"
    for m in re.finditer(r"\b(?:write|put)(?:\s+down)?\s+(?:the\s+|a\s+)?(?P<carried>carried\s+|borrowed\s+)?(\d+)\b", low):
        if m.group("carried") and op == "+" and int(m.group(2)) != col["in"]:  # "Hundreds: write the carried 1." with none
            return f"the carry into this column is {col['in']}"
        if int(m.group(2)) != col["write"]:
            return f"the digit to write is {col['write']}"
        # the sum right before it ("5 + 6 = 11, write 2"; "= 13, plus the carry is 14, write 4" writes the later 14's digit)
        eq = re.search(r"=\s*(\d+)\s*[,;:]?\s*(?:and\s+|then\s+|so\s+)?$", low[: m.start()])
        if op == "+" and eq and int(eq.group(1)) % 10 != int(m.group(2)):
            return f"{eq.group(1)} does not end in {m.group(2)}"
    return _false_column_digits(low, col, op)


def fits_a_column(terms: list[int], result: int, a: int, b: int, op: str) -> bool:
    """Whether the equation `terms` (joined by `op`) = `result` is the first equation of some column of `a` `op` `b`: its
    digits with the carry in, or its top digit (after lending, or with a borrowed ten) and its bottom digit."""
    words = f" {op} ".join(str(t) for t in terms) + f" = {result}"
    return any(_false_column_digits(words, col, op) is None for col in _columns(a, b, op))


def _false_column_digits(low: str, col: dict, op: str) -> str | None:
    """The first equation of a column must use the column's digits: both of them, plus only its carry in."""
    m = _EQ.search(low)
    if not m:
        return None
    terms = [int(t) for t in re.findall(r"\d+", m.group(1))]
    if op == "+":
        want = [col["top"], col["bottom"]]
        rest = list(terms)
        for digit in want:
            if digit in rest:
                rest.remove(digit)
            elif digit != 0:
                return f"the column's digits are {col['top']} and {col['bottom']}"
        if any(t != col["in"] for t in rest) or len(rest) > 1:
            return f"the column's digits are {col['top']} and {col['bottom']}"
        return None
    first, lent = terms[0], col["top"] - col["in"]
    if first not in (col["top"], lent, col["top"] + 10, lent + 10):
        return f"the column's top digit is {col['top']}"
    # the top digit before the borrow it lent ("8 - 1 = 7") goes on with that borrow, not straight to the bottom digit
    unlent = col["in"] and first in (col["top"], col["top"] + 10) and first not in (lent, lent + 10)
    if len(terms) == 2 and terms[1] != (col["in"] if unlent else col["bottom"]):
        return f"the column's bottom digit is {col['bottom']}" + (f", after lending {col['in']}" if unlent else "")
    return None


_LESS = r"(?:less|smaller|fewer|lower)\s+than"
_MORE = r"(?:more|greater|bigger|larger|higher)\s+than"
# the left side may be an expression ("1 - 1 is less than 1" compares 0 with 1)
# ... or signs: "61 < 60", "8 ≥ 9"
_COMPARE = re.compile(rf"(?<![\d.,])(?<![-+*/×÷]\s)(?<![-+*/×÷])(?P<x>\d+(?:\s*[-+*×]\s*\d+)*)(?:\s+(?:is|are)\s+(?P<neg>not\s+)?"
                      rf"(?:(?P<less>{_LESS})|(?P<more>{_MORE})|(?P<eq>equal\s+to))\s+|[ \t]*(?:(?P<lt><(?![=-]))|(?P<gt>>(?!=))"
                      r"|(?P<le>≤|<=)|(?P<ge>≥|>=))[ \t]*)(?P<y>\d+)(?![\d.,]\d|\s*[-+*/×÷])", re.IGNORECASE)


def false_comparison(reply: str) -> str | None:
    """The first comparison of two numbers that is false ("4 is more than 8", "61 < 60"; "12 is not less than 6" is true)."""
    for m in _COMPARE.finditer(reply):
        x, y = _value(m.group("x")), int(m.group("y"))
        holds = (x < y if m.group("less") or m.group("lt") else x > y if m.group("more") or m.group("gt")
                 else x <= y if m.group("le") else x >= y if m.group("ge") else x == y)
        if holds == bool(m.group("neg")):
            return m.group(0)
    return None


_CORRECTION = re.compile(r"(\d+(?:\s*[-+*×x]\s*\d+)+)\s*=\s*(\d+)\s*[,;.]?\s*(?:no|sorry|oops|wait|i\s+mean|actually|rather)"
                         r"[,;:.!]?\s*(?:it['’]?s\s+|it\s+is\s+|make\s+that\s+|i\s+mean\s+)?(\d+)\b", re.IGNORECASE)


def _value(expr: str) -> int:
    """The value of a sum of products of whole numbers ("3 + 4", "6 * 7 - 2")."""
    total = 0
    for sign, term in re.findall(r"([-+]?)\s*(\d+(?:\s*[*×x]\s*\d+)*)", expr):
        product = 1
        for factor in re.findall(r"\d+", term):
            product *= int(factor)
        total += -product if sign == "-" else product
    return total


def false_correction(reply: str) -> str | None:
    """A result corrected to a value that is not the expression's ("3 + 4 = 7, no, 8")."""
    for m in _CORRECTION.finditer(reply):
        if _value(m.group(1)) != int(m.group(3)):
            return m.group(0)
    return None


_CHANGE = re.compile(r"\bthe\s+(\d+)\s+(?:a|an|into)\s+(\d+)\b|\b(\d+)\s+(?:becomes|turns\s+into|goes\s+(?:down|up)\s+to|changes\s+to|is\s+now)"
                     r"\s+(?:a\s+|an\s+)?(\d+)\b", re.IGNORECASE)


def false_borrow_change(reply: str) -> str | None:
    """A digit a borrow changes by anything but one ten: the digit lent from drops by one, the one lent to gains ten
    ("Borrowing makes the 6 a 5", "the 4 becomes 14"; "Borrowing makes the 6 a 4" is false)."""
    for sentence in re.split(r"(?<=[.;!?\n])", reply):
        if not re.search(r"\bborrow|\blend", sentence, re.IGNORECASE):
            continue
        for m in _CHANGE.finditer(sentence):
            before, after = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
            if after not in (before - 1, before + 10):
                return m.group(0)
    return None
