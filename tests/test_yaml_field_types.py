"""A YAML value of the wrong type for a config field was accepted as it stood (argparse converts only strings):
`learning_rate: [1]`, `max_steps: 5.5`, `seed: true`, `per_device_train_batch_size: 2.0` reached the Trainer."""

from __future__ import annotations

import pytest

from picochat_hf.training.config import PicochatPretrainConfig, PicochatSFTConfig, parse_config
from picochat_hf.utils.errors import PicochatInputError


def _parse(tmp_path, text, cls=PicochatSFTConfig):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("max_steps: 5\n" + text, encoding="utf-8")
    return parse_config(cls, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), "--device_kind", "cpu"])


@pytest.mark.parametrize("text", [
    "learning_rate: [1]\n", "learning_rate: {a: 1}\n", "learning_rate: true\n",
    "per_device_train_batch_size: 2.5\n", "per_device_train_batch_size: 2.0\n", "seed: true\n",
    "gradient_accumulation_steps: [2]\n", "packing_mode: [none]\n", "input: 5\n", "force: [true]\n",
    "max_length: 128.5\n",
])
def test_a_wrong_type_is_refused_naming_file_line_and_field(tmp_path, text):
    with pytest.raises(PicochatInputError) as err:
        _parse(tmp_path, text)
    assert (err.value.field, err.value.line) == (text.split(":")[0], 2)


def test_max_steps_must_be_whole(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("max_steps: 5.5\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), "--device_kind", "cpu"])
    assert (err.value.field, err.value.line) == ("max_steps", 1)


@pytest.mark.parametrize("text,key,value", [
    ("learning_rate: 3e-4\n", "learning_rate", 3e-4),     # PyYAML reads 3e-4 as text; argparse converts it
    ("learning_rate: 1\n", "learning_rate", 1.0),
    ("warmup_steps: 0.1\n", "warmup_steps", 0.1),
    ("logging_steps: 0.5\n", "logging_steps", 0.5),
    ("report_to: []\n", "report_to", []),
    ("tokenizer: null\n", "tokenizer", None),
    ("eval_steps: 2\n", "eval_steps", 2),
])
def test_right_types_are_accepted(tmp_path, text, key, value):
    assert getattr(_parse(tmp_path, text), key) == value


def test_model_config_may_be_a_mapping(tmp_path):
    assert _parse(tmp_path, "model_config: {}\n", PicochatPretrainConfig).model_config == {}
