"""The `picochat train` flags' config fields: one name per setting, the flag being the CLI's spelling of it.

A recipe YAML takes the field names; a flag's own spelling there (`grad_clip: 1.0`, `steps: 180`, as the original
recipes' commands write them) is refused naming the field it stands for, never read as something else.
"""

from __future__ import annotations

# flag dest -> config field, per command (shared flags first)
COMMON = {
    "out_dir": "output_dir",
    "tokenizer": "tokenizer",
    "device": "device_kind",
    "precision": "precision",
    "matmul_precision": "matmul_precision",
    "learning_rate": "learning_rate",
    "steps": "max_steps",
    "batch_size": "per_device_train_batch_size",
    "grad_accum_steps": "gradient_accumulation_steps",
    "lr_warmup_steps": "warmup_steps",
    "lr_decay": "lr_decay",
    "min_lr_ratio": "min_lr_ratio",
    "grad_clip": "max_grad_norm",
    "seq_len": "max_length",
    "seed": "seed",
    "eval_steps": "eval_steps",
    "save_steps": "save_steps",
    "logging_steps": "logging_steps",
    "resume_from_checkpoint": "resume_from_checkpoint",
    "report_to": "report_to",
    "force": "force",
}
TRAINING = {
    "muon_learning_rate": "muon_learning_rate",
    "packing": "packing_mode",
    "attn_implementation": "attn_implementation",
    "preflight_profile": "preflight_profile",
    "allow_blocked_preflight": "allow_blocked_preflight",
}
SFT = {
    "input": "input",
    "eval_input": "eval_input",
    "checkpoint": "checkpoint",
    "sampling": "sampling",
    "overlong": "overlong",
    "dataset_pack": "dataset_pack",
    "base_learning_rate": "base_learning_rate",
    "heldout_fraction": "heldout_fraction",
    "peft": "peft",
    "lora_rank": "lora_rank",
    "lora_alpha": "lora_alpha",
    "lora_dropout": "lora_dropout",
    "lora_target_modules": "lora_target_modules",
}
BASE = {
    "shards": "shards",
    "max_eval_tokens": "max_eval_tokens",
    "verify_shards": "verify_shards",
    "dataset_pack": "dataset_pack",
    "documents": "documents",
    "mix_documents": "mix_documents",
    "checkpoint": "checkpoint",
    "preset": "preset",
    "depth": "depth",
    "val_fraction": "val_fraction",
    "max_documents": "max_documents",
}
DATASET = {
    "dataset_name": "dataset_name",
    "dataset_config": "dataset_config",
    "dataset_train_split": "dataset_train_split",
    "dataset_test_split": "dataset_test_split",
    "dataset_streaming": "dataset_streaming",
}
DPO = {
    "input": "input",
    "eval_input": "eval_input",
    "checkpoint": "checkpoint",
    "reference_checkpoint": "reference_checkpoint",
    "beta": "beta",
}

FLAG_FIELDS = {dest: f for table in (COMMON, TRAINING, SFT, BASE, DATASET, DPO) for dest, f in table.items()}


# fields transformers 5 removed, which older recipes and the TRL docs still write
REMOVED = {
    "warmup_ratio": "; transformers 5 has no warmup_ratio: a warmup_steps below 1 is the fraction of max_steps (0.1 = 10%)",
    "max_seq_length": "; TRL renamed max_seq_length to max_length (the row length in tokens; --seq-len)",
    "evaluation_strategy": "; transformers renamed evaluation_strategy to eval_strategy",
    "no_cuda": "; transformers removed no_cuda: use device_kind: cpu (--device cpu)",
    "overwrite_output_dir": "; transformers removed overwrite_output_dir: picochat's force (--force) replaces an output folder",
}


def flag_hint(key: str) -> str:
    """"; the --flag flag sets `field`" for a YAML key spelled like a flag whose field has another name (or what
    replaced a removed field), else ""."""
    dest = key.replace("-", "_")
    if dest in REMOVED:
        return REMOVED[dest]
    field = FLAG_FIELDS.get(dest)
    if field is None or field == dest:
        return ""
    return f"; the --{dest.replace('_', '-')} flag sets `{field}`, the name a config file uses"
