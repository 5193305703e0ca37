"""Pieces every training entry point shares: output folders, model/tokenizer loading, LoRA, the report."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import math
import os
import re
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_output_dir, atomic_write_json, ensure_can_write, output_lock, replace_on_success
from ..utils.output_folders import check_out_dir
from ..utils.model_files import check_model_config, check_model_folder, check_tokenizer_folder
from ..utils.provenance import provenance, weights_sha256
from ..utils.trained_tokens import COUNTED_FIELD as TRAINED_COUNTED
from ..utils.trained_tokens import FIELD as TRAINED_FIELD
from ..utils.trained_tokens import trained_count
from .callbacks import checkpoint_problem
from .packing import IGNORE_INDEX
from .plan import plan_input_hashes
from .sampling import PackedBatchSampler, category_probabilities

logger = logging.getLogger(__name__)
STAGE_DIRS = {"sft", "base", "dpo"}


def prepare_output_dir(out_dir: str | Path, *, force: bool, resume: Any, command: str | None = None) -> Path:
    """Check the output folder can be written (or exists, when resuming): with `command` ("train sft"), a folder
    holding none of a training run's files is refused even with `force` (`utils.output_folders`), whether the
    folder came from the CLI, a YAML `output_dir` or a recipe.

    Nothing is created or deleted here: the folder appears only once inputs are read and the preflight
    gate passed, and with `force` an old run is replaced only when the new one finishes
    (`training_run`, `begin_output`).
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise PicochatInputError("exists and is not a directory", path=out_dir, field="output_dir")
    if resume:
        if not out_dir.is_dir():
            raise PicochatInputError("cannot resume: output directory does not exist", path=out_dir)
        return out_dir
    if command is not None:
        check_out_dir(out_dir, command, force=force, field="output_dir")
    ensure_can_write(out_dir, force=force)
    return out_dir


_RUN: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("picochat_training_run", default=None)


def _main_process() -> bool:
    return os.environ.get("RANK", "0") == "0"


def training_run(fn: Callable[..., Path]) -> Callable[..., Path]:
    """Decorate a training entry point `fn(config)`: its output folder is locked for the whole run (a second
    run into the same folder stops at once), and `begin_output` can tie the old run's replacement to the
    run's success."""

    @functools.wraps(fn)
    def wrapper(config: Any, *args: Any, **kwargs: Any) -> Path:
        out_dir = Path(config.output_dir)
        new_dirs = {_outermost_missing(d) for d in (out_dir, run_dir_for(out_dir))} - {None}
        with contextlib.ExitStack() as stack:
            if _main_process():
                stack.enter_context(output_lock(out_dir))
            state = {"stack": stack, "begun": False}
            token = _RUN.set(state)
            try:
                return fn(config, *args, **kwargs)
            except BaseException as exc:
                if not state["begun"] and _main_process():  # refused before training (e.g. a blocked preflight):
                    for d in new_dirs:  # leave no folder this run created, so a fixed retry is not refused
                        shutil.rmtree(d, ignore_errors=True)
                    if isinstance(exc, PicochatInputError) and _names_removed_file(exc, new_dirs):
                        raise _without_path(exc) from None
                raise
            finally:
                _RUN.reset(token)

    return wrapper


def _names_removed_file(exc: PicochatInputError, removed: set[Path]) -> bool:
    return exc.path is not None and not Path(exc.path).exists() and any(Path(exc.path).is_relative_to(d) for d in removed)


def _without_path(exc: PicochatInputError) -> PicochatInputError:
    """The same refusal without the file it named: that file was in a folder the refused run removed (a blocked
    preflight's gates/preflight.json), and an error should point only at what the user can open; its reasons stay."""
    note = " (its report was not kept: the refused run's new folder was removed)"
    try:
        return type(exc)(exc.reason + note, field=exc.field)
    except TypeError:  # a subclass with another constructor
        return PicochatInputError(exc.reason + note, field=exc.field)


