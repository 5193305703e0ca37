"""The smear's scalars at their own learning rate (nanochat trains them at 0.2), the transformers way: the model
exposes optimizer groups, which Trainer takes through `optimizer_cls_and_kwargs`. Defaults are unchanged."""

from __future__ import annotations

import pytest
import torch
from datasets import Dataset
from transformers import Trainer, TrainingArguments

from helpers_model import tiny_model

IDS = torch.tensor([[0, 5, 17, 33, 8, 9], [0, 40, 41, 3, 12, 13]])


def smear_model():
    return tiny_model(seed=7, smear=True, smear_channels=8).train()


def test_without_smear_lr_every_parameter_is_in_one_group_at_the_optimizers_rate():
    model = smear_model()
    groups = model.optimizer_param_groups(weight_decay=0.1)
    assert len(groups) == 1 and "lr" not in groups[0] and groups[0]["weight_decay"] == 0.1
    assert {id(p) for p in groups[0]["params"]} == {id(p) for p in model.parameters()}


def test_smear_lr_puts_the_smears_scalars_in_their_own_group_without_decay():
    model = smear_model()
    groups = model.optimizer_param_groups(weight_decay=0.1, smear_lr=0.2)
    smear = {id(model.model.smear.smear_lambda), id(model.model.smear.gate.weight)}
    assert [g.get("lr") for g in groups] == [None, 0.2]
    assert {id(p) for p in groups[1]["params"]} == smear and groups[1]["weight_decay"] == 0.0
    assert not smear & {id(p) for p in groups[0]["params"]}
    assert sum(len(g["params"]) for g in groups) == len(list(model.parameters()))


def test_frozen_parameters_are_left_out():
    model = smear_model()
    model.model.embed_tokens.weight.requires_grad_(False)
    groups = model.optimizer_param_groups(smear_lr=0.2)
    assert all(p is not model.model.embed_tokens.weight for g in groups for p in g["params"])


@pytest.mark.parametrize("bad", [0, -0.1, float("inf"), float("nan"), True, "0.2"])
def test_a_bad_smear_lr_is_refused(bad):
    with pytest.raises(ValueError, match="smear_lr must be a finite number > 0"):
        smear_model().optimizer_param_groups(smear_lr=bad)


def test_smear_lr_on_a_model_without_smear_is_refused():
    with pytest.raises(ValueError, match="config.smear is false"):
        tiny_model(seed=7).optimizer_param_groups(smear_lr=0.2)


def test_trainer_steps_the_smear_at_its_own_rate_and_the_rest_at_the_base_rate(tmp_path):
    """Adam's first step moves each parameter by about its learning rate: 0.2 for the smear, 1e-4 elsewhere."""
    model = smear_model()
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    args = TrainingArguments(output_dir=str(tmp_path), per_device_train_batch_size=2, max_steps=1, learning_rate=1e-4,
                             lr_scheduler_type="constant", report_to=[], use_cpu=True, save_strategy="no",
                             dataloader_num_workers=0, max_grad_norm=0.0)
    groups = model.optimizer_param_groups(args.weight_decay, smear_lr=0.2)
    rows = [{"input_ids": r.tolist(), "labels": r.tolist()} for r in IDS]
    trainer = Trainer(model=model, args=args, train_dataset=Dataset.from_list(rows),
                      optimizer_cls_and_kwargs=(torch.optim.AdamW, {"params": groups, "lr": args.learning_rate}))
    trainer.train()
    moved = {n: (p.detach() - before[n]).abs().max().item() for n, p in model.named_parameters()}
    assert moved["model.smear.smear_lambda"] == pytest.approx(0.2, rel=0.05)
    assert 0.05 < moved["model.smear.gate.weight"] <= 0.2 * 1.05
    others = [v for n, v in moved.items() if ".smear." not in n]
    assert max(others) <= 1e-4 * 1.05 and max(others) > 0


def test_the_default_trainer_steps_the_smear_at_the_base_rate(tmp_path):
    model = smear_model()
    before = model.model.smear.smear_lambda.detach().clone()
    args = TrainingArguments(output_dir=str(tmp_path), per_device_train_batch_size=2, max_steps=1, learning_rate=1e-4,
                             lr_scheduler_type="constant", report_to=[], use_cpu=True, save_strategy="no",
                             dataloader_num_workers=0, max_grad_norm=0.0)
    rows = [{"input_ids": r.tolist(), "labels": r.tolist()} for r in IDS]
    Trainer(model=model, args=args, train_dataset=Dataset.from_list(rows)).train()
    assert (model.model.smear.smear_lambda.detach() - before).abs().item() <= 1e-4 * 1.05
