"""Records from a dataset named the TRL way, all through `datasets`.

`dataset_name` is one of (checked in this order):

- a local data file (.jsonl/.ndjson/.json lines or array/.parquet/.csv/.arrow): read by `readers.iter_data_records`,
  so errors name the line;
- a local folder written by `Dataset.save_to_disk` / `DatasetDict.save_to_disk`: `datasets.load_from_disk`;
  a DatasetDict without the requested split is refused naming the folder and the split;
- any other local folder or a Hub name: `datasets.load_dataset(dataset_name, dataset_config, split=...,
  streaming=...)` (offline, a Hub name fails with a one-line error).

A TRL `datasets:` mixture (a list of `DatasetConfig` entries) is loaded with TRL's own `get_dataset`.
Rows then go through `row_formats.normalize_row`; documents need a string `text_column`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from .data_folders import FolderWhere, entry_files, folder_records, locate_in_files, split_files
from .readers import is_data_file, read_streamed, record_id
from .row_formats import normalize_row
from .schema import refuse_repeated_ids


def _is_saved_dataset(path: Path) -> bool:
    return path.is_dir() and ((path / "dataset_dict.json").exists() or (path / "state.json").exists())


def _split_of(ds: Any, split: str, where: str, split_field: str) -> Any:
    import datasets

    if isinstance(ds, (datasets.DatasetDict, datasets.IterableDatasetDict)):
        if split not in ds:
            raise PicochatInputError(f"no split {split!r} (splits: {', '.join(ds) or 'none'})", path=where, field=split_field)
        return ds[split]
    saved = getattr(ds, "split", None)  # a single saved Dataset records the split it was loaded as, when it was
    if saved is not None and str(saved).split("[")[0] != split:
        # reading it as another split would hand the same rows to training and evaluation
        raise PicochatInputError(f"the folder holds the {str(saved)!r} split, not {split!r}", path=where, field=split_field)
    return ds


def load_records(dataset_name: str, *, config: str | None = None, split: str = "train", streaming: bool = False,
                 split_field: str = "dataset_train_split", where: Any = None) -> Iterator[tuple[int, dict]]:
    """(row number, record) pairs from a local file, a save_to_disk folder, a data folder or the Hub. For a folder of
    data files, a `FolderWhere` passed as `where` learns which shard and line each row number is."""
    path = Path(dataset_name)
    if path.is_file() and is_data_file(path):
        from .readers import iter_data_records

        yield from iter_data_records(path)
        return
    files = split_files(path, split, split_field) if path.is_dir() and not _is_saved_dataset(path) and not config else None
    if files is not None:
        yield from folder_records(files, where if isinstance(where, FolderWhere) else None)
        return
    import datasets

    try:
        if _is_saved_dataset(path):
            ds = _split_of(datasets.load_from_disk(str(path)), split, dataset_name, split_field)
            if streaming:
                ds = ds.to_iterable_dataset()
        else:
            ds = datasets.load_dataset(dataset_name, config, split=split, streaming=streaming)
    except PicochatInputError:
        raise
    except ValueError as exc:
        if "split" in str(exc).lower():  # e.g. "Unknown split 'test'. Should be one of ['train']."
            raise PicochatInputError(str(exc).splitlines()[0], path=dataset_name, field=split_field) from None
        raise PicochatInputError(f"could not load dataset ({exc})".splitlines()[0], path=dataset_name, field="dataset_name") from None
    except Exception as exc:  # missing, offline, no such config: say which dataset and why
        raise PicochatInputError(f"could not load dataset ({type(exc).__name__}: {exc})".splitlines()[0],
                                 path=dataset_name, field="dataset_name") from None
    yield from enumerate(read_streamed(ds, f"{dataset_name}[{split}]"), start=1)


def iter_dataset_rows(dataset_name: str, *, config: str | None = None, split: str = "train", streaming: bool = False,
                      row_split: str = "train", split_field: str = "dataset_train_split",
                      defaults_used: Counter | None = None) -> Iterator[dict]:
    """Normalised picochat rows from a named dataset; errors name `dataset[split]` and the row number."""
    where = dataset_where(dataset_name, split)
    source = Path(dataset_name).name if Path(dataset_name).exists() else dataset_name
    records = load_records(dataset_name, config=config, split=split, streaming=streaming, split_field=split_field,
                           where=where)
    rows = ((line, row) for line, record in records
            if (row := normalize_row(record, path=where, line=line, split=row_split, source=source,
                                     defaults_used=defaults_used)) is not None)
    try:
        for _, row in refuse_repeated_ids(rows, where, copies_allowed=row_split != "eval", unit=_unit(dataset_name)):
            yield row
    except PicochatInputError as exc:
        raise relocate(exc, where) from None


def dataset_where(dataset_name: str, split: str) -> str:
    """How errors name a dataset's split: the file itself, `folder[split]` (a `FolderWhere`, which names the shard and
    line of a row, for a folder of data files) or `name[split]`."""
    path = Path(dataset_name)
    if path.is_file():
        return dataset_name
    return FolderWhere(f"{dataset_name}[{split}]") if path.is_dir() and not _is_saved_dataset(path) else f"{dataset_name}[{split}]"


def _unit(where: str) -> str:
    """What a source's record numbers count: a data file's lines, a `datasets` split's rows."""
    return "line" if Path(where).is_file() else "row"


