"""PEFT prompt tuning and prefix tuning generate on picochat what the same adapter's step-by-step uncached forward gives.

peft 0.21 speaks transformers 4.x inside `generate`: its `prepare_inputs_for_generation` reads and writes the cache
as `past_key_values`, where transformers 5.x hands it over as `cache`. Seen missing, prompt tuning re-inserts its
virtual tokens at every step and prefix tuning sets its prefix aside for an empty cache; picochat's mask check refused
both (`attention_mask must have shape (2, 16) ... got (2, 13)`, `(2, 9) ... got (2, 12)`), and a same-shape Llama
generated other tokens than its own forward gives, without a word. The reference here is the base model's forward
on the whole sequence at each step, without a cache: the virtual tokens' embeddings before the prompt (prompt
tuning), or a fresh prefix past (prefix tuning), with a mask widened by one column per virtual token.
"""

from __future__ import annotations

import pytest
import torch

from helpers_model import tiny_model

peft = pytest.importorskip("peft")

VIRTUAL = 3
NEW = 5
GREEDY = dict(do_sample=False, eos_token_id=None, pad_token_id=2)
IDS = torch.tensor([[2, 2, 2, 0, 5, 17, 33, 8, 9], [0, 40, 41, 7, 8, 9, 10, 11, 12]])  # left-padded row 0
MASK = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 1, 1], [1] * 9])


def _adapter(kind: str, seed: int = 3, **overrides):
    config = (peft.PromptTuningConfig if kind == "prompt" else peft.PrefixTuningConfig)(
        task_type="CAUSAL_LM", num_virtual_tokens=VIRTUAL)
    model = peft.get_peft_model(tiny_model(seed=seed, attn="eager", **overrides), config).eval()
    gen = torch.Generator().manual_seed(seed + 100)
    with torch.no_grad():  # a fresh prompt encoder is near zero: give the virtual tokens something to say
        for p in model.prompt_encoder.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.5)
    return model


def _widened(mask: torch.Tensor) -> torch.Tensor:
    return torch.cat([torch.ones(mask.shape[0], VIRTUAL, dtype=mask.dtype), mask], dim=1)


@torch.no_grad()
def _uncached_greedy(model, kind: str, ids: torch.Tensor, mask: torch.Tensor, n: int) -> list[list[int]]:
    base, batch = model.get_base_model(), ids.shape[0]
    for _ in range(n):
        if kind == "prompt":
            embeds = torch.cat([model.get_prompt(batch_size=batch), base.get_input_embeddings()(ids)], dim=1)
            logits = base(inputs_embeds=embeds, attention_mask=_widened(mask), use_cache=False).logits
        else:
            logits = base(input_ids=ids, attention_mask=_widened(mask), cache=model.get_prompt(batch_size=batch)).logits
        ids = torch.cat([ids, logits[:, -1].argmax(-1)[:, None]], dim=1)
        mask = torch.cat([mask, torch.ones_like(mask[:, :1])], dim=1)
    return ids[:, -n:].tolist()


def _generate(model, ids: torch.Tensor = IDS, mask: torch.Tensor = MASK, n: int = NEW, **extra) -> list[list[int]]:
    with torch.no_grad():
        return model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=n, **GREEDY, **extra)[:, -n:].tolist()


@pytest.mark.parametrize("kind", ["prompt", "prefix"])
def test_prompt_learning_generate_equals_the_uncached_loop(kind):
    model = _adapter(kind)
    want = _uncached_greedy(model, kind, IDS, MASK, NEW)
    assert _generate(model) == want
    with model.disable_adapter():  # the virtual tokens change the continuation: a dropped prefix would show
        assert _generate(model) != want


def test_prefix_tuning_generate_of_one_row_equals_its_row_in_the_batch():
    """Prompt tuning has no such property: peft puts its virtual tokens before the padding and drops the position
    ids, so the padding's width moves the prompt away from them (its forward, the reference above, does the same)."""
    model = _adapter("prefix")
    batched = _generate(model)
    alone = _generate(model, IDS[:1, 3:], MASK[:1, 3:])
    assert alone == batched[:1]


def _smeared_adapter(kind: str):
    model = _adapter(kind, seed=5, smear=True)
    with torch.no_grad():
        model.get_base_model().model.smear.smear_lambda.fill_(0.7)
    return model


def test_prompt_tuning_generate_with_the_smear():
    model = _smeared_adapter("prompt")
    assert _generate(model) == _uncached_greedy(model, "prompt", IDS, MASK, NEW)


def test_prefix_tuning_with_the_smear_is_refused_by_forward_and_generate_alike():
    """A prefix is keys and values with no token to smear into the prompt's first one: peft's own forward is refused,
    and generate, which now hands the prefix to the forward, is refused with the same words, not run without it."""
    model = _smeared_adapter("prefix")
    with pytest.raises(ValueError, match="smear needs the token before the new ones"):
        model(input_ids=IDS, attention_mask=MASK)
    with pytest.raises(ValueError, match="smear needs the token before the new ones"):
        _generate(model)


@pytest.mark.parametrize("kind", ["prompt", "prefix"])
def test_prompt_learning_generate_with_the_cache_returned(kind):
    """The returned cache holds the virtual tokens and every token but the last generated one, once each."""
    model = _adapter(kind)
    with torch.no_grad():
        out = model.generate(input_ids=IDS, attention_mask=MASK, max_new_tokens=NEW, return_dict_in_generate=True,
                             **GREEDY)
    assert out.past_key_values.get_seq_length() == VIRTUAL + IDS.shape[1] + NEW - 1


