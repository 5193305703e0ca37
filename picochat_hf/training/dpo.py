"""Direct preference optimisation through TRL's `DPOTrainer`: `run_dpo(config)`.

Rows (a JSONL/parquet `input`, a `dataset_name` through `datasets`, or a TRL `datasets:` mixture) carry
`prompt` (or `user`) as a string or a list of messages, and `chosen` and `rejected` as strings or lists of
assistant messages (TRL's standard and conversational preference formats). They become TRL's conversational
preference format, so the tokenizer's chat template renders them. The reference model is the frozen starting checkpoint (or `reference_checkpoint`). The report
records TRL's reward accuracy (chosen reward > rejected reward) and reward margin, before and after.
"""

from __future__ import annotations

import logging

import time
from pathlib import Path
from typing import Any

import torch
from datasets import Dataset
from transformers import set_seed
from trl import DPOTrainer

from ..utils.errors import PicochatInputError
from ..utils.provenance import provenance, weights_sha256
from .callbacks import CompleteCheckpointCallback, MetricsJsonlCallback
from .common import (
    begin_output,
    check_epoch_run_warmup,
    load_causal_lm,
    load_tokenizer_from,
    prepare_output_dir,
    refuse_eval_without_rows,
    refuse_trained_eval_rows,
    resolve_resume,
    save_final_model,
    training_run,
    write_report,
)
from .config import PicochatDPOConfig
from .trainer import NoRunFolderCard


class RunFolderDPOTrainer(NoRunFolderCard, DPOTrainer):
    """TRL's DPOTrainer, writing nothing into the run folder but the run's own files (`NoRunFolderCard`)."""


def read_preference_rows(path: str | Path) -> Dataset:
    """Validate the preference rows of a local data file (JSON lines, .json, CSV, parquet, Arrow: what `--input`
    reads) and convert them to TRL's conversational prompt/chosen/rejected format."""
    from ..data.readers import iter_data_records

    return preference_dataset(str(path), iter_data_records(Path(path)))


def preference_dataset(path: str, records: Any, *, split: str = "train") -> Dataset:
    """(line, record) pairs from any source -> TRL's conversational preference dataset (errors name path and line).
    A pair whose own `weight` is 0 (or training flag false) is left out, as SFT leaves such a row out, and logged
    (`row_training.record_trained`: other values, and 0 in an eval file, are refused).

    Each record goes through `row_formats.preference_triple`, the reading SFT and evaluation use: an explicit
    `prompt` (or `user`) or the prompt that `chosen`/`rejected` conversations open with, message lists in any
    accepted form (text parts, ShareGPT speakers, tool calls on picochat's tool channel), and a pair whose two
    conversations answer different prompts refused."""
    from ..data.encoded_columns import decode_message_columns
    from ..data.row_formats import present_columns, preference_triple
    from ..data.row_training import record_trained

    out: dict[str, list] = {"prompt": [], "chosen": [], "rejected": []}
    left_out = 0
    for lineno, row in records:
        if not isinstance(row, dict):
            raise PicochatInputError("expected a JSON object", path=path, line=lineno)
        if record_trained(row, path=path, line=lineno, split=split) is not None:
            left_out += 1
            continue
        row = present_columns(row)  # Arrow gives absent columns as None, pandas as NaN
        row = decode_message_columns(row, path=path, line=lineno)  # a CSV cell holds a message list as JSON text
        if "prompt" not in row and "user" in row:
            row["prompt"] = row["user"]
        for key in ("chosen", "rejected"):
            if key not in row:
                raise PicochatInputError("missing: needs a non-empty string or a list of messages", path=path, line=lineno,
                                         field=key)
        prompt, chosen, rejected = preference_triple(row, path=path, line=lineno)
        if prompt[-1]["role"] != "user":  # TRL renders the prompt with a generation prompt after it
            raise PicochatInputError("the prompt must end with a user message", path=path, line=lineno, field="prompt")
        if chosen == rejected:
            raise PicochatInputError("chosen and rejected are identical", path=path, line=lineno, field="rejected")
        for key, turns in (("prompt", prompt), ("chosen", chosen), ("rejected", rejected)):
            if any(not isinstance(m["content"], str) for m in turns):  # one Arrow type per column: text only
                raise PicochatInputError("tool calls are not supported in preference rows", path=path, line=lineno, field=key)
        out["prompt"].append(prompt)
        out["chosen"].append(chosen)
        out["rejected"].append(rejected)
    if left_out:
        logging.getLogger(__name__).warning("%s: %d preference pair(s) left out of training by their own weight 0",
                                            path, left_out)
    if not out["prompt"]:
        raise PicochatInputError("no preference rows (empty file)" if not left_out else
                                 "no preference rows left: every pair has weight 0", path=path)
    return Dataset.from_dict(out)