def _outermost_missing(path: Path) -> Path | None:
    """The highest folder on the way to `path` that does not exist yet (what a run would create), or None."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    return missing[-1] if missing else None


def begin_output(out_dir: Path, *, force: bool, resume: Any) -> Path:
    """Create the output folder once inputs and the preflight passed. With `force` (and no resume) an old
    run is set aside now and deleted only when the run returns, or put back if it fails."""
    state = _RUN.get()
    if state is not None and _main_process():
        state["stack"].enter_context(replace_on_success(out_dir, force=bool(force and not resume)))
        state["begun"] = True
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def run_dir_for(out_dir: Path) -> Path:
    """The run folder that holds gates/: the parent of a stage folder (runs/x/sft -> runs/x), else out_dir."""
    return out_dir.parent if out_dir.name in STAGE_DIRS else out_dir


def resolve_resume(value: Any, out_dir: str | Path | None = None) -> str | None:
    """The checkpoint folder to resume from: an explicit `checkpoint-N`, or for `last` (`true`, `latest`)
    the newest *complete* checkpoint in `out_dir` (interrupted ones are skipped, with a warning)."""
    if value in (None, "", False, "false", "False", "no"):
        return None
    if value in (True, "true", "True", "last", "latest"):
        if out_dir is None:
            raise PicochatInputError("resuming from 'last' needs the output folder", field="resume_from_checkpoint")
        return find_resume(Path(out_dir))
    path = Path(str(value))
    if not path.is_dir():
        raise PicochatInputError("checkpoint to resume from not found", path=path, field="resume_from_checkpoint")
    problem = checkpoint_problem(path)
    if problem is not None:
        raise PicochatInputError(f"incomplete checkpoint: {problem}", path=path, field="resume_from_checkpoint")
    return str(path)


def find_resume(out_dir: Path) -> str:
    """Newest complete `checkpoint-N` in `out_dir`; names the incomplete ones it skipped."""
    if not out_dir.is_dir():
        raise PicochatInputError("cannot resume: output directory does not exist", path=out_dir, field="resume_from_checkpoint")
    found = sorted((int(m.group(1)), p) for p in out_dir.iterdir() if p.is_dir() and (m := re.fullmatch(r"checkpoint-(\d+)", p.name)))
    for _, folder in reversed(found):
        problem = checkpoint_problem(folder)
        if problem is None:
            return str(folder)
        print(f"picochat: warning: skipping incomplete checkpoint {folder}: {problem}", file=sys.stderr)
    raise PicochatInputError("no complete checkpoint-N to resume from", path=out_dir, field="resume_from_checkpoint")


def load_tokenizer_from(path: str | None, fallback: str | None) -> Any:
    """The tokenizer at `path`, else the checkpoint folder `fallback`'s own; a `path` beside a checkpoint that holds
    its own tokenizer must give the same token ids (`_same_token_ids`)."""
    path = str(check_tokenizer_folder(path)) if path else path  # a tokenizer.json names its folder
    source = path or fallback
    if source is None:
        raise PicochatInputError("no tokenizer: pass --tokenizer (or a checkpoint folder that holds one)", field="tokenizer")
    check_tokenizer_folder(source)
    if (Path(source) / "config.json").is_file():  # AutoTokenizer reads it too: one that is no config is named, not a TypeError
        check_model_config(source, "tokenizer" if path else "checkpoint")
    tok = AutoTokenizer.from_pretrained(source)
    if tok.pad_token_id is None:
        raise PicochatInputError("tokenizer has no pad token", path=source, field="pad_token")
    if path and fallback and _holds_tokenizer(fallback) and Path(path).resolve() != Path(fallback).resolve():
        try:
            own = AutoTokenizer.from_pretrained(fallback)
        except (OSError, ValueError):  # a broken checkpoint folder is refused, with its own reason, when the model loads
            return tok
        if not _same_token_ids(tok, own):
            raise PicochatInputError(f"is not the tokenizer of the checkpoint {fallback} (other token ids: its embeddings "
                                     "would be trained on another vocabulary's ids); drop --tokenizer to use the "
                                     "checkpoint's own", path=path, field="tokenizer")
    return tok


def _holds_tokenizer(folder: str) -> bool:
    return any((Path(folder) / name).is_file() for name in ("tokenizer.json", "tokenizer_config.json"))


def _token_id_spec(tok: Any) -> Any:
    """What decides a tokenizer's ids (vocabulary, merges, pre-tokenizer, normaliser, added tokens), without its chat
    template, which SFT may add to a base model's tokenizer."""
    import json

    backend = getattr(tok, "backend_tokenizer", None)
    if backend is None:
        return sorted(tok.get_vocab().items())
    spec = json.loads(backend.to_str())
    return {k: spec.get(k) for k in ("model", "pre_tokenizer", "normalizer", "added_tokens")}


def _same_token_ids(a: Any, b: Any) -> bool:
    return _token_id_spec(a) == _token_id_spec(b)


def load_causal_lm(path: str | None, attn_implementation: str | None = None) -> Any:
    if path is None:
        raise PicochatInputError("no model: pass --checkpoint", field="checkpoint")
    check_model_folder(path)
    kwargs: dict[str, Any] = {"dtype": torch.float32, "use_safetensors": True}
    if attn_implementation:
        kwargs["attn_implementation"] = attn_implementation
    if (Path(path) / "adapter_config.json").is_file():
        return AutoModelForCausalLM.from_pretrained(path, **kwargs)
    from ..utils.model_load import load_complete

    return load_complete(path, **kwargs)


