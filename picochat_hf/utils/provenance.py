"""Where an artifact came from: git commit, package versions, device, time."""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.metadata
import json
import platform
import subprocess
from pathlib import Path
from typing import Any

TRACKED_PACKAGES = (
    "picochat-hf",
    "torch",
    "transformers",
    "trl",
    "accelerate",
    "peft",
    "datasets",
    "tokenizers",
    "huggingface_hub",
    "lm_eval",
    "safetensors",
)


def package_versions(names: tuple[str, ...] = TRACKED_PACKAGES) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit(path: str | Path | None = None) -> str | None:
    """The commit of the picochat_hf checkout (None when installed from a wheel or outside git)."""
    cwd = Path(path) if path is not None else Path(__file__).resolve().parents[2]
    try:
        res = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = res.stdout.strip()
    if res.returncode != 0 or not commit:
        return None
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd, capture_output=True, text=True, check=False
    ).stdout.strip()
    return commit + ("-dirty" if dirty else "")


def device_summary() -> dict[str, Any]:
    import torch

    info: dict[str, Any] = {"platform": platform.platform(), "python": platform.python_version(), "cuda": torch.cuda.is_available()}
    if torch.cuda.is_available():
        info["gpu"] = torch.cuda.get_device_name(0)
        info["gpu_count"] = torch.cuda.device_count()
    return info


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def provenance() -> dict[str, Any]:
    return {"created_at": utc_now(), "git_commit": git_commit(), "packages": package_versions(), "device": device_summary()}


# ------------------------------------------------------------------------------------------ fingerprints
# What an artifact was computed from is recorded as sha256 digests, so a consumer can tell whether two
# artifacts speak about the same model and the same data.

WEIGHT_PATTERNS = ("*.safetensors", "pytorch_model*.bin", "adapter_model.*")


def weights_sha256(folder: str | Path | None) -> str | None:
    """One digest for a checkpoint's weights: the file's sha256 for a single weight file, else the sha256 of
    the sorted `name sha256` lines of every weight file. None when the folder holds no weights."""
    from .io import sha256_file

    if folder is None or not Path(folder).is_dir():
        return None
    files = sorted({p for pat in WEIGHT_PATTERNS for p in Path(folder).glob(pat) if p.is_file()})
    if not files:
        return None
    if len(files) == 1:
        return sha256_file(files[0])
    import hashlib

    lines = "".join(f"{p.name} {sha256_file(p)}\n" for p in files)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def tensors_differ(exported: str | Path, source: str | Path) -> str | None:
    """Why the safetensors weights in `exported` are not `source`'s tensors (cast to the exported dtype); None when
    they are. Two folders can hold the same tensors under different file hashes (metadata, dtype of a copy)."""
    import torch
    from safetensors.torch import load_file

    tensors = []
    for folder in (Path(exported), Path(source)):
        files = sorted(folder.glob("*.safetensors")) if folder.is_dir() else []
        if not files:
            return f"{folder.name}/ has no safetensors weights to compare"
        tensors.append({k: v for f in files for k, v in load_file(str(f)).items()})
    mine, theirs = tensors
    if set(mine) != set(theirs):
        return "its tensors are not the released checkpoint's (other names)"
    bad = next((k for k in sorted(theirs) if not torch.equal(theirs[k].to(mine[k].dtype), mine[k])), None)
    return f"its tensor {bad} differs from the released checkpoint's" if bad else None


def dataset_pack_corpus_sha256(pack_json: Path) -> str:
    """sha256 of a dataset pack's corpus: its shards' paths, sizes and sha256, and nothing else of the manifest.
    Promoting a task pack rewrites `dataset_pack.json` (its `task_pack` pointers) after the base run read it, but
    not the corpus, so the base run and a later contamination scan name the same corpus by the same hash. An
    unreadable manifest hashes as its bytes."""
    from .io import sha256_file

    try:
        shards = json.loads(pack_json.read_text(encoding="utf-8"))["shards"]
        corpus = [{k: shard.get(k) for k in ("path", "sha256", "documents", "characters")} for shard in shards]
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return sha256_file(pack_json)
    return hashlib.sha256(json.dumps(corpus, sort_keys=True).encode()).hexdigest()


def input_sha256(path: str | Path | None) -> str | None:
    """sha256 of a data input: a file's bytes; a dataset pack (its folder or `dataset_pack.json`) by its corpus
    (`dataset_pack_corpus_sha256`); a tokenizer folder by what decides the prompt (`tokenizer_identity`). None when absent."""
    from .io import sha256_file
    from .tokenizer_identity import tokenizer_sha256

    if path is None or str(path) == "default":
        return None
    p = Path(path)
    if p.is_dir() and (p / "dataset_pack.json").is_file():
        return dataset_pack_corpus_sha256(p / "dataset_pack.json")
    if p.is_dir():
        return tokenizer_sha256(p)
    if p.name == "dataset_pack.json" and p.is_file():
        return dataset_pack_corpus_sha256(p)
    return sha256_file(p) if p.is_file() else None


def with_weights_hash(model: dict[str, Any] | None) -> dict[str, Any] | None:
    """An eval report's `model` block plus `weights_sha256` of the folder it names (when it is one) and
    `tokenizer_sha256` of the tokenizer it used (`tokenizer_identity`: ids, chat template, special tokens), which the release gate ties to the release."""
    if not isinstance(model, dict) or not model.get("path"):
        return model
    out = dict(model)
    if not out.get("weights_sha256"):
        out["weights_sha256"] = weights_sha256(model["path"])
    if not out.get("tokenizer_sha256") and model.get("tokenizer"):
        out["tokenizer_sha256"] = input_sha256(model["tokenizer"])
    return out
