"""The release gate's hold on the embedded default corpus: when base pretraining read it (no dataset pack, no
documents file: `preflight_corpus.read_embedded`), the honesty scan must have read that very text.

The embedded corpus is the standard library's documentation, so its text depends on the Python that trained: the
base run records its fingerprint (`base/train_report.json` data.default_corpus_sha256, `preflight_corpus.embedded_text`)
and the scan records the sha256 of every corpus it read. `honesty_embedded_corpus` passes when the scan's corpus
hashes hold the recorded fingerprint and the scan was written after the training reports of the checkpoints it
speaks for (the base run that read the corpus, and the stage that wrote the released weights). It blocks, naming the
corpus and both fingerprints, when the scan is missing (`missing_evidence`), read only the eval and SFT rows or
another corpus, is undated or older than those checkpoints (`chain`), and when the base report records no
fingerprint (`missing_evidence`: a run trained before it was recorded; this Python's corpus may be other text).

It reads no file (the reports are in `Evidence`), so `bundle --check` re-derives it from the bundled reports.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .common import Check, chain_check, check, short
from .evidence import Evidence
from .preflight_corpus import EMBEDDED, read_embedded
from .release_dates import written_at

NAME = "honesty_embedded_corpus"
BASE = "base/train_report.json"
SCAN = "honesty/honesty_report.json"
RESCAN = ("re-run `picochat honesty scan ... --default-corpus` in the Python the base run used (it writes the corpus "
          "as `gates.preflight_corpus.embedded_line` JSONL and scans it)")


def _scanned(hon: dict[str, Any] | None) -> list[str]:
    """The sha256 of each corpus the scan read (none for a scan of the eval and SFT rows only)."""
    hashes = ((hon or {}).get("inputs") or {}).get("sha256") if isinstance((hon or {}).get("inputs"), dict) else None
    corpus = hashes.get("corpus") if isinstance(hashes, dict) else None
    return [str(h) for h in corpus.values() if h] if isinstance(corpus, dict) else []


def _named(hashes: list[str]) -> str:
    return ", ".join(short(h) for h in hashes) if hashes else "none (only the eval and SFT rows)"


def _trained_at(ev: Evidence) -> tuple[str, dt.datetime] | None:
    """(report, date) of the latest dated training report among the base run's (it read the corpus) and the one that
    wrote the released weights by hash (the SFT report when none names them, as `release_dates` reads it)."""
    wrote = [s for s in ("dpo", "sft") if isinstance(ev.train.get(s), dict) and ev.weights
             and ((ev.train[s].get("outputs") or {}).get("checkpoint_weights_sha256") == ev.weights)]
    stages = ["base", *(wrote[:1] or ["sft"])]
    dated = [(f"{s}/train_report.json", when) for s in stages if (when := written_at(ev.train.get(s))) is not None]
    return max(dated, key=lambda item: item[1]) if dated else None


def _dated(ev: Evidence, fingerprint: str, rules: dict) -> Check:
    """The scan that read the corpus was written after the checkpoints it speaks for."""
    scanned_at, trained = written_at(ev.honesty), _trained_at(ev)
    corpus = f"{EMBEDDED} (sha256 {short(fingerprint)})"
    if scanned_at is None:
        return chain_check(NAME, False, None, "a dated scan", f"{SCAN} scanned {corpus} but records no readable "
                           "provenance.created_at, so it cannot be shown to be a scan made for this run's checkpoints.", rules)
    if trained is not None and scanned_at < trained[1]:
        rel, when = trained
        return chain_check(NAME, False, scanned_at.isoformat(), when.isoformat(),
                           f"{SCAN} was written at {scanned_at.isoformat()}, before {rel} at {when.isoformat()}: a stale scan of "
                           f"{corpus} is not evidence about the checkpoint trained after it; re-run the scan.", rules)
    return check(NAME, "pass", short(fingerprint), short(fingerprint),
                 f"The honesty scan read {corpus}, the text base pretraining read ({BASE} data.default_corpus_sha256), "
                 "and was written after the training it speaks for.")


def check_embedded_scan(ev: Evidence, rules: dict) -> list[Check]:
    """`honesty_embedded_corpus` (none when the base run read a file, or there is no base report)."""
    base = ev.train.get("base")
    if not isinstance(base, dict) or not read_embedded(base):
        return []
    data = base.get("data") if isinstance(base.get("data"), dict) else {}
    fingerprint = data.get("default_corpus_sha256")
    scanned = _scanned(ev.honesty)
    if not fingerprint:
        return [check(NAME, rules["missing_evidence"], None, "the trained corpus's fingerprint",
                      f"{BASE} trained on {EMBEDDED} but records no data.default_corpus_sha256 (fingerprint: none recorded; "
                      f"the scan read {_named(scanned)}), so no honesty scan can be tied to the text it read: this Python's "
                      "corpus may be other text; re-run base pretraining, which records it.")]
    if ev.honesty is None:
        return [check(NAME, rules["missing_evidence"], None, short(fingerprint),
                      f"{BASE} trained on {EMBEDDED} (sha256 {short(fingerprint)}), but there is no honesty scan ({SCAN} is "
                      f"missing; scanned corpus: none), so leaks into it are unchecked; {RESCAN}.")]
    if fingerprint not in scanned:
        return [chain_check(NAME, False, _named(scanned), short(fingerprint),
                            f"{BASE} trained on {EMBEDDED} (sha256 {short(fingerprint)}), but {SCAN} scanned corpus "
                            f"{_named(scanned)}, so leaks into the text base pretraining read are unchecked; {RESCAN}.", rules)]
    return [_dated(ev, fingerprint, rules)]
