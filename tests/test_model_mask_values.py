"""A 2-D attention mask holds 1 (attend) and 0 (padding), in any dtype. Any other value was read as "attend"
(nonzero), as Llama reads it: an integer mask with -1 or 2 for padding attended the padding, silently. transformers'
own 2-D masks are 0/1 (generate extends them with ones), so another value is refused naming the argument."""

from __future__ import annotations

import pytest
import torch

from helpers_model import tiny_model

IDS = torch.tensor([[2, 2, 5, 6], [0, 5, 6, 7]])


@pytest.fixture(scope="module")
def model1():
    return tiny_model(seed=1).eval()


@pytest.mark.parametrize("padding,dtype", [(-1, torch.int64), (-1, torch.int32), (2, torch.int64), (255, torch.uint8),
                                           (0.5, torch.float32), (2.0, torch.float32), (-1, torch.int8)], ids=str)
def test_a_mask_value_other_than_0_and_1_is_refused_naming_the_argument(model1, padding, dtype):
    mask = torch.tensor([[padding, padding, 1, 1], [1, 1, 1, 1]]).to(dtype)
    with pytest.raises(ValueError, match=r"attention_mask\[0, 0\] = .* a 2-D mask is 1 for a token to attend and 0"):
        model1(IDS, attention_mask=mask)
    with pytest.raises(ValueError, match=r"attention_mask\[0, 0\]"):
        model1.generate(IDS, attention_mask=mask, max_new_tokens=1, do_sample=False, pad_token_id=2)


def test_a_value_other_than_0_and_1_on_an_attended_token_is_refused_too(model1):
    mask = torch.tensor([[0, 0, 1, 1], [1, 1, 3, 1]])
    with pytest.raises(ValueError, match=r"attention_mask\[1, 2\] = 3"):
        model1(IDS, attention_mask=mask)


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.int8, torch.uint8, torch.bool, torch.float32,
                                   torch.bfloat16], ids=str)
def test_a_0_1_mask_of_any_dtype_gives_the_integer_masks_logits(model1, dtype):
    mask = torch.tensor([[0, 0, 1, 1], [1, 1, 1, 1]])
    with torch.no_grad():
        want = model1(IDS, attention_mask=mask).logits
        torch.testing.assert_close(model1(IDS, attention_mask=mask.to(dtype)).logits, want)
        out = model1.generate(IDS, attention_mask=mask.to(dtype), max_new_tokens=2, do_sample=False, pad_token_id=2)
    assert out.shape == (2, 6)


def test_an_additive_mask_is_still_named_as_what_it_is(model1):
    additive = torch.tensor([[float("-inf"), float("-inf"), 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="attention_mask holds negative values, the additive form"):
        model1(IDS, attention_mask=additive)


def _keep_4d() -> torch.Tensor:
    """The 4-D keep mask of IDS[:1] with its first two tokens padding (each pad attends itself, as transformers does)."""
    causal = torch.tril(torch.ones(4, 4, dtype=torch.bool))
    keep = (causal & torch.tensor([[False, False, True, True]])[:, None, :])[:, None].clone()
    keep[0, 0, 0, 0] = keep[0, 0, 1, 1] = True
    return keep


def test_a_4d_float_keep_mask_is_refused_not_added_to_the_scores(model1):
    """1.0 where a token attends and 0.0 where it does not, added to the scores as an additive mask, let every token
    attend its padding: the logits differed from the 2-D mask's by 2.6 with no error."""
    with pytest.raises(ValueError, match=r"4-D attention_mask\[0, 0, 0, 0\] = 1.0: a 4-D float mask is additive"):
        model1(IDS[:1], attention_mask=_keep_4d().float())
    with pytest.raises(ValueError, match="must be bool .* got torch.int64"):
        model1(IDS[:1], attention_mask=_keep_4d().long())


def test_4d_bool_and_additive_masks_give_the_2d_masks_logits(model1):
    with torch.no_grad():
        want = model1(IDS[:1], attention_mask=torch.tensor([[0, 0, 1, 1]])).logits[0, 2:]
        for mask in (_keep_4d(), torch.where(_keep_4d(), 0.0, float("-inf")), torch.where(_keep_4d(), 0.0, -1e9)):
            torch.testing.assert_close(model1(IDS[:1], attention_mask=mask).logits[0, 2:], want)
