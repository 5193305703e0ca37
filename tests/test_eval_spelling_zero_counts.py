"""A letter count written with the letter's plural: "There are 0 x's." counts the letter x (its "x" is the letter, not
the "x" of "12x"), so a zero count written as a digit passes; the same count of another letter ("0 t's") or a wrong
count ("2 x's") fails, and so does a multiplier ("0x", "0 x") the letter's plural does not follow."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
X_IN_TOAST = 'How frequently does the letter x occur in "toast"?'
T_IN_TOAST = 'How many times does the letter t appear in "toast"?'


def verdict(prompt: str, want: str, reply: str) -> dict:
    row = {"id": "s", "skill": "spelling", "normalized_answer": want, "max_words": 24, "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("prompt, want, reply", [
    (X_IN_TOAST, "0", "There are 0 x's."), (X_IN_TOAST, "0", "0 x's"), (X_IN_TOAST, "0", "There are zero x's in toast."),
    (X_IN_TOAST, "0", "There are **0** x’s."), (T_IN_TOAST, "2", "There are 2 t's."), (T_IN_TOAST, "2", "2 ts"),
    (X_IN_TOAST, "0", "0 times."),
])
def test_a_count_with_the_letters_plural_passes(prompt, want, reply):
    v = verdict(prompt, want, reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("prompt, want, reply", [
    (X_IN_TOAST, "0", "There are 0 t's."), (X_IN_TOAST, "0", "There are 2 x's."), (X_IN_TOAST, "0", "0x"),
    (X_IN_TOAST, "0", "0 x"), (T_IN_TOAST, "2", "There are 2 o's."), (T_IN_TOAST, "2", "2 x's"),
])
def test_a_count_of_another_letter_or_a_multiplier_fails(prompt, want, reply):
    assert not verdict(prompt, want, reply)["passed"], reply


def test_a_letters_plural_on_a_question_not_about_letters_is_no_count():
    prompt = "Pia has 91 grapes. Pia gives away 30 of them. How many grapes does Pia have left?"
    row = {"id": "m", "skill": "math", "normalized_answer": "61", "messages": [{"role": "user", "content": prompt}]}
    assert not score_reply(row, "61 x's", prompt, CFG)["passed"]


@pytest.mark.parametrize("reply", ["There are no x's, none at all.", "None. There are no x's.", "x does not occur in toast, not once.",
                                   "Never, not once.", "There are no x's in toast; zero times.", "**None**, there are no x's."])
def test_a_zero_count_restated_in_words_passes(reply):
    v = verdict(X_IN_TOAST, "0", reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("prompt, want, reply", [
    (X_IN_TOAST, "0", "Not none."), (X_IN_TOAST, "0", "There are no x's, not none."), (T_IN_TOAST, "2", "There are no t's, none at all."),
    (X_IN_TOAST, "0", "None, or maybe not."), (X_IN_TOAST, "0", "There are no x's, none at all?"),
    (X_IN_TOAST, "0", "None of your business, none."),
])
def test_a_zero_count_undone_or_wrong_fails(prompt, want, reply):
    assert not verdict(prompt, want, reply)["passed"], reply
