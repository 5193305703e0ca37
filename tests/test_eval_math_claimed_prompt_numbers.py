"""A number the prompt states is no answer candidate when a reply restates it in a sentence ("Take 1 from 7. That is
6."), but it is one when it stands alone as what "that" or "it" is and closes its sentence: "6. That is 7." to "What
is 7 - 1?" gives two answers (before, 7 was read as the prompt's number restated and the reply passed)."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "What is 7 - 1?"
ROW = {"id": "m", "skill": "math", "category": "sub", "messages": [{"role": "user", "content": PROMPT}], "normalized_answer": "6"}
STORY = "Mia has 12 shells. She gives away 5. How many shells does Mia have now?"
STORY_ROW = {**ROW, "messages": [{"role": "user", "content": STORY}], "normalized_answer": "7"}
HALF_ROW = {**ROW, "messages": [{"role": "user", "content": "What is half of 12?"}]}
BEFORE_ROW = {**ROW, "messages": [{"role": "user", "content": "What number comes right before 7?"}]}


@pytest.mark.parametrize("row,reply", [
    (ROW, "6"), (ROW, "6. That is 7 - 1."), (ROW, "7 - 1 = 6. That is 6."), (ROW, "Take 1 from 7. That is 6."),
    (ROW, "It is 7 minus 1, which is 6."), (ROW, "6, not 7."), (ROW, "6. The first number is 7."),
    (ROW, "6. That is 7 take away 1."), (STORY_ROW, "Mia starts with 12 shells and gives away 5. That leaves 7."),
    (STORY_ROW, "12 - 5 = 7. It is 7."),
    # a phrase inside its clause relates another number to the answer
    (HALF_ROW, "6. Twice that is 12."), (ROW, "6. One more than that is 7."), (ROW, "6. Add 1 back and we get 7."),
    (BEFORE_ROW, "6. The number after it is 7."),
])
def test_restated_prompt_numbers_and_true_claims_pass(row, reply):
    v = score_reply(row, reply, row["messages"][0]["content"], CFG)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("row,reply", [
    (ROW, "6. That is 7."), (ROW, "6. It is 7."), (ROW, "6. That is 1."), (ROW, "It is 6. That is 7."), (ROW, "6. That's 7!"),
    (ROW, "6. That’s 7."), (ROW, "6. The answer is 7."), (ROW, "6. I get 7."), (STORY_ROW, "7. That is 12."),
    (STORY_ROW, "She has 7 shells. It is 5."), (ROW, "6. That is 7 exactly."), (ROW, "6. That is 7, sorry."),
    (ROW, "6. That is, 7."), (ROW, "6 (that is 7)."), (ROW, "6. Correct answer is 7."), (ROW, "6. Actually, it is 7."),
])
def test_a_prompt_number_given_as_what_the_answer_is_is_a_second_answer(row, reply):
    v = score_reply(row, reply, row["messages"][0]["content"], CFG)
    assert not v["passed"], reply
    assert any("several candidates" in f for f in v["failures"]), v["failures"]
