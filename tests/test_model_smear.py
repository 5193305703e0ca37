"""nanochat's smear (`config.smear`): the previous token's normed embedding mixed into each token's.

Equivalences a cached, padded or packed forward must keep (the smear reads the previous token, which a cache
does not hold as an id), and the numbers of the mixing itself.
"""

from __future__ import annotations

import pytest
import torch

from picochat_hf import PicochatConfig, PicochatForCausalLM
from picochat_hf.export.native import native_incompatibilities
from picochat_hf.modeling.flops import num_parameters

from helpers_model import run_without_package, tiny_config, tiny_model


def smear_model(seed: int = 0, attn: str = "sdpa", **overrides) -> PicochatForCausalLM:
    # a strong smear, so that any wrong previous token shows in the logits (a new model starts with it at 0)
    model = tiny_model(seed=seed, attn=attn, smear=True, smear_channels=8, **overrides)
    with torch.no_grad():
        model.model.smear.smear_lambda.fill_(0.7)
    return model


def test_a_new_model_gets_nanochats_smear_init_and_starts_as_the_model_without_it():
    torch.manual_seed(0)
    with_smear = PicochatForCausalLM(tiny_config(smear=True, smear_channels=8)).eval()
    smear = with_smear.model.smear
    assert smear.smear_lambda.item() == 0.0
    assert smear.gate.weight.shape == (1, 8)
    assert 0.0 <= smear.gate.weight.min().item() and smear.gate.weight.max().item() <= 0.02
    without = PicochatForCausalLM(tiny_config()).eval()
    without.load_state_dict({k: v for k, v in with_smear.state_dict().items() if "smear" not in k})
    ids = torch.randint(3, 97, (2, 12))
    with torch.no_grad():
        torch.testing.assert_close(with_smear(ids).logits, without(ids).logits, rtol=0, atol=0)
    assert num_parameters(with_smear.config) == sum(p.numel() for p in with_smear.parameters())


def test_the_smear_adds_the_previous_tokens_embedding_scaled_by_lambda_and_the_gate():
    model = smear_model()
    ids = torch.tensor([[5, 9, 14, 20]])
    backbone = model.model
    x = backbone.norm(backbone.embed_tokens(ids))
    gate = torch.sigmoid(x[..., :8] @ backbone.smear.gate.weight.T)
    expected = x.clone()
    expected[:, 1:] += backbone.smear.smear_lambda * gate[:, 1:] * x[:, :-1]
    got = backbone.smear(x, torch.zeros_like(x[:, :1]), torch.arange(4)[None])
    torch.testing.assert_close(got, expected)
    with torch.no_grad():  # switched off, the first position (nothing before it) is all that stays the same
        on = model(ids).logits
        model.model.smear.smear_lambda.zero_()
        off = model(ids).logits
    torch.testing.assert_close(on[:, 0], off[:, 0], rtol=0, atol=0)
    assert all(not torch.allclose(on[:, t], off[:, t]) for t in range(1, 4))


@pytest.mark.parametrize("attn", ["eager", "sdpa"])
def test_cached_generation_gives_the_uncached_tokens_and_scores(attn):
    model = smear_model(attn=attn)
    ids = torch.randint(3, 97, (1, 7))
    kw = dict(max_new_tokens=8, do_sample=False, output_scores=True, return_dict_in_generate=True, pad_token_id=2)
    cached = model.generate(ids, use_cache=True, **kw)
    uncached = model.generate(ids, use_cache=False, **kw)
    assert cached.sequences.tolist() == uncached.sequences.tolist()
    for a, b in zip(cached.scores, uncached.scores, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)


def test_beam_search_and_a_static_cache_keep_the_previous_token_right():
    model = smear_model(seed=3)
    ids = torch.randint(3, 97, (2, 6))
    kw = dict(max_new_tokens=6, do_sample=False, pad_token_id=2)
    beams_cached = model.generate(ids, num_beams=3, use_cache=True, **kw)
    beams_uncached = model.generate(ids, num_beams=3, use_cache=False, **kw)
    assert beams_cached.tolist() == beams_uncached.tolist()
    static = model.generate(ids, cache_implementation="static", **kw)
    assert static.tolist() == model.generate(ids, use_cache=False, **kw).tolist()


def test_a_left_padded_batch_equals_its_rows_one_by_one():
    model = smear_model(seed=1)
    rows = [torch.randint(3, 97, (n,)).tolist() for n in (9, 4, 6)]
    width = max(map(len, rows))
    ids = torch.tensor([[2] * (width - len(r)) + r for r in rows])
    mask = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows])
    kw = dict(max_new_tokens=6, do_sample=False, pad_token_id=2, output_scores=True, return_dict_in_generate=True)
    batched = model.generate(input_ids=ids, attention_mask=mask, **kw)
    for i, r in enumerate(rows):
        single = model.generate(torch.tensor([r]), **kw)
        assert batched.sequences[i, width:].tolist() == single.sequences[0, len(r):].tolist()
        for a, b in zip(batched.scores, single.scores, strict=True):
            torch.testing.assert_close(a[i], b[0], rtol=1e-4, atol=1e-4)


