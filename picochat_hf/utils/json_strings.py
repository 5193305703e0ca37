"""JSON strings that are Unicode text: no lone surrogate escapes.

JSON may spell a UTF-16 surrogate half on its own (`"\\ud800"`), which Python's `json` reads into a string that
cannot be written as UTF-8: a row or document holding one was accepted, then crashed the tokenizer trainer or the
writer of a task pack (`UnicodeEncodeError: surrogates not allowed`) as an internal error. The readers refuse it
with the file, line and field. Raw UTF-8 cannot hold a surrogate, so only texts with a `\\uD8..`-`\\uDF..` escape
are walked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import PicochatInputError
from .json_numbers import first_field

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _not_utf8(leaf: Any) -> bool:
    if not isinstance(leaf, str):
        return False
    try:
        leaf.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def refuse_lone_surrogates(value: Any, raw: str, path: str | Path, line: int | None) -> None:
    """Raise naming the field of `value` (parsed from the JSON text `raw`) whose string, or key, holds a lone
    surrogate."""
    if "\\u" not in raw or _SURROGATE_ESCAPE.search(raw) is None:
        return
    field = first_field(value, _not_utf8) or next((k for k in _keys(value) if _not_utf8(k)), None)
    if field is None:
        return
    # the field's path may itself hold the surrogate (a key); escaped, so the message can be printed
    field = field.encode("utf-8", "backslashreplace").decode("utf-8")
    raise PicochatInputError("holds a lone UTF-16 surrogate escape (\\ud800-\\udfff without its pair), which is no "
                             "Unicode text", path=path, line=line, field=field)


def _keys(value: Any):
    if isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _keys(child)
    elif isinstance(value, list):
        for child in value:
            yield from _keys(child)
