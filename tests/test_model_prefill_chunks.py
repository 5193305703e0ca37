"""A prompt fed in pieces gives the logits and tokens of the prompt fed at once, with and without the smear.

By hand: two forwards with a dynamic or static cache and a 2-D padding mask. Before, a static cache accepted a 2-D
mask that covered the new tokens but not the past: without the smear the past was masked out (logits off by 2.7,
silently), with it the smear failed with `index 5 is out of bounds`. Such a mask is now refused naming the shape
the cache needs; a mask of the past and new tokens, or one as wide as the cache, gives the one-forward logits.
With the smear, a row whose cached past is all padding gets nothing mixed into its first new token, as in the one
forward (before, the token passed as `smear_prev_ids` was mixed in).

Through `generate(prefill_chunk_size=...)` (transformers' chunked prefill): before, every chunk after the first was
refused as a prompt already in the cache, with or without the smear; now the tokens and scores are the unchunked ones.
"""

from __future__ import annotations

import pytest
import torch
from transformers import DynamicCache, StaticCache

from helpers_model import tiny_model

IDS = torch.randint(3, 97, (2, 9), generator=torch.Generator().manual_seed(0))
LEFT = torch.tensor([[1] * 9, [0, 0, 0] + [1] * 6])
HOLE = torch.tensor([[1] * 9, [1, 1, 0, 1, 1, 0, 1, 1, 1]])
KW = dict(do_sample=False, eos_token_id=None, pad_token_id=2, max_new_tokens=4, output_scores=True,
          return_dict_in_generate=True)


def _model(smear: bool, seed: int = 3):
    model = tiny_model(seed=seed, smear=smear, smear_channels=8)
    if smear:  # a strong smear, so a wrong previous token shows in the logits
        with torch.no_grad():
            model.model.smear.smear_lambda.fill_(0.7)
    return model


def _previous_kept(mask: torch.Tensor | None, split: int) -> torch.Tensor:
    """The token a cached forward is told comes before position `split`: the nearest earlier one the mask keeps."""
    if mask is None:
        return IDS[:, split - 1]
    index = [max([i for i in range(split) if row[i]] or [split - 1]) for row in mask.tolist()]
    return IDS[torch.arange(2), torch.tensor(index)]


def _cache(kind: str, model):
    return DynamicCache(config=model.config) if kind == "dynamic" else StaticCache(config=model.config, max_cache_len=16)


