"""An item's question answered away from it: after a filler sentence ("Capital of Serbia? Hmm. Belgrade."), and in a
quiz's answer key further down the page ("1. Capital of Serbia? ... Answers: 1. Belgrade"). Near misses stay clean:
another answer after the filler, a key numbering the answer under another question or a statement."""

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
    ("Capital of Serbia? Ooh, tough one. Belgrade.", SERBIAN),
    ("Capital of Serbia? Hmm. Budapest.", set()),  # another answer after the filler
    ("Capital of Serbia? Hmm. Not Belgrade.", set()),
    ("Capital of Serbia? Hmm. Budapest. Belgrade is larger.", set()),  # the reply is Budapest
    ("Capital of Serbia? See page 4. Belgrade is on page 5.", set()),  # not a filler: the reply names no answer
])
def test_an_answer_after_a_filler_sentence_is_the_reply(doc, want):
    assert corpus_leaks(doc) == want


# the questions cut to their key span: a verbatim prompt with its answer anywhere near is already a leak of its own
QUIZ = ("Geography quiz\n\n1. Capital of Hungary?\n2. Which city is the capital of Serbia?\n3. Capital of Peru?\n\n"
        f"{FILLER}\n{FILLER}\n\n")


@pytest.mark.parametrize(("key", "want"), [
    ("Answer key\n1. Budapest 2. Belgrade 3. Lima", SERBIAN),
    ("Answers:\n1. Budapest\n2. Belgrade\n3. Lima", SERBIAN),
    ("ANSWERS: 1) Budapest, 2) Belgrade, 3) Lima.", SERBIAN),
    ("Answers: (1) budapest (2) belgrade (3) lima", SERBIAN),
    ("Answer key\n1. Belgrade 2. Budapest 3. Lima", set()),  # the key answers the Serbia question Budapest
    ("Answer key\n1. Budapest 2. Not Belgrade 3. Lima", set()),
    ("Answer key\n1. Budapest 3. Lima", set()),  # no answer numbered 2
])
def test_a_quiz_answered_in_a_numbered_key_far_below_is_a_leak(key, want):
    assert corpus_leaks(QUIZ + key) == want


@pytest.mark.parametrize(("quiz", "key", "want"), [
    ("Quiz: 1) Capital of Hungary? 2) Capital of Serbia? 3) Capital of Peru?", "Solutions: 1) Budapest 2) Belgrade 3) Lima", SERBIAN),
    ("## Quiz\n\n**1.** Capital of Serbia?\n**2.** Capital of Peru?", "## Answer key\n\n1. Belgrade\n2. Lima", SERBIAN),
    ("Q1. What is the capital of Serbia?\nQ2. Capital of Peru?", "Answers\n1. Belgrade\n2. Lima", SERBIAN),
    ("1. What is the capital of Serbia?\n2. Capital of Peru?", "Answers\n1. Belgrade\n2. Lima", SERBIAN),  # the prompt verbatim
    ("1. Capital of Serbia?\n2. Capital of Peru?", "Answers\n1. Budapest\n2. Lima", set()),
    ("1. Largest city of Serbia?\n2. Capital of Peru?", "Answers\n1. Belgrade\n2. Lima", set()),  # another relation
])
def test_numbered_quizzes_in_other_layouts_are_paired_with_their_key(quiz, key, want):
    assert corpus_leaks(f"{quiz}\n\n{FILLER}\n\n{key}") == want


def test_a_numbered_key_under_a_list_of_statements_answers_nothing():
    doc = "Facts\n1. Serbia is in Europe.\n2. Belgrade lies on the Danube.\n\nAnswer key\n1. Belgrade 2. Budapest"
    assert corpus_leaks(doc) == set()


def test_a_key_far_below_a_long_page_still_answers_its_quiz():
    page = "1. Capital of Peru?\n2. Capital of Serbia?\n\n" + "\n\n".join([FILLER] * 30) + "\n\nAnswers\n1. Lima\n2. Belgrade"
    assert corpus_leaks(page) == SERBIAN


