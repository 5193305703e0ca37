"""transformers' own scheduler keys (`lr_scheduler_type`, `lr_scheduler_kwargs`), which TRL recipes write, were
silently replaced by `lr_decay`'s default (cosine to 0.1 x peak)."""

from __future__ import annotations

import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.training.config import PicochatDPOConfig, PicochatPretrainConfig, PicochatSFTConfig, parse_config
from picochat_hf.utils.errors import PicochatInputError

BASE = ["--device_kind", "cpu", "--max_steps", "10"]


def _yaml(tmp_path, text):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(text, encoding="utf-8")
    return ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), *BASE]


@pytest.mark.parametrize("cls", [PicochatSFTConfig, PicochatPretrainConfig, PicochatDPOConfig])
@pytest.mark.parametrize("kind", ["constant", "linear", "cosine", "constant_with_warmup"])
def test_a_yaml_scheduler_type_is_used_as_written(tmp_path, cls, kind):
    config = parse_config(cls, _yaml(tmp_path, f"lr_scheduler_type: {kind}\n"))
    assert str(config.lr_scheduler_type.value) == kind and config.lr_decay is None


@pytest.mark.parametrize("kind", ["constant", "linear"])
def test_a_command_line_scheduler_type_is_used_as_written(tmp_path, kind):
    config = parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), *BASE, "--lr_scheduler_type", kind])
    assert str(config.lr_scheduler_type.value) == kind and config.lr_decay is None


def test_scheduler_kwargs_with_their_type_are_kept(tmp_path):
    config = parse_config(PicochatSFTConfig, _yaml(tmp_path, "lr_scheduler_type: cosine_with_min_lr\n"
                                                              "lr_scheduler_kwargs: {min_lr_rate: 0.05}\n"))
    assert config.lr_scheduler_kwargs == {"min_lr_rate": 0.05} and config.lr_decay is None


@pytest.mark.parametrize("text,field,line", [
    ("lr_decay: linear\nlr_scheduler_type: constant\n", "lr_scheduler_type", 2),
    ("lr_scheduler_kwargs: {min_lr_rate: 0.05}\n", "lr_scheduler_kwargs", 1),
    ("lr_scheduler_type: constant\nmin_lr_ratio: 0.2\n", "min_lr_ratio", 2),
])
def test_conflicting_scheduler_keys_are_refused_naming_file_and_line(tmp_path, text, field, line):
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, _yaml(tmp_path, text))
    assert (err.value.field, err.value.line) == (field, line)


def test_the_lr_decay_flag_beside_a_yaml_scheduler_type_exits_2(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("lr_scheduler_type: constant\n", encoding="utf-8")
    rc = cli_main(["train", "sft", "--config", str(cfg), "--input", str(tmp_path / "rows.jsonl"), "--out-dir",
                   str(tmp_path / "o"), "--device", "cpu", "--steps", "5", "--lr-decay", "cosine"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "lr_scheduler_type" in err[0] and not (tmp_path / "o").exists()


def test_without_scheduler_keys_lr_decay_still_applies(tmp_path):
    config = parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), *BASE])
    assert config.lr_decay == "cosine" and str(config.lr_scheduler_type.value) == "cosine_with_min_lr"
    assert config.lr_scheduler_kwargs == {"min_lr_rate": 0.1}
    config = parse_config(PicochatSFTConfig, _yaml(tmp_path, "lr_decay: null\nlr_scheduler_type: constant\n"))
    assert config.lr_decay is None and str(config.lr_scheduler_type.value) == "constant"
