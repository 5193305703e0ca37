"""`max_eval_tokens` reads the shards' val split only; without `shards` it was accepted and changed nothing."""

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
