"""Amounts in a choice reply's claims and in option texts, and whether two of them are equal (data: `choice_claims.yaml`).

An amount is one or more parts, each a number and a unit: "48 months", "48" in a row that counts in months, or a
compound written largest unit first ("1 year 6 months", "1 hour and 30 minutes", "2 kg 500 g", "1 year, 6 months") whose
every later part is less than one of the part before it (so "3 years, 36 months" restates an amount and is no compound).

Units join in two ways:

- exactly, by the task pack's unit table (`data.skills.choice.UNITS`: 60 minutes are an hour, 12 months a year);
- approximately, by `approximate_units` in the YAML, for units the table leaves apart because no fixed number joins
  them: a month is 28 to 31 days, a year 365 or 366 days (or 52 weeks, the common reading).

Two amounts are equal (True) when they are the same under every reading, unequal (False) when they differ under every
reading, and not judged (None) when one reading makes them equal and another does not: "12 months is 365 days" holds
in a common year and not in a leap year, "24 months is 700 days" holds if a month is read as 29 1/6 days (each month
of a run counts as 28 to 31 days, which is wider than any run of real months: the check only errs toward not judging).
Units of two dimensions (months and kilograms) never name one amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
Part = tuple[float, "str | None"]
Parts = tuple[Part, ...]


@dataclass(frozen=True)
class Bridge:
    """One of `unit` is between `low` and `high` of `into` under the readings the YAML allows."""

    unit: str
    into: str
    low: float
    high: float


@lru_cache(maxsize=1)
def unit_scales() -> dict[str, tuple[str, float]]:
    """Each unit of the pack's table (and "letters"): (the unit its conversions are counted in, how many of it one is)."""
    from ..data.skills.choice import UNITS

    scales: dict[str, tuple[str, float]] = {"letters": ("letters", 1.0)}
    while len(scales) < len({u for small, big, _ in UNITS for u in (small, big)}) + 1:
        grown = False
        for small, big, factor in UNITS:  # extend the units met so far through each conversion
            if small in scales and big not in scales:
                scales[big] = (scales[small][0], scales[small][1] * factor)
                grown = True
            elif big in scales and small not in scales:
                scales[small] = (scales[big][0], scales[big][1] / factor)
                grown = True
        if not grown:  # a unit joined to none met so far counts in itself
            small = next(small for small, _, _ in UNITS if small not in scales)
            scales[small] = (small, 1.0)
    return scales


def _words():  # the claim words (`choice_claims.claim_words`), imported late: that module imports this one
    from .choice_claims import claim_words

    return claim_words()


def unit_name(word: str) -> str | None:
    """The pack's name of a unit word ("year", "yrs", "metres" -> "years", "years", "meters"), None for other words."""
    word = word.lower()
    word = _words().unit_aliases.get(word, word)
    for name in (word, word + "s"):
        if name in unit_scales():
            return name
    return None


@lru_cache(maxsize=1)
def units_pattern() -> str:
    names = set(unit_scales()) | {n[:-1] for n in unit_scales()} | set(_words().unit_aliases)
    return r"(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![A-Za-z0-9])"


def number_value(word: str) -> float | None:
    if re.fullmatch(NUMBER, word):
        return float(word.replace(",", ""))
    value = _words().number_words.get(word.lower())
    return None if value is None else float(value)


@lru_cache(maxsize=1)
def bridges() -> tuple[Bridge, ...]:
    """`approximate_units` of the YAML: [unit, into, low, high] rows between units of one dimension the table leaves apart."""
    from .choice_claims import CLAIMS_YAML

    rows = (load_yaml_text(CLAIMS_YAML.read_text(encoding="utf-8")) or {}).get("approximate_units")
    if not isinstance(rows, list):
        raise PicochatInputError("expected a list of [unit, into, low, high] rows", path=str(CLAIMS_YAML), field="approximate_units")
    out = []
    for k, row in enumerate(rows):
        ok = isinstance(row, list) and len(row) == 4 and all(isinstance(x, str) for x in row[:2])
        ok = ok and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in row[2:]) and 0 < row[2] <= row[3]
        unit, into = (unit_name(row[0]), unit_name(row[1])) if ok else (None, None)
        if unit is None or into is None or unit_scales()[unit][0] == unit_scales()[into][0]:
            raise PicochatInputError("expected [unit, into, low, high]: two units of the pack's table the table does not join, "
                                     "0 < low <= high", path=str(CLAIMS_YAML), field=f"approximate_units[{k}]")
        out.append(Bridge(unit, into, float(row[2]), float(row[3])))
    return tuple(out)


def _dimension(parts: Parts) -> str | None:
    dims = _words().unit_dimensions
    found = {dims.get(u, u) for _, u in parts if u is not None}
    return found.pop() if len(found) == 1 else None


def _interval(parts: Parts, base: str) -> tuple[float, float] | None:
    """The amount counted in `base` (a base unit of the pack's table): (least, most) over the readings; None when a part
    cannot be counted there."""
    low = high = 0.0
    for value, unit in parts:
        if unit is None:
            return None
        own, scale = unit_scales()[unit]
        if own == base:
            low, high = low + value * scale, high + value * scale
            continue
        joins = [b for b in bridges() if unit_scales()[b.unit][0] == own and unit_scales()[b.into][0] == base]
        joins = [b for b in joins if b.unit == unit] or joins  # the unit's own reading before one through its table
        if not joins:
            return None
        spans = [value * scale / unit_scales()[b.unit][1] * unit_scales()[b.into][1] for b in joins]
        low += min(n * b.low for n, b in zip(spans, joins))
        high += max(n * b.high for n, b in zip(spans, joins))
    return low, high


