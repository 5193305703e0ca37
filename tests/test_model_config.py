"""PicochatConfig: values the model cannot compute with are refused naming the field; the parallel plans it gives."""

from __future__ import annotations

import re

import pytest
import torch

from picochat_hf import PicochatConfig, PicochatForCausalLM

BASE = dict(vocab_size=50, hidden_size=64, num_hidden_layers=1, num_attention_heads=2)


@pytest.mark.parametrize("field,value", [
    ("head_dim", 16.0),  # a float width: nn.Linear fails later with a TypeError naming no field
    ("head_dim", True),
    ("rms_norm_eps", True),  # a boolean would silently be eps 1
    ("rms_norm_eps", float("inf")),  # every hidden state would be 0
    ("final_logit_softcapping", True),  # a boolean would silently be a cap of 1
    ("final_logit_softcapping", float("inf")),  # inf * tanh(x / inf) is NaN for every logit
    ("final_logit_softcapping", float("nan")),
    ("final_logit_softcapping", "15"),
    ("initializer_range", -0.02),
    ("initializer_range", "0.02"),
    ("residual_init_std", "0.1"),
    ("residual_init_std", float("inf")),
    ("attention_dropout", "0.1"),
    ("attention_dropout", float("nan")),
    ("embedding_scale", 0.0),  # every token would embed as the zero vector
    ("embedding_scale", -0.02),
    ("embedding_scale", float("inf")),
    ("embedding_scale", True),
    ("embedding_scale", "0.02"),
])
def test_config_refuses_non_numbers_and_non_finite_values_naming_the_field(field, value):
    with pytest.raises(ValueError, match=f"^PicochatConfig.{field}: must be"):
        PicochatConfig(**BASE, **{field: value})


@pytest.mark.parametrize("field,value", [("head_dim", 32), ("rms_norm_eps", 1e-5), ("final_logit_softcapping", 15),
                                         ("final_logit_softcapping", None), ("initializer_range", 0.0),
                                         ("residual_init_std", 0.02), ("attention_dropout", 0.1),
                                         ("embedding_scale", 0.02), ("embedding_scale", 2.0), ("init_scheme", "normal")])
def test_config_accepts_the_valid_values_of_the_same_fields(field, value):
    cfg = PicochatConfig(**BASE, **{field: value})
    assert getattr(cfg, field) == value
    logits = PicochatForCausalLM(cfg).eval()(torch.tensor([[1, 2, 3]])).logits
    assert logits.shape == (1, 3, 50) and torch.isfinite(logits).all()


@pytest.mark.parametrize("value", ["llama", "Normal", None, 1])
def test_config_refuses_an_unknown_init_scheme_naming_the_choices(value):
    with pytest.raises(ValueError, match=r"^PicochatConfig.init_scheme: must be one of \('nanochat', 'normal'\)"):
        PicochatConfig(**BASE, init_scheme=value)


@pytest.mark.parametrize("overrides", [{}, {"mlp_type": "swiglu"}, {"tie_word_embeddings": True}, {"mlp_type": "swiglu", "num_key_value_heads": 1}])
def test_tensor_parallel_plan_names_every_linear_layer_by_its_role_and_nothing_else(overrides):
    """Tensor parallelism shards each layer that reads the residual stream by columns and each that writes it by
    rows; a layer the plan misses stays whole and its output width no longer matches its sharded neighbour's."""
    from picochat_hf.modeling.modeling_picochat import INIT_ROLE_ATTR

    cfg = PicochatConfig(**{**BASE, "num_attention_heads": 4, "num_key_value_heads": 2, **overrides})
    model = PicochatForCausalLM(cfg)
    plan = model.tp_plan
    expected = {"input": "colwise", "residual_out": "rowwise", "lm_head": "colwise_gather_output"}
    used = {"model.embed_tokens"}  # transformers adds the embedding's rule itself
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear):
            rule = re.sub(r"\.\d+\.", ".*.", name)
            assert plan.get(rule) == expected[getattr(module, INIT_ROLE_ATTR)], name
            used.add(rule)
    assert set(plan) == used  # no rule that matches no layer
    assert "base_model_tp_plan" not in cfg.to_json_string()


