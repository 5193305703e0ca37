"""On a prompt that asks how often one letter occurs, a count whose clause names another letter ("a appears 2 times",
"There are 2 a's" asked about r) counts that letter and fails, even when the number is right; a count of the asked
letter, or one that names no letter, passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPTS = ['How frequently does the letter r occur in "jarrah"?', 'What is the number of "r" letters in "jarrah"?',
           'Tell me how many times r is used in the word "jarrah".']


def verdict(prompt: str, reply: str, style: str = "direct") -> dict:
    row = {"id": "l", "skill": "spelling", "normalized_answer": "2", "max_words": 52, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("prompt", PROMPTS)
@pytest.mark.parametrize("reply", ["a appears 2 times.", "There are 2 a's.", "2 a's", "The letter a occurs twice.", 'It has 2 "a" letters.',
                                   "A: 2", "jarrah has two a's"])
def test_the_right_count_of_another_letter_fails(prompt, reply):
    assert not verdict(prompt, reply)["passed"], reply
    assert not verdict(prompt, f"Spell it out: j, a, r, r, a, h.\nFinal answer: {reply}", "scratchpad")["passed"], reply


@pytest.mark.parametrize("prompt", PROMPTS)
@pytest.mark.parametrize("reply", ["2", "Two.", "r appears 2 times.", "There are 2 r's.", "It appears twice.", "2 letters",
                                   'The letter "r" occurs 2 times.', "R: 2", "**2**", "jarrah has two r's."])
def test_a_count_of_the_asked_letter_passes(prompt, reply):
    v = verdict(prompt, reply)
    assert v["passed"], (reply, v["failures"])
