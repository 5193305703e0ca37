"""JSON numbers as the standard has them: finite.

Python's `json` reads `NaN`, `Infinity` and `-Infinity` (not JSON) and turns a number too large for a float
(`1e400`) into infinity, where `datasets`, pyarrow and most other readers refuse the file; so are integers past a
float's range (past 4300 digits Python's `int()` itself fails). A row read that way was
trained on or scored, and written back out by `json.dumps` as `NaN` or `Infinity`: a file no other tool reads. The
readers pass `STRICT_NUMBERS` to `json.loads` / `json.JSONDecoder`; `nonfinite_error` turns the refusal into the
one-line input error, with the literal's line and the field that holds it (found again only after the refusal).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import PicochatInputError
from .json_keys import _string_end

_LITERAL = re.compile(r"-?(?:NaN|Infinity)|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


class NonFiniteNumberError(ValueError):
    """A JSON text holds `NaN`, `Infinity` or a number beyond a float's range."""

    def __init__(self, literal: str):
        super().__init__(literal)
        self.literal = literal


def refuse_constant(name: str) -> float:
    raise NonFiniteNumberError(name)


def finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise NonFiniteNumberError(text)
    return value


def finite_int(text: str) -> int:
    """An integer literal within a float's range: a longer one is infinity to every reader that reads numbers as
    floats, and past 4300 digits Python's own `int()` raises a ValueError that names no file."""
    digits = len(text.lstrip("-"))
    if digits > 308 and math.isinf(float(text)):
        raise NonFiniteNumberError(f"{text[:12]}... ({digits} digits)")
    return int(text)


STRICT_NUMBERS: dict[str, Any] = {"parse_constant": refuse_constant, "parse_float": finite_float, "parse_int": finite_int}


class _Marked(float):
    """What a non-finite literal becomes in the second, locating parse."""


def _nonfinite_position(text: str, start: int) -> int | None:
    """Position of the first non-finite number literal at or after `start`, outside strings."""
    i = start
    while i < len(text):
        if text[i] == '"':
            i = _string_end(text, i)
            continue
        match = _LITERAL.match(text, i)
        if match is None:
            i += 1
            continue
        literal = match.group()
        if "N" in literal or "I" in literal or math.isinf(float(literal)):
            return i
        i = match.end()
    return None


def first_field(value: Any, test: Callable[[Any], bool], prefix: str = "") -> str | None:
    """Dotted path (`meta.x`, `messages[0].weight`) of the first leaf of a parsed JSON value that passes `test`."""
    if not isinstance(value, (dict, list)):
        return (prefix or None) if test(value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        path = f"{prefix}[{key}]" if isinstance(key, int) else (f"{prefix}.{key}" if prefix else str(key))
        found = first_field(child, test, path)
        if found is not None:
            return found
    return None


def nonfinite_field(text: str, start: int = 0) -> str | None:
    """The field of the JSON value at `text[start:]` that holds its first non-finite number, or None."""
    def mark(literal: str) -> float:
        value = float(literal.replace("NaN", "nan").replace("Infinity", "inf"))
        return _Marked(value) if not math.isfinite(value) else value

    try:
        value, _ = json.JSONDecoder(parse_constant=mark, parse_float=mark, parse_int=mark).raw_decode(text, start)
    except ValueError:
        return None
    return first_field(value, lambda leaf: isinstance(leaf, _Marked))


def nonfinite_error(exc: NonFiniteNumberError, text: str, path: str | Path, *, start: int = 0,
                    line: int | None = None) -> PicochatInputError:
    """The input error for `exc`, raised reading the JSON value at `text[start:]` of `path`: its line is `line` (a
    JSON-lines file's) or the literal's own, and its field the one holding the literal."""
    if line is None:
        at = _nonfinite_position(text, start)
        line = text.count("\n", 0, start if at is None else at) + 1
    return PicochatInputError(f"{exc.literal} is not a JSON number (JSON numbers are finite; other readers refuse "
                              f"the file)", path=path, line=line, field=nonfinite_field(text, start))
