"""What picochat's forward returns for the options callers set: logits kept, attentions and hidden states recorded,
embeddings resized; each checked against the plain forward, and the old or wrong spellings of each option."""

from __future__ import annotations

import copy

import pytest
import torch

from helpers_model import tiny_model

IDS = torch.tensor([[0, 5, 17, 33, 8, 9], [2, 2, 0, 40, 41, 3]])
PADDED = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])


@pytest.mark.parametrize("keep,positions", [(1, [5]), (2, [4, 5]), (0, list(range(6))), (torch.tensor([0, 3]), [0, 3])])
def test_logits_to_keep_slices_the_full_logits(keep, positions):
    model = tiny_model(seed=51)
    with torch.no_grad():
        full = model(IDS, attention_mask=PADDED).logits
        for name in ("logits_to_keep", "num_logits_to_keep"):  # the name transformers 4.4x used still slices
            kept = model(IDS, attention_mask=PADDED, **{name: keep}).logits
            # float32 tolerances, not bitwise: the LM head's matmul over fewer rows may take another BLAS kernel (seen on
            # one CPU: 4.8e-7 apart), while a wrong position is off by the logits' own scale (about 1)
            torch.testing.assert_close(kept, full[:, positions], atol=1e-5, rtol=1.3e-6, msg=name)


def test_num_logits_to_keep_warns_that_it_is_the_old_name():
    model = tiny_model(seed=51)
    with pytest.warns(FutureWarning, match="num_logits_to_keep"), torch.no_grad():
        model(IDS, num_logits_to_keep=1)


@pytest.mark.parametrize("tie", [False, True])
@pytest.mark.parametrize("rows,multiple", [(2, None), (1, None), (3, None), (2, 1)])
def test_resizing_below_a_special_token_is_refused_and_changes_nothing(tie, rows, multiple):
    """The fixture's bos/eos/pad are 0, 1 and 2: a vocabulary of 2 (or 1) rows has no row for the pad token."""
    model = tiny_model(seed=52, tie_word_embeddings=tie, pad_token_id=2 if rows < 3 else 3)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(ValueError, match=r"^PicochatConfig.(pad|eos)_token_id: must be .*resize_token_embeddings"):
        model.resize_token_embeddings(rows, pad_to_multiple_of=multiple)
    assert model.config.vocab_size == 97 and model.vocab_size == 97
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


@pytest.mark.parametrize("tie", [False, True])
def test_resizing_keeps_every_old_logit_and_rounds_up_to_a_multiple(tie):
    model = tiny_model(seed=53, tie_word_embeddings=tie)
    with torch.no_grad():
        full = model(IDS, attention_mask=PADDED).logits
        grown = copy.deepcopy(model)
        grown.resize_token_embeddings(100, pad_to_multiple_of=64)
        assert grown.config.vocab_size == 128 and grown.lm_head.weight.shape[0] == 128
        torch.testing.assert_close(grown(IDS, attention_mask=PADDED).logits[..., :97], full, atol=1e-6, rtol=1e-6)
        shrunk = copy.deepcopy(model)
        shrunk.resize_token_embeddings(50)  # above every special token: allowed
        assert shrunk(IDS, attention_mask=PADDED).logits.shape[-1] == 50


@pytest.mark.parametrize("keep", [-1, -6, True, False, 1.5, "2"])
def test_logits_to_keep_that_is_not_a_count_or_positions_is_refused(keep):
    """-1 used to keep every position but the first (slice(1, None)), so logits[:, i] was position i + 1."""
    model = tiny_model(seed=51)
    with pytest.raises(ValueError, match="^PicochatForCausalLM.forward: logits_to_keep must be"), torch.no_grad():
        model(IDS, logits_to_keep=keep)


@pytest.mark.parametrize("keep", [1, torch.tensor([5]), torch.ones(2, 6, dtype=torch.bool)])
def test_labels_with_a_part_of_the_logits_are_refused(keep):
    """The loss needs every position's logits; with a part of them it failed on shapes or scored other positions."""
    model = tiny_model(seed=51)
    with pytest.raises(ValueError, match="^PicochatForCausalLM.forward: labels need every position's logits"), torch.no_grad():
        model(IDS, labels=IDS, logits_to_keep=keep)


