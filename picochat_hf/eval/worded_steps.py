"""Arithmetic steps written in words, read so the working checks can judge them.

- Equalities in words ("So 3 is 5.", "43 + 44 makes 88", "43 plus 44 is 88", `working_equality_words`) and operations
  told as instructions ("Add 40 and 40 to get 90.", "Subtract 8 from 14 to get 7.") are rewritten with signs and "="
  (`as_equations`), for `false_working.false_equality` and `answers.false_equation`; so are a result told after "which
  is" ("91 minus 30, which is 62") and a step that goes on from the result before it ("= 60, plus 6 is 67").

The operands a reply restates when it sets out the sum are `restated_sums`' to judge.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["as_equations"]

# Operator words read as their signs between two numbers ("43 plus 44 is 88"); "added to" and "subtracted from" put the
# operands the other way round and are left alone.
_OPERATOR_SIGNS = {"plus": "+", "minus": "-", "times": "*", "multiplied by": "*", "divided by": "/", "take away": "-",
                   "add": "+", "take": "-"}
_N = r"(\d+(?:\.\d+)?)"
_GIVES = r"\s*,?\s*(?:to\s+get|to\s+make|gives|makes|leaves|equals|is|=)\s+"
# An instruction with its result: (pattern, how the signs are written from its three numbers).
_INSTRUCTIONS = [
    (re.compile(rf"\badd(?:ing)?\s+{_N}\s+(?:and|to)\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{0} + {1} = {2}"),
    (re.compile(rf"\bsubtract(?:ing)?\s+{_N}\s+from\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{1} - {0} = {2}"),
    (re.compile(rf"\btake(?:ing)?\s+{_N}\s+(?:away\s+)?from\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{1} - {0} = {2}"),
    (re.compile(rf"\bmultiply(?:ing)?\s+{_N}\s+(?:by|and)\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{0} * {1} = {2}"),
    # a result named by its operation ("The sum of 2 and 2 is 5", "the difference between 78 and 84 is 6")
    (re.compile(rf"\b(?:sum|total)\s+of\s+{_N}\s+and\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{0} + {1} = {2}"),
    (re.compile(rf"\bproduct\s+of\s+{_N}\s+and\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{0} * {1} = {2}"),
    (re.compile(rf"\bdifference\s+(?:of|between)\s+{_N}\s+and\s+{_N}{_GIVES}{_N}(?![\d.]\d)", re.IGNORECASE), "{big} - {small} = {2}"),
]


# Words after a number that compare it with another rather than state it ("3 less than 230", "2 times as many")
_COMPARED = r"(?:(?:more|less|fewer|greater|smaller|bigger|larger|higher|lower)\s+than|times\s+as)\b"
# Place-value nouns after a number make it a part of another number ("4 tens plus 3 ones is 43"), not a count
_PLACE_NOUNS = r"(?:ones?|tens?|hundreds?|thousands?|dozens?)\b"


def _without_nouns(text: str, signs: str, equality: list[str]) -> str:
    """`text` with the counted nouns dropped from a worded sum with its result ("67 cookies minus 47 cookies leaves 19
    cookies" -> "67 minus 47 leaves 19 cookies"), so it is read as an equation; place-value nouns are left."""
    verbs = [*equality, "leaves", "leave"]  # "leaves" states a result only after an operation, here
    said = "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(verbs, key=len, reverse=True))
    noun = rf"(?:[ \t]+(?!{_PLACE_NOUNS})(?!(?:{signs}|{said})\b)[a-z]+)?"
    pattern = re.compile(rf"(?<![\w.,])(\d+(?:\.\d+)?){noun}[ \t]+({signs})[ \t]+(\d+(?:\.\d+)?){noun}[ \t]+({said})[ \t]+(?=-?\d)",
                         re.IGNORECASE)
    return pattern.sub(lambda m: f"{m.group(1)} {m.group(2)} {m.group(3)} = ", text)


def _ordered(x: str, y: str) -> dict[str, str]:
    """The two numbers of a difference, larger first: "the difference between 78 and 84" is 84 - 78."""
    small, big = sorted((x, y), key=float)
    return {"big": big, "small": small}


def as_equations(reply: str, st: Any) -> str:
    """`reply` with equalities in words written with "=" ("So 3 is 5." -> "So 3 = 5.", "43 + 44 makes 88" -> "43 + 44 =
    88"), operator words between numbers as signs ("43 plus 44" -> "43 + 44"), an arrow as "=" ("43 + 44 → 88") and instructions with a result as the sum
    they state ("Add 40 and 40 to get 90" -> "40 + 40 = 90", "The sum of 2 and 2 is 5" -> "The 2 + 2 = 5"); a word between numbers only, so "2 is less than 6" and
    "the answer is 87" stay as they are."""
    text = reply
    for pattern, form in _INSTRUCTIONS:
        text = pattern.sub(lambda m, form=form: form.format(*m.groups(), **_ordered(m.group(1), m.group(2))), text)
    signs = "|".join(re.escape(w) for w in sorted(_OPERATOR_SIGNS, key=len, reverse=True))
    text = _without_nouns(text, signs, getattr(st, "working_equality_words", []))
    text = re.sub(rf"(?<=\d)[ \t]+({signs})[ \t]+(?=-?\d)", lambda m: f" {_OPERATOR_SIGNS[m.group(1).lower()]} ", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d)[ \t]*(?:→|->|=>|⇒)[ \t]*(?=-?\d)", " = ", text)  # "43 + 44 → 88"
    words = sorted(getattr(st, "working_equality_words", []), key=len, reverse=True)
    if not words:
        return text
    alternation = "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in words)
    # "91 - 30, which is 62": the result of the sum before it
    text = re.sub(rf"(?<=\d)[ \t]*,?[ \t]+(?:which|that)[ \t]+(?:{alternation})[ \t]+(?=-?\d)", " = ", text, flags=re.IGNORECASE)
    # a number that a comparison goes on from is no side of an equality ("227 is 3 less than 230")
    text = re.sub(rf"(?<=\d)[ \t]+(?:{alternation})[ \t]+(?=-?\d)(?!-?[\d.,]+[ \t]+{_COMPARED})", " = ", text, flags=re.IGNORECASE)
    return _running_totals(text)


# A step that goes on from the result before it: "6 * 10 = 60, plus 6 = 67" adds 6 to 60
# (a comma, "and" or "then" parts it from that result; "= 60 + 6 = 66" is one expression)
_RUNNING = re.compile(r"(=[ \t]*(-?\d+(?:\.\d+)?))([ \t]*(?:,[ \t]*(?:(?:and|then)[ \t]+){0,2}|[ \t]+(?:(?:and|then)[ \t]+){1,2}))"
                      r"(plus|minus|times|[-+*])[ \t]+"
                      r"(?=\d+(?:\.\d+)?[ \t]*=[ \t]*-?\d)", re.IGNORECASE)


def _running_totals(text: str) -> str:
    """`text` with a step that goes on from the result before it ("= 60, plus 6 = 67") written with that result ("= 60,
    60 + 6 = 67"), so the step is judged as the sum it states."""
    signs = {"plus": "+", "minus": "-", "times": "*"}
    return _RUNNING.sub(lambda m: f"{m.group(1)}{m.group(3) or ' '}{m.group(2)} {signs.get(m.group(4).lower(), m.group(4))} ", text)
