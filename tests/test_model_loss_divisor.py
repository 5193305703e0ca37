"""`num_items_in_batch` is a count of supervised tokens: a negative, non-finite, boolean or non-scalar one is refused
naming the argument. A negative count used to become 1 (the loss was then the plain sum, a plausible number), where
transformers' Llama divides by it and reports a negative loss; NaN gave a loss of 0. Honest counts (Python, numpy
and tensor numbers) give Llama's loss on the same logits."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from helpers_model import tiny_model

IDS = torch.tensor([[0, 5, 17, 33, 8, 9], [0, 40, 41, 3, 12, 13]])

BAD = {
    "int -4": -4,
    "tensor -4": torch.tensor(-4),
    "float nan": float("nan"),
    "float inf": float("inf"),
    "tensor inf": torch.tensor(float("inf")),
    "True": True,
    "string": "8",
    "per-row tensor": torch.tensor([4, 5]),
}


@pytest.fixture(scope="module")
def model():
    return tiny_model(seed=71)


@pytest.mark.parametrize("name", list(BAD))
def test_a_count_that_is_no_count_is_refused_naming_num_items_in_batch(model, name):
    with torch.no_grad(), pytest.raises(ValueError, match="num_items_in_batch must be"):
        model(IDS, labels=IDS, num_items_in_batch=BAD[name])


@pytest.mark.parametrize("count", [4, 4.0, np.int64(4), torch.tensor(4), torch.tensor(4.0), torch.tensor([4])],
                         ids=["int", "float", "numpy", "tensor", "float tensor", "one-element tensor"])
def test_an_honest_count_gives_llamas_loss(model, count):
    llama = LlamaForCausalLM(LlamaConfig(vocab_size=97, hidden_size=8, intermediate_size=16, num_hidden_layers=1,
                                         num_attention_heads=2))
    with torch.no_grad():
        out = model(IDS, labels=IDS, num_items_in_batch=count)
        reference = llama.loss_function(out.logits, IDS, 97, num_items_in_batch=torch.tensor(4))
    torch.testing.assert_close(out.loss, reference)
