"""`config.embedding_scale`: the normed token embedding times a factor before the first block.

Its numbers (the first hidden state is exactly the normed embedding times the factor, 1.0 is the model without it),
the cached and packed forwards it must keep, and the exports that cannot express it.
"""

from __future__ import annotations

import pytest
import torch

from picochat_hf.export.native import native_incompatibilities
from picochat_hf.modeling.norm import rms_norm

from helpers_model import tiny_model

IDS = torch.tensor([[0, 5, 17, 33, 8, 9, 41], [0, 2, 60, 40, 41, 3, 12]])


@pytest.mark.parametrize("smear", [False, True])
def test_the_first_hidden_state_is_the_normed_embedding_times_the_scale(smear):
    extra = {"smear": True, "smear_channels": 8} if smear else {}
    scaled = tiny_model(seed=3, embedding_scale=0.25, **extra)
    plain = tiny_model(seed=3, **extra)
    with torch.no_grad():
        if smear:
            for m in (scaled, plain):
                m.model.smear.smear_lambda.fill_(0.7)
        first_scaled = scaled(IDS, output_hidden_states=True).hidden_states[0]
        first_plain = plain(IDS, output_hidden_states=True).hidden_states[0]
        emb = rms_norm(scaled.model.embed_tokens(IDS), scaled.config.rms_norm_eps)
    torch.testing.assert_close(first_scaled, 0.25 * first_plain, rtol=0, atol=0)
    if not smear:
        torch.testing.assert_close(first_scaled, 0.25 * emb, rtol=1e-6, atol=1e-6)


def test_scale_one_is_the_model_without_it_and_another_scale_changes_the_logits():
    base = tiny_model(seed=5)
    one = tiny_model(seed=5, embedding_scale=1.0)
    small = tiny_model(seed=5, embedding_scale=0.02)
    with torch.no_grad():
        torch.testing.assert_close(one(IDS).logits, base(IDS).logits, rtol=0, atol=0)
        assert (small(IDS).logits - base(IDS).logits).abs().max().item() > 1e-3


def test_a_cached_forward_equals_the_full_forward_with_a_scale():
    model = tiny_model(seed=7, attn="eager", embedding_scale=0.05)
    with torch.no_grad():
        full = model(IDS).logits
        head = model(IDS[:, :4], use_cache=True)
        tail = model(IDS[:, 4:], cache=head.cache).logits
    torch.testing.assert_close(torch.cat([head.logits, tail], dim=1), full, rtol=1e-5, atol=1e-5)


def test_generate_and_packed_rows_agree_with_separate_rows_with_a_scale():
    model = tiny_model(seed=9, embedding_scale=0.1)
    a, b = IDS[0, :4], IDS[1, :3]
    packed = torch.cat([a, b])[None]
    positions = torch.cat([torch.arange(4), torch.arange(3)])[None]
    with torch.no_grad():
        together = model(packed, position_ids=positions).logits[0]
        torch.testing.assert_close(together[:4], model(a[None]).logits[0], rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(together[4:], model(b[None]).logits[0], rtol=1e-5, atol=1e-5)
        out = model.generate(a[None], max_new_tokens=5, do_sample=False)
        step = a[None]
        for _ in range(5):
            nxt = model(step).logits[:, -1].argmax(-1, keepdim=True)
            step = torch.cat([step, nxt], dim=1)
    assert torch.equal(out, step)


def test_the_native_nanochat_export_refuses_a_scale_it_cannot_express():
    assert native_incompatibilities(tiny_model(seed=1).config) == []
    reasons = native_incompatibilities(tiny_model(seed=1, embedding_scale=0.02).config)
    assert len(reasons) == 1 and reasons[0].startswith("embedding_scale=0.02")
