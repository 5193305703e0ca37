"""A letter count beside the answer gives its number to the letter after it: "There are 2 t's and 2 o's." asked about t
states a second count, of o, that is wrong for "toast" (one o), and fails; the asked letter's count told twice passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
T_IN_TOAST = 'How frequently does the letter t occur in "toast"?'


def passes(reply: str, want: str = "2") -> bool:
    row = {"id": "c", "skill": "spelling", "normalized_answer": want, "messages": [{"role": "user", "content": T_IN_TOAST}]}
    return score_reply(row, reply, T_IN_TOAST, CFG)["passed"]


@pytest.mark.parametrize("reply", ["There are 2 t's and 2 o's.", "2 t's, plus 2 o's.", "The letter t appears 2 times and the letter o appears 2 times.",
                                   "t: 2 and o: 2", "2 t's but 2 a's"])
def test_the_answer_given_to_another_letter_beside_it_fails(reply):
    assert not passes(reply), reply


@pytest.mark.parametrize("reply", ["There are 2 t's.", "2 (t, t)", "The letter t appears 2 times in toast.", "t occurs 2 times, at each end.",
                                   "2 t's and 2 in total.", "There are 2 t's, 2 in all."])
def test_the_asked_letters_count_passes(reply):
    assert passes(reply), reply


@pytest.mark.parametrize("reply", ["There are 2 t's and 1 o.", "2 t's and 1 s.", "The letter t appears 2 times and the letter a once.",
                                   "There are 2 t's; there is 1 o.", "2 t's, 1 o, 1 s.", "**2** t's and 1 o."])
def test_the_answer_beside_a_true_count_of_another_letter_passes(reply):
    assert passes(reply), reply


@pytest.mark.parametrize("reply,want", [("There are 1 t and 2 o's.", "2"), ("There are 2 t's and 3 o's.", "2"),
                                        ("There are 1 o and 2 a's.", "2"), ("There is 1 o.", "2"), ("2 t's and 0 o's.", "2"),
                                        ("There are 1 t's and 1 o.", "2"), ("There are 2 o's and 1 t.", "2")])
def test_a_wrong_count_of_either_letter_fails(reply, want):
    assert not passes(reply, want), reply
