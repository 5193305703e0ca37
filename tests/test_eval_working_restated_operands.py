"""Working that restates the asked sum with other operands fails even when the final answer is right: "Add 43 and 45."
asked 43 + 44 (with or without "column by column"), "Take 43 and 45", "We need 43 + 45", "Start from 45 and add 43". The
same layouts with the prompt's own operands, in either order where the operation allows it, pass; column digits ("add 3
and 4") and decompositions with their results ("43 + 40 = 83") are steps, not restatements."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
ADD = "Work out 43 + 44."
SUB = "Compute 93 - 71."
STORY = "There are 67 cookies in a box. Liam takes out 48. How many cookies remain in the box?"
MUL = "Tell me the result of 6 × 12."
TEENS = "Work out 13 + 14."
PROBLEMS = {ADD: ("+", 43, 44, "87"), SUB: ("-", 93, 71, "22"), STORY: ("-", 67, 48, "19"), MUL: ("*", 6, 12, "72"),
            TEENS: ("+", 13, 14, "27")}


def passes(prompt: str, reply: str, style: str) -> bool:
    op, a, b, want = PROBLEMS[prompt]
    kind = {"+": "addition", "-": "subtraction", "*": "multiplication"}[op]
    row = {"id": "m", "skill": "math", "category": "math_removal" if prompt == STORY else f"math_{kind}",
           "answer_style": style, "normalized_answer": want, "messages": [{"role": "user", "content": prompt}],
           "problem": {"op": op, "a": a, "b": b, "result": int(want)}}
    if style == "scratchpad":
        row["must_include"] = ["Final answer:"]
        reply = f"{reply}\nFinal answer: {want}"
    return score_reply(row, reply, prompt, CFG)["passed"]


WRONG = [
    (ADD, "Add 43 and 45.\nOnes: 3 + 4 = 7.\nTens: 4 + 4 = 8.\nSo the sum is 87."),
    (ADD, "Take 43 and 45. Adding them gives 87."),
    (ADD, "We need 43 + 45. That makes 87."),
    (ADD, "Start from 45 and add 43. That gives 87."),
    (ADD, "Start with 45, then add 44 to get 87."),
    (ADD, "Adding 42 and 44 gives 87."),
    (ADD, "Let's add 43 plus 45. The answer is 87."),
    (ADD, "43 and 45 added together: 87."),
    (SUB, "We need 93 - 72. The answer is 22."),
    (SUB, "Subtract 71 from 94. The answer is 22."),
    (SUB, "Start with 71 and take away 93. The answer is 22."),
    (STORY, "Start from 68 cookies and take away 48. So 19 remain."),
    (STORY, "Take 47 away from 67. So 19 cookies remain."),
    (MUL, "Multiply 6 by 11. The product is 72."), (MUL, "We need 6 × 11. That is 72."),
    (TEENS, "Add 13 and 15. The answer is 27."), (TEENS, "We need 13 + 15. The answer is 27."),
]
# column working states several results, which a direct reply may not (its whole text is its answer): scratchpad only
WORKED = [
    (ADD, "Add 43 and 44.\nOnes: 3 + 4 = 7.\nTens: 4 + 4 = 8.\nSo the sum is 87."),
    (ADD, "Add the ones: add 3 and 4, that is 7. Add the tens: 4 and 4 make 8. The answer is 87."),
    (ADD, "Add 43 and 40 first: 43 + 40 = 83. Then add 4 to 83: 83 + 4 = 87."),
    (SUB, "Subtract 71 from 93 column by column.\nOnes: 3 - 1 = 2.\nTens: 9 - 7 = 2.\nSo 93 - 71 = 22."),
    (MUL, "Multiply 6 by 10, then 6 by 2: 6 × 10 = 60, 6 × 2 = 12, 60 + 12 = 72."),
    (STORY, "Ones: 7 is less than 8, so borrow: 17 - 8 = 9. Tens: 6 - 1 - 4 = 1. So 19 remain."),
]
HONEST = [
    (ADD, "Take 43 and 44. Adding them gives 87."),
    (ADD, "We need 43 + 44. That makes 87."),
    (ADD, "Start from 44 and add 43. That gives 87."),
    (ADD, "Start with 43, then add 44 to get 87."),
    (ADD, "Adding 44 and 43 gives 87."),
    (ADD, "Let's add 43 plus 44. The answer is 87."),
    (ADD, "43 and 44 added together: 87."),
    (ADD, "Start with 43. 43 + 40 = 83, 83 + 4 = 87. The answer is 87."),
    (SUB, "We need 93 - 71. The answer is 22."),
    (SUB, "Subtract 71 from 93. The answer is 22."),
    (SUB, "Start with 93 and take away 71. The answer is 22."),
    (STORY, "Start from 67 cookies and take away 48. So 19 remain."),
    (STORY, "Take 48 away from 67. So 19 cookies remain."),
    (MUL, "Multiply 6 by 12. The product is 72."), (MUL, "We need 6 × 12. That is 72."), (MUL, "Multiply 12 by 6. The product is 72."),
    (TEENS, "Add 13 and 14. The answer is 27."), (TEENS, "We need 14 + 13. The answer is 27."),
]


@pytest.mark.parametrize("style", ["direct", "scratchpad"])
@pytest.mark.parametrize("prompt, reply", WRONG)
def test_restated_operands_of_another_sum_fail(prompt, reply, style):
    assert not passes(prompt, reply, style), reply


@pytest.mark.parametrize("style", ["direct", "scratchpad"])
@pytest.mark.parametrize("prompt, reply", HONEST)
def test_the_prompts_own_operands_restated_pass(prompt, reply, style):
    assert passes(prompt, reply, style), reply


@pytest.mark.parametrize("prompt, reply", WORKED)
def test_column_and_place_steps_are_no_restatement(prompt, reply):
    assert passes(prompt, reply, "scratchpad"), reply
