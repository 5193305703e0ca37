"""`run_manifest.json`: what a run was made of, assembled from the artifacts it wrote.

git commit, package versions, device, tokenizer hash, data hashes (dataset-pack shards, SFT and eval
rows), model config, parameter count, planned tokens per stage. Built from files rather than from
memory so that it can be rebuilt for any run directory and never disagrees with the artifacts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .io import atomic_write_json, read_json_or_none, sha256_file
from .provenance import provenance


def _load(path: Path) -> Any | None:
    return read_json_or_none(path)


def build_run_manifest(run_dir: str | Path, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    run = Path(run_dir)
    manifest: dict[str, Any] = {"format": "picochat-run-manifest", "version": 1, **provenance()}
    hash_file = run / "tokenizer" / "tokenizer_hash.txt"
    manifest["tokenizer_hash"] = hash_file.read_text().strip() if hash_file.exists() else None
    data: dict[str, Any] = {}
    pack = _load(run / "dataset_pack" / "dataset_pack.json")
    if pack:
        data["dataset_pack_shards"] = {s["path"]: s.get("sha256") for s in pack.get("shards", [])}
    for name in sorted((run / "task_pack").glob("*.jsonl")):
        data[f"task_pack/{name.name}"] = sha256_file(name)
    manifest["data"] = data
    config = _load(run / "sft" / "checkpoint" / "config.json") or _load(run / "base" / "checkpoint" / "config.json")
    manifest["model_config"] = {k: v for k, v in (config or {}).items() if k not in ("auto_map", "transformers_version")}
    stages = {}
    for stage in ("base", "sft"):
        rep = _load(run / stage / "train_report.json")
        if rep:
            stages[stage] = {key: rep.get(key) for key in ("num_parameters", "steps", "planned_tokens", "real_tokens_seen",
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
    path = Path(run_dir) / "run_manifest.json"
    atomic_write_json(path, build_run_manifest(run_dir, extra))
    return path
