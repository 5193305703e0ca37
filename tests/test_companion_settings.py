"""Settings that act only beside another one (`training/companion_keys.yaml`): max_eval_tokens beside shards,
save_steps under save_strategy steps, min_lr_ratio under a decay; alone each was accepted and changed nothing."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("argv", [["--max_eval_tokens", "5000"], ["--max_eval_tokens", "null"],
                                  ["--documents", "d.txt", "--max_eval_tokens", "5000"]])
def test_max_eval_tokens_without_shards_is_refused(tmp_path, argv):
    from picochat_hf.training.config import PicochatPretrainConfig, parse_config
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatPretrainConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", *argv])
    assert err.value.field == "max_eval_tokens" and "shards" in str(err.value), err.value


def test_max_eval_tokens_without_shards_in_a_yaml_names_its_line(tmp_path):
    from picochat_hf.training.config import PicochatPretrainConfig, parse_config
    from picochat_hf.utils.errors import PicochatInputError

    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"output_dir: {tmp_path / 'o'}\ndevice_kind: cpu\nmax_eval_tokens: 5000\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatPretrainConfig, ["--config", str(cfg)])
    assert err.value.field == "max_eval_tokens" and "shards" in str(err.value)
    assert err.value.line == 3 and str(cfg) in str(err.value.path), (err.value.path, err.value.line)


@pytest.mark.parametrize("extra", [[], ["--max_eval_tokens", "5000"], ["--max_eval_tokens", "null"]])
def test_max_eval_tokens_beside_shards_is_accepted(tmp_path, extra):
    from picochat_hf.training.config import PicochatPretrainConfig, parse_config

    cfg = parse_config(PicochatPretrainConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu",
                                                "--shards", "s", "--max_steps", "3", *extra])
    assert cfg.shards == "s"


# -- save_steps reads only under save_strategy: steps (picochat's default is no) ------------------------------------

@pytest.mark.parametrize("cls_name", ["PicochatSFTConfig", "PicochatPretrainConfig", "PicochatDPOConfig"])
@pytest.mark.parametrize("extra", [[], ["--save_strategy", "no"], ["--save_strategy", "epoch"]])
def test_save_steps_without_a_steps_save_strategy_is_refused(tmp_path, cls_name, extra):
    """`recipes/sft.py --save_steps 50` wrote no checkpoint-N: picochat's save_strategy defaults to no, which the
    `picochat train --save-steps` flag switches to steps, but a recipe's field did not."""
    from picochat_hf.training import config as cfg
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError) as err:
        cfg.parse_config(getattr(cfg, cls_name), ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu",
                                                  "--max_steps", "10", "--save_steps", "5", *extra])
    assert err.value.field == "save_steps" and "save_strategy" in str(err.value), err.value


def test_save_steps_in_a_yaml_without_save_strategy_names_its_line(tmp_path):
    from picochat_hf.training.config import PicochatSFTConfig, parse_config
    from picochat_hf.utils.errors import PicochatInputError

    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"output_dir: {tmp_path / 'o'}\ndevice_kind: cpu\nmax_steps: 10\nsave_steps: 5\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--config", str(cfg)])
    assert (err.value.field, err.value.line) == ("save_steps", 4)


def test_save_steps_under_a_steps_save_strategy_and_the_cli_flag_are_accepted(tmp_path):
    from picochat_hf.cli.train import config_argv
    from picochat_hf.training.config import PicochatSFTConfig, parse_config

    config = parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", "--max_steps",
                                              "10", "--save_steps", "5", "--save_strategy", "steps"])
    assert config.save_steps == 5
    argv = config_argv(["train", "sft", "--out-dir", str(tmp_path / "o"), "--device", "cpu", "--steps", "10",
                        "--save-steps", "5"])
    assert parse_config(PicochatSFTConfig, argv).save_steps == 5


# -- min_lr_ratio is where a decay ends: with lr_decay none the rate is constant -------------------------------------

@pytest.mark.parametrize("cls_name", ["PicochatSFTConfig", "PicochatPretrainConfig"])
def test_min_lr_ratio_beside_no_decay_is_refused(tmp_path, cls_name):
    """`--lr-decay none --min-lr-ratio 0.5` trained at a constant rate; the ratio was accepted and changed nothing."""
    from picochat_hf.training import config as cfg
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError) as err:
        cfg.parse_config(getattr(cfg, cls_name), ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu",
                                                  "--max_steps", "10", "--lr_decay", "none", "--min_lr_ratio", "0.5"])
    assert err.value.field == "min_lr_ratio" and "lr_decay" in str(err.value), err.value


@pytest.mark.parametrize("decay", ["cosine", "linear"])
def test_min_lr_ratio_beside_a_decay_is_accepted(tmp_path, decay):
    from picochat_hf.training.config import PicochatSFTConfig, parse_config

    config = parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", "--max_steps",
                                              "10", "--lr_decay", decay, "--min_lr_ratio", "0.5"])
    assert config.min_lr_ratio == 0.5


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_max_eval_tokens_below_one_is_refused_naming_it(tmp_path, value):
    """`--max_eval_tokens 0` beside shards read no validation token and was refused as 'no val document holds 2 or
    more tokens' naming the shard set's splits.val, as if the shards were at fault."""
    from picochat_hf.training.config import PicochatPretrainConfig, parse_config
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatPretrainConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", "--shards", "s",
                                              "--max_steps", "3", "--max_eval_tokens", value])
    assert err.value.field == "max_eval_tokens"
