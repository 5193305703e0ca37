"""Readers for the scan's inputs: corpus documents (streamed), generated replies and eval-report rates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..data.schema import iter_jsonl
from ..utils.errors import PicochatInputError
from ..utils.io import read_json

TEXT_DOCUMENT_CHARS = 20_000  # a plain text corpus is read in documents of whole paragraphs of about this size
REPLY_FIELDS = ("response", "generated", "generation", "output", "completion", "prediction", "reply")


def corpus_size_bytes(paths: list[Path]) -> int | None:
    """Total bytes of plain corpus files (None when a dataset pack hides the size)."""
    total = 0
    for p in paths:
        if p.suffix == ".json" or p.is_dir():
            return None
        total += p.stat().st_size
    return total


def iter_corpus(paths: list[str | Path]) -> Iterator[tuple[str, str]]:
    """Yield `(doc_id, text)` from dataset packs (`*.json`), JSONL documents and plain text files.

    A dataset pack goes through `picochat_hf.data.dataset_pack.iter_pack_documents`; a JSONL line needs a
    string `text` (its `id` is used when present); a text file yields documents of whole blank-line-separated
    paragraphs of about `TEXT_DOCUMENT_CHARS` characters (so a quiz question, its options and its answer in
    separate paragraphs are read together), read line by line so a large file is never held in memory.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise PicochatInputError("file not found", path=path)
        texts = 0
        for doc_id, text in _iter_source(path):
            texts += bool(text.strip())
            yield doc_id, text
        if not texts:  # a report naming this corpus would claim a scan of text it never read
            raise PicochatInputError("no text in this corpus file (empty, or blank documents only)", path=path)


def _iter_source(path: Path) -> Iterator[tuple[str, str]]:
    if path.is_dir() and (path / "dataset_pack.json").exists():
        yield from _iter_pack(path / "dataset_pack.json")
    elif path.suffix == ".json":
        yield from _iter_pack(path)
    elif path.suffix == ".jsonl":
        for lineno, obj in iter_jsonl(path):
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise PicochatInputError("expected an object with a string 'text'", path=path, line=lineno, field="text")
            yield str(obj.get("id", f"{path.name}:{lineno}")), obj["text"]
    else:
        yield from _iter_paragraphs(path)


def _iter_pack(path: Path) -> Iterator[tuple[str, str]]:
    try:
        from ..data.dataset_pack import iter_pack_documents
    except ImportError as exc:  # pragma: no cover - depends on the installed data module
        raise PicochatInputError(f"cannot read dataset packs: {exc}", path=path) from None
    for i, doc in enumerate(iter_pack_documents(path)):
        if isinstance(doc, str):
            yield f"{path.name}:{i}", doc
        else:
            yield str(doc.get("id", f"{path.name}:{i}")), doc["text"]


def _iter_paragraphs(path: Path, max_chars: int = TEXT_DOCUMENT_CHARS) -> Iterator[tuple[str, str]]:
    """Documents of whole blank-line-separated paragraphs, each up to about `max_chars` characters (a longer
    paragraph is a document of its own): a question and the answer in the next paragraph stay one document."""
    lines: list[str] = []
    size, start = 0, 1
    with open(path, encoding="utf-8") as fh:  # not UTF-8 is refused: U+FFFD in place of letters hides a copied text
        for lineno, line in enumerate(fh, start=1):
            if line.strip():
                if not lines:
                    start = lineno
                lines.append(line)
                size += len(line)
            elif lines and size >= max_chars:
                yield f"{path.name}:{start}", "".join(lines)
                lines, size = [], 0
            elif lines:
                lines.append("\n")  # the paragraph break stays in the document
    if lines:
        yield f"{path.name}:{start}", "".join(lines)


def _reply_of(example: dict) -> str | None:
    for name in REPLY_FIELDS:
        value = example.get(name)
        if isinstance(value, str):
            return value
    return None


def read_generated(path: str | Path) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Generated replies and rates from an `eval_report.json` or a JSONL of replies.

    For a report, the replies come from the `results.jsonl` beside it (all rows) when present, else from
    the report's `examples` (a selection).

    Returns `([(id, reply), ...], {"prompt_echo_rate": .., "unsupported_claim_rate": .., "n": ..})`; the
    rates are empty for JSONL input.
    """
    path = Path(path)
    replies: list[tuple[str, str]] = []
    rates: dict[str, Any] = {}
    if path.suffix == ".jsonl":
        for lineno, obj in iter_jsonl(path):
            reply = _reply_of(obj) if isinstance(obj, dict) else None
            if reply is None:
                raise PicochatInputError(f"no reply field (one of {', '.join(REPLY_FIELDS)})", path=path, line=lineno)
            replies.append((str(obj.get("id", f"{path.name}:{lineno}")), reply))
        if not replies:  # scanned as given, no reply would be compared and the scan would say it found no leak
            raise PicochatInputError("no replies to scan (empty file)", path=path, field="generated")
        return replies, rates
    report = read_json(path)
    if not isinstance(report, dict) or not isinstance(report.get("summary"), dict):
        raise PicochatInputError("not an eval report (no 'summary' object)", path=path, field="summary")
    summary = report["summary"]
    for name in ("prompt_echo_rate", "unsupported_claim_rate"):
        value = summary.get(name)
        if value is not None and not isinstance(value, (int, float)):
            raise PicochatInputError(f"expected a number, got {json.dumps(value)}", path=path, field=f"summary.{name}")
        rates[name] = value
    rates["n"] = summary.get("n")
    results = path.parent / "results.jsonl"
    if results.exists():  # every row's reply, written next to the report by the evaluators
        for lineno, obj in iter_jsonl(results):
            reply = _reply_of(obj) if isinstance(obj, dict) else None
            if reply is not None:
                replies.append((str(obj.get("id", f"{results.name}:{lineno}")), reply))
        return replies, rates
    for i, ex in enumerate(report.get("examples") or []):
        if isinstance(ex, dict):
            reply = _reply_of(ex)
            if reply is not None:
                replies.append((str(ex.get("id", f"{path.name}:example{i}")), reply))
    return replies, rates
