"""Parameter counts, FLOPs per token and named size presets, computed from a config alone.

The gates budget runs with these numbers before any weight exists, so they are closed-form and tested
against the instantiated model's `num_parameters()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .configuration_picochat import PicochatConfig


@dataclass(frozen=True)
class Preset:
    """A named size. `depth` uses nanochat's rule (width = 64 x depth, 128-wide heads)."""

    name: str
    description: str
    overrides: dict[str, Any]
    depth: int | None = None


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("cpu-tiny", "a few hundred thousand parameters; trains in a minute on a laptop CPU",
               {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1,
                "max_position_embeddings": 256}),
        Preset("cpu-small", "about 2M non-embedding parameters; the CPU demo's upper end",
               {"hidden_size": 128, "num_hidden_layers": 4, "num_attention_heads": 4, "num_key_value_heads": 2,
                "max_position_embeddings": 512}),
        Preset("d4", "nanochat sizing at depth 4 (256 wide)", {"max_position_embeddings": 1024}, depth=4),
        Preset("d8", "nanochat sizing at depth 8 (512 wide)", {"max_position_embeddings": 2048}, depth=8),
        Preset("d12", "nanochat sizing at depth 12 (768 wide)", {"max_position_embeddings": 2048}, depth=12),
        Preset("d20", "nanochat's d20 speedrun size (1280 wide, ~560M with a 65k vocab)", {"max_position_embeddings": 2048}, depth=20),
        Preset("d26", "nanochat's d26 (1664 wide)", {"max_position_embeddings": 2048}, depth=26),
        Preset("d32", "nanochat's d32 (2048 wide, ~1.9B with a 65k vocab)", {"max_position_embeddings": 2048}, depth=32),
        Preset("1b", "about 1.0B parameters with a 32k vocab: 2048 wide, 20 layers, 16 heads, 4 kv heads (GQA)",
               {"hidden_size": 2048, "num_hidden_layers": 20, "num_attention_heads": 16, "num_key_value_heads": 4,
                "max_position_embeddings": 2048}),
    )
}


def preset_config(name: str, vocab_size: int, **overrides: Any) -> PicochatConfig:
    """Build the config of a named preset; keyword overrides win over the preset's fields."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    preset = PRESETS[name]
    fields = {**preset.overrides, **overrides}
    if preset.depth is not None:
        return PicochatConfig.from_depth(preset.depth, vocab_size=vocab_size, **fields)
    return PicochatConfig(vocab_size=vocab_size, **fields)


def _block_parameters(cfg: PicochatConfig) -> int:
    d, hd = cfg.hidden_size, cfg.head_dim
    attn = d * cfg.num_attention_heads * hd + 2 * d * cfg.num_key_value_heads * hd + cfg.num_attention_heads * hd * d
    mlp = (3 if cfg.mlp_type == "swiglu" else 2) * d * cfg.intermediate_size
    return attn + mlp  # norms have no parameters


def num_parameters(config: PicochatConfig, exclude_embeddings: bool = False) -> int:
    """Exact parameter count of `PicochatForCausalLM(config)`.

    `exclude_embeddings=True` drops the input embedding (a lookup, no matmul) but keeps the LM head,
    the convention used for FLOPs and for tokens-per-parameter budgets (as in nanochat and Chinchilla-style
    scaling notes).
    """
    emb = config.vocab_size * config.hidden_size
    head = 0 if config.tie_word_embeddings else config.vocab_size * config.hidden_size
    smear = config.smear_channels + 1 if getattr(config, "smear", False) else 0  # gate weights and the lambda
    total = config.num_hidden_layers * _block_parameters(config) + emb + head + smear
    if exclude_embeddings:
        return total - emb if not config.tie_word_embeddings else total
    return total


def flops_per_token(config: PicochatConfig, seq_len: int | None = None) -> float:
    """Training FLOPs per token (forward + backward): 6 x matmul parameters + attention scores.

    Attention adds 12 x layers x heads x head_dim x seq_len (QK^T and AV, forward and backward) for a
    full causal window of `seq_len` (defaults to `max_position_embeddings`).
    """
    t = seq_len if seq_len is not None else config.max_position_embeddings
    matmul_params = num_parameters(config) - config.vocab_size * config.hidden_size
    if config.tie_word_embeddings:
        matmul_params += config.vocab_size * config.hidden_size
    attention = 12 * config.num_hidden_layers * config.num_attention_heads * config.head_dim * t
    return float(6 * matmul_params + attention)
