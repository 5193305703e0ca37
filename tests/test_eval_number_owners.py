"""Whose count the right number is. On a "how many" story the count must belong to whom the question asks about: the
right number given to another person ("Sam has 61 left", "Sam's 61", "61 went to Sam") fails, on a question that names
a person and on one that names none; the asked person, a person the prompt names (when the question names none) or no
person at all passes. A change the reply negates after the count names what is left ("61 grapes were not taken"), so its
"not" is no hedge, unless the question asks about that change or about the person who received it."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
JAR = "A jar contains 91 grapes. 30 are taken away by Pia. How many grapes are in the jar now?"
GIVES = "Pia has 91 grapes. Pia gives away 30 of them. How many grapes does Pia have left?"
SOLD = "Pia starts the day with 91 grapes and sells 30. How many grapes are unsold?"
STILL = "Pia collected 91 grapes and then used 30. How many grapes does Pia still have?"
TO_SAM = "Pia has 91 grapes and gives 30 to Sam. How many grapes does Sam have?"
TAKEN = "A jar contains 91 grapes. 30 are taken away by Pia. How many grapes were taken?"


def verdict(prompt: str, want: str, reply: str, style: str = "direct") -> dict:
    row = {"id": "o", "skill": "math", "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("prompt", [JAR, GIVES, SOLD, STILL])
@pytest.mark.parametrize("reply", ["Sam has 61 left.", "Sam has 61.", "Sam's 61 grapes.", "61 went to Sam.", "Sam still has 61 grapes.",
                                   "Pia gave 61 to Sam.", "Pia has 30 left. Sam has 61.", "Pia gave 30 to Sam, so Sam has 61."])
def test_the_right_number_for_another_person_fails(prompt, reply):
    assert not verdict(prompt, "61", reply)["passed"], (prompt, reply)
    assert not verdict(prompt, "61", f"91 - 30 = 61\nFinal answer: {reply}", "scratchpad")["passed"], (prompt, reply)


@pytest.mark.parametrize("prompt", [JAR, GIVES, SOLD, STILL])
@pytest.mark.parametrize("reply", ["61", "61 grapes were not taken.", "61 weren't sold.", "61 grapes were never taken.",
                                   "There are 61 left.", "She has 61 left.", "Pia took 30, so 61 are left.",
                                   "61 grapes haven't been taken.", "61 grapes are left, since 30 were taken by Pia."])
def test_the_right_number_for_what_is_left_passes(prompt, reply):
    v = verdict(prompt, "61", reply)
    if prompt == JAR and reply == "She has 61 left.":  # "she" is Pia, who took 30 out of the jar: not what is left
        assert not v["passed"], (prompt, reply)
        return
    assert v["passed"], (prompt, reply, v["failures"])


@pytest.mark.parametrize("prompt", [GIVES, STILL, SOLD])
def test_the_asked_person_holding_the_rest_passes(prompt):
    for reply in ("Pia has 61 left.", "Pia still has 61.", "Pia has 61 left after giving away 30."):
        v = verdict(prompt, "61", reply)
        assert v["passed"], (prompt, reply, v["failures"])


def test_the_giver_is_not_the_receiver():
    for reply in ("Pia has 30.", "Pia kept 30.", "30 were not given."):
        assert not verdict(TO_SAM, "30", reply)["passed"], reply
    for reply in ("Sam has 30.", "Sam got 30 from Pia.", "30"):
        assert verdict(TO_SAM, "30", reply)["passed"], reply


def test_a_negated_change_the_question_asks_about_still_hedges():
    for reply in ("30 were not taken.", "61 were not taken."):
        assert not verdict(TAKEN, "30", reply)["passed"], reply
    assert verdict(TAKEN, "30", "30 were taken.")["passed"]


@pytest.mark.parametrize("prompt", [JAR, GIVES])
@pytest.mark.parametrize("reply", ["Sam: 61", "Sam - 61 grapes", "Pia now has 61 fewer grapes.", "Pia has 61 more.", "61 less."])
def test_a_labelled_count_or_a_difference_fails(prompt, reply):
    assert not verdict(prompt, "61", reply)["passed"], (prompt, reply)


def test_the_asked_person_as_a_label_passes():
    for reply in ("Pia: 61", "Pia - 61 grapes", "Pia has 61 grapes, 30 fewer than before."):
        v = verdict(GIVES, "61", reply)
        assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", ["Answer: 61", "Result: 61", "Total - 61", "So: 61"])
def test_an_answer_label_is_no_owner(reply):
    v = verdict(JAR, "61", reply)
    assert v["passed"], (reply, v["failures"])
