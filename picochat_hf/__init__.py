"""picochat_hf: an honest small-language-model factory on the Hugging Face stack.

Importing the package registers the `picochat` model type with transformers' Auto classes, so
`AutoConfig`, `AutoModel` and `AutoModelForCausalLM` load picochat folders without `trust_remote_code`.
"""

from transformers import AutoConfig, AutoModel, AutoModelForCausalLM

from .modeling.configuration_picochat import PicochatConfig
from .modeling.modeling_picochat import PicochatForCausalLM, PicochatModel, PicochatPreTrainedModel

__version__ = "0.1.0"

AutoConfig.register(PicochatConfig.model_type, PicochatConfig, exist_ok=True)
AutoModel.register(PicochatConfig, PicochatModel, exist_ok=True)
AutoModelForCausalLM.register(PicochatConfig, PicochatForCausalLM, exist_ok=True)

# Every save_pretrained of a picochat model writes `auto_map` and copies the (self-contained)
# configuration and modeling files next to the weights, so any checkpoint also loads with
# `trust_remote_code=True` where picochat_hf is not installed.
PicochatConfig.register_for_auto_class("AutoConfig")
PicochatModel.register_for_auto_class("AutoModel")
PicochatForCausalLM.register_for_auto_class("AutoModelForCausalLM")

__all__ = ["PicochatConfig", "PicochatModel", "PicochatForCausalLM", "PicochatPreTrainedModel", "__version__"]