@pytest.mark.parametrize("override,field", [({"final_logit_softcapping": float("inf")}, "final_logit_softcapping"),
                                            ({"rms_norm_eps": -1.0}, "rms_norm_eps"),
                                            ({"num_key_value_heads": 3}, "num_key_value_heads"),
                                            ({"head_dim": 7}, "head_dim")])
def test_fields_changed_after_the_config_was_built_are_checked_when_a_model_is_built(override, field, tmp_path):
    """`from_pretrained(path, field=value)` sets the field on the loaded config without running its checks."""
    from transformers import AutoModelForCausalLM

    cfg = PicochatConfig(**{**BASE, "num_attention_heads": 4, "num_key_value_heads": 2})
    PicochatForCausalLM(cfg).save_pretrained(tmp_path)
    with pytest.raises(ValueError, match=f"^PicochatConfig.{field}: "):
        AutoModelForCausalLM.from_pretrained(tmp_path, **override)
    changed = PicochatConfig(**{**BASE, "num_attention_heads": 4, "num_key_value_heads": 2})
    for key, value in override.items():
        setattr(changed, key, value)
    with pytest.raises(ValueError, match=f"^PicochatConfig.{field}: "):
        AutoModelForCausalLM.from_config(changed)


@pytest.mark.parametrize("rope,message", [
    ({"rope_type": "bogus"}, "unknown rope_type 'bogus'"),  # transformers warns; the model then failed with KeyError
    ({"rope_type": "linear"}, "Missing required keys"),  # transformers' KeyError, now a ValueError naming the field
    ({"rope_type": "linear", "factor": float("inf")}, "factor must be a finite number >= 1"),  # every position 0
    ({"rope_type": "linear", "factor": -2.0}, "factor must be a finite number >= 1"),
    ({"rope_type": "dynamic", "factor": 0.0}, "factor must be a finite number >= 1"),
    ({"rope_type": "yarn", "factor": 0.5}, "factor must be a finite number >= 1"),
    ({"rope_type": "yarn", "factor": 4.0, "attention_factor": 0.0}, "attention_factor must be a finite number > 0"),
    ({"rope_type": "linear", "factor": True}, "factor must be a finite number >= 1"),
    ({"rope_type": "default", "rope_theta": float("inf")}, "rope_theta must be a positive number"),  # no rotation
    ({"rope_type": "default", "rope_theta": True}, "rope_theta must be a positive number"),
])
def test_rope_parameters_the_model_cannot_use_are_refused(rope, message):
    with pytest.raises(ValueError, match=f"^PicochatConfig.rope_parameters: {message}"):
        PicochatConfig(**BASE, rope_parameters={"rope_theta": 10000.0, **rope})


@pytest.mark.parametrize("rope", [{"rope_type": "linear", "factor": 1.0}, {"rope_type": "dynamic", "factor": 2},
                                  {"rope_type": "yarn", "factor": 4.0, "attention_factor": 0.5}, {"rope_type": "default"}])
def test_rope_parameters_within_the_rules_are_kept(rope):
    cfg = PicochatConfig(**BASE, rope_parameters={"rope_theta": 500.0, **rope})
    assert cfg.rope_parameters["rope_type"] == rope["rope_type"] and cfg.rope_parameters["rope_theta"] == 500.0
    logits = PicochatForCausalLM(cfg).eval()(torch.arange(3, 40)[None]).logits
    assert torch.isfinite(logits).all()


def test_a_rope_type_set_after_the_config_was_built_is_checked_when_a_model_is_built(tmp_path):
    from transformers import AutoModelForCausalLM

    PicochatForCausalLM(PicochatConfig(**BASE)).save_pretrained(tmp_path)
    with pytest.raises(ValueError, match="^PicochatConfig.rope_parameters: factor must be"):
        AutoModelForCausalLM.from_pretrained(tmp_path, rope_parameters={"rope_type": "linear", "factor": float("inf"),
                                                                         "rope_theta": 10000.0})


