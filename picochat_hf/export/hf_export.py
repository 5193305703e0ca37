"""Export a checkpoint as a Hugging Face model folder a stranger can load, check and trust.

The folder holds safetensors weights (`save_pretrained`), the tokenizer with its chat template, the model's
code files (picochat models carry `auto_map`, so the folder also loads without picochat_hf via
`trust_remote_code=True`), a generation config that stops at `<|assistant_end|>`, the model card
(`README.md`, see `model_card.py`), `.eval_results/*.yaml` for benchmarks on Hub datasets, and
`release_manifest.json` (every file's sha256, the source and exported weights' sha256, the re-checked gate
verdict, the evidence files with their sha256, git commit and package versions). A LoRA adapter checkpoint is
merged into its base first. The gate's verdict is re-checked against its evidence first: a blocked or stale
verdict is refused unless `allow_blocked`, and the card then says BLOCKED or STALE and that it was overridden.

Security: weights load through safetensors or transformers' `torch.load(weights_only=True)`, and
`trust_remote_code` is never turned on: a folder whose code is not picochat_hf's is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

from ..utils.errors import PicochatInputError
import yaml
from huggingface_hub import eval_result_entries_to_yaml
from huggingface_hub.constants import EVAL_RESULTS_FOLDER

from ..gates.verify import may_publish
from ..run_dir import RunDir, shipped_tokenizer_dir
from ..utils.io import atomic_output_dir, atomic_write_json, atomic_write_text, sha256_file
from ..utils.model_files import check_model_config, check_model_weights
from ..utils.provenance import input_sha256, provenance, weights_sha256
from ..utils.tokenizer_identity import legacy_tokenizer_note
from .model_card import build_model_card, hub_eval_entries
from .run_evidence import collect_run_evidence, gate_status

MANIFEST = "release_manifest.json"


def find_run_dir(checkpoint: Path) -> Path | None:
    """The run folder above a checkpoint (runs/x/sft/checkpoint -> runs/x): the nearest with gates/ or run_manifest.json."""
    for parent in list(checkpoint.resolve().parents)[:3]:
        if RunDir(parent).gates_dir.is_dir() or RunDir(parent).run_manifest.exists():
            return parent
    return None


def _load_model(checkpoint: Path) -> tuple[Any, str | None]:
    """(model, merged adapter name or None)."""
    try:
        if (checkpoint / "adapter_config.json").exists():
            from peft import PeftConfig, PeftModel

            base = PeftConfig.from_pretrained(str(checkpoint)).base_model_name_or_path
            base_path = Path(base) if base else None
            if base_path is not None and not base_path.is_absolute() and not base_path.exists() and (checkpoint / base_path).exists():
                base_path = checkpoint / base_path
            if base_path is None or not (base_path / "config.json").exists():
                raise PicochatInputError(f"the adapter's base model {base!r} is not a local model folder", path=checkpoint / "adapter_config.json",
                                         field="base_model_name_or_path")
            base_model, _ = _load_model(base_path)
            merged = PeftModel.from_pretrained(base_model, str(checkpoint)).merge_and_unload()
            return merged, f"{checkpoint.name} (base {base})"
        from transformers import AutoConfig

        check_model_config(checkpoint)
        AutoConfig.from_pretrained(str(checkpoint), trust_remote_code=False)  # foreign code is refused before weights are looked at
        check_model_weights(checkpoint)
        from ..utils.model_load import load_complete

        return load_complete(checkpoint, trust_remote_code=False, use_safetensors=True), None
    except ValueError as exc:
        if "trust_remote_code" in str(exc) or "custom code" in str(exc):
            raise PicochatInputError(
                "this folder needs remote code that picochat_hf did not write; it will not enable trust_remote_code for it",
                path=checkpoint,
            ) from None
        raise


def _tokenizer_dir(checkpoint: Path, run_dir: Path | None) -> Path:
    found = shipped_tokenizer_dir(checkpoint, RunDir(run_dir) if run_dir else None)
    if found is not None:
        return found
    raise PicochatInputError("no tokenizer.json next to the checkpoint, its parent or the run's tokenizer/ folder", path=checkpoint)


def _load_tokenizer(checkpoint: Path, run_dir: Path | None):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(_tokenizer_dir(checkpoint, run_dir)), trust_remote_code=False)


def _not_the_judged_model(checkpoint: Path, run: Path | None, verdict: dict[str, Any]) -> str | None:
    """Why `checkpoint` (with the tokenizer the export would ship) is not the model the run's release gate judged;
    None when it is, or when no gate recorded one. The card repeats that gate's verdict and numbers, so they must
    be about these weights."""
    judged = verdict.get("checkpoint") or {}
    want_w, want_t = judged.get("weights_sha256"), judged.get("tokenizer_sha256")
    if run is None or not want_w:
        return None
    got_w = weights_sha256(checkpoint)
    if got_w != want_w:
        return (f"{checkpoint} has weights {str(got_w)[:12]}, but the release gate of {run} judged weights {want_w[:12]} "
                f"({judged.get('path')})")
    tok_dir = _tokenizer_dir(checkpoint, run)
    got_t = input_sha256(tok_dir)
    if want_t and got_t != want_t:
        older = legacy_tokenizer_note(want_t, tok_dir)
        judged_t = (f"tokenizer {want_t[:12]}, the sha256 of tokenizer.json alone (older picochat_hf), which does not cover "
                    "the chat template or special tokens" if older else f"tokenizer {want_t[:12]}")
        return f"the export would ship the tokenizer in {tok_dir} ({str(got_t)[:12]}), but the release gate of {run} judged {judged_t}"
    return None


def _generation_config(model: Any, tok: Any) -> None:
    gc = model.generation_config
    gc.bos_token_id = tok.bos_token_id
    gc.eos_token_id = tok.eos_token_id if tok.eos_token_id is not None else gc.eos_token_id
    gc.pad_token_id = tok.pad_token_id if tok.pad_token_id is not None else gc.eos_token_id
    gc.do_sample = False
    gc.max_new_tokens = 256


@torch.no_grad()
def _verify(model: Any, folder: Path, tok: Any) -> float:
    from transformers import AutoModelForCausalLM

    reloaded = AutoModelForCausalLM.from_pretrained(str(folder), trust_remote_code=False).eval()
    ids = tok("The release manifest lists every file.", return_tensors="pt")["input_ids"][:, : model.config.max_position_embeddings]
    model.eval()
    diff = (model(ids).logits.float() - reloaded(ids).logits.float()).abs().max().item()
    return float(diff)


def _file_table(folder: Path) -> list[dict[str, Any]]:
    return [
        {"path": p.relative_to(folder).as_posix(), "sha256": sha256_file(p), "bytes": p.stat().st_size}
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST
    ]


def _release_manifest(tmp: Path, *, checkpoint: Path, model_name: str, license: str, config: Any, n_params: int, merged: str | None,
                      tok_hash: str | None, run: Path | None, gate: dict[str, Any], evidence: dict[str, Any], diff: float | None,
                      atol: float) -> dict[str, Any]:
    """release_manifest.json: every file, the weights copied and written, the re-checked verdict and the evidence cited."""
    prov = provenance()
    return {
        "format": "picochat_hf.release_manifest",
        "version": 1,
        "model_name": model_name,
        "license": license,
        "model_type": config.model_type,
        "num_parameters": n_params,
        "source_checkpoint": str(checkpoint),
        "merged_adapter": merged,
        "code_files": sorted(p.name for p in tmp.glob("*.py")),
        "auto_map": json.loads((tmp / "config.json").read_text()).get("auto_map"),
        "tokenizer_hash": tok_hash,
        "run_dir": str(run) if run else None,
        "source_weights_sha256": weights_sha256(checkpoint),
        "weights_sha256": weights_sha256(tmp),
        "gate": {**gate, "exported_despite_block": gate["status"] == "blocked", "exported_despite_stale": gate["state"] == "stale"},
        "evidence": [{"path": rel, "sha256": digest} for rel, digest in sorted(evidence.get("sources", {}).items())],
        "honesty_status": (evidence.get("honesty") or {}).get("status"),
        "verification": {"reloaded_max_abs_logit_diff": diff, "atol": atol},
        "git_commit": prov["git_commit"],
        "packages": prov["packages"],
        "created_at": prov["created_at"],
        "files": _file_table(tmp),
    }


def _tokenizer_hash_or_none(tok: Any) -> str | None:
    try:
        from ..tokenizer import tokenizer_hash

        return tokenizer_hash(tok)
    except Exception:  # a tokenizer without a fast backend has no comparable hash
        return None


def export_hf(
    checkpoint: str | Path,
    out_dir: str | Path,
    *,
    model_name: str,
    license: str = "mit",
    dataset_summary: str = "",
    eval_summary: str = "",
    run_dir: str | Path | None = None,
    force: bool = False,
    allow_blocked: bool = False,
    verify: bool = True,
    atol: float = 1e-4,
) -> Path:
    """Write the HF folder for `checkpoint` to `out_dir`; return `out_dir`. See the module docstring."""
    checkpoint = Path(checkpoint)
    if not checkpoint.is_dir():
        raise PicochatInputError("checkpoint folder not found", path=checkpoint)
    run = Path(run_dir) if run_dir is not None else find_run_dir(checkpoint)
    if run is not None and not run.is_dir():
        raise PicochatInputError("run directory not found", path=run)
    shipped = shipped_tokenizer_dir(checkpoint, RunDir(run) if run else None)
    evidence = collect_run_evidence(run) | {"exported_weights": weights_sha256(checkpoint), "exported_tokenizer": input_sha256(shipped),
                                              "exported_tokenizer_dir": str(shipped) if shipped else None}
    gate = gate_status(evidence)
    other = _not_the_judged_model(checkpoint, run, evidence["verdict"])
    if other:
        raise PicochatInputError(f"{other}: the card would repeat a verdict about another model. Export the checkpoint the gate judged, "
                                 "or run `picochat gate release --checkpoint` on this one.", path=checkpoint)
    ok, why = may_publish(evidence["verdict"])
    if not ok and not allow_blocked:
        raise PicochatInputError(f"{why} Pass --allow-blocked to export anyway; the card will say so.",
                                 path=RunDir(run).release if run else None)
    model, merged = _load_model(checkpoint)
    tok = _load_tokenizer(checkpoint, run)
    config = model.config  # picochat classes are registered for auto_map on `import picochat_hf`
    tok_hash = _tokenizer_hash_or_none(tok)
    n_params = int(model.num_parameters())
    with atomic_output_dir(out_dir, force=force) as tmp:
        _generation_config(model, tok)
        model.save_pretrained(str(tmp))
        tok.save_pretrained(str(tmp))
        if not any(tmp.glob("*.safetensors")):
            raise PicochatInputError("save_pretrained wrote no safetensors weights", path=tmp)
        card = build_model_card(model_name=model_name, license=license, config=config, num_parameters=n_params, evidence=evidence,
                                dataset_summary=dataset_summary, eval_summary=eval_summary, tokenizer_hash=tok_hash, merged_adapter=merged,
                                has_code=any(tmp.glob("*.py")), override=not ok)
        card.save(str(tmp / "README.md"))
        for name, entries in hub_eval_entries(evidence).items():
            atomic_write_text(tmp / EVAL_RESULTS_FOLDER / f"{name}.yaml", yaml.safe_dump(eval_result_entries_to_yaml(entries), sort_keys=False))
        diff = _verify(model, tmp, tok) if verify else None
        if diff is not None and diff > atol:
            raise PicochatInputError(f"the exported folder's logits differ from the checkpoint's by {diff:.3g} (> {atol})", path=checkpoint)
        manifest = _release_manifest(tmp, checkpoint=checkpoint, model_name=model_name, license=license, config=config, n_params=n_params,
                                     merged=merged, tok_hash=tok_hash, run=run, gate=gate, evidence=evidence, diff=diff, atol=atol)
        atomic_write_json(tmp / MANIFEST, manifest)
    return Path(out_dir)


def check_export(folder: str | Path) -> dict[str, Any]:
    """Recompute every file's sha256 against release_manifest.json: {ok, missing, altered, extra}."""
    folder = Path(folder)
    from ..utils.io import read_json

    manifest = read_json(folder / MANIFEST)
    listed = {f["path"]: f["sha256"] for f in manifest.get("files", [])}
    present = {f["path"]: f["sha256"] for f in _file_table(folder)}
    missing = sorted(set(listed) - set(present))
    altered = sorted(p for p in listed if p in present and present[p] != listed[p])
    extra = sorted(set(present) - set(listed))
    return {"ok": not (missing or altered or extra), "missing": missing, "altered": altered, "extra": extra, "gate": manifest.get("gate")}
