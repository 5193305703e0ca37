"""Worked arithmetic steps that lean on a number stated before them, judged for truth.

- an expression restated as another ("9 * 4 means 9 + 9 + 9 + 9 + 9"): both sides must have the same value, so a
  product told as the wrong number of addends is false;
- a result named as another number right after it ("7 - 1 = 6. That is 7.", "= 6, which is 7"): "that" is the result;
- a step that goes on from the result just before it: the carry added to a column's sum ("6 + 7 = 13, plus the carry is
  11"), a scaling ("2 * 9 = 18, doubled is 38") and a number more or less ("868 + 70 = 938, then 3 more is 942");
- a list that counts in multiples ("9, 18, 27, 35, 36" on 4 * 9, "Multiples of 9: 9, 18, 27, 35"): each term must be
  the next multiple;
- a number split into two parts ("73 is 70 and 3") is read as their sum (`split_sums`), so it is judged as "73 = 70 + 3"
  rather than as the false bare equality "73 = 70".

The words are data (`chained_steps.yaml`). `text` arguments are the reply with number words as digits and worded
equalities written with "=" (`worded_steps.as_equations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.yaml_text import load_yaml_text
from .equations import evaluate, place_values

__all__ = ["false_chained_step", "false_multiples", "false_restatement", "split_sums"]

CHAINED_YAML = Path(__file__).with_name("chained_steps.yaml")
_NUM = r"-?\d+(?:\.\d+)?"
_EXPR = rf"{_NUM}(?:[ \t]*[-+*×x/÷][ \t]*{_NUM})+"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(words, key=len, reverse=True)) or "(?!)"


@dataclass(frozen=True)
class _Grammar:
    restatement: re.Pattern
    scaled: re.Pattern
    scalings: dict[str, float]
    more_less: re.Pattern
    less: frozenset[str]
    carry: re.Pattern
    headings: list[re.Pattern]
    renamed: re.Pattern


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    data = load_yaml_text(CHAINED_YAML.read_text(encoding="utf-8"))
    said = _alt(data["result_words"])
    # the result a step goes on from: after "=" or a result word, parted from the step by a comma, "and" or "then"
    before = rf"(?:=|\b(?:{said}))[ \t]*(?P<prev>{_NUM})(?![\d.]*\d)[ \t]*(?:,[ \t]*|[ \t]+(?=and\b|then\b))(?:(?:and|then)[ \t]+){{0,2}}"
    scalings = {k.lower(): float(v) for k, v in data["scalings"].items()}
    return _Grammar(
        restatement=re.compile(rf"(?<![\w.,])(?P<left>{_EXPR})[ \t]+(?:{_alt(data['restating_verbs'])})[ \t]+(?P<right>{_EXPR})"
                               rf"(?![ \t]*[-+*×x/÷]?[ \t]*\d)", re.IGNORECASE),
        scaled=re.compile(rf"(?:{before}(?:it[ \t]+)?|(?<![\w.,])(?P<num>{_NUM})[ \t]+)(?P<how>{_alt(list(scalings))})[ \t]+(?:{said})[ \t]+(?P<got>{_NUM})(?![\d.]*\d)",
                          re.IGNORECASE),
        scalings=scalings,
        more_less=re.compile(rf"{before}(?P<n>{_NUM})[ \t]+(?P<how>{_alt(data['more_words'] + data['less_words'])})[ \t]+"
                             rf"(?:{said})[ \t]+(?P<got>{_NUM})(?![\d.]*\d)", re.IGNORECASE),
        less=frozenset(w.lower() for w in data["less_words"]),
        carry=re.compile(rf"{before}(?:{_alt(data['carry_adders'])})[ \t]+(?:(?:{_alt(data['carry_words'])})"
                         rf"(?:[ \t]+(?:of[ \t]+)?(?P<c>\d+))?|(?P<c2>\d+)[ \t]+carried)[ \t]*,?[ \t]+"
                         rf"(?:(?:{_alt(data['carry_fillers'])})[ \t]+)?(?:{said})[ \t]+(?P<got>{_NUM})(?![\d.]*\d)", re.IGNORECASE),
        headings=[re.compile(r"(?<![\w.])" + re.escape(h).replace(r"\{n\}", r"(?P<n>\d+)").replace(r"\ ", r"[ \t]+")
                             + rf"[ \t]*(?::|are|is)[ \t]*(?P<terms>{_LIST})", re.IGNORECASE) for h in data["multiples_headings"]],
        # "= 6 = 7." is how `worded_steps.as_equations` writes "= 6, which is 7."
        renamed=re.compile(rf"(?:=|\b(?:{said}))[ \t]*(?P<prev>{_NUM})(?![\d.]*\d)[ \t]*(?:=|[.,;:!]?\s*"
                           rf"(?:(?:{_alt(data['renaming_fillers'])})\b[ \t]*,?[ \t]*)*(?:{_alt(data['renaming_phrases'])}))[ \t]*,?[ \t]*"
                           rf"(?P<got>{_NUM})(?![\d.]*\d)[ \t]*(?=[.!?;\n]|$)", re.IGNORECASE),
    )


# a list of numbers parted by commas, the last maybe after "and" ("9, 18, 27 and 36")
_LIST = r"\d+(?:[ \t]*,[ \t]*(?:and[ \t]+)?\d+|[ \t]+and[ \t]+\d+)+"


def false_restatement(text: str) -> str | None:
    """An expression restated as another of a different value ("9 * 4 means 9 + 9 + 9 + 9 + 9")."""
    for m in _grammar().restatement.finditer(text):
        left, right = evaluate(m.group("left")), evaluate(m.group("right"))
        if left is not None and right is not None and abs(left - right) > 1e-9:
            return m.group(0)
    return None


def _carried(text: str, end: int, said: str | None) -> float:
    if said:
        return float(said)
    stated = re.findall(r"\bcarr(?:y|ied|ying)[ \t]+(?:a[ \t]+|the[ \t]+)?(\d+)", text[:end], re.IGNORECASE)
    return float(stated[-1]) if stated else 1.0


def _renamed(prev: str, got: str) -> bool:
    """Whether "that is <got>" right after the result <prev> names it as another number: not when they are equal, one
    is the other's place value ("= 5. That is 50.", "= 50. That is 5.") or the result is rounded ("= 3.33. That is 3.")."""
    a, b = float(prev), float(got)
    return a != b and "." not in prev and not place_values(a, b)


