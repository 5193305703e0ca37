"""Sizes no picochat model can have are refused by the config, naming the field, before any weight is allocated."""

from __future__ import annotations

import pytest

from picochat_hf import PicochatConfig, PicochatForCausalLM

BASE = dict(vocab_size=50, hidden_size=64, num_hidden_layers=1, num_attention_heads=2)


@pytest.mark.parametrize("field,value", [
    ("vocab_size", 10**12), ("hidden_size", 10**9), ("intermediate_size", 10**13), ("num_hidden_layers", 10**6),
    ("num_attention_heads", 10**6), ("head_dim", 10**6), ("max_position_embeddings", 10**30),
    ("num_key_value_heads", 10**6),
])
def test_a_huge_size_is_refused_naming_the_field(field, value):
    fields = {**BASE, field: value}
    if field == "num_attention_heads":
        fields["head_dim"] = 32
    with pytest.raises(ValueError, match=f"^PicochatConfig.{field}: ") as err:
        PicochatConfig(**fields)
    assert "at most" in str(err.value)


@pytest.mark.parametrize("field", ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                                   "num_attention_heads", "num_key_value_heads", "head_dim", "max_position_embeddings"])
@pytest.mark.parametrize("value", [0, -1, -(10**12), 64.0, 64.5, "64", None, True, [64], float("inf")])
def test_zero_negative_and_non_integer_sizes_are_refused_naming_the_field(field, value):
    if field in ("intermediate_size", "num_key_value_heads", "head_dim") and value is None:
        # None asks for the derived default: the same size as leaving the field out
        assert getattr(PicochatConfig(**{**BASE, field: None}), field) == getattr(PicochatConfig(**BASE), field)
        return
    with pytest.raises(ValueError, match=f"^PicochatConfig.{field}: "):
        PicochatConfig(**{**BASE, field: value})


def test_sizes_each_within_its_limit_that_make_too_many_parameters_are_refused():
    """Every field within its own limit, together a ~10^14-parameter model: refused before allocation, naming the
    field that contributes most."""
    with pytest.raises(ValueError, match="^PicochatConfig.num_hidden_layers: .*parameters") as err:
        PicochatConfig(vocab_size=50, hidden_size=65536, num_hidden_layers=1024, num_attention_heads=64)
    assert "at most" in str(err.value)
    with pytest.raises(ValueError, match="^PicochatConfig.vocab_size: .*parameters"):
        PicochatConfig(vocab_size=4_000_000, hidden_size=65536, num_hidden_layers=1, num_attention_heads=64)


def test_a_huge_size_set_after_construction_is_refused_before_the_model_is_built():
    cfg = PicochatConfig(**BASE)
    cfg.hidden_size = 10**9
    with pytest.raises(ValueError, match="^PicochatConfig.hidden_size: "):
        PicochatForCausalLM(cfg)


def test_resizing_the_embedding_to_a_huge_vocabulary_is_refused_before_allocation():
    model = PicochatForCausalLM(PicochatConfig(**BASE))
    with pytest.raises(ValueError, match="vocab_size"):
        model.resize_token_embeddings(10**12)
    assert model.get_input_embeddings().weight.shape[0] == 50 and model.config.vocab_size == 50


@pytest.mark.parametrize("fields", [
    dict(vocab_size=262144, hidden_size=2048, num_hidden_layers=2, num_attention_heads=16),  # Gemma-sized vocabulary
    dict(vocab_size=50, hidden_size=64, num_hidden_layers=1, num_attention_heads=2, max_position_embeddings=131072),
])
def test_real_model_sizes_are_accepted(fields):
    assert PicochatConfig(**fields).vocab_size == fields["vocab_size"]


def test_the_nanochat_presets_are_accepted():
    from picochat_hf.modeling.flops import PRESETS, preset_config

    for name in PRESETS:
        assert preset_config(name, 65536).hidden_size > 0
    assert PicochatConfig.from_depth(64, vocab_size=65536).num_hidden_layers == 64


