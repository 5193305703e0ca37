"""`generate` refuses a prompt row whose attention mask is all zeros instead of generating tokens from nothing.

Before, such a row generated fluent tokens from pads alone. Right padding is left to transformers (a warning): its
own generation tests feed right-padded masks.
"""

from __future__ import annotations

import pytest
import torch

from transformers import DynamicCache

from helpers_model import tiny_model

G = dict(do_sample=False, eos_token_id=None, pad_token_id=2, max_new_tokens=4)
IDS = torch.tensor([[0, 5, 17, 33], [0, 40, 41, 3]])


@pytest.mark.parametrize("cache_implementation", [None, "static"])
@pytest.mark.parametrize("smear", [False, True])
def test_a_fully_padded_row_is_refused_naming_the_row(cache_implementation, smear):
    model = tiny_model(seed=5, smear=smear, smear_channels=8)
    mask = torch.tensor([[1, 1, 1, 1], [0, 0, 0, 0]])
    with pytest.raises(ValueError, match=r"attention_mask\[1\] is all zeros"):
        model.generate(IDS, attention_mask=mask, cache_implementation=cache_implementation, **G)


def test_a_fully_padded_row_of_embeddings_is_refused():
    model = tiny_model(seed=5)
    embeds = model.get_input_embeddings()(IDS)
    with pytest.raises(ValueError, match=r"attention_mask\[0\] is all zeros"):
        model.generate(inputs_embeds=embeds, attention_mask=torch.tensor([[0, 0, 0, 0], [1, 1, 1, 1]]), **G)


def test_a_prompt_of_pad_tokens_without_a_mask_is_refused():
    """generate infers the mask from the pad token, which makes the row all zeros."""
    model = tiny_model(seed=5)
    with pytest.raises(ValueError, match=r"attention_mask\[1\] is all zeros"):
        model.generate(torch.tensor([[0, 5, 6], [2, 2, 2]]), **G)


@pytest.mark.parametrize("mask", [[[1, 1, 1, 1], [0, 0, 0, 1]], [[1, 0, 1, 1], [0, 1, 0, 1]], [[1, 1, 1, 1], [1, 1, 1, 1]],
                                  [[1, 1, 1, 1], [1, 0, 0, 0]]],
                         ids=["left_padded_to_one_token", "holes", "full", "right_padded_to_one_token"])
def test_rows_with_a_token_still_generate(mask):
    model = tiny_model(seed=5)
    with torch.no_grad():
        out = model.generate(IDS, attention_mask=torch.tensor(mask), **G)
    assert out.shape == (2, 8)


def test_a_one_token_row_generates_what_that_token_alone_generates():
    model = tiny_model(seed=5)
    with torch.no_grad():
        batched = model.generate(IDS, attention_mask=torch.tensor([[1, 1, 1, 1], [0, 0, 0, 1]]), **G)[1, 4:]
        alone = model.generate(IDS[1:, 3:], **G)[0, 1:]
    assert batched.tolist() == alone.tolist()


KW = dict(do_sample=False, eos_token_id=None, pad_token_id=2, max_new_tokens=4, output_scores=True,
          return_dict_in_generate=True)
PROMPT = torch.randint(3, 97, (1, 8), generator=torch.Generator().manual_seed(0))


def _cache_of(model, ids):
    cache = DynamicCache(config=model.config)
    with torch.no_grad():
        model(ids, cache=cache)
    return cache


@pytest.mark.parametrize("cached", [2, 7])
@pytest.mark.parametrize("smear", [False, True])
def test_a_cache_holding_part_of_the_prompt_gives_the_uncached_tokens_and_scores(smear, cached):
    """With the smear, the first forward after a passed cache needs the token before the new ones: it used to be
    passed only from the second iteration on, so the first one raised."""
    model = tiny_model(seed=5, smear=smear, smear_channels=8)
    with torch.no_grad():
        uncached = model.generate(PROMPT, **KW)
        resumed = model.generate(PROMPT, past_key_values=_cache_of(model, PROMPT[:, :cached]), **KW)
    assert resumed.sequences.tolist() == uncached.sequences.tolist()
    for a, b in zip(resumed.scores, uncached.scores, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("extra", [0, 2])
@pytest.mark.parametrize("smear", [False, True])
def test_a_cache_holding_the_whole_prompt_is_refused(smear, extra):
    """transformers feeds the prompt again on top of its cached copy (the first scores differed by 0.11 here)."""
    model = tiny_model(seed=5, smear=smear, smear_channels=8)
    longer = torch.cat([PROMPT, PROMPT[:, :extra]], dim=1)
    with pytest.raises(ValueError, match=rf"cache already holds {8 + extra} tokens and the prompt has 8"):
        model.generate(PROMPT, past_key_values=_cache_of(model, longer), **KW)
