"""A reply that checks its answer is judged on the answer: "23 + 34 = 57. Check: 57 - 23 = 34." failed as the wrong
answer 34 ("'34' != '57'"), and "57. Check: 57 - 34 = 23." as two candidates. The equations after a `check_openers`
word, to the end of their sentence or bracket, are working; a false check still fails as a false step, and a bare number
there ("57. Check: 58.") is still a second answer."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
SUM = "How much is 23 + 34?"
STORY = "A shelf holds 78 seashells. Dina removes 66 of them. How many seashells stay on the shelf?"
PRODUCT = "How much is 7 * 8?"


def verdict(prompt: str, reply: str, want: str) -> dict:
    row = {"id": "m", "skill": "math", "category": "math", "normalized_answer": want, "answer_style": "direct",
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("prompt, reply, want", [
    (SUM, "23 + 34 = 57. Check: 57 - 23 = 34.", "57"), (SUM, "57. Check: 57 - 34 = 23.", "57"),
    (SUM, "The answer is 57. Check: 57 - 34 = 23.", "57"), (SUM, "57 (check: 57 - 34 = 23)", "57"),
    (SUM, "57. To verify, 57 - 34 = 23.", "57"), (STORY, "12 seashells stay. Check: 66 + 12 = 78.", "12"),
    (PRODUCT, "7 × 8 = 56. Check: 56 / 7 = 8.", "56"), (SUM, "57, and 57 - 34 = 23 checks it.", "57"),
])
def test_a_true_check_of_the_answer_passes(prompt, reply, want):
    v = verdict(prompt, reply, want)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("prompt, reply, want, why", [
    (SUM, "57. Check: 57 - 34 = 24.", "57", "false step"), (SUM, "23 + 34 = 57. Check: 57 - 23 = 35.", "57", "false step"),
    (SUM, "57. Check: 58.", "57", "several candidates"), (SUM, "58. Check: 58 - 34 = 24.", "57", "'58' != '57'"),
    (PRODUCT, "7 × 8 = 56. Check: 56 / 7 = 9.", "56", "false step"),
])
def test_a_false_check_or_a_second_answer_in_it_fails(prompt, reply, want, why):
    v = verdict(prompt, reply, want)
    assert not v["passed"], reply
    assert any(why in f for f in v["failures"]), v["failures"]
