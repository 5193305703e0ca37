"""Helpers for model tests: tiny configs and randomised weights.

picochat initialises residual outputs to zero (blocks start as the identity), which would make many
equivalence tests pass trivially; `randomize` gives every parameter non-trivial values.
"""

from __future__ import annotations

import torch

from picochat_hf import PicochatConfig, PicochatForCausalLM


def tiny_config(**overrides) -> PicochatConfig:
    fields = dict(vocab_size=97, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                  max_position_embeddings=64, bos_token_id=0, eos_token_id=1, pad_token_id=2)
    fields.update(overrides)
    return PicochatConfig(**fields)


@torch.no_grad()
def randomize(model: torch.nn.Module, seed: int = 0, std: float = 0.2) -> torch.nn.Module:
    gen = torch.Generator().manual_seed(seed)
    for p in model.parameters():
        p.copy_(torch.randn(p.shape, generator=gen) * std)
    return model


def tiny_model(seed: int = 0, attn: str = "sdpa", **overrides) -> PicochatForCausalLM:
    torch.manual_seed(seed)
    cfg = tiny_config(**overrides)
    cfg._attn_implementation = attn
    return randomize(PicochatForCausalLM(cfg), seed=seed).eval()
