"""An equation is false whichever side its expression stands on: "So 5 = 2 + 2." and "87 = 43 + 45" state false sums as
surely as "2 + 2 = 5", and so do equations in words in either direction ("two plus two makes five", "Five is two plus
two.", "The sum of 2 and 2 is 5.") or with counted nouns ("67 cookies minus 47 cookies leaves 19 cookies."). The same layouts with true sums pass, and so do labels and place values ("Day 1 = 2
pages", "12 = 1 ten and 2 ones")."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
SMALL = "What do you get for 2 + 3?"
ADD = "Work out 43 + 44."
STORY = "There are 67 cookies in a box. Liam takes out 48. How many cookies remain in the box?"
PROBLEMS = {SMALL: ("+", 2, 3, "5"), ADD: ("+", 43, 44, "87"), STORY: ("-", 67, 48, "19")}


def passes(prompt: str, reply: str, style: str) -> bool:
    op, a, b, want = PROBLEMS[prompt]
    row = {"id": "m", "skill": "math", "category": "math_removal" if prompt == STORY else "math_addition",
           "answer_style": style, "normalized_answer": want, "messages": [{"role": "user", "content": prompt}],
           "problem": {"op": op, "a": a, "b": b, "result": int(want)}}
    if style == "scratchpad":
        row["must_include"] = ["Final answer:"]
        reply = f"{reply}\nFinal answer: {want}"
    return score_reply(row, reply, prompt, CFG)["passed"]


WRONG = [
    (SMALL, "So 5 = 2 + 2."), (SMALL, "5 = 2 + 2, so the answer is 5."), (SMALL, "two plus two makes five."),
    (SMALL, "Five is two plus two."), (SMALL, "The sum of 2 and 2 is 5."), (SMALL, "5 equals 2 + 2."),
    (ADD, "So 87 = 43 + 45."), (ADD, "87 = 40 + 3 + 45."), (ADD, "The sum of 43 and 44 is 88, so 87."),
    (STORY, "So 19 = 67 - 47."), (STORY, "The difference between 67 and 48 is 29. So 19 remain."),
    (SMALL, "Adding gives 5, because 5 = 2 + 2."),
    (STORY, "67 cookies minus 47 cookies leaves 19 cookies."), (STORY, "67 cookies take away 47 is 19 cookies."),
    (STORY, "67 minus 47 leaves 19."),
]
HONEST = [
    (SMALL, "So 5 = 2 + 3."), (SMALL, "5 = 2 + 3, so the answer is 5."), (SMALL, "two plus three makes five."),
    (SMALL, "Five is two plus three."), (SMALL, "The sum of 2 and 3 is 5."), (SMALL, "5 equals 2 + 3."),
    (ADD, "So 87 = 43 + 44."), (ADD, "87 = 40 + 3 + 44."), (ADD, "The sum of 43 and 44 is 87."),
    (STORY, "So 19 = 67 - 48."), (STORY, "The difference between 48 and 67 is 19. So 19 remain."),
    (SMALL, "Adding gives 5, because 5 = 2 + 3."),
    (STORY, "67 cookies minus 48 cookies leaves 19 cookies."), (STORY, "67 cookies take away 48 is 19 cookies."),
    (STORY, "67 minus 48 leaves 19."),
]


@pytest.mark.parametrize("style", ["direct", "scratchpad"])
@pytest.mark.parametrize("prompt, reply", WRONG)
def test_a_false_equation_on_either_side_fails(prompt, reply, style):
    assert not passes(prompt, reply, style), reply


@pytest.mark.parametrize("style", ["direct", "scratchpad"])
@pytest.mark.parametrize("prompt, reply", HONEST)
def test_a_true_equation_on_either_side_passes(prompt, reply, style):
    assert passes(prompt, reply, style), reply


@pytest.mark.parametrize("reply", ["Day 1 = 2 + 3 pages read. So 5.", "12 = 1 ten and 2 ones, so 5.",
                                   "Step 1: 2 + 3 = 5.", "4 tens plus 3 ones is 43, and 2 + 3 = 5."])
def test_labels_and_place_values_are_no_equation(reply):
    assert passes(SMALL, reply, "scratchpad"), reply


@pytest.mark.parametrize("working, holds", [
    ("6 × 12\n= 6 × (10 + 2)\n= 60 + 12\n= 72", True),
    ("6 × 12 = 6 × (10 + 2) = 72", True),
    ("6 × 12 = 6 × (10 + 3) = 72", False),
    ("6 × 12\n= 6 × (10 + 3)\n= 60 + 12\n= 72", False),
])
def test_a_bracketed_expression_after_the_equals_sign_is_read_whole(working, holds):
    row = {"id": "m", "skill": "math", "category": "math_multiplication", "answer_style": "scratchpad",
           "normalized_answer": "72", "must_include": ["Final answer:"],
           "messages": [{"role": "user", "content": "Tell me the result of 6 × 12."}],
           "problem": {"op": "*", "a": 6, "b": 12, "result": 72}}
    result = score_reply(row, f"{working}\nFinal answer: 72", "Tell me the result of 6 × 12.", CFG)
    assert result["passed"] is holds, result
