"""Every text an SFT plan's model trained on besides its SFT rows, for the preflight's contamination scan: the
dataset pack the plan names, and what the base run's report (`base/train_report.json`) says base pretraining
read: its dataset pack (`plan.dataset_pack`), its documents file (`data.source`) and the documents it mixed in
(`data.mix_documents`, e.g. the demo's task text). The release gate holds the honesty scan to the same files
(`release_honesty`); a preflight that scanned fewer would pass a leak the release gate then blocks.

A base run that read no file (`data.source` "default", no dataset pack) trained on the embedded default corpus
(`data.default_corpus`, which ships in the package): it is scanned too, under its fingerprint (the sha256 of its
documents as JSONL lines, `embedded_line`; they depend on the Python version), and named in the scan's source. The
base run records that fingerprint (`data.default_corpus_sha256`); when this Python's corpus has another, it is other
text than the model read, and that is a problem sentence too.

A file the base report names that cannot be read, or whose sha256 is no longer the one the report recorded, is
a problem sentence naming the file and the field: the scan cannot show the model's training text is clean.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..utils.provenance import input_sha256

BASE_REPORT = "base/train_report.json"


EMBEDDED = "the embedded default corpus"


@dataclass(frozen=True)
class TrainedText:
    path: Path | None  # None: the embedded default corpus, whose `documents` are held
    field: str  # where the path was read: "the plan's dataset_pack", "base/train_report.json data.mix_documents"
    sha256: str | None  # the file's sha256 now (input_sha256: a pack by its corpus); the embedded corpus's fingerprint
    documents: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """How the scan's source and its sentences name the text."""
        return self.path.name if self.path is not None else f"{EMBEDDED} (sha256 {str(self.sha256)[:12]})"


def embedded_text() -> TrainedText:
    """The embedded default corpus as base pretraining read it, with its fingerprint."""
    from ..data.default_corpus import iter_default_documents

    docs = tuple((str(d["id"]), str(d["text"])) for d in iter_default_documents())
    digest = hashlib.sha256()
    for doc_id, text in docs:
        digest.update(embedded_line(doc_id, text))
    return TrainedText(None, f"{BASE_REPORT} data.source", digest.hexdigest(), docs)


