"""A gloss after a number that says how it was got, read and judged: "36 (four 9s)", "36 (9 × 4)", "36, that is 9 + 9 +
9 + 9", "The answer is 12 (7 + 5).".

A gloss is an expression of numbers and quantities told in words ("four 9s", "nine 4s", "4 groups of 9", "twice 18", "5
more than 7": `worded_groups.worded_quantity`) joined by signs or operator words ("9 times 4"), in brackets right after the
number (a counted noun may come between: "36 apples (9 × 4)") or after a comma, semicolon, colon or dash that ends the
clause with it ("36 — four 9s."), opened by an optional word such as "that is" or "i.e."; in brackets it may close with
"= N" ("36 (9 × 4 = 36)"; with another N it is a relation the number is an operand of: "6 (78 + 6 = 84)" restates 84 - 78
by the inverse operation), while after punctuation an "=" starts a step of its own ("= 18, 18 + 9 = 27.").
It is read on text whose number words are digits (`answers.spell_out_numbers`). Two rules hold for it:

- it must come to the number it glosses (and to the "= N" it closes with): "36 (9 × 4)", "36 (four 9s)" hold; "36 (9 ×
  5)", "36 (five 9s)", "36 (four 8s)", "12 (7 + 4)" are false (`false_gloss`); a relation must hold and have the number
  among its operands ("6 (78 + 7 = 84)" and "6 (78 + 5 = 83)" are false). A true gloss's numbers are working, no answer
  candidates (`without_true_glosses`, read by `answers.judge_number`);
- a gloss of the answer must be the row's own sum, by the rule a restatement of it follows (`restated_sums.other_sum`):
  the same operation with other operands ("12 (6 + 6)" asked 7 + 5, "36 (6 × 6)" or "36 (six 6s)" asked 9 × 4) sets out
  another problem and fails, while another operation ("12 (3 × 4)" asked 7 + 5) is a check, judged for truth only. On a
  multiplication a sum of equal addends is a product ("36 (9 + 9 + 9 + 9)" is four 9s; "36 (6 + 6 + 6 + 6 + 6 + 6)" is
  six 6s) (`other_operand_gloss`). A relation of the answer by the row's operation or its inverse must name the row's
  own operands ("6 (78 + 6 = 84)" and "6 (84 - 6 = 78)" asked 84 - 78 hold; "6 (77 + 6 = 83)" fails), and no gloss of
  the answer may name numbers the row never gave in one (`restated_sums.foreign_numbers`: "6 (3 + 3)" asked 84 - 78).

Two numbers joined by "and" in brackets ("12 (7 and 5)") are no gloss: "and" is no operator; the row's own operands named
so are prompt numbers and no answer candidates, other numbers ("12 (6 and 6)") are candidates and fail the answer.

The opening words, operator words and the longest counted noun are data (`number_glosses.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..utils.yaml_text import load_yaml_text
from .equations import evaluate
from .number_tokens import number_mentions, parse_number
from .restated_sums import asked_sum, derived_numbers, foreign_numbers, other_sum
from .worded_groups import worded_quantity

__all__ = ["Gloss", "number_glosses", "without_true_glosses", "gloss_fault", "false_gloss", "expression_sum",
           "other_operand_gloss", "other_operand_equation"]

GLOSSES_YAML = Path(__file__).with_name("number_glosses.yaml")
_NUMBER = r"-?\d[\d,]*(?:\.\d+)?"


@dataclass(frozen=True)
class _Lexicon:
    opener: re.Pattern
    join: re.Pattern
    signs: dict[str, str]
    units: re.Pattern


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)) or "(?!)"


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_yaml_text(GLOSSES_YAML.read_text(encoding="utf-8"))
    openers, joins = [str(w).lower() for w in data["openers"]], {str(k).lower(): str(v) for k, v in data["joins"].items()}
    signs = {"+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "x": "*", "/": "/", "÷": "/", **joins}
    opener = re.compile(rf"(?:(?<![\w.])(?:{_alt(openers)})(?![\w])[ \t]*,?[ \t]*)?", re.IGNORECASE)
    join = re.compile(rf"[ \t]*(?P<j>[-+−*×/÷]|(?<=\s)x(?=\s)|\b(?:{_alt(list(joins))})\b)[ \t]*", re.IGNORECASE)
    # a counted noun between a number and its bracket: letters only, no opening or operator word
    noun = rf"(?:[ \t]+(?!(?:{_alt(openers)}|{_alt(list(joins))}|x)\b)[a-z]+)"
    units = re.compile(rf"{noun}{{0,{int(data['unit_words_max'])}}}", re.IGNORECASE)
    return _Lexicon(opener, join, signs, units)


@dataclass(frozen=True)
class Gloss:
    """A gloss (see the module docstring): its span (from its bracket or punctuation), the value of the number it
    glosses, its words, its expression with signs, what that comes to, and the "= N" it closes with (None without;
    another N than the number makes it a relation the number must be an operand of)."""

    start: int
    end: int
    number: str
    words: str
    expression: str
    value: float | None
    stated: str | None

    def relation(self) -> bool:
        return self.stated is not None and self.stated != self.number

    def operands(self) -> tuple[float, ...]:
        return tuple(float(n) for n in re.findall(r"(?<![\d.])-?\d+(?:\.\d+)?", self.expression))

    def holds(self) -> bool:
        if self.value is None:
            return False
        if self.relation() and float(self.number) not in self.operands():
            return False
        said = [self.stated] if self.relation() else [self.number] + ([self.stated] if self.stated is not None else [])
        return all(v is not None and abs(float(v) - self.value) < 1e-9 for v in said)


def _expression(text: str, pos: int, st: Any, lex: _Lexicon) -> tuple[str, int] | None:
    """The expression of quantities joined by signs or operator words from `pos`, with signs, and where it ends; None
    when it is a lone bare number ("36 (9)" glosses nothing) or no quantity starts there."""
    first = worded_quantity(text, pos, st)
    if first is None:
        return None
    parts, end, bare = [first[0]], first[1], first[2]
    while (j := lex.join.match(text, end)) and (q := worded_quantity(text, j.end(), st)):
        parts += [lex.signs[re.sub(r"\s+", " ", j.group("j").lower())], q[0]]
        end, bare = q[1], False
    return (None if bare else (" ".join(parts), end))


def _closing(text: str, pos: int) -> tuple[str | None, int]:
    """The number of an "= N" closing a gloss at `pos`, and where it ends ((None, pos) without one)."""
    m = re.compile(rf"[ \t]*=[ \t]*({_NUMBER})(?![\w.,]*\d)").match(text, pos)
    return (parse_number(m.group(1)), m.end()) if m else (None, pos)


def _gloss_at(text: str, start: int, number: str, st: Any, lex: _Lexicon) -> Gloss | None:
    """The gloss of the number ending at `start`, None when none follows it."""
    head = lex.units.match(text, start).end()
    bracket = re.compile(r"[ \t]*([(\[])[ \t]*").match(text, head)
    punct = None if bracket else re.compile(r"[ \t]*(?:[,;:]|[—–]|[ \t]--)[ \t]*").match(text, start)
    opened = bracket or punct
    if opened is None:
        return None
    body = lex.opener.match(text, opened.end()).end()
    found = _expression(text, body, st, lex)
    if found is None:
        return None
    stated, end = _closing(text, found[1])
    if bracket:
        close = re.compile(r"[ \t]*" + re.escape({"(": ")", "[": "]"}[bracket.group(1)])).match(text, end)
        if close is None:
            return None
        end = close.end()
    elif stated is not None or not re.compile(r"[ \t]*(?:[.!;)]|\n|$)").match(text, end):
        return None  # the clause goes on ("36, 9 × 4 of them"), or states a step of its own ("= 18, 18 + 9 = 27.")
    return Gloss(opened.start(), end, number, text[opened.start() : end].strip(), found[0], evaluate(found[0]), stated)


def number_glosses(text: str, st: Any) -> list[Gloss]:
    """Every gloss after a number of `text` that is no operand of an expression (number words already digits)."""
    lex, out = _lexicon(), []
    text = re.sub(r"(?<=\d)[xX](?=\d)", "×", text)  # "9x4", read at the same places
    for m in number_mentions(text, st.operator_words, st.negative_words):
        if m.operand or m.value is None or (out and m.start < out[-1].end):
            continue
        gloss = _gloss_at(text, m.end, m.value, st, lex)
        if gloss is not None:
            out.append(gloss)
    return out


def without_true_glosses(text: str, st: Any) -> tuple[str, Gloss | None]:
    """`text` with every true gloss blanked out (its numbers are working, not answers) and the first false one."""
    glosses = number_glosses(text, st)
    for g in glosses:
        if g.holds():
            text = text[: g.start] + " " * (g.end - g.start) + text[g.end :]
    return text, next((g for g in glosses if not g.holds()), None)


def gloss_fault(g: Gloss) -> str:
    """Why the gloss `g` is false: "'(9 × 5)' of 36 comes to 45, not 36"."""
    if g.value is None:
        return f"{g.words!r} of {g.number} cannot be read"
    if g.relation() and abs(float(g.stated) - g.value) < 1e-9:
        return f"{g.words!r} of {g.number} does not use {g.number}"
    if g.relation():
        return f"{g.words!r} of {g.number} comes to {_plain(g.value)}, not {g.stated}"
    said = [v for v in dict.fromkeys([g.number, g.stated]) if v is not None and abs(float(v) - g.value) >= 1e-9]
    return f"{g.words!r} of {g.number} comes to {_plain(g.value)}, not {' or '.join(said)}"


def false_gloss(text: str, st: Any) -> str | None:
    """Why the first false gloss of `text` is false (`gloss_fault`), None when each holds."""
    return next((gloss_fault(g) for g in number_glosses(text, st) if not g.holds()), None)


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def expression_sum(expression: str, op: str | None) -> tuple[str | None, tuple[float, ...]]:
    """(operation, operands in order) of an expression with one kind of operation ("9 + 9 + 9 + 9" -> ("+", (9, 9, 9,
    9)), "(4 * 9)" -> ("*", (4, 9))); on a multiplication (`op` "*") a sum of two or more equal addends is the product it
    repeats ("9 + 9 + 9 + 9" -> ("*", (4, 9))); (None, ()) for an expression of mixed operations."""
    flat = " " + re.sub(r"\s*([-+*/×÷])\s*", r" \1 ", expression.replace("(", " ").replace(")", " ")) + " "
    flat = flat.replace("×", "*").replace("÷", "/")
    ops = set(re.findall(r"(?<=\s)[-+*/](?=\s)", flat))
    numbers = tuple(float(n) for n in re.findall(r"(?<![\d.])-?\d+(?:\.\d+)?", flat))
    if len(ops) != 1:
        return None, ()
    kind = ops.pop()
    if op == "*" and kind == "+" and len(numbers) > 1 and len(set(numbers)) == 1:
        return "*", (float(len(numbers)), numbers[0])
    return kind, numbers


def other_operand_gloss(text: str, row: dict, prompt: str, st: Any, answer: str) -> str | None:
    """The words of a gloss of the answer `answer` that sets out another sum than the row asks ("(6 + 6)" after 12 asked
    7 + 5, "(77 + 6 = 83)" after 6 asked 84 - 78) or names numbers it never gave ("(3 + 3)" after 6 asked 84 - 78), None
    when each gloss of it names the row's operands or another operation (`text` with number words as digits)."""
    asked = asked_sum(row, prompt)
    if asked is None:
        return None
    allowed = derived_numbers(asked, [], float(answer))
    for g in number_glosses(text, st):
        if g.number != answer:
            continue
        kind, said = expression_sum(g.expression, asked[0])
        value = float(g.stated) if g.relation() else float(answer)
        if said and (foreign_numbers(said, kind, value, asked, float(answer), allowed)
                     or (not g.relation() and other_sum(said, kind, asked, text))):
            return g.words
    return None


