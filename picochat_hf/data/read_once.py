"""Read each rows file once within a scope: `with shared_row_reads(): ...`.

The release gate re-derives several reports from the same SFT rows file (the train and held-out fits, each
re-judged and regenerated, and the re-scan): parsing and validating a 20k-row file takes seconds each time.
Inside the scope `read_rows` keeps what it parsed, keyed by the file's path, bytes (sha256) and read options,
and returns the same list on the next read of those bytes. Callers inside the scope must treat the rows as
read-only; outside a scope nothing is kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_SHARED: ContextVar[dict | None] = ContextVar("picochat_shared_row_reads", default=None)


@contextmanager
def shared_row_reads() -> Iterator[None]:
    """Within the block, a rows file read twice with the same bytes and options is parsed once."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def read_shared(path: str | Path, options: tuple, read: Callable[[], list[dict]]) -> list[dict]:
    """`read()`'s rows, or those of an earlier read of the same bytes and options in the active scope."""
    cache = _SHARED.get()
    p = Path(path)
    if cache is None or not p.is_file():
        return read()
    with p.open("rb") as fh:
        key = (str(p.resolve()), hashlib.file_digest(fh, "sha256").hexdigest(), options)
    if key not in cache:
        cache[key] = read()
    return cache[key]
