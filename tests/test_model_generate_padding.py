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


RIGHT = torch.tensor([[0, 5, 17, 33, 9], [0, 40, 41, 2, 2]])
RIGHT_MASKS = [[[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [[1, 1, 1, 1, 1], [1, 1, 0, 1, 0]], [[1, 1, 1, 1, 0], [1, 0, 0, 0, 0]]]
RIGHT_IDS = ["right_padded", "hole_then_pad", "both_rows_right_padded"]


def _nanochat_twin(model):
    from transformers import NanoChatForCausalLM

    from picochat_hf.export.native import nanochat_config_from

    native = NanoChatForCausalLM(nanochat_config_from(model.config)).eval()
    native.load_state_dict(model.state_dict())
    native.config._attn_implementation = model.config._attn_implementation
    return native


@pytest.mark.parametrize("mask", RIGHT_MASKS, ids=RIGHT_IDS)
@pytest.mark.parametrize("cache_implementation", [None, "static"])
@pytest.mark.parametrize("attn", ["sdpa", "eager"])
def test_right_padded_rows_continue_exactly_as_transformers_nanochat_does(attn, cache_implementation, mask):
    """transformers (Llama, NanoChat) warns and continues after the pads, with positions from the mask: picochat's
    tokens and scores are the same numbers as transformers' NanoChat with the same weights."""
    from transformers.testing_utils import CaptureLogger, LoggingLevel
    from transformers.utils import logging

    model = tiny_model(seed=5, attn=attn)
    native = _nanochat_twin(model)
    mask = torch.tensor(mask)
    # warning level set here: another test in the same process may have lowered transformers' verbosity
    with torch.no_grad(), LoggingLevel(logging.WARNING), CaptureLogger(logging.get_logger("transformers.generation.utils")) as log:
        ours = model.generate(RIGHT, attention_mask=mask, cache_implementation=cache_implementation, **KW)
    assert "right-padding was detected" in log.out  # accepted with transformers' warning, not refused
    with torch.no_grad():
        theirs = native.generate(RIGHT, attention_mask=mask, cache_implementation=cache_implementation, **KW)
    assert ours.sequences.tolist() == theirs.sequences.tolist()
    for a, b in zip(ours.scores, theirs.scores, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)
    with torch.no_grad():
        model.lm_head.weight.mul_(-1)  # other weights give other tokens: the comparison can fail
        flipped = model.generate(RIGHT, attention_mask=mask, cache_implementation=cache_implementation, **KW)
    assert flipped.sequences.tolist() != theirs.sequences.tolist()


def _strong_smear(seed: int = 5):
    model = tiny_model(seed=seed, smear=True, smear_channels=8)
    with torch.no_grad():
        model.model.smear.smear_lambda.fill_(0.7)
    return model


@pytest.mark.parametrize("mask", RIGHT_MASKS, ids=RIGHT_IDS)
@pytest.mark.parametrize("cache_implementation", ["dynamic", "static"])
def test_with_the_smear_a_right_padded_row_continues_from_its_last_kept_token_as_without_a_cache(cache_implementation,
                                                                                                  mask):
    """The first generated token's previous token is the last one the mask keeps, as in the uncached forward; before,
    a cached step was given the pad before it (the first scores differed by 3.8)."""
    model = _strong_smear()
    mask = torch.tensor(mask)
    with torch.no_grad():
        uncached = model.generate(RIGHT, attention_mask=mask, use_cache=False, **KW)
        cached = model.generate(RIGHT, attention_mask=mask, cache_implementation=cache_implementation, **KW)
    assert cached.sequences.tolist() == uncached.sequences.tolist()
    for a, b in zip(cached.scores, uncached.scores, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)


def test_with_the_smear_right_padded_embeddings_continue_from_the_last_kept_embedding():
    model = _strong_smear()
    mask = torch.tensor(RIGHT_MASKS[0])
    with torch.no_grad():
        from_ids = model.generate(RIGHT, attention_mask=mask, use_cache=False, **KW)
        embeds = model.get_input_embeddings()(RIGHT)
        from_embeds = model.generate(inputs_embeds=embeds, attention_mask=mask, **KW)
    assert from_embeds.sequences.tolist() == from_ids.sequences[:, RIGHT.shape[1]:].tolist()
    for a, b in zip(from_embeds.scores, from_ids.scores, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)