def test_the_cli_refuses_a_huge_model_config_with_one_line(tiny_tokenizer_dir, tmp_path, capsys):
    from picochat_hf.cli import main

    for extra in (["--preset", "cpu-tiny"], ["--depth", "1"]):
        out = tmp_path / f"out{len(extra[1])}"
        rc = main(["train", "base", "--documents", "default", "--tokenizer", str(tiny_tokenizer_dir), *extra,
                   "--seq-len", "64", "--steps", "1", "--device", "cpu", "--set",
                   'model_config={"intermediate_size": 10000000000000}', "--out-dir", str(out)])
        err = capsys.readouterr().err.strip()
        assert rc == 2 and "intermediate_size" in err and len(err.splitlines()) == 1, err
        assert not out.exists()


@pytest.mark.parametrize("field,value", [("tie_word_embeddings", "false"), ("tie_word_embeddings", "true"),
                                         ("tie_word_embeddings", 1), ("tie_word_embeddings", None),
                                         ("use_cache", "no"), ("use_cache", 0)])
def test_a_switch_that_is_not_true_or_false_is_refused(field, value):
    """`"tie_word_embeddings": "false"` (a quoted YAML or CSV value) is a true string: the head was silently tied to
    the embedding, a model of another shape than the config reads."""
    with pytest.raises(ValueError, match=f"^PicochatConfig.{field}: must be true or false"):
        PicochatConfig(**BASE, **{field: value})


@pytest.mark.parametrize("field,value", [("tie_word_embeddings", True), ("tie_word_embeddings", False), ("use_cache", False)])
def test_a_true_or_false_switch_is_read(field, value):
    cfg = PicochatConfig(**BASE, **{field: value})
    assert getattr(cfg, field) is value
    model = PicochatForCausalLM(cfg)
    if field == "tie_word_embeddings":
        assert (model.lm_head.weight is model.model.embed_tokens.weight) is value


@pytest.mark.parametrize("value", ["x", ["rope_theta", 10000.0], 10000.0])
def test_rope_parameters_that_are_no_mapping_are_refused_naming_the_field(value):
    with pytest.raises(ValueError, match="^PicochatConfig.rope_parameters: "):
        PicochatConfig(**BASE, rope_parameters=value)


@pytest.mark.parametrize("field,value", [("rms_norm_eps", 1e300), ("rms_norm_eps", 2.0), ("initializer_range", 1e300),
                                         ("residual_init_std", 1e300), ("residual_init_std", 5.0)])
def test_an_init_std_or_eps_past_one_is_refused(field, value):
    """A residual std of 1e300 overflows float32 at init (every logit NaN); an eps of 1e300 divides every hidden state
    to 0 (every logit equal): models that cannot learn, refused naming the field."""
    with pytest.raises(ValueError, match=f"^PicochatConfig.{field}: must be a finite number"):
        PicochatConfig(**BASE, **{field: value})


@pytest.mark.parametrize("field,value", [("rms_norm_eps", 1.0), ("initializer_range", 1.0), ("residual_init_std", 1.0)])
def test_the_upper_bounds_themselves_are_accepted(field, value):
    assert getattr(PicochatConfig(**BASE, **{field: value}), field) == value


def test_from_pretrained_with_a_huge_override_is_refused_before_allocation(tmp_path):
    PicochatForCausalLM(PicochatConfig(**BASE)).save_pretrained(tmp_path)
    for field, value in (("vocab_size", 10**12), ("intermediate_size", 10**13), ("tie_word_embeddings", "false")):
        with pytest.raises(ValueError, match=f"PicochatConfig.{field}: "):
            PicochatForCausalLM.from_pretrained(tmp_path, **{field: value})


def test_a_checkpoint_config_json_with_a_huge_size_is_one_line_about_that_file(tmp_path):
    import json

    from picochat_hf.utils.errors import PicochatInputError
    from picochat_hf.utils.model_files import check_model_config

    PicochatForCausalLM(PicochatConfig(**BASE)).save_pretrained(tmp_path)
    cfg = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    (tmp_path / "config.json").write_text(json.dumps({**cfg, "hidden_size": 10**9}), encoding="utf-8")
    with pytest.raises(PicochatInputError, match="hidden_size") as err:
        check_model_config(tmp_path)
    assert str(err.value.path).endswith("config.json")


