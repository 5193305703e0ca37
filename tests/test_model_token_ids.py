"""Token ids the embedding or the head has no row for are refused with a message naming the argument and the id.

Before, an id past `vocab_size` (or a negative one) failed deep in `nn.Embedding` as `IndexError: index out of range
in self`, and a label past the head as `Target 200 is out of bounds`; on CUDA both were device-side asserts.
"""

from __future__ import annotations

import re

import pytest
import torch

from helpers_model import tiny_model

V = 97  # tiny_config's vocab_size


@pytest.mark.parametrize("bad", [V, V + 1, 10**6, -1, -100])
def test_an_input_id_outside_the_vocabulary_is_refused_naming_it(bad):
    model = tiny_model(seed=1)
    ids = torch.tensor([[0, 5, 6], [0, bad, 7]])
    with pytest.raises(ValueError, match=rf"input_ids\[1, 1\] = {bad} is not a token id in \[0, {V}\) \(vocab_size\)"):
        model(ids)
    with pytest.raises(ValueError, match=r"input_ids\[1, 1\]"):
        model.model(ids)  # TRL's fused head calls the backbone directly


def test_the_last_and_first_ids_of_the_vocabulary_are_accepted():
    model = tiny_model(seed=1)
    with torch.no_grad():
        logits = model(torch.tensor([[0, V - 1, 3]])).logits
    assert logits.shape == (1, 3, V) and torch.isfinite(logits).all()


def test_generate_refuses_a_prompt_with_an_id_outside_the_vocabulary():
    model = tiny_model(seed=1)
    with pytest.raises(ValueError, match=rf"input_ids\[0, 2\] = {V + 3}"):
        model.generate(torch.tensor([[0, 5, V + 3]]), max_new_tokens=2, do_sample=False, pad_token_id=2)


def test_non_integer_input_ids_are_refused():
    model = tiny_model(seed=1)
    with pytest.raises(ValueError, match="input_ids must hold integer token ids"):
        model(torch.tensor([[0.0, 5.0]]))


def test_an_id_added_by_resizing_is_accepted_and_one_past_the_new_size_is_not():
    model = tiny_model(seed=1)
    model.resize_token_embeddings(V + 5)
    with torch.no_grad():
        assert model(torch.tensor([[0, V + 4]])).logits.shape == (1, 2, V + 5)
    with pytest.raises(ValueError, match=rf"= {V + 5} is not a token id in \[0, {V + 5}\)"):
        model(torch.tensor([[0, V + 5]]))


@pytest.mark.parametrize("bad", [V, -5, -1])
def test_a_label_outside_the_vocabulary_is_refused_and_minus_100_is_not(bad):
    model = tiny_model(seed=1)
    ids = torch.tensor([[0, 5, 6, 7]])
    with pytest.raises(ValueError, match=rf"labels\[0, 2\] = {bad} is not a token id in \[0, {V}\) \(vocab_size\) or -100"):
        model(ids, labels=torch.tensor([[0, 5, bad, 7]]))
    loss = model(ids, labels=torch.tensor([[0, 5, -100, 7]])).loss
    assert torch.isfinite(loss)


def test_a_smear_previous_id_outside_the_vocabulary_is_refused():
    model = tiny_model(seed=1, smear=True, smear_channels=8)
    with torch.no_grad():
        out = model(torch.tensor([[0, 5]]), use_cache=True)
        with pytest.raises(ValueError, match=rf"smear_prev_ids\[0\] = {V}"):
            model(torch.tensor([[6]]), cache=out.cache, smear_prev_ids=torch.tensor([V]))


def test_inputs_embeds_are_not_token_ids_and_pass():
    model = tiny_model(seed=1)
    with torch.no_grad():
        embeds = model.get_input_embeddings()(torch.tensor([[0, 5, 6]]))
        torch.testing.assert_close(model(inputs_embeds=embeds).logits, model(torch.tensor([[0, 5, 6]])).logits)


@pytest.mark.parametrize("shape", [(4,), (1, 0), (1, 2, 3)])
def test_input_ids_of_another_shape_are_refused_naming_the_shape(shape):
    model = tiny_model(seed=1)
    with pytest.raises(ValueError, match=rf"input_ids must have shape \(batch, seq_len\).*got {re.escape(str(shape))}"):
        model(torch.zeros(shape, dtype=torch.long))


@pytest.mark.parametrize("shape", [(1, 3, 31), (1, 0, 32), (3, 32)])
def test_inputs_embeds_of_another_shape_are_refused_naming_hidden_size(shape):
    model = tiny_model(seed=1)
    with pytest.raises(ValueError, match=r"inputs_embeds must have shape \(batch, seq_len >= 1, 32\) \(hidden_size\)"):
        model(inputs_embeds=torch.zeros(shape))


def test_int32_ids_and_labels_give_the_int64_loss():
    model = tiny_model(seed=1)
    ids = torch.tensor([[0, 5, 6, 7]])
    with torch.no_grad():
        torch.testing.assert_close(model(ids.int(), labels=ids.int()).loss, model(ids, labels=ids).loss)
        assert not torch.allclose(model(ids, labels=ids.roll(1, 1)).loss, model(ids, labels=ids).loss)


def test_a_custom_ignore_index_is_the_one_labels_may_hold():
    model = tiny_model(seed=1)
    ids = torch.tensor([[0, 5, 6, 7]])
    with torch.no_grad():
        custom = model(ids, labels=torch.tensor([[0, 5, -1, 7]]), ignore_index=-1).loss
        default = model(ids, labels=torch.tensor([[0, 5, -100, 7]])).loss
    torch.testing.assert_close(custom, default)
    with pytest.raises(ValueError, match=r"labels\[0, 2\] = -100 is not a token id in \[0, 97\) \(vocab_size\) or -1"):
        model(ids, labels=torch.tensor([[0, 5, -100, 7]]), ignore_index=-1)


