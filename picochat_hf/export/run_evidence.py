"""Collect what a run directory says about a model, for the model card and the release manifest.

Every file read is recorded with its sha256 (`sources`), so the card can name the file and hash behind each
number, and the verdict is re-checked against its evidence (`gates.verify`) before the card repeats it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..run_dir import EVAL_KINDS, EVAL_LABELS, RunDir
from ..utils.io import read_json_object, sha256_file

EVALS = tuple((kind, EVAL_LABELS[kind]) for kind in ("eval", "sft_fit", "sft_fit_heldout"))


def _pack_named_by(manifest: Any) -> Path | None:
    """The dataset pack a run manifest points at (a pack shared by several runs lives outside the run)."""
    if not isinstance(manifest, dict):
        return None
    ref = manifest.get("dataset_pack")
    if isinstance(ref, dict):
        ref = ref.get("path")
    if not isinstance(ref, str):
        return None
    path = Path(ref)
    path = path / "dataset_pack.json" if path.is_dir() else path
    return path if path.suffix == ".json" and path.exists() else None


def collect_run_evidence(run_dir: str | Path | RunDir | None) -> dict[str, Any]:
    """Everything the card can cite: manifests, gates, honesty, eval reports, externals, train reports,
    the re-checked verdict (`verdict`) and `sources` {rel path: sha256} of each file read."""
    from ..gates.evidence import external_results, read_eval_report
    from ..gates.verify import verify_release

    if run_dir is None:
        return {"run_dir": None, "sources": {}, "verdict": verify_release(None)}
    run = run_dir if isinstance(run_dir, RunDir) else RunDir(run_dir)
    sources: dict[str, str] = {}

    def maybe(path: Path | None) -> Any:
        if path is None or not path.exists():
            return None
        key = run.rel(path) if path.resolve().is_relative_to(run.root.resolve()) else str(path)
        sources[key] = sha256_file(path)
        return read_json_object(path)  # every record the card reads is an object: another value is named, not met as an AttributeError

    ev: dict[str, Any] = {"run_dir": str(run.root)}
    ev["run_manifest"] = maybe(run.run_manifest)
    ev["dataset_pack"] = maybe(run.dataset_pack) or maybe(_pack_named_by(ev["run_manifest"]))
    ev["preflight"] = maybe(run.preflight)
    ev["release"] = maybe(run.release)
    ev["honesty"] = maybe(run.honesty_report)
    ev["base_train"] = maybe(run.train_report("base"))
    ev["sft_train"] = maybe(run.train_report("sft"))
    ev["evals"] = {}
    for kind in EVAL_KINDS:
        ev["evals"][kind] = read_eval_report(run.eval_report(kind))
        if ev["evals"][kind] is not None:
            sources[run.rel(run.eval_report(kind))] = sha256_file(run.eval_report(kind))
    ev["external"] = external_results(run) if run.root.is_dir() else []
    for ext in ev["external"]:
        sources[ext["source"]] = sha256_file(run.path(ext["source"]))
    ev["sources"] = sources
    ev["rederived"] = {rel: _rederived(run, run.path(rel)) for rel in sources
                       if rel.endswith("eval_report.json") and rel.startswith(tuple(f"{k}/" for k in EVAL_KINDS) + ("external_eval/",))}
    ev["verdict"] = verify_release(run)
    return ev


def _rederived(run: RunDir, report_path: Path) -> list[str]:
    """Why an eval report's numbers do not follow from its results.jsonl, or its verdicts from the rows it scored
    (empty when they do): the card repeats a report's rates only where its rows give them, whatever the gate's state."""
    from ..data.schema import DuplicateKeyError, unique_keys
    from .rederive import read_results_file, rederive

    results = RunDir.results_beside(report_path)
    if not results.is_file():
        return [f"there is no {run.rel(results)}, so its numbers cannot be re-derived from its rows"]
    from ..gates.verdicts import verdicts_disagree

    try:
        report = json.loads(report_path.read_text(encoding="utf-8"), object_pairs_hook=unique_keys)
        mismatches = rederive(report, read_results_file(results))
    except (ValueError, UnicodeDecodeError, DuplicateKeyError) as exc:
        return [f"{run.rel(results)} cannot be read ({exc})"]
    # numbers that follow from flags flipped by hand follow from nothing: the flags are re-judged from the rows
    disagree = None if mismatches or not isinstance(report, dict) else verdicts_disagree(run, report_path, report)
    return mismatches or ([disagree] if disagree else [])


def gate_status(evidence: dict[str, Any]) -> dict[str, Any]:
    """The re-checked release verdict: `{status, profile, blocking, state (current|stale|not_run), sentence}`."""
    verdict = evidence.get("verdict") or {}
    if not verdict:
        from ..gates.verify import verify_release

        verdict = verify_release(evidence.get("run_dir"))
    return {"status": verdict["status"], "profile": verdict["profile"], "blocking": verdict["blocking"], "state": verdict["state"],
            "sentence": verdict["sentence"], "exceptions": verdict["exceptions"]}