def test_a_mask_that_leaves_out_the_virtual_tokens_is_still_refused():
    """The forward's check is unchanged: a 2-D mask narrower than past plus new tokens is refused."""
    model = _adapter("prefix")
    base = model.get_base_model()
    with pytest.raises(ValueError, match=r"attention_mask must have shape \(2, 12\).*got \(2, 9\)"):
        base(input_ids=IDS, attention_mask=MASK, cache=model.get_prompt(batch_size=2))
    embeds = torch.cat([_adapter("prompt").get_prompt(batch_size=2), base.get_input_embeddings()(IDS)], dim=1)
    with pytest.raises(ValueError, match=r"attention_mask must have shape \(2, 12\).*got \(2, 9\)"):
        base(inputs_embeds=embeds, attention_mask=MASK)
    with pytest.raises(ValueError, match=r"attention_mask must have shape \(2, 12\).*got \(2, 11\)"):
        base(input_ids=IDS, attention_mask=_widened(MASK)[:, 1:], cache=model.get_prompt(batch_size=2))


def test_a_short_mask_given_to_generate_is_still_refused():
    model = _adapter("prompt")
    with pytest.raises(ValueError, match="attention_mask"):
        _generate(model, IDS, MASK[:, 1:])


def test_prompt_tuning_beam_search_equals_the_base_model_given_the_virtual_tokens():
    """Unpadded rows: peft drops the position ids generate derives from the mask, which only a padded row notices."""
    model = _adapter("prompt")
    ids = IDS[:, 3:].clone()
    ids[0] = torch.tensor([0, 5, 17, 33, 8, 9])
    base = model.get_base_model()
    with torch.no_grad():
        embeds = torch.cat([model.get_prompt(batch_size=2), base.get_input_embeddings()(ids)], dim=1)
        want = base.generate(inputs_embeds=embeds, max_new_tokens=NEW, num_beams=3, **GREEDY)[:, -NEW:].tolist()
        assert model.generate(input_ids=ids, max_new_tokens=NEW, num_beams=3, **GREEDY)[:, -NEW:].tolist() == want


@pytest.mark.parametrize("kind", ["prompt", "prefix"])
@pytest.mark.parametrize("extra", [{"cache_implementation": "static"}, {"prefill_chunk_size": 4}])
def test_what_prompt_learning_cannot_generate_with_is_named(kind, extra):
    """A static cache (peft asks for transformers 4.x's `cache_position` to widen its 4-D mask) and a chunked prefill
    (the virtual tokens would enter with every chunk) are refused by name, not as a KeyError or a mask's shape."""
    with pytest.raises(ValueError, match=next(iter(extra))):
        _generate(_adapter(kind), **extra)


@pytest.mark.parametrize("extra", [{"cache_implementation": "static"}, {"prefill_chunk_size": 4}])
def test_lora_generate_with_a_static_cache_or_chunks_still_runs(extra):
    """LoRA is wrapped the same way and changes neither mask nor inputs: nothing refused, the merged model's tokens."""
    model = peft.get_peft_model(tiny_model(seed=3, attn="eager"), peft.LoraConfig(
        task_type="CAUSAL_LM", target_modules=["q_proj", "v_proj"], init_lora_weights=False)).eval()
    got = _generate(model, **extra)
    assert got == _generate(model.merge_and_unload(), **extra)


ASSISTED = [{"assistant_model": "other"}, {"prompt_lookup_num_tokens": 3}]


def _assisted(extra: dict) -> dict:
    if extra.get("assistant_model") == "other":
        return {"assistant_model": tiny_model(seed=9, attn="eager")}
    return dict(extra)


@pytest.mark.parametrize("kind", ["prompt", "prefix"])
@pytest.mark.parametrize("extra", ASSISTED)
def test_prompt_learning_assisted_decoding_is_refused_not_run_on_the_last_candidate_alone(kind, extra):
    """peft keeps only the last of the tokens a step checks (the candidates and the token before them), and its
    virtual tokens sit in the cache that assisted decoding crops by the sequence's length: prompt tuning with another
    model as assistant generated [[36, 65, 5, 65, 83, 80]] where its forward gives [[36, 28, 41, 44, 12, 79]]."""
    with pytest.raises(ValueError, match="keeps 1 of the"):
        _generate(_adapter(kind), IDS[1:], MASK[1:], n=6, **_assisted(extra))


@pytest.mark.parametrize("extra", ASSISTED)
def test_lora_assisted_decoding_still_gives_the_merged_greedy_tokens(extra):
    model = peft.get_peft_model(tiny_model(seed=3, attn="eager"), peft.LoraConfig(
        task_type="CAUSAL_LM", target_modules=["q_proj", "v_proj"], init_lora_weights=False)).eval()
    ids = torch.tensor([[0, 5, 17, 33, 8, 9, 5, 17, 33, 8]])
    got = _generate(model, ids, torch.ones_like(ids), n=6, **_assisted(extra))
    assert got == _generate(model.merge_and_unload(), ids, torch.ones_like(ids), n=6)


@pytest.mark.parametrize("kind", ["prompt", "prefix"])
def test_prompt_learning_generate_without_a_mask_equals_the_uncached_loop(kind):
    """Without a 2-D mask nothing refused the old inputs: the virtual tokens entered again at every step (prompt) or
    the prefix was lost (prefix), and generate answered [[36, 28, 47, 5, 79, 41]] / [[36, 28, 12, 28, 41, 28]]."""
    model = _adapter(kind)
    ids = torch.tensor([[0, 5, 17, 33, 8, 9, 5, 17, 33, 8]])
    with torch.no_grad():
        got = model.generate(input_ids=ids, max_new_tokens=6, **GREEDY)[:, -6:].tolist()
    assert got == _uncached_greedy(model, kind, ids, torch.ones_like(ids), 6)
