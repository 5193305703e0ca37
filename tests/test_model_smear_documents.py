"""The smear starts a document where attention does. Without an attention_mask and without a cached past,
transformers' `create_causal_mask` starts a new document wherever a position id is not the previous one + 1 (a
restart at 0, or a jump such as [0, 1, 2, 5, 6, 7]); the smear started one only at position 0, so a document packed
after a jump got the previous document's last token mixed into its first (logits off by 0.76), while attention kept
them apart. Inside a document, after a past, and under a padding mask (holes keep their arange positions) the smear
reads as before."""

from __future__ import annotations

import pytest
import torch
from helpers_model import tiny_model


def smear_model(seed: int = 80):
    model = tiny_model(seed=seed, smear=True, smear_channels=8)
    with torch.no_grad():
        model.model.smear.smear_lambda.fill_(0.7)
    return model


def _ids(length: int = 7) -> torch.Tensor:
    return torch.randint(3, 97, (1, length), generator=torch.Generator().manual_seed(80))


@pytest.mark.parametrize("positions", [[0, 1, 2, 5, 6, 7, 8], [3, 4, 5, 9, 10, 11, 12], [0, 1, 2, 4, 5, 6, 7]],
                         ids=["jump to 5", "fragments", "jump of 2"])
def test_a_document_after_a_position_jump_gets_nothing_smeared_in_from_the_one_before(positions):
    model = smear_model()
    ids, pos = _ids(), torch.tensor([positions])
    with torch.no_grad():
        packed = model(ids, position_ids=pos).logits
        first = model(ids[:, :3], position_ids=pos[:, :3]).logits
        second = model(ids[:, 3:], position_ids=pos[:, 3:]).logits
    torch.testing.assert_close(packed[:, :3], first, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(packed[:, 3:], second, rtol=1e-5, atol=1e-5)


def test_a_document_at_an_offset_still_smears_inside_itself():
    model = smear_model()
    ids = _ids(5)
    with torch.no_grad():
        offset = model(ids, position_ids=torch.arange(5, 10)[None]).logits
        from_zero = model(ids).logits
        model.model.smear.smear_lambda.zero_()
        unsmeared = model(ids).logits
    torch.testing.assert_close(offset, from_zero, rtol=1e-5, atol=1e-5)
    assert (offset[:, 1:] - unsmeared[:, 1:]).abs().max() > 1e-2  # the smear is on: the comparison can fail


def test_a_hole_under_a_mask_with_arange_positions_smears_the_token_before_the_hole():
    """A 2-D mask makes the row one sequence for attention, whatever its positions: the smear reads it the same way."""
    model = smear_model()
    ids = _ids(5)
    mask = torch.tensor([[1, 1, 0, 1, 1]])
    with torch.no_grad():
        holed = model(ids, attention_mask=mask, position_ids=torch.arange(5)[None]).logits
        model.model.smear.smear_lambda.zero_()
        unsmeared = model(ids, attention_mask=mask, position_ids=torch.arange(5)[None]).logits
    assert (holed[0, 3] - unsmeared[0, 3]).abs().max() > 1e-2
