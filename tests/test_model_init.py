"""New picochat models start from nanochat's init, on every path that creates or completes weights.

nanochat (karpathy/nanochat `GPT.init_weights`): embedding normal std 1; q, k, v and the MLP input uniform
with std 1/sqrt(hidden_size); attention output and MLP output projections zero; LM head normal std 0.001.
"""

from __future__ import annotations

import math

import pytest
import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM
from transformers import initialization as hf_init

from picochat_hf import PicochatConfig, PicochatForCausalLM

from helpers_model import randomize


def _config(**overrides) -> PicochatConfig:
    fields = dict(vocab_size=2000, hidden_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                  max_position_embeddings=64, bos_token_id=0, eos_token_id=1, pad_token_id=2)
    fields.update(overrides)
    return PicochatConfig(**fields)


def assert_nanochat_init(model: PicochatForCausalLM, only: set[str] | None = None) -> None:
    """Every parameter (or those named in `only`) has nanochat's init distribution."""
    cfg = model.config
    std_in = 1.0 / math.sqrt(cfg.hidden_size)
    checked = 0
    for name, p in model.named_parameters():
        if only is not None and name not in only:
            continue
        checked += 1
        w = p.detach().float()
        if name.endswith(("o_proj.weight", "mlp.fc2.weight")):
            assert torch.count_nonzero(w) == 0, f"{name} is not zero"
        elif name.endswith(("q_proj.weight", "k_proj.weight", "v_proj.weight", "fc1.weight", "gate_proj.weight")):
            assert w.std().item() == pytest.approx(std_in, rel=0.08), name
            assert w.abs().max().item() <= math.sqrt(3.0) * std_in + 1e-6, f"{name} is not uniform in +-sqrt(3)/sqrt(d)"
        elif name == "model.embed_tokens.weight":
            assert w.std().item() == pytest.approx(1.0, rel=0.05), name
        elif name == "lm_head.weight":
            assert w.std().item() == pytest.approx(0.001, rel=0.05), name
        else:
            raise AssertionError(f"no init rule checked for {name}")
    assert checked == (len(only) if only is not None else len(list(model.parameters())))


@pytest.mark.parametrize("overrides", [{}, {"mlp_type": "swiglu"}, {"num_key_value_heads": 1}])
def test_constructor_and_from_config_use_nanochat_init(overrides):
    cfg = _config(**overrides)
    assert_nanochat_init(PicochatForCausalLM(cfg))
    model = AutoModelForCausalLM.from_config(cfg)
    assert type(model) is PicochatForCausalLM
    assert_nanochat_init(model)


def test_residual_blocks_start_as_identity_and_logits_are_small():
    model = PicochatForCausalLM(_config()).eval()
    x = torch.randint(3, 2000, (2, 16), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        out = model(x)
        hidden = model.model(x).last_hidden_state
        embedded = torch.nn.functional.rms_norm(model.model.embed_tokens(x), (128,), eps=model.config.rms_norm_eps)
    # zero o_proj / fc2: each block adds nothing, so the backbone returns the normed embedding
    torch.testing.assert_close(hidden, embedded, atol=1e-5, rtol=1e-5)
    assert out.logits.abs().max().item() < 0.1  # std-0.001 head on unit-RMS features: near-uniform start


def test_tied_head_is_the_unit_std_embedding():
    model = PicochatForCausalLM(_config(tie_word_embeddings=True))
    assert model.lm_head.weight is model.model.embed_tokens.weight
    assert model.lm_head.weight.std().item() == pytest.approx(1.0, rel=0.05)


def test_init_weights_initialises_a_model_built_without_init():
    cfg = _config()
    with hf_init.no_init_weights():
        model = PicochatForCausalLM(cfg)
    randomize(model, std=0.3)  # whatever the memory held: init_weights must replace all of it
    model.init_weights()
    assert_nanochat_init(model)


def test_from_pretrained_initialises_only_missing_weights(tmp_path):
    source = randomize(PicochatForCausalLM(_config()), seed=3, std=0.3)
    source.save_pretrained(tmp_path)
    state = load_file(tmp_path / "model.safetensors")
    missing = {"lm_head.weight", "model.layers.0.self_attn.o_proj.weight", "model.layers.1.mlp.fc1.weight",
               "model.layers.1.mlp.fc2.weight", "model.layers.0.self_attn.q_proj.weight", "model.embed_tokens.weight"}
    save_file({k: v for k, v in state.items() if k not in missing}, tmp_path / "model.safetensors", metadata={"format": "pt"})
    loaded, info = AutoModelForCausalLM.from_pretrained(tmp_path, output_loading_info=True)
    assert set(info["missing_keys"]) == missing
    assert_nanochat_init(loaded, only=missing)
    for name, p in loaded.named_parameters():
        if name not in missing:
            torch.testing.assert_close(p, source.get_parameter(name), atol=0, rtol=0, msg=name)


def test_residual_init_std_opts_out_of_zero_residual_outputs():
    model = PicochatForCausalLM(_config(residual_init_std=0.02))
    for name, p in model.named_parameters():
        if name.endswith(("o_proj.weight", "fc2.weight")):
            assert p.std().item() == pytest.approx(0.02, rel=0.1), name
    assert_nanochat_init(model, only={n for n, _ in model.named_parameters() if not n.endswith(("o_proj.weight", "fc2.weight"))})
    with pytest.raises(ValueError, match="residual_init_std"):
        _config(residual_init_std=-1.0)


def test_resized_head_keeps_its_role_and_added_rows_get_nanochat_init():
    model = PicochatForCausalLM(_config())
    head, emb = model.lm_head.weight.detach().clone(), model.model.embed_tokens.weight.detach().clone()
    model.resize_token_embeddings(2600, mean_resizing=False)
    new_head, new_emb = model.lm_head.weight.detach(), model.model.embed_tokens.weight.detach()
    assert torch.equal(new_head[:2000], head) and torch.equal(new_emb[:2000], emb)
    assert new_head[2000:].std().item() == pytest.approx(0.001, rel=0.1)
    assert new_emb[2000:].std().item() == pytest.approx(1.0, rel=0.1)
    model.init_weights()  # the resized head is still the LM head for nanochat's init
    assert_nanochat_init(model)


@pytest.mark.parametrize("overrides", [{}, {"mlp_type": "swiglu"}, {"smear": True, "smear_channels": 8}])
def test_normal_init_scheme_gives_every_weight_std_initializer_range(overrides):
    """`init_scheme="normal"` (Llama's): every linear and embedding weight normal with std initializer_range, the
    residual outputs included (not zero) and the head at that std (not 0.001); the smear keeps nanochat's rule."""
    model = PicochatForCausalLM(_config(init_scheme="normal", initializer_range=0.03, **overrides))
    for name, p in model.named_parameters():
        w = p.detach().float()
        if "smear" in name:
            continue
        assert w.std().item() == pytest.approx(0.03, rel=0.08), name
        assert w.mean().abs().item() < 0.01, name
    if overrides.get("smear"):
        assert torch.count_nonzero(model.model.smear.smear_lambda) == 0
    nanochat = PicochatForCausalLM(_config(**overrides))
    assert torch.count_nonzero(nanochat.model.layers[0].self_attn.o_proj.weight) == 0


def test_normal_init_scheme_leaves_loaded_weights_alone(tmp_path):
    """The scheme applies to new weights only: a saved model loads as saved under either scheme."""
    model = PicochatForCausalLM(_config(init_scheme="normal"))
    model.save_pretrained(tmp_path)
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path)
    for (name, a), (_, b) in zip(model.named_parameters(), loaded.named_parameters()):
        assert torch.equal(a, b), name
