"""A number given as the result of an equation the reply writes is that equation's claim: the right number after a false
equation ("929 + 269 = 660", "12 * 2 = 14") states something false and fails; after a true one ("929 - 269 = 660") it
passes, bare or in a sentence."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "Give the answer to 929 - 269."


def verdict(reply: str, want: str = "660", style: str = "direct", prompt: str = PROMPT) -> dict:
    row = {"id": "e", "skill": "math", "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("reply", ["929 + 269 = 660", "So 929 + 269 = 660.", "929 - 296 = 660", "The answer: 900 - 200 = 660"])
def test_the_right_number_after_a_false_equation_fails(reply):
    assert not verdict(reply)["passed"], reply
    assert not verdict(f"Subtract column by column.\nFinal answer: {reply}", style="scratchpad")["passed"], reply


@pytest.mark.parametrize("reply", ["929 - 269 = 660", "So 929 - 269 = 660.", "660", "The answer is 660.", "929 − 269 = 660",
                                   "660, since 929 - 269 = 660", "**660**"])
def test_the_right_number_after_a_true_equation_passes(reply):
    v = verdict(reply)
    assert v["passed"], (reply, v["failures"])


def test_multiplication_signs_are_read():
    prompt = "What number equals 8 × 6?"
    assert verdict("8 × 6 = 48", "48", prompt=prompt)["passed"]
    assert verdict("8 x 6 = 48", "48", prompt=prompt)["passed"]
    assert not verdict("8 + 6 = 48", "48", prompt=prompt)["passed"]


def test_a_rounded_result_is_no_false_equation():
    prompt = "What is 10 divided by 3, to two decimal places?"
    assert verdict("10 / 3 = 3.33", "3.33", prompt=prompt)["passed"]
    assert not verdict("10 / 4 = 3.33", "3.33", prompt=prompt)["passed"]