def apply_lora(model: Any, *, rank: int, alpha: int, dropout: float, target_modules: str) -> Any:
    """Wrap a causal LM with LoRA adapters (peft); the base weights are frozen."""
    from peft import LoraConfig, get_peft_model

    targets: str | list[str] = target_modules if target_modules == "all-linear" else [t.strip() for t in target_modules.split(",") if t.strip()]
    config = LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=dropout, target_modules=targets, task_type="CAUSAL_LM", bias="none")
    return get_peft_model(model, config)


def final_eval_metrics(trainer: Any) -> dict[str, float] | None:
    """Eval metrics of the final weights: the Trainer's scheduled eval when it ran on the last step (no second
    pass over the same rows), else one more `evaluate()`; None without an eval set."""
    if trainer.eval_dataset is None:
        return None
    last = next((e for e in reversed(trainer.state.log_history) if "eval_loss" in e), None)
    if last is not None and last.get("step") == trainer.state.global_step:
        return {k: v for k, v in last.items() if k.startswith("eval_") or k == "epoch"}
    return trainer.evaluate()


def check_epoch_run_warmup(trainer: Any) -> int | None:
    """The optimizer steps of a run set by epochs (`max_steps` -1), counted by the Trainer's own arithmetic over the
    train loader it will use, with the warmup checked against them (and base pretraining's default warmup fitted to
    them) before anything is written. None for a run set by `max_steps`, which the config checked when parsed."""
    from transformers.trainer_utils import has_length

    from .config import check_warmup, default_warmup

    args = trainer.args
    if args.max_steps and args.max_steps > 0:
        return None
    loader = trainer.get_train_dataloader()
    if not has_length(loader):  # a stream has no epochs; the Trainer itself refuses it without max_steps
        return None
    steps = int(trainer.set_initial_training_values(args, loader)[-1])
    if getattr(args, "warmup_is_default", False):
        args.warmup_steps = default_warmup(steps)
    check_warmup(args, steps)
    return steps


def refuse_trained_eval_rows(trained: Sequence[Any], evals: Sequence[Any], where: str, what: str) -> None:
    """Refuse eval rows equal to training rows (`what`: "conversations", "pairs"; compared as canonical JSON, whatever
    the id or category): the loss or reward measured on them would be reported as measured on held-out rows."""
    import json

    def key(row: Any) -> str:
        return json.dumps(row, sort_keys=True, ensure_ascii=False)

    seen = {key(row) for row in trained}
    hits = [i for i, row in enumerate(evals, start=1) if key(row) in seen]
    if hits:
        raise PicochatInputError(f"{len(hits)} of {len(evals)} eval {what} are training {what} (first: row {hits[0]}); what is "
                                 "measured on them would be reported as measured on held-out rows: give held-out rows",
                                 path=where, line=hits[0], field="eval_input")


def refuse_eval_without_rows(config: Any) -> None:
    """An evaluation schedule with nothing to evaluate: `eval_steps` alone would change nothing, a `steps`/`epoch`
    strategy would fail inside the Trainer (SFT and DPO)."""
    strategy = str(getattr(config.eval_strategy, "value", config.eval_strategy))
    if strategy != "no" or config.eval_steps:
        by_steps = bool(config.eval_steps) and strategy != "epoch"  # an epoch schedule never reads eval_steps
        field = "eval_steps" if by_steps else "eval_strategy"
        sources = "--eval-input, --heldout-fraction or --dataset-test-split" if hasattr(config, "heldout_fraction") \
            else "--eval-input or --dataset-test-split"
        raise PicochatInputError(f"no rows to evaluate every {'N steps' if by_steps else strategy}: give {sources}",
                                 field=field)


def save_final_model(trainer: Any, target: Path) -> Path:
    """Write `target` (save_pretrained model + tokenizer) atomically; LoRA adapters are merged."""
    if hasattr(trainer, "save_pretrained_atomic"):
        return trainer.save_pretrained_atomic(target)
    model = trainer.accelerator.unwrap_model(trainer.model)
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    if trainer.is_world_process_zero():
        with atomic_output_dir(target, force=True) as tmp:
            model.save_pretrained(tmp)
            trainer.processing_class.save_pretrained(tmp)
    trainer.accelerator.wait_for_everyone()
    return target


def plan_totals(sampler: PackedBatchSampler, num_batches: int, supervised: Sequence[int]) -> dict[str, Any]:
    """Exact data totals of the first `num_batches` global micro-batches (resume-independent)."""
    draws: Counter[str] = Counter()
    real = sup = slots = 0
    for batch in sampler.plan(num_batches):
        for row in batch:
            draws.update(sampler.categories[i] for i in row)
            real += sum(sampler.lengths[i] for i in row)
            sup += sum(supervised[i] for i in row)
        if sampler.packing == "bos_bestfit":
            slots += len(batch) * sampler.seq_len
        else:
            slots += len(batch) * max(sampler.lengths[i] for row in batch for i in row)
    return {"real_tokens": real, "supervised_tokens": sup, "slots": slots, "draws_by_category": dict(sorted(draws.items()))}


