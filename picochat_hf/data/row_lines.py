"""Rows of one local data file with the line each came from, every id named once.

Replies, results, regenerated rows, split overlap and fit reports are keyed by a row's id, so a file naming one id
twice for two rows is refused (`schema.refuse_repeated_ids`); an eval file may not repeat even an exact copy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from .readers import iter_data_records
from .row_formats import normalize_row
from .schema import refuse_repeated_ids


def iter_row_lines(path: str | Path, *, split: str = "train", defaults_used: Counter | None = None,
                   check: Callable[[dict, int], None] | None = None) -> Iterator[tuple[int, dict]]:
    """(line, normalised row) of a local file; a second row under one id is refused (`schema.refuse_repeated_ids`)
    after `check(row, line)`, so a row's own fault is named before the id it shares."""
    def rows() -> Iterator[tuple[int, dict]]:
        last, nth = None, 0
        for line, record in iter_data_records(Path(path)):
            last, nth = line, (nth + 1 if line == last else 1)
            row = normalize_row(record, path=path, line=line, split=split, defaults_used=defaults_used, nth=nth)
            if row is None:  # the record's own weight 0 leaves it out of training (counted in defaults_used)
                continue
            if check is not None:
                check(row, line)
            yield line, row

    # `split` is the file's role: a training file may repeat an exact copy of a row, an eval file may not
    yield from refuse_repeated_ids(rows(), path, copies_allowed=split != "eval")
