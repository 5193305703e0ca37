"""The one error type for bad user input.

Every reader raises `PicochatInputError` with the file, line and field that are wrong; the CLI turns it
into a single line on stderr and exit code 2, so a user never has to read a traceback to fix a typo.
"""

from __future__ import annotations

from pathlib import Path


class PicochatInputError(ValueError):
    """Bad input: names the file, the (1-based) line and the field when they are known."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None, field: str | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.reason = message
        where = []
        if self.path is not None:
            where.append(self.path if line is None else f"{self.path}:{line}")
        if field is not None:
            where.append(f"field '{field}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)