def iter_dataset_documents(dataset_name: str, *, config: str | None = None, split: str = "train", streaming: bool = False,
                           text_column: str = "text") -> Iterator[dict]:
    """Documents (`{"id", "text", "source"}`) from a named dataset's `text_column`."""
    where = FolderWhere(f"{dataset_name}[{split}]")
    n = 0
    for line, record in load_records(dataset_name, config=config, split=split, streaming=streaming, where=where):
        text = record.get(text_column) if isinstance(record, dict) else None
        if not isinstance(text, str):
            cols = ", ".join(record) if isinstance(record, dict) else type(record).__name__
            raise relocate(PicochatInputError(f"expected a string text column (columns are {cols})", path=where, line=line,
                                              field=text_column), where)
        n += 1
        doc_id = record_id(record.get("id"), f"{dataset_name}:{split}:{line}", where, line)
        yield {"id": doc_id, "text": text, "source": dataset_name}
    if n == 0:
        raise PicochatInputError("no documents", path=where)


def config_records(config: Any, *, which: str = "train") -> tuple[str, Iterator[tuple[int, dict]]] | None:
    """(where, raw records) for a training config's train or eval input: `input`/`eval_input` (local file),
    `dataset_name` with `dataset_train_split`/`dataset_test_split`, or the `datasets:` mixture (train only).
    None when the config names no such input."""
    local = config.input if which == "train" else config.eval_input
    split = config.dataset_train_split if which == "train" else config.dataset_test_split
    field = "dataset_train_split" if which == "train" else "dataset_test_split"
    given = [name for name, value in (("input", config.input), ("dataset_name", config.dataset_name),
                                      ("datasets", config.datasets)) if value]
    if len(given) > 1:
        raise PicochatInputError(f"give one source of training rows, got {' and '.join(given)}", field=given[1])
    if which != "train" and local and config.dataset_name and split:  # one would be dropped without a word
        raise PicochatInputError("give one source of eval rows, got eval_input and dataset_test_split", field="dataset_test_split")
    if local:
        from .readers import iter_data_records

        return str(local), iter_data_records(Path(local))
    if config.dataset_name and split:
        name = Path(config.dataset_name)
        if which != "train" and (name.is_file() or (name / "state.json").is_file()):
            # a data file or a single saved Dataset has no splits: its "test" split would be the training rows
            raise PicochatInputError("holds one split, the training rows; give held-out rows as eval_input", path=str(name),
                                     field=field)
        where = dataset_where(config.dataset_name, split)
        return where, load_records(config.dataset_name, config=config.dataset_config, split=split,
                                   streaming=config.dataset_streaming, split_field=field, where=where)
    if config.datasets and which == "train":
        where = MixtureWhere(f"mixture[{'+'.join(Path(str(d.get('path'))).name for d in config.datasets)}]")
        return where, _mixture_records(config.datasets, where)
    return None


