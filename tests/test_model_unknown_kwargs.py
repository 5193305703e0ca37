"""Keyword arguments the forward does not know are refused with a TypeError naming the key.

The forwards take `**kwargs` for transformers' attention and loss arguments (`TransformersKwargs`), so a misspelt
name (`atention_mask=`, `position_id=`, `output_hiden_states=True`) was swallowed and the forward ran without it,
silently. The spelt-right names, transformers' typed kwargs, the loss's keywords and generate's own inputs still run."""

from __future__ import annotations

import pytest
import torch
from helpers_model import tiny_model
from transformers import DynamicCache

TYPOS = {
    "atention_mask": lambda ids: torch.ones_like(ids),
    "position_id": lambda ids: torch.arange(ids.shape[1])[None],
    "output_hiden_states": lambda ids: True,
    "past_key_value": lambda ids: None,
    "label": lambda ids: ids,
}


@pytest.fixture(scope="module")
def model():
    return tiny_model(seed=5, attn="eager")


def _ids() -> torch.Tensor:
    return torch.randint(3, 97, (2, 6), generator=torch.Generator().manual_seed(5))


@pytest.mark.parametrize("key", sorted(TYPOS))
@pytest.mark.parametrize("part", ["causal_lm", "backbone"])
def test_a_misspelt_keyword_is_refused_naming_it(model, key, part):
    ids = _ids()
    forward = model if part == "causal_lm" else model.model
    name = "PicochatForCausalLM" if part == "causal_lm" else "PicochatModel"
    with torch.no_grad(), pytest.raises(TypeError, match=rf"{name}\.forward\(\) got an unexpected keyword argument '{key}'"):
        forward(ids, **{key: TYPOS[key](ids)})


def test_several_unknown_keywords_are_all_named(model):
    with torch.no_grad(), pytest.raises(TypeError, match=r"'atention_mask' \(and 'position_id'\)"):
        model(_ids(), position_id=None, atention_mask=None)


def test_the_right_spellings_run_and_do_what_they_say(model):
    ids = _ids()
    mask = torch.ones_like(ids)
    mask[0, :2] = 0
    with torch.no_grad():
        out = model(ids, attention_mask=mask, position_ids=(mask.cumsum(-1) - 1).clamp(min=0),
                    output_hidden_states=True, output_attentions=True, return_dict=True, use_cache=False)
        tup = model(ids, return_dict=False, use_cache=False)
        backbone = model.model(ids, output_hidden_states=True, use_cache=False)
    assert len(out.hidden_states) == model.config.num_hidden_layers + 1
    assert out.attentions[0].shape == (2, model.config.num_attention_heads, 6, 6)
    assert isinstance(tup, tuple)
    assert len(backbone.hidden_states) == model.config.num_hidden_layers + 1


def test_transformers_typed_and_loss_keywords_still_run(model):
    """What the Trainer, TRL and the loss pass through **kwargs: num_items_in_batch, ignore_index, shift_labels,
    TRL's padding-free flash kwargs (cu_seq_lens_*, max_length_*, seq_idx), output_router_logits, and the
    deprecated names transformers renames (past_key_values, num_logits_to_keep)."""
    ids = _ids()
    labels = ids.clone()
    with torch.no_grad():
        plain = model(ids, labels=labels).loss
        counted = model(ids, labels=labels, num_items_in_batch=torch.tensor(10), ignore_index=-100).loss
        shifted = model(ids, labels=labels, shift_labels=torch.nn.functional.pad(labels[:, 1:], (0, 1), value=-100)).loss
        model(ids, output_router_logits=False, cache_position=torch.arange(6))
        model.model(ids, use_cache=False, seq_idx=torch.zeros(1, 6, dtype=torch.int32))
        with pytest.warns(FutureWarning):
            model(ids, num_logits_to_keep=1)
    torch.testing.assert_close(counted, plain, rtol=1e-5, atol=1e-5)  # 10: the batch's supervised tokens
    torch.testing.assert_close(shifted, plain, rtol=1e-5, atol=1e-5)


def test_generate_still_runs_and_refuses_its_own_typos(model):
    ids = _ids()
    mask = torch.ones_like(ids)
    mask[0, :2] = 0
    out = model.generate(ids, attention_mask=mask, max_new_tokens=3, do_sample=False, output_hidden_states=True,
                         output_attentions=True, return_dict_in_generate=True, output_scores=True)
    assert out.sequences.shape == (2, 9)
    beams = model.generate(ids, attention_mask=mask, max_new_tokens=2, num_beams=2, do_sample=False)
    assert beams.shape == (2, 8)
    with pytest.raises(ValueError, match="atention_mask"):
        model.generate(ids, atention_mask=mask, max_new_tokens=2)


def test_a_deprecated_name_given_with_its_new_name_and_another_value_is_refused(model):
    """transformers' `deprecate_kwarg` kept the new name's value and dropped the old one with a warning: a cached past
    passed as past_key_values next to cache=None was dropped and the new tokens computed as if they started the row."""
    ids = _ids()
    cache = DynamicCache(config=model.config)
    with torch.no_grad():
        model(ids[:, :3], cache=cache)
        for forward, name in ((model, "PicochatForCausalLM"), (model.model, "PicochatModel")):
            with pytest.raises(TypeError, match=rf"{name}\.forward\(\) got both 'cache' and 'past_key_values'"):
                forward(ids[:, 3:], past_key_values=cache, cache=None)
        with pytest.raises(TypeError, match=r"got both 'logits_to_keep' and 'num_logits_to_keep'"):
            model(ids, num_logits_to_keep=1, logits_to_keep=0)
    with pytest.raises(TypeError, match=r"PicochatForCausalLM\.generate\(\) got both 'cache' and 'past_key_values'"):
        model.generate(ids, past_key_values=cache, cache=DynamicCache(config=model.config), max_new_tokens=2)


def test_a_deprecated_name_alone_or_with_the_same_value_still_runs(model):
    ids = _ids()
    with torch.no_grad():
        want = model(ids).logits[:, 3:]
        for kwargs in ({"past_key_values": "same"}, {"past_key_values": "same", "cache": "same"}):
            cache = DynamicCache(config=model.config)
            model(ids[:, :3], cache=cache)
            given = {key: cache for key in kwargs}
            with pytest.warns(FutureWarning):
                got = model(ids[:, 3:], **given).logits
            torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)
        with pytest.warns(FutureWarning):
            assert model(ids, num_logits_to_keep=1).logits.shape[1] == 1
