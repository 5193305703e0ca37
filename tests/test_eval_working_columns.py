"""Column working must be true of the problem's own columns: a carry, a digit written, a borrow, what a borrow makes of a
digit, the digits a column adds, a comparison and a correction. Lower-case place labels ("ones: 3 + 6 = 9") are read
like capitalised ones, and a number at a line's end is no quantity of the next line's label ("9\\ntens:" is no 9 tens)."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def passes(a: int, op: str, b: int, working: str) -> bool:
    want = a + b if op == "+" else a - b
    prompt = f"What is {a} {op} {b}?"
    row = {"id": "c", "skill": "math", "category": "math_addition", "answer_style": "scratchpad", "normalized_answer": str(want),
           "messages": [{"role": "user", "content": prompt}], "problem": {"op": op, "a": a, "b": b, "result": want}}
    return score_reply(row, f"{working}\nFinal answer: {want}", prompt, CFG)["passed"]


@pytest.mark.parametrize("right, wrong", [
    ("ones: 3 + 6 = 9\ntens: 9 + 3 = 12 -> write 2, carry 1\nhundreds: 1 + 8 + 1 = 10 -> write 0, carry 1\nthousands: 1",
     "ones: 3 + 6 = 9\ntens: 9 + 3 = 12 -> write 2, carry 2\nhundreds: 1 + 8 + 2 = 11 -> write 1, carry 1\nthousands: 1"),
    ("Tens: 9 + 3 = 12, write 2, carry 1.", "Tens: 9 + 3 = 12, write 3, carry 1."),
    ("Tens: 9 + 3 = 12, so write 2 and carry the 1.", "Tens: 9 + 3 = 12, so write 2 and carry 2."),
    ("Ones: 3 + 6 = 9, no carry.", "Tens: 9 + 3 = 12, no carry."),
    ("Ones: 3 + 6 = 9.", "Ones: 3 + 6 = 9, carry 1."),
    ("Ones: 3 + 6 = 9, write 9.", "Ones: 4 + 5 = 9, write 9."),  # a true sum of digits that are not the column's
    ("Hundreds: 1 + 8 = 9, 9 + 1 = 10, write 0, carry 1.", "Hundreds: 2 + 8 = 10, write 0, carry 1."),
    ("- ones: 3 + 6 = 9\n- tens: 9 + 3 = 12 (carry 1)", "- ones: 3 + 6 = 9\n- tens: 9 + 3 = 12 (carry 2)"),
    ("Step 1: 3 + 6 = 9.\nStep 2: 9 + 3 = 12. Write 2, carry 1.", "Step 1: 3 + 6 = 9.\nStep 2: 9 + 3 = 13. Write 3, carry 1."),
])
def test_column_addition_steps_must_hold(right, wrong):
    assert passes(193, "+", 836, right), right
    assert not passes(193, "+", 836, wrong), wrong


@pytest.mark.parametrize("right, wrong", [
    ("Ones: 4 is less than 8, borrow 1: 14 - 8 = 6.", "Ones: 4 is more than 8, borrow 1: 14 - 8 = 6."),
    ("Ones: 4 is less than 8, so borrow. Borrowing makes the 8 a 7. 14 - 8 = 6.",
     "Ones: 4 is less than 8, so borrow. Borrowing makes the 8 a 6. 14 - 8 = 6."),
    ("Ones: borrow, so the 4 becomes 14, and 14 - 8 = 6.", "Ones: borrow, so the 4 becomes 15, and 15 - 8 = 7."),
    ("Ones: 4 - 8 needs a borrow: 14 - 8 = 6.", "Ones: 4 - 8, no borrow needed."),
    ("Tens: 7 - 7 = 0, no borrow.", "Tens: 8 - 7 = 1, no borrow."),  # the tens lent one to the ones
    ("Tens: 8 - 1 = 7, 7 - 7 = 0.", "Tens: 8 - 7 = 1."),
    ("Tens: 8 - 7 - 1 = 0.", "Tens: 8 - 7 = 1, borrow 1."),
])
def test_column_subtraction_borrows_must_hold(right, wrong):
    assert passes(84, "-", 78, right), right
    assert not passes(84, "-", 78, wrong), wrong


def test_a_column_that_needs_no_borrow_says_none():
    assert passes(929, "-", 269, "Ones: 9 - 9 = 0.\nTens: 2 is less than 6, so borrow: 12 - 6 = 6. Borrowing makes the 9 an 8.\n"
                                 "Hundreds: 8 - 2 = 6.")
    assert not passes(929, "-", 269, "Ones: 9 - 9 = 0, borrow 1.")
    assert not passes(929, "-", 269, "Tens: borrow: 12 - 6 = 6. Borrowing makes the 9 a 7.")


# A retracted step is still a step: a false one fails even when the correction after it is true, and a "correction"
# that turns a true result into a false one fails too. The working must state no false step.
@pytest.mark.parametrize("working, ok", [
    ("3 + 4 = 7. So 43 + 44 = 87.", True),
    ("3 + 4 = 8, no, 7. So 43 + 44 = 87.", False),
    ("3 + 4 = 8, sorry, 9. So 43 + 44 = 87.", False),
    ("3 + 4 = 7, no, 8. So 43 + 44 = 87.", False),
    ("3 + 4 = 7, I mean 7. So 43 + 44 = 87.", True),
])
def test_self_corrected_working(working, ok):
    assert passes(43, "+", 44, working) is ok, working


@pytest.mark.parametrize("right, wrong", [
    ("12 is more than 6, so no borrow is needed here.", "6 is more than 12."),
    ("4 is not more than 8.", "4 is not less than 8."),
])
def test_a_comparison_of_two_numbers_must_hold(right, wrong):
    assert passes(84, "-", 78, right), right
    assert not passes(84, "-", 78, wrong), wrong


@pytest.mark.parametrize("right, wrong", [
    ("The ones are 3 and 6, which make 9.", "The ones are 3 and 6, which make 8."),
    ("3 and 6, which make 9.", "3 and 6, which make 8."),
    ("The tens are 9 and 3, which make 12, so carry 1 into the hundreds.",
     "The tens are 9 and 3, which make 12, so carry 1 into the tens."),
    ("193 + 836: carry 1 from the tens.", "193 + 836: carry 1 from the ones."),
])
def test_worded_column_sums_and_carries_must_hold(right, wrong):
    assert passes(193, "+", 836, right), right
    assert not passes(193, "+", 836, wrong), wrong
