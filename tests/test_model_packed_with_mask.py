"""Packed documents are kept apart by their position ids only without an attention_mask and without a cached past
(transformers' `create_causal_mask` looks for them only then). With a 2-D mask, or after a cached past, a row whose
kept tokens' positions restart or repeat was one causal sequence: each document attended to the ones packed before
it (logits off by 2.0), silently, as in Llama. Such rows are refused naming position_ids; a mask with left padding,
holes or positions counted from arange, and packed rows without a mask, still run and give the expected logits."""

from __future__ import annotations

import pytest
import torch
from helpers_model import tiny_model
from transformers import DynamicCache

PACKED = torch.tensor([[0, 1, 2, 3, 0, 1, 2, 3]])


@pytest.fixture(scope="module", params=["sdpa", "eager"])
def model(request):
    return tiny_model(seed=72, attn=request.param)


def _ids(batch: int = 1, length: int = 8) -> torch.Tensor:
    return torch.randint(3, 97, (batch, length), generator=torch.Generator().manual_seed(72))


@pytest.mark.parametrize("positions,mask,where", [
    ([[0, 1, 2, 3, 0, 1, 2, 3]], [[1] * 8], r"position_ids\[0, 4\] = 0"),
    ([[0, 1, 2, 3, 3, 4, 5, 6]], [[1] * 8], r"position_ids\[0, 4\] = 3"),
    ([[0, 0, 0, 1, 2, 0, 1, 2]], [[0, 0, 1, 1, 1, 1, 1, 1]], r"position_ids\[0, 5\] = 0"),
    ([[0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 0, 1, 2, 3, 4]], [[1] * 8, [1] * 8], r"position_ids\[1, 3\] = 0"),
], ids=["ones mask", "a repeated position", "left padded then packed", "second row packed"])
def test_packed_positions_with_a_2d_mask_are_refused_naming_position_ids(model, positions, mask, where):
    pos, mask = torch.tensor(positions), torch.tensor(mask)
    with torch.no_grad(), pytest.raises(ValueError, match=where + r" does not follow"):
        model(_ids(pos.shape[0]), attention_mask=mask, position_ids=pos)


def test_packed_positions_after_a_cached_past_are_refused(model):
    ids = _ids()
    cache = DynamicCache(config=model.config)
    with torch.no_grad():
        model(ids[:, :2], cache=cache)
        with pytest.raises(ValueError, match=r"position_ids\[0, 2\] = 0 does not follow"):
            model(ids[:, 2:], position_ids=torch.tensor([[2, 3, 0, 1, 2, 3]]), cache=cache)


def test_packed_rows_without_a_mask_or_a_past_keep_their_documents_apart(model):
    ids = _ids()
    with torch.no_grad():
        packed = model(ids, position_ids=PACKED).logits
        alone = model(ids[:, 4:]).logits
        cache = DynamicCache(config=model.config)  # an empty cache is no past
        with_empty_cache = model(ids, position_ids=PACKED, cache=cache).logits
    torch.testing.assert_close(packed[:, 4:], alone, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(with_empty_cache, packed, rtol=1e-5, atol=1e-5)


def test_masks_with_padding_holes_and_arange_positions_still_run(model):
    ids = _ids(2, 6)
    mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 0, 1, 1, 1]])
    from_mask = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 0)
    with torch.no_grad():
        a = model(ids, attention_mask=mask, position_ids=from_mask).logits
        b = model(ids, attention_mask=mask, position_ids=torch.arange(6)[None]).logits  # a hole keeps its position
        alone = model(ids[:1, 2:]).logits
        pads_at_one = from_mask.masked_fill(mask == 0, 1)  # transformers' older convention for pads
        c = model(ids, attention_mask=mask, position_ids=pads_at_one).logits
    torch.testing.assert_close(a[0, 2:], alone[0], rtol=1e-5, atol=1e-5)
    kept = mask.bool()  # a pad's own logits follow its position; the kept tokens' do not
    torch.testing.assert_close(c[kept], a[kept], rtol=1e-5, atol=1e-5)
    assert torch.isfinite(b).all()


def test_a_right_padded_row_continued_after_its_pads_as_generate_does_still_runs(model):
    """transformers' generate gives the token after a row's right padding the pads' position + 1 (its warned case):
    kept tokens on either side of the pads, not next to each other, so not read as a restart."""
    ids = _ids(1, 6)
    mask = torch.tensor([[1, 1, 1, 0, 0, 1]])
    with torch.no_grad():
        out = model(ids, attention_mask=mask, position_ids=torch.tensor([[0, 1, 2, 0, 0, 1]])).logits
    assert torch.isfinite(out).all()


