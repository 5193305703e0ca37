"""Where a JSON text names a key twice in one object.

`json`'s `object_pairs_hook` sees an object's pairs without their positions, so a reader that refuses a repeated key
(`data.schema.unique_keys`) could name the file but not the line. This walks the text once more, only after that
refusal, to find the repeat: strings are skipped whole (a brace or comma inside one is text), keys are compared
decoded (`"\\u0061"` and `"a"` are the same key, as `json` reads them), and each object has its own keys, so the same
key in a nested object or in the next array element is no repeat.
"""

from __future__ import annotations

import json


def _string_end(text: str, start: int) -> int:
    """The position after the JSON string literal whose opening quote is at `start`."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        i += 1
    return len(text)


def first_repeated_key(text: str, start: int = 0) -> tuple[str, int] | None:
    """(key, 0-based position of its second occurrence) of the first key, in text order, that one object of the JSON
    value at `text[start:]` names twice; None when every object's keys are distinct. The value need not end the text
    (an element of a larger array): the walk stops where its outermost object or array closes."""
    frames: list[set[str] | None] = []  # one per open container: an object's keys so far, None for an array
    expect_key = False
    i = start
    while i < len(text):
        char = text[i]
        if char == '"':
            end = _string_end(text, i)
            if expect_key and frames and frames[-1] is not None:
                key = json.loads(text[i:end])
                if key in frames[-1]:
                    return key, i
                frames[-1].add(key)
                expect_key = False
            i = end
            continue
        if char in "{[":
            frames.append(set() if char == "{" else None)
            expect_key = char == "{"
        elif char in "}]":
            frames.pop()
            if not frames:
                return None
            expect_key = False
        elif char == ",":
            expect_key = bool(frames) and frames[-1] is not None
        i += 1
    return None


def repeated_key_line(text: str, start: int = 0) -> tuple[str, int] | None:
    """(key, 1-based line) of the first repeated key of the JSON value at `text[start:]` (see `first_repeated_key`)."""
    found = first_repeated_key(text, start)
    if found is None:
        return None
    key, pos = found
    return key, text.count("\n", 0, pos) + 1
