"""`generate` given `inputs_embeds` (with or without the prompt's `input_ids`) and `config.smear`.

transformers' decoder-only `generate` feeds the model the embeddings on the prompt step and uses `input_ids` only as
the start of the returned sequences (and for the mask it infers from pad tokens): Llama given both generates what it
generates from the embeddings alone. The smear mixes each token's previous one in, so the first generated token's
previous token is the prompt's last kept *embedding*, never the id standing in its column.
"""

from __future__ import annotations

import pytest
import torch
from transformers import DynamicCache

from helpers_model import tiny_model

KW = dict(max_new_tokens=5, do_sample=False, pad_token_id=2, eos_token_id=None, output_scores=True,
          return_dict_in_generate=True)


def smear_model(seed: int = 0, **overrides):
    model = tiny_model(seed=seed, smear=True, smear_channels=8, **overrides)
    with torch.no_grad():
        model.model.smear.smear_lambda.fill_(0.7)
    return model


def assert_same_continuation(got, want, width: int) -> None:
    assert got.sequences[:, width:].tolist() == want.sequences.tolist()
    for a, b in zip(got.scores, want.scores, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("cache_implementation", [None, "static"])
@pytest.mark.parametrize("smear", [False, True])
def test_ids_given_with_other_embeddings_generate_what_the_embeddings_alone_generate(smear, cache_implementation):
    model = smear_model(seed=7) if smear else tiny_model(seed=7)
    ids, other = torch.randint(3, 97, (2, 6)), torch.randint(3, 97, (2, 6))
    kw = dict(KW, cache_implementation=cache_implementation)
    with torch.no_grad():
        embeds = model.get_input_embeddings()(other)
        alone = model.generate(inputs_embeds=embeds, **kw)
        both = model.generate(ids, inputs_embeds=embeds, **kw)
        from_ids = model.generate(ids, **kw)
    assert both.sequences[:, :6].tolist() == ids.tolist()  # the ids start the returned sequences
    assert_same_continuation(both, alone, 6)
    assert from_ids.sequences[:, 6:].tolist() != both.sequences[:, 6:].tolist()  # the embeddings were what counted


def test_soft_prompt_embeddings_that_are_no_tokens_rows_are_smeared_as_given():
    model = smear_model(seed=11)
    ids = torch.randint(3, 97, (1, 5))
    with torch.no_grad():
        embeds = model.get_input_embeddings()(ids)
        embeds[:, -1] = torch.randn(1, embeds.shape[-1]) * 3  # the last one is nobody's row
        alone = model.generate(inputs_embeds=embeds, **KW)
        both = model.generate(ids, inputs_embeds=embeds, **KW)
        step = model(inputs_embeds=torch.cat([embeds, model.get_input_embeddings()(alone.sequences[:, :1])], 1)).logits
    assert_same_continuation(both, alone, 5)
    torch.testing.assert_close(both.scores[1], step[:, -1], rtol=1e-4, atol=1e-4)  # the uncached forward's logits


def test_a_left_padded_batch_given_both_generates_what_its_embeddings_generate():
    model = smear_model(seed=3)
    ids, other = torch.randint(3, 97, (2, 6)), torch.randint(3, 97, (2, 6))
    mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        embeds = model.get_input_embeddings()(other)
        alone = model.generate(inputs_embeds=embeds, attention_mask=mask, **KW)
        both = model.generate(ids, inputs_embeds=embeds, attention_mask=mask, **KW)
    assert_same_continuation(both, alone, 6)


@pytest.mark.parametrize("shape", [(2, 3), (2, 9), (1, 6), (3, 6)])
def test_ids_of_another_shape_than_the_embeddings_are_refused(shape):
    model = smear_model(seed=7)
    embeds = model.get_input_embeddings()(torch.randint(3, 97, (2, 6)))
    with pytest.raises(ValueError, match=r"input_ids has shape .*inputs_embeds"):
        model.generate(torch.randint(3, 97, shape), inputs_embeds=embeds, **KW)


@pytest.mark.parametrize("given_ids", [False, True])
def test_embeddings_after_a_cached_part_of_the_prompt_smear_the_cached_last_embedding(given_ids):
    model = smear_model(seed=13)
    ids, other = torch.randint(3, 97, (1, 7)), torch.randint(3, 97, (1, 7))
    with torch.no_grad():
        embeds = model.get_input_embeddings()(other)
        embeds[:, 3] = torch.randn(embeds.shape[-1]) * 2  # the cached past's last embedding is nobody's row
        want = model.generate(inputs_embeds=embeds, **KW)
        cache = model(inputs_embeds=embeds[:, :4], use_cache=True, cache=DynamicCache(config=model.config)).cache
        got = model.generate(*([ids] if given_ids else []), inputs_embeds=embeds, cache=cache, **KW)
    assert_same_continuation(got, want, 7 if given_ids else 0)


def test_beam_search_given_both_searches_what_the_embeddings_alone_search():
    model = smear_model(seed=5)
    ids, other = torch.randint(3, 97, (2, 6)), torch.randint(3, 97, (2, 6))
    kw = dict(max_new_tokens=6, do_sample=False, pad_token_id=2, eos_token_id=None, num_beams=3)
    with torch.no_grad():
        embeds = model.get_input_embeddings()(other)
        alone = model.generate(inputs_embeds=embeds, **kw)
        both = model.generate(ids, inputs_embeds=embeds, **kw)
    assert both[:, 6:].tolist() == alone.tolist()


def test_a_cache_that_already_holds_every_embedding_of_the_prompt_is_refused():
    model = smear_model(seed=13)
    with torch.no_grad():
        embeds = model.get_input_embeddings()(torch.randint(3, 97, (1, 5)))
        cache = model(inputs_embeds=embeds, use_cache=True, cache=DynamicCache(config=model.config)).cache
    with pytest.raises(ValueError, match="the cache already holds 5 tokens and the prompt has 5"):
        model.generate(inputs_embeds=embeds, cache=cache, **KW)