def test_nanochat_field_names_size_the_model_as_the_canonical_names_do():
    """nanochat's `n_embd`/`n_layer`/`n_head`/`n_kv_head` (the config's attribute_map) were set by transformers after
    the checks and after the MLP width and head_dim were derived from the default width: n_embd=768, n_head=6 built a
    1024-wide MLP instead of 3072, and n_embd=10**9 or n_head=0 passed construction."""
    by_alias = PicochatConfig(vocab_size=50, n_embd=768, n_layer=3, n_head=6, n_kv_head=3)
    canonical = PicochatConfig(vocab_size=50, hidden_size=768, num_hidden_layers=3, num_attention_heads=6,
                               num_key_value_heads=3)
    assert by_alias.to_dict() == canonical.to_dict()
    assert by_alias.intermediate_size == 3072 and by_alias.head_dim == 128


@pytest.mark.parametrize("alias,value,field", [("n_embd", 10**9, "hidden_size"), ("n_head", 0, "num_attention_heads"),
                                               ("n_layer", "x", "num_hidden_layers"), ("n_kv_head", -1, "num_key_value_heads")])
def test_a_bad_size_under_a_nanochat_name_is_refused_naming_the_field(alias, value, field):
    with pytest.raises(ValueError, match=f"^PicochatConfig.{field}: "):
        PicochatConfig(vocab_size=50, **{alias: value})


def test_a_size_given_under_both_names_with_two_values_is_refused():
    with pytest.raises(ValueError, match="^PicochatConfig.hidden_size: .*n_embd"):
        PicochatConfig(vocab_size=50, hidden_size=512, n_embd=768, num_attention_heads=4)
    assert PicochatConfig(vocab_size=50, hidden_size=512, n_embd=512, num_attention_heads=4).hidden_size == 512


def test_from_depth_takes_an_explicit_width_and_head_count_and_refuses_another_layer_count():
    """`train base --depth 1` with `model_config: {hidden_size: 64}` died in a TypeError (hidden_size given twice);
    an explicit width or head count now wins over the derived one, as a preset's overrides do."""
    cfg = PicochatConfig.from_depth(1, vocab_size=300, hidden_size=64)
    assert (cfg.hidden_size, cfg.num_hidden_layers, cfg.num_attention_heads, cfg.head_dim) == (64, 1, 1, 64)
    cfg = PicochatConfig.from_depth(2, vocab_size=300, hidden_size=64, num_attention_heads=4)
    assert (cfg.hidden_size, cfg.num_hidden_layers, cfg.num_attention_heads, cfg.head_dim) == (64, 2, 4, 16)
    assert PicochatConfig.from_depth(2, vocab_size=300, num_hidden_layers=2).num_hidden_layers == 2
    plain = PicochatConfig.from_depth(20, vocab_size=300)
    assert (plain.hidden_size, plain.num_attention_heads) == (1280, 10)
    with pytest.raises(ValueError, match=r"PicochatConfig\.num_hidden_layers: 3 contradicts depth 2"):
        PicochatConfig.from_depth(2, vocab_size=300, num_hidden_layers=3)
    with pytest.raises(ValueError, match=r"PicochatConfig\.hidden_size: must be a positive integer, got '64'"):
        PicochatConfig.from_depth(2, vocab_size=300, hidden_size="64")
    with pytest.raises(ValueError, match="width 64 is not divisible into 3 heads"):
        PicochatConfig.from_depth(2, vocab_size=300, hidden_size=64, num_attention_heads=3)


def test_the_cli_depth_with_a_model_config_width_is_one_line_when_it_contradicts(tiny_tokenizer_dir, tmp_path, capsys):
    from picochat_hf.cli import main

    out = tmp_path / "out"
    rc = main(["train", "base", "--documents", "default", "--tokenizer", str(tiny_tokenizer_dir), "--depth", "2",
               "--seq-len", "64", "--steps", "1", "--device", "cpu", "--set",
               'model_config={"hidden_size": 64, "num_hidden_layers": 3}', "--out-dir", str(out)])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "num_hidden_layers" in err and "contradicts depth 2" in err and len(err.splitlines()) == 1, err
    assert not out.exists()
