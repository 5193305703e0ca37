"""Multiplication told as repeated addition and subtraction told as counting back are judged step by step: a worded
product on the right of an equation written with signs ("9 × 4 is four 9s"), a sum under a heading that says what it
repeats ("Add 9 four times: 9+9+9+9 = 36") and a count back in ones ("Count back 3 from 12: 11, 10, 9"). A false one
fails a reply whose final answer is right; the same working made true, in the same style, passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def passes(a: int, op: str, b: int, working: str) -> bool:
    result = {"+": a + b, "-": a - b, "*": a * b}[op]
    word = {"+": "plus", "-": "minus", "*": "multiplied by"}[op]
    prompt = f"Evaluate {a} {word} {b}."
    row = {"id": "m", "skill": "math", "category": "math", "normalized_answer": str(result), "answer_style": "scratchpad",
           "messages": [{"role": "user", "content": prompt}], "problem": {"op": op, "a": a, "b": b, "result": result}}
    return score_reply(row, f"{working}\nFinal answer: {result}", prompt, CFG)["passed"]


@pytest.mark.parametrize("right, wrong", [
    ("9 × 4 is four 9s: 9+9+9+9 = 36", "9 × 4 is five 9s: 9+9+9+9 = 36"),
    ("9 × 4 is four 9s: 9 + 9 + 9 + 9 = 36.", "9 × 4 is four 9s: 9 + 9 + 9 = 36."),
    ("9 x 4 = four 9s = 36.", "9 x 4 = five 9s = 36."),
    ("9*4 is 4 nines: 9+9+9+9 = 36.", "9*4 is 3 nines: 9+9+9+9 = 36."),
    ("9 times 4 is four 9s: 9+9+9+9 = 36", "9 times 4 is five 9s: 9+9+9+9 = 36"),
    ("9 × 4 means four 9s, which is 9 + 9 + 9 + 9 = 36.", "9 × 4 means four 9s, which is 9 + 9 + 9 + 9 + 9 = 36."),
])
def test_a_product_named_in_words_after_a_product_in_signs_must_hold(right, wrong):
    assert passes(9, "*", 4, right), right
    assert not passes(9, "*", 4, wrong), wrong


@pytest.mark.parametrize("right, wrong", [
    ("Add 9 four times: 9+9+9+9=36.", "Add 9 five times: 9+9+9+9=36."),
    ("Add 4 nine times: 4+4+4+4+4+4+4+4+4 = 36.", "Add 4 nine times: 4+4+4+4+4+4+4+4 = 36."),
    ("9 added 4 times: 9 + 9 + 9 + 9 = 36.", "9 added 4 times: 9 + 9 + 9 + 9 + 9 = 36."),
    ("Four nines: 9 + 9 + 9 + 9 = 36.", "Five nines: 9 + 9 + 9 + 9 = 36."),
    ("Four 9's: 9+9+9+9 = 36", "Four 9's: 9+9+8+9+1 = 36"),
    ("4 groups of 9 = 9 + 9 + 9 + 9 = 36.", "3 groups of 9 = 9 + 9 + 9 + 9 = 36."),
])
def test_a_sum_under_a_repeating_heading_must_repeat_it(right, wrong):
    assert passes(9, "*", 4, right), right
    assert not passes(9, "*", 4, wrong), wrong


def test_a_sum_added_up_step_by_step_is_no_repeated_sum():
    assert passes(9, "*", 4, "Four nines: 9 + 9 = 18, 18 + 9 = 27, 27 + 9 = 36.")
    assert not passes(9, "*", 4, "Four nines: 9 + 9 = 18, 18 + 9 = 28, 28 + 9 = 36.")


@pytest.mark.parametrize("right, wrong", [
    ("Count back 3 from 12: 11, 10, 9.", "Count back 3 from 12: 11, 10, 8, 9."),
    ("Count back 3 from 12: 11, 10 and 9.", "Count back 3 from 12: 11, 9."),
    ("Counting back from 12: 11, 10, 9.", "Counting back from 12: 11, 10, 8."),
    ("Count down from 12: 12, 11, 10, 9.", "Count down from 12: 12, 11, 9."),
])
def test_counting_back_must_step_by_one(right, wrong):
    assert passes(12, "-", 3, right), right
    assert not passes(12, "-", 3, wrong), wrong


def test_counting_on_must_step_by_one():
    assert passes(7, "+", 4, "Count on 4 from 7: 8, 9, 10, 11.")
    assert not passes(7, "+", 4, "Count on 4 from 7: 8, 9, 11.")
    assert not passes(7, "+", 4, "Count on 4 from 7: 8, 9, 10.")
