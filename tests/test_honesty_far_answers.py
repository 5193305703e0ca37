"""An item's question answered after a filler sentence ("Capital of Serbia? Hmm. Belgrade."); another answer or a
rejection after the filler, or a reply that is no filler before the answer, stays clean."""

from __future__ import annotations

import pytest
from test_honesty_leaks import FILLER, SERBIA, UNITS, failing, row

CAPITAL = row("e-free", "What is the capital of Serbia?", skill="general", reference_answer="Belgrade")
GRAMS = row("e-grams", "How many grams are in 3 kilograms?", skill="general", reference_answer="3000")
ITEMS = [SERBIA, UNITS, CAPITAL, GRAMS]
SERBIAN = {"e-capital", "e-free"}


def corpus_leaks(doc: str) -> set[str]:
    bad, rep = failing(ITEMS, corpus=[f"{FILLER}\n{doc}\n{FILLER}"])
    return bad


@pytest.mark.parametrize(("doc", "want"), [
    ("Capital of Serbia? Hmm. Belgrade.", SERBIAN),
    ("What is the capital of Serbia? Good question. Belgrade.", SERBIAN),
    ("What is the capital of Serbia?\nGood question!\nBelgrade.", SERBIAN),
    ("CAPITAL OF SERBIA?  HMM...  BELGRADE.", SERBIAN),
    ("Capital of Serbia? Let me think. Well. It is Belgrade.", SERBIAN),
    ("Capital of Serbia? Hmm. Budapest.", set()),  # another answer after the filler
    ("Capital of Serbia? Hmm. Not Belgrade.", set()),
    ("Capital of Serbia? Hmm. Budapest. Belgrade is larger.", set()),  # the reply is Budapest
    ("Capital of Serbia? See page 4. Belgrade is on page 5.", set()),  # not a filler: the reply names no answer
])
def test_an_answer_after_a_filler_sentence_is_the_reply(doc, want):
    assert corpus_leaks(doc) == want


@pytest.mark.parametrize(("doc", "want"), [
    ("Belgrade? Hmm. The capital of Serbia.", SERBIAN),  # a card turned over, a filler between
    ("Belgrade? Hmm. A city on the Danube.", set()),
])
def test_a_turned_over_card_with_a_filler_between(doc, want):
    assert corpus_leaks(doc) == want


@pytest.mark.parametrize(("prompt", "answer", "want"), [
    ("Capital of Serbia?", "Hmm. Belgrade.", SERBIAN),
    ("Capital of Serbia?", "Good question. Belgrade.", SERBIAN),
    ("Capital of Serbia?", "Good question. Budapest.", set()),
])
def test_an_sft_row_answering_after_a_filler_is_a_leak(prompt, answer, want):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, answer, skill="general")])
    assert bad == want, rep["findings"]
