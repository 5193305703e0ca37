"""A list of number words ("Five, seven.", "Fifty; seven.") is two numbers, not 57 spelled digit by digit or in words;
the answer 57 itself, reworded question or not, as "fifty-seven", "fifty seven", "5 7" or "57." inside a sentence is
still the answer. Near misses: another item's answer, the same numbers in an unrelated sentence."""

from __future__ import annotations

import pytest
from test_honesty_leaks import BIG, EVAL, FILLER, failing, row

ITEMS = [*EVAL, BIG]
ASKED = "Quick sum: 23 plus 34?"

LEAKS = [
    (ASKED, "Fifty-seven."),
    (ASKED, "Fifty seven."),
    (ASKED, "5 7"),
    (ASKED, "Five seven."),
    (ASKED, "It is 57. Easy one."),
    ("Add twenty-three and thirty-four.", "Fifty seven."),
]
CLEAN = [
    (ASKED, "Five, seven."),  # two numbers listed, not the digits of 57
    (ASKED, "Fifty, seven."),
    (ASKED, "Five; seven."),
    (ASKED, "Five, seven, nine."),
    (ASKED, "Fifty-eight."),  # another answer
    (ASKED, "Not fifty-seven."),
]


@pytest.mark.parametrize(("prompt", "reply"), LEAKS)
def test_the_answer_in_words_or_spaced_digits_after_a_reworded_question_is_a_leak(prompt, reply):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, reply, skill="general")])
    assert bad == {"e-math"}, rep["findings"]
    bad, rep = failing(ITEMS, corpus=[f"{FILLER}\n{prompt} {reply}\n{FILLER}"])
    assert bad == {"e-math"}, rep["findings"]


def test_the_answer_inside_a_longer_reply_is_a_leak():
    prompt = "Homework time. My teacher asked me to add 23 and 34 and I am stuck, please help."
    bad, rep = failing(ITEMS, sft=[row("s", prompt, "Sure! Adding them you get fifty-seven, nice work.", skill="general")])
    assert bad == {"e-math"}, rep["findings"]


def test_listed_number_words_another_answer_or_the_numbers_elsewhere_are_not_leaks():
    docs = [f"{FILLER}\n{p} {r}\n{FILLER}" for p, r in CLEAN]
    docs.append(f"{FILLER} Route 57 runs past 23 shops and 34 cafes. {FILLER}")  # the numbers in an unrelated sentence
    bad, rep = failing(ITEMS, corpus=docs)
    assert not bad, rep["findings"]
    bad, rep = failing(ITEMS, sft=[row(f"r{k}", p, r, skill="general") for k, (p, r) in enumerate(CLEAN)])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(("text", "want"), [
    ("Five, seven.", ["five", ",", "seven"]),
    ("Fifty; seven", ["fifty", ";", "seven"]),
    ("five , seven", ["five", ",", "seven"]),
    ("5, seven", ["5", ",", "seven"]),
    ("It is five seven, I think.", ["it", "is", "five", "seven", "i", "think"]),  # a comma after the number, none between
    ("Seven, Paris", ["seven", "paris"]),  # a word that is no number
    ("Fifty-seven, nice", ["fifty", "-", "seven", "nice"]),
    ("5, 7 and 9", ["5", ",", "7", "and", "9"]),
    ("1,200", ["1200"]),
])
def test_a_comma_between_two_number_words_is_a_word(text, want):
    from picochat_hf.honesty.normalize import words

    assert words(text) == want
