"""Training: SFT through TRL's SFTTrainer with BOS-aligned best-fit packing and category sampling, base
pretraining on dataset packs, LoRA through peft, and DPO through TRL's DPOTrainer.

Entry points (the CLI and the recipes call exactly these):

    run_sft(PicochatSFTConfig) -> Path
    run_pretrain(PicochatPretrainConfig) -> Path
    run_dpo(PicochatDPOConfig) -> Path
"""

from .config import PicochatDPOConfig, PicochatPretrainConfig, PicochatSFTConfig, parse_config
from .packing import PackingCollator, best_fit_rows
from .sampling import PackedBatchSampler, category_probabilities
from .trainer import PackedSFTTrainer


def run_sft(config: PicochatSFTConfig):
    from .sft import run_sft as _run

    return _run(config)


def run_pretrain(config: PicochatPretrainConfig):
    from .pretrain import run_pretrain as _run

    return _run(config)


def run_dpo(config: PicochatDPOConfig):
    from .dpo import run_dpo as _run

    return _run(config)


__all__ = [
    "PicochatSFTConfig",
    "PicochatPretrainConfig",
    "PicochatDPOConfig",
    "parse_config",
    "PackingCollator",
    "PackedBatchSampler",
    "PackedSFTTrainer",
    "best_fit_rows",
    "category_probabilities",
    "run_sft",
    "run_pretrain",
    "run_dpo",
]