@pytest.mark.parametrize("split", [1, 4, 8])
@pytest.mark.parametrize("mask", [None, LEFT, HOLE], ids=["no_mask", "left_padded", "holes"])
@pytest.mark.parametrize("kind", ["dynamic", "static"])
@pytest.mark.parametrize("smear", [False, True])
def test_a_prompt_in_two_forwards_gives_the_logits_of_one(smear, kind, mask, split):
    model = _model(smear)
    prev = {"smear_prev_ids": _previous_kept(mask, split)} if smear else {}
    with torch.no_grad():
        whole = model(IDS, attention_mask=mask).logits
        cache = _cache(kind, model)
        first = model(IDS[:, :split], attention_mask=None if mask is None else mask[:, :split], cache=cache).logits
        rest = model(IDS[:, split:], attention_mask=mask, cache=cache, **prev).logits
    torch.testing.assert_close(torch.cat([first, rest], dim=1), whole, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("kind", ["dynamic", "static"])
def test_a_past_of_padding_alone_smears_nothing_into_the_first_new_token(kind):
    """The uncached forward mixes nothing into a row's first kept token: a token id passed for it changes nothing."""
    model = _model(True)
    with torch.no_grad():
        whole = model(IDS, attention_mask=LEFT).logits
        for prev in (IDS[:, 2], torch.tensor([5, 6])):
            cache = _cache(kind, model)
            model(IDS[:, :3], attention_mask=LEFT[:, :3], cache=cache)
            rest = model(IDS[:, 3:], attention_mask=LEFT, cache=cache, smear_prev_ids=prev).logits
            torch.testing.assert_close(rest[1], whole[1, 3:], rtol=1e-4, atol=1e-4)
            if prev[0] == IDS[0, 2]:
                torch.testing.assert_close(rest[0], whole[0, 3:], rtol=1e-4, atol=1e-4)
            else:  # row 0 has a real past: a wrong previous token shows (the comparison can fail)
                assert (rest[0] - whole[0, 3:]).abs().max() > 1e-2


@pytest.mark.parametrize("smear", [False, True])
def test_a_static_caches_mask_may_be_as_wide_as_the_cache(smear):
    model = _model(smear)
    wide = torch.cat([LEFT, torch.zeros(2, 7, dtype=torch.long)], dim=1)  # 16 columns: the cache's empty slots too
    prev = {"smear_prev_ids": IDS[:, 4]} if smear else {}
    with torch.no_grad():
        whole = model(IDS, attention_mask=LEFT).logits
        cache = _cache("static", model)
        model(IDS[:, :5], attention_mask=wide, cache=cache)
        rest = model(IDS[:, 5:], attention_mask=wide, cache=cache, **prev).logits
    torch.testing.assert_close(rest, whole[:, 5:], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("width", [4, 6, 8])
@pytest.mark.parametrize("kind", ["dynamic", "static"])
@pytest.mark.parametrize("smear", [False, True])
def test_a_mask_that_misses_part_of_the_past_is_refused_naming_the_shape(smear, kind, width):
    model = _model(smear)
    prev = {"smear_prev_ids": IDS[:, 4]} if smear else {}
    with torch.no_grad():
        cache = _cache(kind, model)
        model(IDS[:, :5], cache=cache)
        shape = r"\(2, 9\)" if kind == "dynamic" else r"\(2, >= 9\)"
        with pytest.raises(ValueError, match=rf"attention_mask must have shape {shape} .* got \(2, {width}\)"):
            model(IDS[:, 5:], attention_mask=torch.ones(2, width, dtype=torch.long), cache=cache, **prev)


@pytest.mark.parametrize("mask", [LEFT, HOLE, torch.tensor([[1] * 9, [1] * 6 + [0] * 3])],
                         ids=["left_padded", "holes", "right_padded"])
@pytest.mark.parametrize("chunk", [1, 4])
@pytest.mark.parametrize("impl", [None, "static"])
@pytest.mark.parametrize("smear", [False, True])
def test_generate_with_prefill_chunks_gives_the_unchunked_tokens_and_scores(smear, impl, chunk, mask):
    model = _model(smear)
    with torch.no_grad():
        whole = model.generate(IDS, attention_mask=mask, cache_implementation=impl, **KW)
        chunked = model.generate(IDS, attention_mask=mask, cache_implementation=impl, prefill_chunk_size=chunk, **KW)
        other = model.generate(IDS.flip(1), attention_mask=mask, cache_implementation=impl, prefill_chunk_size=chunk, **KW)
    assert chunked.sequences.tolist() == whole.sequences.tolist()
    for a, b in zip(chunked.scores, whole.scores, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)
    assert other.sequences.tolist() != chunked.sequences.tolist()  # the comparison can fail


def _cache_of(model, ids):
    cache = DynamicCache(config=model.config)
    with torch.no_grad():
        model(ids, cache=cache)
    return cache


@pytest.mark.parametrize("smear", [False, True])
def test_chunks_after_a_cache_holding_part_of_the_prompt_give_the_uncached_tokens(smear):
    model = _model(smear)
    with torch.no_grad():
        uncached = model.generate(IDS, **KW)
        resumed = model.generate(IDS, cache=_cache_of(model, IDS[:, :3]), prefill_chunk_size=2, **KW)
    assert resumed.sequences.tolist() == uncached.sequences.tolist()
    for a, b in zip(resumed.scores, uncached.scores, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("smear", [False, True])
def test_chunked_prefill_still_refuses_a_cache_holding_the_whole_prompt_and_an_empty_row(smear):
    model = _model(smear)
    with pytest.raises(ValueError, match="cache already holds 9 tokens and the prompt has 9"):
        model.generate(IDS, cache=_cache_of(model, IDS), prefill_chunk_size=4, **KW)
    with pytest.raises(ValueError, match=r"attention_mask\[1\] is all zeros"):
        model.generate(IDS, attention_mask=torch.tensor([[1] * 9, [0] * 9]), prefill_chunk_size=4, **KW)


@pytest.mark.parametrize("smear", [False, True])
def test_chunked_prefill_of_a_prompt_of_embeddings_is_refused_naming_both(smear):
    """transformers chunks `input_ids`, which are empty here: its NanoChat fails on tensor sizes, picochat named
    only the position ids' shape. The same embeddings without chunks still generate."""
    model = _model(smear)
    embeds = model.get_input_embeddings()(IDS).detach()
    with pytest.raises(ValueError, match="prefill_chunk_size .* cannot split a prompt given as inputs_embeds"):
        model.generate(inputs_embeds=embeds, prefill_chunk_size=4, **KW)
    with torch.no_grad():
        assert model.generate(inputs_embeds=embeds, **KW).sequences.shape == (2, 4)


@pytest.mark.parametrize("mask", [LEFT, torch.tensor([[1] * 9, [1] * 6 + [0] * 3])], ids=["left_padded", "right_padded"])
def test_beam_search_with_prefill_chunks_gives_the_uncached_beams_with_the_smear(mask):
    model = _model(True)
    beams = dict(KW, num_beams=2, output_scores=False, return_dict_in_generate=False)
    with torch.no_grad():
        uncached = model.generate(IDS, attention_mask=mask, use_cache=False, **beams)
        for impl in (None, "static"):
            chunked = model.generate(IDS, attention_mask=mask, prefill_chunk_size=3, cache_implementation=impl, **beams)
            assert chunked.tolist() == uncached.tolist(), impl
