"""A picochat folder whose config.json and weights describe different models is refused before it is loaded.

`from_pretrained` fills a tensor the config asks for and the file lacks with fresh random values, and drops a tensor
the file holds and the config has no place for, with only a log warning: a config edited to three layers evaluated
a model with a random third layer, one edited to `smear: false` evaluated the weights without the smear they were
trained with, and every score was about a model nobody trained. The check reads only the safetensors headers.
"""

from __future__ import annotations

import json

import pytest
import torch

from picochat_hf import PicochatForCausalLM
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.model_files import check_model_folder

from helpers_model import tiny_model


def _edit(folder, **fields) -> None:
    path = folder / "config.json"
    data = json.loads(path.read_text())
    data.update(fields)
    path.write_text(json.dumps(data, indent=2))


@pytest.fixture
def saved(tmp_path):
    model = tiny_model(seed=1, smear=True, smear_channels=8)
    model.save_pretrained(tmp_path / "m")
    return tmp_path / "m"


@pytest.mark.parametrize(("fields", "tensor", "what"), [
    ({"num_hidden_layers": 3}, "model.layers.2.", "missing"),
    ({"num_hidden_layers": 1}, "model.layers.1.", "not in the config"),
    ({"smear": False}, "model.smear.", "not in the config"),
    ({"vocab_size": 120}, "model.embed_tokens.weight", "shape"),
    ({"intermediate_size": 64}, "model.layers.0.mlp.fc1.weight", "shape"),
    ({"mlp_type": "swiglu"}, "model.layers.0.mlp.gate_proj.weight", "missing"),
])
def test_a_config_that_describes_another_model_than_the_weights_is_refused(saved, fields, tensor, what):
    _edit(saved, **fields)
    with pytest.raises(PicochatInputError, match=what) as err:
        check_model_folder(saved)
    assert tensor in str(err.value) and err.value.path.endswith("config.json")


def test_honest_folders_pass_tied_smeared_and_sharded(tmp_path, saved):
    check_model_folder(saved)
    tiny_model(seed=2, tie_word_embeddings=True).save_pretrained(tmp_path / "tied")
    check_model_folder(tmp_path / "tied")
    tiny_model(seed=3).save_pretrained(tmp_path / "sharded", max_shard_size="20KB")
    assert (tmp_path / "sharded" / "model.safetensors.index.json").exists()
    check_model_folder(tmp_path / "sharded")
    tiny_model(seed=4).to(torch.bfloat16).save_pretrained(tmp_path / "bf16")
    check_model_folder(tmp_path / "bf16")
    loaded = PicochatForCausalLM.from_pretrained(saved)
    assert loaded.config.smear is True


def test_the_export_and_lm_eval_checks_refuse_it_too(saved):
    from picochat_hf.utils.model_files import check_model_weights

    _edit(saved, num_hidden_layers=3)
    with pytest.raises(PicochatInputError, match="missing from the weights"):
        check_model_weights(saved, field="model_path")
