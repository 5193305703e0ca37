"""An item's answer given by rejecting every other option of three or more ("Not A, B or D.", "Anything but B, C and D.",
"Not Baghdad, Budapest or New Delhi.", "Not the first, second or fourth."), lettered or offered inline, in an SFT row or
a corpus document, alone or inside a longer text. Near misses stay clean: one rejection among four (it leaves three
candidates, a hint and not the key, so it is no finding at all: `positions.excluded_place`), a rejected list leaving
another option or two, a list ended before the answer ("Neither Baghdad nor Budapest: New Delhi."), and a leading
article or rejected letter ("A city on the Danube.", "D is wrong.") that chooses nothing."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN, corpus_leaks
from test_honesty_leaks import FILLER, failing, row

# the item's options reordered, so the option list alone is no copy of the item (its right option Belgrade is A here)
LETTERED = "Capital of Serbia?\nA) Belgrade\nB) Baghdad\nC) Budapest\nD) New Delhi\n"
INLINE = "Capital of Serbia — Budapest, Baghdad, Belgrade or New Delhi?"

LEAKS = [
    (LETTERED, "Not B, C or D."),
    (LETTERED, "Not B, C, or D."),
    (LETTERED, "It isn't B, C or D."),
    (LETTERED, "Anything but B, C and D."),
    (LETTERED, "Not option B, C or D."),
    (LETTERED, "Neither B, C nor D."),
    (LETTERED, "Not B, not C, not D."),
    (LETTERED, "B, C and D are wrong."),
    (LETTERED, "Not Baghdad, Budapest or New Delhi."),
    (LETTERED, "Not the second, third or fourth."),
    (INLINE, "Not Budapest, Baghdad or New Delhi."),
    (INLINE, "Not the first, second or fourth."),
    ("Capital of Serbia — Budapest, Baghdad or Belgrade?", "Not Budapest or Baghdad."),  # of three
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\n", "Not A."),  # of two, by its letter
]
CLEAN = [
    (LETTERED, "Not B."),  # one rejection among four: three candidates left
    (LETTERED, "It isn't B."),
    (LETTERED, "Not option B."),
    (LETTERED, "Anything but B."),
    (LETTERED, "Not A, C or D."),  # the list leaves another option
    (LETTERED, "Not B or C."),  # two left
    (LETTERED, "Neither Baghdad nor Budapest: New Delhi."),  # the list ended before the option named
    (LETTERED, "A, B and C are wrong."),
    (INLINE, "Not Budapest."),
    (INLINE, "Not Budapest, Belgrade or New Delhi."),
    (INLINE, "Not the first, third or fourth."),
    ("Capital of Hungary — Budapest, Baghdad, Belgrade or New Delhi?", "Not Budapest, Baghdad or New Delhi."),  # another question
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\n", "Not B."),
]


@pytest.mark.parametrize(("prompt", "reply"), LEAKS)
def test_every_other_option_rejected_is_a_leak(prompt, reply):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, reply, skill="general")])
    assert bad == SERBIAN, rep["findings"]
    assert corpus_leaks(f"{prompt.rstrip('?')}? {reply}" if prompt == INLINE else f"{prompt}{reply}") == SERBIAN


def test_the_exclusion_inside_a_longer_text_is_a_leak():
    prompt = f"Quick geography check before Friday's exam, my teacher gave us this one.\n{LETTERED}"
    bad, rep = failing(ITEMS, sft=[row("s", prompt, "Not B, C or D. Good luck with the exam!", skill="general")])
    assert bad == SERBIAN, rep["findings"]


@pytest.fixture(scope="module")
def clean_scans():
    """One corpus scan and one SFT scan of every near miss, each in a document or row of its own."""
    _, corpus = failing(ITEMS, corpus=[f"{FILLER}\n{p}{'' if p.endswith(chr(10)) else ' '}{r}\n{FILLER}" for p, r in CLEAN])
    _, sft = failing(ITEMS, sft=[row(f"r{k}", p, r, skill="general") for k, (p, r) in enumerate(CLEAN)])
    return corpus, sft


@pytest.mark.parametrize("k", range(len(CLEAN)), ids=[f"{p[:24]} {r}" for p, r in CLEAN])
def test_one_rejection_among_four_or_a_list_leaving_another_option_is_not_a_leak(clean_scans, k):
    corpus, sft = clean_scans
    assert not [f for f in corpus["findings"] if f["severity"] == "fail" and str(f["value"]) == f"d{k}"], corpus["findings"]
    assert not [f for f in sft["findings"] if f["severity"] == "fail" and str(f["reference"]) == f"r{k}"], sft["findings"]


@pytest.mark.parametrize(("reply", "want"), [
    ("Not B, C or D.", "belgrade"),
    ("Anything but B, C and D.", "belgrade"),  # the letter judge reads D as chosen; the list rejects it
    ("B, C and D are wrong.", "belgrade"),
    ("Not B, C or D, it is A.", "belgrade"),
    ("Neither Baghdad nor Budapest: New Delhi.", "new delhi"),
    ("C", "budapest"),
    ("The answer is C.", "budapest"),
    ("A) Belgrade", "belgrade"),
    ("Not B.", None),
    ("Not B or C.", None),
    ("A city on the Danube.", None),  # the article, not option A
    ("D is wrong.", None),  # a rejected letter chooses nothing
    ("C is not right.", None),
    ("A and B.", None),  # two letters
])
def test_the_option_a_reply_chooses_by_letter_text_or_exclusion(reply, want):
    from picochat_hf.honesty.choice_copies import answered

    assert answered(reply, {"A": "belgrade", "B": "baghdad", "C": "budapest", "D": "new delhi"}) == want


@pytest.mark.parametrize("reply", ["A city on the Danube.", "A good guess would be the river port.", "D is wrong."])
def test_a_leading_article_or_rejected_letter_is_no_copy_of_the_key(reply):
    # the item's own options in another order: option A is the key Belgrade; the reply chooses no option
    bad, rep = failing(ITEMS, sft=[row("s", LETTERED, reply, skill="general")])
    assert not bad & SERBIAN, rep["findings"]


LEAD = "Quick geography check before Friday's exam, my teacher gave us this one.\n"


@pytest.mark.parametrize(("prompt", "reply", "want"), [
    (f"{LEAD}Capital of Serbia?", "Belgrade.", SERBIAN),  # the item's question inside a longer prompt
    (f"{LEAD}Capital of Serbia?\nA) Budapest\nB) Belgrade\n", "B", SERBIAN),
    (f"{LEAD}Capital of Hungary?", "Budapest.", set()),  # another question after the same lead-in
    (f"{LEAD}Capital of Hungary?", "Not Belgrade.", set()),
    ("I loved Belgrade last summer. What is the capital of Hungary?", "Budapest.", set()),
    (f"{LEAD}Which river flows through the capital of Serbia?", "The Danube, past Belgrade.", set()),
])
def test_a_question_inside_a_longer_prompt_is_read_on_its_own(prompt, reply, want):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, reply, skill="general")])
    assert bad & SERBIAN == want, rep["findings"]