def _eval_pairs(config: PicochatDPOConfig, train: Dataset) -> tuple[Dataset | None, str | None]:
    """(the held-out preference pairs, where they were read), or (None, None); eval settings without rows, and eval
    pairs that are training pairs, are refused."""
    from ..data.datasets_source import config_records

    found = config_records(config, which="eval")
    if not found:
        refuse_eval_without_rows(config)
        return None, None
    evalset = preference_dataset(*found, split="eval")
    def pairs(ds: Dataset) -> list[list]:
        return [list(p) for p in zip(ds["prompt"], ds["chosen"], ds["rejected"], strict=True)]

    refuse_trained_eval_rows(pairs(train), pairs(evalset), found[0], "pairs")
    return evalset, found[0]


def _reward_summary(metrics: dict[str, Any], prefix: str) -> dict[str, float | None]:
    # TRL adds its reward metrics to the logged dict under "eval_..." whatever the metric_key_prefix
    keys = {"accuracy": "rewards/accuracies", "margin": "rewards/margins", "chosen": "rewards/chosen", "rejected": "rewards/rejected"}
    return {name: metrics.get(f"{prefix}{key}") for name, key in keys.items()}


@training_run
def run_dpo(config: PicochatDPOConfig) -> Path:
    """Train `config.checkpoint` on preference rows; returns the output folder (checkpoint/, metrics, report)."""
    from ..data.datasets_source import config_records, relocate

    found = config_records(config, which="train")
    if found is None:
        raise PicochatInputError("no preference rows: pass --input, --dataset_name or a datasets: mixture", field="input")
    resume = resolve_resume(config.resume_from_checkpoint, config.output_dir)
    out_dir = prepare_output_dir(config.output_dir, force=config.force, resume=resume, command="train dpo")
    torch.set_float32_matmul_precision(config.matmul_precision)
    set_seed(config.seed)
    tokenizer = load_tokenizer_from(config.tokenizer, config.checkpoint)
    try:
        train = preference_dataset(*found)
    except PicochatInputError as exc:  # a mixture row is named by its own file and row
        raise relocate(exc, found[0]) from None
    evalset, eval_input = _eval_pairs(config, train)
    model = load_causal_lm(config.checkpoint)
    ref = load_causal_lm(config.reference_checkpoint) if config.reference_checkpoint else None
    if evalset is not None and config.eval_strategy == "no" and config.eval_steps:
        config.eval_strategy = "steps"
    trainer = RunFolderDPOTrainer(
        model=model, ref_model=ref, args=config, train_dataset=train, eval_dataset=evalset, processing_class=tokenizer,
        callbacks=[MetricsJsonlCallback(out_dir / config.metrics_file), CompleteCheckpointCallback()],
    )
    check_epoch_run_warmup(trainer)
    probe = evalset if evalset is not None else train
    begin_output(out_dir, force=config.force, resume=resume)
    before = trainer.evaluate(eval_dataset=probe, metric_key_prefix="before")
    start = time.perf_counter()
    trainer.train(resume_from_checkpoint=resume)
    wall = time.perf_counter() - start
    after = trainer.evaluate(eval_dataset=probe, metric_key_prefix="after")
    save_final_model(trainer, out_dir / "checkpoint")
    train_logs = [h for h in trainer.state.log_history if "loss" in h and "rewards/margins" in h]
    report = {
        "stage": "dpo",
        "status": "completed",
        "steps": int(trainer.state.global_step),
        "wall_time_s": round(wall, 3),
        "beta": config.beta,
        "loss_type": config.loss_type,
        "train_rows": len(train),
        "eval_rows": len(evalset) if evalset is not None else 0,
        "measured_on": "eval_input" if evalset is not None else "train_input",
        "rewards_before": _reward_summary(before, "eval_"),
        "rewards_after": _reward_summary(after, "eval_"),
        "final_train_rewards": _reward_summary(train_logs[-1], "") if train_logs else None,
        "reference": config.reference_checkpoint or config.checkpoint,
        "inputs": {"init_checkpoint": str(config.checkpoint), "init_weights_sha256": weights_sha256(config.checkpoint),
                   "reference_weights_sha256": weights_sha256(config.reference_checkpoint or config.checkpoint)},
        "input": found[0],
        "eval_input": eval_input,
        "provenance": provenance(),
    }
    write_report(out_dir / "train_report.json", report, trainer)
    return out_dir
