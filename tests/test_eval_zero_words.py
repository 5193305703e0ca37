"""A zero count written in words: "None.", "There are no x's.", "Not a single one.", "x does not occur in toast." answer
a how-many question whose answer is 0, and fail one whose answer is not; a "no" before anything but what is counted
("No idea.", "No.") and "none" before other words ("None of your business.") state no count, and a zero word beside a
number is no second candidate for it to hide behind."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
X_IN_TOAST = 'How frequently does the letter x occur in "toast"?'
X_NUMBER = 'What is the number of "x" letters in "toast"?'
X_USED = 'Tell me how many times x is used in the word "toast".'
T_IN_TOAST = 'How frequently does the letter t occur in "toast"?'
JAR = "A jar contains 30 grapes. 30 are taken away by Pia. How many grapes are in the jar now?"


def passes(prompt: str, want: str, reply: str, style: str = "direct") -> bool:
    row = {"id": "z", "skill": "spelling", "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)["passed"]


ZERO = ["There are no x's.", "None.", "none", "There are none.", "Not a single one.", "There is not a single one.",
        "No x's.", "There are no x's in toast.", "The letter x does not occur.", "x doesn't appear in toast.",
        "The letter x does not occur in \"toast\".", "There is no x in toast.", "**None.**", "None at all.", "Not once.",
        "It never occurs.", "There are no letters x.", "No 'x' in toast.", "Zero."]


@pytest.mark.parametrize("prompt", [X_IN_TOAST, X_NUMBER, X_USED])
@pytest.mark.parametrize("reply", ZERO)
def test_a_zero_count_in_words_passes(prompt, reply):
    assert passes(prompt, "0", reply), (prompt, reply)


@pytest.mark.parametrize("reply", ZERO)
def test_a_zero_count_in_words_fails_a_nonzero_answer(reply):
    assert not passes(T_IN_TOAST, "2", reply.replace("x", "t")), reply


@pytest.mark.parametrize("reply", ["No idea.", "No.", "None of your business.", "There are no t's.", "No t's.",
                                   "Not a single one, maybe 2.", "None, or 1.", "None. Actually 1.", "There are no x's, just 1.",
                                   "I don't know.", "Nothing to count.", "No x's? Maybe.", "None?"])
def test_no_count_or_another_letters_zero_fails(reply):
    assert not passes(X_IN_TOAST, "0", reply), reply


def test_a_zero_count_in_a_scratchpad_and_on_a_story():
    assert passes(X_IN_TOAST, "0", "Spell it out: t, o, a, s, t.\nFinal answer: none", "scratchpad")
    assert passes(JAR, "0", "None are left.")
    assert passes(JAR, "0", "There are no grapes in the jar now.")
    assert not passes(JAR, "0", "No apples.")


def test_a_zero_held_by_a_name_or_denied_twice_fails():
    for reply in ("Pia has none.", "Pia has none left.", "It is not none.", "Not never.", "None, Pia took them."):
        assert not passes(JAR, "0", reply), reply
    for reply in ("None of them.", "Not a single grape is left.", "No grapes are left in the jar."):
        assert passes(JAR, "0", reply), reply
