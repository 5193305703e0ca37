"""`picochat train sft|base|dpo`: flags mapped onto the recipe configs, then the library entry point.

Each flag names a config field (see `picochat_hf.training.config`); the flags become `--field value`
arguments for the same parser the recipes use, after an optional `--config file.yaml`, so
`picochat train sft --config c.yaml --steps 10` and `recipes/sft.py --config c.yaml --max_steps 10`
build the identical config. Any other field: `--set field=value` (repeatable).
"""

from __future__ import annotations

import argparse
from typing import Any

from ..training.flags import BASE, COMMON, DATASET, DPO, SFT, TRAINING  # flag dest -> config field, per command


def _common_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="YAML config (recipes/configs/*.yaml); flags override it")
    p.add_argument("--out-dir", dest="out_dir", help="output folder (checkpoint/, metrics.jsonl, train_report.json)")
    p.add_argument("--tokenizer", help="tokenizer folder (default: the checkpoint's)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"])
    p.add_argument("--precision", choices=["auto", "fp32", "bf16", "fp16"])
    p.add_argument("--matmul-precision", dest="matmul_precision", choices=["highest", "high", "medium"])
    p.add_argument("--learning-rate", dest="learning_rate", type=float)
    p.add_argument("--steps", type=int, help="optimizer steps (max_steps)")
    p.add_argument("--batch-size", dest="batch_size", type=int, help="rows per device per micro-batch")
    p.add_argument("--grad-accum-steps", dest="grad_accum_steps", type=int)
    p.add_argument("--lr-warmup-steps", dest="lr_warmup_steps", type=int)
    p.add_argument("--lr-decay", dest="lr_decay", choices=["cosine", "linear", "none"])
    p.add_argument("--min-lr-ratio", dest="min_lr_ratio", type=float)
    p.add_argument("--grad-clip", dest="grad_clip", type=float)
    p.add_argument("--seq-len", dest="seq_len", type=int, help="row length in tokens")
    p.add_argument("--seed", type=int)
    p.add_argument("--eval-steps", dest="eval_steps", type=int)
    p.add_argument("--save-steps", dest="save_steps", type=int, help="write Trainer checkpoints every N steps")
    p.add_argument("--logging-steps", dest="logging_steps", type=int)
    p.add_argument("--resume-from-checkpoint", dest="resume_from_checkpoint", help="a checkpoint-N folder, or 'last'")
    p.add_argument("--report-to", dest="report_to", help="none | tensorboard | ...")
    p.add_argument("--force", action="store_true", default=None, help="overwrite an existing output folder")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="FIELD=VALUE", help="any other config field")


def _training_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--muon-learning-rate", dest="muon_learning_rate", type=float,
                   help="Muon for the decoder blocks' matrices at this peak rate, AdamW (--learning-rate) for the rest")
    p.add_argument("--packing", choices=["bos_bestfit", "none"])
    p.add_argument("--attn-implementation", dest="attn_implementation")
    p.add_argument("--preflight-profile", dest="preflight_profile")
    p.add_argument("--allow-blocked-preflight", dest="allow_blocked_preflight", action="store_true", default=None)


def _dataset_flags(p: argparse.ArgumentParser) -> None:
    """TRL's dataset arguments (both spellings accepted); a `datasets:` mixture goes in the --config YAML."""
    p.add_argument("--dataset-name", "--dataset_name", dest="dataset_name",
                   help="rows from a Hub dataset, a save_to_disk folder or a data file, through `datasets`")
    p.add_argument("--dataset-config", "--dataset_config", dest="dataset_config")
    p.add_argument("--dataset-train-split", "--dataset_train_split", dest="dataset_train_split")
    p.add_argument("--dataset-test-split", "--dataset_test_split", dest="dataset_test_split", help="split for eval loss")
    p.add_argument("--dataset-streaming", "--dataset_streaming", "--streaming", dest="dataset_streaming",
                   action="store_true", default=None, help="stream the dataset instead of downloading it")


def build_argv(args: argparse.Namespace, mapping: dict[str, str]) -> list[str]:
    """Translate parsed flags into the recipe parser's `--field value` arguments."""
    argv: list[str] = []
    if args.config:
        argv += ["--config", args.config]
    for dest, field in mapping.items():
        value = getattr(args, dest, None)
        if value is None:
            continue
        argv += [f"--{field}", "true" if value is True else str(value)]
    if getattr(args, "save_steps", None):
        argv += ["--save_strategy", "steps"]
    for item in args.overrides:
        field, sep, value = item.partition("=")
        if not sep or not field:
            from ..utils.errors import PicochatInputError

            raise PicochatInputError(f"--set expects FIELD=VALUE, got {item!r}", field="set")
        argv += [f"--{field}", value]
    return argv


