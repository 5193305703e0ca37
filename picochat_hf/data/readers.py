"""Streaming document readers for local text, JSONL and parquet files, and Hub datasets.

Each reader yields `{"id", "text", "source"}` dicts one at a time and never holds a whole file, so a
10 GB corpus imports in bounded memory. Formats are chosen by file extension:

- `.txt` / `.md` (optionally `.gz`): a file is one document; a file longer than `max_document_chars`
  is cut at paragraph (blank-line) boundaries into several documents;
- `.jsonl` / `.json` lines (optionally `.gz`): one JSON object per line with a string `text_column`
  (default "text") and an optional `id`;
- `.parquet`: read in record batches; `text_column` must be a string column.

Anything else, an empty file, malformed JSON or a missing/mistyped text field raises
`PicochatInputError` naming the file, the line and the field.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError

TEXT_SUFFIXES = (".txt", ".md", ".txt.gz", ".md.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
DATA_RECORD_SUFFIXES = (".jsonl", ".ndjson", ".json", ".parquet", ".csv", ".arrow")
# text record files may be compressed, as `datasets` reads them: the suffix names the codec
COMPRESSION_SUFFIXES = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma", ".zst": "zstandard"}
_TEXT_RECORD_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv")


def compression_of(path: Path) -> str | None:
    """The codec a data file's last suffix names (`.gz`, `.bz2`, `.xz`, `.zst`), else None."""
    return COMPRESSION_SUFFIXES.get(Path(path).suffix.lower())


def record_format_name(path: Path) -> str:
    """The file's name in lower case without its compression suffix: what says how its records are laid out."""
    name = Path(path).name.lower()
    return name[: -len(Path(name).suffix)] if compression_of(path) else name


def is_data_file(path: Path) -> bool:
    """A file `iter_data_records` reads (a record format, text formats optionally compressed)."""
    name = record_format_name(path)
    return name.endswith(_TEXT_RECORD_SUFFIXES if compression_of(path) else DATA_RECORD_SUFFIXES)


def open_binary(path: Path):
    """The file's bytes, decompressed when its suffix names a codec (read as a stream, never whole)."""
    codec = compression_of(path)
    if codec is None:
        return open(path, "rb")
    if codec == "zstandard":
        try:
            import zstandard
        except ImportError:
            raise PicochatInputError("reading .zst files needs the zstandard package (pip install zstandard)",
                                     path=path) from None
        import io

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), closefd=True))
    import bz2
    import lzma

    return {"gzip": gzip.open, "bz2": bz2.open, "lzma": lzma.open}[codec](path, "rb")


def _decompression_errors() -> tuple[type[BaseException], ...]:
    import lzma
    import zlib

    return (OSError, EOFError, zlib.error, lzma.LZMAError)


def input_format(path: Path) -> str:
    """How a document file is read: "text" (.txt/.md), "jsonl", "parquet", or "records" (any other data file:
    JSON array, CSV, Arrow); text and JSON formats optionally compressed."""
    name = record_format_name(path)
    if name.endswith((".txt", ".md")):
        return "text"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(PARQUET_SUFFIXES) and not compression_of(path):
        return "parquet"
    if is_data_file(path):
        return "records"
    raise PicochatInputError("unknown input format; expected .txt, .md, .jsonl, .ndjson, .json, .csv (optionally "
                             f"{'/'.join(COMPRESSION_SUFFIXES)}), .parquet or .arrow", path=path)


def _open_text(path: Path):
    import io

    # utf-8-sig: a leading byte-order mark is not part of the first document
    return io.TextIOWrapper(open_binary(path), encoding="utf-8-sig", errors="strict")


def _check_nonempty(path: Path) -> None:
    if not path.exists():
        raise PicochatInputError("file not found", path=path)
    if path.is_dir():
        raise PicochatInputError("is a directory; pass the files inside it", path=path)
    if path.stat().st_size == 0:
        raise PicochatInputError("empty file", path=path)


