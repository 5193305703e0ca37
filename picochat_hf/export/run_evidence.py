"""Collect what a run directory says about a model, for the model card and the release manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..utils.io import read_json

EVALS = (("eval", "Visible chat eval"), ("sft_fit", "SFT fit"), ("sft_fit_heldout", "Held-out SFT fit"))


def _maybe(path: Path) -> Any:
    return read_json(path) if path.exists() else None


def _pack_named_by(manifest: Any) -> Any:
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
    return read_json(path) if path.suffix == ".json" and path.exists() else None


def collect_run_evidence(run_dir: str | Path | None) -> dict[str, Any]:
    """Everything the card can cite: manifests, gates, honesty, eval reports, externals, train reports."""
    if run_dir is None:
        return {"run_dir": None}
    from ..gates.evidence import external_results, read_eval_report

    run = Path(run_dir)
    ev: dict[str, Any] = {"run_dir": str(run)}
    ev["run_manifest"] = _maybe(run / "run_manifest.json")
    ev["dataset_pack"] = _maybe(run / "dataset_pack" / "dataset_pack.json") or _pack_named_by(ev["run_manifest"])
    ev["preflight"] = _maybe(run / "gates" / "preflight.json")
    ev["release"] = _maybe(run / "gates" / "release.json")
    ev["honesty"] = _maybe(run / "honesty" / "honesty_report.json")
    ev["base_train"] = _maybe(run / "base" / "train_report.json")
    ev["sft_train"] = _maybe(run / "sft" / "train_report.json")
    ev["evals"] = {key: read_eval_report(run / key / "eval_report.json") for key, _ in EVALS}
    ev["external"] = external_results(run) if run.is_dir() else []
    return ev


def gate_status(evidence: dict[str, Any]) -> dict[str, Any]:
    """The release-gate verdict recorded in the run (`not_run` when there is none)."""
    release = evidence.get("release")
    if not release:
        return {"status": "not_run", "profile": None, "blocking": []}
    return {"status": release.get("status"), "profile": release.get("profile"), "blocking": release.get("blocking") or
            [c["why"] for c in release.get("checks", []) if c.get("status") == "block"]}
