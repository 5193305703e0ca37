"""A number the prompt states, restated in the reply, is working ("A shelf holds 84 buttons, Olive removes 78, so 6
stay") unless its clause says of it what the question asks: "6 buttons stay, and 78 stay too" and "6 stay. 84 stay."
give a second answer in the question's own words and fail; the prompt's counts restated in the prompt's words pass."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
SHELF = "A shelf holds 84 buttons. Olive removes 78 of them. How many buttons stay on the shelf?"
LEFT = "Pia has 91 grapes. She eats 30 of them. How many grapes does Pia have left?"
JAR = "A jar contains 91 grapes. 30 are taken away by Pia. How many grapes are in the jar now?"


def passes(prompt: str, want: str, reply: str) -> bool:
    row = {"id": "r", "skill": "math", "normalized_answer": want, "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)["passed"]


@pytest.mark.parametrize("prompt, want, reply", [
    (SHELF, "6", "6 buttons stay, and 78 stay too."), (SHELF, "6", "6 buttons stay. 84 stay."),
    (SHELF, "6", "6 stay on the shelf; 84 buttons stay on the shelf."), (LEFT, "61", "61 are left, or 30 left."),
    (LEFT, "61", "Pia has 61 left and 91 left."), (JAR, "61", "61 grapes are in the jar now. 91 are in the jar now."),
])
def test_a_prompt_number_restated_as_the_answer_fails(prompt, want, reply):
    assert not passes(prompt, want, reply), reply


@pytest.mark.parametrize("prompt, want, reply", [
    (SHELF, "6", "The shelf holds 84 buttons and Olive removes 78, so 6 stay."), (SHELF, "6", "6 buttons stay; 78 were removed."),
    (SHELF, "6", "84 - 78 = 6 buttons stay on the shelf."), (LEFT, "61", "Pia has 91 grapes and eats 30, so she has 61 left."),
    (JAR, "61", "The jar had 91 grapes and 30 were taken, so 61 are in the jar now."), (SHELF, "6", "6 stay, not 78."),
])
def test_the_prompts_counts_restated_as_working_pass(prompt, want, reply):
    assert passes(prompt, want, reply), reply
