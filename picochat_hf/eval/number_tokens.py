"""Numbers as a reply writes them: strict parsing ("1,200" is 1200, "0,057" and "012" are malformed) and every number
mention in a text with its sign and whether it is an operand of an expression ("23 + 34 = 57": 23 and 34 are; "5 = 2 + 3":
2 and 3 are, as the lone 5 before "=" is what they come to)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NumberMention", "number_mentions", "parse_number"]

_NUM_TOKEN = re.compile(r"(?<![\w.,])[.,]?\d[\d.,]*(?<=\d)")
_VALID_NUM = re.compile(r"^(?:(?!0\d)\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?$|^\.\d+$")  # "012" has a leading zero: malformed
# A number standing alone before "=" (no operator, digit or "=" before it): the left side of "5 = 2 + 3"
_LONE_LEFT = re.compile(r"(?:^|[^-+−*/×÷=\d.,\s])\s*(?<![\w.,])\d[\d.,]*(?<=\d)\s*=\s*$")


def parse_number(token: str) -> str | None:
    """Canonical text of a strictly written number ("1,200.50" -> "1200.5"), None when malformed."""
    sign = "-" if token[:1] in "-−" else ""
    body = token.lstrip("-−+")
    if not _VALID_NUM.match(body):
        return None
    value = float(body.replace(",", ""))
    if value == 0:
        sign = ""
    if value.is_integer() and abs(value) < 1e15:
        return sign + str(int(value))
    return sign + repr(value).rstrip("0").rstrip(".")


@dataclass
class NumberMention:
    start: int
    end: int
    value: str | None  # None: malformed
    operand: bool


def number_mentions(text: str, operator_words: list[str], negative_words: list[str]) -> list[NumberMention]:
    """Every number written in `text`, with its sign, value and whether it is an expression operand."""
    out = []
    ops = "|".join(re.escape(w.lower()) for w in operator_words) or "(?!)"
    negs = r"\b(?:" + ("|".join(re.escape(w.lower()) for w in negative_words) or "(?!)") + ")"
    for m in _NUM_TOKEN.finditer(text):
        start, token = m.start(), m.group(0)
        before = text[:start]
        # a minus is binary after an operand ("12 - 5", "(3)-1") or inside a hyphenated word ("F-16"), else a sign ("is -12")
        if before.endswith(("-", "−")) and not re.search(r"(?:[\d)]\s*|[A-Za-z_])[-−]$", before):
            start -= 1
            token = "-" + token
        prev = text[:start].lower()
        after = text[m.end():].lower()
        # an operator word may have the counted noun before it ("91 grapes minus 30 is 61")
        follows_op = re.search(r"\d(?:\s*[+\-−*/×÷x]|(?:\s+[a-z]+)?\s*(?:" + ops + r"))\s*$", prev) is not None
        before_op = re.match(r"(?:\s*[+\-−*/×÷x]|(?:\s+[a-z]+)?\s*(?:" + ops + r"))\s*[-−]?\d", after) is not None
        # the result after "=" is a candidate; a lone number before "=" makes what follows it an expression ("5 = 2 + 3")
        after_equals = prev.rstrip().endswith("=") and not _LONE_LEFT.search(prev)
        value = parse_number(token.replace("−", "-"))
        if value is not None and not token.startswith("-") and not follows_op and re.search(negs + r"\s*$", prev):
            value = parse_number("-" + token)  # "minus 12", "negative 12" with no operand before
        out.append(NumberMention(start, m.end(), value, operand=(follows_op or before_op) and not after_equals))
    return out