NARROW = [torch.uint8, torch.int8, torch.int16]


@pytest.fixture(scope="module")
def model1():
    return tiny_model(seed=1)


@pytest.mark.parametrize("dtype", NARROW, ids=str)
def test_input_ids_of_a_narrow_integer_type_are_refused_naming_the_argument(model1, dtype):
    """uint8/int8/int16 ids failed inside nn.Embedding ("Expected tensor for argument #1 'indices' ... ByteTensor"),
    as Llama's do; such a tensor may also have wrapped ids past its range (300 in uint8 is 44) into other tokens."""
    ids = torch.tensor([[0, 5, 6]], dtype=dtype)
    for call in (lambda: model1(ids), lambda: model1.model(ids), lambda: model1(torch.tensor([[0, 5, 6]]), labels=ids),
                 lambda: model1.generate(ids, max_new_tokens=1, do_sample=False, pad_token_id=2)):
        with pytest.raises(ValueError, match=rf"(input_ids|labels) must be int64 or int32 token ids, got {dtype}"):
            call()


@pytest.mark.parametrize("dtype", [torch.float64, torch.bfloat16, torch.complex64, torch.bool], ids=str)
def test_labels_and_input_ids_of_no_integer_type_are_refused(model1, dtype):
    ids = torch.tensor([[0, 5, 6]])
    with pytest.raises(ValueError, match="input_ids must hold integer token ids"):
        model1(ids.to(dtype))
    with pytest.raises(ValueError, match="labels must hold integer token ids"):
        model1(ids, labels=ids.to(dtype))


def test_a_smear_previous_id_of_a_narrow_type_is_refused():
    model = tiny_model(seed=1, smear=True, smear_channels=8)
    with torch.no_grad():
        out = model(torch.tensor([[0, 5]]), use_cache=True)
        with pytest.raises(ValueError, match=r"smear_prev_ids must be int64 or int32 token ids, got torch.uint8"):
            model(torch.tensor([[6]]), cache=out.cache, smear_prev_ids=torch.tensor([5], dtype=torch.uint8))


@pytest.mark.parametrize("bad", [[[0, 5, 6]], (0, 5), 5, "0 5 6"], ids=repr)
def test_input_ids_that_are_no_tensor_are_refused_naming_the_argument(model1, bad):
    """A list failed as "'list' object has no attribute 'dim'" inside the input checks."""
    with pytest.raises(ValueError, match=r"input_ids must be a torch.Tensor of token ids, got (list|tuple|int|str)"):
        model1(bad)


@pytest.mark.parametrize("dtype", [torch.long, torch.int32, torch.bool], ids=str)
def test_inputs_embeds_that_are_not_floats_are_refused(model1, dtype):
    """Integer embeddings failed in the first matmul ("expected m1 and m2 to have the same dtype")."""
    with pytest.raises(ValueError, match=rf"inputs_embeds must be a floating point tensor, got {dtype}"):
        model1(inputs_embeds=torch.ones(1, 3, 32, dtype=dtype))


def test_int32_and_int64_ids_give_the_same_logits(model1):
    ids = torch.tensor([[0, 5, 6, 96]])
    with torch.no_grad():
        torch.testing.assert_close(model1(ids.int()).logits, model1(ids).logits)


def test_an_attention_mask_that_is_no_tensor_is_refused_naming_it(model1):
    ids = torch.tensor([[0, 5, 6]])
    with pytest.raises(ValueError, match="attention_mask must be a torch.Tensor .*got list"):
        model1(ids, attention_mask=[[1, 1, 1]])


def test_smear_previous_ids_that_are_no_tensor_are_refused_naming_them():
    model = tiny_model(seed=1, smear=True, smear_channels=8)
    with torch.no_grad():
        out = model(torch.tensor([[0, 5]]), use_cache=True)
        with pytest.raises(ValueError, match="smear_prev_ids must be a torch.Tensor, got list"):
            model(torch.tensor([[6]]), cache=out.cache, smear_prev_ids=[5])


@pytest.mark.parametrize("masked", [float("-inf"), -1e4, torch.finfo(torch.float32).min], ids=str)
def test_an_additive_float_mask_is_refused_not_read_inverted(model1, masked):
    """0 for tokens to attend and a large negative number for padding: read as keep/drop it attended only the padding."""
    ids = torch.tensor([[2, 2, 5, 6], [0, 5, 6, 7]])
    additive = torch.tensor([[masked, masked, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="attention_mask holds negative values"):
        model1(ids, attention_mask=additive)
    with pytest.raises(ValueError, match="attention_mask holds negative values"):
        model1.generate(ids, attention_mask=additive, max_new_tokens=1, do_sample=False, pad_token_id=2)


def test_float_and_boolean_keep_masks_read_as_the_integer_mask(model1):
    ids = torch.tensor([[2, 2, 5, 6], [0, 5, 6, 7]])
    mask = torch.tensor([[0, 0, 1, 1], [1, 1, 1, 1]])
    with torch.no_grad():
        want = model1(ids, attention_mask=mask).logits
        for other in (mask.float(), mask.bool(), mask.to(torch.bfloat16)):
            torch.testing.assert_close(model1(ids, attention_mask=other).logits, want)
