"""Rotary position embeddings for picochat: the cos/sin tables from position ids, with transformers' RoPE scaling
types, and their application to queries and keys.

RoPE encodes only the distance between a query and a key, so a row's logits do not change when all its position ids
are shifted by one amount (a left-padded row whose first token is at 1, or at its column): the default, linear,
YaRN and Llama 3 types scale frequencies only. "dynamic" and "longrope" read the largest position to pick their
frequencies, so for them a shift past the original length changes the tables (as in transformers' Llama).

Self-contained like the rest of the modeling files: `save_pretrained` copies it next to the weights.
"""

from collections.abc import Callable

import torch
import torch.nn as nn
from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS, dynamic_rope_update

from .configuration_picochat import PicochatConfig


class PicochatRotaryEmbedding(nn.Module):
    """cos/sin tables for RoPE from (possibly per-document) position ids, with transformers' RoPE scaling types.

    `config.rope_parameters["rope_type"]` picks the inverse frequencies: "default" is plain RoPE with base
    `rope_theta`; the scaling types ("linear", "dynamic", "yarn", "longrope", "llama3") come from transformers'
    `ROPE_INIT_FUNCTIONS`, and `dynamic_rope_update` recomputes them in the forward for the types that depend on
    the sequence length, as in transformers' Llama-family models.
    """

    inv_freq: torch.Tensor
    original_inv_freq: torch.Tensor

    def __init__(self, config: PicochatConfig, device: torch.device | None = None):
        super().__init__()
        self.config = config
        self.max_seq_len_cached = config.max_position_embeddings
        self.original_max_seq_len = config.max_position_embeddings
        self.rope_type = config.rope_parameters["rope_type"]
        inv_freq, self.attention_scaling = self.rope_init_fn(config, device)
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.register_buffer("original_inv_freq", inv_freq.clone(), persistent=False)

    @property
    def rope_init_fn(self) -> Callable:
        if self.rope_type == "default":
            return self.compute_default_rope_parameters
        return ROPE_INIT_FUNCTIONS[self.rope_type]

    @staticmethod
    def compute_default_rope_parameters(
        config: PicochatConfig, device: torch.device | None = None, seq_len: int | None = None, **kwargs
    ) -> tuple[torch.Tensor, float]:
        """Plain RoPE: inverse frequencies `1 / theta^(2i / head_dim)`, no attention scaling."""
        base = config.rope_parameters["rope_theta"]
        dim = config.head_dim
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).to(device=device, dtype=torch.float) / dim))
        return inv_freq, 1.0

    def _apply(self, fn, recurse: bool = True):
        # `model.to(torch.bfloat16)` / `.half()` would round the inverse frequencies to 8 (bf16) or 11 (fp16) bits,
        # a phase error that grows with the position (~0.4 rad at position 2000 in bf16), so a cast model would
        # not compute what the same weights loaded with `from_pretrained(dtype=...)` compute. As there, the
        # tables stay float32 (only their device follows the module); cos/sin are cast to the input's dtype.
        tables = {name: getattr(self, name) for name in ("inv_freq", "original_inv_freq")}
        super()._apply(fn, recurse)
        for name, before in tables.items():
            after = getattr(self, name)
            if before.dtype == torch.float32 and after.dtype != torch.float32:
                setattr(self, name, before.to(device=after.device))
        return self

    @torch.no_grad()
    @dynamic_rope_update  # recomputes inv_freq for "dynamic" / "longrope" when the sequence outgrows the original
    def forward(self, x: torch.Tensor, position_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        freqs = position_ids[..., None].float() * self.inv_freq.to(device=x.device, dtype=torch.float32)
        emb = torch.cat((freqs, freqs), dim=-1)  # (B, T, head_dim), rotate-half layout
        cos = emb.cos() * self.attention_scaling
        sin = emb.sin() * self.attention_scaling
        return cos.to(x.dtype), sin.to(x.dtype)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    # nanochat's sign convention (y1 = x1 cos + x2 sin, y2 = x2 cos - x1 sin), the mirror of Llama's;
    # keeping it makes picochat weights load unchanged into transformers' NanoChatForCausalLM
    half = x.shape[-1] // 2
    return torch.cat((x[..., half:], -x[..., :half]), dim=-1)


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    # x: (B, H, T, D); cos/sin: (B, T, D) broadcast over heads
    return x * cos.unsqueeze(1) + rotate_half(x) * sin.unsqueeze(1)
