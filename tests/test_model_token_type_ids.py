"""`token_type_ids`, which tokenizers, `pipeline` and TRL's collators may pass: all zeros is one segment and changes
nothing (forward, backbone, generate); picochat has no segment embeddings, so any other value is refused, as are ids
of another shape or dtype. Before, every call with them failed as a TypeError (an unknown keyword)."""

from __future__ import annotations

import pytest
import torch

from helpers_model import tiny_model


def encode(tok, texts):
    tok.padding_side = "left"
    return tok(texts, return_tensors="pt", padding=True, return_token_type_ids=True)


def test_the_tokenizers_token_type_ids_are_zeros_and_leave_the_logits_unchanged(tiny_tokenizer):
    model = tiny_model(seed=81, vocab_size=len(tiny_tokenizer))
    enc = encode(tiny_tokenizer, ["def main():", "the cat sat on the mat"])
    assert "token_type_ids" in enc and int(enc["token_type_ids"].abs().sum()) == 0
    with torch.no_grad():
        got = model(**enc).logits
        want = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).logits
        backbone = model.model(**enc).last_hidden_state
        backbone_want = model.model(enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
    assert torch.equal(got, want) and torch.equal(backbone, backbone_want)


@pytest.mark.parametrize("smear", [False, True])
@pytest.mark.parametrize("extra", [{}, {"num_beams": 2, "num_return_sequences": 2}, {"cache_implementation": "static"},
                                   {"prefill_chunk_size": 3}])
def test_generate_with_the_tokenizers_output_gives_the_tokens_and_scores_without_token_type_ids(tiny_tokenizer, smear,
                                                                                             extra):
    model = tiny_model(seed=82, vocab_size=len(tiny_tokenizer), smear=smear)
    enc = encode(tiny_tokenizer, ["def main():", "the cat sat on the mat"])
    kw = dict(max_new_tokens=4, do_sample=False, pad_token_id=tiny_tokenizer.pad_token_id, eos_token_id=None,
              output_scores=True, return_dict_in_generate=True, **extra)
    with torch.no_grad():
        got = model.generate(**enc, **kw)
        want = model.generate(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], **kw)
    assert torch.equal(got.sequences, want.sequences)
    for a, b in zip(got.scores, want.scores):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-5)


@pytest.mark.parametrize("where", ["forward", "backbone", "generate"])
def test_a_second_segment_is_refused_naming_the_first_nonzero_type(tiny_tokenizer, where):
    model = tiny_model(seed=83, vocab_size=len(tiny_tokenizer))
    enc = encode(tiny_tokenizer, ["def main():", "the cat sat on the mat"])
    types = enc["token_type_ids"].clone()
    types[1, 3:] = 1  # a pair's second segment, as BERT-style tokenizers mark it
    call = {"forward": model, "backbone": model.model,
            "generate": lambda **kw: model.generate(**kw, max_new_tokens=2, pad_token_id=tiny_tokenizer.pad_token_id)}[where]
    with pytest.raises(ValueError, match=r"token_type_ids\[1, 3\] = 1: picochat has no token type \(segment\) embeddings"):
        call(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], token_type_ids=types)


@pytest.mark.parametrize("types, message", [
    (torch.zeros(1, 4, dtype=torch.long), r"must have the inputs' shape \(1, 5\)"),
    (torch.zeros(5, dtype=torch.long), r"must have the inputs' shape \(1, 5\)"),
    (torch.zeros(1, 5), r"must be an integer tensor"),
    ([[0, 0, 0, 0, 0]], r"must be an integer tensor"),
])
def test_token_type_ids_of_another_shape_or_dtype_are_refused(types, message):
    model = tiny_model(seed=84)
    with pytest.raises(ValueError, match=message):
        model(torch.tensor([[5, 6, 7, 8, 9]]), token_type_ids=types)


def test_zero_token_type_ids_with_inputs_embeds_and_labels_give_the_same_loss():
    model = tiny_model(seed=85)
    ids = torch.tensor([[5, 6, 7, 8, 9]])
    embeds = model.get_input_embeddings()(ids).detach()
    zeros = torch.zeros_like(ids, dtype=torch.int32)
    with torch.no_grad():
        got = model(inputs_embeds=embeds, labels=ids, token_type_ids=zeros).loss
        want = model(inputs_embeds=embeds, labels=ids).loss
    assert torch.equal(got, want)
