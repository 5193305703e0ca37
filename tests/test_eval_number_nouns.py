"""A number answers a "how many <things>" question only when it counts those things: "12 oranges" or "Final answer: 12
pears" on a question about apples counts something else and fails, while "12 apples", "12 apple", "12 left", "12 in
total", "12 remain" and generic counts ("12 items") answer it."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
APPLES = "Sam has 5 apples and buys 7 more. How many apples does Sam have?"
CARS = "A shelf holds 19 toy cars. Ava removes 7 of them. How many toy cars stay on the shelf?"


def verdict(prompt: str, want: str, reply: str, style: str = "direct") -> dict:
    row = {"id": "n", "skill": "math", "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("reply", ["12 oranges", "Sam has 12 oranges.", "twelve oranges", "12 bananas in total", "It is 12 pears."])
def test_a_count_of_other_things_fails(reply):
    assert not verdict(APPLES, "12", reply)["passed"], reply
    assert not verdict(APPLES, "12", f"5 + 7 = 12\nFinal answer: {reply}", "scratchpad")["passed"], reply


@pytest.mark.parametrize("reply", ["12", "12 apples", "12 apple", "Sam has 12 apples.", "12 in total", "12 altogether", "12 items",
                                   "12 apples remain", "12 is the answer", "Twelve apples."])
def test_a_count_of_the_asked_things_passes(reply):
    v = verdict(APPLES, "12", reply)
    assert v["passed"], (reply, v["failures"])


def test_a_multi_word_thing_counts_with_either_word():
    for reply in ["12 toy cars", "12 cars", "12 remain on the shelf"]:
        assert verdict(CARS, "12", reply)["passed"], reply
    assert not verdict(CARS, "12", "12 dolls")["passed"]


def test_a_letter_count_may_name_letters_or_times():
    prompt = 'How many letters are in "banana"?'
    for reply in ["6 letters", "6 characters", "6"]:
        assert verdict(prompt, "6", reply)["passed"], reply
    assert not verdict(prompt, "6", "6 syllables")["passed"]
    assert verdict('How many t\'s are in "letter"?', "2", "2 times")["passed"]
