"""An item's answer given in a quiz's own ways: after an aside with a wrong option rejected beside it ("Tough one.
Belgrade, not Budapest."), and near misses that stay clean: the answer offered and rejected ("Belgrade? No,
Budapest."), the right answer the rejected one."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN, corpus_leaks
from test_honesty_leaks import failing, row


@pytest.mark.parametrize(("doc", "want"), [
    ("Capital of Serbia? Hmm, tough one. Belgrade, not Budapest.", SERBIAN),
    ("Capital of Serbia? Crikey, a stumper. Belgrade, not Budapest.", SERBIAN),  # an aside no filler list holds
    ("Capital of Serbia? Crikey, a stumper. Not Budapest, Belgrade.", SERBIAN),
    ("Capital of Serbia? Crikey, a stumper. Budapest is wrong; Belgrade.", SERBIAN),
    ("CAPITAL OF SERBIA?   Crikey,  a stumper...   BELGRADE -- NOT BUDAPEST!", SERBIAN),
    ("Capital of Serbia? Crikey, a stumper. Belgrade, not Budapest or Lima.", SERBIAN),
    ("Capital of Serbia? Crikey, a stumper. Budapest, not Belgrade.", set()),  # the right answer is the rejected one
    ("Capital of Serbia? Crikey, a stumper. Not Belgrade, not Budapest.", set()),
    ("Capital of Serbia? Crikey, a stumper. Belgrade was busy, not Budapest.", set()),  # a statement, not the answer alone
])
def test_an_answer_after_an_aside_with_a_rejected_option_beside_it_is_the_reply(doc, want):
    assert corpus_leaks(doc) == want


@pytest.mark.parametrize(("answer", "want"), [
    ("Crikey, a stumper. Belgrade, not Budapest.", SERBIAN),
    ("Crikey, a stumper. Budapest, not Belgrade.", set()),
])
def test_an_aside_and_a_rejected_option_inside_an_sft_answer(answer, want):
    bad, rep = failing(ITEMS, sft=[row("s", "Write one quiz line.", f"Quiz: Capital of Serbia? {answer}", skill="general")])
    assert bad == want, rep["findings"]


@pytest.mark.parametrize(("doc", "want"), [
    ("Capital of Serbia? Belgrade? No, Budapest.", set()),  # offered, rejected, and answered wrong: no leak of the answer
    ("Capital of Serbia? Belgrade?? Nope. Budapest.", set()),
    ("Capital of Serbia? Belgrade? No.", set()),
    ("Capital of Serbia? Budapest? No, Belgrade.", SERBIAN),  # the wrong guess rejected, the answer given
    ("Capital of Serbia? Belgrade? Yes, Belgrade.", SERBIAN),
])
def test_an_answer_offered_with_a_question_mark_and_rejected_is_not_given(doc, want):
    assert corpus_leaks(doc) == want


@pytest.mark.parametrize(("prompt", "answer", "want"), [
    ("Capital of Serbia?", "Belgrade? No, Budapest.", set()),
    ("Capital of Serbia?", "Budapest? No, Belgrade.", SERBIAN),
])
def test_a_rejected_offer_in_an_sft_reply(prompt, answer, want):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, answer, skill="general")])
    assert bad == want, rep["findings"]
