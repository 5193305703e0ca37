"""Working set out as labelled lines ("Start: 91. Removed: 30. Left: 91 - 30 = 61.") is honest when each label holds the
problem's own quantity: a label that names a step ("Start", "Left", "Total", "Jar") is no person whose count the number
is, and a start, change or result label whose number is not the problem's fails beside a right final answer."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
JAR = "A jar contains 91 grapes. 30 are taken away by Finn. How many grapes are in the jar now?"
ADD = "Pia has 40 shells. She finds 21 more. How many shells does Pia have now?"


def passes(working: str, prompt: str = JAR) -> bool:
    a, b, op, want = (91, 30, "-", 61) if prompt == JAR else (40, 21, "+", 61)
    row = {"id": "l", "skill": "math", "category": "math_removal", "answer_style": "scratchpad", "normalized_answer": str(want),
           "messages": [{"role": "user", "content": prompt}], "problem": {"op": op, "a": a, "b": b, "result": want}}
    return score_reply(row, f"{working}\nFinal answer: {want}", prompt, CFG)["passed"]


@pytest.mark.parametrize("right, wrong", [
    ("Start: 91. Removed: 30. Left: 91 - 30 = 61.", "Start: 92. Removed: 30. Left: 92 - 30 = 62."),
    ("Start: 91 grapes. Taken: 30. Left: 91 - 30 = 61.", "Start: 91 grapes. Taken: 31. Left: 61."),
    ("Total: 91\nTaken away: 30\nRemaining: 91 - 30 = 61", "Total: 91\nTaken away: 20\nRemaining: 61"),
    ("Start: 91\nMinus: 30\nResult: 61", "Start: 91\nMinus: 30\nResult: 60"),
    ("Before: 91. After: 91 - 30 = 61.", "Before: 90. After: 90 - 30 = 60."),
    ("In the jar: 91. Taken: 30. Left: 61.", "In the jar: 91. Taken: 30. Left: 60."),
    ("Jar: 91. Finn: 30. Jar now: 61.", "Jar: 91. Finn: 30. Jar now: 62."),
    ("- Start: 91\n- Removed: 30\n- Left: 61", "- Start: 91\n- Removed: 30\n- Left: 71"),
    ("91 - 30 => Left: 61", "91 - 30 => Left: 62"),
    ("Given: 91 grapes, 30 taken.\nWork: 91 - 30 = 61.", "Given: 91 grapes, 30 taken.\nWork: 91 - 30 = 62."),
])
def test_label_style_working_passes_when_true_and_fails_when_false(right, wrong):
    assert passes(right), right
    assert not passes(wrong), wrong


@pytest.mark.parametrize("right, wrong", [
    ("Start: 40. Added: 21. Total: 40 + 21 = 61.", "Start: 40. Added: 21. Total: 60."),
    ("Before: 40\nFound: 21\nNow: 61", "Before: 40\nFound: 21\nNow: 62"),
])
def test_total_is_the_result_of_an_addition(right, wrong):
    assert passes(right, ADD), right
    assert not passes(wrong, ADD), wrong


@pytest.mark.parametrize("working", [
    "Ones sum: 1 + 0 = 1. Tens sum: 9 - 3 = 6.",  # a part of the working is not the problem's quantity
    "After borrowing: 11 - 0 = 11 is not needed. 91 - 30 = 61.",
    "Check: 61 + 30 = 91.",
    "Step 1: 91 - 30 = 61.",
])
def test_labels_of_parts_and_steps_are_not_judged_against_the_problem(working):
    assert passes(working), working


def test_a_stranger_label_still_gives_that_person_a_count():
    assert not passes("Sam: 45. 91 - 30 = 61.")
    assert passes("Finn: 30. 91 - 30 = 61.")
