"""An item's answer named and then taken back: retracted by the sentence after it ("Belgrade. But that is wrong.",
"Belgrade. Scratch that.") or negated by its subject ("Nobody says Belgrade."). Neither gives the answer, in a corpus
document or in an SFT reply. Each near miss has its leak beside it: the wrong answer retracted and the right one
given after, a retraction of the wrong answer only, an affirmation that retracts nothing."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN, corpus_leaks
from test_honesty_leaks import FILLER, failing, row

CLEAN_REPLIES = [
    "Belgrade. But that is wrong.",
    "Belgrade. That's wrong.",
    "BELGRADE.   BUT THAT IS WRONG!",
    "Belgrade! That is not right.",
    "Belgrade. Scratch that.",
    "Belgrade. Just kidding.",
    "Nobody says Belgrade.",
    "No one says Belgrade.",
    "Nobody would say Belgrade.",
    "No one thinks Belgrade.",
]


@pytest.fixture(scope="module")
def clean_scans():
    """One corpus scan and one SFT scan of every clean reply, each in a document or row of its own."""
    _, corpus = failing(ITEMS, corpus=[f"{FILLER}\nCapital of Serbia? {r}\n{FILLER}" for r in CLEAN_REPLIES])
    _, sft = failing(ITEMS, sft=[row(f"r{k}", "Capital of Serbia?", r, skill="general") for k, r in enumerate(CLEAN_REPLIES)])
    return corpus, sft


@pytest.mark.parametrize("k", range(len(CLEAN_REPLIES)), ids=CLEAN_REPLIES)
def test_an_answer_retracted_by_the_next_sentence_or_negated_by_its_subject_is_not_given(clean_scans, k):
    corpus, sft = clean_scans
    assert not [f for f in corpus["findings"] if f["severity"] == "fail" and str(f["value"]) == f"d{k}"], corpus["findings"]
    assert not [f for f in sft["findings"] if f["severity"] == "fail" and str(f["reference"]) == f"r{k}"], sft["findings"]


@pytest.mark.parametrize(("reply", "want"), [
    ("Budapest. But that is wrong. Belgrade.", SERBIAN),  # the wrong answer retracted, the right one given after
    ("Budapest. Scratch that. Belgrade.", SERBIAN),
    ("Belgrade. That is right.", SERBIAN),  # an affirmation retracts nothing
    ("Nobody says Budapest; Belgrade.", SERBIAN),  # the wrong one negated, the answer alone beside it
    ("Belgrade. Nobody says Budapest.", SERBIAN),
])
def test_a_retraction_of_another_answer_leaves_the_answer_given(reply, want):
    assert corpus_leaks(f"Capital of Serbia? {reply}") == want
    bad, rep = failing(ITEMS, sft=[row("s", "Capital of Serbia?", reply, skill="general")])
    assert bad == want, rep["findings"]
