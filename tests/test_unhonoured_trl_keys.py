"""TRL SFT keys that picochat's own tokenising, chat template and packing never read were accepted and ignored
(`chat_template_path`, `truncation_mode: keep_end`, `completion_only_loss: false`, ...); a value picochat cannot
honour is refused naming the key and line, while a value it already honours (TRL's default) is accepted."""

from __future__ import annotations

import pytest

from picochat_hf.training.config import PicochatPretrainConfig, PicochatSFTConfig, parse_config
from picochat_hf.utils.errors import PicochatInputError


def _parse(tmp_path, text, cls=PicochatSFTConfig):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("max_steps: 5\n" + text, encoding="utf-8")
    return parse_config(cls, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), "--device_kind", "cpu"])


@pytest.mark.parametrize("cls", [PicochatSFTConfig, PicochatPretrainConfig])
@pytest.mark.parametrize("text", [
    "chat_template_path: my_template.jinja\n",
    "truncation_mode: keep_end\n",
    "completion_only_loss: false\n",
    "assistant_only_loss: false\n",
    "dataset_text_field: content\n",
    "eos_token: <|im_end|>\n",
    "pad_token: <pad>\n",
    "model_init_kwargs: {torch_dtype: bfloat16}\n",
    "shuffle_dataset: true\n",
    "packing_strategy: wrapped\n",
    "dataset_num_proc: 4\n",
    "pad_to_multiple_of: 8\n",
])
def test_a_trl_key_picochat_never_reads_is_refused(tmp_path, cls, text):
    with pytest.raises(PicochatInputError) as err:
        _parse(tmp_path, text, cls)
    assert (err.value.field, err.value.line) == (text.split(":")[0], 2)


@pytest.mark.parametrize("text", [
    "truncation_mode: keep_start\n",
    "completion_only_loss: true\n",
    "assistant_only_loss: true\n",
    "dataset_text_field: text\n",
    "chat_template_path: null\n",
])
def test_a_value_picochat_already_honours_is_accepted(tmp_path, text):
    _parse(tmp_path, text)


def test_on_the_command_line_too(tmp_path):
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu",
                                         "--truncation_mode", "keep_end"])
    assert err.value.field == "truncation_mode"


def test_dpo_keeps_trls_own_truncation_mode(tmp_path):
    """DPO tokenises through TRL's DPOTrainer, which reads truncation_mode itself."""
    from picochat_hf.training.config import PicochatDPOConfig

    assert _parse(tmp_path, "truncation_mode: keep_end\n", PicochatDPOConfig).truncation_mode == "keep_end"
