"""An item's answer given in a quiz's own ways: after an aside with a wrong option rejected beside it ("Tough one.
Belgrade, not Budapest."), and near misses that stay clean: the answer offered and rejected ("Belgrade? No,
Budapest."), the right answer the rejected one."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN, corpus_leaks
from test_honesty_leaks import failing, row

# a quiz with other options than the choice item's (Budapest, Baghdad, Belgrade, New Delhi) answered right leaks the
# free-form item and is no copy of the choice item, in a corpus document as in an SFT row
FREE = {"e-free"}
OWN = "A) Budapest B) Baghdad C) Belgrade D) New Delhi"


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


@pytest.mark.parametrize("doc", [
    "Q: Capital of Serbia? A) Budapest B) Belgrade C) Lima",  # the options are no answer
    "Q: Capital of Serbia? A) Belgrade B) Budapest C) Lima",
    "Capital of Serbia?\nA) Belgrade\nB) Budapest\nC) Lima",  # the first option line is no reply
    "Capital of Serbia?\nA. Belgrade\nB. Budapest\nC. Lima\n\nWrite your answer below.",
])
def test_a_quiz_question_with_its_options_and_no_answer_is_not_a_leak(doc):
    assert corpus_leaks(doc) == set()


@pytest.mark.parametrize(("doc", "want"), [
    ("Q: Capital of Serbia? A) Budapest B) Belgrade C) Lima\n\nAnswers: 1-B", FREE),
    ("1. Capital of Serbia? A) Budapest B) Belgrade C) Lima\n2. Capital of Peru? A) Lima B) Quito\n\nAnswers: 1-B, 2-A", FREE),
    ("1. Capital of Serbia?\nA) Budapest\nB) Belgrade\nC) Lima\n2. Capital of Peru?\nA) Lima\nB) Quito\n\nAnswer key: 1. B 2. A", FREE),
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\nC) Lima\nAnswer: B", FREE),  # the answer line under the options
    ("Capital of Serbia?\nA. Budapest\nB. Belgrade\nC. Lima\n\nThe answer is (b).", FREE),
    ("capital of serbia?  a) budapest  b) belgrade  c) lima   answer: b", FREE),
    ("Q: Capital of Serbia? A) Belgrade B) Budapest C) Lima\n\nAnswers: 1-B", set()),  # the letter names Budapest
    ("1. Capital of Serbia? A) Budapest B) Belgrade C) Lima\n2. Capital of Peru? A) Lima B) Quito\n\nAnswers: 1-A, 2-B", set()),
    ("1. Capital of Peru? A) Lima B) Belgrade\n2. Capital of Serbia? A) Budapest B) Quito\n\nAnswers: 1-B, 2-A", set()),
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\nC) Lima\nAnswer: A", set()),
    ("Capital of Hungary?\nA) Budapest\nB) Belgrade\nC) Lima\nAnswer: B", set()),  # another question
])
def test_a_quiz_answered_by_the_letter_of_its_own_options_is_a_leak(doc, want):
    assert corpus_leaks(doc) == want
@pytest.mark.parametrize(("doc", "want"), [
    ("Answers first: Belgrade, Lima. Then the quiz: 1. Capital of Serbia? 2. Capital of Peru?", SERBIAN),
    ("Key first: Belgrade, Lima.\nQuiz: 1. Capital of Serbia? 2. Capital of Peru?", SERBIAN),
    ("Answers: Belgrade, Lima\n\n1. Capital of Serbia?\n2. Capital of Peru?", SERBIAN),
    ("1. Capital of Serbia?\n2. Capital of Peru?\n\nAnswers: Belgrade, Lima", SERBIAN),  # the list after the quiz
    ("1. Capital of Serbia?\n2. Capital of Peru?\n\nAnswers in order: Belgrade; Lima.", SERBIAN),
    ("Answers first: Lima, Belgrade. Then the quiz: 1. Capital of Serbia? 2. Capital of Peru?", set()),  # out of order
    ("1. Capital of Serbia?\n2. Capital of Peru?\n\nAnswers: Lima, Belgrade", set()),
    ("Answers first: Budapest, Lima. Then the quiz: 1. Capital of Serbia? 2. Capital of Peru?", set()),
    ("Cities we visited: Belgrade, Lima. Then the quiz: 1. Capital of Serbia? 2. Capital of Peru?", set()),  # no key
])
def test_an_answer_list_in_the_quiz_order_before_or_after_it_is_a_leak(doc, want):
    assert corpus_leaks(doc) == want



@pytest.mark.parametrize(("prompt", "answer", "want"), [
    # the quiz's own options: a leak of the free-form item; the choice item asked with another option set is no copy
    # of it (test_honesty_leaks.test_choice_rows_that_are_not_the_item_are_not_leaks)
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\nC) Lima", "B", {"e-free"}),
    ("Capital of Serbia? A) Budapest B) Belgrade C) Lima", "The answer is B.", {"e-free"}),
    ("Capital of Serbia?\nA. Budapest\nB. Belgrade\nC. Lima", "Belgrade", {"e-free"}),
    ("Capital of Serbia? A) Belgrade B) Budapest C) Lima", "B", set()),  # the letter names Budapest
    ("Capital of Serbia?\nA) Budapest\nB) Belgrade\nC) Lima", "A or B, I am not sure.", set()),
    ("Capital of Hungary?\nA) Budapest\nB) Belgrade\nC) Lima", "B", set()),  # another question
])
def test_an_sft_row_answering_a_quiz_of_its_own_options_by_letter(prompt, answer, want):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, answer, skill="general")])
    assert bad == want, rep["findings"]



@pytest.mark.parametrize(("doc", "want"), [
    ("Belgrade is the capital of which country?\nA) Hungary\nB) Serbia\nC) Peru\nAnswer: B", FREE),  # asked the other way
    ("Belgrade is the capital of which country?\nA) Hungary\nB) Serbia\nC) Peru\nAnswer: A", set()),
    ("Capital of Serbia? A) Budapest B) Belgrade C) Lima. Belgrade.", FREE),  # the answer's text after the options
    ("Capital of Serbia? A) Budapest B) Belgrade C) Lima. Answer: Budapest.", set()),
    ("Which city is not the capital of Serbia? A) Belgrade B) Budapest. Answer: B", set()),
    ("1. Capital of Serbia?\n2. Capital of Peru?\n\nAnswers: Belgrade and Lima", SERBIAN),
    ("1. Capital of Serbia?\n2. Capital of Peru?\n\nKey: Lima; Belgrade", set()),
])
def test_lettered_and_listed_quiz_answers_reversed_or_joined(doc, want):
    assert corpus_leaks(doc) == want


@pytest.mark.parametrize(("doc", "want"), [
    ("- Capital of Serbia?\n  - A) Budapest\n  - B) Belgrade\n  - Answer: B", SERBIAN),  # options in a bulleted list
    ("* Capital of Serbia?\n  * (a) Budapest\n  * (b) Belgrade\n\n  * Answer: (b)", SERBIAN),
    ("- Capital of Serbia?\n  - A) Budapest\n  - B) Belgrade\n  - Answer: A", set()),
    ("- Capital of Serbia?\n  - A) Belgrade\n  - B) Budapest", set()),
])
def test_a_lettered_quiz_in_a_bulleted_list(doc, want):
    assert corpus_leaks(doc) == want


@pytest.mark.parametrize(("doc", "want"), [
    (f"Capital of Serbia? {OWN}. Answer: C", SERBIAN),  # the item's own options, the right letter
    (f"Capital of Serbia?\n{OWN.replace(' B)', chr(10) + 'B)').replace(' C)', chr(10) + 'C)').replace(' D)', chr(10) + 'D)')}\nAnswer: C", SERBIAN),
    ("Capital of Serbia? A) Budapest B) Baghdad C) Belgrade. Answer: C", SERBIAN),  # a subset of the item's options
    ("Capital of Serbia? A) Budapest B) Baghdad C) Belgrade. Answer: A", set()),  # the wrong letter
    ("Capital of Hungary? A) Budapest B) Baghdad C) Belgrade. Answer: C", set()),  # another question
    ("Capital of Serbia? A) Budapest B) Belgrade C) Lima. Answer: B", FREE),  # other options: the free-form item only
    ("Capital of Serbia? A) Budapest B) Belgrade C) Lima. Answer: A", set()),
])
def test_one_rule_for_lettered_quizzes_in_a_corpus_and_in_an_sft_row(doc, want):
    assert corpus_leaks(doc) == want
    question, answer = doc.rsplit(". Answer: ", 1) if ". Answer: " in doc else doc.rsplit("\nAnswer: ", 1)
    bad, rep = failing(ITEMS, sft=[row("s", question, answer, skill="general")])
    assert bad == want, rep["findings"]
