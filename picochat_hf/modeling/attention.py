"""picochat's attention: grouped-query attention with RoPE then QK norm, through transformers' attention interface
(eager, sdpa, flash, flex), and the eager kernel that also returns the probabilities (`output_attentions`).

Self-contained like the rest of the modeling files: `save_pretrained` copies it next to the weights.
"""

from collections.abc import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F
from transformers.cache_utils import Cache
from transformers.modeling_utils import ALL_ATTENTION_FUNCTIONS

from .configuration_picochat import PicochatConfig
from .init_roles import init_role
from .norm import rms_norm
from .rotary import apply_rotary


def repeat_kv(x: torch.Tensor, n_rep: int) -> torch.Tensor:
    """(B, KV, T, D) -> (B, KV * n_rep, T, D): each kv head serves n_rep query heads."""
    if n_rep == 1:
        return x
    b, kv, t, d = x.shape
    return x[:, :, None].expand(b, kv, n_rep, t, d).reshape(b, kv * n_rep, t, d)


def eager_attention_forward(
    module: nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: torch.Tensor | None,
    scaling: float,
    dropout: float = 0.0,
    **kwargs,
) -> tuple[torch.Tensor, torch.Tensor]:
    key = repeat_kv(key, module.num_key_value_groups)
    value = repeat_kv(value, module.num_key_value_groups)
    scores = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        if attention_mask.dtype == torch.bool:
            scores = scores.masked_fill(~attention_mask, torch.finfo(scores.dtype).min)
        else:
            scores = scores + attention_mask
    probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(query.dtype)
    probs = F.dropout(probs, p=dropout, training=module.training)
    out = torch.matmul(probs, value).transpose(1, 2).contiguous()
    return out, probs


class PicochatAttention(nn.Module):
    def __init__(self, config: PicochatConfig, layer_idx: int):
        super().__init__()
        self.config = config
        self.layer_idx = layer_idx
        self.head_dim = config.head_dim
        self.num_heads = config.num_attention_heads
        self.num_kv_heads = config.num_key_value_heads
        self.num_key_value_groups = self.num_heads // self.num_kv_heads
        self.scaling = self.head_dim**-0.5
        self.is_causal = True
        self.q_proj = init_role(nn.Linear(config.hidden_size, self.num_heads * self.head_dim, bias=False), "input")
        self.k_proj = init_role(nn.Linear(config.hidden_size, self.num_kv_heads * self.head_dim, bias=False), "input")
        self.v_proj = init_role(nn.Linear(config.hidden_size, self.num_kv_heads * self.head_dim, bias=False), "input")
        self.o_proj = init_role(nn.Linear(self.num_heads * self.head_dim, config.hidden_size, bias=False), "residual_out")

    def forward(
        self,
        hidden_states: torch.Tensor,
        position_embeddings: tuple[torch.Tensor, torch.Tensor],
        attention_mask: torch.Tensor | None = None,
        cache: Cache | None = None,
        **kwargs,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        b, t, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(b, t, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(b, t, self.num_kv_heads, self.head_dim).transpose(1, 2)
        cos, sin = position_embeddings
        # RoPE first, then QK norm (nanochat's order): the norm bounds the rotated vectors' logits
        q = rms_norm(apply_rotary(q, cos, sin), self.config.rms_norm_eps)
        k = rms_norm(apply_rotary(k, cos, sin), self.config.rms_norm_eps)
        if cache is not None:
            k, v = cache.update(k, v, self.layer_idx)
        attention_fn: Callable = ALL_ATTENTION_FUNCTIONS.get_interface(self.config._attn_implementation, eager_attention_forward)
        out, weights = attention_fn(
            self,
            q,
            k,
            v,
            attention_mask,
            dropout=self.config.attention_dropout if self.training else 0.0,
            scaling=self.scaling,
            **kwargs,
        )
        return self.o_proj(out.reshape(b, t, -1).contiguous()), weights