def _parts(amount: Part | Parts) -> Parts:
    return (amount,) if amount and not isinstance(amount[0], tuple) else amount  # type: ignore[return-value]


def same_amount(a: Part | Parts, b: Part | Parts) -> bool | None:
    """Whether two amounts (a (number, unit) pair or a compound's parts) are equal under every reading (True), under
    none (False), or under some only (None; also when their units are not joined, or one has no unit)."""
    return _compare(a, b)[1]


def joined(a: Part | Parts, b: Part | Parts) -> bool:
    """Whether the units of two amounts are joined, exactly or by readings: `same_amount`'s None then means the two
    are equal under some readings only."""
    return _compare(a, b)[0]


def exceeds(a: Part | Parts, b: Part | Parts) -> bool | None:
    """Whether amount a is larger than amount b under every reading (True), under none (False), or under some only
    (None; also when their units are not joined or are of two dimensions)."""
    spans = _spans(a, b)
    if spans is None or isinstance(spans, bool):
        return None
    (ia, ib), tol = spans, 1e-9 * max(1.0, abs(spans[0][1]), abs(spans[1][1]))
    if ia[0] > ib[1] + tol:
        return True
    return False if ia[1] <= ib[0] + tol else None


def _compare(a: Part | Parts, b: Part | Parts) -> tuple[bool, bool | None]:
    pa, pb = _parts(a), _parts(b)
    if all(u is None for _, u in pa + pb):
        return True, sum(v for v, _ in pa) == sum(v for v, _ in pb)
    spans = _spans(a, b)
    if spans is False:  # two dimensions never name one amount
        return True, False
    if spans is None or isinstance(spans, bool):
        return False, None
    (ia, ib), tol = spans, 1e-9 * max(1.0, abs(spans[0][1]), abs(spans[1][1]))
    if ia[1] < ib[0] - tol or ib[1] < ia[0] - tol:
        return True, False
    return True, (True if max(ia[1], ib[1]) - min(ia[0], ib[0]) <= tol else None)


def _spans(a: Part | Parts, b: Part | Parts) -> tuple[tuple[float, float], tuple[float, float]] | bool | None:
    """Both amounts' (least, most) counted in one base unit; False when their units are of two dimensions, None when
    they cannot be counted in one (a part with no unit, units no reading joins)."""
    pa, pb = _parts(a), _parts(b)
    if any(u is None for _, u in pa + pb):
        return None
    da, db = _dimension(pa), _dimension(pb)
    if da is None or db is None:
        return None
    if da != db:
        return False
    for base in sorted({unit_scales()[u][0] for _, u in pa + pb}):  # type: ignore[index]
        ia, ib = _interval(pa, base), _interval(pb, base)
        if ia is not None and ib is not None:
            return ia, ib
    return None


def _less_than_one(part: Part, unit: str) -> bool:
    """Whether `part` is less than one `unit` under every reading (6 months < 1 year; 30 days is not < 1 month)."""
    for base in sorted({unit_scales()[unit][0], unit_scales()[part[1]][0]}):  # type: ignore[index]
        small, big = _interval((part,), base), _interval(((1.0, unit),), base)
        if small is not None and big is not None:
            return small[1] < big[0]
    return False


@lru_cache(maxsize=1)
def _number() -> str:
    words = "|".join(re.escape(w) for w in sorted(_words().number_words, key=len, reverse=True))
    return r"(?:" + NUMBER + r"|(?:" + words + r")(?![A-Za-z]))"


@lru_cache(maxsize=1)
def amount_pattern() -> str:
    """A regex (no groups) of an amount as a claim writes it: a number and maybe a unit, or a compound of such parts,
    each with its unit, joined by nothing, "and" or a comma."""
    number = _number()
    part = number + r"[\s-]*" + units_pattern()
    return r"(?:" + part + r"(?:\s*,?\s*(?:and\s+)?" + part + r")+|" + number + r"(?:[\s-]*" + units_pattern() + r")?)"


def read_amount(text: str) -> Parts | None:
    """The parts of an amount written as `amount_pattern` matches it; None unless it names one amount (a compound of
    one dimension, largest part first, each later part under one of the part before)."""
    number = r"(" + _number() + r")"
    found = re.findall(r"(?<![\w.])" + number + r"(?:[\s-]*(" + units_pattern() + r"))?", text, re.IGNORECASE)
    parts = tuple((number_value(n), unit_name(u) if u else None) for n, u in found)
    if not parts or any(v is None for v, _ in parts) or (len(parts) > 1 and any(u is None for _, u in parts)):
        return None
    if len(parts) > 1 and (_dimension(parts) is None or not all(_less_than_one(p, q[1]) for q, p in zip(parts, parts[1:]))):  # type: ignore[arg-type]
        return None
    return parts  # type: ignore[return-value]


def read_option_amount(text: str, default_unit: str | None) -> Parts | None:
    """An option text's amount ("48 months", "1 year 6 months"; a bare "48" counts in `default_unit`), None when the
    text is no amount."""
    if not re.fullmatch(r"\s*" + amount_pattern() + r"\s*", text, re.IGNORECASE) or not re.match(r"\s*\d", text):
        return None
    parts = read_amount(text)
    if parts is None:
        return None
    return tuple((v, u if u is not None else default_unit) for v, u in parts)