def test_a_quiz_with_its_key_inside_an_sft_answer_is_a_leak():
    answer = "Here is a quiz.\n1. Capital of Peru?\n2. Capital of Serbia?\n\nAnswer key: 1. Lima 2. Belgrade"
    bad, rep = failing(ITEMS, sft=[row("s", "Write a short geography quiz with its answers.", answer, skill="general")])
    assert bad == SERBIAN, rep["findings"]


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


@pytest.mark.parametrize(("doc", "want"), [
    ("Q: 1. Capital of Peru? 2. Capital of Serbia?\nA: 1. Lima 2. Belgrade", SERBIAN),
    ("Q: 1. Capital of Peru? 2. Capital of Serbia?\nA: 1. Lima 2. Budapest", set()),
])
def test_a_quiz_line_answered_by_number_on_an_a_line_is_a_leak(doc, want):
    assert corpus_leaks(doc) == want


@pytest.mark.parametrize(("prompt", "answer", "want"), [
    ("1. Capital of Peru? 2. Capital of Serbia?", "1. Lima 2. Belgrade", SERBIAN),
    ("Quiz:\n1) Capital of Peru?\n2) Capital of Serbia?", "1) Lima\n2) Belgrade", SERBIAN),
    ("1. Capital of Peru? 2. Capital of Serbia?", "1. Lima 2. Budapest", set()),
    ("1. Capital of Serbia? 2. Capital of Peru?", "1. Lima 2. Belgrade", set()),  # Belgrade answers the Peru question
])
def test_an_sft_row_answering_numbered_questions_by_number_is_a_leak(prompt, answer, want):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, answer, skill="general")])
    assert bad == want, rep["findings"]


LETTERED = "a) Capital of Hungary? b) Which city is the capital of Serbia?"


@pytest.mark.parametrize(("quiz", "key", "want"), [
    (LETTERED, "Key: a) Budapest b) Belgrade", SERBIAN),  # lettered questions, a key far below
    ("a) Capital of Hungary?\nb) Which city is the capital of Serbia?", "Answers:\na) Budapest\nb) Belgrade", SERBIAN),
    ("(A) Capital of Hungary?\n(B) Capital of Serbia?", "Key: (a) Budapest (b) Belgrade", SERBIAN),  # case of the letter
    ("i) Capital of Hungary?\nii) Capital of Serbia?", "Answers: i) Budapest ii) Belgrade", SERBIAN),  # roman numerals
    (LETTERED, "Key: a) Belgrade b) Budapest", set()),  # Belgrade answers the Hungary question
    (LETTERED, "Key: a) Budapest b) Not Belgrade", set()),
    (LETTERED, "Key: a) Budapest c) Belgrade", set()),  # no question lettered c
])
def test_a_lettered_quiz_answered_in_a_key_far_below_is_a_leak(quiz, key, want):
    assert corpus_leaks(f"{quiz}\n\n{FILLER}\n\n{FILLER}\n\n{key}") == want


NUMBERED = "1. Capital of Peru?\n2. Capital of Serbia?"


@pytest.mark.parametrize(("key", "want"), [
    ("Answers: 1 - Lima 2 - Belgrade", SERBIAN),  # a dash after the number
    ("Answers: 1 – Lima, 2 – Belgrade", SERBIAN),
    ("Answers:\n1: Lima\n2: Belgrade", SERBIAN),
    ("Answers: 2: Belgrade", SERBIAN),
    ("Answers: (2) Belgrade", SERBIAN),
    ("Answers: #2 Belgrade", SERBIAN),
    ("Answers: 1 - Lima 2 - Budapest", set()),
    ("Answers: 1 - Belgrade 2 - Lima", set()),
    ("Answers: 2: Not Belgrade", set()),
])
def test_a_key_numbered_in_other_ways_answers_its_quiz(key, want):
    assert corpus_leaks(f"{NUMBERED}\n\n{FILLER}\n\n{key}") == want


