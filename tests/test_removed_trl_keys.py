"""Keys older TRL/transformers recipes write and the current versions removed are refused pointing at their
replacement, not just "unknown config field"."""

from __future__ import annotations

import pytest

from picochat_hf.training.config import PicochatSFTConfig, parse_config
from picochat_hf.utils.errors import PicochatInputError


@pytest.mark.parametrize("key,value,replacement", [
    ("max_seq_length", "256", "max_length"),
    ("evaluation_strategy", "steps", "eval_strategy"),
    ("no_cuda", "true", "device_kind"),
    ("overwrite_output_dir", "true", "force"),
    ("warmup_ratio", "0.1", "warmup_steps"),
])
def test_a_removed_key_names_its_replacement(tmp_path, key, value, replacement):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"max_steps: 5\n{key}: {value}\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), "--device_kind", "cpu"])
    assert (err.value.field, err.value.line) == (key, 2) and replacement in str(err.value)
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", f"--{key}", value])
    assert err.value.field == key and replacement in str(err.value)