def embedded_line(doc_id: str, text: str) -> bytes:
    """One document of the embedded corpus as a JSONL line: the fingerprint is the sha256 of these lines, so a honesty
    scan of the corpus written out this way (`--corpus default.jsonl`) records the same hash and stands for it."""
    return (json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n").encode("utf-8")


def corpus_documents(texts: list[TrainedText]) -> Iterator[tuple[str, str]]:
    """(doc_id, text) of every trained text, files through `honesty.sources.iter_corpus`."""
    from ..honesty.sources import iter_corpus

    files = [t.path for t in texts if t.path is not None]
    if files:
        yield from iter_corpus(files)
    for t in texts:
        if t.path is None:
            yield from ((f"default:{doc_id}", text) for doc_id, text in t.documents)


def read_embedded(base: dict[str, Any]) -> bool:
    """Whether base pretraining read the embedded default corpus: in memory, from no pack and no documents file."""
    plan = base.get("plan") if isinstance(base.get("plan"), dict) else {}
    data = base.get("data") if isinstance(base.get("data"), dict) else {}
    pack = plan.get("dataset_pack")
    return data.get("path") == "in_memory" and data.get("source") in (None, "", "default") and pack in (None, "", "default")


def _base_sources(base: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(path, field, recorded sha256) of each text the base report says pretraining read."""
    plan = base.get("plan") if isinstance(base.get("plan"), dict) else {}
    data = base.get("data") if isinstance(base.get("data"), dict) else {}
    inputs = base.get("inputs") if isinstance(base.get("inputs"), dict) else {}
    out: list[tuple[str, str, str | None]] = []
    pack = plan.get("dataset_pack")
    if isinstance(pack, str) and pack not in ("", "default"):
        out.append((pack, f"{BASE_REPORT} plan.dataset_pack", inputs.get("dataset_pack_sha256")))
    source = data.get("source")
    if data.get("path") == "in_memory" and isinstance(source, str) and source not in ("", "default", pack):
        out.append((source, f"{BASE_REPORT} data.source", None))
    mix = data.get("mix_documents")
    if isinstance(mix, str) and mix:
        out.append((mix, f"{BASE_REPORT} data.mix_documents", data.get("mix_documents_sha256")))
    return out


def _recorded_field(field: str) -> str:
    return f"{BASE_REPORT} data.mix_documents_sha256" if field.endswith("mix_documents") else f"{BASE_REPORT} inputs.dataset_pack_sha256"


def trained_texts(pack_json: Path | None, base: dict[str, Any] | None) -> tuple[list[TrainedText], list[str]]:
    """The texts to scan (one per distinct content) and a sentence per file the base report names that cannot be
    read or changed since the base run trained on it."""
    texts: list[TrainedText] = []
    problems: list[str] = []
    if pack_json is not None:
        texts.append(TrainedText(pack_json, "the plan's dataset_pack", input_sha256(pack_json)))
    for raw, field, recorded in _base_sources(base or {}):
        path = Path(raw)
        if not (path.is_file() or (path.is_dir() and (path / "dataset_pack.json").is_file())):
            why = "does not exist" if not path.exists() else "is not a file or dataset pack"
            problems.append(f"{raw} ({field}) {why}, so the preflight cannot scan the text base pretraining read for eval prompts.")
            continue
        try:
            now = input_sha256(path)
        except (OSError, ValueError) as exc:
            problems.append(f"{raw} ({field}) cannot be read ({exc}), so the preflight cannot scan it for eval prompts.")
            continue
        if recorded and now != recorded:
            problems.append(f"{raw} ({field}) has sha256 {str(now)[:12]} now, but the base run trained on {str(recorded)[:12]} "
                            f"({_recorded_field(field)}): the file changed since, so a scan of it is not a scan of the training text.")
            continue
        if all(t.sha256 != now for t in texts):
            texts.append(TrainedText(path, field, now))
    if base and read_embedded(base):
        _add_embedded(base, texts, problems)
    return texts, problems


def _add_embedded(base: dict[str, Any], texts: list[TrainedText], problems: list[str]) -> None:
    """The embedded corpus as this Python gives it, when it is the one base pretraining read: the base report records
    its fingerprint (`data.default_corpus_sha256`); another Python's corpus is other text, and a scan of it is not a
    scan of the training text."""
    embedded = embedded_text()
    recorded = (base.get("data") or {}).get("default_corpus_sha256")
    if not embedded.documents:  # a scan naming it would claim to have read text it never read
        problems.append(f"{EMBEDDED} ({BASE_REPORT} data.source {(base.get('data') or {}).get('source')!r}) yields no documents "
                        "in this Python, so the preflight cannot scan the text base pretraining read for eval prompts.")
    elif recorded and recorded != embedded.sha256:
        problems.append(f"{EMBEDDED} has sha256 {str(embedded.sha256)[:12]} in this Python, but the base run trained on "
                        f"{str(recorded)[:12]} ({BASE_REPORT} data.default_corpus_sha256): another Python's corpus is other text, "
                        "so a scan of it is not a scan of the training text; run the preflight where the base run ran.")
    else:
        texts.append(embedded)


def unscanned(report: dict[str, Any], texts: list[TrainedText]) -> str | None:
    """Why an existing honesty report did not scan every trained text (None when its corpus hashes hold them all)."""
    scanned = ((report.get("inputs") or {}).get("sha256") or {}).get("corpus")
    hashes = set(scanned.values()) if isinstance(scanned, dict) else set()
    missing = [t for t in texts if t.sha256 not in hashes]
    if not missing:
        return None
    first = missing[0]
    return f"it did not scan {first.name} ({first.field})" + (f" nor {len(missing) - 1} more trained text(s)" if len(missing) > 1 else "")
