""".json files of records: one JSON array of rows (spread over lines or on one), one object of equal-length
columns (pandas' and `datasets`' column layout), or one row's object spread over lines. Each record is numbered by
the line it starts on; a malformed file is named by the line of its fault. `readers.iter_records` picks the layout."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from .readers import check_unique_columns, open_binary


def first_char(path: Path) -> str:
    with open_binary(path) as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1].decode("ascii", errors="replace")


def _read_utf8(path: Path) -> str:
    with open_binary(path) as fh:
        raw = fh.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = raw[:exc.start]
        line = head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
        raise PicochatInputError(f"not UTF-8 text ({exc.reason})", path=path, line=line) from None


def line_at(text: str, pos: int) -> int:
    """The line number of `text[pos]`, lines ending in LF, CRLF or CR (as JSON lines files are read)."""
    return text.count("\n", 0, pos) + text.count("\r", 0, pos) - text.count("\r\n", 0, pos) + 1


def _json_text(path: Path) -> tuple[str, Any]:
    """The whole decoded text of a .json file and an error maker naming the line of a text position."""
    text = _read_utf8(path)

    def bad(msg: str, pos: int) -> PicochatInputError:
        return PicochatInputError(msg, path=path, line=line_at(text, pos))

    return text, bad


def _array_items(text: str, pos: int, bad) -> Iterator[tuple[int, Any]]:
    """(position, value) of each element of the JSON array opening at `pos`; returns the position after it."""
    from ..utils.json_keys import first_repeated_key
    from ..utils.json_numbers import STRICT_NUMBERS, NonFiniteNumberError, nonfinite_error
    from ..utils.json_strings import refuse_lone_surrogates
    from .schema import DuplicateKeyError, too_deep, unique_keys

    decoder = json.JSONDecoder(object_pairs_hook=unique_keys, **STRICT_NUMBERS)
    pos += 1
    comma: int | None = None  # the position of the ',' just passed
    while True:
        pos = _skip_space(text, pos)
        if text.startswith("]", pos):
            if comma is not None:  # `[a, ]`: no JSON reader but Python's walk here would take it; named where the ',' is
                raise bad("malformed JSON array (a trailing ',' before ']'; JSON allows none)", comma)
            return pos + 1
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise bad(f"malformed JSON ({exc.msg} at column {exc.colno})", exc.pos) from None
        except RecursionError:
            raise too_deep(bad("", pos).path, bad("", pos).line) from None
        except NonFiniteNumberError as exc:
            raise nonfinite_error(exc, text, bad("", pos).path, start=pos) from None
        except DuplicateKeyError as exc:
            found = first_repeated_key(text, pos)  # the repeat's own line, not the element's first
            err = bad("", found[1] if found else pos)
            raise PicochatInputError("this key appears twice in one object (readers disagree on which value counts)",
                                     path=err.path, line=err.line, field=found[0] if found else exc.key) from None
        if "\\u" in text[pos:end]:  # the element's line is counted only for a text that may hold an escape
            where = bad("", pos)
            refuse_lone_surrogates(obj, text[pos:end], where.path, where.line)
        yield pos, obj
        pos = _skip_space(text, end)
        comma = pos if text.startswith(",", pos) else None
        if comma is not None:
            pos += 1
        elif not text.startswith("]", pos):
            raise bad("malformed JSON array (expected ',' or ']')", pos)


def one_json_value(path: Path) -> bool:
    """Whether a JSON file is one value (an array spread over lines, or on one line), not JSON lines."""
    from .schema import decoded_lines

    if not first_line_parses(path):
        return True
    with open_binary(path) as fh:
        lines = (raw for _, raw in decoded_lines(fh, path) if raw.strip())
        next(lines, None)
        return next(lines, None) is None


def iter_json_array(path: Path, *, allow_lists: bool = False) -> Iterator[tuple[int, dict | list]]:
    text, bad = _json_text(path)
    items = _array_items(text, text.index("["), bad)
    while True:
        try:
            pos, obj = next(items)
        except StopIteration as stop:
            end = stop.value
            break
        if not isinstance(obj, (dict, list) if allow_lists else dict):
            raise bad(f"expected a JSON object, got {type(obj).__name__}", pos)
        yield line_at(text, pos), obj
    if text[_skip_space(text, end):]:
        raise bad("extra data after the JSON array", end)


def iter_json_object(path: Path) -> Iterator[tuple[int, dict]]:
    """A .json file of one object spread over lines: one record when it is a conversation (`{"messages": [{"role":
    ...}, ...], "id": ...}`, what a pretty-printed single row is), else equal-length columns (`_iter_json_columns`).
    Read as columns, a single conversation became one row per message, each refused as no list of messages."""
    text, bad = _json_text(path)
    start = text.index("{")
    items = _array_items(f"[{text[start:]}]", 0, lambda msg, pos: bad(msg, max(pos + start - 1, 0)))
    try:
        _, obj = next(items)
    except StopIteration:  # pragma: no cover - `[{...}]` always holds the object
        obj = None
    if isinstance(obj, dict) and _one_record(obj):
        for pos, _ in items:  # `{...}, {...}`: a second value after the object
            raise bad("extra data after the JSON object", pos + start - 1)
        yield line_at(text, start), obj
        return
    yield from _iter_json_columns(path)


def _one_record(obj: dict) -> bool:
    """Whether a JSON object is one conversation record rather than columns: a conversation column holds message
    objects (a column of rows holds each row's list or text), or a chat layout's column holds no list at all."""
    from .row_format_spec import format_spec

    spec = format_spec()
    chat = {*spec["json_encoded_columns"]["lists"], *spec["json_encoded_columns"]["text_or_lists"],
            *spec["alpaca"]["required"]}
    keys = spec["json_encoded_columns"]["message_keys"]
    if any(isinstance(obj.get(c), list) and any(isinstance(m, dict) and any(k in m for k in keys) for m in obj[c])
           for c in chat):
        return True
    return any(c in obj and not isinstance(obj[c], list) for c in chat)


def _iter_json_columns(path: Path) -> Iterator[tuple[int, dict]]:
    """Rows of a .json file holding one object of equal-length column lists (`{"messages": [...], "id": [...]}`,
    what `datasets` and pandas read as columns), each numbered by the line its first column's value starts on."""
    text, bad = _json_text(path)
    decoder = json.JSONDecoder()
    columns: dict[str, list] = {}
    lines: list[int] = []
    pos = _skip_space(text, text.index("{") + 1)
    while not text.startswith("}", pos):
        try:
            key, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise bad(f"malformed JSON ({exc.msg} at column {exc.colno})", exc.pos) from None
        pos = _skip_space(text, pos)
        if not isinstance(key, str) or not text.startswith(":", pos):
            raise bad("malformed JSON object (expected a key and ':')", pos)
        pos = _skip_space(text, pos + 1)
        if not text.startswith("[", pos):
            raise bad(f"column {key!r} is not a list (a .json object is read as columns of equal length)", pos)
        items = _array_items(text, pos, bad)
        values = []
        while True:
            try:
                start, obj = next(items)
            except StopIteration as stop:
                pos = _skip_space(text, stop.value)
                break
            values.append(obj)
            if not columns:
                lines.append(line_at(text, start))
        if key in columns:
            check_unique_columns([*columns, key], path, line=line_at(text, pos))
        if columns and len(values) != len(lines):
            raise bad(f"column {key!r} has {len(values)} values, column {next(iter(columns))!r} has {len(lines)}", pos)
        columns[key] = values
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
        elif not text.startswith("}", pos):
            raise bad("malformed JSON object (expected ',' or '}')", pos)
    if text[_skip_space(text, pos + 1):]:
        raise bad("extra data after the JSON object", pos + 1)
    for k, line in enumerate(lines):
        yield line, {key: values[k] for key, values in columns.items()}


def first_line_parses(path: Path) -> bool:
    """Whether the first non-blank line of a JSON file is a whole JSON value (JSON lines), not the start of one
    object spread over many lines."""
    from .schema import decoded_lines

    with open_binary(path) as fh:
        for _, raw in decoded_lines(fh, path):
            if raw.strip():
                try:
                    json.loads(raw)
                except json.JSONDecodeError:
                    return False
                except (ValueError, RecursionError):  # a whole value past Python's 4300-digit integers or its
                    return True  # nesting depth: the strict read of the lines names its line
                return True
    return True


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
