"""Dataset packs: a corpus imported into document-preserving parquet shards, measured before training.

`import_dataset_pack` streams documents from local files, a Hub dataset or an iterable (the embedded
default corpus), drops empty and too-short documents, writes parquet shards that never split a document,
and measures the corpus on the way (documents, characters, estimated tokens, exact and near duplicate
documents, duplicate lines, a length histogram). It writes, in `out_dir`:

    dataset_pack.json      inputs, shards (path, sha256, documents, characters), counts, provenance
    import_report.json/.md the measurements and the methods behind them
    shards/documents-00000.parquet ...  columns id, text, source

Memory stays bounded: documents are written in small batches and the duplicate statistics keep a fixed
number of bytes per document (see `dedup.py`). The output directory appears only when the import is
complete; an existing one is replaced only with `force=True`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_output_dir, atomic_write_json, atomic_write_text, read_json, sha256_file
from ..utils.provenance import provenance
from ..utils.setting_names import old_keywords
from .dedup import CorpusDuplicateStats, first_sighting, refuse_repeated_inputs
from .readers import input_format, iter_file_documents, iter_hub_documents

PACK_FORMAT = "picochat_hf.dataset_pack"
PACK_VERSION = 1
CHARS_PER_TOKEN = 4.0  # a typical English BPE average; the tokenizer stage measures the real count
LENGTH_BUCKETS = (0, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)


class _ShardWriter:
    """Writes documents to parquet shards of about `shard_chars` characters, never splitting a document."""

    def __init__(self, shard_dir: Path, shard_chars: int, batch_docs: int = 512):
        import pyarrow as pa

        self.pa = pa
        self.schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("source", pa.string())])
        self.dir = shard_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.shard_chars = shard_chars
        self.batch_docs = batch_docs
        self.shards: list[dict] = []
        self._writer = None
        self._buf: dict[str, list[str]] = {"id": [], "text": [], "source": []}
        self._cur = {"documents": 0, "characters": 0}

    def _open(self) -> None:
        import pyarrow.parquet as pq

        name = f"documents-{len(self.shards):05d}.parquet"
        self._writer = pq.ParquetWriter(self.dir / name, self.schema, compression="zstd")
        self.shards.append({"path": f"shards/{name}"})
        self._cur = {"documents": 0, "characters": 0}

    def _flush(self) -> None:
        if self._buf["id"]:
            self._writer.write_batch(self.pa.record_batch(self._buf, schema=self.schema))
            self._buf = {"id": [], "text": [], "source": []}

    def _close_shard(self) -> None:
        self._flush()
        self._writer.close()
        self._writer = None
        self.shards[-1].update(self._cur)

    def write(self, doc: dict) -> None:
        if self._writer is None:
            self._open()
        for key in ("id", "text", "source"):
            self._buf[key].append(doc[key])
        self._cur["documents"] += 1
        self._cur["characters"] += len(doc["text"])
        if len(self._buf["id"]) >= self.batch_docs:
            self._flush()
        if self._cur["characters"] >= self.shard_chars:
            self._close_shard()

    def close(self) -> list[dict]:
        if self._writer is not None:
            self._close_shard()
        for shard in self.shards:
            shard["sha256"] = sha256_file(self.dir.parent / shard["path"])
        return self.shards


def _length_bucket(n: int) -> str:
    for lo, hi in itertools.pairwise(LENGTH_BUCKETS):
        if n < hi:
            return f"{lo}-{hi - 1}"
    return f"{LENGTH_BUCKETS[-1]}+"


def _iter_inputs(inputs, documents, hf_dataset, *, split, text_column, hf_config, hf_data_files, max_rows,
                 max_document_chars) -> tuple[Iterator[dict], list[dict]]:
    given = sum(x is not None and x != [] for x in (inputs, documents, hf_dataset))
    if given != 1:
        raise PicochatInputError("give exactly one of: input files, documents, or a Hub dataset")
    if hf_dataset is not None:
        desc = [{"hf_dataset": hf_dataset, "config": hf_config, "split": split, "text_column": text_column,
                 "max_rows": max_rows, "data_files": hf_data_files}]
        return iter_hub_documents(hf_dataset, split=split, text_column=text_column, config=hf_config,
                                  data_files=hf_data_files, max_rows=max_rows), desc
    if documents is not None:
        it = iter(documents)
        return (itertools.islice(it, max_rows) if max_rows is not None else it), [{"documents": "in-memory iterable"}]
    paths = [Path(p) for p in inputs]
    for p in paths:  # fail on a bad name before reading anything
        if not p.exists():
            raise PicochatInputError("file not found", path=p)
        input_format(p)
    refuse_repeated_inputs(paths)
    desc = [{"path": str(p), "format": input_format(p), "bytes": p.stat().st_size} for p in paths]
    chained = itertools.chain.from_iterable(
        iter_file_documents(p, text_column=text_column, max_document_chars=max_document_chars) for p in paths
    )
    return (itertools.islice(chained, max_rows) if max_rows is not None else chained), desc


def _import_documents(stream: Iterator[dict], writer: _ShardWriter, *, min_chars: int, dedup_exact: bool,
                      progress: bool) -> tuple[dict[str, int], CorpusDuplicateStats, dict[str, int]]:
    """Filter the documents into `writer`; return the counts, the duplicate statistics and the length histogram."""
    stats = CorpusDuplicateStats()
    histogram: dict[str, int] = {}
    counts = {"documents_read": 0, "documents": 0, "characters": 0, "dropped_empty": 0, "dropped_short": 0,
              "dropped_exact_duplicates": 0}
    seen: set[int] = set()
    bar = tqdm(stream, desc="import documents", unit="doc", disable=not progress)
    for doc in bar:
        counts["documents_read"] += 1
        text = doc.get("text")
        if not isinstance(text, str):
            raise PicochatInputError("document text must be a string", path=str(doc.get("source", "<documents>")),
                                     line=counts["documents_read"], field="text")
        stripped = text.strip()
        if not stripped:
            counts["dropped_empty"] += 1
            continue
        if len(stripped) < min_chars:
            counts["dropped_short"] += 1
            continue
        if dedup_exact and not first_sighting(seen, text):
            counts["dropped_exact_duplicates"] += 1
            continue
        stats.add(text)
        bucket = _length_bucket(len(text))
        histogram[bucket] = histogram.get(bucket, 0) + 1
        counts["documents"] += 1
        counts["characters"] += len(text)
        writer.write({"id": str(doc.get("id", counts["documents_read"])), "text": text,
                      "source": str(doc.get("source", "unknown"))})
    return counts, stats, histogram


def _import_report(counts: dict[str, int], stats: CorpusDuplicateStats, histogram: dict[str, int], min_chars: int) -> dict:
    """The import report (`import_report.json`); adds `estimated_tokens` to `counts`."""
    dup = stats.summary()
    counts["estimated_tokens"] = int(round(counts["characters"] / CHARS_PER_TOKEN))
    ordered_hist = {_length_bucket(lo): histogram.get(_length_bucket(lo), 0) for lo in LENGTH_BUCKETS}
    return {
        "counts": counts,
        "estimated_tokens_method": f"characters / {CHARS_PER_TOKEN} (English BPE average); the tokenizer stage counts exactly",
        "min_chars": min_chars,
        "duplicates": dup,
        "length_histogram_chars": ordered_hist,
        "mean_document_chars": counts["characters"] / counts["documents"],
    }


@old_keywords("data import")
def import_dataset_pack(
    inputs: list[str | Path] | None,
    out_dir: str | Path,
    *,
    documents: Iterable[dict] | None = None,
    dataset_name: str | None = None,
    dataset_train_split: str = "train",
    text_column: str = "text",
    dataset_config: str | None = None,
    hf_data_files: str | list[str] | None = None,
    max_rows: int | None = None,
    min_chars: int = 20,
    max_document_chars: int = 100_000,
    dedup_exact: bool = False,
    shard_chars: int = 64_000_000,
    name: str | None = None,
    force: bool = False,
    progress: bool = True,
) -> Path:
    """Import a corpus into a dataset pack; return the path of `dataset_pack.json`.

    Exactly one of `inputs` (local .txt/.md/.jsonl/.parquet files), `documents` (an iterable of
    `{"id", "text", "source"}` dicts, e.g. `iter_default_documents()`) or `dataset_name` (its
    `dataset_train_split` and `dataset_config`, streamed through `datasets`) must be given; `hf_dataset`, `split` and
    `hf_config` are their old keywords (utils/setting_names.yaml). `max_rows` caps the documents read; documents shorter than `min_chars`
    (after stripping) are dropped and counted; `dedup_exact` also drops exact duplicate documents.
    """
    out_dir = Path(out_dir)
    stream, input_desc = _iter_inputs(inputs, documents, dataset_name, split=dataset_train_split, text_column=text_column,
                                      hf_config=dataset_config, hf_data_files=hf_data_files, max_rows=max_rows,
                                      max_document_chars=max_document_chars)
    with atomic_output_dir(out_dir, force=force) as tmp:
        writer = _ShardWriter(tmp / "shards", shard_chars)
        counts, stats, histogram = _import_documents(stream, writer, min_chars=min_chars, dedup_exact=dedup_exact,
                                                     progress=progress)
        shards = writer.close()
        if counts["documents"] == 0:
            raise PicochatInputError(
                f"no documents left after filtering ({counts['documents_read']} read, {counts['dropped_empty']} empty, "
                f"{counts['dropped_short']} shorter than {min_chars} characters)",
                path=str(input_desc[0].get("path") or input_desc[0].get("hf_dataset") or "<documents>"),
            )
        report = _import_report(counts, stats, histogram, min_chars)
        pack = {
            "format": PACK_FORMAT,
            "version": PACK_VERSION,
            "name": name or out_dir.name,
            "inputs": input_desc,
            "text_column": text_column,
            "shards": shards,
            "counts": {k: counts[k] for k in ("documents", "characters", "estimated_tokens")},
            "import_report": {"json": "import_report.json", "md": "import_report.md"},
            "task_pack": None,
            "task_packs": {},
            "provenance": provenance(),
        }
        atomic_write_json(tmp / "import_report.json", report)
        atomic_write_text(tmp / "import_report.md", render_import_report(pack, report))
        atomic_write_json(tmp / "dataset_pack.json", pack)
    return out_dir / "dataset_pack.json"


def render_import_report(pack: dict, report: dict) -> str:
    c, d = report["counts"], report["duplicates"]
    lines = [
        f"# Dataset pack import: {pack['name']}",
        "",
        "| measure | value |",
        "|---|---|",
        f"| documents read | {c['documents_read']} |",
        f"| documents kept | {c['documents']} |",
        f"| characters | {c['characters']} |",
        f"| estimated tokens | {c['estimated_tokens']} ({report['estimated_tokens_method']}) |",
        f"| dropped: empty | {c['dropped_empty']} |",
        f"| dropped: shorter than {report['min_chars']} chars | {c['dropped_short']} |",
        f"| dropped: exact duplicates | {c['dropped_exact_duplicates']} |",
        f"| exact duplicate documents (kept) | {d['exact_duplicate_documents']} ({d['exact_duplicate_rate']:.2%}) |",
        f"| near-duplicate documents | {d['near_duplicate_documents']} ({d['near_duplicate_rate']:.2%} of {d['near_duplicate_documents_checked']} checked) |",
        f"| non-empty lines | {d['lines']} |",
        f"| duplicate line rate | {d['duplicate_line_rate']:.2%} |",
        f"| shards | {len(pack['shards'])} |",
        "",
        "## Methods",
        "",
        *[f"- **{k.replace('_', ' ')}**: {v}" for k, v in d["methods"].items()],
        "",
        "## Document length (characters)",
        "",
        "| length | documents |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in report["length_histogram_chars"].items()],
        "",
    ]
    return "\n".join(lines)


def load_dataset_pack(pack_json: str | Path) -> dict[str, Any]:
    """Read and validate a `dataset_pack.json`; shard paths are resolved against its folder."""
    pack_json = Path(pack_json)
    if pack_json.is_dir():
        pack_json = pack_json / "dataset_pack.json"
    pack = read_json(pack_json)
    if not isinstance(pack, dict) or pack.get("format") != PACK_FORMAT:
        raise PicochatInputError(f"not a dataset pack (format must be {PACK_FORMAT!r})", path=pack_json, field="format")
    shards = pack.get("shards")
    if not isinstance(shards, list) or not shards:
        raise PicochatInputError("expected a non-empty list of shards", path=pack_json, field="shards")
    seen: dict[Path, int] = {}
    for i, shard in enumerate(shards):
        if not isinstance(shard, dict) or not isinstance(shard.get("path"), str):
            raise PicochatInputError("each shard needs a path", path=pack_json, field=f"shards[{i}].path")
        # listed twice, a shard's documents were read and trained on twice while the pack's counts said once
        resolved = (pack_json.parent / shard["path"]).resolve()
        if resolved in seen:
            raise PicochatInputError(f"lists the file of shards[{seen[resolved]}] again: a shard may be listed once",
                                     path=pack_json, field=f"shards[{i}].path")
        seen[resolved] = i
    return pack


def check_pack_shards_listed(pack_json: Path, pack: dict[str, Any]) -> None:
    """Every shard the pack lists is there with a recorded sha256 (what `iter_pack_documents` checks it against),
    without reading the shards: for writers that point a pack at something (a task pack) but do not read its text."""
    for i, shard in enumerate(pack["shards"]):
        path = pack_json.parent / shard["path"]
        if not path.is_file():
            raise PicochatInputError("shard listed in the pack is missing", path=path, field=f"shards[{i}]")
        if not isinstance(shard.get("sha256"), str) or not shard["sha256"]:
            raise PicochatInputError("the pack manifest records no sha256 for this shard (rebuild the pack with "
                                     "`picochat data import`)", path=pack_json, field=f"shards[{i}].sha256")


def pack_shard_paths(pack_json: str | Path) -> list[Path]:
    pack_json = Path(pack_json)
    if pack_json.is_dir():
        pack_json = pack_json / "dataset_pack.json"
    return [pack_json.parent / s["path"] for s in load_dataset_pack(pack_json)["shards"]]


def iter_pack_documents(pack_json: str | Path, *, verify: bool = True, batch_size: int = 256) -> Iterator[dict]:
    """Stream a pack's documents (`{"id", "text", "source"}`) in order, shard by shard, in bounded memory.

    Each shard's sha256 is checked against the manifest before it is read (`verify=False` skips it): a scan or a
    training run records the pack's manifest, so a shard replaced after it was written would make that record describe
    text that was never read. Hashing costs far less than the parsing, tokenising or scanning that follows.
    """
    import pyarrow.parquet as pq

    pack_json = Path(pack_json)
    if pack_json.is_dir():
        pack_json = pack_json / "dataset_pack.json"
    pack = load_dataset_pack(pack_json)
    for i, shard in enumerate(pack["shards"]):
        path = pack_json.parent / shard["path"]
        if not path.exists():
            raise PicochatInputError("shard listed in the pack is missing", path=path, field=f"shards[{i}]")
        if verify and shard.get("sha256") != sha256_file(path):
            why = "the pack manifest records no sha256 for it" if not shard.get("sha256") else "sha256 does not match the pack manifest"
            raise PicochatInputError(f"{why} (rebuild the pack with `picochat data import`)", path=path, field=f"shards[{i}].sha256")
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=["id", "text", "source"]):
            yield from batch.to_pylist()


def iter_pack_texts(pack_json: str | Path) -> Iterator[str]:
    for doc in iter_pack_documents(pack_json):
        yield doc["text"]
