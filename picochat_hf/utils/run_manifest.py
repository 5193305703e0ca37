"""`run_manifest.json`: what a run was made of, assembled from the artifacts it wrote.

git commit, package versions, device, tokenizer hash, data hashes (dataset-pack shards, SFT and eval
rows, the embedded default corpus's fingerprint when base pretraining read it), model config, parameter count,
planned tokens per stage. Built from files rather than from memory so that it can be rebuilt for any run directory
and never disagrees with the artifacts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .io import atomic_write_json, read_json_or_none, sha256_file
from .provenance import provenance, weights_sha256


def _load(path: Path) -> Any | None:
    return read_json_or_none(path)


def build_run_manifest(run_dir: str | Path, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    from ..run_dir import RunDir

    run = RunDir(run_dir)
    manifest: dict[str, Any] = {"format": "picochat-run-manifest", "version": 1, **provenance()}
    manifest["tokenizer_hash"] = run.tokenizer_hash.read_text().strip() if run.tokenizer_hash.exists() else None
    data: dict[str, Any] = {}
    pack = _load(run.dataset_pack)
    if pack:
        data["dataset_pack_shards"] = {s["path"]: s.get("sha256") for s in pack.get("shards", [])}
    for name in sorted(run.task_pack_dir.glob("*.jsonl")):
        data[run.rel(name)] = sha256_file(name)
    base = _load(run.train_report("base"))
    base_data = base.get("data") if isinstance(base, dict) else None
    if isinstance(base_data, dict) and base_data.get("default_corpus_sha256"):  # base pretraining read the embedded corpus
        data["default_corpus_sha256"] = base_data["default_corpus_sha256"]
    manifest["data"] = data
    manifest["weights_sha256"] = {stage: weights_sha256(run.checkpoint(stage)) for stage in ("base", "sft") if run.checkpoint(stage).is_dir()}
    config = _load(run.released_checkpoint / "config.json") or _load(run.checkpoint("base") / "config.json")
    manifest["model_config"] = {k: v for k, v in (config or {}).items() if k not in ("auto_map", "transformers_version")}
    stages = {}
    for stage in ("base", "sft"):
        rep = _load(run.train_report(stage))
        if rep:
            stages[stage] = {key: rep.get(key) for key in ("status", "num_parameters", "steps", "planned_tokens", "real_tokens_seen",
                                                          "supervised_tokens_seen", "trained_tokens_seen",
                                                          "tokens_per_parameter", "wall_time_s")}
    manifest["stages"] = stages
    manifest["num_parameters"] = next((s["num_parameters"] for s in stages.values() if s.get("num_parameters")), None)
    # the pretraining budget is the one tokens-per-parameter rules speak of; SFT's is listed per stage
    manifest["planned_tokens"] = (stages.get("base") or stages.get("sft") or {}).get("planned_tokens")
    manifest["planned_tokens_by_stage"] = {name: s.get("planned_tokens") for name, s in stages.items()}
    if extra:
        manifest.update(extra)
    return manifest


def write_run_manifest(run_dir: str | Path, extra: dict[str, Any] | None = None) -> Path:
    from ..run_dir import RunDir

    path = RunDir(run_dir).run_manifest
    atomic_write_json(path, build_run_manifest(run_dir, extra))
    return path
