"""Quantities told in words in worked steps, rewritten as the sums they state so the equation checks can judge them.

Place values ("6 tens minus 4 tens is 2 tens", "61 is 6 tens and 1 one"), groups ("Six elevens make 72", "6 lots of 11
is 66", "11 six times is 66"), a doubled or halved number ("Twice 9 is 19", "Half of 30 is 16"), a number more or less
than another ("8 more than 7 is 15") and two numbers joined by "and" with a summing verb ("7 and 8 make 16") are each
written with signs and "=" ("6 * 10 - 4 * 10 = 2 * 10"), so `answers.false_equation` fails the false ones and the true
ones hold; so is a worded quantity on the right of an equation written with signs ("9 × 4 is four 9s" -> "9 × 4 is 4 *
9"). The words are data (`worded_groups.yaml`); the plural number words ("elevens", "sixes") come from the
scoring YAML's number words. Nothing else in the text is changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..utils.yaml_text import load_yaml_text

__all__ = ["groups_as_sums", "worded_quantity"]

GROUPS_YAML = Path(__file__).with_name("worded_groups.yaml")


@dataclass(frozen=True)
class _Grammar:
    item: re.Pattern
    join: re.Pattern
    equality: re.Pattern
    and_sum: frozenset[str]
    opener: re.Pattern
    after_expression: re.Pattern  # an expression with signs and an equality verb before a quantity ("9 × 4 is ")
    values: dict[str, float]  # number words and their values
    units: dict[str, float]  # counted nouns ("tens", "elevens") and what one of them is worth
    scales: dict[str, float]  # "twice", "half of": a factor (>0) or a divisor (<0)


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _plural(word: str) -> str:
    return word + "es" if word.endswith("x") else word[:-1] + "ies" if word.endswith("y") else word + "s"


@lru_cache(maxsize=8)
def _grammar(units_words: tuple[str, ...], tens_words: tuple[str, ...]) -> _Grammar:
    data = load_yaml_text(GROUPS_YAML.read_text(encoding="utf-8"))
    values = {w.lower(): float(k) for k, w in enumerate(units_words)}
    values |= {w.lower(): float(20 + 10 * k) for k, w in enumerate(tens_words)}
    plurals = {_plural(w): v for w, v in values.items() if v > 1}
    places = {k.lower(): float(v) for k, v in data["units"].items()}
    units = plurals | places
    scales = {k.lower(): float(v) for k, v in data["multipliers"].items()}
    scales |= {k.lower(): -float(v) for k, v in data["fractions"].items()}
    digits = _alt([w for w, v in values.items() if 1 <= v <= 9])
    word = rf"(?:(?:{_alt([w.lower() for w in tens_words])})(?:-(?:{digits}))?|{_alt(list(values))})"
    num = rf"(?:(?<![\w.,])\d+(?:\.\d+)?(?![\w]|[.,]\d)|\b{word}\b(?!-))"
    # a quantity stays on its line, and a place word that heads a label is no unit ("= 9\ntens: 9 + 3" is no "9 tens")
    item = (rf"(?:(?P<scale>\b(?:{_alt(list(scales))}))[ \t]+(?:of[ \t]+)?(?P<s>{num})"
            rf"|(?P<g1>{num})[ \t]+(?:{_alt(data['groups'])})[ \t]+(?P<g2>{num})"
            rf"|(?P<t1>{num})[ \t]*,?[ \t]+(?P<t2>{num})[ \t]+times\b"
            rf"|(?P<d1>{num})[ \t]+(?P<d2>\d+)['’]?s\b"  # "four 9s" is 4 * 9
            rf"|(?P<c1>{num})[ \t]+(?:(?P<more>{_alt(data['more_than'])})|{_alt(data['less_than'])})[ \t]+(?P<c2>{num})"
            rf"|(?P<u1>{num})[ \t]+(?P<unit>\b(?:{_alt(list(places))})\b(?![ \t]*:)|\b(?:{_alt(list(plurals))})\b)(?!\s+of\b)"
            rf"|(?P<plain>{num}))")
    equality = (rf"\s*,?\s*(?P<fill>(?:{_alt(data['and_sum_fillers'])})\s+)?"
                rf"(?P<eq>=|\b(?:{_alt(data['equality'])})\b)\s*")
    opener = rf"(?:^|[\n.:;!?(,]|\b(?:{_alt(data['statement_openers'])})\b)[\s*]*$"
    after = rf"(?<![\w.,])\d+(?:[ \t]*[-+−*/×÷x][ \t]*\d+)+[ \t]*(?:=|\b(?:{_alt(data['equality'])})\b)[ \t]*$"
    return _Grammar(re.compile(item, re.IGNORECASE), re.compile(r"\s*(?P<j>[-+−]|\bplus\b|\bminus\b|\band\b)\s*", re.IGNORECASE),
                    re.compile(equality, re.IGNORECASE), frozenset(w.lower() for w in data["and_sum_equality"]),
                    re.compile(opener, re.IGNORECASE), re.compile(after, re.IGNORECASE), values, units, scales)


def _value(token: str, g: _Grammar) -> float:
    token = token.lower()
    if token[0].isdigit():
        return float(token)
    tens, _, unit = token.partition("-")
    return g.values[tens] + (g.values[unit] if unit else 0.0)


def _number(x: float) -> str:
    return str(int(x)) if x.is_integer() else str(x)


def _expression(m: re.Match, g: _Grammar) -> tuple[str, bool]:
    """The item at `m` written with signs, and whether it is a bare number."""
    v = lambda name: _number(_value(m.group(name), g))  # noqa: E731
    if m.group("scale"):
        k = g.scales[re.sub(r"\s+", " ", m.group("scale").lower())]
        return (f"{_number(k)} * {v('s')}" if k > 0 else f"{v('s')} / {_number(-k)}"), False
    if m.group("g1"):
        return f"{v('g1')} * {v('g2')}", False
    if m.group("d1"):
        return f"{v('d1')} * {m.group('d2')}", False
    if m.group("t1"):
        return f"{v('t1')} * {v('t2')}", False
    if m.group("c1"):
        return (f"{v('c2')} + {v('c1')}" if m.group("more") else f"{v('c2')} - {v('c1')}"), False
    if m.group("u1"):
        return f"{v('u1')} * {_number(g.units[m.group('unit').lower()])}", False
    return v("plain"), True


def _chain(text: str, pos: int, g: _Grammar) -> tuple[list[str], list[bool], list[str], int] | None:
    """(expressions, whether each is bare, the joins between them, end) of the quantities joined from `pos` on; "and"
    joins two quantities with nouns ("1 ten and 9 ones"), two bare numbers, or a bare number after one with a noun ("6
    tens and 1"), never a quantity with a noun after a bare number ("9 and 5 tens")."""
    m = g.item.match(text, pos)
    if m is None:
        return None
    first, bare = _expression(m, g)
    exprs, bares, joins, end = [first], [bare], [], m.end()
    while (j := g.join.match(text, end)) and (n := g.item.match(text, j.end())):
        expr, bare = _expression(n, g)
        # "6 tens and 1" is 61, but "= 9 and 5 tens - 4 tens" starts another statement
        if j.group("j").lower() == "and" and bares[-1] and not bare:
            break
        exprs, bares, joins, end = [*exprs, expr], [*bares, bare], [*joins, j.group("j").lower()], n.end()
    return exprs, bares, joins, end


def _statement(text: str, start: int, g: _Grammar) -> tuple[str, int] | None:
    """The sum a statement from `start` states, with signs, and where it ends; None when it is no such statement."""
    left = _chain(text, start, g)
    if left is None:
        return None
    sides, worded, end, verbs = [left], not all(left[1]), left[3], []
    while (eq := g.equality.match(text, end)) and (right := _chain(text, eq.end(), g)):
        sides.append(right)
        verbs.append(re.sub(r"\s+", " ", eq.group("eq").lower()))
        worded, end = worded or not all(right[1]), right[3]
    if len(sides) < 2 or re.match(r"\s*(?:[-+−*/×÷x]\s*\d|[.,]\d)", text[end:]):
        return None
    # bare numbers joined by "and" state a sum only before a summing verb, where a statement starts ("7 and 8 make 15")
    filled = g.equality.match(text, left[3]).group("fill")
    and_sum = "and" in left[2] and (verbs[0] in g.and_sum or bool(filled))
    if not worded and not (and_sum and g.opener.search(text[:start])):
        return None
    rendered = " = ".join(" ".join(_interleave(exprs, joins)) for exprs, _, joins, _ in sides)
    return rendered, end


def _interleave(exprs: list[str], joins: list[str]) -> list[str]:
    out = [exprs[0]]
    for join, expr in zip(joins, exprs[1:]):
        out += [{"and": "+", "plus": "+", "minus": "-", "−": "-"}.get(join, join), expr]
    return out


def _right_side(text: str, start: int, g: _Grammar) -> tuple[str, int] | None:
    """The worded quantity at `start` written with signs when it is the right side of an equation whose left side is
    written with signs ("9 × 4 is four 9s" -> "9 × 4 is 4 * 9"), so the equation is judged whole; None otherwise."""
    if not g.after_expression.search(text[:start]):
        return None
    found = _chain(text, start, g)
    if found is None or all(found[1]) or re.match(r"\s*(?:[-+−*/×÷x]\s*\d|[.,]\d)", text[found[3]:]):
        return None
    return " ".join(_interleave(found[0], found[2])), found[3]


def groups_as_sums(text: str, st: Any) -> str:
    """`text` with each worded quantity statement (see the module docstring) written as the sum it states; a statement
    that goes on inside a longer expression, or a start inside another number or sum, is left as it is."""
    g = _grammar(tuple(getattr(st, "number_words_units", [])), tuple(getattr(st, "number_words_tens", [])))
    out, pos = [], 0
    for m in g.item.finditer(text):
        if m.start() < pos or re.search(r"(?:[-+−*/×÷=^]|\d)\s*$", text[: m.start()]):
            continue
        found = _statement(text, m.start(), g) or _right_side(text, m.start(), g)
        if found is None:
            continue
        out += [text[pos : m.start()], found[0]]
        pos = found[1]
    return "".join(out) + text[pos:]


def worded_quantity(text: str, pos: int, st: Any) -> tuple[str, int, bool] | None:
    """The one quantity told at `pos` ("4 9s", "4 nines", "4 groups of 9", "9 4 times", "twice 18", "5 more than 7", or a
    bare number) written with signs and bracketed when it is no bare number ("(4 * 9)"), where it ends, and whether it is
    bare; None when none starts there. Number words are read as digits first (`answers.spell_out_numbers`)."""
    g = _grammar(tuple(getattr(st, "number_words_units", [])), tuple(getattr(st, "number_words_tens", [])))
    m = g.item.match(text, pos)
    if m is None:
        return None
    expr, bare = _expression(m, g)
    return (expr if bare else f"({expr})"), m.end(), bare
