"""TRL recipes' `bf16: true` / `fp16: true` and `gradient_checkpointing: true` were silently overridden by picochat's
`precision: auto` (fp32 on CPU; bf16 on a GPU for fp16) and by `activation_checkpointing`'s default (False)."""

from __future__ import annotations

import pytest

from picochat_hf.training.config import PicochatDPOConfig, PicochatSFTConfig, parse_config
from picochat_hf.utils.errors import PicochatInputError


def _parse(tmp_path, text, *argv, cls=PicochatSFTConfig):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(text + "max_steps: 5\n", encoding="utf-8")
    return parse_config(cls, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", *argv])


@pytest.mark.parametrize("cls", [PicochatSFTConfig, PicochatDPOConfig])
def test_a_trl_bf16_key_sets_the_precision(tmp_path, cls):
    config = _parse(tmp_path, "bf16: true\n", cls=cls)
    assert config.precision == "bf16" and config.bf16 and not config.fp16


def test_bf16_false_alone_is_fp32(tmp_path):
    config = _parse(tmp_path, "bf16: false\n")
    assert config.precision == "fp32" and not config.bf16


def test_a_trl_fp16_key_on_cpu_is_refused_as_fp16_precision_is(tmp_path):
    with pytest.raises(PicochatInputError) as err:
        _parse(tmp_path, "fp16: true\n")
    assert err.value.field in ("fp16", "precision")


@pytest.mark.parametrize("text,argv,field,line", [
    ("bf16: true\nprecision: fp32\n", [], "bf16", 1),
    ("precision: bf16\nfp16: true\n", [], "fp16", 2),
    ("bf16: true\nfp16: true\n", [], "fp16", 2),
    ("bf16: true\n", ["--precision", "fp32"], "bf16", 1),
])
def test_a_precision_that_disagrees_with_bf16_or_fp16_is_refused(tmp_path, text, argv, field, line):
    with pytest.raises(PicochatInputError) as err:
        _parse(tmp_path, text, *argv)
    assert (err.value.field, err.value.line) == (field, line)


def test_bf16_agreeing_with_precision_is_accepted(tmp_path):
    assert _parse(tmp_path, "bf16: true\nprecision: bf16\n").bf16


@pytest.mark.parametrize("cls", [PicochatSFTConfig, PicochatDPOConfig])
def test_gradient_checkpointing_true_turns_activation_checkpointing_on(tmp_path, cls):
    config = _parse(tmp_path, "gradient_checkpointing: true\n", cls=cls)
    assert config.activation_checkpointing is True and config.gradient_checkpointing is True


def test_checkpointing_is_off_by_default_and_the_new_name_works(tmp_path):
    assert _parse(tmp_path, "").activation_checkpointing is False
    assert _parse(tmp_path, "activation_checkpointing: true\n").activation_checkpointing is True


def test_use_cpu_true_sets_the_device(tmp_path):
    """`use_cpu: true` was overwritten by device_kind auto (a GPU when there is one)."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text("max_steps: 5\nuse_cpu: true\n", encoding="utf-8")
    config = parse_config(PicochatSFTConfig, ["--config", str(cfg), "--output_dir", str(tmp_path / "o")])
    assert config.device_kind == "cpu" and config.use_cpu is True
    cfg.write_text("max_steps: 5\nuse_cpu: true\ndevice_kind: cuda\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--config", str(cfg), "--output_dir", str(tmp_path / "o")])
    assert (err.value.field, err.value.line) == ("use_cpu", 2)
