"""Decoding strategies on picochat give what plain greedy decoding (or the one-by-one run) gives.

transformers' own assisted-decoding tests run on picochat only as expected failures (the vendored harness passes a
`cache_implementation` that transformers 5.24 rejects, for every model; tests/conftest.py), so they are checked here
directly: an assistant whose tokens are all accepted, one whose tokens are all rejected, and prompt lookup.
"""

from __future__ import annotations

import copy

import pytest
import torch
from transformers import DynamicCache

from helpers_model import tiny_model

GREEDY = dict(do_sample=False, eos_token_id=None, pad_token_id=2)
PROMPT = torch.tensor([[0, 5, 17, 33, 8, 9, 5, 17, 33, 8]])  # repeats itself, so prompt lookup finds candidates


def _greedy(model, ids: torch.Tensor, n: int = 10, **extra):
    with torch.no_grad():
        return model.generate(ids, max_new_tokens=n, return_dict_in_generate=True, output_scores=True, **GREEDY, **extra)


@pytest.mark.parametrize("assistant", ["same", "other", "prompt_lookup"])
def test_assisted_decoding_gives_the_greedy_tokens_and_scores(assistant):
    model = tiny_model(seed=31, attn="eager")
    plain = _greedy(model, PROMPT)
    if assistant == "prompt_lookup":
        extra = {"prompt_lookup_num_tokens": 3}
    else:
        helper = model if assistant == "same" else tiny_model(seed=32, attn="eager")
        helper.generation_config.num_assistant_tokens = 2
        helper.generation_config.num_assistant_tokens_schedule = "constant"
        extra = {"assistant_model": helper}
    assisted = _greedy(model, PROMPT, **extra)
    assert assisted.sequences.tolist() == plain.sequences.tolist()
    for got, want in zip(assisted.scores, plain.scores, strict=True):
        torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-5)


def test_a_different_assistant_proposes_other_tokens():
    """The 'other' case above is a real test: on its own the assistant would generate something else."""
    model, helper = tiny_model(seed=31, attn="eager"), tiny_model(seed=32, attn="eager")
    assert _greedy(helper, PROMPT).sequences.tolist() != _greedy(model, PROMPT).sequences.tolist()


def _left_padded(prompts: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(map(len, prompts))
    ids = torch.full((len(prompts), width), 2)
    mask = torch.zeros((len(prompts), width), dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, width - len(p):] = torch.tensor(p)
        mask[i, width - len(p):] = 1
    return ids, mask


@pytest.mark.parametrize("attn", ["eager", "sdpa"])
@pytest.mark.parametrize("strategy", [{"num_beams": 3}, {"cache_implementation": "static"}])
def test_left_padded_batch_equals_one_by_one(attn, strategy):
    model = tiny_model(seed=33, attn=attn)
    prompts = [[0, 9, 4, 11, 23, 5], [0, 40, 41], [0, 7, 8, 9, 10]]
    ids, mask = _left_padded(prompts)
    with torch.no_grad():
        batched = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=8, **GREEDY, **strategy)
        singles = [model.generate(torch.tensor([p]), max_new_tokens=8, **GREEDY, **strategy)[0, len(p):].tolist()
                   for p in prompts]
    assert [row[ids.shape[1]:].tolist() for row in batched] == singles
    assert len({tuple(s) for s in singles}) == 3  # three different continuations: a row mix-up would show


def test_a_cache_reused_across_generate_calls_gives_the_uncached_tokens():
    """A prompt's cache kept from one generate call serves a longer prompt that starts with it."""
    model = tiny_model(seed=34)
    first = model.generate(PROMPT, max_new_tokens=5, return_dict_in_generate=True, **GREEDY)
    longer = torch.cat([first.sequences, torch.tensor([[44, 45]])], dim=1)
    with torch.no_grad():
        fresh = model.generate(longer, max_new_tokens=6, **GREEDY)
        kept = copy.deepcopy(first.past_key_values)
        assert isinstance(kept, DynamicCache) and kept.get_seq_length() == first.sequences.shape[1] - 1
        reused = model.generate(longer, max_new_tokens=6, cache=kept, **GREEDY)
    assert reused.tolist() == fresh.tolist()
    assert kept.get_seq_length() == longer.shape[1] + 6 - 1  # generate did use it (and extended it)


@pytest.mark.parametrize("strategy,name", [
    ({"penalty_alpha": 0.6, "top_k": 4}, "Contrastive Search"),
    ({"dola_layers": "high"}, "Dola"),
    ({"num_beams": 4, "num_beam_groups": 2, "diversity_penalty": 1.0}, "Group Beam Search"),
])
def test_strategies_that_live_on_the_hub_fail_offline_instead_of_decoding_greedily(strategy, name, monkeypatch):
    """transformers 5.x moved them to Hub `custom_generate` code: without it a call must not quietly be greedy."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = tiny_model(seed=35, attn="eager")
    with pytest.raises((ValueError, OSError), match=name), torch.no_grad():
        model.generate(PROMPT, max_new_tokens=4, **GREEDY, **strategy)