def iter_records(path: Path, *, allow_lists: bool = False, batch_size: int = 1024) -> Iterator[tuple[int, dict | list]]:
    """(line or row number, record) from a local JSONL or parquet file of records (not documents).

    JSON lines must be objects (or lists, with `allow_lists`); errors name the file and line. A `.json` file
    that holds one JSON array of objects (what `Dataset.to_json(lines=False)` and most exporters write) yields
    its elements, each named by the line it starts on; one holding a single object of equal-length column
    lists spread over several lines (pandas' and `datasets`' column layout) yields its rows.
    """
    from .json_files import first_char, first_line_parses, iter_json_array, iter_json_object, one_json_value
    from .schema import iter_jsonl

    _check_nonempty(path)
    name = record_format_name(path)
    if compression_of(path) and not name.endswith(_TEXT_RECORD_SUFFIXES):
        raise PicochatInputError("only JSON lines, JSON and CSV files may be compressed; decompress it first", path=path)
    if name.endswith(".parquet"):
        yield from _iter_arrow_batches(path, "parquet", batch_size)
    elif name.endswith(".json") and first_char(path) == "[" and (not allow_lists or one_json_value(path)):
        # with lists allowed, a .json file of several lines that each parse is JSON lines of conversations
        yield from iter_json_array(path, allow_lists=allow_lists)
    elif name.endswith(".json") and first_char(path) == "{" and not first_line_parses(path):
        yield from iter_json_object(path)
    elif name.endswith((".jsonl", ".ndjson", ".json")):
        allowed = (dict, list) if allow_lists else (dict,)
        for line, obj in iter_jsonl(path):
            if not isinstance(obj, allowed):
                raise PicochatInputError(f"expected a JSON object, got {type(obj).__name__}", path=path, line=line)
            yield line, obj
    else:
        raise PicochatInputError("unknown format; expected .jsonl or .parquet", path=path)


def iter_data_records(path: str | Path, *, batch_size: int = 1024, allow_lists: bool = False) -> Iterator[tuple[int, dict]]:
    """(line or row number, record) from a user's data file: JSON lines, a JSON array, parquet, CSV (a header
    row, then one record per row; numbered by the line the row starts on) or Arrow (`Dataset` cache files,
    IPC stream or file format). With `allow_lists`, a JSON record may also be a list (a bare conversation)."""
    path = Path(path)
    name = record_format_name(path)
    if not is_data_file(path):
        raise PicochatInputError(f"unknown format; expected one of {', '.join(DATA_RECORD_SUFFIXES)} (JSON and CSV "
                                 f"optionally {'/'.join(COMPRESSION_SUFFIXES)})", path=path)
    _check_nonempty(path)
    try:
        if name.endswith(".csv"):
            yield from _iter_csv(path)
        elif name.endswith(".arrow"):
            yield from _iter_arrow_batches(path, "arrow", batch_size)
        else:
            yield from iter_records(path, batch_size=batch_size, allow_lists=allow_lists)
    except _decompression_errors() as exc:
        raise PicochatInputError(f"not a readable {compression_of(path) or 'data'} file ({type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else 'truncated'})", path=path) from None