def test_cached_steps_after_a_past_with_following_positions_give_the_full_forward(model):
    ids = _ids()
    mask = torch.ones(1, 8, dtype=torch.long)
    with torch.no_grad():
        want = model(ids).logits[:, 5:]
        cache = DynamicCache(config=model.config)
        model(ids[:, :5], cache=cache)
        got = model(ids[:, 5:], attention_mask=mask, position_ids=torch.tensor([[5, 6, 7]]), cache=cache).logits
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)


# Padding between packed documents: the documents' kept tokens are not next to each other, so the restart used to be
# read across the pads as generate's right-padded continuation and each document attended to the ones before it.
@pytest.mark.parametrize("positions,mask,where", [
    ([[0, 1, 2, 0, 0, 1, 2, 3]], [[1, 1, 1, 0, 1, 1, 1, 1]], r"position_ids\[0, 4\] = 0 does not follow position_ids\[0, 2\]"),
    ([[0, 1, 2, 0, 0, 0, 1, 2]], [[1, 1, 1, 0, 0, 1, 1, 1]], r"position_ids\[0, 5\] = 0 does not follow position_ids\[0, 2\]"),
    ([[0, 1, 2, 3, 4, 0, 1, 0]], [[1, 1, 1, 1, 0, 1, 1, 0]], r"position_ids\[0, 5\] = 0 does not follow position_ids\[0, 3\]"),
    ([[0, 0, 1, 2, 5, 0, 1, 2]], [[0, 1, 1, 1, 0, 1, 1, 1]], r"position_ids\[0, 5\] = 0 does not follow"),
    ([[0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 0, 0, 1, 2, 3]], [[1] * 8, [1, 1, 1, 0, 1, 1, 1, 1]], r"position_ids\[1, 4\]"),
], ids=["one pad between", "two pads between", "pad counted on, then right padding", "pad keeps a later position", "second row"])
def test_packed_documents_with_padding_between_them_are_refused(model, positions, mask, where):
    pos, mask = torch.tensor(positions), torch.tensor(mask)
    with torch.no_grad(), pytest.raises(ValueError, match=where + r".*masked columns"):
        model(_ids(pos.shape[0]), attention_mask=mask, position_ids=pos)


@pytest.mark.parametrize("smear", [False, True])
@pytest.mark.parametrize("side", ["left", "right"])
def test_padded_rows_with_generate_positions_give_the_unpadded_logits(model, side, smear):
    """The layouts a 2-D mask is for: one document per row, padded on either side, positions from the mask as generate
    and the collators make them (pads at 0); each row's kept logits equal the row alone."""
    if smear:
        model = tiny_model(seed=73, attn=model.config._attn_implementation, smear=True, smear_channels=8)
    ids = _ids(2, 6)
    lengths = (6, 4)
    mask = torch.zeros(2, 6, dtype=torch.long)
    for row, n in enumerate(lengths):
        mask[row, 6 - n:] = 1 if side == "left" else 0
        mask[row, :n] = 1 if side == "right" else mask[row, :n]
    positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 0)
    with torch.no_grad():
        both = model(ids, attention_mask=mask, position_ids=positions).logits
        without_positions = model(ids, attention_mask=mask).logits if side == "right" else both
        for row, n in enumerate(lengths):
            cols = slice(6 - n, 6) if side == "left" else slice(0, n)
            alone = model(ids[row:row + 1, cols]).logits[0]
            torch.testing.assert_close(both[row, cols], alone, rtol=1e-5, atol=1e-5)
            torch.testing.assert_close(without_positions[row, cols], alone, rtol=1e-5, atol=1e-5)


def test_a_right_padded_row_continued_after_its_pads_is_not_read_as_a_new_document(model):
    """generate's uncached steps on a right-padded row: the tokens after the pads continue from the last pad's
    position (0, or 1 in transformers' older convention); the row is one sequence, as in generate's cached steps."""
    ids = _ids(1, 8)
    mask = torch.tensor([[1, 1, 1, 0, 0, 1, 1, 1]])
    with torch.no_grad():
        for pad in (0, 1):
            pos = torch.tensor([[0, 1, 2, pad, pad, pad + 1, pad + 2, pad + 3]])
            assert torch.isfinite(model(ids, attention_mask=mask, position_ids=pos).logits).all()