@pytest.mark.parametrize(("doc", "want"), [
    (f"Answers: 1. Lima 2. Belgrade\n\n{FILLER}\n\n{NUMBERED}", SERBIAN),  # the key printed before its questions
    (f"Answer key: 1 - Lima, 2 - Belgrade\n\n{FILLER}\n\n{NUMBERED}", SERBIAN),
    (f"Key: a) Budapest b) Belgrade\n\n{FILLER}\n\n{LETTERED}", SERBIAN),
    (f"Answers: 1. Lima 2. Belgrade\n{NUMBERED}", SERBIAN),  # no blank line: the key ends at the first question
    (f"Answers:\n1) Lima\n2) Belgrade\nQuestions:\n{NUMBERED}", SERBIAN),
    (f"Answers: 1. Belgrade 2. Lima\n\n{FILLER}\n\n{NUMBERED}", set()),  # Belgrade answers the Peru question
    (f"Answers: 1. Belgrade 2. Lima\n{NUMBERED}", set()),
    (f"Answers: 1. Lima 2. Budapest\n\n{FILLER}\n\n{NUMBERED}", set()),
    # a key under its own quiz answers that quiz, not the quiz printed after it
    (f"1. Capital of Peru?\n2. Capital of Chile?\n\nAnswers: 1. Lima 2. Belgrade\n\n{FILLER}\n\n{NUMBERED}", set()),
])
def test_a_key_printed_before_its_questions_answers_them(doc, want):
    assert corpus_leaks(doc) == want


@pytest.mark.parametrize(("prompt", "answer", "want"), [
    ("1. Capital of Peru? 2. Capital of Serbia?", "1 - Lima 2 - Belgrade", SERBIAN),
    ("a) Capital of Peru? b) Capital of Serbia?", "a) Lima b) Belgrade", SERBIAN),
    ("a) Capital of Peru? b) Capital of Serbia?", "a) Belgrade b) Lima", set()),
    ("Quiz me.", f"Answer key: 1 - Lima, 2 - Belgrade\n\n{NUMBERED}", SERBIAN),
])
def test_an_sft_row_answering_lettered_or_dashed_questions_by_mark_is_a_leak(prompt, answer, want):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, answer, skill="general")])
    assert bad == want, rep["findings"]


def test_numbered_sums_in_a_quiz_keep_their_own_numbers():
    """A key's "1 - 80" marks its entry; a question's "150 - 70" is its sum, not a mark (the prompt is not verbatim: a
    whole prompt with its answer anywhere near is a leak of its own)."""
    sub = row("e-sub", "What is 150 - 70?", normalized_answer="80", problem={"op": "-", "a": 150, "b": 70, "result": 80})
    quiz = f"1. What do you get for 150 - 70?\n2. What do you get for 26 - 9?\n\n{FILLER}\n\nAnswers: 1 - 80, 2 - 17"
    assert failing([sub], corpus=[f"{FILLER}\n{quiz}\n{FILLER}"])[0] == {"e-sub"}
    quiz = f"1. What do you get for 150 - 70?\n2. What do you get for 26 - 9?\n\n{FILLER}\n\nAnswers: 1 - 17, 2 - 80"
    assert failing([sub], corpus=[f"{FILLER}\n{quiz}\n{FILLER}"])[0] == set()


@pytest.mark.parametrize(("doc", "want"), [
    ("Capital of Serbia? Tough call, mate. Belgrade.", SERBIAN),  # a short aside no filler list holds
    ("Capital of Serbia? Ooh, let me think... Belgrade!", SERBIAN),
    ("What is the capital of Serbia? Crikey, that one's a stumper! Belgrade.", SERBIAN),
    ("What is the capital of Serbia?\nBlimey.\nBELGRADE!", SERBIAN),
    ("Capital of Serbia? Is it Budapest? No. Belgrade.", SERBIAN),  # a wrong guess rejected, then the answer
    ("Capital of Serbia? Tough call, mate. Budapest.", set()),  # another answer after the aside
    ("Capital of Serbia? Tough call, mate. Not Belgrade.", set()),
    ("Capital of Serbia? Tough call, mate. Belgrade was busy.", set()),  # a statement, not the answer alone
    ("Capital of Serbia? See page 4. Belgrade.", set()),  # a pointer with a number is a reply of its own
    ("Capital of Serbia? Nobody in the class could say, not even the teacher on duty. Belgrade.", set()),  # a long sentence is a reply
    ("Capital of Hungary? Tough call, mate. Belgrade.", set()),  # another question
])
def test_an_answer_alone_after_a_short_aside_is_the_reply(doc, want):
    assert corpus_leaks(doc) == want


