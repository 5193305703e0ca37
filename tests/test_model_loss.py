"""The causal-LM loss when labels are masked: a batch with no supervised token has a loss of 0, not NaN.

Such batches are ordinary in SFT (a prompt longer than max_length, a packed row of prompts only); before, the loss
was 0/0 (as in transformers' Llama) and one optimizer step through it made every weight NaN.
"""

from __future__ import annotations

import pytest
import torch
from datasets import Dataset
from transformers import LlamaConfig, LlamaForCausalLM, Trainer, TrainingArguments

from helpers_model import tiny_model

IDS = torch.tensor([[0, 5, 17, 33, 8, 9], [0, 40, 41, 3, 12, 13]])
MASKED = torch.full_like(IDS, -100)
# only the first label is kept: the loss shifts labels, so it predicts nothing either
FIRST_ONLY = MASKED.clone().index_fill_(1, torch.tensor([0]), 5)


@pytest.mark.parametrize("labels", [MASKED, FIRST_ONLY], ids=["all_masked", "only_first_label"])
@pytest.mark.parametrize("num_items", [None, 0, torch.tensor(0)], ids=["mean", "int_0", "tensor_0"])
def test_a_batch_without_a_supervised_token_has_loss_zero_and_zero_gradients(labels, num_items):
    model = tiny_model(seed=3).train()
    kw = {} if num_items is None else {"num_items_in_batch": num_items}
    loss = model(IDS, labels=labels, **kw).loss
    loss.backward()
    assert loss.item() == 0.0
    for name, p in model.named_parameters():
        assert p.grad is not None and torch.equal(p.grad, torch.zeros_like(p.grad)), name


def test_one_supervised_token_gives_its_own_loss_not_zero():
    model = tiny_model(seed=3)
    labels = MASKED.clone()
    labels[1, 4] = 12
    with torch.no_grad():
        loss = model(IDS, labels=labels).loss
        logits = model(IDS).logits
    expected = torch.nn.functional.cross_entropy(logits[1, 3][None].float(), torch.tensor([12]))
    torch.testing.assert_close(loss, expected)
    assert loss.item() > 0


def test_the_loss_of_a_normal_batch_equals_llamas_on_the_same_logits():
    """The divisor is the count of supervised tokens, so the loss stays the mean transformers computes."""
    model = tiny_model(seed=3)
    labels = IDS.clone()
    labels[0, :3] = -100
    llama = LlamaForCausalLM(LlamaConfig(vocab_size=97, hidden_size=8, intermediate_size=16, num_hidden_layers=1,
                                         num_attention_heads=2))
    with torch.no_grad():
        out = model(IDS, labels=labels)
        reference = llama.loss_function(out.logits, labels, 97)
        summed = model(IDS, labels=labels, num_items_in_batch=torch.tensor(4)).loss
        reference_summed = llama.loss_function(out.logits, labels, 97, num_items_in_batch=torch.tensor(4))
    torch.testing.assert_close(out.loss, reference)
    torch.testing.assert_close(summed, reference_summed)
    assert not torch.allclose(out.loss, summed)  # 9 supervised tokens, divided by 4: a different number


def test_a_shift_labels_batch_counts_its_own_targets():
    model = tiny_model(seed=3)
    shift = IDS.roll(-1, dims=1)
    shift[:, -1] = -100
    with torch.no_grad():
        by_labels = model(IDS, labels=IDS).loss
        by_shift = model(IDS, labels=IDS, shift_labels=shift).loss
        masked = model(IDS, labels=IDS, shift_labels=torch.full_like(IDS, -100)).loss
    torch.testing.assert_close(by_shift, by_labels)
    assert masked.item() == 0.0


def test_an_optimizer_loop_trains_through_a_fully_masked_batch_without_nan_weights():
    model = tiny_model(seed=4).train()
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    for labels in (MASKED, IDS):  # a masked batch, then a supervised one
        model(IDS, labels=labels).loss.backward()
        opt.step()
        opt.zero_grad()
    for name, p in model.named_parameters():
        assert torch.isfinite(p).all(), name
    assert any(not torch.equal(before[n], p) for n, p in model.named_parameters())  # the second step trained


@pytest.mark.parametrize("labels", [MASKED, IDS, FIRST_ONLY], ids=["all_masked", "all_supervised", "only_first"])
def test_the_loss_is_trls_fused_sft_loss_summed_nll_over_at_least_one_token(labels):
    """TRL's SFTTrainer (the fused head the project trains with) divides the summed NLL by the target count clamped
    to 1; the model's own loss (the dense path, plain loops) now gives the same number, zero for no target."""
    model = tiny_model(seed=4)
    with torch.no_grad():
        out = model(IDS, labels=labels)
        targets = labels[:, 1:]
        logp = out.logits[:, :-1].float().log_softmax(-1)
        nll = -logp.gather(-1, targets.clamp(min=0)[..., None])[..., 0] * (targets != -100)
        expected = nll.sum() / (targets != -100).sum().clamp(min=1)
    torch.testing.assert_close(out.loss, expected)


def test_the_trainer_trains_through_a_fully_masked_batch_with_finite_weights_and_logs(tmp_path):
    model = tiny_model(seed=4).train()
    rows = [{"input_ids": IDS[0].tolist(), "labels": [-100] * 6}, {"input_ids": IDS[1].tolist(), "labels": IDS[1].tolist()}]
    args = TrainingArguments(output_dir=str(tmp_path), per_device_train_batch_size=1, max_steps=2, learning_rate=1e-2,
                             report_to=[], use_cpu=True, save_strategy="no", logging_steps=1, seed=0,
                             dataloader_num_workers=0, logging_nan_inf_filter=False)
    trainer = Trainer(model=model, args=args, train_dataset=Dataset.from_list(rows))
    trainer.train()
    losses = sorted(log["loss"] for log in trainer.state.log_history if "loss" in log)
    assert losses[0] == 0.0 and losses[1] > 0  # unfiltered: the masked step's loss is 0, not NaN
    for name, p in model.named_parameters():
        assert torch.isfinite(p).all(), name
