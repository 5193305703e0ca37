"""Counts the working gives the story's people must be the prompt's, in a scratchpad as in a direct reply: "Liam took 47
cookies." when Liam takes out 48, or "Sam has 6 cookies." with no Sam in the story, is a false fact beside a right final
answer. The prompt's own counts, the answer given to whoever the question asks about and results the working derives
pass."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
BOX = "There are 67 cookies in a box. Liam takes out 48. How many cookies remain in the box?"
PIA = "Pia has 91 grapes. She eats 30 of them. How many grapes does Pia have left?"
PROBLEMS = {BOX: (67, 48, "19"), PIA: (91, 30, "61")}


def passes(prompt: str, working: str) -> bool:
    a, b, want = PROBLEMS[prompt]
    row = {"id": "m", "skill": "math", "category": "math_removal", "answer_style": "scratchpad", "normalized_answer": want,
           "must_include": ["Final answer:"], "messages": [{"role": "user", "content": prompt}],
           "problem": {"op": "-", "a": a, "b": b, "result": int(want)}}
    return score_reply(row, f"{working}\nFinal answer: {want}", prompt, CFG)["passed"]


@pytest.mark.parametrize("prompt, working", [
    (BOX, "Liam took 47 cookies. 67 - 48 = 19."), (BOX, "Sam has 6 cookies. 67 - 48 = 19."),
    (PIA, "Pia had 90 grapes and ate 30. 91 - 30 = 61."), (PIA, "Pia gave 30 to Sam. Sam has 31 now. 91 - 30 = 61."),
])
def test_a_count_the_prompt_does_not_give_that_person_fails(prompt, working):
    assert not passes(prompt, working), working


@pytest.mark.parametrize("prompt, working", [
    (BOX, "Liam took 48 cookies. 67 - 48 = 19."), (BOX, "Liam takes out 48, so 67 - 48 = 19 remain."),
    (PIA, "Pia had 91 grapes and ate 30. 91 - 30 = 61."), (PIA, "Pia has 91 - 30 = 61 left."),
    (PIA, "Pia has 61 grapes left after eating 30."),
])
def test_the_prompts_counts_and_the_answer_pass(prompt, working):
    assert passes(prompt, working), working


# A story person's move told in parts ("Liam takes 40 cookies and then 8 more" when Liam takes out 48) gives that person
# the parts' sum, which is the prompt's count: honest working that splits the subtraction passes. Parts that do not add up
# to a count the prompt gives the person ("40 ... and then 9 more"), or a part alone ("Liam takes 40 cookies."), still
# fail.

@pytest.mark.parametrize("prompt, working", [
    (BOX, "Liam takes 40 cookies and then 8 more. 67 - 40 = 27, 27 - 8 = 19."),
    (BOX, "Liam takes 40 cookies, then 8 more: 67 - 40 = 27, 27 - 8 = 19."),
    (BOX, "Liam takes out 40 and then another 8. 67 - 40 = 27, 27 - 8 = 19."),
    (BOX, "Liam takes 8 cookies and then 40 more. 67 - 8 = 59, 59 - 40 = 19."),
    (BOX, "Liam takes 40 cookies and then 8 cookies. 67 - 48 = 19."),
    (PIA, "Pia eats 20 grapes and then 10 more. 91 - 20 = 71, 71 - 10 = 61."),
    (PIA, "Pia eats 10, then 10, then 10 more. 91 - 30 = 61."),
])
def test_a_move_told_in_parts_that_add_up_passes(prompt, working):
    assert passes(prompt, working), working


@pytest.mark.parametrize("prompt, working", [
    (BOX, "Liam takes 40 cookies and then 9 more. 67 - 48 = 19."),
    (BOX, "Liam takes 40 cookies. 67 - 48 = 19."),
    (BOX, "Liam takes 40 cookies. Then 67 - 48 = 19. Then 8 more."),
    (PIA, "Pia eats 20 grapes and then 20 more. 91 - 30 = 61."),
    (PIA, "Pia had 90 grapes and ate 30. 91 - 30 = 61."),
])
def test_parts_that_do_not_add_up_to_the_prompts_count_fail(prompt, working):
    assert not passes(prompt, working), working
