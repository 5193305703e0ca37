"""A left-padded row's logits do not depend on where its positions start after the pads.

RoPE encodes only the distance between a query and a key (QK norm after it keeps vector lengths), and the pads are
masked out, so the real tokens at [0, 1, 2] (generate's layout, pads at 0 or 1), at [1, 2, 3] (the first real
token at 1), at their columns [2, 3, 4] (no position_ids) or at [7, 8, 9] give the unpadded row's logits, as in
transformers' Llama, which takes every such layout too. The smear mixes nothing into the first real token either
way (nothing before it is kept). Decided: accepted, not refused; what must hold is that the logits are equal, also
for a cached step whose position follows the prefill's last real one. (The "dynamic" and "longrope" RoPE types read
the largest position, so there a shift past the original length changes the tables, as in Llama.)"""

from __future__ import annotations

import pytest
import torch
from transformers import DynamicCache

from helpers_model import tiny_model

PADDED = torch.tensor([[2, 2, 5, 6, 7], [9, 10, 11, 12, 13]])
MASK = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
LAYOUTS = {
    "generate's (pads at 1)": [1, 1, 0, 1, 2],
    "pads at 0, real from 0": [0, 0, 0, 1, 2],
    "first real token at 1": [0, 0, 1, 2, 3],
    "the columns": [0, 1, 2, 3, 4],
    "shifted to 7": [0, 0, 7, 8, 9],
    "not given": None,
}


def _positions(layout):
    return None if layout is None else torch.tensor([layout, [0, 1, 2, 3, 4]])


@pytest.mark.parametrize("attn", ["eager", "sdpa"])
@pytest.mark.parametrize("smear", [False, True])
@pytest.mark.parametrize("layout", list(LAYOUTS.values()), ids=list(LAYOUTS))
def test_every_start_after_the_pads_gives_the_unpadded_logits(attn, smear, layout):
    model = tiny_model(seed=91, attn=attn, smear=smear)
    with torch.no_grad():
        padded = model(PADDED, attention_mask=MASK, position_ids=_positions(layout)).logits
        alone = model(PADDED[:1, 2:]).logits
        full_row = model(PADDED[1:]).logits
    torch.testing.assert_close(padded[0, 2:], alone[0], rtol=0, atol=1e-5)
    torch.testing.assert_close(padded[1], full_row[0], rtol=0, atol=1e-5)


@pytest.mark.parametrize("smear", [False, True])
@pytest.mark.parametrize("layout", [v for v in LAYOUTS.values() if v is not None],
                         ids=[k for k, v in LAYOUTS.items() if v is not None])
def test_a_cached_step_after_the_last_real_position_gives_the_unpadded_logits(smear, layout):
    model = tiny_model(seed=92, smear=smear)
    new = torch.tensor([[8], [14]])
    mask = torch.cat([MASK, torch.ones(2, 1, dtype=MASK.dtype)], dim=1)
    with torch.no_grad():
        cache = DynamicCache(config=model.config)
        model(PADDED, attention_mask=MASK, position_ids=_positions(layout), cache=cache)
        step = model(new, attention_mask=mask, position_ids=torch.tensor([[layout[-1] + 1], [5]]), cache=cache,
                     smear_prev_ids=torch.tensor([7, 13]) if smear else None).logits
        alone = model(torch.tensor([[5, 6, 7, 8]])).logits
        full_row = model(torch.cat([PADDED[1:], new[1:]], dim=1)).logits
    torch.testing.assert_close(step[0, -1], alone[0, -1], rtol=0, atol=1e-5)
    torch.testing.assert_close(step[1, -1], full_row[0, -1], rtol=0, atol=1e-5)


def test_a_cached_step_that_skips_a_position_is_another_sequence():
    """The other side: a step at the last real position + 2 is a sequence with a gap, and its logits differ (so the
    equalities above are not trivially true of any position)."""
    model = tiny_model(seed=92)
    mask = torch.cat([MASK, torch.ones(2, 1, dtype=MASK.dtype)], dim=1)
    with torch.no_grad():
        cache = DynamicCache(config=model.config)
        model(PADDED, attention_mask=MASK, position_ids=_positions([1, 1, 0, 1, 2]), cache=cache)
        step = model(torch.tensor([[8], [14]]), attention_mask=mask, position_ids=torch.tensor([[4], [5]]), cache=cache).logits
        alone = model(torch.tensor([[5, 6, 7, 8]])).logits
    assert (step[0, -1] - alone[0, -1]).abs().max() > 1e-3
