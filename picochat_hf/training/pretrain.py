"""Base pretraining: `run_pretrain(config)`, behind `picochat train base` and `recipes/pretrain.py`.

Two data paths behind one API, both ending in the same best-fit packed trainer with every token a target,
validation loss and bits per byte, out_dir/best_checkpoint (lowest validation loss) and out_dir/checkpoint:

- `shards` (the path for real corpora): token shards from `picochat data shards`, read by memory map and
  streamed across ranks (`stream.py`); memory does not grow with the corpus and the global batch is the
  same for any world size.
- in memory (tiny corpora: a dataset pack, JSONL/text documents, the embedded corpus): documents are
  tokenised up front into BOS-led pieces of at most a row (long documents split, never silently cut),
  held out by a stable hash of each document.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch
from transformers import set_seed

from ..data.shards import is_validation
from ..utils.errors import PicochatInputError
from ..utils.provenance import input_sha256
from .callbacks import CompleteCheckpointCallback, MetricsJsonlCallback
from .common import (
    begin_output,
    build_train_report,
    check_epoch_run_warmup,
    final_eval_metrics,
    load_causal_lm,
    load_tokenizer_from,
    prepare_output_dir,
    resolve_resume,
    run_dir_for,
    save_final_model,
    supervised_counts,
    training_run,
    write_report,
)
from .config import PicochatPretrainConfig
from .muon import check_muon_run
from .packing import PackingCollator
from .plan import plan_for_config, run_preflight_gate
from .plan_tokens import planned_in_memory, planned_rows, planned_streamed
from .tokenize import tokenize_documents
from .trainer import PackedSFTTrainer, token_byte_lengths

logger = logging.getLogger(__name__)
IN_MEMORY_TOKENS_HINT = 50_000_000  # above this the in-memory path costs GBs per rank; shards are the tool


def iter_documents(config: PicochatPretrainConfig) -> Iterator[dict[str, str]]:
    """Documents as {"id", "text"} from the dataset pack, a JSONL/text file, or the embedded corpus, then those of
    `mix_documents` (ids prefixed "mix:" so they cannot collide with the main source's)."""
    yield from _main_documents(config)
    mix = getattr(config, "mix_documents", None)  # duck-typed configs (stage stubs, older callers) have none
    if mix:
        for doc in _file_documents(Path(mix), "mix_documents"):
            yield {"id": f"mix:{doc['id']}", "text": doc["text"]}


def _main_documents(config: PicochatPretrainConfig) -> Iterator[dict[str, str]]:
    if config.dataset_pack:
        from ..data.dataset_pack import iter_pack_documents

        yield from iter_pack_documents(config.dataset_pack)
        return
    source = config.documents
    if source in (None, "default"):
        from ..data.default_corpus import iter_default_documents

        yield from iter_default_documents()
        return
    yield from _file_documents(Path(source), "documents")


def _file_documents(path: Path, field: str) -> Iterator[dict[str, str]]:
    """{"id", "text"} documents of a data file (records with a text column) or a blank-line separated text file."""
    if not path.exists():
        raise PicochatInputError(f"{field} file not found", path=path, field=field)
    from ..data.readers import is_data_file, iter_data_records

    if is_data_file(path):  # JSON lines, JSON, parquet, CSV, Arrow (compressed too): records with a text column
        for lineno, obj in iter_data_records(path):
            if not isinstance(obj.get("text"), str):
                raise PicochatInputError("expected an object with a 'text' string", path=path, line=lineno, field="text")
            yield {"id": str(obj["id"]) if obj.get("id") is not None else str(lineno), "text": obj["text"]}
        return
    for k, block in enumerate(path.read_text(encoding="utf-8").split("\n\n")):
        if block.strip():
            yield {"id": f"{path.name}:{k}", "text": block.strip()}


def build_model(config: PicochatPretrainConfig, tokenizer: Any) -> Any:
    if config.checkpoint:
        return load_causal_lm(config.checkpoint, config.attn_implementation)
    from .. import PicochatConfig, PicochatForCausalLM
    from ..modeling.flops import preset_config

    fields: dict[str, Any] = {
        "bos_token_id": tokenizer.bos_token_id,
        "eos_token_id": tokenizer.eos_token_id,
        "pad_token_id": tokenizer.pad_token_id,
        **(config.model_config or {}),
    }
    vocab = len(tokenizer)
    if config.preset:
        try:
            model_config = preset_config(config.preset, vocab, **fields)
        except ValueError as exc:
            raise PicochatInputError(str(exc), field="preset") from None
    elif config.depth:
        model_config = PicochatConfig.from_depth(config.depth, vocab_size=vocab, **{"max_position_embeddings": config.max_length, **fields})
    else:
        raise PicochatInputError("pass --preset, --depth or --checkpoint", field="preset")
    if model_config.max_position_embeddings < config.max_length:
        raise PicochatInputError(
            f"rows of {config.max_length} tokens exceed the model's max_position_embeddings={model_config.max_position_embeddings}",
            field="max_length",
        )
    if config.attn_implementation:
        model_config._attn_implementation = config.attn_implementation
    return PicochatForCausalLM(model_config)


def _in_memory_data(config: PicochatPretrainConfig, tokenizer: Any) -> tuple[Any, Any, dict[str, Any]]:
    """Tokenise every document up front (tiny corpora): (train set, validation set, data summary)."""
    train_texts: list[str] = []
    val_texts: list[str] = []
    for k, doc in enumerate(iter_documents(config)):
        if config.max_documents is not None and k >= config.max_documents:
            break
        (val_texts if is_validation(doc, config.val_fraction) else train_texts).append(doc["text"])
    if not val_texts and len(train_texts) > 1:  # tiny inputs: keep at least one validation document, with its copies
        from ..data.dedup import normalize_text

        held = normalize_text(train_texts[-1])
        val_texts = [t for t in train_texts if normalize_text(t) == held]
        train_texts = [t for t in train_texts if normalize_text(t) != held]
    if not train_texts:
        raise PicochatInputError("no training documents", path=config.dataset_pack or config.documents)
    train = tokenize_documents(train_texts, tokenizer, seq_len=config.max_length)
    val = tokenize_documents(val_texts, tokenizer, seq_len=config.max_length)
    if train.num_tokens > IN_MEMORY_TOKENS_HINT:
        logger.warning("%d training tokens held in memory on every rank (~120 bytes each): write token shards with "
                       "`picochat data shards` and train with --shards instead", train.num_tokens)
    data = {
        "path": "in_memory",
        "source": config.dataset_pack or config.documents or "default",
        "mix_documents": getattr(config, "mix_documents", None),
        "mix_documents_sha256": input_sha256(getattr(config, "mix_documents", None)),
        "default_corpus_sha256": _default_corpus_sha256(config),
        "train_documents": len(train_texts),
        "validation_documents": len(val_texts),
        "train_pieces": len(train.lengths),
        "train_tokens": train.num_tokens,
        "validation_tokens": val.num_tokens,
        "train_split_stats": train.stats.as_dict(),
        "validation_split_stats": val.stats.as_dict(),
    }
    return train, val, data


def _default_corpus_sha256(config: PicochatPretrainConfig) -> str | None:
    """The fingerprint of the embedded default corpus when this run read it (no dataset pack, no documents file), as the
    SFT preflight and the release gate compute it (`gates.preflight_corpus.embedded_text`): its text depends on the
    Python version, so the report records which one the model trained on and a honesty scan is held to it. None when
    the run read a file."""
    if config.dataset_pack or config.documents not in (None, "default"):
        return None
    from ..gates.preflight_corpus import embedded_text

    return embedded_text().sha256


def _shard_data(config: PicochatPretrainConfig, tokenizer: Any) -> tuple[Any, Any, dict[str, Any]]:
    """Open the shard set (checked against the tokenizer): (train stream, validation set or None, summary)."""
    from datasets import Dataset

    from .stream import ShardStream, open_shards, validation_pieces

    if not config.max_steps or config.max_steps <= 0:
        raise PicochatInputError("training from shards needs a step budget (--steps / max_steps)", field="max_steps")
    manifest = open_shards(config.shards, tokenizer, verify_sha256=config.verify_shards)
    seed = config.data_seed if config.data_seed is not None else config.seed
    stream = ShardStream(manifest, split="train", seq_len=config.max_length, seed=seed, buffer_size=config.packing_buffer)
    splits = manifest.get("splits") or {}
    where = Path(manifest["dir"]) / "shards.json"
    if not any(s.get("split", "train") == "val" for s in manifest["shards"]):
        # the validation loss picks best_checkpoint and is the run's held-out evidence: it cannot be left out
        raise PicochatInputError("no val shards: rebuild the shards with `picochat data shards --val-fraction` above 0",
                                 path=where, field="splits.val")
    pieces, val_docs = validation_pieces(ShardStream(manifest, split="val", seq_len=config.max_length), config.max_eval_tokens)
    if not pieces:
        raise PicochatInputError("no val document holds 2 or more tokens (nothing to score)", path=where, field="splits.val")
    val = Dataset.from_dict({"input_ids": pieces, "labels": pieces})
    data = {
        "path": "shards",
        "source": str(config.shards),
        "shards_manifest": {k: manifest.get(k) for k in ("input", "tokenizer_hash", "vocab_size", "version", "dtype", "val_fraction")},
        "train_shards": len(stream.shards),
        "train_documents": splits.get("train", {}).get("sequences"),
        "train_tokens_available": splits.get("train", {}).get("num_tokens"),
        "validation_documents": val_docs,
        "validation_tokens": sum(len(p) for p in val["input_ids"]) if val is not None else 0,
        "validation_tokens_available": splits.get("val", {}).get("num_tokens", 0),
        "max_eval_tokens": config.max_eval_tokens,
        "dataset_pack": config.dataset_pack or _pack_of(manifest),
    }
    return stream, val, data


def _pack_of(manifest: dict[str, Any]) -> str | None:
    """The dataset pack a shard set was tokenised from, when its manifest names one that still exists."""
    source = manifest.get("input")
    if isinstance(source, str):
        path = Path(source)
        if path.name == "dataset_pack.json" and path.exists():
            return str(path)
        if path.is_dir() and (path / "dataset_pack.json").exists():
            return str(path / "dataset_pack.json")
    return None


def _make_trainer(config: PicochatPretrainConfig, tokenizer: Any, model: Any, train: Any, eval_dataset: Any, out_dir: Path) -> Any:
    common = dict(
        model=model, args=config,
        data_collator=PackingCollator(tokenizer.pad_token_id, config.max_length, packing=config.packing_mode,
                                      buffer_size=config.packing_buffer),
        eval_dataset=eval_dataset,
        processing_class=tokenizer,
        callbacks=[MetricsJsonlCallback(out_dir / config.metrics_file), CompleteCheckpointCallback()],
        sampling="uniform", token_bytes=token_byte_lengths(tokenizer), best_model_dir=out_dir / "best_checkpoint",
    )
    if config.shards:
        from datasets import IterableDataset

        from .stream import ShardPretrainTrainer

        def first_rows():  # what SFTTrainer inspects; training batches come from the stream itself
            yield from ({"input_ids": ex["input_ids"].tolist(), "labels": ex["labels"].tolist()} for ex in train.examples(next(train.rows())))

        if common["eval_dataset"] is None:
            config.eval_strategy = "no"
        return ShardPretrainTrainer(train_dataset=IterableDataset.from_generator(first_rows), shard_stream=train, **common)
    if config.eval_strategy == "no":
        config.eval_strategy = "steps"
    return PackedSFTTrainer(train_dataset=train.dataset, train_categories=train.categories, **common)


def _streamed_done(trainer: Any, stream: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from .stream import stream_totals

    args = trainer.args
    rows = int(trainer.state.global_step) * int(args.gradient_accumulation_steps) * int(args.world_size) * int(trainer._train_batch_size)
    totals = stream_totals(stream, rows)
    done = {"real_tokens": totals["real_tokens"], "supervised_tokens": totals["supervised_tokens"],
            "slots": rows * stream.seq_len, "draws_by_category": {"document": totals["pieces"]},
            "masked": any(stream.is_conversation(k) for k in range(len(stream.shards)))}
    return done, totals


class _StreamReportView:
    """What the report reads from a sampler, for the streamed path."""

    categories = ["document"]
    sampling = "uniform"

    def __init__(self, packing: str):
        self.packing = packing


@training_run
def run_pretrain(config: PicochatPretrainConfig) -> Path:
    """Pretrain a base model; returns the output folder (checkpoint/, best_checkpoint/, metrics, report)."""
    resume = resolve_resume(config.resume_from_checkpoint, config.output_dir)
    out_dir = prepare_output_dir(config.output_dir, force=config.force, resume=resume, command="train base")
    torch.set_float32_matmul_precision(config.matmul_precision)
    set_seed(config.seed)
    tokenizer = load_tokenizer_from(config.tokenizer, config.checkpoint)
    train, val, data = _shard_data(config, tokenizer) if config.shards else _in_memory_data(config, tokenizer)
    if config.shards and not config.dataset_pack:  # the pack the shards came from feeds the preflight's corpus checks
        config.dataset_pack = data["dataset_pack"]
    model = build_model(config, tokenizer)
    trainer = _make_trainer(config, tokenizer, model, train, val.dataset if hasattr(val, "lengths") else val, out_dir)
    check_muon_run(trainer.model, resume, config.muon_learning_rate)
    if config.shards and resume:
        from .stream import check_stream_resume, stream_identity

        check_stream_resume(resume, stream_identity(train, trainer.rows_per_step()))
    epoch_steps = check_epoch_run_warmup(trainer)
    plan = plan_for_config(config, "base", trainer.model, epoch_steps)
    plan.update(planned_streamed(train, planned_rows(trainer, plan["max_steps"])) if config.shards
                else planned_in_memory(trainer, plan["max_steps"], sampling="uniform", masked=False))
    preflight = run_preflight_gate(plan, run_dir_for(out_dir), config.preflight_profile, config.allow_blocked_preflight)
    begin_output(out_dir, force=config.force, resume=resume)
    start = time.perf_counter()
    trainer.train(resume_from_checkpoint=resume)
    wall = time.perf_counter() - start
    final_eval = final_eval_metrics(trainer)
    save_final_model(trainer, out_dir / "checkpoint")
    if config.shards:
        done, data["stream"] = _streamed_done(trainer, train)
        sampler, supervised = _StreamReportView(config.packing_mode), []
    else:
        done = None
        sampler = trainer.make_batch_sampler(trainer.train_dataset, trainer.train_categories, rows=trainer._train_batch_size, sampling="uniform")
        supervised = supervised_counts(trainer.train_dataset)
    evals = [
        {"step": h["step"], "eval_loss": h["eval_loss"], "eval_bpb": h.get("eval_bpb")}
        for h in trainer.state.log_history
        if "eval_loss" in h
    ]
    report = build_train_report(
        stage="base", trainer=trainer, sampler=sampler, supervised=supervised, plan=plan,
        preflight=preflight, data=data, wall_time_s=wall, final_eval=final_eval, done=done,
        masked=bool(done and done["masked"]),  # in-memory pretraining reads plain documents
        extra={"validation_curve": evals, "best_checkpoint": trainer.best_eval, "resumed_from": resume if resume else None,
               "model_config": json.loads(trainer.model.config.to_json_string())},
    )
    if config.shards:
        report["epochs_per_category"] = None  # a stream has passes, not per-category epochs: see data.stream
    write_report(out_dir / "train_report.json", report, trainer)
    return out_dir
