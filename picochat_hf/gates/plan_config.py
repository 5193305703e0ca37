"""Build a preflight plan from a training YAML config without building the model.

Keys are read tolerantly so the recipes' configs (TRL/Trainer names) and hand-written plans both work:
`max_length`/`seq_len`, `per_device_train_batch_size`/`per_device_batch`, `gradient_accumulation_steps`/
`grad_accum`, `device_kind`/`device`, `packing_mode`/`packing`, `input`/`sft_input`, and a model from
`model_config` (dict), `preset` or `depth` (with the tokenizer's vocabulary) or a `checkpoint` folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


from ..utils.errors import PicochatInputError
from ..utils.io import read_yaml_mapping


def _first(cfg: dict, *names: str, default: Any = None) -> Any:
    for name in names:
        if cfg.get(name) is not None:
            return cfg[name]
    return default


def _path(value: Any, base: Path) -> str | None:
    if value is None or value == "default":
        return None
    p = Path(str(value))
    if not p.is_absolute() and not p.exists() and (base / p).exists():
        p = base / p
    return str(p)


def _model_config(cfg: dict, vocab_size: int | None, path: Path) -> dict[str, Any]:
    mc = cfg.get("model_config")
    if isinstance(mc, str):
        try:
            mc = json.loads(mc)
        except json.JSONDecodeError:
            raise PicochatInputError("model_config must be a mapping or JSON object", path=path, field="model_config") from None
    mc = dict(mc or {})
    checkpoint = _first(cfg, "checkpoint", "model_name_or_path")
    if checkpoint is not None:
        config_json = Path(_path(checkpoint, path.parent)) / "config.json"
        if not config_json.exists():
            raise PicochatInputError("checkpoint has no config.json", path=config_json, field="checkpoint")
        return {**json.loads(config_json.read_text(encoding="utf-8")), **mc}
    preset, depth = cfg.get("preset"), cfg.get("depth")
    if preset is None and depth is None and not mc:
        return {}
    if vocab_size is None:
        vocab_size = mc.pop("vocab_size", None) or cfg.get("vocab_size")
    if vocab_size is None:
        raise PicochatInputError("a tokenizer or vocab_size is needed to size the model", path=path, field="tokenizer")
    from ..modeling.configuration_picochat import PicochatConfig
    from ..modeling.flops import preset_config

    mc.pop("vocab_size", None)
    if preset is not None:
        try:
            config = preset_config(preset, vocab_size, **mc)
        except ValueError as exc:
            raise PicochatInputError(str(exc), path=path, field="preset") from None
    elif depth is not None:
        config = PicochatConfig.from_depth(int(depth), vocab_size=vocab_size, **mc)
    else:
        config = PicochatConfig(vocab_size=vocab_size, **mc)
    return config.to_dict()


def plan_from_config(config_path: str | Path, stage: str | None = None) -> tuple[dict[str, Any], Path | None]:
    """(plan, run_dir) from a training YAML; `run_dir` is the parent of a stage output_dir (runs/x/sft -> runs/x)."""
    path = Path(config_path)
    cfg = read_yaml_mapping(path)
    if not isinstance(cfg, dict):
        raise PicochatInputError("expected a mapping of settings", path=path)
    base = path.parent
    if stage is None:
        stage = cfg.get("stage") or ("base" if any(k in path.stem for k in ("pretrain", "base")) else "sft")
    tokenizer = _path(_first(cfg, "tokenizer", "tokenizer_path", "tokenizer_name_or_path"), base)
    checkpoint = _path(_first(cfg, "checkpoint", "model_name_or_path"), base)
    if tokenizer is None and checkpoint is not None and (Path(checkpoint) / "tokenizer.json").exists():
        tokenizer = checkpoint
    vocab = None
    if tokenizer is not None and Path(tokenizer).exists():
        from ..tokenizer import load_tokenizer

        vocab = len(load_tokenizer(tokenizer))
    model_config = _model_config(cfg, vocab, path)
    seq_len = int(_first(cfg, "seq_len", "max_length", "max_seq_length", "sequence_length", default=512))
    pdb = int(_first(cfg, "per_device_batch", "per_device_train_batch_size", "batch_size", default=8))
    acc = int(_first(cfg, "grad_accum", "gradient_accumulation_steps", default=1))
    world = int(_first(cfg, "world_size", "num_processes", default=os.environ.get("WORLD_SIZE", 1)))
    steps = _first(cfg, "max_steps")
    tps = pdb * acc * world * seq_len
    device = _first(cfg, "device", "device_kind", default="auto")
    if device == "auto":
        import torch

        device = "cuda" if torch.cuda.is_available() else "cpu"
    if cfg.get("use_cpu"):
        device = "cpu"
    precision = _first(cfg, "precision", default=None)
    if precision in (None, "auto"):
        precision = "bf16" if cfg.get("bf16") else "fp16" if cfg.get("fp16") else ("bf16" if device == "cuda" else "fp32")
    plan = {
        "stage": stage,
        "model_config": model_config,
        "num_parameters": cfg.get("num_parameters"),
        "flops_per_token": cfg.get("flops_per_token"),
        "seq_len": seq_len,
        "per_device_batch": pdb,
        "grad_accum": acc,
        "world_size": world,
        "tokens_per_step": tps,
        "max_steps": int(steps) if steps is not None and int(steps) > 0 else None,
        "planned_tokens": tps * int(steps) if steps is not None and int(steps) > 0 else None,
        "learning_rate": _first(cfg, "learning_rate"),
        "base_learning_rate": cfg.get("base_learning_rate"),
        "device": device,
        "precision": precision,
        "attn_implementation": _first(cfg, "attn_implementation", default="sdpa"),
        "packing": _first(cfg, "packing_mode", "packing", default="bos_bestfit" if stage == "sft" else "documents"),
        "sampling": _first(cfg, "sampling", default=None),
        "sft_input": _path(_first(cfg, "sft_input", "input", "train_file"), base) if stage == "sft" else None,
        "eval_input": _path(_first(cfg, "eval_input", "eval_file"), base),
        "dataset_pack": _path(_first(cfg, "dataset_pack"), base),
        "tokenizer": tokenizer,
    }
    if plan["learning_rate"] is None:
        plan["learning_rate"] = 2e-5 if stage == "sft" else 3e-3  # the recipes' defaults
    out = _first(cfg, "run_dir", "output_dir")
    run_dir = None
    if out is not None:
        out_path = Path(out)
        run_dir = out_path.parent if out_path.name in ("sft", "base", "dpo") else out_path
    return plan, run_dir