def _mapping(kind: str) -> dict[str, str]:
    return {"sft": {**COMMON, **TRAINING, **SFT, **DATASET}, "base": {**COMMON, **TRAINING, **BASE},
            "dpo": {**COMMON, **DPO, **DATASET}}[kind]


def config_argv(argv: list[str]) -> list[str]:
    """The recipe-parser arguments that `picochat <argv>` (a `train` command) builds."""
    from . import build_parser

    args = build_parser().parse_args(argv)
    return build_argv(args, _mapping(args.train_command))


def _handler(kind: str):
    def handle(args: argparse.Namespace) -> int:
        from ..training import config as cfg

        if kind == "sft":
            from ..training.sft import run_sft as run

            config_cls = cfg.PicochatSFTConfig
        elif kind == "base":
            from ..training.pretrain import run_pretrain as run

            config_cls = cfg.PicochatPretrainConfig
        else:
            from ..training.dpo import run_dpo as run

            config_cls = cfg.PicochatDPOConfig
        config = cfg.parse_config(config_cls, build_argv(args, _mapping(kind)))
        out = run(config)
        print(out)
        return 0

    return handle


def register(subparsers: Any) -> None:
    train = subparsers.add_parser("train", help="SFT, base pretraining and DPO (TRL trainers, accelerate-launchable recipes)")
    sub = train.add_subparsers(dest="train_command", metavar="STAGE", required=True)

    sft = sub.add_parser("sft", help="supervised fine-tuning with best-fit packing and category sampling")
    _common_flags(sft)
    _training_flags(sft)
    _dataset_flags(sft)
    sft.add_argument("--input", help="training rows (JSONL, JSON, parquet, CSV or Arrow: picochat, TRL messages, prompt/completion, preference, ShareGPT, Alpaca)")
    sft.add_argument("--eval-input", dest="eval_input", help="held-out rows (any --input file kind and format) for eval loss")
    sft.add_argument("--checkpoint", help="model folder to fine-tune")
    sft.add_argument("--sampling", choices=["category_sqrt", "category_balanced", "uniform"])
    sft.add_argument("--overlong", choices=["truncate", "drop"], help="conversations longer than a row")
    sft.add_argument("--dataset-pack", dest="dataset_pack", help="the base model's dataset pack (recorded in the plan)")
    sft.add_argument("--base-learning-rate", dest="base_learning_rate", type=float)
    sft.add_argument("--heldout-fraction", dest="heldout_fraction", type=float,
                     help="hold this fraction of rows out of training (the split `eval sft-fit --split heldout` scores)")
    sft.add_argument("--peft", choices=["none", "lora"])
    sft.add_argument("--lora-rank", dest="lora_rank", type=int)
    sft.add_argument("--lora-alpha", dest="lora_alpha", type=int)
    sft.add_argument("--lora-dropout", dest="lora_dropout", type=float)
    sft.add_argument("--lora-target-modules", dest="lora_target_modules")
    sft.set_defaults(func=_handler("sft"))

    base = sub.add_parser("base", help="base pretraining on a dataset pack (validation loss, bits per byte)")
    _common_flags(base)
    _training_flags(base)
    base.add_argument("--shards", help="token shard folder from `picochat data shards` (streamed; needs --steps)")
    base.add_argument("--max-eval-tokens", dest="max_eval_tokens", type=int, help="validation tokens read from the shards")
    base.add_argument("--verify-shards", dest="verify_shards", action="store_true", default=None,
                      help="check every shard's sha256 and rerun the val/train overlap check over every token before training")
    base.add_argument("--dataset-pack", dest="dataset_pack", help="dataset_pack.json (tokenised in memory)")
    base.add_argument("--documents", help="JSONL of {text}, a text file, or 'default' (embedded corpus)")
    base.add_argument("--mix-documents", dest="mix_documents", help="JSONL of {text} trained on beside the pack or documents")
    base.add_argument("--checkpoint", help="continue from this model instead of a fresh init")
    base.add_argument("--preset", help="model size preset (e.g. cpu-tiny, d4)")
    base.add_argument("--depth", type=int, help="picochat depth when no preset is given")
    base.add_argument("--val-fraction", dest="val_fraction", type=float)
    base.add_argument("--max-documents", dest="max_documents", type=int)
    base.set_defaults(func=_handler("base"))

    dpo = sub.add_parser("dpo", help="direct preference optimisation (TRL DPOTrainer)")
    _common_flags(dpo)
    _dataset_flags(dpo)
    dpo.add_argument("--input", help="preference rows (JSONL, JSON, parquet, CSV or Arrow: prompt|user, chosen, rejected)")
    dpo.add_argument("--eval-input", dest="eval_input")
    dpo.add_argument("--checkpoint", help="policy model folder (usually the SFT checkpoint)")
    dpo.add_argument("--reference-checkpoint", dest="reference_checkpoint")
    dpo.add_argument("--beta", type=float)
    dpo.set_defaults(func=_handler("dpo"))
