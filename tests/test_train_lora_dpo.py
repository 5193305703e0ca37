"""LoRA changes only adapter weights (picochat and any AutoModelForCausalLM) and is merged on save; DPO moves the margin."""

from __future__ import annotations

import json

import pytest
import torch
from train_fixtures import stub_preflight, chat_rows, llama_model, picochat_model, save_model_dir, write_rows
from transformers import AutoModelForCausalLM

from picochat_hf.training.config import PicochatDPOConfig, PicochatSFTConfig, parse_config
from picochat_hf.training.dpo import read_preference_rows, run_dpo
from picochat_hf.training.sft import build_sft_trainer
from picochat_hf.utils.errors import PicochatInputError


@pytest.fixture(autouse=True)
def ready_gate(monkeypatch):
    stub_preflight(monkeypatch, "ready")


@pytest.fixture(scope="module")
def rows_path(tmp_path_factory):
    d = tmp_path_factory.mktemp("lora")
    return write_rows(d / "train.jsonl", chat_rows(0))


@pytest.mark.parametrize("build", [picochat_model, llama_model], ids=["picochat", "llama"])
def test_lora_trains_only_adapters_and_merges(rows_path, tmp_path, build):
    base_dir = save_model_dir(build(), tmp_path / "base")
    config = parse_config(PicochatSFTConfig, ["--input", str(rows_path), "--checkpoint", str(base_dir), "--output_dir", str(tmp_path / "o"),
                                              "--max_length", "128", "--per_device_train_batch_size", "2", "--max_steps", "3",
                                              "--learning_rate", "1e-2", "--device_kind", "cpu", "--peft", "lora", "--lora_rank", "4",
                                              "--lora_alpha", "8", "--lr_decay", "none"])
    trainer, _ = build_sft_trainer(config)
    model = trainer.model
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable and all("lora_" in n for n in trainable)
    trainer.train()
    changed = {n for n, p in model.named_parameters() if not torch.equal(p.detach(), before[n])}
    assert changed and changed <= trainable  # base weights untouched
    assert any("lora_B" in n for n in changed)
    from picochat_hf.training.common import save_final_model

    save_final_model(trainer, tmp_path / "merged")
    merged = AutoModelForCausalLM.from_pretrained(tmp_path / "merged")
    assert not any("lora" in n for n, _ in merged.named_parameters())  # a plain model, adapters folded in
    ids = torch.tensor([[trainer.processing_class.bos_token_id, 5, 6, 7, 8]])
    original = AutoModelForCausalLM.from_pretrained(base_dir)
    with torch.no_grad():
        assert not torch.allclose(merged(ids).logits, original(ids).logits)
        assert torch.allclose(merged(ids).logits, model(input_ids=ids).logits, atol=1e-4)


def test_dpo_moves_the_reward_margin(tmp_path):
    base_dir = save_model_dir(picochat_model(), tmp_path / "policy")
    prefs = [{"prompt": f"What is {a} plus {a}?", "chosen": f"{2 * a}.", "rejected": "I like turtles."} for a in range(1, 13)]
    path = tmp_path / "prefs.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in prefs))
    out = run_dpo(parse_config(PicochatDPOConfig, ["--input", str(path), "--checkpoint", str(base_dir), "--output_dir", str(tmp_path / "dpo"),
                                                   "--max_steps", "6", "--per_device_train_batch_size", "4", "--learning_rate", "3e-3",
                                                   "--device_kind", "cpu", "--max_length", "64", "--beta", "0.1"]))
    report = json.loads((out / "train_report.json").read_text())
    assert report["rewards_before"]["margin"] == pytest.approx(0.0, abs=1e-6)  # policy == reference at the start
    assert report["rewards_after"]["margin"] > 0.05
    assert report["rewards_after"]["accuracy"] > 0.5
    assert (out / "checkpoint" / "config.json").exists()
    from picochat_hf.utils.provenance import weights_sha256  # the release gate ties a DPO checkpoint to its SFT input by these
    assert report["inputs"]["init_weights_sha256"] == weights_sha256(base_dir) == report["inputs"]["reference_weights_sha256"]
    assert report["outputs"]["checkpoint_weights_sha256"] == weights_sha256(out / "checkpoint")


def test_preference_rows_are_validated(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"user": "hi", "chosen": "a", "rejected": "b"}) + "\n" + json.dumps({"prompt": "hi", "chosen": "a"}) + "\n")
    with pytest.raises(PicochatInputError) as err:
        read_preference_rows(path)
    assert err.value.line == 2 and err.value.field == "rejected"