def test_packed_documents_do_not_smear_into_each_other():
    model = smear_model(seed=2)
    a, b = torch.randint(3, 97, (1, 5)), torch.randint(3, 97, (1, 7))
    packed = torch.cat([a, b], dim=1)
    positions = torch.cat([torch.arange(5), torch.arange(7)])[None]
    with torch.no_grad():
        out = model(packed, position_ids=positions).logits
        torch.testing.assert_close(out[:, :5], model(a).logits, rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(out[:, 5:], model(b).logits, rtol=1e-5, atol=1e-5)


def test_a_cached_forward_needs_the_previous_token_and_matches_the_full_forward_with_it():
    model = smear_model(seed=4)
    ids = torch.randint(3, 97, (2, 10))
    with torch.no_grad():
        full = model(ids).logits
        first = model(ids[:, :6], use_cache=True)
        with pytest.raises(ValueError, match="smear_prev_ids"):
            model(ids[:, 6:], cache=first.cache)
        first = model(ids[:, :6], use_cache=True)
        rest = model(ids[:, 6:], cache=first.cache, smear_prev_ids=ids[:, 5]).logits
    torch.testing.assert_close(rest, full[:, 6:], rtol=1e-4, atol=1e-4)


def test_save_and_load_keep_the_smear(tmp_path):
    model = smear_model(seed=5)
    model.save_pretrained(tmp_path)
    loaded = PicochatForCausalLM.from_pretrained(tmp_path).eval()
    assert loaded.config.smear is True and loaded.config.smear_channels == 8
    ids = torch.randint(3, 97, (1, 9))
    with torch.no_grad():
        torch.testing.assert_close(loaded(ids).logits, model(ids).logits, rtol=0, atol=0)
    old = PicochatConfig.from_dict({k: v for k, v in tiny_config().to_dict().items() if not k.startswith("smear")})
    assert old.smear is False  # a checkpoint saved before the option loads without it


@pytest.mark.parametrize(("field", "value"), [("smear", "yes"), ("smear", 1), ("smear_channels", 0),
                                              ("smear_channels", 33), ("smear_channels", True)])
def test_bad_smear_settings_name_the_field(field, value):
    with pytest.raises(ValueError, match=f"PicochatConfig.{field}"):
        tiny_config(**{field: value})


def test_the_nanochat_export_refuses_a_smeared_model():
    assert any("smear" in r for r in native_incompatibilities(tiny_config(smear=True)))
    assert native_incompatibilities(tiny_config()) == []


def test_a_smeared_export_generates_the_same_tokens_without_the_package(tmp_path):
    model = smear_model(seed=6)
    model.save_pretrained(tmp_path / "export")
    ids = torch.randint(3, 97, (1, 8))
    expected = model.generate(ids, max_new_tokens=8, do_sample=False, pad_token_id=2)[0].tolist()
    got = run_without_package(
        f"""
        import json, sys, torch
        from transformers import AutoModelForCausalLM
        model = AutoModelForCausalLM.from_pretrained({str(tmp_path / "export")!r}, trust_remote_code=True).eval()
        out = model.generate(torch.tensor({ids.tolist()}), max_new_tokens=8, do_sample=False, pad_token_id=2)
        open(sys.argv[1], "w").write(json.dumps({{"tokens": out[0].tolist(), "smear": model.config.smear}}))
        """,
        tmp_path,
    )
    assert got == {"tokens": expected, "smear": True}


@pytest.mark.parametrize("smear", [False, True])
def test_generation_from_inputs_embeds_gives_the_tokens_and_scores_of_the_ids(smear):
    model = smear_model(seed=7) if smear else tiny_model(seed=7)
    ids = torch.randint(3, 97, (2, 6))
    kw = dict(max_new_tokens=5, do_sample=False, pad_token_id=2, output_scores=True, return_dict_in_generate=True)
    from_ids = model.generate(ids, **kw)
    with torch.no_grad():
        from_embeds = model.generate(inputs_embeds=model.model.embed_tokens(ids), **kw)
    assert from_embeds.sequences.tolist() == from_ids.sequences[:, 6:].tolist()
    for a, b in zip(from_embeds.scores, from_ids.scores, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)


HOLE_PROMPT = torch.tensor([[0, 5, 17, 33, 8, 9]])
HOLE = torch.tensor([[1, 1, 0, 1, 1, 1]])
G = dict(do_sample=False, eos_token_id=None, pad_token_id=2, max_new_tokens=6)


@pytest.mark.parametrize("cache_implementation", [None, "static"])
def test_a_hole_in_the_mask_is_not_smeared_into_the_token_after_it(cache_implementation):
    """The token after a hole gets the nearest kept token's embedding, as if the hole's token were not there."""
    model = smear_model(seed=61)
    kw = dict(G, cache_implementation=cache_implementation)
    with torch.no_grad():
        holed = model.generate(HOLE_PROMPT, attention_mask=HOLE, **kw)[:, 6:]
        without = model.generate(HOLE_PROMPT[:, [0, 1, 3, 4, 5]], **kw)[:, 5:]
        seen = model.generate(HOLE_PROMPT, attention_mask=torch.ones_like(HOLE), **kw)[:, 6:]
    assert holed.tolist() == without.tolist()
    assert seen.tolist() != holed.tolist()  # the masked token did change the answer when it was kept


def test_the_forward_with_a_hole_gives_the_logits_of_the_prompt_without_it():
    model = smear_model(seed=61)
    kept = [0, 1, 3, 4, 5]
    with torch.no_grad():
        holed = model(HOLE_PROMPT, attention_mask=HOLE, position_ids=torch.tensor([[0, 1, 1, 2, 3, 4]])).logits
        without = model(HOLE_PROMPT[:, kept]).logits
        # the same positions without the mask: the hole's token is smeared in, and the logits differ
        unmasked = model(HOLE_PROMPT, position_ids=torch.tensor([[0, 1, 1, 2, 3, 4]])).logits
    torch.testing.assert_close(holed[:, kept], without, rtol=1e-5, atol=1e-5)
    assert not torch.allclose(unmasked[:, 3], without[:, 2], atol=1e-3)


@pytest.mark.parametrize("attn", ["eager", "sdpa"])
def test_a_left_padded_row_without_position_ids_has_its_unpadded_logits(attn):
    """With positions 0..T-1 over the pads, the first real token's position is > 0: the mask, not the position,
    tells the smear its previous token is a pad."""
    model = smear_model(seed=63, attn=attn)
    ids = torch.tensor([[0, 5, 17, 33, 8, 9], [2, 2, 0, 40, 41, 3]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
    with torch.no_grad():
        batched = model(ids, attention_mask=mask).logits
        alone = model(ids[1:, 2:]).logits
        unmasked = model(ids[1:]).logits
    torch.testing.assert_close(batched[1, 2:], alone[0], atol=1e-5, rtol=1e-5)
    assert not torch.allclose(unmasked[0, 2:], alone[0], atol=1e-3)


def test_a_prepared_4d_mask_with_a_hole_gives_the_2d_masks_logits():
    model = smear_model(seed=64, attn="eager")
    positions = torch.tensor([[0, 1, 1, 2, 3, 4]])
    causal = torch.tril(torch.ones(6, 6, dtype=torch.bool)) & HOLE.bool()[:, None, :]
    causal |= torch.eye(6, dtype=torch.bool) & HOLE.bool()[0, :, None]  # a masked token sees nothing, not even itself
    additive = torch.zeros(1, 1, 6, 6).masked_fill(~causal[:, None], torch.finfo(torch.float32).min)
    with torch.no_grad():
        from_2d = model(HOLE_PROMPT, attention_mask=HOLE, position_ids=positions).logits
        from_bool = model(HOLE_PROMPT, attention_mask=causal[:, None], position_ids=positions).logits
        from_float = model(HOLE_PROMPT, attention_mask=additive, position_ids=positions).logits
    kept = [0, 1, 3, 4, 5]
    torch.testing.assert_close(from_bool[:, kept], from_2d[:, kept], rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(from_float[:, kept], from_2d[:, kept], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name, value", [("smear_prev_ids", torch.tensor([5])), ("smear_prev_ids", torch.tensor([5, 6, 7, 8])),
                                         ("smear_prev_embeds", torch.zeros(1, 32)), ("smear_prev_embeds", torch.zeros(2, 16))])
def test_a_previous_token_per_row_of_another_count_is_refused(name, value):
    model = smear_model(seed=4)
    ids = torch.randint(3, 97, (2, 6))
    with torch.no_grad():
        first = model(ids[:, :4], use_cache=True)
        with pytest.raises(ValueError, match=rf"{name} must have shape \(2"):
            model(ids[:, 4:], cache=first.cache, **{name: value})
        # the right count passes and gives the uncached logits
        rest = model(ids[:, 4:], cache=first.cache, smear_prev_ids=ids[:, 3]).logits
    torch.testing.assert_close(rest, model(ids).logits[:, 4:], rtol=1e-4, atol=1e-4)
