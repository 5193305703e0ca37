"""The step count of a run set by epochs, for a plan built before training (`picochat gate preflight --config`).

An epoch run (`max_steps` -1, `num_train_epochs` N) has no step count until its rows are read, tokenised and
packed. The trainer counts it with `common.check_epoch_run_warmup` over the train loader it builds; a plan judged
without that count would state `max_steps: null` and no token budget, and block (or pass) on numbers the run does
not have. So the preflight of a YAML builds the same trainer from the same builders and counts with the same
function; nothing is trained, and the Trainer's own output folder goes to a temporary folder that is removed.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from .common import check_epoch_run_warmup


def _trainer(config: Any, stage: str, model: Any) -> Any:
    """The trainer `run_sft` / `run_pretrain` would build from `config` (rows read and packed, nothing trained)."""
    if stage == "sft":
        from .sft import build_sft_trainer

        return build_sft_trainer(config, model=model)[0]
    from .common import load_tokenizer_from
    from .pretrain import _in_memory_data, _make_trainer

    tokenizer = load_tokenizer_from(config.tokenizer, config.checkpoint)
    train, val, _ = _in_memory_data(config, tokenizer)
    return _make_trainer(config, tokenizer, model, train, val.dataset, Path(config.output_dir))


def epoch_run_steps(config: Any, stage: str, model: Any) -> int | None:
    """Optimizer steps of an epoch run of `config` (None for a run set by `max_steps`, or a stream).

    `model` may sit on the meta device: it gets uninitialised CPU storage, since the count depends on the rows,
    not on weights. The run's warmup is checked against the count as the trainer checks it."""
    if (config.max_steps and config.max_steps > 0) or getattr(config, "shards", None):
        return None
    return _counted(config, stage, model, None)[0]


def _counted(config: Any, stage: str, model: Any, steps: int | None) -> tuple[int | None, dict[str, Any]]:
    """(the step count of an epoch run, else None; the tokens the run plans to train on, `plan_tokens`) from the
    trainer `run_sft` / `run_pretrain` would build, built once in a temporary folder."""
    from .plan_tokens import planned_in_memory

    if any(p.is_meta for p in model.parameters()):
        model = model.to_empty(device="cpu")
    with tempfile.TemporaryDirectory(prefix="picochat-plan-") as scratch:
        counted = copy.copy(config)  # the builders set eval_strategy and warmup on it; the caller's config stays as read
        counted.output_dir = str(Path(scratch) / Path(config.output_dir or "run").name)
        trainer = _trainer(counted, stage, model)
        epoch_steps = None if steps else check_epoch_run_warmup(trainer)
        sampling = config.sampling if stage == "sft" else "uniform"
        return epoch_steps, planned_in_memory(trainer, steps or epoch_steps, sampling=sampling, masked=stage == "sft")


def _streamed(config: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """The tokens a streamed run plans to train on: its shard stream replayed over the planned rows."""
    from .common import load_tokenizer_from
    from .plan_tokens import planned_streamed
    from .pretrain import _shard_data

    stream = _shard_data(config, load_tokenizer_from(config.tokenizer, config.checkpoint))[0]
    rows = (plan.get("max_steps") or 0) * plan["grad_accum"] * plan["world_size"] * plan["per_device_batch"]
    return planned_streamed(stream, rows)


def plan_with_epoch_steps(config_path: str | Path, stage: str | None = None) -> tuple[dict[str, Any], Path | None]:
    """`gates.plan_config.plan_from_config`, with the counted steps of an epoch run as its `max_steps` (and
    `planned_tokens`) and, for a base run, the tokens it plans to train on (`planned_trained_tokens`, what the
    preflight's token budget reads), as `run_sft` / `run_pretrain` plan them."""
    from ..gates.plan_config import meta_model, plan_from_config
    from .config import PicochatPretrainConfig, PicochatSFTConfig, parse_config
    from .plan import plan_for_config

    plan, run_dir = plan_from_config(config_path, stage=config_stage(config_path, stage))
    stage = plan["stage"]
    config = parse_config(PicochatPretrainConfig if stage == "base" else PicochatSFTConfig, ["--config", str(config_path)])
    model = meta_model(config, stage)
    if getattr(config, "shards", None):
        return {**plan, **_streamed(config, plan)}, run_dir
    if plan.get("max_steps") is not None and stage != "base":
        return plan, run_dir  # an SFT budget is its base run's trained tokens: no rows are needed to plan it
    epoch_steps, counts = _counted(config, stage, model, plan.get("max_steps"))
    if plan.get("max_steps") is None:
        plan = plan_for_config(config, stage, model, epoch_steps)
    return {**plan, **(counts if stage == "base" else {})}, run_dir


def config_stage(config_path: str | Path, stage: str | None) -> str | None:
    """The stage a training YAML configures, read from its keys: a key only the pretraining config has (`preset`,
    `documents`, ...) makes it `base`, one only the SFT config has `sft` (None, when neither or both: the file name
    decides). A DPO config is refused naming its first DPO-only key: DPO runs no preflight, and read as an SFT plan
    it would fail on that key as an unknown field."""
    from dataclasses import fields

    from ..utils.checks import yaml_key_lines
    from ..utils.io import read_yaml_mapping
    from .config import PicochatDPOConfig, PicochatPretrainConfig, PicochatSFTConfig

    if stage is not None:
        return stage
    keys = list(read_yaml_mapping(config_path, "a mapping of config fields"))
    sft, base, dpo = ({f.name for f in fields(c)} for c in (PicochatSFTConfig, PicochatPretrainConfig, PicochatDPOConfig))
    only_dpo = [k for k in keys if k in dpo - sft - base]
    if only_dpo:
        raise PicochatInputError("a DPO config: the preflight gate judges SFT and base training plans (`train dpo` runs no "
                                 "preflight)", path=config_path, line=yaml_key_lines(config_path).get(only_dpo[0]),
                                 field=only_dpo[0])
    only_base, only_sft = any(k in base - sft for k in keys), any(k in sft - base for k in keys)
    return "base" if only_base and not only_sft else "sft" if only_sft and not only_base else None
