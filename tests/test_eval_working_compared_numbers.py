"""A comparison of two numbers written with signs or in words must hold ("61 < 60", "Sixty-one is less than sixty"), and
groups told with digit plurals ("Four 9s are 37") are read as the products they state; each true twin passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
JAR = "A jar contains 91 grapes. 30 are taken away by Finn. How many grapes are in the jar now?"
PRODUCT = "Evaluate 4 multiplied by 9."


def passes(prompt: str, reply: str, want: str, problem: dict) -> bool:
    row = {"id": "m", "skill": "math", "category": "math", "normalized_answer": want, "answer_style": "scratchpad",
           "messages": [{"role": "user", "content": prompt}], "problem": problem}
    return score_reply(row, f"{reply}\nFinal answer: {want}", prompt, CFG)["passed"]


@pytest.mark.parametrize("step, ok", [
    ("61 < 60, so 91 - 30 = 61.", False), ("61 > 60, so 91 - 30 = 61.", True),
    ("61 ≤ 60, so 91 - 30 = 61.", False), ("61 >= 60, so 91 - 30 = 61.", True),
    ("Sixty-one is less than sixty. 91 - 30 = 61.", False), ("Sixty-one is more than sixty. 91 - 30 = 61.", True),
    ("61 is bigger than 91. 91 - 30 = 61.", False), ("61 is smaller than 91. 91 - 30 = 61.", True),
])
def test_a_comparison_must_hold(step, ok):
    assert passes(JAR, step, "61", {"op": "-", "a": 91, "b": 30, "result": 61}) is ok, step


@pytest.mark.parametrize("step, ok", [
    ("Four 9s are 37. So 36.", False), ("Four 9s are 36.", True), ("So 4 9s make 35, no 36.", False), ("So 4 9s make 36.", True),
])
def test_groups_with_digit_plurals_are_products(step, ok):
    assert passes(PRODUCT, step, "36", {"op": "*", "a": 4, "b": 9, "result": 36}) is ok, step
