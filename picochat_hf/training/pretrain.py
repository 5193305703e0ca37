"""Base pretraining: `run_pretrain(config)`, behind `picochat train base` and `recipes/pretrain.py`.

documents (dataset pack / JSONL / text / the embedded corpus) -> BOS-led token pieces of at most a row
(long documents split, never silently cut) -> held-out split by a stable hash of each document -> the
same best-fit packed trainer as SFT with every token a target -> validation loss and bits per byte ->
out_dir/best_checkpoint (lowest validation loss) and out_dir/checkpoint (last).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch
from transformers import set_seed

from ..utils.errors import PicochatInputError
from .callbacks import MetricsJsonlCallback
from .common import (
    build_train_report,
    load_causal_lm,
    load_tokenizer_from,
    prepare_output_dir,
    resolve_resume,
    run_dir_for,
    save_final_model,
    supervised_counts,
    write_report,
)
from .config import PicochatPretrainConfig
from .packing import PackingCollator
from .plan import build_plan, run_preflight_gate
from .tokenize import tokenize_documents
from .trainer import PackedSFTTrainer, token_byte_lengths

logger = logging.getLogger(__name__)


def iter_documents(config: PicochatPretrainConfig) -> Iterator[dict[str, str]]:
    """Documents as {"id", "text"} from the dataset pack, a JSONL/text file, or the embedded corpus."""
    if config.dataset_pack:
        from ..data.dataset_pack import iter_pack_documents

        yield from iter_pack_documents(config.dataset_pack)
        return
    source = config.documents
    if source in (None, "default"):
        from ..data.default_corpus import iter_default_documents

        yield from iter_default_documents()
        return
    path = Path(source)
    if not path.exists():
        raise PicochatInputError("documents file not found", path=path, field="documents")
    if path.suffix == ".jsonl":
        from ..data.schema import iter_jsonl

        for lineno, obj in iter_jsonl(path):
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise PicochatInputError("expected an object with a 'text' string", path=path, line=lineno, field="text")
            yield {"id": str(obj.get("id", lineno)), "text": obj["text"]}
        return
    for k, block in enumerate(path.read_text(encoding="utf-8").split("\n\n")):
        if block.strip():
            yield {"id": f"{path.name}:{k}", "text": block.strip()}


def is_validation(doc: dict[str, str], fraction: float) -> bool:
    """Stable held-out assignment: a hash of the document id (or text), independent of order and seed."""
    key = str(doc.get("id") or doc["text"]).encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2**64 < fraction


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


def run_pretrain(config: PicochatPretrainConfig) -> Path:
    """Pretrain a base model; returns the output folder (checkpoint/, best_checkpoint/, metrics, report)."""
    resume = resolve_resume(config.resume_from_checkpoint)
    out_dir = prepare_output_dir(config.output_dir, force=config.force, resume=resume)
    torch.set_float32_matmul_precision(config.matmul_precision)
    set_seed(config.seed)
    tokenizer = load_tokenizer_from(config.tokenizer, config.checkpoint)

    train_texts: list[str] = []
    val_texts: list[str] = []
    for k, doc in enumerate(iter_documents(config)):
        if config.max_documents is not None and k >= config.max_documents:
            break
        (val_texts if is_validation(doc, config.val_fraction) else train_texts).append(doc["text"])
    if not val_texts and len(train_texts) > 1:  # tiny inputs: keep at least one validation document
        val_texts.append(train_texts.pop())
    if not train_texts:
        raise PicochatInputError("no training documents", path=config.dataset_pack or config.documents)
    train = tokenize_documents(train_texts, tokenizer, seq_len=config.max_length)
    val = tokenize_documents(val_texts, tokenizer, seq_len=config.max_length)

    model = build_model(config, tokenizer)
    if config.eval_strategy == "no":
        config.eval_strategy = "steps"
    collator = PackingCollator(tokenizer.pad_token_id, config.max_length, packing=config.packing_mode, buffer_size=config.packing_buffer)
    trainer = PackedSFTTrainer(
        model=model,
        args=config,
        data_collator=collator,
        train_dataset=train.dataset,
        eval_dataset=val.dataset,
        processing_class=tokenizer,
        callbacks=[MetricsJsonlCallback(out_dir / config.metrics_file)],
        train_categories=train.categories,
        sampling="uniform",
        token_bytes=token_byte_lengths(tokenizer),
        best_model_dir=out_dir / "best_checkpoint",
    )
    plan = build_plan(
        stage="base", model=trainer.model, args=config,
        tokens_per_micro_batch=config.per_device_train_batch_size * config.max_length,
        sampling="uniform", packing=config.packing_mode, sft_input=None, eval_input=None,
        dataset_pack=config.dataset_pack, tokenizer=config.tokenizer or config.checkpoint,
    )
    preflight = run_preflight_gate(plan, run_dir_for(out_dir), config.preflight_profile, config.allow_blocked_preflight)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    trainer.train(resume_from_checkpoint=resume)
    wall = time.perf_counter() - start
    final_eval = trainer.evaluate()
    save_final_model(trainer, out_dir / "checkpoint")
    data = {
        "source": config.dataset_pack or config.documents or "default",
        "train_documents": len(train_texts),
        "validation_documents": len(val_texts),
        "train_pieces": len(train.lengths),
        "train_tokens": train.num_tokens,
        "validation_tokens": val.num_tokens,
        "train_split_stats": train.stats.as_dict(),
        "validation_split_stats": val.stats.as_dict(),
    }
    sampler = trainer.make_batch_sampler(trainer.train_dataset, trainer.train_categories, rows=trainer._train_batch_size, sampling="uniform")
    evals = [
        {"step": h["step"], "eval_loss": h["eval_loss"], "eval_bpb": h.get("eval_bpb")}
        for h in trainer.state.log_history
        if "eval_loss" in h
    ]
    report = build_train_report(
        stage="base", trainer=trainer, sampler=sampler, supervised=supervised_counts(trainer.train_dataset), plan=plan,
        preflight=preflight, data=data, wall_time_s=wall, final_eval=final_eval,
        extra={"validation_curve": evals, "best_checkpoint": trainer.best_eval, "resumed_from": resume if resume else None,
               "model_config": json.loads(trainer.model.config.to_json_string())},
    )
    write_report(out_dir / "train_report.json", report, trainer)
    return out_dir
