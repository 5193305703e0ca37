"""Position ids given to the forward are counts from 0: a negative one is refused naming position_ids; positions past
max_position_embeddings are read as Llama and transformers' NanoChat read them (RoPE extrapolates, and the RoPE
scaling types exist to go there)."""

from __future__ import annotations

import pytest
import torch
from helpers_model import tiny_model
from transformers import DynamicCache

NEGATIVE = {
    "row shifted below 0": [[-3, -2, -1, 0, 1, 2], [0, 1, 2, 3, 4, 5]],
    "pads at -1 (cumsum - 1 without masked_fill)": [[-1, -1, 0, 1, 2, 3], [0, 1, 2, 3, 4, 5]],
    "one -1 in the second row": [[0, 1, 2, 3, 4, 5], [0, 1, 2, -1, 4, 5]],
    "most negative int64": [[0, 1, 2, 3, 4, -(2**63)], [0, 1, 2, 3, 4, 5]],
}


def _nanochat_twin(model):
    from transformers import NanoChatForCausalLM

    from picochat_hf.export.native import nanochat_config_from

    native = NanoChatForCausalLM(nanochat_config_from(model.config)).eval()
    native.load_state_dict(model.state_dict())
    native.config._attn_implementation = model.config._attn_implementation
    return native


@pytest.mark.parametrize("smear", [False, True])
@pytest.mark.parametrize("positions", list(NEGATIVE.values()), ids=list(NEGATIVE))
def test_a_negative_position_id_is_refused_naming_the_argument_and_the_place(positions, smear):
    """RoPE rotated a token at -1 as at distance one before position 0, and the smear treated every position below 1
    as a document start: logits of no sequence, silently (Llama too). No transformers code makes such ids: generate
    gives left pads position 0."""
    model = tiny_model(seed=60, smear=smear, smear_channels=8)
    ids = torch.randint(3, 97, (2, 6), generator=torch.Generator().manual_seed(60))
    pos = torch.tensor(positions)
    row, col = (int(i) for i in (pos < 0).nonzero()[0])
    with torch.no_grad(), pytest.raises(ValueError, match=rf"position_ids\[{row}, {col}\] = -\d+ is negative"):
        model(ids, position_ids=pos)


def test_a_negative_position_id_after_a_cached_past_is_refused():
    model = tiny_model(seed=61)
    ids = torch.randint(3, 97, (1, 6), generator=torch.Generator().manual_seed(61))
    cache = DynamicCache(config=model.config)
    with torch.no_grad():
        model(ids[:, :4], cache=cache)
        with pytest.raises(ValueError, match=r"position_ids\[0, 1\] = -1 is negative"):
            model(ids[:, 4:], position_ids=torch.tensor([[4, -1]]), cache=cache)


def test_left_pads_at_position_0_as_generate_gives_them_still_give_the_unpadded_logits():
    model = tiny_model(seed=62)
    ids = torch.tensor([[2, 2, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14]])
    mask = (ids != 2).long()
    pos = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 0)
    with torch.no_grad():
        padded = model(ids, attention_mask=mask, position_ids=pos).logits
        alone = model(ids[:1, 2:]).logits
    torch.testing.assert_close(padded[0, 2:], alone[0], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("rope", [None, {"rope_type": "dynamic", "factor": 2.0, "rope_theta": 10000.0}])
def test_positions_past_max_position_embeddings_give_transformers_nanochats_logits(rope):
    """Llama and NanoChat accept them (no table to run past); the dynamic type rescales there. Same numbers."""
    extra = {} if rope is None else {"rope_parameters": rope}
    model = tiny_model(seed=63, **extra)  # max_position_embeddings=64
    native = _nanochat_twin(model)
    ids = torch.randint(3, 97, (2, 6), generator=torch.Generator().manual_seed(63))
    far = torch.arange(90, 96)[None].expand(2, -1)
    with torch.no_grad():
        ours, theirs = model(ids, position_ids=far).logits, native(ids, position_ids=far).logits
    torch.testing.assert_close(ours, theirs, rtol=1e-5, atol=1e-5)
