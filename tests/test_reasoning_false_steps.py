"""A trace whose stated state contradicts the answer, or the arithmetic of the step that leads to it, is a false
trace: "He gives away 6 and has 11 left." beside 5 and "He now has 5." beside 11 were kept, since 11 and 5 are
numbers the question states and the sentence was read as a restatement; "11 - 6 = 6" on the way to a right answer
was kept, since only the conclusion was compared. A state is now read as the quantity the working reached when it
follows a change ("gives away 6") or is marked as reached ("now has", "left", "in total"), and a step that gives
every number it needs (an equation, a quantity with one change and its result) must hold."""

from __future__ import annotations

import pytest

from picochat_hf.data.reasoning_checks import contradiction
from picochat_hf.data.reasoning_steps import wrong_equation

QS = "Sam has 11 apples and gives away 6. How many apples are left?"
Q6 = "Sam has 5 apples and gets 6 more. How many apples does he have?"
QM = "A shirt costs $20 and he pays with $50. How much change does he get?"
QB = "Sam has $50 and buys 4 shirts at $10 each. How much money is left?"
QA = "Tom is 5 years old now. How old will he be in 6 years?"
QC = "She has $30 and buys $10 of candy. How much money is left?"
QN = "Natalia sold 48 clips in April and half as many in May. How many clips did she sell altogether?"
QW = "Weng earns $12 an hour. She did 50 minutes of babysitting. How much did she earn?"


@pytest.mark.parametrize("question,trace,answer", [
    (QS, "He gives away 6 and has 11 left.", "5"),
    (QS, "He had 11. He gives away 6 and has 11 left.", "5"),
    (QS, "He gives away 6. He has 11 left.", "5"),
    (QS, "He gives away 6 and is left with 11.", "5"),
    (QS, "He gives away 6, leaving 11.", "5"),
    (QS, "11 - 6 = 5. He has 11 left.", "5"),
    (QS, "He has 11 left.", "5"),
    (Q6, "He now has 5.", "11"),
    (Q6, "He gets 6 more. He now has 5.", "11"),
    (Q6, "5 + 6 = 11. He has 5 apples now.", "11"),
    (Q6, "He has 5 apples in total.", "11"),
    (QS, "After giving away 6, he has 11 apples left.", "5"),
    (QS, "He gave 6 to his friend and has 11 left.", "5"),
    (Q6, "Now he has 5.", "11"),
])
def test_a_stated_state_contradicting_the_answer_drops_the_row(question, trace, answer):
    assert contradiction(question, trace, answer) is not None, trace


@pytest.mark.parametrize("question,trace,answer", [
    (QS, "He had 11, gives away 6, and has 11 left. So the answer is 5.", "5"),
    (QS, "He had 11 and gives away 6. He now has 11. The answer is 5.", "5"),
    (Q6, "He has 5 apples and buys 6 more, so he has 12 apples. The answer is 11.", "11"),
    (QS, "11 - 6 = 6. So the answer is 5.", "5"),
    (Q6, "5 + 6 = 12, so he has 11 apples.", "11"),
    (QM, "The change is $50 - $20 = $40. The answer is 30.", "30"),
    (Q6, "First 5 x 2 = 11. Then the answer is 11.", "11"),
    (QS, "He had 11 apples, gave 6 to Tom, and has 6 apples left. The answer is 5.", "5"),
    (QS, "He had 11 and gives 6 away, leaving 4. So the answer is 5.", "5"),
    (QB, "He had $50, spent $40, and has $20 left. The answer is 10.", "10"),
    (QS, "He had 11 apples. Then he gave away 6. Now he has 11. So the answer is 5.", "5"),  # over three sentences
    (QS, "Sam had 11 apples. Sam gives away 6 and has 11 left. The answer is 5.", "5"),
])
def test_a_false_step_before_a_right_answer_drops_the_row(question, trace, answer):
    reason = contradiction(question, trace, answer)
    assert reason is not None and "step" in reason, (trace, reason)


