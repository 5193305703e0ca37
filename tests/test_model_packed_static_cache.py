"""Packed documents (position ids that restart) through a static cache are refused naming the restart: transformers
never separates documents over a cache, and a static cache, unlike an empty dynamic one, is not hidden from its
mask builder, so each document attended to the one before it (logits off by ~4 here), with or without a 2-D mask.
One document per row, left padding and a continuation after a cached past pass through a static cache with the
uncached logits; packed rows with no cache or an empty dynamic cache keep their documents apart."""

from __future__ import annotations

import pytest
import torch
from transformers import DynamicCache, StaticCache

from helpers_model import tiny_model

IDS = torch.tensor([[5, 6, 7, 8, 9, 10]])
PACKED = torch.tensor([[0, 1, 2, 0, 1, 2]])


def static(model):
    return StaticCache(config=model.config, max_cache_len=16)


@pytest.mark.parametrize("smear", [False, True])
@pytest.mark.parametrize("mask", [None, "as wide as the tokens", "as wide as the cache"])
def test_packed_documents_through_a_static_cache_are_refused(smear, mask):
    model = tiny_model(seed=95, smear=smear)
    width = {None: None, "as wide as the tokens": 6, "as wide as the cache": 16}[mask]
    kw = {} if width is None else {"attention_mask": torch.ones(1, width, dtype=torch.long)}
    with torch.no_grad(), pytest.raises(ValueError, match=r"position_ids\[0, 3\] = 0 does not follow position_ids\[0, 2\] = 2"):
        model(IDS, position_ids=PACKED, cache=static(model), **kw)


def test_packed_documents_after_a_static_past_are_refused():
    model = tiny_model(seed=95)
    cache = static(model)
    with torch.no_grad():
        model(IDS[:, :2], cache=cache)
        with pytest.raises(ValueError, match=r"with a cached past the row is one sequence"):
            model(IDS[:, 2:], position_ids=torch.tensor([[2, 0, 1, 2]]), cache=cache)


@pytest.mark.parametrize("smear", [False, True])
@pytest.mark.parametrize("cache", [None, "dynamic"])
def test_packed_documents_without_a_cache_or_with_an_empty_dynamic_one_stay_apart(smear, cache):
    model = tiny_model(seed=96, smear=smear)
    kw = {} if cache is None else {"cache": DynamicCache(config=model.config)}
    with torch.no_grad():
        packed = model(IDS, position_ids=PACKED, **kw).logits
        first, second = model(IDS[:, :3]).logits, model(IDS[:, 3:]).logits
    torch.testing.assert_close(packed[0, :3], first[0], rtol=0, atol=1e-5)
    torch.testing.assert_close(packed[0, 3:], second[0], rtol=0, atol=1e-5)


@pytest.mark.parametrize("smear", [False, True])
def test_one_document_per_row_through_a_static_cache_gives_the_uncached_logits(smear):
    model = tiny_model(seed=97, smear=smear)
    padded = torch.tensor([[2, 2, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14]])
    mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    wide = torch.cat([mask, torch.zeros(2, 10, dtype=mask.dtype)], dim=1)
    positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
    with torch.no_grad():
        one = model(IDS, position_ids=torch.arange(6)[None], cache=static(model)).logits
        plain = model(IDS).logits
        left = model(padded, attention_mask=wide, position_ids=positions, cache=static(model)).logits
        alone = model(padded[:1, 2:]).logits
        cache = static(model)
        model(IDS[:, :2], cache=cache)
        kw = {"smear_prev_ids": IDS[:, 1]} if smear else {}
        rest = model(IDS[:, 2:], position_ids=torch.tensor([[2, 3, 4, 5]]), cache=cache, **kw).logits
    torch.testing.assert_close(one, plain, rtol=0, atol=1e-5)
    torch.testing.assert_close(left[0, 2:], alone[0], rtol=0, atol=1e-5)
    torch.testing.assert_close(rest[0], plain[0, 2:], rtol=0, atol=1e-5)
