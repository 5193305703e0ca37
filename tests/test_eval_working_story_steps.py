"""Honest story working that derives its own counts passes, and its false twin fails: a count less or more than one the
working derived ("91 - 29 = 62, and 1 grape less than 62 grapes is 61 grapes"), a change made in moves that add up to
the story's ("take 20 grapes ... take 10 grapes", "Take away 10 three times"), and the counts a steady count passes
through ("91 grapes, 81 grapes, 71 grapes, 61 grapes")."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
JAR = "A jar contains 91 grapes. 30 are taken away by Finn. How many grapes are in the jar now?"
SALE = "Aria starts the day with 60 balloons and sells 33. How many balloons are unsold?"


def passes(prompt: str, reply: str, want: int, a: int, b: int) -> bool:
    row = {"id": "m", "skill": "math", "category": "math_removal", "normalized_answer": str(want),
           "answer_style": "scratchpad", "messages": [{"role": "user", "content": prompt}],
           "problem": {"op": "-", "a": a, "b": b, "result": want}}
    return score_reply(row, f"{reply}\nFinal answer: {want}", prompt, CFG)["passed"]


@pytest.mark.parametrize("step, ok", [
    ("91 - 29 = 62, and 1 grape less than 62 grapes is 61 grapes.", True),
    ("91 - 29 = 62, and 1 grape less than 62 grapes is 60 grapes. So 61.", False),
    ("10 grapes less than 71 grapes is 61 grapes, and 91 - 20 = 71.", True),
    ("10 grapes less than 71 grapes is 62 grapes, and 91 - 20 = 71. So 61.", False),
    ("30 grapes fewer than 91 grapes is 61 grapes.", True), ("30 grapes fewer than 91 grapes is 62 grapes. So 61.", False),
    ("Take away 10 three times: 91 grapes, 81 grapes, 71 grapes, 61 grapes.", True),
    ("Take away 10 three times: 91 grapes, 81 grapes, 72 grapes, 61 grapes.", False),
    ("First take 20 grapes: 71 grapes remain. Then take 10 grapes: 61 grapes remain.", True),
    ("First take 20 grapes: 72 grapes remain. Then take 10 grapes: 61 grapes remain.", False),
    ("First take 20 grapes: 71 grapes remain. Then take 11 grapes: 61 grapes remain.", False),
    ("Finn takes 30 grapes, so 91 - 30 = 61 grapes are left.", True),
    ("Finn takes 31 grapes, so 91 - 30 = 61 grapes are left.", False),
])
def test_counts_the_working_derives_are_its_own(step, ok):
    assert passes(JAR, step, 61, 91, 30) is ok, step


@pytest.mark.parametrize("step, ok", [
    ("3 balloons less than 30 balloons is 27 balloons, and 60 - 30 = 30.", True),
    ("3 balloons less than 30 balloons is 26 balloons, and 60 - 30 = 30. So 27.", False),
    ("60 - 30 = 30 balloons, then 3 fewer is 27 balloons.", True),
    ("60 - 30 = 30 balloons, then 3 fewer is 28 balloons. So 27.", False),
    ("She sells 30 balloons and then 3 more, leaving 27 balloons.", True),
    ("She sells 30 balloons and then 4 more, leaving 27 balloons.", False),
])
def test_a_sale_made_in_parts(step, ok):
    assert passes(SALE, step, 27, 60, 33) is ok, step
