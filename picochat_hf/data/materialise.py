"""Write a named dataset's split to a local JSONL file, so every later step (eval, preflight, scan, gates)
reads and hashes one plain file.

`materialise_rows` iterates the split once (streamed datasets stay streamed: memory is bounded by one row),
normalises each record (`row_formats.normalize_row`, so errors name `dataset[split]` and the row), writes the
rows atomically to `<dest_dir>/<file_name>` and, beside it, `<stem>.provenance.json`: the dataset name, config,
split, the `datasets` fingerprint (save_to_disk folders) when known, the row count, the file's sha256 and the
sha256 of its conversations alone. A split whose conversations equal those of another split of the same dataset
written beside it (a single data file read as `train` and as `test`) is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_json, default_mode
from .datasets_source import iter_dataset_rows


def dataset_fingerprint(dataset_name: str, split: str) -> str | None:
    """The `_fingerprint` that `save_to_disk` recorded for `split` (or for a single saved Dataset); else None."""
    path = Path(dataset_name)
    for state in (path / split / "state.json", path / "state.json"):
        if state.is_file():
            with contextlib.suppress(OSError, ValueError):
                return json.loads(state.read_text(encoding="utf-8")).get("_fingerprint")
    return None


def materialise_rows(dataset_name: str, dest_dir: Path, file_name: str, *, config: str | None = None, split: str = "train",
                     streaming: bool = False, row_split: str = "train", split_field: str = "dataset_train_split",
                     max_rows: int | None = None, check: Callable[..., None] | None = None) -> dict[str, Any]:
    """Write the split's normalised rows to `dest_dir/file_name` (atomic); return (and write) the provenance.
    `check(row, path=..., line=...)` (e.g. the eval scoring-rule check) runs on every row; its errors name the dataset."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / file_name
    defaults: Counter = Counter()
    digest, conversations = hashlib.sha256(), hashlib.sha256()  # the file; its conversations alone (split-free)
    n = 0
    fd, tmp = tempfile.mkstemp(prefix=f".{file_name}.", suffix=".tmp", dir=dest_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            rows = iter_dataset_rows(dataset_name, config=config, split=split, streaming=streaming, row_split=row_split,
                                     split_field=split_field, defaults_used=defaults)
            for row in rows:
                if max_rows is not None and n >= max_rows:
                    break
                if check is not None:
                    check(row, path=f"{dataset_name}[{split}]", line=n + 1)
                line = json.dumps(row, ensure_ascii=False, default=str) + "\n"
                fh.write(line)
                digest.update(line.encode("utf-8"))
                conversations.update((json.dumps(row["messages"], ensure_ascii=False) + "\n").encode("utf-8"))
                n += 1
        if n == 0:
            raise PicochatInputError("no rows", path=f"{dataset_name}[{split}]", field=split_field)
        _refuse_same_rows_as_other_split(dest_dir, file_name, dataset_name, split, conversations.hexdigest(), split_field)
        default_mode(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    record = {"dataset_name": dataset_name, "dataset_config": config, "split": split, "streaming": streaming,
              "fingerprint": dataset_fingerprint(dataset_name, split), "max_rows": max_rows, "rows": n,
              "file": file_name, "sha256": digest.hexdigest(), "messages_sha256": conversations.hexdigest(),
              "row_formats": dict(sorted(defaults.items()))}
    atomic_write_json(dest_dir / f"{Path(file_name).stem}.provenance.json", record)
    return record


def _refuse_same_rows_as_other_split(dest_dir: Path, file_name: str, dataset_name: str, split: str,
                                     messages_sha256: str, split_field: str) -> None:
    """A split whose conversations are exactly those another split of the same dataset wrote beside them (a
    single data file, which has no splits, read as both `train` and `test`; a DatasetDict whose splits are
    copies) is refused: an eval loss on it would be the training loss."""
    own = f"{Path(file_name).stem}.provenance.json"
    for other in sorted(dest_dir.glob("*.provenance.json")):
        if other.name == own:
            continue
        rec = None
        with contextlib.suppress(OSError, ValueError):
            rec = json.loads(other.read_text(encoding="utf-8"))
        if isinstance(rec, dict) and rec.get("dataset_name") == dataset_name and rec.get("split") != split \
                and rec.get("messages_sha256") == messages_sha256:
            raise PicochatInputError(f"split {split!r} holds exactly the conversations of split {rec.get('split')!r} "
                                     f"({rec.get('file')}): evaluating on it would score the training rows",
                                     path=f"{dataset_name}[{split}]", field=split_field)
