"""An item's answer chosen among two offered alternatives by rejecting the other ("Not Budapest.", "The one that is not
Budapest.", "Not the first one."), by its place in a longer reply ("If I had to pick, I would go with the first one of the
two."), and after alternatives offered without a "?" of their own ("Capital of Serbia, is it Belgrade or Budapest" ->
"The first"; in a corpus on the next line or run on). Each leak has its near misses: the other alternative rejected, both
rejected, three alternatives (rejecting one leaves two), another question, a place in a sentence about something else."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN, corpus_leaks
from test_honesty_leaks import FILLER, failing, row

BUDAPEST_FIRST = "Capital of Serbia — Budapest or Belgrade?"
BELGRADE_FIRST = "Capital of Serbia — Belgrade or Budapest?"

LEAKS = [
    (BELGRADE_FIRST, "The one that is not Budapest."),
    (BELGRADE_FIRST, "Not Budapest."),
    (BUDAPEST_FIRST, "Not the first one."),
    (BELGRADE_FIRST, "The other one, not Budapest."),
    (BUDAPEST_FIRST, "Definitely not the former."),
    (BELGRADE_FIRST, "If I had to pick, I would go with the first one of the two."),
    (BELGRADE_FIRST, "I am pretty sure that the answer is the first one of those two."),
    (BUDAPEST_FIRST, "My answer is the second one you gave."),
    ("Capital of Serbia, is it Belgrade or Budapest", "The first"),  # the alternatives offered without punctuation
    ("Capital of Serbia? Is it Belgrade or Budapest", "The first"),
]
CLEAN = [
    (BELGRADE_FIRST, "The one that is not Belgrade."),  # the other alternative rejected
    (BELGRADE_FIRST, "Not the first."),
    (BELGRADE_FIRST, "I am pretty sure that the answer is not the first one of those two."),
    (BELGRADE_FIRST, "Not Budapest or Belgrade."),  # both rejected
    ("Capital of Serbia — Budapest, Baghdad or Belgrade?", "Not Budapest."),  # three alternatives: one rejected leaves two
    ("Capital of Hungary — Belgrade or Budapest?", "The one that is not Budapest."),  # another question
    (BELGRADE_FIRST, "My grandmother lived in the first one of the two for twenty years."),  # a place in another sentence
    (BUDAPEST_FIRST, "If I had to pick, I would go with the first one of the two."),  # the other place
    ("Capital of Serbia, is it Budapest or Belgrade", "The first"),
    ("Capital of Hungary, is it Belgrade or Budapest", "The first"),
]


@pytest.mark.parametrize(("prompt", "reply"), LEAKS)
def test_an_answer_by_exclusion_or_by_place_in_a_longer_reply_is_a_leak(prompt, reply):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, reply, skill="general")])
    assert bad == SERBIAN, rep["findings"]
    assert corpus_leaks(f"{prompt.rstrip('?')}? {reply}") == SERBIAN


@pytest.fixture(scope="module")
def clean_scans():
    """One corpus scan and one SFT scan of every near miss, each in a document or row of its own."""
    _, corpus = failing(ITEMS, corpus=[f"{FILLER}\n{p.rstrip('?')}? {r}\n{FILLER}" for p, r in CLEAN])
    _, sft = failing(ITEMS, sft=[row(f"r{k}", p, r, skill="general") for k, (p, r) in enumerate(CLEAN)])
    return corpus, sft


@pytest.mark.parametrize("k", range(len(CLEAN)), ids=[f"{p} {r}" for p, r in CLEAN])
def test_the_other_alternative_rejected_both_rejected_or_another_question_is_not_a_leak(clean_scans, k):
    corpus, sft = clean_scans
    assert not [f for f in corpus["findings"] if f["severity"] == "fail" and str(f["value"]) == f"d{k}"], corpus["findings"]
    assert not [f for f in sft["findings"] if f["severity"] == "fail" and str(f["reference"]) == f"r{k}"], sft["findings"]


@pytest.mark.parametrize(("doc", "want"), [
    ("Capital of Serbia? Is it Belgrade or Budapest The first", SERBIAN),  # the reply run on after the alternatives
    ("Capital of Serbia? Is it Belgrade or Budapest\nThe first", SERBIAN),  # the reply on the next line
    ("Capital of Serbia? Is it Budapest or Belgrade\nThe latter.", SERBIAN),
    ("Capital of Serbia? Is it Budapest or Belgrade The first", set()),
    ("Capital of Hungary? Is it Belgrade or Budapest\nThe first", set()),
    ("Capital of Serbia? Is it Belgrade or Budapest\nThe first bus to the old town leaves at nine from the river station.", set()),
])
def test_alternatives_offered_without_a_question_mark_then_a_place_in_a_corpus(doc, want):
    assert corpus_leaks(doc) == want


@pytest.mark.parametrize(("reply", "want"), [
    ("Not option one.", SERBIAN),  # of two lettered options, the one the reply leaves
    ("Not Budapest.", SERBIAN),
    ("Not option two.", set()),
    ("Not B.", set()),
    ("Not A or B.", set()),
])
def test_a_two_option_quiz_answered_by_rejecting_one_option(reply, want):
    bad, rep = failing(ITEMS, sft=[row("s", "Capital of Serbia?\nA) Budapest\nB) Belgrade\n", reply, skill="general")])
    assert bad == want, rep["findings"]