class MixtureWhere(str):
    """The name of a `datasets:` mixture (`mixture[a.jsonl+b.jsonl]`) that also says which entry, and which row of
    it, a row of the combined mixture came from: an error about combined row 1042 names `b.jsonl:42` instead."""

    spans: list[tuple[int, str, list[Path] | None]]  # (first combined row of an entry, its name, its local files)

    def locate(self, line: int) -> tuple[str, int] | None:
        found = None
        for start, name, files in getattr(self, "spans", []):
            if line >= start:
                found = (name, line - start + 1, files)
        if found is None:
            return None
        name, row, files = found
        # a local entry's row is named by its file and line (a CSV's header, a JSON array's lines, a list of files)
        return (locate_in_files(files, row) if files else None) or (name, row)


def relocate(exc: PicochatInputError, where: Any) -> PicochatInputError:
    """`exc` with the mixture position it names replaced by the source entry and its row (unchanged otherwise)."""
    origin = (where.locate(exc.line) if isinstance(where, (MixtureWhere, FolderWhere)) and exc.path == str(where)
              and exc.line else None)
    if origin is None:
        return exc
    return PicochatInputError(f"{exc.reason} (row {exc.line} of {where})", path=origin[0], line=origin[1], field=exc.field)


def _entry_name(entry: dict) -> str:
    files = entry.get("data_files")
    if isinstance(files, str):
        return files
    return f"{entry['path']}[{entry.get('split') or 'train'}]"


def _entry_counts(configs: list, sizes: list[int]) -> list[int]:
    """Rows each entry contributes, as TRL's `get_dataset` takes them: all, or with `fraction` the first
    round(weight * total) rows, where total is the largest mixture no entry is oversampled in."""
    fractions = [c.fraction for c in configs]
    if all(f is None for f in fractions):
        return sizes
    weights = [f / sum(fractions) for f in fractions]
    total = min(n / w for n, w in zip(sizes, weights, strict=True) if w > 0)
    return [round(w * total) for w in weights]


def _mixture_records(entries: list[dict], where: MixtureWhere | None = None) -> Iterator[tuple[int, dict]]:
    from dataclasses import replace

    from trl import DatasetMixtureConfig, get_dataset
    from trl.scripts.utils import DatasetConfig

    configs = []
    for i, d in enumerate(entries):
        if not isinstance(d, dict) or not isinstance(d.get("path"), str):
            raise PicochatInputError("each mixture entry needs a path", field=f"datasets[{i}].path")
        try:
            configs.append(DatasetConfig(**d))
        except TypeError as exc:
            raise PicochatInputError(str(exc), field=f"datasets[{i}]") from None
    try:
        ds = get_dataset(DatasetMixtureConfig(datasets=configs))["train"]
        # each entry's own length, so a combined row can be traced back to its file and row
        sizes = [len(get_dataset(DatasetMixtureConfig(datasets=[replace(c, fraction=None)]))["train"]) for c in configs]
    except Exception as exc:
        raise PicochatInputError(f"could not load the dataset mixture ({type(exc).__name__}: {exc})".splitlines()[0],
                                 field="datasets") from None
    counts = _entry_counts(configs, sizes)
    if where is not None and sum(counts) == len(ds):
        starts = [1 + sum(counts[:k]) for k in range(len(counts))]
        where.spans = [(start, _entry_name(e), entry_files(e)) for start, e, n in zip(starts, entries, counts, strict=True)
                       if n]
    yield from enumerate(ds, start=1)


def config_rows(config: Any, *, which: str = "train", defaults_used: Counter | None = None) -> tuple[str, list[dict]] | None:
    """Normalised picochat rows for a config's train or eval input (see `config_records`)."""
    found = config_records(config, which=which)
    if found is None:
        return None
    where, records = found
    source = Path(where.split("[")[0]).name if not where.startswith("mixture[") else where
    role = "train" if which == "train" else "eval"
    try:
        normalised = ((ln, row) for ln, r in records  # a record whose own weight is 0 is left out (None)
                      if (row := normalize_row(r, path=where, line=ln, split=role, source=source,
                                               defaults_used=defaults_used)) is not None)
        # an eval row is matched to its reply by id; a training file may repeat an exact copy to upweight it
        rows = [row for _, row in refuse_repeated_ids(normalised, where, copies_allowed=role == "train",
                                                      unit=_unit(where))]
    except PicochatInputError as exc:
        raise relocate(exc, where) from None
    if not rows:
        raise PicochatInputError("no rows", path=where)
    return where, rows
