"""Training configs: TRL-style dataclasses, parsed from YAML plus command-line overrides.

`PicochatSFTConfig` and `PicochatPretrainConfig` extend TRL's `SFTConfig` (hence transformers'
`TrainingArguments`), so every Trainer knob is available under its usual name, plus the picochat fields
below. A handful of friendly fields (`device`, `precision`, `lr_decay`, `min_lr_ratio`) are resolved into
the Trainer's own (`use_cpu`, `bf16`/`fp16`, `lr_scheduler_type`/`lr_scheduler_kwargs`) in `__post_init__`,
so the YAML, the `picochat train` flags and Python all land on the same object.

    config = parse_config(PicochatSFTConfig, ["--config", "recipes/configs/sft_demo.yaml", "--max_steps", "20"])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

import torch
from trl import DPOConfig, SFTConfig, TrlParser

from ..utils.checks import SEED_MAX
from ..utils.errors import PicochatInputError
from ..utils.model_files import tokenizer_folder_of

DEVICES = ("auto", "cpu", "cuda")
LM_HEAD_LOSSES = ("auto", "fused", "dense")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
MATMUL_PRECISIONS = ("highest", "high", "medium")
LR_DECAYS = ("cosine", "linear", "none")
BASE_WARMUP_STEPS = 10  # base pretraining's default warmup, for runs of more than 20 steps

C = TypeVar("C")


def resolve_device(device: str) -> str:
    if device not in DEVICES:
        raise PicochatInputError(f"device must be one of {DEVICES}, got {device!r}", field="device")
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise PicochatInputError("device 'cuda' requested but no CUDA device is available", field="device")
    return device


def resolve_precision(precision: str, device: str) -> str:
    if precision not in PRECISIONS:
        raise PicochatInputError(f"precision must be one of {PRECISIONS}, got {precision!r}", field="precision")
    if precision == "auto":
        return "bf16" if device == "cuda" and torch.cuda.is_bf16_supported() else "fp32"
    if precision == "fp16" and device == "cpu":
        raise PicochatInputError("fp16 mixed precision needs a GPU; use fp32 or bf16 on CPU", field="precision")
    return precision


def scheduler_for(lr_decay: str, min_lr_ratio: float, learning_rate: float) -> tuple[str, dict[str, Any]]:
    """Map warmup + decay-to-`min_lr_ratio` onto a transformers scheduler name and kwargs."""
    if lr_decay not in LR_DECAYS:
        raise PicochatInputError(f"lr_decay must be one of {LR_DECAYS}, got {lr_decay!r}", field="lr_decay")
    if not 0.0 <= min_lr_ratio <= 1.0:
        raise PicochatInputError("min_lr_ratio must be within [0, 1]", field="min_lr_ratio")
    if lr_decay == "cosine":
        return "cosine_with_min_lr", {"min_lr_rate": min_lr_ratio}
    if lr_decay == "linear":
        return "polynomial", {"lr_end": learning_rate * min_lr_ratio, "power": 1.0}
    return "constant_with_warmup", {}


# Range of every numeric field, checked before any work (`check_training_ranges`). Kept here rather than
# in field metadata because HfArgumentParser forwards metadata to argparse, and most of these fields are
# inherited from transformers' TrainingArguments / TRL's configs.
FIELD_RANGES: dict[str, dict[str, Any]] = {
    "per_device_train_batch_size": {"min": 1},
    "per_device_eval_batch_size": {"min": 1},
    "gradient_accumulation_steps": {"min": 1},
    "learning_rate": {"gt": 0.0},
    "muon_learning_rate": {"gt": 0.0},  # None: AdamW for every parameter
    "base_learning_rate": {"gt": 0.0},  # the base run's rate the SFT rate is compared with (None: not given)
    "max_grad_norm": {"min": 0.0},
    "weight_decay": {"min": 0.0},
    "warmup_steps": {"min": 0},
    "num_train_epochs": {"gt": 0.0},
    "logging_steps": {"gt": 0},
    "eval_steps": {"gt": 0},
    "save_steps": {"gt": 0},
    "seed": {"min": 0, "max": SEED_MAX},
    "data_seed": {"min": 0, "max": SEED_MAX},
    "beta": {"gt": 0.0},
    "min_lr_ratio": {"min": 0.0, "max": 1.0},
    "packing_buffer": {"min": 1},
    "heldout_fraction": {"min": 0.0, "lt": 1.0},
    "val_fraction": {"gt": 0.0, "lt": 1.0},
    "lora_rank": {"min": 1},
    "lora_alpha": {"min": 1},
    "lora_dropout": {"min": 0.0, "lt": 1.0},
    # nanochat trains d20-d32; d64 is already a ~13B-parameter model, and a larger depth would only fail later,
    # allocating the model (`--depth 1000000` asks for a million 64M-wide layers)
    "depth": {"min": 1, "max": 64},
    "max_documents": {"min": 1},
    "max_eval_tokens": {"min": 1},
}


def check_training_ranges(config: Any) -> None:
    """Check every numeric field against its range in FIELD_RANGES; max_steps is -1 (train by epochs) or >= 1."""
    from ..utils.checks import check_value

    for name, meta in FIELD_RANGES.items():
        if hasattr(config, name):
            check_value(name, getattr(config, name), meta)
    if config.max_steps == 0 or config.max_steps < -1:
        raise PicochatInputError(f"must be >= 1 (or -1 to train by epochs); got {config.max_steps}", field="max_steps")
    epochs = next((f.default for f in fields(config) if f.name == "num_train_epochs"), None)
    if config.max_steps > 0 and epochs is not None and config.num_train_epochs != epochs:
        # transformers runs max_steps and drops the epochs without a word
        raise PicochatInputError(f"max_steps {config.max_steps} sets the run's length, so num_train_epochs "
                                 f"{config.num_train_epochs:g} would change nothing; give one of them (max_steps -1 "
                                 "trains by epochs)", field="num_train_epochs")


def check_warmup(config: Any, run_steps: int | None = None) -> None:
    """Refuse a warmup the run never finishes: the linear warmup reaches `learning_rate` only after `warmup_steps`
    optimizer steps, so with `warmup_steps >= max_steps` (or a fraction that rounds up to the whole run) the configured
    peak, which the plan and the report record, is never trained at. transformers accepts it silently; here it is an
    input error. A whole step count is also required above 1, since transformers truncates 2.5 to 2.

    A run set by epochs (`max_steps` -1) has no length until its rows are known: the trainer passes `run_steps`
    then (`check_epoch_run_warmup`)."""
    warmup = float(config.warmup_steps)
    if warmup >= 1 and warmup != int(warmup):
        raise PicochatInputError(f"{warmup:g} is not a whole number of steps (transformers would warm up for {int(warmup)}); "
                                 "a fraction of the run is written below 1 (0.1 = 10% of max_steps)", field="warmup_steps")
    by_epochs = run_steps is not None and not (config.max_steps and config.max_steps > 0)
    total = run_steps if by_epochs else config.max_steps
    if total is None or total <= 0 or str(config.lr_scheduler_type) in ("constant", "SchedulerType.CONSTANT"):
        return
    length = f"{total} steps ({config.num_train_epochs:g} num_train_epochs of this data)" if by_epochs else f"{total} (max_steps)"
    steps = config.get_warmup_steps(total)
    if steps > 0 and steps >= total:
        raise PicochatInputError(f"a warmup of {steps} steps is not shorter than the run's {length}, so "
                                 f"the learning rate never reaches its peak learning_rate {config.learning_rate:g}; warm up "
                                 f"for at most {total - 1} steps or train longer", field="warmup_steps")


def default_warmup(run_steps: int) -> int:
    """Base pretraining's default warmup for a run of `run_steps` (<= 0: unknown): 10, or fewer than half a shorter run."""
    return BASE_WARMUP_STEPS if run_steps <= 0 else min(BASE_WARMUP_STEPS, (run_steps - 1) // 2)


def _check_muon(config: Any) -> None:
    """`muon_learning_rate` replaces the Trainer's AdamW: refuse it beside another `optim` or FSDP's sharded
    parameters (torch's Muon orthogonalises whole matrices; a shard is not one)."""
    if getattr(config, "muon_learning_rate", None) is None:
        return
    optim = str(getattr(config.optim, "value", config.optim))
    if optim not in ("adamw_torch", "adamw_torch_fused"):
        raise PicochatInputError(f"muon_learning_rate pairs Muon with torch's AdamW; optim {optim!r} would be ignored "
                                 "(unset one of them)", field="muon_learning_rate")
    if getattr(config, "peft", "none") == "lora":  # Muon orthogonalises full matrices; LoRA trains rank-r factors
        raise PicochatInputError("muon_learning_rate trains the blocks' full matrices; with peft lora only the low-rank "
                                 "adapters train (AdamW); unset one of them", field="muon_learning_rate")
    if getattr(config, "fsdp", None):
        raise PicochatInputError("muon_learning_rate does not run under FSDP (Muon needs whole matrices, FSDP shards "
                                 "them); use DDP or unset it", field="muon_learning_rate")


class _PicochatArgsMixin:
    """Shared `__post_init__`: ranges, device, precision and schedule resolution (fields declared on each config)."""

    def _resolve_picochat_fields(self) -> None:
        check_training_ranges(self)
        if getattr(self, "tokenizer", None):  # `runs/x/tokenizer.json` names its folder: the plan records the folder
            self.tokenizer = str(tokenizer_folder_of(self.tokenizer))
        self.device_kind = resolve_device(self.device_kind)
        self.precision = resolve_precision(self.precision, self.device_kind)
        if self.matmul_precision not in MATMUL_PRECISIONS:
            raise PicochatInputError(f"matmul_precision must be one of {MATMUL_PRECISIONS}", field="matmul_precision")
        # On CPU the Trainer must be told explicitly, or TRL's bf16 default fails its GPU check (hf_stack §3)
        self.use_cpu = self.device_kind == "cpu"
        self.bf16 = self.precision == "bf16"
        self.fp16 = self.precision == "fp16"
        if hasattr(self, "lm_head_loss"):
            if self.lm_head_loss not in LM_HEAD_LOSSES:
                raise PicochatInputError(f"lm_head_loss must be one of {LM_HEAD_LOSSES}, got {self.lm_head_loss!r}", field="lm_head_loss")
            if self.lm_head_loss == "auto":
                self.lm_head_loss = "dense" if self.device_kind == "cpu" else "fused"
        _check_muon(self)
        if self.lr_decay is not None:
            self.lr_scheduler_type, self.lr_scheduler_kwargs = scheduler_for(self.lr_decay, self.min_lr_ratio, self.learning_rate)
        check_warmup(self)
        from .config_keys import check_companion_keys

        check_companion_keys(self)


@dataclass
class PicochatTrainingArguments(_PicochatArgsMixin, SFTConfig):
    """Fields shared by SFT and base pretraining (on top of TRL's `SFTConfig`)."""

    tokenizer: str | None = field(default=None, metadata={"help": "Tokenizer folder (defaults to the checkpoint's)."})
    device_kind: str = field(default="auto", metadata={"help": "auto | cpu | cuda.", "choices": list(DEVICES)})
    precision: str = field(
        default="auto", metadata={"help": "auto | fp32 | bf16 | fp16 (mixed precision; auto = bf16 on capable GPUs, else fp32).", "choices": list(PRECISIONS)}
    )
    matmul_precision: str = field(
        default="highest", metadata={"help": "torch.set_float32_matmul_precision: highest | high | medium.", "choices": list(MATMUL_PRECISIONS)}
    )
    lm_head_loss: str = field(
        default="auto",
        metadata={"help": "fused: TRL's chunked LM-head loss (never builds the full logits; saves memory on GPU); dense: the "
                  "model's own logits and loss (transformers' ForCausalLMLoss); for the demo's model on a 2-core CPU 1.45x the SFT "
                  "tokens/s in fp32, 1.77x in bf16 (bench/lm_head_loss.py); "
                  "auto: dense on CPU, fused otherwise. Both give the same loss and gradients (in fp32; under bf16 autocast dense "
                  "applies the logit softcap in bf16, fused in fp32). Dense covers the plain NLL loss; label smoothing, DFT, a "
                  "custom loss or an MoE aux loss use fused.", "choices": list(LM_HEAD_LOSSES)},
    )
    lr_decay: str | None = field(
        default="cosine",
        metadata={"help": "Decay after warmup down to min_lr_ratio x peak: cosine | linear | none (constant). "
                  "Set to null to use lr_scheduler_type as given.", "choices": [*LR_DECAYS, None]},
    )
    min_lr_ratio: float = field(default=0.1, metadata={"help": "Final learning rate as a fraction of the peak."})
    muon_learning_rate: float | None = field(
        default=None,
        metadata={"help": "Peak rate of Muon for the decoder blocks' linear matrices (on AdamW's scale; nanochat uses 0.02); "
                  "the embeddings, LM head and scalars keep AdamW at learning_rate, and the schedule scales both. "
                  "Unset: AdamW for every parameter. Refused beside another optim, FSDP or peft lora, for a model without "
                  "decoder-block nn.Linear layers (GPT-2's Conv1D), and when resuming a checkpoint of the other optimizer kind."},
    )
    packing_mode: str = field(
        default="bos_bestfit",
        metadata={"help": "bos_bestfit: whole examples packed by best fit into rows of max_length tokens, each starting "
                  "at BOS, no cross-example attention; none: one example per row, padded (the baseline).",
                  "choices": ["bos_bestfit", "none"]},
    )
    packing_buffer: int = field(default=100, metadata={"help": "Examples kept in the best-fit buffer."})
    attn_implementation: str | None = field(default=None, metadata={"help": "Attention backend (sdpa, eager, flash_attention_2, ...); default: the model's."})
    preflight_profile: str = field(default="research", metadata={"help": "Gate profile for the preflight check."})
    allow_blocked_preflight: bool = field(
        default=False, metadata={"help": "Train even if the preflight gate says blocked (recorded in train_report.json)."}
    )
    force: bool = field(default=False, metadata={"help": "Overwrite an existing output directory."})
    metrics_file: str = field(default="metrics.jsonl", metadata={"help": "Per-step metrics file inside output_dir."})

    # TRL / transformers defaults changed for this workflow
    max_length: int | None = field(default=512, metadata={"help": "Row length in tokens (packed rows are exactly this long)."})
    packing: bool = field(default=False, metadata={"help": "Leave False: packing is done by our collator (packing_mode)."})
    padding_free: bool = field(default=False, metadata={"help": "Leave False: rows carry per-example position_ids instead."})
    dataset_kwargs: dict[str, Any] | None = field(
        default_factory=lambda: {"skip_prepare_dataset": True},
        metadata={"help": "Datasets are pre-tokenised by picochat; TRL's preparation is skipped."},
    )
    gradient_checkpointing: bool | None = field(default=None, metadata={"help": "Deprecated alias of activation_checkpointing."})
    activation_checkpointing: bool | None = field(default=None, metadata={"help": "Recompute activations in backward (saves memory); default off, or gradient_checkpointing's value."})
    logging_steps: float = field(default=1, metadata={"help": "Log (and write metrics.jsonl) every N optimizer steps."})
    report_to: None | str | list[str] = field(default="none", metadata={"help": "Trackers: none, tensorboard, wandb, ..."})
    save_strategy: str = field(default="no", metadata={"help": "Trainer checkpoints: no | steps | epoch."})
    dataloader_pin_memory: bool = field(default=False, metadata={"help": "Pin host memory (useful on GPU only)."})

    def __post_init__(self) -> None:
        self._resolve_picochat_fields()
        if self.max_length is None or self.max_length < 2:
            raise PicochatInputError("max_length (row length) must be >= 2", field="max_length")
        if self.packing or self.padding_free:
            raise PicochatInputError("TRL packing/padding_free must stay off: picochat packs in its collator (packing_mode)", field="packing")
        # state.num_input_tokens_seen holds picochat's real (non-pad) token count; the Trainer must not add its own
        self.include_num_input_tokens_seen = "no"
        super().__post_init__()


@dataclass
class DatasetArgs:
    """Where rows come from besides a local `input` file: TRL's `ScriptArguments` names and its `datasets:` mixture."""

    dataset_name: str | None = field(
        default=None,
        metadata={"help": "Rows from a Hub dataset, a save_to_disk folder, a data folder or a .jsonl/.json/.parquet file, "
                  "through `datasets` (instead of input)."},
    )
    dataset_config: str | None = field(default=None, metadata={"help": "Dataset configuration name (load_dataset's `name`)."})
    dataset_train_split: str = field(default="train", metadata={"help": "Split of dataset_name to train on."})
    dataset_test_split: str | None = field(
        default=None, metadata={"help": "Split of dataset_name for eval loss (instead of eval_input); none by default."}
    )
    dataset_streaming: bool = field(default=False, metadata={"help": "Stream dataset_name instead of downloading it first."})
    datasets: list[dict[str, Any]] = field(
        default_factory=list,
        metadata={"help": "TRL dataset mixture (YAML list of {path, name, data_dir, data_files, split, columns, fraction}), "
                  "loaded with trl.get_dataset (instead of input)."},
    )


@dataclass
class PicochatSFTConfig(DatasetArgs, PicochatTrainingArguments):
    """Supervised fine-tuning on chat rows (`picochat train sft`, `recipes/sft.py`)."""

    input: str | None = field(
        default=None,
        metadata={"help": "Training rows (JSONL or parquet): picochat rows, TRL conversational (messages, tool calls), "
                  "prompt/completion or preference rows."},
    )
    eval_input: str | None = field(default=None, metadata={"help": "Held-out rows for eval loss (same formats)."})
    checkpoint: str | None = field(default=None, metadata={"help": "Model folder to fine-tune (save_pretrained layout)."})
    sampling: str = field(
        default="category_sqrt",
        metadata={"help": "category_sqrt: P(category) ~ sqrt(rows); category_balanced; uniform (each row once per pass).",
                  "choices": ["category_sqrt", "category_balanced", "uniform"]},
    )
    overlong: str = field(
        default="truncate", metadata={"help": "Conversations longer than a row: truncate (keep the start) or drop. Counted either way.", "choices": ["truncate", "drop"]}
    )
    heldout_fraction: float = field(
        default=0.0,
        metadata={"help": "Hold this fraction of --input rows out of training (the split `picochat eval sft-fit --split heldout` "
                          "scores, grouped by `group`); 0 trains on every row."},
    )
    dataset_pack: str | None = field(default=None, metadata={"help": "Dataset pack the base model came from (recorded in the plan)."})
    base_learning_rate: float | None = field(default=None, metadata={"help": "Peak LR of the base run (recorded for the preflight LR check)."})
    growth_eval_input: str | None = field(
        default=None,
        metadata={"help": "Eval rows with scoring rules: a fixed subset is scored at growth_eval_points steps during training "
                          "(skill_growth.jsonl, plotted in the run report); observation only, never trained on."},
    )
    growth_eval_points: int = field(default=5, metadata={"help": "Steps at which the skill-growth subset is scored."})
    growth_eval_rows_per_skill: int = field(default=8, metadata={"help": "Rows per skill in the skill-growth subset."})
    growth_max_new_tokens: int = field(default=160, metadata={"help": "Generation budget per reply of the skill-growth subset."})
    peft: str = field(default="none", metadata={"help": "none | lora.", "choices": ["none", "lora"]})
    lora_rank: int = field(default=8, metadata={"help": "LoRA rank r."})
    lora_alpha: int = field(default=16, metadata={"help": "LoRA alpha."})
    lora_dropout: float = field(default=0.0, metadata={"help": "LoRA dropout."})
    lora_target_modules: str = field(default="all-linear", metadata={"help": "Comma-separated module names, or all-linear."})
    learning_rate: float = field(default=2e-5, metadata={"help": "Peak learning rate."})

    def __post_init__(self) -> None:
        if self.peft != "lora":  # a LoRA setting without LoRA would fine-tune every weight and record nothing of it
            defaults = {f.name: f.default for f in fields(self) if f.name.startswith("lora_")}
            changed = next((name for name, default in defaults.items() if getattr(self, name) != default), None)
            if changed is not None:
                raise PicochatInputError(f"{changed} applies to LoRA adapters only; add peft: lora (--peft lora) or drop "
                                         "it", field=changed)
        super().__post_init__()


@dataclass
class PicochatPretrainConfig(PicochatTrainingArguments):
    """Base pretraining on documents (`picochat train base`, `recipes/pretrain.py`)."""

    shards: str | None = field(
        default=None,
        metadata={"help": "Token shard folder (or its shards.json) from `picochat data shards`: streamed by memory map "
                  "across ranks, the path for corpora of any size. Needs max_steps."},
    )
    max_eval_tokens: int | None = field(
        default=1_000_000, metadata={"help": "With shards: read at most this many validation tokens (null: the whole val split)."}
    )
    verify_shards: bool = field(default=False, metadata={"help": "With shards: check every shard's sha256 and rerun the val/train sequence-overlap check over every token before training."})
    dataset_pack: str | None = field(
        default=None,
        metadata={"help": "dataset_pack.json whose documents to train on (in memory); with shards, the pack they were made "
                  "from, for the preflight's corpus checks (default: the shard manifest's input when it is a pack)."},
    )
    documents: str | None = field(
        default=None, metadata={"help": "Alternative input: a data file of {\"text\": ...} documents (JSONL, JSON, parquet, CSV, Arrow; JSON and CSV "
                                "optionally compressed) or a plain text file (blank-line separated). "
                                "'default' uses the embedded corpus."}
    )
    mix_documents: str | None = field(
        default=None, metadata={"help": "A data file of {\"text\": ...} documents trained on beside the dataset pack or "
                                "documents (in memory; e.g. the demo's task text from the training pools); its documents "
                                "are split into train and validation like the others."}
    )
    checkpoint: str | None = field(default=None, metadata={"help": "Continue from this model folder instead of a fresh init."})
    preset: str | None = field(default=None, metadata={"help": "Model preset name (picochat.modeling.flops PRESETS)."})
    depth: int | None = field(default=None, metadata={"help": "Picochat depth (hidden = 64 x depth) when no preset is given."})
    model_config: dict[str, Any] | str | None = field(default=None, metadata={"help": "Extra PicochatConfig fields (dict or JSON)."})
    val_fraction: float = field(default=0.05, metadata={"help": "Fraction of documents held out for validation loss and bits-per-byte."})
    max_documents: int | None = field(default=None, metadata={"help": "Use at most this many documents."})
    sampling: str = field(default="uniform", metadata={"help": "Document order: uniform (shuffled passes).", "choices": ["uniform"]})
    learning_rate: float = field(default=3e-3, metadata={"help": "Peak learning rate."})
    eval_strategy: str = field(default="steps", metadata={"help": "Evaluate every eval_steps."})
    eval_steps: float | None = field(default=50, metadata={"help": "Steps between validation evaluations."})
    warmup_steps: float | None = field(
        default=None, metadata={"help": "Linear warmup steps (below 1: a fraction of max_steps). Default: 10, or fewer than "
                                "half the steps of a shorter run (a warmup the run never finishes is refused)."})
    weight_decay: float = field(default=0.0, metadata={"help": "AdamW weight decay."})

    def __post_init__(self) -> None:
        # the default: a short smoke run still reaches its peak learning rate (an epoch run's is fitted once its
        # length is known, `check_epoch_run_warmup`)
        self.warmup_is_default = self.warmup_steps is None
        if self.warmup_steps is None:
            self.warmup_steps = default_warmup(self.max_steps)
        if isinstance(self.model_config, str):
            import json

            from ..data.schema import DuplicateKeyError, unique_keys

            try:
                self.model_config = json.loads(self.model_config, object_pairs_hook=unique_keys)
            except json.JSONDecodeError as exc:
                raise PicochatInputError(f"model_config is not JSON ({exc.msg})", field="model_config") from None
            except DuplicateKeyError as exc:
                raise PicochatInputError("this key appears twice in one object (readers disagree on which value counts)",
                                         field=f"model_config.{exc.key}") from None
        if self.model_config is not None:
            check_model_config_keys(self.model_config)
        if not 0.0 < self.val_fraction < 1.0:
            raise PicochatInputError("val_fraction must be within (0, 1)", field="val_fraction")
        if self.shards and self.documents:
            raise PicochatInputError("give shards or documents, not both", field="shards")
        if self.shards and self.mix_documents:
            raise PicochatInputError("mix_documents are read into memory; token shards are streamed (write the mixed "
                                     "documents into the shards instead)", field="mix_documents")
        check_one_source(self)
        super().__post_init__()


def check_one_source(config: PicochatPretrainConfig) -> None:
    """Refuse a base-training setting another one overrides: the model comes from the checkpoint, else the preset,
    else the depth; the documents from the shards, else the dataset pack, else the documents file; a setting of a
    source that loses would be accepted and change nothing."""
    if config.checkpoint:
        for name in ("preset", "depth", "model_config"):
            if getattr(config, name):
                raise PicochatInputError(f"a model continued from a checkpoint keeps its own size and config; drop {name} "
                                         "or the checkpoint", field=name)
    if config.preset and config.depth:
        raise PicochatInputError("the preset sets the depth; give preset or depth, not both", field="depth")
    if config.dataset_pack and config.documents:
        raise PicochatInputError("the dataset pack's documents are the ones trained on; give dataset_pack or documents, "
                                 "not both", field="documents")
    if config.shards:
        if config.max_documents is not None:
            raise PicochatInputError("token shards are streamed whole; max_documents applies to documents read into "
                                     "memory (cut the shards with `picochat data shards` instead)", field="max_documents")
        if config.val_fraction != PicochatPretrainConfig.__dataclass_fields__["val_fraction"].default:
            raise PicochatInputError("token shards carry their own validation split (`picochat data shards "
                                     "--val-fraction`); val_fraction applies to documents read into memory",
                                     field="val_fraction")


def check_model_config_keys(model_config: Any) -> None:
    """`model_config` is a mapping of PicochatConfig fields: a misspelt key would otherwise be stored on the config
    and change nothing (transformers keeps unknown keyword arguments as attributes)."""
    if not isinstance(model_config, dict):
        raise PicochatInputError(f"must be a JSON object of PicochatConfig fields; got {type(model_config).__name__}", field="model_config")
    from ..modeling.configuration_picochat import PicochatConfig

    known = set(PicochatConfig().to_dict())
    unknown = sorted(k for k in model_config if k not in known)
    if unknown:
        raise PicochatInputError(f"unknown PicochatConfig field {unknown[0]!r}", field="model_config")


@dataclass
class PicochatDPOConfig(DatasetArgs, _PicochatArgsMixin, DPOConfig):
    """Direct preference optimisation on (prompt, chosen, rejected) rows (`picochat train dpo`, `recipes/dpo.py`)."""

    input: str | None = field(
        default=None, metadata={"help": "Preference rows (JSONL or parquet): prompt|user, chosen, rejected (strings or message lists)."}
    )
    eval_input: str | None = field(default=None, metadata={"help": "Held-out preference rows."})
    checkpoint: str | None = field(default=None, metadata={"help": "Policy model folder (usually the SFT checkpoint)."})
    reference_checkpoint: str | None = field(default=None, metadata={"help": "Frozen reference model (default: the policy's starting weights)."})
    tokenizer: str | None = field(default=None, metadata={"help": "Tokenizer folder (defaults to the checkpoint's)."})
    device_kind: str = field(default="auto", metadata={"help": "auto | cpu | cuda.", "choices": list(DEVICES)})
    precision: str = field(default="auto", metadata={"help": "auto | fp32 | bf16 | fp16.", "choices": list(PRECISIONS)})
    matmul_precision: str = field(default="highest", metadata={"help": "highest | high | medium.", "choices": list(MATMUL_PRECISIONS)})
    lr_decay: str | None = field(default="cosine", metadata={"help": "cosine | linear | none.", "choices": [*LR_DECAYS, None]})
    min_lr_ratio: float = field(default=0.1, metadata={"help": "Final learning rate as a fraction of the peak."})
    force: bool = field(default=False, metadata={"help": "Overwrite an existing output directory."})
    metrics_file: str = field(default="metrics.jsonl", metadata={"help": "Per-step metrics file inside output_dir."})
    learning_rate: float = field(default=5e-6, metadata={"help": "Peak learning rate."})
    gradient_checkpointing: bool | None = field(default=None, metadata={"help": "Deprecated alias of activation_checkpointing."})
    activation_checkpointing: bool | None = field(default=None, metadata={"help": "Recompute activations in backward; default off, or gradient_checkpointing's value."})
    logging_steps: float = field(default=1, metadata={"help": "Log every N steps."})
    report_to: None | str | list[str] = field(default="none", metadata={"help": "Trackers: none, tensorboard, ..."})
    save_strategy: str = field(default="no", metadata={"help": "Trainer checkpoints: no | steps | epoch."})
    dataloader_pin_memory: bool = field(default=False, metadata={"help": "Pin host memory (GPU only)."})

    def __post_init__(self) -> None:
        self._resolve_picochat_fields()
        super().__post_init__()


def _read_config_file(config_cls: type, argv: list[str]) -> tuple[str | None, dict[str, int], dict[str, Any]]:
    """The `--config` file's path, its keys' lines and its values, every key checked against `config_cls`'s fields
    (an unknown key, a flag's spelling given a non-boolean, a wrong YAML type: refused naming file, line and key)."""
    from ..utils.io import read_yaml_mapping
    from ..utils.setting_names import sibling_hint
    from .config_keys import check_yaml_types
    from .flags import flag_hint

    if "--config" not in argv or argv.index("--config") + 1 >= len(argv):
        return None, {}, {}
    from ..utils.checks import yaml_key_lines

    path = argv[argv.index("--config") + 1]
    known = {f.name for f in fields(config_cls)} | {"env"}
    lines = yaml_key_lines(path)
    yaml_values = read_yaml_mapping(path, "a mapping of config fields")
    if not yaml_values:  # TRL's parser refuses a document that is no mapping (an empty file is null)
        raise PicochatInputError("no config fields in the file (it is empty or only comments); give fields or leave "
                                 "--config out", path=path, field="config")
    for key, value in yaml_values.items():
        hint = flag_hint(str(key))
        if key not in known:
            hint = hint or sibling_hint(str(key), known)
            raise PicochatInputError("unknown config field" + hint, path=path, line=lines.get(key), field=str(key))
        if hint and not isinstance(value, bool):  # `packing: bos_bestfit`: TRL's boolean, not the flag's setting
            raise PicochatInputError(f"expected a boolean, got {value!r}" + hint, path=path, line=lines.get(key),
                                     field=str(key))
    check_yaml_types(config_cls, yaml_values, path, lines)
    return path, lines, yaml_values


def parse_config(config_cls: type[C], argv: Sequence[str] | None = None, *, epilog: str | None = None) -> C:
    """Parse `--config file.yaml` plus `--field value` overrides into one config (TRL's parser).

    Every problem is a `PicochatInputError` naming the field, and the YAML file and line when the value
    came from it: malformed YAML, unknown keys (in the file or as `--field`), wrong types, out-of-range
    values (`check_training_ranges`). `epilog` ends `--help`.
    """
    import re
    import sys

    from ..utils.setting_names import sibling_hint
    from .config_keys import trl_key_defaults
    from .flags import flag_hint

    argv = list(argv) if argv is not None else sys.argv[1:]
    path, lines, yaml_values = _read_config_file(config_cls, argv)
    on_command_line = {a[2:].split("=")[0].replace("-", "_") for a in argv if a.startswith("--")}

    def located(message: str, field: str | None) -> PicochatInputError:
        from_file = field in lines and field not in on_command_line
        return PicochatInputError(message, path=path if from_file else None, line=lines.get(field) if from_file else None, field=field)

    def usage_error(message: str) -> None:
        m = re.match(r"argument --([\w-]+)", message)
        raise located(message.split(": ", 1)[-1] if m else message, m.group(1).replace("-", "_") if m else None)

    parser = TrlParser((config_cls,), epilog=epilog)  # the recipes' exit codes (training/recipe.py)
    parser.error = usage_error  # type: ignore[method-assign]
    parser.set_defaults(**trl_key_defaults(yaml_values, argv, set(lines) | on_command_line, on_command_line, located,
                                            packed=any(f.name == "packing_mode" for f in fields(config_cls))))
    try:
        (config,) = parser.parse_args_and_config(argv)
    except PicochatInputError as exc:
        if exc.path is None and exc.field in lines:
            raise located(exc.reason, exc.field) from None
        raise
    except ValueError as exc:
        unknown = re.search(r"not used by the HfArgumentParser: \['--([\w-]+)'", str(exc))
        if unknown is None:
            raise
        key = unknown.group(1).replace("-", "_")
        hint = flag_hint(key) or sibling_hint(key, {f.name for f in fields(config_cls)})
        raise PicochatInputError("unknown config field (check --set)" + hint, field=unknown.group(1)) from None
    return config
