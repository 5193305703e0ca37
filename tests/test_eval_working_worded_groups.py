"""Worked steps that state quantities in words are judged like equations: place values ("5 tens - 4 tens = 2 tens"),
groups ("Six elevens make 72."), doubling and halving ("Twice 9 is 19.", "Half of 30 is 16."), "more than" / "less than",
and two numbers joined by "and" before a summing verb ("7 and 8 make 16."). A false one fails a reply whose final answer
is right; the same statement made true, in the same style, passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply
from picochat_hf.eval.worded_groups import groups_as_sums

CFG = load_scoring_config()


def passes(a: int, op: str, b: int, reply: str) -> bool:
    result = {"+": a + b, "-": a - b, "*": a * b}[op]
    prompt = f"What is {a} {op} {b}?"
    row = {"id": "m", "skill": "math", "normalized_answer": str(result), "answer_style": "scratchpad",
           "messages": [{"role": "user", "content": prompt}], "problem": {"op": op, "a": a, "b": b, "result": result}}
    return score_reply(row, f"{reply}\nFinal answer: {result}", prompt, CFG)["passed"]


@pytest.mark.parametrize("a, op, b, wrong, right", [
    (61, "-", 42, "61 - 42: 11 - 2 = 9, 5 tens - 4 tens = 2 tens, so 19.", "61 - 42: 11 - 2 = 9, 5 tens - 4 tens = 1 ten, so 19."),
    (64, "-", 42, "6 tens minus 4 tens is 3 tens, 4 ones minus 2 ones is 2 ones, so 22.",
     "6 tens minus 4 tens is 2 tens, 4 ones minus 2 ones is 2 ones, so 22."),
    (61, "-", 42, "Regroup as 5 tens and 11 ones. 11 ones - 2 ones = 8 ones, 5 tens - 4 tens = 1 ten. That is 19.",
     "Regroup as 5 tens and 11 ones. 11 ones - 2 ones = 9 ones, 5 tens - 4 tens = 1 ten. That is 19."),
    (61, "-", 42, "61 is 6 tens and 2 ones. Borrow: 11 - 2 = 9, 5 - 4 = 1, so 19.",
     "61 is 6 tens and 1 one. Borrow: 11 - 2 = 9, 5 - 4 = 1, so 19."),
    (478, "+", 402, "8 ones + 2 ones = 10 ones = 1 ten and 0 ones. 7 tens + 0 tens + 1 ten = 9 tens. 4 hundreds + 4 hundreds = 8 hundreds.",
     "8 ones + 2 ones = 10 ones = 1 ten and 0 ones. 7 tens + 0 tens + 1 ten = 8 tens. 4 hundreds + 4 hundreds = 8 hundreds."),
])
def test_place_value_steps_must_hold(a, op, b, wrong, right):
    assert not passes(a, op, b, wrong), wrong
    assert passes(a, op, b, right), right


@pytest.mark.parametrize("a, op, b, wrong, right", [
    (6, "*", 11, "Six elevens make 72.", "Six elevens make 66."),
    (6, "*", 11, "6 elevens are 72, so 66.", "6 elevens are 66."),
    (3, "*", 4, "Three fours are 13.", "Three fours are 12."),
    (4, "*", 5, "Four fives are twenty-one.", "Four fives are twenty."),
    (6, "*", 11, "6 lots of 11 is 72.", "6 lots of 11 is 66."),
    (6, "*", 11, "6 groups of 11 make 72.", "6 groups of 11 make 66."),
    (6, "*", 11, "11 six times is 72.", "11 six times is 66."),
    (2, "*", 9, "Twice 9 is 19.", "Twice 9 is 18."),
    (2, "*", 9, "Double 9 is 19.", "Double 9 is 18."),
    (30, "-", 15, "Half of 30 is 16, so 30 - 15 = 15.", "Half of 30 is 15, so 30 - 15 = 15."),
    (7, "+", 8, "7 and 8 make 16. So 7 + 8 = 15.", "7 and 8 make 15. So 7 + 8 = 15."),
    (7, "+", 8, "Seven and eight make sixteen, so the answer is 15.", "Seven and eight make fifteen, so the answer is 15."),
    (7, "+", 8, "7 and 8 together are 16.", "7 and 8 together are 15."),
    (7, "+", 8, "8 more than 7 is 16.", "8 more than 7 is 15."),
    (15, "-", 7, "7 less than 15 is 9.", "7 less than 15 is 8."),
    (7, "+", 8, "7 add 8 is 16.", "7 add 8 is 15."),
    (7, "+", 8, "The total of 7 and 8 is 16.", "The total of 7 and 8 is 15."),
    (15, "-", 7, "15 take 7 is 9.", "15 take 7 is 8."),
    (43, "+", 44, "Double 40 is 90, plus 7 is 87.", "Double 40 is 80, plus 7 is 87."),
    (230, "-", 227, "227 is 4 less than 230.", "227 is 3 less than 230."),
    (91, "-", 30, "Nine tens and one minus three tens is five tens and one, which is 61.",
     "Nine tens and one minus three tens is six tens and one, which is 61."),
    # a count headed by its groups
    (3, "*", 4, "Three fours: 4, 8, 13. So 12.", "Three fours: 4, 8, 12. So 12."),
    (3, "*", 4, "Three fours: 4, 8, 12, 16. So 12.", "Three fours: 4, 8, 12. So 12."),
    (8, "*", 6, "Eight sixes: 6, 12, 18, 24, 30, 36, 44, 48.", "Eight sixes: 6, 12, 18, 24, 30, 36, 42, 48."),
    # a step that goes on from the result before it, and a result told with "which is"
    (6, "*", 11, "Six times ten is sixty, plus six is sixty-seven, so 66.", "Six times ten is sixty, plus six is sixty-six, so 66."),
    (478, "+", 402, "478 + 400 = 878, then + 2 = 870. So 880.", "478 + 400 = 878, then + 2 = 880."),
    (478, "+", 402, "400 + 400 = 800, and then plus 80 = 890, so 880.", "400 + 400 = 800, and then plus 80 = 880."),
    (91, "-", 30, "The jar has 91 minus 30, which is 62. So 61.", "The jar has 91 minus 30, which is 61."),
])
def test_groups_doubles_and_worded_sums_must_hold(a, op, b, wrong, right):
    assert not passes(a, op, b, wrong), wrong
    assert passes(a, op, b, right), right


@pytest.mark.parametrize("a, op, b, reply", [
    (6, "*", 11, "6 × 11: 6 tens are 60 and 6 ones are 6, so 66."),
    (8, "*", 6, "Double 6 is 12, double again is 24, double again is 48."),
    (8, "*", 6, "Eight sixes: 6, 12, 18, 24, 30, 36, 42, 48."),
    (61, "-", 42, "Ones: 1 is less than 2, so borrow from the tens. 11 - 2 = 9. Tens: 6 - 1 = 5, 5 - 4 = 1."),
    (43, "+", 44, "12 is 1 ten and 2 ones, and 43 + 44 = 87."),
    (43, "+", 44, "4 tens: 40, 3 ones: 3. So 43 + 44 = 87."),
    (6, "*", 11, "6 elevens: 11, 22, 33, 44, 55, 66."),
    (6, "*", 11, "6 × 11 = 6 × 10 + 6 × 1 = 60 + 6 = 66."),
])
def test_honest_worded_working_passes(a, op, b, reply):
    assert passes(a, op, b, reply), reply


@pytest.mark.parametrize("text", ["Letters 2 and 4 are c and a.", "Day 1 is 5 pages.", "Regroup as 5 tens and 11 ones.",
                                  "Count by 6, 8 times: 6, 12.", "Ones: 0 is less than 7, borrow 1: 10 - 7 = 3."])
def test_text_that_states_no_worded_sum_is_left_alone(text):
    assert groups_as_sums(text, CFG.answers()) == text
