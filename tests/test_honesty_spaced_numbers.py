"""A math item's answer written digit by digit ("5 7"), in digit words ("five seven") or in spaced groups of three ("4
600") beside its question is the answer; another number in the same form, the answer rejected, or its digits read out of
a list of other numbers ("5, 7 and 9 are odd", "Pages 5 7 9") is not."""

from __future__ import annotations

import pytest
from test_honesty_leaks import BIG, EVAL, FILLER, failing, row

ITEMS = [*EVAL, BIG]

LEAKS = [
    ("What is 23 + 34?", "5 7", "e-math"),
    ("23 + 34 =", "5 7.", "e-math"),
    ("What is 23 + 34?", "Five seven.", "e-math"),
    ("Quick one: what is 23 plus 34?", "It is 5 7.", "e-math"),
    ("What is 1200 + 3400?", "4 600", "e-big"),
    ("1200 + 3400 =", "4 6 0 0", "e-big"),
    ("What is 23 + 34?", "5 7, and that is all.", "e-math"),  # a comma after the spaced answer, no number after it
    ("What is 23 + 34?", "It is 5 7. Page 9 has more.", "e-math"),  # another number in the next sentence
    ("What is 1200 + 3400?", "4 600 people.", "e-big"),
    ("What is 23 + 34?", "It is five seven, I think.", "e-math"),
]
CLEAN = [
    ("What is 23 + 34?", "5 8"),  # another number in the same form
    ("23 + 34 =", "5 6."),
    ("What is 23 + 34?", "Five eight."),
    ("What is 23 + 34?", "Not 5 7."),  # the answer rejected
    ("What is 1200 + 3400?", "4 700"),
    ("What is 1200 + 3400?", "46 00 0"),
    # the answer's digits inside a list of other numbers: each is a number of its own
    ("What is 23 + 34?", "5, 7 and 9 are odd."),
    ("What is 23 + 34?", "5 7 and 9 are odd."),
    ("What is 23 + 34?", "5; 7."),
    ("What is 23 + 34?", "5 7 9 11 are odd."),
    ("What is 23 + 34?", "Pages 5 7 9."),
    ("What is 23 + 34?", "3, 5 7"),
    ("What is 1200 + 3400?", "4, 600 people came."),
    ("What is 23 + 34?", "Five, seven and nine are odd."),  # digit words in a list
    ("What is 23 + 34?", "Five seven nine eleven."),
]


@pytest.mark.parametrize(("prompt", "reply", "item"), LEAKS)
def test_a_number_answer_spaced_or_in_digit_words_is_a_leak(prompt, reply, item):
    bad, rep = failing(ITEMS, corpus=[f"{FILLER}\n{prompt} {reply}\n{FILLER}"])
    assert bad == {item}, rep["findings"]
    bad, rep = failing(ITEMS, sft=[row("s", f"Please answer: {prompt}", reply, skill="general")])
    assert bad == {item}, rep["findings"]


def test_another_number_in_the_same_form_or_the_answer_rejected_is_not_a_leak():
    bad, rep = failing(ITEMS, corpus=[f"{FILLER}\n{p} {r}\n{FILLER}" for p, r in CLEAN])
    assert not bad, rep["findings"]
    bad, rep = failing(ITEMS, sft=[row(f"r{k}", f"Please answer: {p}", r, skill="general") for k, (p, r) in enumerate(CLEAN)])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(("tokens", "want"), [
    (["5", "7"], ["57"]),
    (["4", "600"], ["4600"]),
    (["12", "345", "678"], ["12345678"]),
    (["it", "is", "5", "7", "or", "6"], ["it", "is", "57", "or", "6"]),
    (["57", "and", "6"], ["57", "and", "6"]),
    (["4", "60"], ["4", "60"]),  # a second group of two digits is another number
    (["5", ",", "7", "and", "9"], ["5", ",", "7", "and", "9"]),  # a list: "5, 7 and 9"
    (["5", "7", "and", "9"], ["5", "7", "and", "9"]),
    (["3", ",", "5", "7"], ["3", ",", "5", "7"]),
    (["4", ",", "600"], ["4", ",", "600"]),
    (["5", "7", "and", "more"], ["57", "and", "more"]),
])
def test_spaced_digits_are_read_as_one_number(tokens, want):
    from picochat_hf.honesty.number_words import joined_digits

    assert joined_digits(tokens) == want


@pytest.mark.parametrize(("text", "want"), [
    ("5, 7 and 9", ["5", ",", "7", "and", "9"]),  # a comma between two numbers separates them
    ("5 ; 7", ["5", ";", "7"]),
    ("1,200", ["1200"]),  # a thousands separator does not
    ("Paris, 7", ["paris", "7"]),
    ("5 7", ["5", "7"]),
])
def test_a_comma_between_two_numbers_is_a_word(text, want):
    from picochat_hf.honesty.normalize import words

    assert words(text) == want