def test_labels_with_every_position_kept_give_the_loss_of_the_full_logits():
    model = tiny_model(seed=51)
    with torch.no_grad():
        loss = model(IDS, labels=IDS).loss
        torch.testing.assert_close(model(IDS, labels=IDS, logits_to_keep=0).loss, loss)
        wrong = model(IDS, labels=IDS.roll(1, dims=1)).loss
    assert not torch.allclose(loss, wrong)


@pytest.mark.parametrize("kv_heads", [2, 4])
def test_one_dimensional_position_ids_give_the_logits_of_the_same_positions_as_a_row(kv_heads):
    """A (seq_len,) tensor used to broadcast over the heads: with 4 tokens and 4 heads each head got one position."""
    model = tiny_model(seed=54, num_key_value_heads=kv_heads)
    ids = torch.tensor([[0, 5, 17, 33]])
    with torch.no_grad():
        want = model(ids, position_ids=torch.tensor([[0, 1, 2, 3]])).logits
        got = model(ids, position_ids=torch.tensor([0, 1, 2, 3])).logits
        shifted = model(ids, position_ids=torch.tensor([0, 1, 1, 2])).logits
    torch.testing.assert_close(got, want, atol=0, rtol=0)
    assert not torch.allclose(shifted, want, atol=1e-3)


@pytest.mark.parametrize("shape", [(1, 1, 4), (2, 4), (1, 3), (1, 5), (3,)])
def test_position_ids_of_another_shape_are_refused_naming_the_shapes(shape):
    model = tiny_model(seed=54, num_key_value_heads=4)
    positions = torch.arange(shape[-1]).expand(*shape).contiguous()
    with pytest.raises(ValueError, match=r"^PicochatModel.forward: position_ids must have shape"), torch.no_grad():
        model(torch.tensor([[0, 5, 17, 33]]), position_ids=positions)


def test_position_ids_of_one_row_serve_every_row_of_the_batch():
    model = tiny_model(seed=54)
    ids = torch.tensor([[0, 5, 17, 33], [0, 6, 7, 8]])
    with torch.no_grad():
        one = model(ids, position_ids=torch.arange(4)[None]).logits
        each = model(ids, position_ids=torch.arange(4)[None].repeat(2, 1)).logits
    torch.testing.assert_close(one, each, atol=0, rtol=0)


def _cache_after(model, ids):
    from transformers import DynamicCache

    cache = DynamicCache(config=model.config)
    with torch.no_grad():
        model(ids, cache=cache)
    return cache


@pytest.mark.parametrize("attn", ["eager", "sdpa"])
def test_a_cached_step_whose_mask_covers_only_the_new_token_is_refused(attn):
    """transformers pads a short mask with zeros: the past was masked out and the logits were 3.2 off, silently."""
    model = tiny_model(seed=55, attn=attn)
    ids = torch.tensor([[0, 5, 17, 33, 8, 9]])
    with pytest.raises(ValueError, match=r"^PicochatModel.forward: attention_mask must have shape \(1, 6\)"), torch.no_grad():
        model(ids[:, 5:], cache=_cache_after(model, ids[:, :5]), attention_mask=torch.ones(1, 1, dtype=torch.long))
    with torch.no_grad():  # the mask over past and new tokens gives the full forward's last logits
        step = model(ids[:, 5:], cache=_cache_after(model, ids[:, :5]), attention_mask=torch.ones(1, 6, dtype=torch.long))
        torch.testing.assert_close(step.logits, model(ids).logits[:, 5:], atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("attn", ["eager", "sdpa"])
@pytest.mark.parametrize("shape", [(1, 4), (1, 8), (2, 6), (6,), (1, 1, 6)])
def test_an_attention_mask_of_another_shape_than_the_input_is_refused(attn, shape):
    model = tiny_model(seed=55, attn=attn)
    mask = torch.ones(shape, dtype=torch.long)
    with pytest.raises(ValueError, match=r"^PicochatModel.forward: attention_mask must have shape \(1, 6\)"), torch.no_grad():
        model(torch.tensor([[0, 5, 17, 33, 8, 9]]), attention_mask=mask)
