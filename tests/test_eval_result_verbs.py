""""gives" after a sum or a pronoun that stands for one states its result ("84 - 78 gives 6.", "That gives 6."), not a
change in the story: a removal story's honest direct reply failed as "tied to 'gives', a change the question does not
ask about". A person who gives some away ("Olive gives 78 away.") still states a change, and a wrong result still
fails."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
STORY = "A shelf holds 84 buttons. Olive removes 78 of them. How many buttons stay on the shelf?"


def passes(reply: str, style: str = "direct") -> bool:
    row = {"id": "m", "skill": "math", "category": "math_removal", "normalized_answer": "6", "answer_style": style,
           "messages": [{"role": "user", "content": STORY}], "problem": {"op": "-", "a": 84, "b": 78, "result": 6}}
    return score_reply(row, reply, STORY, CFG)["passed"]


@pytest.mark.parametrize("reply", ["84 - 78 gives 6.", "84 minus 78 gives 6.", "We have 84 and 78. 84 - 78 gives 6.",
                                   "That gives 6.", "84 - 78 makes 6.", "So 84 - 78 gives 6 buttons."])
def test_gives_after_a_sum_states_its_result(reply):
    assert passes(reply), reply
    assert passes(f"{reply}\nFinal answer: 6", "scratchpad"), reply


@pytest.mark.parametrize("reply", ["Olive gives 6 away.", "She gives 6 to a friend.", "84 - 78 gives 7.", "That gives 16."])
def test_a_change_or_a_wrong_result_still_fails(reply):
    assert not passes(reply), reply
