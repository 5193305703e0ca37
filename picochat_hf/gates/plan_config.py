"""The preflight plan of a training YAML, built exactly as the trainer builds it, without training anything.

The YAML is parsed into the trainer's own config object (`PicochatSFTConfig` / `PicochatPretrainConfig`, with
their defaults and checks, through `training.config.parse_config`), the model is instantiated on the `meta`
device (shapes, no memory, no weights read), and `training.plan.plan_for_config` maps both to the plan, the
same function `run_sft` and `run_pretrain` use. So `picochat gate preflight --config x.yaml` judges the numbers
the run will report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import read_yaml_mapping


def _stage(path: Path, stage: str | None) -> str:
    if stage is not None:
        return stage
    return "base" if any(k in path.stem for k in ("pretrain", "base")) else "sft"


def meta_model(config: Any, stage: str) -> Any:
    """The run's model on the meta device: built from the preset/depth (base) or the checkpoint's config.json."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    import picochat_hf  # noqa: F401  (registers picochat with the Auto classes)

    from ..training.common import load_tokenizer_from

    if stage == "base" and not config.checkpoint:
        from ..training.pretrain import build_model

        tokenizer = load_tokenizer_from(config.tokenizer, None)
        with torch.device("meta"):
            return build_model(config, tokenizer)
    if not config.checkpoint:
        raise PicochatInputError("an SFT plan needs the checkpoint it fine-tunes", field="checkpoint")
    if not (Path(config.checkpoint) / "config.json").exists():
        raise PicochatInputError("checkpoint has no config.json", path=Path(config.checkpoint) / "config.json", field="checkpoint")
    from ..utils.model_files import check_model_config

    check_model_config(config.checkpoint)  # a config.json that is no object, or no valid config, named as such
    model_config = AutoConfig.from_pretrained(config.checkpoint)
    with torch.device("meta"):
        return AutoModelForCausalLM.from_config(model_config)


def plan_from_config(config_path: str | Path, stage: str | None = None) -> tuple[dict[str, Any], Path | None]:
    """(plan, run_dir) from a training YAML; `run_dir` holds the stage folder (runs/x/sft -> runs/x)."""
    from ..training.common import run_dir_for
    from ..training.config import PicochatPretrainConfig, PicochatSFTConfig, parse_config
    from ..training.plan import plan_for_config

    path = Path(config_path)
    read_yaml_mapping(path, "a mapping of config fields")  # a clear error for a missing or malformed file
    stage = _stage(path, stage)
    if stage not in ("sft", "base"):
        raise PicochatInputError("stage must be 'sft' or 'base'", field="stage")
    config = parse_config(PicochatPretrainConfig if stage == "base" else PicochatSFTConfig, ["--config", str(path)])
    plan = plan_for_config(config, stage, meta_model(config, stage))
    return plan, run_dir_for(Path(config.output_dir)) if config.output_dir else None
