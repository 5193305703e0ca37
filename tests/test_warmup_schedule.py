"""A warmup as long as the run never reaches the peak learning rate the config (and the run's report) states."""

from __future__ import annotations

import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.training.config import PicochatDPOConfig, PicochatPretrainConfig, PicochatSFTConfig, parse_config
from picochat_hf.utils.errors import PicochatInputError

BASE = ["--device_kind", "cpu"]


@pytest.mark.parametrize("cls", [PicochatSFTConfig, PicochatPretrainConfig, PicochatDPOConfig])
@pytest.mark.parametrize("warmup,steps", [("20", "2"), ("2", "2"), ("0.99", "10"), ("0.95", "10"), ("3", "1")])
def test_a_warmup_at_least_as_long_as_the_run_is_refused(tmp_path, cls, warmup, steps):
    with pytest.raises(PicochatInputError) as err:
        parse_config(cls, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", steps, "--warmup_steps", warmup])
    assert err.value.field == "warmup_steps" and "peak" in str(err.value)


@pytest.mark.parametrize("cls", [PicochatSFTConfig, PicochatPretrainConfig, PicochatDPOConfig])
@pytest.mark.parametrize("warmup,steps", [("1", "2"), ("19", "20"), ("0.5", "10"), ("0", "1"), ("0.9", "10")])
def test_a_warmup_shorter_than_the_run_is_accepted(tmp_path, cls, warmup, steps):
    config = parse_config(cls, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", steps, "--warmup_steps", warmup])
    assert config.get_warmup_steps(config.max_steps) < config.max_steps


def test_a_fractional_step_count_is_refused(tmp_path):
    """transformers reads warmup_steps 2.5 as 2 steps (int()), silently; a fraction is only a ratio below 1."""
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", "10", "--warmup_steps", "2.5"])
    assert err.value.field == "warmup_steps"


def test_the_yaml_warmup_is_refused_naming_file_and_line(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("max_steps: 5\nlearning_rate: 0.001\nwarmup_steps: 5\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), *BASE])
    assert (err.value.field, err.value.line, str(err.value.path)) == ("warmup_steps", 3, str(cfg))


def test_a_warmup_ratio_key_is_refused_pointing_at_warmup_steps(tmp_path):
    """transformers 5 has no warmup_ratio; a fraction below 1 in warmup_steps is the ratio."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text("max_steps: 5\nwarmup_ratio: 1.0\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), *BASE])
    assert (err.value.field, err.value.line) == ("warmup_ratio", 2) and "warmup_steps" in str(err.value)
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", "5", "--warmup_ratio", "0.1"])
    assert err.value.field == "warmup_ratio" and "warmup_steps" in str(err.value)


def test_the_seed_flags_with_too_few_steps_exit_2_in_one_line(tmp_path, capsys):
    rc = cli_main(["train", "sft", "--input", str(tmp_path / "rows.jsonl"), "--out-dir", str(tmp_path / "o"),
                   "--device", "cpu", "--steps", "2", "--lr-warmup-steps", "20"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "warmup_steps" in err[0] and not (tmp_path / "o").exists()


@pytest.mark.parametrize("steps,warmup", [("1", 0), ("3", 1), ("7", 3), ("21", 10), ("300", 10), ("-1", 10)])
def test_the_base_default_warmup_fits_a_short_run(tmp_path, steps, warmup):
    """The base config's default (10 steps) is never a warmup the run does not finish: a smoke run of 7 steps
    warms up for 3."""
    config = parse_config(PicochatPretrainConfig, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", steps])
    assert config.warmup_steps == warmup