def _iter_csv(path: Path) -> Iterator[tuple[int, dict]]:
    """Rows of a CSV file after its header, each numbered by the line it starts on. csv.DictReader skips blank
    lines without counting them, which numbered every row after one by an earlier line; the rows are read with
    csv.reader here, which yields a blank line as an empty row, so the line count before each row is its start."""
    import csv

    import io

    # the csv module refuses a field over 128 KiB by default: a long document is data, not a malformed file
    csv.field_size_limit(2**31 - 1)
    with io.TextIOWrapper(open_binary(path), encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header: list[str] | None = None
        try:
            while True:
                start = reader.line_num + 1
                cells = next(reader, None)
                if cells is None:
                    return
                if not cells:
                    continue
                if header is None:
                    header = cells
                    check_unique_columns(header, path, line=start)
                    continue
                if len(cells) > len(header):
                    raise PicochatInputError(f"{len(cells) - len(header)} more field(s) than the header has columns",
                                             path=path, line=start)
                # an empty cell is a missing value, as `datasets`' CSV loader reads it (a default applies, not ""); so
                # is a cell the row leaves out
                yield start, _typed_cells({k: (v if v != "" else None)
                                           for k, v in zip(header, cells + [""] * (len(header) - len(cells)))})
        except csv.Error as exc:
            raise PicochatInputError(f"malformed CSV ({exc})", path=path, line=reader.line_num) from None
        except UnicodeDecodeError as exc:
            raise PicochatInputError(f"not UTF-8 text ({exc.reason})", path=path, line=reader.line_num + 1) from None


def _typed_cells(record: dict[str, str | None]) -> dict[str, Any]:
    """A CSV row with its training columns typed as `datasets`' CSV loader types them: a `weight` cell "0" or "1"
    (or "0.0") is that number and a training flag "true"/"false" (any case) that boolean; every cell is text in a
    CSV, so a row could not otherwise be left out of training there. Other text stays as given (and is refused by
    `row_training` naming it); every other column stays text."""
    from .row_format_spec import format_spec

    spec = format_spec()["record_training"]
    typed = {}
    value = record.get(spec["weight"])
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+(\.\d*)?", value.strip()):
        number = float(value)
        typed[spec["weight"]] = int(number) if number.is_integer() and "." not in value else number
    for flag in spec["training_flags"]:
        value = record.get(flag)
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            typed[flag] = value.strip().lower() == "true"
    return {**record, **typed} if typed else record


def check_unique_columns(names: list[str], path: Path, line: int | None = None) -> None:
    """Refuse a header or schema that names a column twice: a row read as a dict keeps one of the two values, and
    another reader (pandas, `datasets`, the scan) may keep the other."""
    seen: set[str] = set()
    for name in names:
        if not name:  # unnamed columns (a spreadsheet's trailing commas) are read by nobody
            continue
        if name in seen:
            raise PicochatInputError("this column appears twice (readers disagree on which value counts)", path=path,
                                     line=line, field=name)
        seen.add(name)


def _iter_arrow_batches(path: Path, kind: str, batch_size: int) -> Iterator[tuple[int, dict]]:
    import pyarrow as pa

    try:
        batches = _arrow_batches(path, kind, batch_size)
        n = 0
        for batch in batches:
            if n == 0:
                check_unique_columns(batch.schema.names, path)
            for row in batch.to_pylist():
                n += 1
                yield n, row
    except (pa.ArrowInvalid, OSError) as exc:
        raise PicochatInputError(f"not a readable {kind} file ({str(exc).splitlines()[0]})", path=path) from None


def _arrow_batches(path: Path, kind: str, batch_size: int) -> Iterator:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if kind == "parquet":
        yield from pq.ParquetFile(path).iter_batches(batch_size=batch_size)
        return
    with pa.memory_map(str(path)) as source:
        try:
            reader = pa.ipc.open_stream(source)
        except pa.ArrowInvalid:  # the random-access IPC file format
            source.seek(0)
            file_reader = pa.ipc.open_file(source)
            yield from (file_reader.get_batch(i) for i in range(file_reader.num_record_batches))
            return
        yield from reader


def iter_text_file(path: Path, *, max_document_chars: int = 100_000) -> Iterator[dict]:
    chunk: list[str] = []
    size = 0
    k = 0
    para: list[str] = []
    try:
        with _open_text(path) as fh:
            for line in fh:
                if line.strip():
                    para.append(line)
                    continue
                if para:
                    chunk.append("".join(para).rstrip("\n"))
                    size += sum(len(p) for p in para)
                    para = []
                if size >= max_document_chars:
                    yield {"id": f"{path.name}/{k}", "text": "\n\n".join(chunk), "source": str(path)}
                    k += 1
                    chunk, size = [], 0
    except UnicodeDecodeError as exc:
        raise PicochatInputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path) from None
    if para:
        chunk.append("".join(para).rstrip("\n"))
    if chunk:
        yield {"id": f"{path.name}/{k}" if k else path.name, "text": "\n\n".join(chunk), "source": str(path)}