@pytest.mark.parametrize("question,trace,answer", [
    (QS, "He had 11, gives away 6, and has 5 left.", "5"),
    (QS, "He had 11 and gave away 6.", "5"),  # the question restated: no result
    (QS, "He gives away 6, leaving 5.", "5"),
    (QS, "He had 11 and gives away 6. He now has 5.", "5"),
    (QS, "11 - 6 = 5. He has 5 left.", "5"),
    (Q6, "He has 5 apples and gets 6 more. He now has 11.", "11"),
    (Q6, "He has 5 apples left over and gets 6 more.", "11"),  # a start restated, then a change: no result
    (Q6, "He now has 5 + 6 = 11 apples.", "11"),
    (Q6, "5 + 6 = 11, so he has 11 apples now.", "11"),
    (QM, "The change is $50 - $20 = $30.", "30"),
    (QM, "50 - 20 = 30 - 0 = 30", "30"),  # a chain read link by link
    (Q6, "10 / 3 = 3.33, which is not needed. 5 + 6 = 11.", "11"),  # rounded to the digits shown
    (Q6, "Adding 5 and 6 gives us 11.", "11"),
    (QS, "He had 11 apples, gave 6 to Tom, and has 5 apples left.", "5"),
    (QB, "He had $50, bought 4 shirts, and has $10 left.", "10"),  # dollars and shirts: two kinds, not one sum
    (QB, "He had $50, spent $40, and has $10 left.", "10"),
    (QA, "In 6 years he will be 11. He is 5 now, of course.", "11"),  # an age restated, not an outcome
    (QS, "He had 11 apples. Then he gave away 6. Now he has 5. So the answer is 5.", "5"),
    (QS, "Tom has 3 apples. Sam gives away 6 and has 5 left.", "5"),  # Tom's apples are not what Sam gives away
    (QC, "She had $30 and buys $10 of candy, so she has $20 left.", "20"),  # buying with money spends it
    (QC, "She had 30 dollars and bought 10 dollars of candy, so she has 20 dollars left.", "20"),
    (QC, "She had 3 apples and bought 4 apples, so she has 7 apples. She spends $10, leaving $20.", "20"),
    (QN, "Natalia sold 48 clips in April. In May she sold half as many, 48 / 2 = 24 clips. Altogether she sold "
         "48 + 24 = 72 clips.", "72"),
    (QW, "Weng earns $12 an hour. 50 minutes is 50/60 = 0.8333 of an hour. So she earned 12 * 0.8333 = $10.", "10"),
    (QW, "He lost 5 pounds and now weighs 150. 12 x 5 = 60 and 60 / 6 = 10.", "10"),
])

def test_honest_states_and_steps_keep_the_row(question, trace, answer):
    assert contradiction(question, trace, answer) is None, (trace, contradiction(question, trace, answer))


@pytest.mark.parametrize("question,trace,answer", [
    (QC, "She had $30 and buys $10 of candy, so she has $40 left. The answer is 20.", "20"),
    (QC, "She had 3 apples and bought 4 apples, so she has 8 apples. The answer is 20.", "20"),
])
def test_a_purchase_step_with_the_wrong_direction_or_sum_drops_the_row(question, trace, answer):
    assert contradiction(question, trace, answer) is not None, trace


@pytest.mark.parametrize("text,wrong", [
    ("11 - 6 = 6", "11 - 6 = 6"), ("2 × 3 = 7", "2 × 3 = 7"), ("(2 + 3) * 4 = 21", "(2 + 3) * 4 = 21"),
    ("1,200 / 4 = 301", "1,200 / 4 = 301"), ("<<48/2=25>>", "48/2 = 25"),
    ("11 - 6 = 5", None), ("(2 + 3) * 4 = 20", None), ("1,200 / 4 = 300", None), ("<<48/2=24>>", None),
    ("20% of 50 = 10", None), ("x = 5", None), ("5 + 6 = 11 - 2 = 9", None), ("7 / 2 = 3.5", None),
    ("The date 2024-01-05 = a Friday", None),
])
def test_an_equation_is_read_to_the_digits_it_shows(text, wrong):
    assert wrong_equation(text) == wrong
