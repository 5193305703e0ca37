"""Arithmetic working whose steps are false fails even when the final answer is right, in wordings the checks once missed:
an equality in words ("So 1 is 2.", "Hence 3 is 5.", "43 plus 44 makes 88"), an operation told as an instruction
("Add 40 and 40 to get 90."), a sum set out with other operands ("Add 43 and 45 column by column."), a count by a step
that is not a factor ("Count by 8, 4 times: ..." asked 4 * 9), and a second count given after the answer to the place the
question asks about ("The shelf has 6 buttons. It has 84."). Each has an honest near-miss that passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
SUM = "What number equals 43 + 44?"
PRODUCT = "Evaluate 4 multiplied by 9."
SHELF = "A shelf holds 84 buttons. Olive removes 78 of them. How many buttons stay on the shelf?"
JAR = "A jar contains 12 grapes. Finn eats 6 of them. How many grapes are in the jar now?"


def passes(prompt: str, reply: str, want: str, style: str = "scratchpad", **extra) -> bool:
    row = {"id": "m", "skill": "math", "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}], **extra}
    return score_reply(row, reply, prompt, CFG)["passed"]


@pytest.mark.parametrize("step, ok", [
    ("So 1 is 2.", False), ("Hence 3 is 5.", False), ("1 is 2.", False), ("So, 3 is 5.", False), ("We get 3 is 5.", False),
    ("Thus 1 makes 2.", False), ("So 3 gives 5.", False), ("Therefore 3 is the same as 5.", False),
    ("So 43 + 44 is 88.", False), ("So 43 plus 44 is 88.", False), ("So 43 + 44 makes 88.", False),
    ("Ones: 3 + 4 is 8.", False), ("40 + 40 is 90, 3 + 4 is 7, so 87.", False),
    ("So 87 is 87.", True), ("So 43 + 44 is 87.", True), ("So 43 plus 44 makes 87.", True), ("So 4 is less than 8.", True),
    ("40 + 40 is 80, 3 + 4 is 7, so 87.", True), ("So the answer is 87.", True), ("12 is 1 ten and 2 ones.", True),
    ("Day 1 is 5 pages.", True),  # a label, not an equality
])
def test_equalities_in_words_must_hold(step, ok):
    assert passes(SUM, f"{step}\nFinal answer: 87", "87") is ok, step


@pytest.mark.parametrize("step, ok", [
    ("Add 40 and 40 to get 90.", False), ("Add 40 and 40 to get 80.", True),
    ("Subtract 8 from 14 to get 7.", False), ("Subtract 8 from 14 to get 6.", True),
    ("Multiply 4 by 9 to get 35.", False), ("Multiply 4 by 9 to get 36.", True),
    ("43 + 44 = 88 - 1 = 87.", True), ("43 + 44 = 88 - 2 = 86.", False),  # a chained right side is evaluated whole
])
def test_operations_told_as_instructions_must_hold(step, ok):
    assert passes(SUM, f"{step}\nFinal answer: 87", "87") is ok, step


@pytest.mark.parametrize("prompt, reply, want, ok", [
    (SUM, "Add 43 and 45 column by column.\nFinal answer: 87", "87", False),
    (SUM, "Add 43 and 44 column by column.\nFinal answer: 87", "87", True),
    (SUM, "Add 44 and 43 column by column.\nFinal answer: 87", "87", True),
    ("Give the answer to 929 - 269.", "Subtract 296 from 929 column by column.\nFinal answer: 660", "660", False),
    ("Give the answer to 929 - 269.", "Subtract 269 from 929 column by column.\nFinal answer: 660", "660", True),
    (SHELF, "Start with 84 buttons and take away 79.\nFinal answer: 6", "6", False),
    (SHELF, "Start with 84 buttons and take away 78.\nFinal answer: 6", "6", True),
])
def test_a_sum_set_out_with_other_operands_fails(prompt, reply, want, ok):
    assert passes(prompt, reply, want) is ok, reply


@pytest.mark.parametrize("count, ok", [
    ("Count by 8, 4 times: 8, 16, 24, 32.", False), ("Count by 9, 5 times: 9, 18, 27, 36, 45.", False),
    ("Count by 7: 7, 14, 21, 28.", False),
    ("Count by 9, 4 times: 9, 18, 27, 36.", True), ("Count by 4, 9 times: 4, 8, 12, 16, 20, 24, 28, 32, 36.", True),
    ("Count by 9: 9, 18, 27, 36.", True), ("Count by 9, 4 times: 9; 18; 27; 36.", True),
])
def test_a_count_by_a_step_must_use_the_factors(count, ok):
    assert passes(PRODUCT, f"{count}\nFinal answer: 36", "36") is ok, count
    assert passes("Compute it.", f"{count}\nFinal answer: 36", "36", problem={"op": "*", "a": 4, "b": 9}) is ok, count


@pytest.mark.parametrize("prompt, reply, want, ok", [
    (SHELF, "The shelf has 6 buttons. It has 84.\nFinal answer: 6", "6", False),
    (SHELF, "The shelf has 6 buttons. The shelf has 84.\nFinal answer: 6", "6", False),
    (SHELF, "6 buttons stay on the shelf. The shelf has 84 buttons.\nFinal answer: 6", "6", False),
    (SHELF, "The shelf had 84 buttons. Olive removes 78. The shelf has 6 buttons.\nFinal answer: 6", "6", True),
    (SHELF, "The shelf has 6 buttons. It had 84.\nFinal answer: 6", "6", True),
    (SHELF, "The shelf has 84 buttons at first. 84 - 78 = 6. It has 6.\nFinal answer: 6", "6", True),
    (JAR, "The jar has 6 grapes now. It contains 12.\nFinal answer: 6", "6", False),
    (JAR, "6 grapes are in the jar. 12 grapes are in the jar.\nFinal answer: 6", "6", False),
    (JAR, "6 grapes are in the jar. 12 grapes were in the jar.\nFinal answer: 6", "6", True),
    (JAR, "Finn eats 6, so the jar has 12 - 6 = 6.\nFinal answer: 6", "6", True),
    (JAR, "The jar has 6 grapes, 6 fewer than the 12 it had.\nFinal answer: 6", "6", True),
    (JAR, "The jar has 6. It has 12.", "6", False),
    ("Pia has 91 grapes. She sells 30. How many grapes does Pia have left?", "Pia has 61 left. Pia has 91.\nFinal answer: 61", "61", False),
    ("Pia has 91 grapes. She sells 30. How many grapes does Pia have left?", "Pia has 61 left. Pia had 91.\nFinal answer: 61", "61", True),
])
def test_a_second_count_of_the_asked_place_or_person_after_the_answer_fails(prompt, reply, want, ok):
    style = "scratchpad" if "Final answer" in reply else "direct"
    assert passes(prompt, reply, want, style) is ok, reply


@pytest.mark.parametrize("step, ok", [
    ("So forty plus forty is ninety.", False), ("So forty plus forty is eighty.", True),
    ("So 43 + 44 → 88.", False), ("43 + 44 -> 87", True),
    ("The answer is 88.", False), ("The answer is 87.", True), ("So the final answer is 88.", False), ("So the sum is 88.", False), ("So the sum is 87.", True),
    ("Total: 88.", False), ("3 + 4 = 7 and 40 + 40 = 80, total 88.", False), ("3 + 4 = 7 and 40 + 40 = 80, total 87.", True),
    ("The ones sum is 7, the tens sum is 80.", True),  # partial results name their part
    ("The result is 44 + 43 = 87.", True),
    ("The result is 88 - 1 = 87.", False),  # true, but it computes 87 from 88, no number of 43 + 44 (`worked_operands`)
])
def test_arrows_number_words_and_stated_results_must_agree(step, ok):
    assert passes(SUM, f"{step}\nFinal answer: 87", "87") is ok, step


def test_a_total_is_judged_only_where_the_prompt_adds():
    story = "Pia has 5 apples and gets 7 more. She gives 4 away. How many apples does Pia have now?"
    assert passes(story, "Total: 12. She gives 4 away, so 12 - 4 = 8.\nFinal answer: 8", "8")
    assert not passes(story, "The answer is 9. 12 - 4 = 8.\nFinal answer: 8", "8")
