"""Labels of another shape and position ids that are not integers are refused naming the argument."""

from __future__ import annotations

import pytest
import torch
from helpers_model import tiny_model


@pytest.fixture(scope="module")
def model():
    return tiny_model()


@pytest.mark.parametrize("shape", [(2, 5), (1, 6), (2, 7), (12,), (2, 6, 1)])
def test_labels_of_another_shape_are_refused(model, shape):
    """A (2, 5) label tensor for (2, 6) inputs failed inside cross_entropy as "Expected input batch_size (12) to match
    target batch_size (10)", naming neither argument; a (1, 6) one could broadcast against another row's logits."""
    ids = torch.randint(3, 97, (2, 6))
    with pytest.raises(ValueError, match=r"labels must have shape \(2, 6\)"):
        model(input_ids=ids, labels=torch.randint(3, 97, shape))


def test_labels_of_the_inputs_shape_give_the_loss(model):
    ids = torch.randint(3, 97, (2, 6))
    out = model(input_ids=ids, labels=ids)
    assert out.loss is not None and torch.isfinite(out.loss)
    embeds = model.get_input_embeddings()(ids)
    assert torch.allclose(model(inputs_embeds=embeds, labels=ids).loss, out.loss)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.bool])
def test_position_ids_that_are_not_integers_are_refused(model, dtype):
    """Float positions (0.5, 1.5, ...) rotated queries and keys by fractional angles: logits of no real sequence."""
    ids = torch.randint(3, 97, (1, 6))
    with pytest.raises(ValueError, match="position_ids must hold integer positions"):
        model(input_ids=ids, position_ids=(torch.arange(6) + 0.5).to(dtype)[None])


def test_integer_position_ids_of_any_width_are_read(model):
    ids = torch.randint(3, 97, (1, 6))
    want = model(input_ids=ids).logits
    for dtype in (torch.int32, torch.int64):
        assert torch.allclose(model(input_ids=ids, position_ids=torch.arange(6, dtype=dtype)[None]).logits, want, atol=1e-6)
