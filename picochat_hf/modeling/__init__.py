"""The picochat model: configuration and modeling files (self-contained), plus size/FLOP helpers."""

from .configuration_picochat import PicochatConfig
from .flops import PRESETS, flops_per_token, num_parameters, preset_config
from .modeling_picochat import PicochatForCausalLM, PicochatModel, PicochatPreTrainedModel

__all__ = [
    "PRESETS",
    "PicochatConfig",
    "PicochatForCausalLM",
    "PicochatModel",
    "PicochatPreTrainedModel",
    "flops_per_token",
    "num_parameters",
    "preset_config",
]
