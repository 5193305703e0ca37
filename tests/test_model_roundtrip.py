"""save_pretrained / from_pretrained keep every PicochatConfig field and the logits, in float32 and in bf16."""

from __future__ import annotations

import pytest
import torch
from transformers import AutoModelForCausalLM

from helpers_model import tiny_model

IDS = torch.tensor([[0, 5, 17, 33, 8, 9], [2, 2, 0, 40, 41, 3]])
PADDED = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
# every field away from its default (and from the fixture's), so a field that is dropped or renamed shows
EVERY_FIELD = dict(
    hidden_size=32, intermediate_size=48, num_hidden_layers=3, num_attention_heads=4, num_key_value_heads=2, head_dim=16,
    max_position_embeddings=40, rope_parameters={"rope_type": "yarn", "factor": 2.0, "rope_theta": 5000.0},
    rms_norm_eps=1e-5, mlp_type="swiglu", final_logit_softcapping=7.5, initializer_range=0.03, residual_init_std=0.01,
    attention_dropout=0.1, use_cache=False, tie_word_embeddings=True, bos_token_id=4, eos_token_id=[1, 5], pad_token_id=3,
    smear=True, smear_channels=8, init_scheme="normal", embedding_scale=0.5,
)


def test_every_config_field_and_the_logits_survive_a_save_load_round_trip(tmp_path):
    model = tiny_model(seed=71, attn="eager", **EVERY_FIELD)
    model.save_pretrained(tmp_path)
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path, attn_implementation="eager").eval()
    before, after = model.config.to_dict(), loaded.config.to_dict()
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)} - {"_name_or_path"}
    assert changed == set()
    for field, value in EVERY_FIELD.items():
        if field != "rope_parameters":  # transformers adds original_max_position_embeddings to YaRN's
            assert getattr(loaded.config, field) == value, field
    assert loaded.config.rope_parameters["factor"] == 2.0 and loaded.config.rope_parameters["rope_type"] == "yarn"
    assert loaded.lm_head.weight.data_ptr() == loaded.model.embed_tokens.weight.data_ptr()  # still tied
    assert loaded.generation_config.eos_token_id == [1, 5] and loaded.generation_config.pad_token_id == 3
    with torch.no_grad():
        torch.testing.assert_close(loaded(IDS, attention_mask=PADDED).logits, model(IDS, attention_mask=PADDED).logits,
                                   atol=0, rtol=0)


@pytest.mark.parametrize("kwarg", ["dtype", "torch_dtype"])
def test_from_pretrained_in_bf16_computes_what_the_cast_model_computes(kwarg, tmp_path):
    """`torch_dtype` is transformers' deprecated name for `dtype`: both load bf16 weights with float32 RoPE tables."""
    model = tiny_model(seed=72, attn="sdpa")
    model.save_pretrained(tmp_path)
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path, **{kwarg: torch.bfloat16}).eval()
    assert loaded.dtype == torch.bfloat16 and loaded.model.rotary_emb.inv_freq.dtype == torch.float32
    with torch.no_grad():
        got = loaded(IDS, attention_mask=PADDED).logits
        cast = model.to(torch.bfloat16)(IDS, attention_mask=PADDED).logits
        full = tiny_model(seed=72, attn="sdpa")(IDS, attention_mask=PADDED).logits
    assert got.dtype == torch.bfloat16
    torch.testing.assert_close(got, cast, atol=0, rtol=0)
    real = PADDED.bool()
    assert (got.float() - full)[real].abs().max() < 0.25  # bf16 rounding, not another model
    assert not torch.equal(got.float(), full)
