"""Worked steps that lean on a number stated before them fail when false, even with a right final answer: a product
restated as the wrong number of addends ("9 * 4 means 9 + 9 + 9 + 9 + 9"), a list of multiples with a wrong term
("9, 18, 27, 35, 36"), a carry added wrong ("= 13, plus the carry is 11"), a doubled or halved result, a number more or
less than a result; each true twin passes, and a number split into its parts ("73 is 70 and 3") is no false equality."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PRODUCT = "Evaluate 4 multiplied by 9."
SUM = "How much is 868 added to 73?"
COLUMNS = ("Add 868 and 73 column by column.\nOnes: 8 + 3 = 11, write 1, carry 1.\nTens: 6 + 7 = 13, {step}, write 4, "
           "carry 1.\nHundreds: 8 + 1 = 9.\nSo 868 + 73 = 941.")


def passes(prompt: str, reply: str, want: str, problem: dict) -> bool:
    row = {"id": "m", "skill": "math", "category": "math", "normalized_answer": want, "answer_style": "scratchpad",
           "messages": [{"role": "user", "content": prompt}], "problem": problem}
    return score_reply(row, f"{reply}\nFinal answer: {want}", prompt, CFG)["passed"]


def product(reply: str) -> bool:
    return passes(PRODUCT, reply, "36", {"op": "*", "a": 4, "b": 9, "result": 36})


def total(reply: str) -> bool:
    return passes(SUM, reply, "941", {"op": "+", "a": 868, "b": 73, "result": 941})


@pytest.mark.parametrize("step, ok", [
    ("9 * 4 means 9 + 9 + 9 + 9 + 9.", False), ("9 * 4 means 9 + 9 + 9 + 9.", True),
    ("9 * 4 means 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4.", False), ("9 * 4 means 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4.", True),
    ("4 × 9 stands for 9 + 9 + 9, which is 36.", False), ("4 × 9 stands for 9 + 9 + 9 + 9, which is 36.", True),
    ("4 times 9 means 9 plus 9 plus 9.", False), ("4 times 9 means 9 plus 9 plus 9 plus 9.", True),
    ("Four times nine means nine plus nine plus nine plus nine plus nine.", False),
    ("Four times nine means nine plus nine plus nine plus nine.", True),
])
def test_a_product_restated_as_addends_must_have_its_value(step, ok):
    assert product(f"{step}\nSo 4 * 9 = 36.") is ok, step


@pytest.mark.parametrize("step, ok", [
    ("9, 18, 27, 35, 36.", False), ("9, 18, 27, 36.", True), ("9, 18, 27 and 37.", False), ("9, 18, 27 and 36.", True),
    ("Nine, eighteen, twenty-eight, thirty-six.", False), ("Nine, eighteen, twenty-seven, thirty-six.", True),
    ("4, 8, 12, 16, 20, 24, 28, 33, 36.", False), ("4, 8, 12, 16, 20, 24, 28, 32, 36.", True),
    ("Multiples of 9: 9, 18, 27, 35.", False), ("Multiples of 9: 9, 18, 27, 36.", True),
    ("The 9 times table: 9, 18, 28, 36.", False), ("The 9 times table: 9, 18, 27, 36.", True),
    ("Multiples of 4: 4, 8, 12, 16, 20, 24, 28, 32, 36.", True),
])
def test_a_list_of_multiples_must_count_by_its_step(step, ok):
    assert product(f"{step}\nSo 4 * 9 = 36.") is ok, step


@pytest.mark.parametrize("step, ok", [
    ("2 * 9 = 18, doubled is 38. So 36.", False), ("2 * 9 = 18, doubled is 36.", True),
    ("9 * 2 = 18. 18 doubled is 38. So 36.", False), ("9 * 2 = 18. 18 doubled is 36.", True),
    ("8 * 9 = 72, halved is 37. So 36.", False), ("8 * 9 = 72, halved is 36.", True),
    ("4 * 10 = 40, then 4 less is 34. So 36.", False), ("4 * 10 = 40, then 4 less is 36.", True),
    ("4 * 10 = 40, minus 4 is 35. So 36.", False), ("4 * 10 = 40, minus 4 is 36.", True),
    ("Double 9 is 18, double again is 38. So 36.", False), ("Double 9 is 18, double again is 36.", True),
])
def test_a_step_from_the_result_before_it_must_hold(step, ok):
    assert product(step) is ok, step


@pytest.mark.parametrize("step, ok", [
    ("plus the carry is 11", False), ("plus the carry is 14", True),
    ("plus the carried 1 is 15", False), ("plus the carried 1 is 14", True),
    ("and adding the carry gives 13", False), ("and adding the carry gives 14", True),
    ("add the carry to get 12", False), ("add the carry to get 14", True),
    ("plus carry 1 makes 16", False), ("plus carry 1 makes 14", True),
    ("and with the carry that is 12", False), ("and with the carry that is 14", True),
    ("plus 1 carried is 15", False), ("plus 1 carried is 14", True),
])
def test_a_carry_added_to_a_column_must_hold(step, ok):
    assert total(COLUMNS.format(step=step)) is ok, step


@pytest.mark.parametrize("step, ok", [
    ("868 + 70 = 938, then 3 more is 942. So 941.", False), ("868 + 70 = 938, then 3 more is 941.", True),
    ("868 + 70 = 938, and 3 more gives 940. So 941.", False), ("868 + 70 = 938, and 3 more gives 941.", True),
    ("73 is 70 and 4. 868 plus 70 is 938. 938 plus 3 is 941.", False),
    ("73 is 70 and 3. 868 plus 70 is 938. 938 plus 3 is 941.", True),
    ("73 = 70 and 4. 868 + 70 = 938. 938 + 3 = 941.", False), ("73 = 70 and 3. 868 + 70 = 938. 938 + 3 = 941.", True),
    ("868 is 800 and 86. 68 + 73 = 141. 800 + 141 = 941.", False), ("868 is 800 and 68. 68 + 73 = 141. 800 + 141 = 941.", True),
])
def test_a_number_split_into_parts_and_a_number_more_must_hold(step, ok):
    assert total(step) is ok, step
