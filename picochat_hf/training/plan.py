"""The training plan (what a run intends to do, before it does it) and the preflight gate call.

The plan is the contract with `picochat_hf.gates.preflight.run_preflight(plan, run_dir, profile)`; the same
numbers go into `train_report.json`, so the gate judges exactly what the run then reports.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..run_dir import RunDir
from ..utils.errors import PicochatInputError

logger = logging.getLogger(__name__)


class PreflightBlockedError(PicochatInputError):
    """The preflight gate said `blocked` and no override was given."""


def model_numbers(model: Any, seq_len: int | None) -> tuple[int, float]:
    """(parameters, training FLOPs per token) for picochat (closed form) or any HF causal LM (estimate).

    The one sizing function: the trainers' plans, the preflight gate and `gate preflight --config` all call it.
    `model` may be a model or (for picochat) just its config."""
    config = getattr(model, "config", model)
    if getattr(config, "model_type", None) == "picochat":
        from ..modeling.flops import flops_per_token, num_parameters

        return num_parameters(config), flops_per_token(config, seq_len)
    n = int(model.num_parameters()) if hasattr(model, "num_parameters") else 0
    emb = model.get_input_embeddings() if hasattr(model, "get_input_embeddings") else None
    n_emb = emb.weight.numel() if emb is not None else 0
    tied = bool(getattr(config, "tie_word_embeddings", False))
    matmul = n - n_emb + (n_emb if tied else 0)
    layers = getattr(config, "num_hidden_layers", 0) or 0
    hidden = getattr(config, "hidden_size", 0) or 0
    return n, float(6 * matmul + 12 * layers * hidden * seq_len)


def build_plan(
    *,
    stage: str,
    model: Any,
    args: Any,
    tokens_per_micro_batch: int,
    sampling: str,
    packing: str,
    sft_input: str | None,
    eval_input: str | None,
    dataset_pack: str | None,
    tokenizer: str,
    base_learning_rate: float | None = None,
    init_checkpoint: str | None = None,
    epoch_steps: int | None = None,
) -> dict[str, Any]:
    """Assemble the preflight plan from the model, the Trainer arguments and the data layout. A run set by epochs
    (`max_steps` -1) plans `epoch_steps`, the count the Trainer will run (`check_epoch_run_warmup`), so its token
    budget is known to the gate and to the report as much as a run set by `max_steps`."""
    seq_len = int(args.max_length)
    n_params, fpt = model_numbers(model, seq_len)
    world = int(args.world_size)
    tokens_per_step = tokens_per_micro_batch * int(args.gradient_accumulation_steps) * world
    by_epochs = not (args.max_steps and args.max_steps > 0)
    max_steps = epoch_steps if by_epochs else int(args.max_steps)
    config = getattr(model, "config", None)
    return {
        "stage": stage,
        "model_config": config.to_dict() if config is not None else {},
        "num_parameters": n_params,
        "flops_per_token": fpt,
        "seq_len": seq_len,
        "per_device_batch": int(args.per_device_train_batch_size),
        "grad_accum": int(args.gradient_accumulation_steps),
        "world_size": world,
        "tokens_per_step": tokens_per_step,
        "max_steps": max_steps,
        "num_train_epochs": float(args.num_train_epochs) if by_epochs else None,
        "planned_tokens": tokens_per_step * max_steps if max_steps else None,
        "learning_rate": float(args.learning_rate),
        "muon_learning_rate": getattr(args, "muon_learning_rate", None),
        "seed": getattr(args, "seed", None),
        "base_learning_rate": base_learning_rate,
        "device": args.device_kind,
        "precision": args.precision,
        "torch_compile": bool(getattr(args, "torch_compile", False)),
        "lm_head_loss": getattr(args, "lm_head_loss", None),
        "attn_implementation": getattr(config, "_attn_implementation", None) if config is not None else None,
        "packing": packing,
        "sampling": sampling,
        "sft_input": sft_input,
        "eval_input": eval_input,
        "dataset_pack": dataset_pack,
        "tokenizer": tokenizer,
        "init_checkpoint": init_checkpoint,
    }


def plan_for_config(config: Any, stage: str, model: Any, epoch_steps: int | None = None) -> dict[str, Any]:
    """The plan of a trainer's config object (PicochatSFTConfig / PicochatPretrainConfig) and its model: the one
    place that maps config fields to plan keys, used by the trainers and by `picochat gate preflight --config`;
    `epoch_steps` is the step count of a run set by epochs."""
    sft = stage == "sft"
    return build_plan(
        stage=stage, model=model, args=config,
        tokens_per_micro_batch=config.per_device_train_batch_size * config.max_length,
        sampling=config.sampling if sft else "uniform", packing=config.packing_mode,
        sft_input=config.input if sft else None, eval_input=config.eval_input if sft else None,
        dataset_pack=config.dataset_pack, tokenizer=config.tokenizer or config.checkpoint,
        base_learning_rate=config.base_learning_rate if sft else None, init_checkpoint=config.checkpoint if sft else None,
        epoch_steps=epoch_steps,
    )


def plan_input_hashes(plan: dict[str, Any]) -> dict[str, Any]:
    """sha256 of what a plan trains on: SFT rows, eval rows, dataset pack, tokenizer, initial weights."""
    from ..utils.provenance import input_sha256, weights_sha256

    return {
        "sft_input": plan.get("sft_input"),
        "sft_input_sha256": input_sha256(plan.get("sft_input")),
        "eval_input_sha256": input_sha256(plan.get("eval_input")),
        "dataset_pack_sha256": input_sha256(plan.get("dataset_pack")),
        "tokenizer_sha256": input_sha256(plan.get("tokenizer")),
        "init_checkpoint": plan.get("init_checkpoint"),
        "init_weights_sha256": weights_sha256(plan.get("init_checkpoint")),
    }


def run_preflight_gate(plan: dict[str, Any], run_dir: Path, profile: str, allow_blocked: bool) -> dict[str, Any]:
    """Call the preflight gate; refuse a blocked plan unless `allow_blocked`. Returns the gate result
    plus `override` (True when training goes on despite `blocked`)."""
    try:
        from ..gates.preflight import run_preflight
    except ImportError as exc:  # the gate ships separately; say so rather than pretend it passed
        logger.warning("preflight gate unavailable (%s); training without it", exc)
        return {"status": "unavailable", "profile": profile, "checks": [], "why": f"import failed: {exc}", "override": False}
    result = dict(run_preflight(plan, Path(run_dir), profile))
    status = result.get("status")
    result["override"] = False
    if status == "blocked":
        reasons = "; ".join(
            f"{c.get('name')}: {c.get('why') or c.get('value')}" for c in result.get("checks", []) if c.get("status") == "block"
        )
        if not allow_blocked:
            raise PreflightBlockedError(
                f"preflight gate blocked this run ({reasons or result.get('summary') or 'no blocking check was named'}); "
                "fix the plan or pass --allow-blocked-preflight to train anyway",
                path=RunDir(run_dir).preflight,
            )
        logger.warning("preflight blocked (%s); continuing because --allow-blocked-preflight was given", reasons)
        result["override"] = True
    return result
