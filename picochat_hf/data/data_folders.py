"""A local folder of data files (JSON lines/array, parquet, CSV, Arrow shards; not a `save_to_disk` folder), read
file by file with picochat's own readers, so an error names the shard and its line, not the folder and a row
number counted across shards (`datasets.load_dataset` also reports a malformed JSON shard without file or line).

The split's files are the ones `datasets.load_dataset(folder)` reads: its split inference from file and folder names
(`train.jsonl`/`test.jsonl`, `train/`, `train-00000-of-00002.parquet`; files with no split word are `train`), in its
order. A folder `datasets` would read differently (a dataset card or YAML declaring its configs, files picochat
has no reader for) is left to `datasets`. A folder holding two kinds of data file (`.jsonl` beside `.parquet`) is
refused: `datasets` would read only the more common kind and drop the other without a word.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from pathlib import Path

from ..utils.errors import PicochatInputError
from .readers import is_data_file, record_format_name

# the file kinds one `datasets` builder reads (`.json` holds JSON lines or one array, as `.jsonl` does)
_KINDS = {".jsonl": "json", ".ndjson": "json", ".json": "json", ".parquet": "parquet", ".csv": "csv", ".arrow": "arrow"}
# files that declare a folder's configs to `datasets` (data_files per config): that folder is read by `datasets`
_CARD_FILES = ("README.md", "README.yaml", "README.yml")


class FolderWhere(str):
    """The name of a folder's split (`shards[train]`) that also says which shard, and which line of it, a row came
    from: an error about row 1042 names `part-1.jsonl:7` instead (`datasets_source.relocate`)."""

    spans: list[tuple[int, str, array]]  # (first row of a shard, the shard, the line each of its rows starts on)

    def locate(self, line: int) -> tuple[str, int] | None:
        for start, name, lines in reversed(getattr(self, "spans", [])):
            if line >= start:
                return (name, lines[line - start]) if line - start < len(lines) else None
        return None


def split_files(folder: Path, split: str, split_field: str) -> list[Path] | None:
    """The split's data files as `datasets` resolves them; None when `datasets` should read the folder itself."""
    from datasets.data_files import DataFilesDict, get_data_patterns

    if any((folder / name).exists() for name in _CARD_FILES):
        return None
    try:
        found = DataFilesDict.from_patterns(get_data_patterns(str(folder)), base_path=str(folder))
    except Exception:  # no data files at all, or a layout datasets cannot split: it says why
        return None
    files = [Path(f) for f in found.get(split, [])]
    if not all(is_data_file(f) for f in [Path(f) for fs in found.values() for f in fs]):
        return None
    if split not in found:
        raise PicochatInputError(f"no split {split!r} (splits: {', '.join(map(str, found)) or 'none'})", path=str(folder),
                                 field=split_field)
    kinds = sorted({_KINDS[Path(record_format_name(f)).suffix] for f in files})
    if len(kinds) > 1:
        raise PicochatInputError(f"the {split!r} split holds {' and '.join(kinds)} files; `datasets` reads only the more "
                                 "common kind and drops the rest: keep one kind of data file per folder", path=str(folder),
                                 field=split_field)
    return files


def folder_records(files: list[Path], where: FolderWhere | None) -> Iterator[tuple[int, dict]]:
    """(row number across the split, record) pairs, shard after shard; `where` learns each shard's lines as it is read,
    so an error about a row names its shard and line."""
    from .readers import iter_data_records

    if where is not None:
        where.spans = []
    n = 0
    for path in files:
        lines = array("q")
        if where is not None:
            where.spans.append((n + 1, str(path), lines))
        for line, record in iter_data_records(path):
            lines.append(line)
            n += 1
            yield n, record


def entry_files(entry: dict) -> list[Path] | None:
    """The local data files a TRL mixture entry reads for its split (`data_files` as a path, a list or a
    `{split: files}` mapping, globs and paths under a local `path` folder resolved as `datasets` resolves them);
    None when it reads anything else (a Hub dataset, a file picochat has no reader for)."""
    from datasets.data_files import DataFilesDict, sanitize_patterns

    given = entry.get("data_files")
    base = Path(str(entry.get("path", "")))
    if given is None:
        return None
    try:
        found = DataFilesDict.from_patterns(sanitize_patterns(given), base_path=str(base) if base.is_dir() else ".")
    except Exception:
        return None
    files = [Path(f) for f in found.get(entry.get("split") or "train", [])]
    return files if files and all(f.is_file() and is_data_file(f) for f in files) else None


def locate_in_files(files: list[Path], row: int) -> tuple[str, int] | None:
    """The file and line of the `row`-th record (1-based) of these files read in order; read only to name an error."""
    from .readers import iter_data_records

    n = 0
    for path in files:
        for line, _ in iter_data_records(path):
            n += 1
            if n == row:
                return str(path), line
    return None
