"""The article "A" before a capitalized word ("B. A Mercury is a planet.") is an article, not option A, unless that word
starts option A's own text ("A Mercury" where A is Mercury chooses A). A letter after it is still chosen ("A B" is two
letters) and the right letter then another one still fails."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PLANET = ("Multiple choice. Which option names a planet?\nA. deer\nB. Mercury\nC. Saturday\nD. bed\n"
          "Give only the letter of the right answer.")
CHOICES = ["deer", "Mercury", "Saturday", "bed"]
FIRST = ("Which option names a planet?\nA. Mercury\nB. deer\nC. Saturday\nD. bed\nGive only the letter of the right answer.")


def verdict(prompt: str, choices: list[str], gold: str, reply: str) -> dict:
    row = {"id": "c", "skill": "choice", "must_include": [gold], "max_words": 12, "normalized_answer": gold.lower(),
           "choices": choices, "correct_choice": gold, "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("reply", ["B. A Mercury is a planet.", "B. A Planet named Mercury.", "**B**. A Mercury is a planet.",
                                   "The answer is B. A Mercury orbits the Sun."])
def test_an_article_before_a_capitalized_word_is_no_letter(reply):
    v = verdict(PLANET, CHOICES, "B", reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", ["A B", "B. A", "B. A is right too.", "B or A", "A. Mercury"])
def test_a_second_letter_still_fails(reply):
    assert not verdict(PLANET, CHOICES, "B", reply)["passed"], reply


def test_the_article_before_option_as_own_text_is_the_letter():
    assert verdict(FIRST, ["Mercury", "deer", "Saturday", "bed"], "A", "A Mercury")["passed"]
    assert not verdict(FIRST, ["Mercury", "deer", "Saturday", "bed"], "B", "B. A Mercury")["passed"]
