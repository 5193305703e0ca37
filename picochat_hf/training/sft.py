"""Supervised fine-tuning: `run_sft(config)`, the one code path behind `picochat train sft` and `recipes/sft.py`.

rows (JSONL) -> chat template + assistant mask -> overlong policy -> PackedSFTTrainer (best-fit rows,
category sampling, TRL fused loss) -> out_dir/checkpoint, metrics.jsonl, train_report.json.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

import torch
from transformers import set_seed

from ..data.datasets_source import config_rows
from ..data.row_formats import defaults_summary
from ..utils.errors import PicochatInputError
from .callbacks import CompleteCheckpointCallback, MetricsJsonlCallback
from .common import (
    apply_lora,
    begin_output,
    build_train_report,
    check_epoch_run_warmup,
    final_eval_metrics,
    load_causal_lm,
    load_tokenizer_from,
    prepare_output_dir,
    refuse_eval_without_rows,
    refuse_trained_eval_rows,
    resolve_resume,
    run_dir_for,
    save_final_model,
    supervised_counts,
    training_run,
    write_report,
)
from .config import PicochatSFTConfig
from .muon import check_muon_run
from .packing import PackingCollator
from .plan import plan_for_config, run_preflight_gate
from .skill_growth import SkillGrowthCallback
from .tokenize import tokenize_conversations
from .trainer import PackedSFTTrainer

logger = logging.getLogger(__name__)


SFT_ROWS_FILE = "sft_rows.jsonl"
EVAL_ROWS_FILE = "eval_rows.jsonl"
INPUTS_DIR = "inputs"


def _materialised_rows(config: PicochatSFTConfig, inputs_dir: Path, defaults: Any, *,
                       which: str = "train") -> tuple[str, list[dict], dict[str, Any]]:
    """Write `dataset_name`'s train (or test) split to `inputs_dir/sft_rows.jsonl` (`eval_rows.jsonl`), streamed
    datasets row by row, and read it back: the preflight, the scan and the train report see (and hash) one file."""
    from ..data.materialise import materialise_rows
    from ..data.row_formats import iter_rows

    train = which == "train"
    name = SFT_ROWS_FILE if train else EVAL_ROWS_FILE
    record = materialise_rows(config.dataset_name, inputs_dir, name, config=config.dataset_config,
                              split=config.dataset_train_split if train else config.dataset_test_split,
                              streaming=config.dataset_streaming, row_split="train" if train else "eval",
                              split_field="dataset_train_split" if train else "dataset_test_split")
    defaults.update(record["row_formats"])
    path = Path(inputs_dir) / name
    return str(path), list(iter_rows(path, split="train" if train else "eval")), record


def _training_rows(config: PicochatSFTConfig, inputs_dir: Path | None = None) -> tuple[str, list[dict], list[dict], dict[str, Any] | None, Any, dict | None]:
    """(where the rows came from, training rows, held-out rows, held-out summary, row-format counts, materialised
    dataset record or None). With
    `inputs_dir`, rows named by `dataset_name` (alone) are materialised there first (`_materialised_rows`)."""
    from collections import Counter

    defaults: Counter = Counter()
    record = None
    if inputs_dir is not None and config.dataset_name and not config.input and not config.datasets:
        where, rows, record = _materialised_rows(config, inputs_dir, defaults)
        found = (where, rows)
    else:
        found = config_rows(config, which="train", defaults_used=defaults)
    if found is None:
        raise PicochatInputError("no training rows: pass --input, --dataset_name or a datasets: mixture", field="input")
    train_where, rows = found
    held: list[dict] = []
    heldout = None
    if config.heldout_fraction:
        # the same deterministic split `picochat eval sft-fit --split heldout` scores, so held-out fit
        # measures generalisation to rows training never saw
        from ..data.schema import answer_text
        from ..eval.splits import DEFAULT_SPLIT_SEED, split_train_heldout

        answered = [r for r in rows if answer_text(r).strip()]
        rows, held = split_train_heldout(answered, config.heldout_fraction, DEFAULT_SPLIT_SEED)
        heldout = {"val_fraction": config.heldout_fraction, "seed": DEFAULT_SPLIT_SEED, "n_heldout": len(held)}
        if not rows:
            raise PicochatInputError("no training rows left after holding out the validation split", path=train_where, field="heldout_fraction")
    return train_where, rows, held, heldout, defaults, record


def _eval_set(config: PicochatSFTConfig, tokenizer: Any, inputs_dir: Path | None, defaults: Any, materialised: dict | None,
              train_where: str, held: list[dict], heldout: dict[str, Any] | None,
              train_rows: list[dict]) -> tuple[Any, str | None, Any]:
    """The tokenised validation set (None without one), where its rows came from, and the record of a
    materialised `dataset_name` eval split. Without a validation input the held-out rows serve, and
    `heldout` says so."""
    evalset = None
    eval_record = None
    if materialised is not None and config.dataset_test_split and not config.eval_input:
        eval_where_rows = _materialised_rows(config, inputs_dir, defaults, which="eval")
        eval_found, eval_record = eval_where_rows[:2], eval_where_rows[2]
    else:
        eval_found = config_rows(config, which="eval", defaults_used=defaults)
    eval_where = eval_found[0] if eval_found else None
    if eval_found:
        refuse_trained_eval_rows([r["messages"] for r in train_rows], [r["messages"] for r in eval_found[1]], eval_found[0],
                                 "conversations")
        evalset = tokenize_conversations(eval_found[1], tokenizer, seq_len=config.max_length, overlong=config.overlong, source=eval_where)
    elif heldout is not None and held:
        # no separate validation file: the held-out rows give the validation loss curve
        evalset = tokenize_conversations(held, tokenizer, seq_len=config.max_length, overlong=config.overlong,
                                         source=f"{train_where} (held-out split)")
        heldout["validation_loss_on_heldout"] = True
    return evalset, eval_where, eval_record


def _callbacks(config: PicochatSFTConfig, tokenizer: Any, context: int | None = None) -> list[Any]:
    """Metrics JSONL and complete-checkpoint callbacks, plus skill-growth evals when configured."""
    out_dir = Path(config.output_dir)
    callbacks = [MetricsJsonlCallback(out_dir / config.metrics_file), CompleteCheckpointCallback()]
    if config.growth_eval_input:
        callbacks.append(SkillGrowthCallback.from_file(
            config.growth_eval_input, tokenizer, out_dir, config.max_steps, points=config.growth_eval_points,
            rows_per_skill=config.growth_eval_rows_per_skill, max_new_tokens=config.growth_max_new_tokens,
            batch_size=config.per_device_eval_batch_size, context=context))
    return callbacks


def _warn_overlong(train: Any, evalset: Any) -> None:
    """Log how many train/eval examples were truncated or dropped at the sequence length."""
    for key, stats in (("train", train.stats), ("eval", evalset.stats if evalset else None)):
        if stats is not None and (stats.truncated or stats.dropped_too_long or stats.dropped_no_supervised):
            logger.warning("%s: %d truncated, %d dropped as too long, %d dropped with no supervised token (seq_len=%d)",
                           key, stats.truncated, stats.dropped_too_long, stats.dropped_no_supervised, stats.seq_len)


def build_sft_trainer(config: PicochatSFTConfig, *, model: Any = None, tokenizer: Any = None,
                      inputs_dir: Path | None = None) -> tuple[PackedSFTTrainer, dict[str, Any]]:
    """Tokenise the rows, load the model (or take the given one) and assemble the trainer. `inputs_dir`: where
    rows named by `dataset_name` are materialised (see `_training_rows`).

    Returns the trainer and a `data` summary (row counts, overlong statistics) for the report.
    """
    tokenizer = tokenizer if tokenizer is not None else load_tokenizer_from(config.tokenizer, config.checkpoint)
    train_where, rows, held, heldout, defaults, materialised = _training_rows(config, inputs_dir)
    train = tokenize_conversations(rows, tokenizer, seq_len=config.max_length, overlong=config.overlong, source=train_where)
    evalset, eval_where, eval_record = _eval_set(config, tokenizer, inputs_dir, defaults, materialised, train_where, held, heldout,
                                                 rows)
    if evalset is None:
        refuse_eval_without_rows(config)
    if model is None:
        model = load_causal_lm(config.checkpoint, config.attn_implementation)
    if config.peft == "lora":
        model = apply_lora(model, rank=config.lora_rank, alpha=config.lora_alpha, dropout=config.lora_dropout,
                           target_modules=config.lora_target_modules)
    if evalset is not None and config.eval_strategy == "no":
        config.eval_strategy = "steps" if config.eval_steps else "no"
    collator = PackingCollator(tokenizer.pad_token_id, config.max_length, packing=config.packing_mode, buffer_size=config.packing_buffer)
    callbacks = _callbacks(config, tokenizer, getattr(model.config, "max_position_embeddings", None))
    trainer = PackedSFTTrainer(
        model=model,
        args=config,
        data_collator=collator,
        train_dataset=train.dataset,
        eval_dataset=evalset.dataset if evalset is not None else None,
        processing_class=tokenizer,
        callbacks=callbacks,
        train_categories=train.categories,
        sampling=config.sampling,
    )
    data = {
        "train_input": train_where,
        "train_dataset": materialised,
        "train_rows": len(rows),
        "row_formats": defaults_summary(defaults),
        "heldout": heldout,
        "train_examples": len(train.lengths),
        "train_tokens": train.num_tokens,
        "train_overlong": train.stats.as_dict(),
        "eval_input": eval_where,
        "eval_dataset": eval_record,
        "eval_examples": len(evalset.lengths) if evalset is not None else 0,
        "eval_overlong": evalset.stats.as_dict() if evalset is not None else None,
    }
    _warn_overlong(train, evalset)
    return trainer, data


def _inputs_dir(out_dir: Path, *, force: bool, resume: Any) -> tuple[Path, bool]:
    """(folder for materialised dataset rows, staged?): `out_dir/inputs`, or, when `force` will replace an old run
    (its folder is set aside once the run begins), a `.partial` folder beside it that moves in after that."""
    if force and not resume:
        return out_dir.parent / f".{out_dir.name}.inputs.{os.getpid()}.partial", True
    return out_dir / INPUTS_DIR, False


def _move_staged_inputs(staged: Path, out_dir: Path, data: dict[str, Any], plan: dict[str, Any]) -> None:
    """Move staged inputs into the begun output folder (main process); the report and plan then name them there."""
    if not staged.exists():
        return
    if os.environ.get("RANK", "0") != "0":
        shutil.rmtree(staged, ignore_errors=True)
        return
    final = out_dir / INPUTS_DIR
    shutil.rmtree(final, ignore_errors=True)
    os.replace(staged, final)
    if data["train_dataset"] is not None:
        data["train_input"] = plan["sft_input"] = str(final / SFT_ROWS_FILE)
    if data["eval_dataset"] is not None:
        data["eval_input"] = plan["eval_input"] = str(final / EVAL_ROWS_FILE)


@training_run
def run_sft(config: PicochatSFTConfig) -> Path:
    """Fine-tune `config.checkpoint` on `config.input`; returns the output folder.

    Writes out_dir/checkpoint (merged model + tokenizer), metrics.jsonl and train_report.json; Trainer
    checkpoints (checkpoint-N) when `save_strategy` asks for them. Refuses to start when the preflight gate
    blocks the plan, unless `allow_blocked_preflight`.
    """
    resume = resolve_resume(config.resume_from_checkpoint, config.output_dir)
    out_dir = prepare_output_dir(config.output_dir, force=config.force, resume=resume, command="train sft")
    torch.set_float32_matmul_precision(config.matmul_precision)
    set_seed(config.seed)
    inputs_dir, staged = _inputs_dir(out_dir, force=bool(config.force), resume=resume)
    created = not inputs_dir.exists()
    try:
        trainer, data = build_sft_trainer(config, inputs_dir=inputs_dir)
        check_muon_run(trainer.model, resume, config.muon_learning_rate)
        epoch_steps = check_epoch_run_warmup(trainer)
        plan = plan_for_config(config, "sft", trainer.model, epoch_steps)
        if data["train_dataset"] is not None:  # the preflight reads (and the report hashes) the materialised rows
            plan["sft_input"] = data["train_input"]
        if data["eval_dataset"] is not None:
            plan["eval_input"] = data["eval_input"]
        preflight = run_preflight_gate(plan, run_dir_for(out_dir), config.preflight_profile, config.allow_blocked_preflight)
    except BaseException:
        if created:  # a refused run leaves no inputs/ behind, so a fixed retry is not refused
            shutil.rmtree(inputs_dir, ignore_errors=True)
        raise
    begin_output(out_dir, force=config.force, resume=resume)
    if staged:
        _move_staged_inputs(inputs_dir, out_dir, data, plan)
    start = time.perf_counter()
    trainer.train(resume_from_checkpoint=resume)
    wall = time.perf_counter() - start
    final_eval = final_eval_metrics(trainer)
    save_final_model(trainer, out_dir / "checkpoint")
    sampler = trainer.make_batch_sampler(trainer.train_dataset, trainer.train_categories, rows=trainer._train_batch_size, sampling=config.sampling)
    report = build_train_report(
        stage="sft", trainer=trainer, sampler=sampler, supervised=supervised_counts(trainer.train_dataset), plan=plan, masked=True,
        preflight=preflight, data=data, wall_time_s=wall, final_eval=final_eval,
        extra={"peft": config.peft, "resumed_from": resume if resume else None},
    )
    write_report(out_dir / "train_report.json", report, trainer)
    return out_dir
