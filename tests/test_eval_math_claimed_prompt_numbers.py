"""A number the prompt states is no answer candidate when a reply restates it in a sentence ("Take 1 from 7. That is
6."), but it is one when a short reply with no working gives it as what "that" or "it" is in its last sentence: "6.
That is 7." to "What is 7 - 1?" gives two answers (before, 7 was read as the prompt's number restated and the reply
passed). Working that restates the prompt's numbers ("First we find the start. That is 12. ...") still passes."""

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
    # working restates the prompt's numbers: in a reply with an expression or more than three sentences, or before its
    # last sentence, "that is 12" is the working's
    (ROW, "We start with 7. It is 7 initially, then we take away 1, so it is 6."), (ROW, "6. That is 7, take away 1."),
    (ROW, "Start with the first number (that is 7) and take away 1. That is 6."), (ROW, "The answer is 6. Check: 6 + 1 = 7. That is 7."),
    (STORY_ROW, "Mia starts with some shells: that is 12, and she gives away 5. So she has 7."),
    (STORY_ROW, "The shells she gives away (that is 5) are gone. 12 - 5 = 7."),
    (STORY_ROW, "First we find the start. That is 12. Then we take away 5. That is 7."),
    (STORY_ROW, "How many shells did Mia start with? It is 12. How many did she give away? It is 5. So she has 7."),
])
def test_restated_prompt_numbers_and_true_claims_pass(row, reply):
    v = score_reply(row, reply, row["messages"][0]["content"], CFG)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("row,reply", [
    (ROW, "6. That is 7."), (ROW, "6. It is 7."), (ROW, "6. That is 1."), (ROW, "It is 6. That is 7."), (ROW, "6. That's 7!"),
    (ROW, "6. That’s 7."), (ROW, "6. The answer is 7."), (ROW, "6. I get 7."), (STORY_ROW, "7. That is 12."),
    (STORY_ROW, "She has 7 shells. It is 5."), (ROW, "6. That is 7 exactly."), (ROW, "6. That is 7, sorry."),
    (ROW, "6. That is, 7."), (ROW, "6 (that is 7)."), (ROW, "6. Correct answer is 7."), (ROW, "6. Actually, it is 7."),
    (ROW, "6. Oh wait, that is 7."), (ROW, "6. Hmm, no, it is 7."), (ROW, "6. But it is 7."), (ROW, "6. I mean, it is 7."),
    (ROW, "6. So that makes 7."), (ROW, "6 — that is 7."), (ROW, "6. It's 7 now."),
])
def test_a_prompt_number_given_as_what_the_answer_is_is_a_second_answer(row, reply):
    v = score_reply(row, reply, row["messages"][0]["content"], CFG)
    assert not v["passed"], reply
    assert any("several candidates" in f for f in v["failures"]), v["failures"]