def test_an_answer_alone_after_another_name_is_read_as_the_reply():
    """A judgement call on the side of the leak: the page asks the question and ends on the answer alone."""
    assert corpus_leaks("Capital of Serbia? Budapest. Belgrade.") == SERBIAN


@pytest.mark.parametrize(("answer", "want"), [
    ("Tough call, mate. Belgrade.", SERBIAN),
    ("Tough call, mate. Budapest.", set()),
])
def test_an_aside_before_the_answer_inside_an_sft_answer(answer, want):
    bad, rep = failing(ITEMS, sft=[row("s", "Write one quiz line.", f"Quiz: Capital of Serbia? {answer}", skill="general")])
    assert bad == want, rep["findings"]


@pytest.mark.parametrize(("key", "want"), [
    ("Key: 2=Belgrade", SERBIAN),
    ("Answers: 1 → Lima, 2 → Belgrade", SERBIAN),
    ("Answers: Q1: Lima Q2: Belgrade", SERBIAN),  # the question label repeated on the entry
    ("Answers — 1. Lima, 2. Belgrade", SERBIAN),  # a dash after the label
    ("Answers: 1.Lima 2.Belgrade", SERBIAN),  # no space after the mark
    ("Answers\n- 1. Lima\n- 2. Belgrade", SERBIAN),  # a bulleted key
    ("Key: 2=Budapest", set()),
    ("Answers: 1.Belgrade 2.Lima", set()),
    ("Answers\n- 1. Lima\n- 2. Not Belgrade", set()),
])
def test_a_key_written_with_other_separators_answers_its_quiz(key, want):
    assert corpus_leaks(f"{NUMBERED}\n\n{FILLER}\n\n{key}") == want


@pytest.mark.parametrize(("quiz", "key", "want"), [
    ("Q1) Capital of Peru?\nQ2) Capital of Serbia?", "Answers: Q1) Lima Q2) Belgrade", SERBIAN),
    ("#1 Capital of Peru?\n#2 Capital of Serbia?", "Answers: #1 Lima #2 Belgrade", SERBIAN),
    ("1/ Capital of Peru?\n2/ Capital of Serbia?", "Answers: 1/ Lima 2/ Belgrade", SERBIAN),
    ("1. Capital\nof Peru?\n2. Capital\nof Serbia?", "Answers: 1. Lima 2. Belgrade", SERBIAN),  # a question over two lines
    ("1. Name the capital of Peru.\n2. Name the capital of Serbia.", "Answers: 1. Lima 2. Belgrade", SERBIAN),  # no "?"
    ("1. The capital of Peru is ____.\n2. The capital of Serbia is ____.", "Answers: 1. Lima 2. Belgrade", SERBIAN),
    ("1. Capital of Peru\n2. Capital of Serbia", "Answers: 1. Lima 2. Belgrade", SERBIAN),
    ("1. Which city is the capital of Serbia?\na) Budapest\nb) Belgrade", "Answers: 1. b) Belgrade", SERBIAN),  # mark then option
    ("1. Capital of Peru\n2. Largest city of Serbia", "Answers: 1. Lima 2. Belgrade", set()),  # another relation
    ("1. Capital of Peru\n2. Serbia", "Answers: 1. Lima 2. Belgrade", set()),  # the entity alone: a fact list
    ("1. Capital of Peru\n2. Capital of Serbia", "Answers: 1. Belgrade 2. Lima", set()),
    ("1. Capital of Peru?\n2. Capital of Serbia?\n\nTips:\n1. Read slowly.\n2. Check spelling.", "Answers: 1. Lima 2. Budapest", set()),
])
def test_questions_marked_in_other_ways_or_without_a_question_mark_are_paired(quiz, key, want):
    assert corpus_leaks(f"{quiz}\n\n{FILLER}\n\n{key}") == want


def test_a_question_with_a_mark_keeps_its_pair_over_a_later_statement_of_that_mark():
    doc = f"{NUMBERED}\n\nTips:\n1. Read slowly.\n2. Check spelling.\n\n{FILLER}\n\nAnswers: 1. Lima 2. Belgrade"
    assert corpus_leaks(doc) == SERBIAN
