"""picochat's block: pre-norm attention then pre-norm MLP (relu^2, or SwiGLU), each added to the residual stream.

Self-contained like the rest of the modeling files: `save_pretrained` copies it next to the weights.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F
from transformers.cache_utils import Cache
from transformers.modeling_layers import GradientCheckpointingLayer

from .attention import PicochatAttention
from .configuration_picochat import PicochatConfig
from .init_roles import init_role
from .norm import PicochatRMSNorm


class PicochatMLP(nn.Module):
    """relu^2 (nanochat): cheap and sparse; or SwiGLU when `mlp_type="swiglu"`."""

    def __init__(self, config: PicochatConfig):
        super().__init__()
        self.mlp_type = config.mlp_type
        if self.mlp_type == "swiglu":
            self.gate_proj = init_role(nn.Linear(config.hidden_size, config.intermediate_size, bias=False), "input")
        self.fc1 = init_role(nn.Linear(config.hidden_size, config.intermediate_size, bias=False), "input")
        self.fc2 = init_role(nn.Linear(config.intermediate_size, config.hidden_size, bias=False), "residual_out")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.mlp_type == "swiglu":
            return self.fc2(F.silu(self.gate_proj(x)) * self.fc1(x))
        return self.fc2(F.relu(self.fc1(x)).square())


class PicochatDecoderLayer(GradientCheckpointingLayer):
    def __init__(self, config: PicochatConfig, layer_idx: int):
        super().__init__()
        self.self_attn = PicochatAttention(config, layer_idx)
        self.mlp = PicochatMLP(config)
        self.input_layernorm = PicochatRMSNorm(config.rms_norm_eps)
        self.post_attention_layernorm = PicochatRMSNorm(config.rms_norm_eps)

    def forward(
        self,
        hidden_states: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        position_embeddings: tuple[torch.Tensor, torch.Tensor] | None = None,
        cache: Cache | None = None,
        **kwargs,
    ) -> torch.Tensor:
        attn_out, _ = self.self_attn(
            self.input_layernorm(hidden_states),
            position_embeddings=position_embeddings,
            attention_mask=attention_mask,
            cache=cache,
            **kwargs,
        )
        hidden_states = hidden_states + attn_out
        return hidden_states + self.mlp(self.post_attention_layernorm(hidden_states))
