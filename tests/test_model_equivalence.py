"""Invariants transformers' own suite checks, on picochat with padding, holes, caches and embeddings.

Each "the same answer" test has its neighbour showing that the compared runs could differ (the other token, the
mask without its hole), so a test that compares two things attention cannot change does not pass by accident.
"""

from __future__ import annotations

import pytest
import torch
from transformers import DynamicCache

from helpers_model import tiny_model

G = dict(do_sample=False, eos_token_id=None, pad_token_id=2, max_new_tokens=6)
IDS = torch.tensor([[0, 5, 17, 33, 8, 9], [2, 2, 0, 40, 41, 3]])
PADDED = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
ATTN = ["eager", "sdpa"]


@pytest.mark.parametrize("attn", ATTN)
def test_a_hole_in_the_attention_mask_generates_what_the_prompt_without_that_token_generates(attn):
    model = tiny_model(seed=61, attn=attn)
    prompt = torch.tensor([[0, 5, 17, 33, 8, 9]])
    hole = torch.tensor([[1, 1, 0, 1, 1, 1]])
    with torch.no_grad():
        holed = model.generate(prompt, attention_mask=hole, **G)[:, 6:]
        without = model.generate(prompt[:, [0, 1, 3, 4, 5]], **G)[:, 5:]
        with_token = model.generate(prompt, attention_mask=torch.ones_like(hole), **G)[:, 6:]
        # the forward sees the same when given the positions generate derives from the mask
        logits = model(prompt, attention_mask=hole, position_ids=torch.tensor([[0, 1, 1, 2, 3, 4]])).logits
        torch.testing.assert_close(logits[:, [0, 1, 3, 4, 5]], model(prompt[:, [0, 1, 3, 4, 5]]).logits, atol=1e-5, rtol=1e-5)
    assert holed.tolist() == without.tolist()
    assert with_token.tolist() != holed.tolist()  # the masked token did change the answer when it was seen


@pytest.mark.parametrize("attn", ATTN)
def test_generation_from_inputs_embeds_gives_the_tokens_generation_from_ids_gives(attn):
    model = tiny_model(seed=62, attn=attn)
    with torch.no_grad():
        from_ids = model.generate(IDS, attention_mask=PADDED, **G)[:, IDS.shape[1]:]
        embeds = model.get_input_embeddings()(IDS)
        from_embeds = model.generate(inputs_embeds=embeds, attention_mask=PADDED, **G)
        other = model.generate(inputs_embeds=embeds.flip(0), attention_mask=PADDED.flip(0), **G)
    assert from_embeds.tolist() == from_ids.tolist()
    assert other.tolist() != from_ids.tolist()


@pytest.mark.parametrize("attn", ATTN)
def test_a_left_padded_row_has_its_unpadded_logits(attn):
    """RoPE and QK norm depend on relative positions only, so the shift left padding causes changes nothing."""
    model = tiny_model(seed=63, attn=attn)
    with torch.no_grad():
        batched = model(IDS, attention_mask=PADDED).logits
        alone = model(IDS[1:, 2:]).logits
    torch.testing.assert_close(batched[1, 2:], alone[0], atol=1e-5, rtol=1e-5)
    assert not torch.allclose(batched[0, 2:], alone[0], atol=1e-2)


@pytest.mark.parametrize("attn", ATTN)
@pytest.mark.parametrize("overrides", [{}, {"mlp_type": "swiglu", "num_key_value_heads": 1}])
def test_cached_decoding_of_a_padded_batch_gives_the_full_forward_logits(attn, overrides):
    model = tiny_model(seed=64, attn=attn, **overrides)
    ids = torch.cat([IDS, torch.tensor([[11, 12, 13], [14, 15, 16]])], dim=1)
    mask = torch.cat([PADDED, torch.ones(2, 3, dtype=torch.long)], dim=1)
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    with torch.no_grad():
        full = model(ids, attention_mask=mask, position_ids=positions, use_cache=False).logits
        cache = DynamicCache(config=model.config)
        steps = [model(ids[:, :6], attention_mask=mask[:, :6], position_ids=positions[:, :6], cache=cache).logits]
        for t in range(6, 9):
            steps.append(model(ids[:, t:t + 1], attention_mask=mask[:, :t + 1], position_ids=positions[:, t:t + 1],
                               cache=cache).logits)
    real = mask.bool()
    torch.testing.assert_close(torch.cat(steps, dim=1)[real], full[real], atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("overrides", [{}, {"mlp_type": "swiglu", "num_key_value_heads": 1, "final_logit_softcapping": None}])
def test_sdpa_and_eager_give_the_same_logits_on_a_padded_batch(overrides):
    eager, sdpa = tiny_model(seed=65, attn="eager", **overrides), tiny_model(seed=65, attn="sdpa", **overrides)
    with torch.no_grad():
        a, b = eager(IDS, attention_mask=PADDED).logits, sdpa(IDS, attention_mask=PADDED).logits
    torch.testing.assert_close(a[PADDED.bool()], b[PADDED.bool()], atol=1e-5, rtol=1e-5)


def test_eager_records_one_attention_map_per_layer_that_respects_causality_and_padding():
    model = tiny_model(seed=66, attn="eager", num_hidden_layers=3)
    with torch.no_grad():
        out = model(IDS, attention_mask=PADDED, output_attentions=True, output_hidden_states=True)
    assert len(out.attentions) == 3 and len(out.hidden_states) == 4
    future = torch.ones(6, 6).triu(1).bool()
    for probs in out.attentions:
        assert probs.shape == (2, 4, 6, 6)
        real = probs[1, :, 2:]  # the padded row's real queries
        torch.testing.assert_close(real.sum(-1), torch.ones_like(real.sum(-1)))
        assert real[..., :2].abs().max() == 0  # nothing on the pad keys
        assert probs[0][:, future].abs().max() == 0  # nothing on the future
    torch.testing.assert_close(out.hidden_states[-1], model.model(IDS, attention_mask=PADDED).last_hidden_state)


def test_sdpa_records_hidden_states_but_no_attention_maps():
    """transformers' sdpa computes no probabilities: an empty tuple (with its warning), never maps of other layers."""
    model = tiny_model(seed=66, attn="sdpa", num_hidden_layers=3)
    with torch.no_grad():
        out = model(IDS, attention_mask=PADDED, output_attentions=True, output_hidden_states=True)
    assert out.attentions == () and len(out.hidden_states) == 4