def iter_jsonl_file(path: Path, *, text_column: str = "text") -> Iterator[dict]:
    from ..utils.json_numbers import STRICT_NUMBERS, NonFiniteNumberError, nonfinite_error
    from ..utils.json_strings import refuse_lone_surrogates
    from .schema import DuplicateKeyError, decoded_lines, duplicate_key_error, too_deep, unique_keys

    with open_binary(path) as fh:
        for lineno, raw in decoded_lines(fh, path):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw, object_pairs_hook=unique_keys, **STRICT_NUMBERS)
            except NonFiniteNumberError as exc:
                raise nonfinite_error(exc, raw, path, line=lineno) from None
            except json.JSONDecodeError as exc:
                raise PicochatInputError(f"malformed JSON ({exc.msg} at column {exc.colno})", path=path, line=lineno) from None
            except DuplicateKeyError as exc:  # the scan and the trainer would read different texts of one record
                raise duplicate_key_error(exc, path, lineno) from None
            except RecursionError:
                raise too_deep(path, lineno) from None
            refuse_lone_surrogates(obj, raw, path, lineno)
            if not isinstance(obj, dict):
                raise PicochatInputError(f"expected a JSON object, got {type(obj).__name__}", path=path, line=lineno)
            yield _record_document(obj, path, lineno, text_column)


