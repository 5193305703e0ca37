"""A worked reply whose working states a false equation fails even when its final answer is right: "43 + 44 = 88.\\nFinal
answer: 87" contradicts its own answer, and "<reasoning>43 + 44 = 88</reasoning><answer>87</answer>" too. True working
(column sums with carries, a rounded division) passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
SUM = "What number equals 43 + 44?"


def passes(reply: str, style: str, want: str = "87", prompt: str = SUM) -> bool:
    row = {"id": "w", "skill": "math", "normalized_answer": want, "answer_style": style, "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)["passed"]


@pytest.mark.parametrize("reply", ["43 + 44 = 88.\nFinal answer: 87", "Ones: 3 + 4 = 8.\nTens: 4 + 4 = 8.\nFinal answer: 87",
                                   "40 + 40 = 80, 3 + 4 = 6, so 80 + 7 = 87.\nFinal answer: 87", "43 + 44 = 78\nFinal answer: 87"])
def test_false_working_before_a_right_final_answer_fails(reply):
    assert not passes(reply, "scratchpad"), reply


def test_false_reasoning_before_a_right_answer_fails():
    assert not passes("<reasoning>43 + 44 = 88</reasoning><answer>87</answer>", "reasoning")
    assert passes("<reasoning>43 + 44 = 87</reasoning><answer>87</answer>", "reasoning")


@pytest.mark.parametrize("reply", ["Add 43 and 44 column by column.\nOnes: 3 + 4 = 7, write 7.\nTens: 4 + 4 = 8, write 8.\nSo 43 + 44 = 87.\nFinal answer: 87",
                                   "43 + 44 = 87\nFinal answer: 87", "Final answer: 87"])
def test_true_working_passes(reply):
    assert passes(reply, "scratchpad"), reply
    # a sum of three numbers (asked 8 + 7, "8 + 6 + 1 = 15" would compute it from 6, which the row never gave)
    assert passes("Ones: 8 + 6 + 1 = 15, write 5, carry 1.\nFinal answer: 15", "scratchpad", "15", "What is 8 + 6 + 1?")
    assert passes("10 / 3 = 3.33\nFinal answer: 3.33", "scratchpad", "3.33", "What is 10 / 3 to two places?")