def false_chained_step(text: str) -> str | None:
    """A step that goes on from the result just before it and states the wrong value: "= 13, plus the carry is 11",
    "= 18, doubled is 38", "938, then 3 more is 942", "7 - 1 = 6. That is 7." (the result named as another number)."""
    g = _grammar()
    for m in g.renamed.finditer(text):
        if _renamed(m.group("prev"), m.group("got")):
            return m.group(0).strip()
    for m in g.carry.finditer(text):
        if float(m.group("prev")) + _carried(text, m.start(), m.group("c") or m.group("c2")) != float(m.group("got")):
            return m.group(0).strip()
    for m in g.scaled.finditer(text):
        if float(m.group("prev") or m.group("num")) * g.scalings[re.sub(r"\s+", " ", m.group("how").lower())] != float(m.group("got")):
            return m.group(0).strip()
    for m in g.more_less.finditer(text):
        sign = -1.0 if m.group("how").lower() in g.less else 1.0
        if float(m.group("prev")) + sign * float(m.group("n")) != float(m.group("got")):
            return m.group(0).strip()
    return None


# a bare list standing as its own clause: at the start of a line or after a colon, ending its clause
_BARE_LIST = re.compile(rf"(?:^|(?<=[\n:]))[ \t]*(?P<terms>{_LIST})(?=[ \t]*(?:[.;\n]|$|so\b|then\b))", re.IGNORECASE)


def false_multiples(text: str, factors: tuple[float, float] | None) -> str | None:
    """A list that counts in multiples with a term that is not the next multiple: headed by the number it counts in
    ("Multiples of 9: 9, 18, 27, 35"), or, on a multiplication (`factors`), a bare list whose first term is a factor and
    whose second is twice it ("9, 18, 27, 35, 36")."""
    for pattern in _grammar().headings:
        for m in pattern.finditer(text):
            if not _multiples(_terms(m.group("terms")), int(m.group("n"))):
                return m.group(0).strip()
    if factors is None:
        return None
    for m in _BARE_LIST.finditer(text):
        terms = _terms(m.group("terms"))
        step = terms[0]
        if len(terms) >= 3 and step in factors and step != 0 and terms[1] == 2 * step and not _multiples(terms, step):
            return m.group("terms")
    return None


def _terms(text: str) -> list[int]:
    return [int(t) for t in re.findall(r"\d+", text)]


def _multiples(terms: list[int], step: int) -> bool:
    """Whether `terms` are `step`'s multiples in order, from `step` (or from 0)."""
    start = 0 if terms and terms[0] == 0 else 1
    return terms == [step * (i + start) for i in range(len(terms))]


# a number split into two parts: "73 = 70 and 3" ending its clause
_SPLIT = re.compile(r"(?<=\d)([ \t]*=[ \t]*)(\d+)[ \t]+and[ \t]+(\d+)(?=[ \t]*(?:[.;,\n]|$))")


def split_sums(text: str) -> str:
    """`text` with a number's two parts after "=" written as their sum ("73 = 70 and 3" -> "73 = 70 + 3")."""
    return _SPLIT.sub(lambda m: f"{m.group(1)}{m.group(2)} + {m.group(3)}", text)