# an expression of two numbers or more with signs, and a lone number, on either side of the one "=" of an answer
_SIDE = r"\(?-?\d+(?:\.\d+)?\)?(?:[ \t]*[-+*/×÷][ \t]*\(?-?\d+(?:\.\d+)?\)?)+"
_ANSWER_EQUATIONS = (re.compile(rf"(?<![\d.,])(?P<expr>{_SIDE})[ \t]*=[ \t]*(?P<n>-?\d+(?:\.\d+)?)(?![\d.,]*\d)"),
                     re.compile(rf"(?<![\d.,])(?P<n>-?\d+(?:\.\d+)?)[ \t]*=[ \t]*(?P<expr>{_SIDE})(?![\d.,]*\d)"))


def other_operand_equation(signed: str, row: dict, prompt: str, answer: str) -> str | None:
    """The equation of an answer that states it alone ("6 × 6 = 36", "36 = 6 × 6", "six 6s make 36" asked 9 × 4) when it
    sets out another sum than the row asks, as its gloss would; `signed` is the answer's text with its worded sums
    written with signs and "=" (`worded_groups`, `worded_steps`). An answer with more than one "=" shows steps ("7 + 3 =
    10, 10 + 2 = 12"), which the working checks judge."""
    asked = asked_sum(row, prompt)
    if asked is None or signed.count("=") != 1:
        return None
    for pattern in _ANSWER_EQUATIONS:
        m = pattern.search(signed)
        if m is None or parse_number(m.group("n")) != answer:
            continue
        kind, said = expression_sum(m.group("expr"), asked[0])
        if said and other_sum(said, kind, asked, signed):
            return m.group(0)
    return None