@pytest.mark.parametrize("tie", [False, True])
def test_parallel_plans_are_transformers_nanochats(tie):
    """Tensor, pipeline, FSDP and expert plans are the built-in NanoChat's for the same architecture (its FSDP plan
    keeps the head's gathered weight after the forward)."""
    from transformers import NanoChatForCausalLM

    from picochat_hf.export.native import nanochat_config_from

    cfg = PicochatConfig(**{**BASE, "tie_word_embeddings": tie})
    ours, native = PicochatForCausalLM(cfg), NanoChatForCausalLM(nanochat_config_from(cfg))
    for plan in ("tp_plan", "pp_plan", "fsdp_plan", "ep_plan"):
        assert getattr(ours, plan) == getattr(native, plan), plan
    assert ours.fsdp_plan["lm_head"] == "keep_full_weight"


@pytest.mark.parametrize("rope,missing", [({"rope_type": "linear"}, "factor"),
                                          ({"rope_type": "llama3", "factor": 8.0}, "high_freq_factor")])
def test_a_rope_type_set_after_the_config_was_built_without_its_fields_is_a_value_error(rope, missing, tmp_path):
    """It failed when the model was built, as a KeyError naming only the missing field."""
    from transformers import AutoModelForCausalLM

    PicochatForCausalLM(PicochatConfig(**BASE)).save_pretrained(tmp_path)
    with pytest.raises(ValueError, match=f"^PicochatConfig.rope_parameters: Missing required keys.*{missing}"):
        AutoModelForCausalLM.from_pretrained(tmp_path, rope_parameters={"rope_theta": 10000.0, **rope})


@pytest.mark.parametrize("kwargs,name", [({"depth": True}, "depth"), ({"depth": 4, "head_dim": 0}, "head_dim"),
                                         ({"depth": 4, "aspect_ratio": 64.0}, "aspect_ratio"), ({"depth": 0}, "depth")])
def test_from_depth_refuses_sizes_that_are_not_positive_integers(kwargs, name):
    """`depth=True` built a one-layer model, `head_dim=0` raised ZeroDivisionError."""
    with pytest.raises(ValueError, match=f"^PicochatConfig.from_depth: {name} must be a positive integer"):
        PicochatConfig.from_depth(**kwargs)


@pytest.mark.parametrize("field,value", [
    ("pad_token_id", 50),  # one past the last row: padded batches index outside the embedding
    ("pad_token_id", 500),
    ("pad_token_id", -1),  # old Hub configs' "no pad token"; as an index it is the last row, a real token
    ("pad_token_id", True),  # would silently be token 1
    ("pad_token_id", 2.0),
    ("pad_token_id", "2"),
    ("bos_token_id", 50),
    ("eos_token_id", 77),
    ("eos_token_id", [1, 77]),  # one stop token of several the model can never emit
    ("eos_token_id", [1, True]),
    ("eos_token_id", []),
    ("sep_token_id", 64),  # any `*_token_id` field, as transformers' own (warning-only) check reads them
])
def test_special_token_ids_outside_the_vocabulary_are_refused_naming_the_field(field, value):
    with pytest.raises(ValueError, match=f"^PicochatConfig.{field}: must be"):
        PicochatConfig(**BASE, **{field: value})


@pytest.mark.parametrize("field,value", [("pad_token_id", 49), ("pad_token_id", 0), ("pad_token_id", None),
                                         ("eos_token_id", [1, 49]), ("eos_token_id", (3,)), ("bos_token_id", None)])
def test_special_token_ids_inside_the_vocabulary_are_kept(field, value):
    cfg = PicochatConfig(**BASE, **{field: value})
    assert getattr(cfg, field) == value
    PicochatForCausalLM(cfg)


def test_a_pad_token_id_set_after_the_config_was_built_is_checked_when_a_model_is_built(tmp_path):
    from transformers import AutoModelForCausalLM

    PicochatForCausalLM(PicochatConfig(**BASE, pad_token_id=3)).save_pretrained(tmp_path)
    with pytest.raises(ValueError, match="^PicochatConfig.pad_token_id: must be"):
        AutoModelForCausalLM.from_pretrained(tmp_path, pad_token_id=50)
    changed = PicochatConfig(**BASE, pad_token_id=3)
    changed.vocab_size = 3  # a smaller vocabulary leaves the pad token outside it
    with pytest.raises(ValueError, match="^PicochatConfig.pad_token_id: must be"):
        AutoModelForCausalLM.from_config(changed)
