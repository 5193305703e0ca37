"""A prepared 4-D attention mask is used as given (transformers' convention: Llama and NanoChat pass it to attention
unchanged), so one that lets a token attend to a later token, or that broadcasts over the queries or the keys,
leaked the future into every earlier position, silently: a causal LM trained with it learns to copy its label.
Such masks are refused naming attention_mask and the place; causal 4-D masks (padding holes, packed documents,
per-head, broadcast over the batch, after a cached past, generate's static-cache masks) still give the 2-D masks'
logits."""

from __future__ import annotations

import pytest
import torch
from helpers_model import tiny_model
from transformers import DynamicCache

T = 6


@pytest.fixture(scope="module", params=["sdpa", "eager"])
def model(request):
    return tiny_model(seed=70, attn=request.param)


def _ids(batch: int = 2) -> torch.Tensor:
    return torch.randint(3, 97, (batch, T), generator=torch.Generator().manual_seed(70))


def _causal(batch: int = 2, heads: int = 1, length: int = T, past: int = 0) -> torch.Tensor:
    keys = torch.arange(past + length)
    return (keys[None, :] <= (torch.arange(length) + past)[:, None]).expand(batch, heads, length, past + length).clone()


def _leaky() -> dict[str, tuple[torch.Tensor, str]]:
    one_open = _causal()
    one_open[1, 0, 2, 4] = True  # row 1's token 2 sees token 4
    additive = torch.where(_causal(), 0.0, float("-inf"))
    additive[0, 0, 0, 5] = 0.0
    soft = torch.where(_causal(), 0.0, -1.0)  # a bias, not a mask: the future still gets weight
    return {
        "all true": (torch.ones(2, 1, T, T, dtype=torch.bool), r"attention_mask\[0, 0, 0, 1\]"),
        "one future key opened": (one_open, r"attention_mask\[1, 0, 2, 4\]"),
        "additive zero on a future key": (additive, r"attention_mask\[0, 0, 0, 5\]"),
        "additive -1 on future keys": (soft, r"attention_mask\[0, 0, 0, 1\]"),
    }


LEAKY = _leaky()


@pytest.mark.parametrize("name", list(LEAKY))
def test_a_4d_mask_that_opens_a_later_token_is_refused_naming_the_place(model, name):
    mask, where = LEAKY[name]
    ids = _ids()
    with torch.no_grad():
        with pytest.raises(ValueError, match=where + r" lets token \d+ attend to a later token"):
            model(ids, attention_mask=mask)


@pytest.mark.parametrize("shape", [(2, 1, 1, T), (2, 1, T, 1), (1, 1, 1, 1), (2, 1, T, T + 2), (2, 1, T - 1, T),
                                   (3, 1, T, T), (2, 3, T, T)], ids=str)
def test_a_4d_mask_of_another_shape_is_refused_naming_the_shape(model, shape):
    """(2, 1, 1, 6) and (2, 1, 6, 1) broadcast over the queries or the keys: every token attended every other one
    (position 0's logits changed with the last token by 2.6); wider or narrower masks failed inside attention or
    broadcast the same way."""
    with torch.no_grad(), pytest.raises(ValueError, match=r"4-D attention_mask must have shape \(2 or 1, 4 or 1, 6, 6\)"):
        model(_ids(), attention_mask=torch.ones(shape, dtype=torch.bool))


def test_causal_4d_masks_give_the_logits_of_the_same_rows_without_them(model):
    ids = _ids()
    with torch.no_grad():
        want = model(ids).logits
        for mask in (_causal(), _causal(batch=1), _causal(heads=4), torch.where(_causal(), 0.0, float("-inf")),
                     torch.where(_causal(), 0.0, torch.finfo(torch.float32).min), torch.where(_causal(), 0.0, -1e4)):
            torch.testing.assert_close(model(ids, attention_mask=mask).logits, want, rtol=1e-5, atol=1e-5)


def test_a_block_diagonal_4d_mask_gives_the_packed_documents_logits(model):
    ids = _ids(1)
    mask = _causal(batch=1)
    mask[..., 3:, :3] = False  # two documents of 3 tokens
    pos = torch.tensor([[0, 1, 2, 0, 1, 2]])
    with torch.no_grad():
        packed = model(ids, position_ids=pos).logits
        torch.testing.assert_close(model(ids, attention_mask=mask, position_ids=pos).logits, packed, rtol=1e-5, atol=1e-5)


def test_a_4d_mask_after_a_cached_past_covers_the_past_and_may_not_open_a_later_token(model):
    ids = _ids()
    with torch.no_grad():
        want = model(ids).logits[:, 4:]
        cache = DynamicCache(config=model.config)
        model(ids[:, :4], cache=cache)
        got = model(ids[:, 4:], attention_mask=_causal(length=2, past=4), cache=cache).logits
        torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)
        cache = DynamicCache(config=model.config)
        model(ids[:, :4], cache=cache)
        with pytest.raises(ValueError, match=r"attention_mask\[0, 0, 0, 5\] lets token 4 attend to a later token"):
            model(ids[:, 4:], attention_mask=torch.ones(2, 1, 2, 6, dtype=torch.bool), cache=cache)


def test_generate_with_a_static_cache_still_gives_the_dynamic_caches_tokens(model):
    ids = torch.tensor([[2, 2, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14]])
    kw = dict(attention_mask=(ids != 2).long(), max_new_tokens=4, do_sample=False, pad_token_id=2, eos_token_id=None)
    with torch.no_grad():
        static = model.generate(ids, cache_implementation="static", **kw)
        dynamic = model.generate(ids, **kw)
    assert static.tolist() == dynamic.tolist()