def record_id(value: Any, fallback: str, path: str | Path, line: int | None) -> str:
    """A record's id as text: a non-empty string as it is, a number as Python writes it (a pandas id column with
    gaps is float: 1.0), `fallback` when there is none (or a gap, NaN). A boolean, list, object or blank string is refused: Python's
    text of it (`True`, `[1]`) is no id another tool would write, and replies, results and leak reports are keyed
    by it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):  # pandas writes a gap as NaN
        return fallback
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    shown = "a blank string" if isinstance(value, str) else f"{type(value).__name__} {value!r}"[:80]
    raise PicochatInputError(f"an id must be a non-empty string or a number, got {shown}", path=path, line=line,
                             field="id")


def _array_documents(path: Path, text_column: str) -> Iterator[dict]:
    """Documents of a JSON array, CSV or Arrow file. Records sharing a line (a one-line JSON array) are told apart in
    their default ids: `<file>:<line>`, then `<file>:<line>#2`, ..., as rows are (`row_formats.normalize_row`)."""
    last, nth = None, 0
    for line, obj in iter_data_records(path):
        last, nth = line, (nth + 1 if line == last else 1)
        yield _record_document(obj, path, line, text_column, nth)


def _record_document(obj: dict, path: Path, lineno: int, text_column: str, nth: int = 1) -> dict:
    if text_column not in obj:
        raise PicochatInputError("missing text field (set --text-column)", path=path, line=lineno, field=text_column)
    text = obj[text_column]
    if not isinstance(text, str):
        raise PicochatInputError(f"expected a string, got {type(text).__name__}", path=path, line=lineno, field=text_column)
    fallback = f"{path.name}:{lineno}" + (f"#{nth}" if nth > 1 else "")
    return {"id": record_id(obj.get("id"), fallback, path, lineno), "text": text, "source": str(path)}


def iter_parquet_file(path: Path, *, text_column: str = "text", batch_size: int = 1024) -> Iterator[dict]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise PicochatInputError(f"not a readable parquet file ({exc})", path=path) from None
    schema = pf.schema_arrow
    check_unique_columns(schema.names, path)
    if text_column not in schema.names:
        raise PicochatInputError(f"missing column; columns are {', '.join(schema.names)}", path=path, field=text_column)
    if not (pa.types.is_string(schema.field(text_column).type) or pa.types.is_large_string(schema.field(text_column).type)):
        raise PicochatInputError(f"expected a string column, got {schema.field(text_column).type}", path=path, field=text_column)
    columns = [text_column] + (["id"] if "id" in schema.names and text_column != "id" else [])
    row = 0
    for batch in pf.iter_batches(batch_size=batch_size, columns=columns):
        texts = batch.column(text_column).to_pylist()
        ids = batch.column("id").to_pylist() if "id" in columns else [None] * len(texts)
        for text, doc_id in zip(texts, ids):
            row += 1
            if text is None:
                raise PicochatInputError("null text", path=path, line=row, field=text_column)
            yield {"id": record_id(doc_id, f"{path.name}:{row}", path, row), "text": text, "source": str(path)}


def iter_file_documents(path: str | Path, *, text_column: str = "text", max_document_chars: int = 100_000) -> Iterator[dict]:
    path = Path(path)
    _check_nonempty(path)
    fmt = input_format(path)
    if fmt == "text":
        it = iter_text_file(path, max_document_chars=max_document_chars)
    elif fmt == "jsonl":
        it = iter_jsonl_file(path, text_column=text_column)
    elif fmt == "parquet":
        it = iter_parquet_file(path, text_column=text_column)
    else:
        it = _array_documents(path, text_column)
    n = 0
    for doc in it:
        n += 1
        yield doc
    if n == 0:
        raise PicochatInputError("no documents (file holds only blank lines)", path=path)


def read_streamed(ds: Any, where: str) -> Iterator[Any]:
    """The rows of a `datasets` dataset; a streamed one reads its files while iterating, so a file it cannot read
    (columns that differ between files, a malformed line) fails here: one line naming the dataset and the row."""
    it = iter(ds)
    n = 0
    while True:
        try:
            row = next(it)
        except StopIteration:
            return
        except PicochatInputError:
            raise
        except Exception as exc:
            raise PicochatInputError(f"could not read row {n + 1} ({type(exc).__name__}: {exc})".splitlines()[0],
                                     path=where, line=n + 1) from None
        n += 1
        yield row


def iter_hub_documents(name: str, *, split: str = "train", text_column: str = "text", config: str | None = None,
                       data_files: str | list[str] | None = None, max_rows: int | None = None,
                       streaming: bool = True) -> Iterator[dict]:
    """Stream documents from a Hub dataset (or a local `datasets` builder such as "json"/"parquet" with
    `data_files`) through `datasets.load_dataset(..., streaming=True)`; a local data file or a save_to_disk
    folder goes through `datasets_source.iter_dataset_documents`."""
    import datasets

    local = Path(name)
    if data_files is None and (local.is_file() or local.is_dir()):
        # a data file, a save_to_disk folder or a data folder: the same loader as every other `dataset_name` input
        # (a folder's shards read with picochat's readers, errors naming the shard and line)
        from .datasets_source import iter_dataset_documents

        for i, doc in enumerate(iter_dataset_documents(name, config=config, split=split, streaming=streaming, text_column=text_column)):
            if max_rows is not None and i >= max_rows:
                break
            yield doc
        return
    kwargs = {"split": split, "streaming": streaming}
    if data_files is not None:
        kwargs["data_files"] = data_files
    try:
        ds = datasets.load_dataset(name, config, **kwargs)
    except Exception as exc:  # network, missing config, offline mode: say which dataset and why
        raise PicochatInputError(f"could not load dataset ({type(exc).__name__}: {exc})".splitlines()[0], path=name) from None
    where = f"{name}[{split}]"
    for i, row in enumerate(read_streamed(ds, where)):
        if max_rows is not None and i >= max_rows:
            break
        if text_column not in row:
            raise PicochatInputError(f"missing column; columns are {', '.join(row)}", path=where, line=i + 1, field=text_column)
        text = row[text_column]
        if not isinstance(text, str):
            raise PicochatInputError(f"expected a string, got {type(text).__name__}", path=where, line=i + 1, field=text_column)
        yield {"id": record_id(row.get("id"), f"{name}:{split}:{i}", where, i + 1), "text": text, "source": f"hf:{name}"}
