"""Whose count the answer is when the prompt names several people. A question about them together ("How many apples do
they have in all?") is answered by no one person's count: the total given to one of them ("Tom has 8.") fails, the
total given to them all ("They have 8.", "Tom and Ann have 8.") or to no one passes. A count the reply gives the asked
person after the answer must agree with it: "Pia has 61 left. Pia has 91." states a second, different count (what she
had, "Pia had 91", is no such count). A "she"/"he" stands for the name before it in the reply's sentence, else for the
person the prompt's own "she"/"he" stands for, else for the one person the question asks about, else for everyone the
prompt names: "She has 30." on a prompt whose "she" is Pia gives Pia the count."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
IN_ALL = "Tom has 5 apples and Ann has 3 apples. How many apples do they have in all?"
TOGETHER = "Tom has 5 apples and Ann has 3 apples. How many apples do Tom and Ann have together?"
TOTAL = "Tom picks 5 apples. Ann picks 3 apples. How many apples are there in total?"
LEFT = "Pia has 91 grapes. She eats 30 of them. How many grapes does Pia have left?"
TO_SAM = "Pia has 91 grapes. She gives 30 of them to Sam. How many grapes does Sam have?"
TWO = "Pia has 91 grapes and Sam has 12 grapes. Pia gives 30 grapes to Sam. How many grapes does Pia have now?"


def verdict(prompt: str, want: str, reply: str, style: str = "direct") -> dict:
    row = {"id": "g", "skill": "math", "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("prompt", [IN_ALL, TOGETHER, TOTAL])
@pytest.mark.parametrize("reply", ["Tom has 8.", "Ann has 8 apples.", "Tom has 8 apples in all.", "Tom's 8 apples.",
                                   "Tom has 5 and Ann has 3, so Tom has 8.", "Ann now has 8."])
def test_a_total_given_to_one_of_several_fails(prompt, reply):
    assert not verdict(prompt, "8", reply)["passed"], (prompt, reply)
    assert not verdict(prompt, "8", f"5 + 3 = 8\nFinal answer: {reply}", "scratchpad")["passed"], (prompt, reply)


@pytest.mark.parametrize("prompt", [IN_ALL, TOGETHER, TOTAL])
@pytest.mark.parametrize("reply", ["8", "They have 8.", "Tom and Ann have 8 apples.", "Together they have 8 apples.",
                                   "Tom has 5 and Ann has 3, so 8.", "Ann has 3 apples, so they have 8.", "5 + 3 = 8",
                                   "There are 8 apples in total.", "**8**"])
def test_a_total_given_to_all_or_no_one_passes(prompt, reply):
    v = verdict(prompt, "8", reply)
    assert v["passed"], (prompt, reply, v["failures"])


@pytest.mark.parametrize("reply", ["Pia has 61 left. Pia has 91.", "Pia has 61 left, Pia has 91 grapes.", "61. Pia has 91.",
                                   "Pia has 61 left. She has 91.", "Pia has 61 grapes left. Pia still has 91 grapes."])
def test_a_second_different_count_for_the_asked_person_fails(reply):
    assert not verdict(LEFT, "61", reply)["passed"], reply


@pytest.mark.parametrize("reply", ["Pia has 61 left.", "Pia has 61 left; she had 91.", "Pia had 91 and now has 61.",
                                   "Pia has 91 grapes and eats 30, so she has 61 left.", "Pia has 61 left. Pia had 91 at first.",
                                   "Pia has 61 left, which is 91 - 30."])
def test_the_asked_count_beside_what_she_had_passes(reply):
    v = verdict(LEFT, "61", reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("prompt,reply", [(TO_SAM, "She has 30."), (TO_SAM, "She has 30 grapes now."),
                                          (TWO, "Sam has 42. He has 61."), (TWO, "Sam now has 42, and he has 61.")])
def test_a_pronoun_for_another_person_fails(prompt, reply):
    want = "30" if prompt == TO_SAM else "61"
    assert not verdict(prompt, want, reply)["passed"], (prompt, reply)


@pytest.mark.parametrize("prompt,reply", [(TO_SAM, "He has 30."), (TO_SAM, "Sam has 30."), (TWO, "She has 61."), (TWO, "He has 61."),
                                          (TWO, "Pia gave 30 to Sam, so she has 61."), (TWO, "61")])
def test_a_pronoun_for_the_asked_person_passes(prompt, reply):
    want = "30" if prompt == TO_SAM else "61"
    v = verdict(prompt, want, reply)
    assert v["passed"], (prompt, reply, v["failures"])
