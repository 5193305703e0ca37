"""An item's answer named but not given: offered beside another ("Belgrade or Budapest"), attributed and retracted
("Some say Belgrade, but they are wrong."), or labelled as another relation of the entity ("Largest city:
Belgrade."); and a lettered quiz in a table row answered by its letter ("| Capital of Serbia? A) Budapest B)
Belgrade | B |"). Each near miss has its leak beside it: the answer chosen after the offer, the wrong answer
retracted, the item's own relation as the label, the right letter.

A lettered quiz inside an SFT row copies the choice item only with the item's own options (one set within the
other), wherever the row puts it (a prompt answered in the reply, or one message); with other options it leaks the
free-form item alone (test_honesty_quiz_answers, test_honesty_leaks), and so does one in a corpus document
(test_honesty_quiz_answers.test_one_rule_for_lettered_quizzes_in_a_corpus_and_in_an_sft_row).

The near misses are scanned together, one document or SFT row each: none may leak (a leak names its document)."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN, corpus_leaks
from test_honesty_leaks import FILLER, MATH, failing, row

CLEAN_DOCS = [
    "Capital of Serbia? Belgrade or Budapest.",  # two offered, neither chosen
    "Capital of Serbia? Either Belgrade or Budapest.",
    "Capital of Serbia? Budapest or Belgrade?",
    "Capital of Serbia: Belgrade or Budapest.",
    "CAPITAL OF SERBIA??   BELGRADE   OR   BUDAPEST!!",
    "Capital of Serbia? Belgrade vs Budapest: a debate.",
    "| Capital of Serbia | Belgrade or Budapest |",
    "Capital of Serbia? Belgrade or Lima.",  # an offer beside a city no option names
    "Capital of Serbia? Some say Belgrade, but they are wrong.",  # attributed and retracted
    "Capital of Serbia? Many think Belgrade, but they're mistaken.",
    "Capital of Serbia? Some claim it is Belgrade, though that is a myth.",
    "Capital of Serbia? Belgrade, or rather Budapest.",  # corrected to another
    "Capital of Serbia?  SOME SAY BELGRADE -- BUT THEY ARE WRONG!",
    "Capital of Serbia? Belgrade? Wrong.",
    "Capital of Serbia? Belgrade? Not quite.",
    "Capital of Serbia? Belgrade is a common wrong answer.",
    "Capital of Serbia? A common mistake is Belgrade.",
    "Capital of Serbia? Belgrade/Budapest.",
    "Capital of Serbia? Not Belgrade.",
    "Serbia facts? Largest city: Belgrade.",  # the answer labelled as another relation
    "Serbia? Belgrade is its largest city.",
    "Serbia quiz? Most populous city - Belgrade.",
    "| Capital of Serbia? A) Budapest B) Belgrade | A |",  # a table row choosing the wrong letter
    "| Capital of Hungary? A) Budapest B) Belgrade | B |",  # another question
]


@pytest.fixture(scope="module")
def clean_scan():
    bad, rep = failing(ITEMS, corpus=[f"{FILLER}\n{d}\n{FILLER}" for d in CLEAN_DOCS])
    return {str(f["value"]) for f in rep["findings"] if f["severity"] == "fail"}, rep


@pytest.mark.parametrize("k", range(len(CLEAN_DOCS)), ids=[d[:40] for d in CLEAN_DOCS])
def test_an_answer_offered_retracted_or_labelled_as_another_relation_is_not_given(clean_scan, k):
    leaked, rep = clean_scan
    assert f"d{k}" not in leaked, [f for f in rep["findings"] if str(f["value"]) == f"d{k}"]


@pytest.mark.parametrize(("doc", "want"), [
    ("Capital of Serbia? Belgrade or Budapest? Belgrade.", SERBIAN),  # the offer, then the answer chosen
    ("Capital of Serbia? Some say Budapest, but they are wrong: Belgrade.", SERBIAN),  # the wrong one retracted
    ("Capital of Serbia? Some say Belgrade.", SERBIAN),  # attributed, not retracted: still the answer
    ("Capital of Serbia? Belgrade -- many say Budapest, but they are wrong.", SERBIAN),  # only Budapest retracted
    ("Capital of Serbia? Belgrade, or so I think.", SERBIAN),  # a hedge offers nothing beside it
    ("Capital of Serbia? It's Belgrade or nothing.", SERBIAN),
    ("Capital of Serbia? Belgrade (or Beograd in Serbian).", SERBIAN),  # another name of the answer in brackets
    ("Capital of Serbia? Belgrade, though some say Budapest.", SERBIAN),  # a distractor reported, the answer named
    ("Capital of Serbia? Budapest is a common wrong answer; Belgrade is right.", SERBIAN),
    ("Serbia facts? Capital city: Belgrade.", SERBIAN),  # the item's own relation as the label
    ("Serbia facts? Capital and largest city: Belgrade.", SERBIAN),
    ("| Capital of Serbia? A) Budapest B) Belgrade | B |", SERBIAN),  # a lettered quiz in a table row
    ("| Question | Answer |\n|---|---|\n| Capital of Serbia? A) Budapest B) Belgrade | B |", SERBIAN),
    ("| capital of serbia?  a) budapest  b) belgrade |  b  |", SERBIAN),
    ("| Capital of Serbia? | A) Budapest | B) Belgrade | B |", SERBIAN),  # each option in a cell of its own
])
def test_the_answer_chosen_after_an_offer_or_a_retraction_is_still_a_leak(doc, want):
    assert corpus_leaks(doc) == want


CLEAN_ROWS = [
    ("Capital of Serbia?", "Belgrade or Budapest."),
    ("Capital of Serbia?", "Some say Belgrade, but they are wrong."),
    ("Capital of Serbia?", "Some people say Belgrade, but that's not true."),
    ("Serbia facts?", "Largest city: Belgrade."),
    ("Tell me one fact about Serbia.", "Its biggest city is Belgrade."),
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\nC) Lima", "A"),  # a quiz of its own answered with a wrong letter
]


@pytest.fixture(scope="module")
def clean_rows_scan():
    bad, rep = failing(ITEMS, sft=[row(f"c{k}", p, a, skill="general") for k, (p, a) in enumerate(CLEAN_ROWS)])
    return {str(f["value"]) for f in rep["findings"] if f["severity"] == "fail"}, rep


@pytest.mark.parametrize("k", range(len(CLEAN_ROWS)), ids=[a[:40] for _, a in CLEAN_ROWS])
def test_an_sft_reply_offering_retracting_or_labelling_another_relation_is_not_a_leak(clean_rows_scan, k):
    leaked, rep = clean_rows_scan
    assert f"c{k}" not in leaked, [f for f in rep["findings"] if str(f["value"]) == f"c{k}"]


@pytest.mark.parametrize(("prompt", "answer", "want"), [
    ("Capital of Serbia?", "Some say Budapest, but they are wrong. It is Belgrade.", SERBIAN),
    ("Capital of Serbia?", "Belgrade. Some people think it is Budapest, but they are wrong.", SERBIAN),
    ("Serbia facts?", "Capital: Belgrade. Largest city: Belgrade.", SERBIAN),
    ("Serbia?", "Belgrade, its largest city and capital.", SERBIAN),  # the item's relation past the label window
    # a lettered quiz with the item's own options (in another order and lettering) answered by the right letter
    ("Capital of Serbia?\nA) New Delhi\nB) Belgrade\nC) Budapest\nD) Baghdad", "B", SERBIAN),
    ("Capital of Serbia? (a) Budapest (b) Baghdad (c) Belgrade (d) New Delhi", "(c)", SERBIAN),
    # ... and with other options: the free-form item only (test_honesty_quiz_answers, test_honesty_leaks)
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\nC) Lima", "B", {"e-free"}),
])
def test_an_sft_reply_choosing_the_answer_after_an_offer_or_a_retraction_is_a_leak(prompt, answer, want):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, answer, skill="general")])
    assert bad == want, rep["findings"]


@pytest.mark.parametrize(("answer", "want"), [
    ("| Question | Answer |\n|---|---|\n| Capital of Serbia? A) Budapest B) Belgrade C) Lima | B |", {"e-free"}),  # other options
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\nC) Lima\nAnswer: B", {"e-free"}),
    ("| Capital of Serbia? A) Budapest B) Baghdad C) Belgrade D) New Delhi | C |", SERBIAN),  # the item's own options
    ("Capital of Serbia?\nA) New Delhi\nB) Belgrade\nC) Budapest\nAnswer: B", SERBIAN),  # some of them, relettered
    ("| Capital of Serbia? A) Budapest B) Baghdad C) Belgrade D) New Delhi | A |", {"e-capital"}),  # its whole option list
])
def test_a_lettered_quiz_inside_one_sft_message_copies_the_choice_item_only_with_its_options(answer, want):
    bad, rep = failing(ITEMS, sft=[row("s", "Make a one-line quiz.", answer, skill="general")])
    assert bad == want, rep["findings"]


# an operand expression or whole prompt watched with its answer beside it: the answer negated or offered beside another
# is not beside it (the same cues as the question reader's)
MATH_DOCS = [("What is 23 + 34? Not 57.", False), ("Evaluate 23 + 34: 57 or 58, I forget.", False),
             ("23 plus 34 is never 57.", False), ("23 + 34: either 57 or 56.", False),
             ("Evaluate 23 + 34: 57 or so.", True), ("What is 23 + 34? Not 58 but 57.", True), ("23 + 34 = 57", True),
             ("23 + 34 = 57, not 58", True)]


@pytest.mark.parametrize(("doc", "leak"), MATH_DOCS)
def test_a_watched_expression_with_its_answer_negated_or_offered_is_not_a_leak(doc, leak):
    bad, rep = failing([MATH], corpus=[f"{FILLER} {doc} {FILLER}"])
    assert bad == ({"e-math"} if leak else set()), rep["findings"]


@pytest.mark.parametrize(("answer", "leak"), [("Not 57.", False), ("57 or 58, I forget.", False), ("57, not 58.", True)])
def test_an_sft_reply_negating_or_offering_a_watched_answer(answer, leak):
    bad, rep = failing([MATH], sft=[row("s", "Evaluate 23 + 34.", answer, skill="general")])
    assert bad == ({"e-math"} if leak else set()), rep["findings"]


@pytest.mark.parametrize(("doc", "want"), [
    ("Capital of Serbia？ Belgrade。", SERBIAN),  # full-width and ideographic marks
    ("Capital of Serbia؟ Belgrade.", SERBIAN),
    ("Capital of Serbia？ Budapest。", set()),
])
def test_question_marks_of_other_widths_and_scripts_ask(doc, want):
    assert corpus_leaks(doc) == want
