"""Conversation columns held as JSON text: a CSV cell cannot hold a list, so a CSV of TRL rows (or a parquet file
written from one) gives `messages` as the string '[{"role": "user", ...}]'. Such a cell is decoded to the list it
spells, before any format reads the record; one that only looks like a list is refused naming the column and why
(`row_formats.yaml`, `json_encoded_columns`)."""

from __future__ import annotations

import ast
import json
from typing import Any

from ..utils.errors import PicochatInputError
from .row_format_spec import format_spec


def decode_message_columns(record: dict, *, path: Any, line: int | None) -> dict:
    """The record with each conversation column that holds a JSON-encoded message list decoded; other records are
    returned as given (the same object)."""
    spec = format_spec()["json_encoded_columns"]
    decoded = {}
    for column in (*spec["lists"], *spec["text_or_lists"]):
        value = record.get(column)
        if isinstance(value, str):
            messages = _decoded(value, list_only=column in spec["lists"], path=path, line=line, field=column)
            if messages is not None:
                decoded[column] = messages
    return {**record, **decoded} if decoded else record


def _decoded(text: str, *, list_only: bool, path: Any, line: int | None, field: str) -> list | None:
    stripped = text.strip()
    if not (stripped.startswith("[") and stripped.endswith("]")):
        if list_only:
            raise PicochatInputError("expected a non-empty list of messages, got a string that is not a JSON list of them",
                                     path=path, line=line, field=field)
        return None
    try:
        value = json.loads(stripped)
    except (json.JSONDecodeError, RecursionError):
        value = None
    if _holds_messages(value, list_only):
        return value
    if _holds_messages(_python_literal(stripped), False):
        raise PicochatInputError("holds a message list written with Python's str() (single quotes), not JSON; write "
                                 "the column with json.dumps", path=path, line=line, field=field)
    if list_only:
        raise PicochatInputError("expected a non-empty list of messages, got a string that is not a JSON list of message objects",
                                 path=path, line=line, field=field)
    return None


def _holds_messages(value: Any, any_objects: bool) -> bool:
    """A non-empty list of objects; in a column that also takes text, objects with a `role` or `from` key."""
    keys = format_spec()["json_encoded_columns"]["message_keys"]
    return (isinstance(value, list) and bool(value) and all(isinstance(m, dict) for m in value)
            and (any_objects or all(any(k in m for k in keys) for m in value)))


def _python_literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
