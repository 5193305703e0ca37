"""The picochat model as a transformers model: packing, cache, generation, save/load, GQA, checkpointing."""

from __future__ import annotations

import pytest
import torch
from transformers import AutoConfig, AutoModelForCausalLM

import picochat_hf
from picochat_hf import PicochatConfig, PicochatForCausalLM
from picochat_hf.modeling import flops_per_token, num_parameters, preset_config, PRESETS

from helpers_model import tiny_config, tiny_model


@pytest.mark.parametrize("attn", ["sdpa", "eager"])
def test_packed_rows_match_separate_documents(attn):
    model = tiny_model(attn=attn)
    gen = torch.Generator().manual_seed(1)
    doc_a = torch.randint(3, 97, (1, 11), generator=gen)
    doc_b = torch.randint(3, 97, (1, 7), generator=gen)
    packed = torch.cat([doc_a, doc_b], dim=1)
    position_ids = torch.cat([torch.arange(11), torch.arange(7)])[None]
    with torch.no_grad():
        packed_logits = model(packed, position_ids=position_ids).logits
        sep_a = model(doc_a).logits
        sep_b = model(doc_b).logits
    torch.testing.assert_close(packed_logits[:, :11], sep_a, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(packed_logits[:, 11:], sep_b, atol=1e-5, rtol=1e-5)
    # Without per-document positions the second document would see the first: the test can fail.
    with torch.no_grad():
        leaky = model(packed).logits
    assert (leaky[:, 11:] - sep_b).abs().max() > 1e-3


def test_packed_rows_batch_of_two_in_eval_mode_with_use_cache_default():
    model = tiny_model()
    gen = torch.Generator().manual_seed(2)
    docs = [torch.randint(3, 97, (1, n), generator=gen) for n in (5, 9, 6, 8)]
    rows = torch.cat([torch.cat(docs[:2], 1), torch.cat(docs[2:], 1)])
    pos = torch.stack([torch.cat([torch.arange(5), torch.arange(9)]), torch.cat([torch.arange(6), torch.arange(8)])])
    with torch.no_grad():
        out = model(rows, position_ids=pos).logits  # eval mode builds a cache by default: masks must still be per document
        expect = [model(d).logits for d in docs]
    torch.testing.assert_close(out[0:1, 5:], expect[1], atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(out[1:2, 6:], expect[3], atol=1e-5, rtol=1e-5)


def test_cached_greedy_equals_uncached():
    model = tiny_model()
    prompt = torch.tensor([[0, 5, 17, 33, 8]])
    with torch.no_grad():
        cached = model.generate(prompt, max_new_tokens=12, do_sample=False, use_cache=True, eos_token_id=None, pad_token_id=2)
        uncached = model.generate(prompt, max_new_tokens=12, do_sample=False, use_cache=False, eos_token_id=None, pad_token_id=2)
    assert cached.tolist() == uncached.tolist()
    # and the cache really is used: logits of an incremental step equal the full forward
    with torch.no_grad():
        full = model(cached).logits[:, -1]
        out = model(cached[:, :-1], use_cache=True)
        step = model(cached[:, -1:], cache=out.cache).logits[:, -1]
    torch.testing.assert_close(step, full, atol=1e-5, rtol=1e-5)


def test_left_padded_batch_generation_equals_one_by_one():
    model = tiny_model(seed=3)
    prompts = [[0, 9, 4, 11, 23, 5], [0, 40, 41], [0, 7, 8, 9, 10]]
    width = max(map(len, prompts))
    ids = torch.full((3, width), 2)
    mask = torch.zeros((3, width), dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, width - len(p):] = torch.tensor(p)
        mask[i, width - len(p):] = 1
    with torch.no_grad():
        batched = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=8, do_sample=False, eos_token_id=None, pad_token_id=2)
        for i, p in enumerate(prompts):
            single = model.generate(torch.tensor([p]), max_new_tokens=8, do_sample=False, eos_token_id=None, pad_token_id=2)
            assert batched[i, width:].tolist() == single[0, len(p):].tolist()


def test_save_load_gives_identical_logits_including_rope_buffer(tmp_path):
    model = tiny_model(seed=4)
    model.save_pretrained(tmp_path)
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path).eval()
    assert type(loaded) is PicochatForCausalLM
    torch.testing.assert_close(loaded.model.rotary_emb.inv_freq, model.model.rotary_emb.inv_freq, atol=0, rtol=0)
    x = torch.randint(3, 97, (2, 20), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        torch.testing.assert_close(loaded(x).logits, model(x).logits, atol=0, rtol=0)


def test_gradient_checkpointing_gives_same_gradients():
    x = torch.randint(3, 97, (2, 16), generator=torch.Generator().manual_seed(5))
    grads = []
    for gc in (False, True):
        model = tiny_model(seed=5).train()
        if gc:
            model.activation_checkpointing_enable(activation_checkpointing_kwargs={"use_reentrant": False})
            assert model.is_activation_checkpointing
        model(x, labels=x).loss.backward()
        grads.append({n: p.grad.clone() for n, p in model.named_parameters()})
    for name in grads[0]:
        torch.testing.assert_close(grads[1][name], grads[0][name], atol=1e-6, rtol=1e-5, msg=name)


def test_gqa_equals_mha_with_repeated_kv_weights():
    gqa = tiny_model(seed=6, num_attention_heads=4, num_key_value_heads=1)
    mha = PicochatForCausalLM(tiny_config(num_attention_heads=4, num_key_value_heads=4)).eval()
    state = gqa.state_dict()
    for key, value in list(state.items()):
        if key.endswith(("k_proj.weight", "v_proj.weight")):
            state[key] = value.repeat(4, 1)  # one kv head serves all four query heads
    mha.load_state_dict(state)
    x = torch.randint(3, 97, (2, 12), generator=torch.Generator().manual_seed(6))
    with torch.no_grad():
        torch.testing.assert_close(gqa(x).logits, mha(x).logits, atol=1e-5, rtol=1e-5)
    assert gqa.model.layers[0].self_attn.k_proj.weight.shape[0] == 8  # 1 kv head x head_dim 8


def test_loss_uses_num_items_in_batch():
    model = tiny_model(seed=7)
    x = torch.randint(3, 97, (2, 10), generator=torch.Generator().manual_seed(7))
    labels = x.clone()
    labels[:, :4] = -100
    with torch.no_grad():
        mean_loss = model(x, labels=labels).loss
        summed = model(x, labels=labels, num_items_in_batch=torch.tensor(1)).loss
    n_supervised = int((labels[:, 1:] != -100).sum())
    torch.testing.assert_close(summed, mean_loss * n_supervised, rtol=1e-5, atol=1e-5)


def test_trl_fused_head_shape_reproduces_logits():
    """TRL projects `base_model(...).last_hidden_state` with `lm_head.weight` and the config's softcap."""
    model = tiny_model(seed=8)
    x = torch.randint(3, 97, (1, 9))
    with torch.no_grad():
        hidden = model.base_model(input_ids=x).last_hidden_state
        cap = model.config.final_logit_softcapping
        fused = cap * torch.tanh(hidden @ model.get_output_embeddings().weight.T / cap)
        torch.testing.assert_close(fused, model(x).logits, atol=1e-5, rtol=1e-5)
    assert model.base_model is model.model


def test_config_validation_messages():
    with pytest.raises(ValueError, match="num_attention_heads: 3 heads do not divide hidden_size 100"):
        PicochatConfig(hidden_size=100, num_attention_heads=3)
    with pytest.raises(ValueError, match="num_key_value_heads: 3 kv heads do not divide 4"):
        PicochatConfig(hidden_size=64, num_attention_heads=4, num_key_value_heads=3)
    with pytest.raises(ValueError, match="mlp_type"):
        PicochatConfig(mlp_type="gelu")
    with pytest.raises(ValueError, match="final_logit_softcapping"):
        PicochatConfig(final_logit_softcapping=-1.0)


def test_from_depth_and_registration():
    cfg = PicochatConfig.from_depth(4, vocab_size=4096, max_position_embeddings=512)
    assert (cfg.hidden_size, cfg.num_attention_heads, cfg.head_dim, cfg.intermediate_size) == (256, 2, 128, 1024)
    d20 = PicochatConfig.from_depth(20)
    assert (d20.hidden_size, d20.num_attention_heads) == (1280, 10)
    assert type(AutoConfig.for_model("picochat")) is PicochatConfig
    assert type(AutoModelForCausalLM.from_config(tiny_config())) is PicochatForCausalLM
    assert picochat_hf.PicochatConfig is PicochatConfig


@pytest.mark.parametrize("overrides", [{}, {"mlp_type": "swiglu"}, {"tie_word_embeddings": True}, {"num_key_value_heads": 1}])
def test_num_parameters_is_exact(overrides):
    cfg = tiny_config(**overrides)
    assert num_parameters(cfg) == PicochatForCausalLM(cfg).num_parameters()


def test_presets_and_flops():
    assert {"cpu-tiny", "d20", "d26", "d32", "1b"} <= set(PRESETS)
    one_b = preset_config("1b", vocab_size=32768)
    assert 0.95e9 < num_parameters(one_b) < 1.1e9
    cfg = tiny_config()
    # 6 x (all params but the input embedding) + attention term 12 * L * H * Dh * T
    expected = 6 * (num_parameters(cfg) - 97 * 32) + 12 * 2 * 4 * 8 * 64
    assert flops_per_token(cfg, 64) == expected


def test_hidden_states_and_attentions_are_recorded():
    model = tiny_model(seed=9, attn="eager")
    x = torch.randint(3, 97, (2, 10), generator=torch.Generator().manual_seed(9))
    with torch.no_grad():
        out = model(x, output_hidden_states=True, output_attentions=True)
        plain = model(x)
    n_layers = model.config.num_hidden_layers
    assert len(out.hidden_states) == n_layers + 1  # the first block's input (the normed embedding), then one per block
    normed = torch.nn.functional.rms_norm(model.model.embed_tokens(x), (32,), eps=model.config.rms_norm_eps)
    torch.testing.assert_close(out.hidden_states[0], normed)
    torch.testing.assert_close(out.hidden_states[-1], model.model(x).last_hidden_state)  # last one after the final norm
    assert len(out.attentions) == n_layers
    assert out.attentions[0].shape == (2, model.config.num_attention_heads, 10, 10)
    torch.testing.assert_close(out.attentions[0].sum(-1), torch.ones(2, 4, 10))
    assert torch.triu(out.attentions[1], diagonal=1).abs().max() == 0  # causal
    torch.testing.assert_close(out.logits, plain.logits)
    assert plain.hidden_states is None and plain.attentions is None


def test_return_dict_false_gives_a_tuple_and_logits_to_keep_slices():
    model = tiny_model(seed=10)
    x = torch.randint(3, 97, (2, 8), generator=torch.Generator().manual_seed(10))
    with torch.no_grad():
        full = model(x).logits
        as_tuple = model(x, labels=x, return_dict=False, use_cache=False)
        assert isinstance(as_tuple, tuple) and as_tuple[0].ndim == 0  # (loss, logits)
        torch.testing.assert_close(as_tuple[1], full)
        base = model.model(x, return_dict=False, use_cache=False)
        assert isinstance(base, tuple) and base[0].shape == (2, 8, 32)
        torch.testing.assert_close(model(x, logits_to_keep=1).logits, full[:, -1:])
        torch.testing.assert_close(model(x, logits_to_keep=torch.tensor([0, 5])).logits, full[:, [0, 5]])


def test_past_key_values_alias_warns_and_still_works():
    model = tiny_model(seed=11)
    x = torch.randint(3, 97, (1, 7), generator=torch.Generator().manual_seed(11))
    with torch.no_grad():
        first = model(x[:, :-1], use_cache=True)
        with pytest.warns(FutureWarning, match="`past_key_values` is deprecated.*Use `cache` instead"):
            step = model(x[:, -1:], past_key_values=first.cache)
        torch.testing.assert_close(step.logits[:, -1], model(x).logits[:, -1], atol=1e-5, rtol=1e-5)


def test_tensor_parallel_plan_shards_head_with_embedding():
    model = PicochatForCausalLM(tiny_config())
    plan = model.tp_plan
    assert plan["lm_head"] == "colwise_gather_output"
    assert plan["model.embed_tokens"] == "embedding_rowwise"
    assert plan["model.layers.*.self_attn.o_proj"] == "rowwise" and plan["model.layers.*.mlp.fc2"] == "rowwise"


def test_rope_theta_of_older_configs_is_folded_into_rope_parameters(tmp_path):
    cfg = PicochatConfig.from_dict({**tiny_config().to_dict(), "rope_theta": 500.0, "rope_parameters": None})
    assert cfg.rope_parameters == {"rope_theta": 500.0, "rope_type": "default"}
    model = PicochatForCausalLM(cfg)
    expected = 1.0 / 500.0 ** (torch.arange(0, 8, 2).float() / 8)
    torch.testing.assert_close(model.model.rotary_emb.inv_freq, expected)
    with pytest.raises(ValueError, match="partial_rotary_factor"):
        tiny_config(rope_parameters={"rope_type": "default", "rope_theta": 1e4, "partial_rotary_factor": 0.5})


@pytest.mark.parametrize("rope", [{"rope_type": "linear", "factor": 4.0}, {"rope_type": "yarn", "factor": 4.0},
                                  {"rope_type": "dynamic", "factor": 4.0}])
def test_rope_scaling_matches_transformers_nanochat_and_survives_save_load(rope, tmp_path):
    from transformers import NanoChatForCausalLM

    from picochat_hf.export.native import nanochat_config_from

    model = tiny_model(seed=14, rope_parameters={**rope, "rope_theta": 10000.0}, max_position_embeddings=16)
    assert model.config.rope_parameters["rope_type"] == rope["rope_type"]
    native = NanoChatForCausalLM(nanochat_config_from(model.config)).eval()
    native.load_state_dict(model.state_dict(), strict=False)
    x = torch.randint(3, 97, (2, 40), generator=torch.Generator().manual_seed(14))  # past the 16 positions trained
    plain = tiny_model(seed=14, max_position_embeddings=16)
    with torch.no_grad():
        logits = model(x).logits
        torch.testing.assert_close(native(x).logits, logits, atol=1e-4, rtol=1e-4)
        assert (plain(x).logits - logits).abs().max() > 1e-3  # the scaling does change the long sequence
    model.save_pretrained(tmp_path)
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path).eval()
    assert loaded.config.rope_parameters == model.config.rope_parameters
    with torch.no_grad():
        torch.testing.assert_close(loaded(x).logits, logits, atol=0, rtol=0)


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_cast_model_keeps_float32_rope_and_matches_a_model_loaded_in_that_dtype(dtype, tmp_path):
    model = tiny_model(seed=12, max_position_embeddings=4096)
    inv_freq = model.model.rotary_emb.inv_freq.clone()
    model.save_pretrained(tmp_path)
    cast = model.to(dtype)
    assert cast.model.rotary_emb.inv_freq.dtype == torch.float32
    assert torch.equal(cast.model.rotary_emb.inv_freq, inv_freq)
    assert torch.equal(cast.model.rotary_emb.original_inv_freq, inv_freq)
    loaded = PicochatForCausalLM.from_pretrained(tmp_path, dtype=dtype).eval()
    x = torch.randint(3, 97, (1, 6), generator=torch.Generator().manual_seed(12))
    far = torch.arange(2000, 2006)[None]  # positions where a rounded frequency table is off by ~0.4 rad
    with torch.no_grad():
        assert torch.equal(cast(x, position_ids=far).logits, loaded(x, position_ids=far).logits)
    assert cast.float().model.rotary_emb.inv_freq.dtype == torch.float32


def test_a_passed_cache_is_used_even_with_use_cache_false_or_in_train_mode():
    model = tiny_model(seed=13)
    x = torch.randint(3, 97, (2, 8), generator=torch.Generator().manual_seed(13))
    with torch.no_grad():
        full = model(x).logits
        for train_mode, use_cache in ((False, False), (True, None), (True, False)):
            model.train(train_mode)
            past = model(x[:, :5], use_cache=True).cache
            step = model(x[:, 5:7], cache=past, use_cache=use_cache)
            torch.testing.assert_close(step.logits, full[:, 5:7], atol=1e-5, rtol=1e-5)
            assert past.get_seq_length() == 7
        model.train()
        assert model(x).cache is None  # training builds no cache of its own


@pytest.mark.parametrize("field,value", [("hidden_size", True), ("num_hidden_layers", True), ("vocab_size", False),
                                         ("rms_norm_eps", 0.0), ("rms_norm_eps", -1e-6)])
def test_config_refuses_booleans_for_sizes_and_a_non_positive_eps(field, value):
    with pytest.raises(ValueError, match=f"PicochatConfig.{field}"):
        PicochatConfig(**{"hidden_size": 64, "num_attention_heads": 2, field: value})
