"""A result verb after an operation word or a gerund that opens its clause states the working's result, with or without
a unit noun ("Subtracting gives 6 buttons.", "Taking away 78 leaves 6 buttons."): the gerund is no person whose count
the number is. A person the reply names ("Olive gives 6 buttons away.", "Sam has 6 buttons.") still owns the count, and a
wrong result still fails."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
STORY = "A shelf holds 84 buttons. Olive removes 78 of them. How many buttons stay on the shelf?"


def passes(reply: str, style: str = "direct") -> bool:
    row = {"id": "m", "skill": "math", "category": "math_removal", "normalized_answer": "6", "answer_style": style,
           "messages": [{"role": "user", "content": STORY}], "problem": {"op": "-", "a": 84, "b": 78, "result": 6}}
    if style == "scratchpad":
        row["must_include"] = ["Final answer:"]
        reply = f"{reply}\nFinal answer: 6"
    return score_reply(row, reply, STORY, CFG)["passed"]


@pytest.mark.parametrize("style", ["direct", "scratchpad"])
@pytest.mark.parametrize("reply", ["Subtracting gives 6 buttons.", "Subtraction gives 6 buttons.", "Taking away 78 leaves 6 buttons.",
                                   "Removing 78 leaves 6 buttons on the shelf.", "Subtracting, we get 6 buttons."])
def test_a_result_verb_after_a_gerund_states_the_result(reply, style):
    assert passes(reply, style), reply


@pytest.mark.parametrize("style", ["direct", "scratchpad"])
@pytest.mark.parametrize("reply", ["Subtracting gives 7 buttons.", "Taking away 78 leaves 16 buttons.", "Subtraction gives 16.",
                                   "So subtracting, we get 7 buttons."])
def test_a_wrong_result_after_a_gerund_fails(reply, style):
    assert not passes(reply, style), reply


@pytest.mark.parametrize("reply", ["Sam has 6 buttons.", "Subtracting gives 6 buttons. Sterling has 6 buttons."])
def test_a_person_not_in_the_story_still_owns_the_count(reply):
    assert not passes(reply), reply


@pytest.mark.parametrize("reply", ["Subtracting the ones gives 2, and the tens give 0.", "Adding back 78 gives 84 to check."])
def test_a_partial_or_check_result_is_no_final_result(reply):
    assert passes(f"84 - 78 = 6.\n{reply}", "scratchpad"), reply