def supervised_counts(dataset: Any) -> list[int]:
    return [sum(1 for x in labels[1:] if x != IGNORE_INDEX) for labels in dataset["labels"]]


def _run_status(train_losses: list[float], plan: dict[str, Any], steps: int) -> str:
    """completed; diverged (the last train loss is not finite); stopped (ended before its planned steps)."""
    final_train_loss = train_losses[-1] if train_losses else None
    if final_train_loss is not None and not math.isfinite(final_train_loss):
        return "diverged"
    if plan.get("max_steps") and steps < plan["max_steps"]:
        return "stopped"  # a callback or a signal stopped it
    return "completed"


def _tokens_per_parameter(planned: int | None, done: dict[str, Any], n_params: int, trained: int) -> dict[str, float | None]:
    """Planned, real, supervised and trained-on tokens per model parameter (None without a parameter count)."""
    return {
        "planned": planned / n_params if planned and n_params else None,
        "real": done["real_tokens"] / n_params if n_params else None,
        "supervised": done["supervised_tokens"] / n_params if n_params else None,
        "trained": trained / n_params if n_params else None,
    }


def _category_fields(sampler: PackedBatchSampler, done: dict[str, Any]) -> dict[str, Any]:
    """The train report's sampling fields: rows, sampling probability, draws and epochs per category."""
    rows_per_cat = Counter(sampler.categories)
    return {
        "sampling": sampler.sampling,
        "packing": sampler.packing,
        "category_rows": dict(sorted(rows_per_cat.items())),
        "category_probability": category_probabilities(sampler.categories, sampler.sampling),
        "category_draws": done["draws_by_category"],
        "epochs_per_category": {c: done["draws_by_category"].get(c, 0) / n for c, n in sorted(rows_per_cat.items())},
    }


def build_train_report(
    *,
    stage: str,
    trainer: Any,
    sampler: PackedBatchSampler,
    supervised: Sequence[int],
    plan: dict[str, Any],
    preflight: dict[str, Any],
    data: dict[str, Any],
    wall_time_s: float,
    final_eval: dict[str, float] | None,
    masked: bool,
    extra: dict[str, Any] | None = None,
    done: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The train report; `done` (real/supervised/slot tokens and draws) replaces replaying `sampler` when the
    caller counted the data itself (streamed pretraining). `masked`: the data carries supervision masks (SFT rows,
    conversation shards), so the tokens trained on (`trained_tokens_seen`, what budgets read) are its supervised
    tokens; plain text trains on its real tokens (`utils.trained_tokens`)."""
    args = trainer.args
    steps = int(trainer.state.global_step)
    batches_per_step = int(args.gradient_accumulation_steps) * int(args.world_size)
    done = done if done is not None else plan_totals(sampler, steps * batches_per_step, supervised)
    n_params = plan["num_parameters"] or 0
    planned = plan.get("planned_tokens")
    train_losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    trained, counted = trained_count(done, masked=masked)
    report = {
        "stage": stage,
        "status": _run_status(train_losses, plan, steps),
        "steps": steps,
        "max_steps": plan.get("max_steps"),
        "wall_time_s": round(wall_time_s, 3),
        "num_parameters": n_params,
        "tokens_per_step": plan["tokens_per_step"],
        "planned_tokens": planned,
        "slot_tokens_seen": done["slots"],
        "real_tokens_seen": done["real_tokens"],
        "supervised_tokens_seen": done["supervised_tokens"],
        TRAINED_FIELD: trained,
        TRAINED_COUNTED: counted,
        "packing_utilisation": done["real_tokens"] / done["slots"] if done["slots"] else None,
        "tokens_per_parameter": _tokens_per_parameter(planned, done, n_params, trained),
        **_category_fields(sampler, done),
        "data": data,
        "final_train_loss": train_losses[-1] if train_losses else None,
        "mean_train_loss_last_10": sum(train_losses[-10:]) / len(train_losses[-10:]) if train_losses else None,
        "final_eval": final_eval,
        "preflight": {k: preflight.get(k) for k in ("status", "profile", "override", "why", "plan_sha256")},
        "plan": plan,
        "provenance": provenance(),
    }
    report["inputs"] = plan_input_hashes(plan)
    if extra:
        report.update(extra)
    return report


def write_report(path: Path, report: dict[str, Any], trainer: Any) -> None:
    """Write train_report.json beside the stage's checkpoints, recording their weights' sha256 (`outputs`)."""
    if trainer.is_world_process_zero():
        outputs = {name: weights_sha256(path.parent / name) for name in ("checkpoint", "best_checkpoint")}
        report = {**report, "outputs": {f"{name}_weights_sha256": h for name, h in outputs.items() if h}}
        atomic_write_json(path, report)
