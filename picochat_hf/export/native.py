"""Export a picochat checkpoint as transformers' built-in `nanochat` model type.

picochat's default architecture (relu^2 MLP, RoPE then QK norm, parameter-free RMSNorm after the
embedding and before the head, softcap) is the same math as `NanoChatForCausalLM`, and the parameter
names match, so a compatible checkpoint converts by rewriting its config. The folder then loads in a
vanilla transformers install with no remote code. The export verifies itself: it reloads the written
folder and compares logits with the source model on a probe batch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from ..utils.errors import PicochatInputError
from ..utils.model_files import check_model_folder
from ..utils.io import atomic_output_dir, atomic_write_json


def native_incompatibilities(config: Any) -> list[str]:
    """Reasons a picochat config cannot be expressed as `nanochat` (empty when it can)."""
    reasons = []
    if getattr(config, "model_type", None) != "picochat":
        reasons.append(f"model_type is {getattr(config, 'model_type', None)!r}, not 'picochat'")
        return reasons
    if config.mlp_type != "relu2":
        reasons.append(f"mlp_type={config.mlp_type!r}: nanochat has only the relu^2 MLP")
    if config.head_dim * config.num_attention_heads != config.hidden_size:
        reasons.append(f"head_dim={config.head_dim} x {config.num_attention_heads} heads != hidden_size {config.hidden_size}")
    if config.attention_dropout:
        reasons.append("attention_dropout is non-zero")
    if getattr(config, "smear", False):
        reasons.append("smear=True: transformers' NanoChat has no smear (use the picochat export)")
    if getattr(config, "embedding_scale", 1.0) != 1.0:
        reasons.append(f"embedding_scale={config.embedding_scale}: transformers' NanoChat does not scale its embedding "
                       "(use the picochat export)")
    return reasons


def nanochat_config_from(config: Any):
    from transformers import NanoChatConfig

    return NanoChatConfig(
        vocab_size=config.vocab_size,
        hidden_size=config.hidden_size,
        intermediate_size=config.intermediate_size,
        num_hidden_layers=config.num_hidden_layers,
        num_attention_heads=config.num_attention_heads,
        num_key_value_heads=config.num_key_value_heads,
        max_position_embeddings=config.max_position_embeddings,
        hidden_act="relu2",
        rms_norm_eps=config.rms_norm_eps,
        rope_parameters=dict(config.rope_parameters),  # same RoPE, scaling included (same sign convention)
        final_logit_softcapping=config.final_logit_softcapping,
        attention_bias=False,
        initializer_range=config.initializer_range,
        bos_token_id=config.bos_token_id,
        eos_token_id=config.eos_token_id,
        pad_token_id=config.pad_token_id,
        tie_word_embeddings=config.tie_word_embeddings,
    )


def export_native(checkpoint: str | Path, out_dir: str | Path, force: bool = False, atol: float = 1e-4) -> Path:
    """Write a `nanochat` folder for `checkpoint`; raise `PicochatInputError` if it is not expressible."""
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, NanoChatForCausalLM

    import picochat_hf  # noqa: F401  (registers picochat with the Auto classes)

    checkpoint = Path(checkpoint)
    check_model_folder(checkpoint)
    config = AutoConfig.from_pretrained(checkpoint)
    reasons = native_incompatibilities(config)
    if reasons:
        raise PicochatInputError("cannot be expressed as transformers' nanochat: " + "; ".join(reasons), path=checkpoint / "config.json")
    source = AutoModelForCausalLM.from_pretrained(checkpoint, dtype=torch.float32, use_safetensors=True).eval()
    native = NanoChatForCausalLM(nanochat_config_from(config)).eval()
    missing, unexpected = native.load_state_dict(source.state_dict(), strict=False)
    missing = [k for k in missing if not k.endswith("rotary_emb.inv_freq") and not k.endswith("original_inv_freq")]
    if missing or unexpected:
        raise PicochatInputError(f"weights do not map onto nanochat (missing {missing[:3]}, unexpected {unexpected[:3]})", path=checkpoint)
    with atomic_output_dir(out_dir, force=force) as tmp:
        native.save_pretrained(tmp)
        if (checkpoint / "tokenizer.json").exists():
            AutoTokenizer.from_pretrained(checkpoint).save_pretrained(tmp)
        reloaded = NanoChatForCausalLM.from_pretrained(tmp, dtype=torch.float32).eval()
        gen = torch.Generator().manual_seed(0)
        probe = torch.randint(0, config.vocab_size, (2, min(32, config.max_position_embeddings)), generator=gen)
        with torch.no_grad():
            diff = (reloaded(probe).logits - source(probe).logits).abs().max().item()
        if diff > atol:
            raise RuntimeError(f"native export check failed: max |logit diff| {diff:.3g} > {atol}")
        atomic_write_json(
            Path(tmp) / "native_export.json",
            {"source_checkpoint": str(checkpoint), "model_type": "nanochat", "max_abs_logit_diff": diff, "atol": atol, "probe_shape": list(probe.shape)},
        )
    return Path(out_dir)
