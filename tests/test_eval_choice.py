"""Letter-logit scoring on a model whose logits are fixed by construction; answer-text log-likelihoods."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch

from picochat_hf.eval.choice import answer_text_predictions, encode_pair, letter_token_ids, loglikelihoods, score_letters
from picochat_hf.eval.model_io import LoadedModel, encode_prompt

from eval_fixtures import tiny_llama


class BagOfTokensLM(torch.nn.Module):
    """logits[t] = sum of table[token] over tokens 0..t: causal, position-free, known in closed form."""

    def __init__(self, table: torch.Tensor):
        super().__init__()
        self.table = table

    def forward(self, input_ids, attention_mask=None, **_):
        emb = self.table[input_ids]
        if attention_mask is not None:
            emb = emb * attention_mask[..., None]
        return SimpleNamespace(logits=emb.cumsum(dim=1))


def _fixed(tokenizer) -> tuple[LoadedModel, dict]:
    vocab = len(tokenizer)
    gen = torch.Generator().manual_seed(0)
    table = torch.randn(vocab, vocab, generator=gen) * 0.01
    letters = {L: tokenizer.encode(L, add_special_tokens=False)[0] for L in "ABCD"}
    # A content word per letter pushes that letter's logit up; a non-letter token gets the largest logit
    # everywhere, which letter scoring must ignore.
    cue = {L: tokenizer.encode(w, add_special_tokens=False) for L, w in zip("ABCD", [" river", " house", " seven", " green"], strict=True)}
    for L, ids in cue.items():
        for t in ids:
            table[t, letters[L]] += 3.0
    table[:, tokenizer.encode(" the", add_special_tokens=False)[0]] += 100.0
    return LoadedModel(BagOfTokensLM(table), tokenizer, "bag", "bag", "cpu", "fp32"), letters


def test_letter_logits_pick_the_constructed_letter(tiny_tokenizer):
    loaded, letters = _fixed(tiny_tokenizer)
    questions = {
        "A": "Which word names flowing water? river",
        "B": "Where do people live? house",
        "C": "Which is a number? seven seven",
        "D": "Which is a colour? green",
    }
    prompts = [encode_prompt(tiny_tokenizer, [{"role": "user", "content": q}]) for q in questions.values()]
    labels = [list("ABCD")] * 4
    batched = score_letters(loaded, prompts, labels, batch_size=3, progress=False)
    single = [score_letters(loaded, [p], [list("ABCD")], batch_size=1, progress=False)[0] for p in prompts]
    assert [r["pred"] for r in batched] == list(questions)
    for b, s, p in zip(batched, single, prompts, strict=True):
        expected = loaded.model.table[torch.tensor(p)].sum(0)[[letters[L] for L in "ABCD"]]
        assert np.allclose(list(b["letter_logits"].values()), expected.tolist(), atol=1e-5)
        assert b["letter_logits"] == pytest.approx(s["letter_logits"], abs=1e-5)  # padding changes nothing
    # Restricting to 3 labels: D's cue cannot win any more.
    assert score_letters(loaded, prompts[3:], [list("ABC")], progress=False)[0]["pred"] in "ABC"


def test_letter_ids_depend_on_prompt_format(tiny_tokenizer):
    loaded = LoadedModel(None, tiny_tokenizer, "x", "x", "cpu", "fp32")
    assert letter_token_ids(loaded, ["A", "B"]) == [tiny_tokenizer.encode(x, add_special_tokens=False)[0] for x in "AB"]


def test_loglikelihoods_equal_an_unbatched_reference(tiny_tokenizer):
    loaded = tiny_llama(tiny_tokenizer)
    requests = [("Question: Which planet is closest to the Sun?\nAnswer:", " Mercury"),
                ("Question: Which planet is closest to the Sun?\nAnswer:", " the planet Venus"),
                ("Question: 2+2?\nAnswer: ", "4")]  # fmt: skip
    got = loglikelihoods(loaded, requests, batch_size=2, progress=False)
    for (ctx, cont), value in zip(requests, got, strict=True):
        c, x = encode_pair(loaded, ctx, cont)
        ids = torch.tensor([c + x])
        with torch.no_grad():
            logp = torch.log_softmax(loaded.model(ids).logits[0].float(), -1)
        ref = sum(logp[len(c) - 1 + k, t].item() for k, t in enumerate(x))
        assert value == pytest.approx(ref, abs=1e-4)
    # The trailing space of a context moves to the continuation, as in lm-eval.
    c, x = encode_pair(loaded, "Answer: ", "4")
    assert tiny_tokenizer.decode(x) == " 4"


def test_acc_norm_divides_by_characters():
    lls = [-10.0, -12.0]
    choices = ["cat", "hippopotamus"]  # per-char: -3.33 vs -1.0
    p = answer_text_predictions(lls, choices)
    assert p["pred"] == 0 and p["pred_norm"] == 1 and p["pred_bytes"] == 1
    assert answer_text_predictions([-5.0, -5.0], ["a", "b"])["pred"] == 0  # ties: first, like np.argmax
