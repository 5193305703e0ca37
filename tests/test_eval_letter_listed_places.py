"""Spelling working that says where a letter stands ("The letter o is at positions 2, 3.", "The o's are letters 2 and
3.", "h appears at position 1 and 6") must hold for the asked word: a wrong place list passed beside a right count and a
right final answer ("autogiro": o at positions 5, 9). Each claim form has an honest near-miss with the true places, a
place list that names only some of the letter's places, and a claim about a letter in its own place."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
COUNT = 'How many times does o appear in "hookah"?'
FIRST = 'Which letter comes first in "hookah"?'
SPELLED = "Spell it out: h, o, o, k, a, h.\n"


def passes(prompt: str, reply: str, want: str) -> bool:
    row = {"id": "c", "skill": "spelling", "normalized_answer": want, "answer_style": "scratchpad",
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)["passed"]


@pytest.mark.parametrize("claim", [
    "The letter o is at positions 3, 4.", "o is at positions 2 and 4.", "The o's are letters 3 and 4.",
    "The os are letters 5 and 9.", "o appears at position 1 and 2.", "o is in positions 2, 3 and 7.",
    "The letter o is at position 5.", "o occurs at places 1 and 2.", "'o' is at position 6.",
])
def test_a_false_place_list_fails(claim):
    assert not passes(COUNT, f"{SPELLED}{claim}\nCount: 2.\nFinal answer: 2", "2"), claim


@pytest.mark.parametrize("claim", [
    "The letter o is at positions 2, 3.", "o is at positions 2 and 3.", "The o's are letters 2 and 3.",
    "The os are letters 2 and 3.", "o appears at position 2 and 3.", "o occurs at places 2 and 3.",
    "The letter o is at position 2.", "'o' is at position 3.", "o is in positions 2 and 3.",
])
def test_the_true_places_pass(claim):
    assert passes(COUNT, f"{SPELLED}{claim}\nCount: 2.\nFinal answer: 2", "2"), claim


def test_other_letters_places_are_judged_too():
    assert passes(FIRST, f"{SPELLED}h is at positions 1 and 6.\nFinal answer: h", "h")
    assert not passes(FIRST, f"{SPELLED}h is at positions 1 and 5.\nFinal answer: h", "h")
    assert passes(FIRST, f"{SPELLED}The letter at position 1 is h.\nFinal answer: h", "h")
