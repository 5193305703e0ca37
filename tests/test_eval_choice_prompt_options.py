"""A choice row without `choices` still lists its options in the prompt ("A. Apple" ... one a line): the scorer reads
them from there, so a reply that pairs the right letter with another option's text ("B. Car is furniture.", "B. Actually,
car.") fails as it does on a row with `choices`, and the right letter with its own text or a true reason passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.letters import prompt_options
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "Which of these is a piece of furniture?\nA. deer\nB. bed\nC. car\nD. axe\nAnswer with one letter."
ROW = {"id": "c", "skill": "choice", "correct_choice": "B", "max_words": 12, "messages": [{"role": "user", "content": PROMPT}]}


@pytest.mark.parametrize("reply", ["B. Car is furniture.", "B. car", "B) deer", "B. Actually, car.", "B, or rather axe", "C", "B or C"])
def test_the_right_letter_with_another_options_text_fails(reply):
    assert not score_reply(ROW, reply, PROMPT, CFG)["passed"], reply
    assert not score_reply(dict(ROW, choices=["deer", "bed", "car", "axe"]), reply, PROMPT, CFG)["passed"], reply


@pytest.mark.parametrize("reply", ["B. Bed is furniture.", "B", "B. bed", "The answer is **B**.", "**B**", "B.", "bed",
                                   "B, because a bed is furniture.", "B. Bed is furniture, not a car."])
def test_the_right_letter_with_its_text_or_a_true_reason_passes(reply):
    v = score_reply(ROW, reply, PROMPT, CFG)
    assert v["passed"], (reply, v["failures"])
    v = score_reply(dict(ROW, choices=["deer", "bed", "car", "axe"]), reply, PROMPT, CFG)
    assert v["passed"], (reply, v["failures"])


def test_options_are_read_only_from_a_full_run_of_letters():
    assert prompt_options(PROMPT) == ["deer", "bed", "car", "axe"]
    assert prompt_options("Pick one.\n(A) red\n(B) blue") == ["red", "blue"]
    assert prompt_options("A. red\nC. blue") is None
    assert prompt_options("What is 2 + 2?") is None
    assert prompt_options("A. red") is None
