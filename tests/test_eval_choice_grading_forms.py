"""Honest ways to give the right letter within the row's word limit pass, and their wrong-letter twins fail; an
exclusion answer is judged on the one letter it leaves.

The exclusion rule (`letters.excluded_letter`): a reply that chooses no letter and denies every option but one of
three or more chooses the one left ("Not A, C or D.", "Anything but B, C and D.", "A, C and D are wrong."); fewer
denials ("Not A.", "Not A or C.") choose nothing ("Not A, C." chooses C: no "or" closes the list), and letters only asked about ("A? C? D?") are not denied."""

from __future__ import annotations

import pytest

from picochat_hf.eval.letters import chosen_letters
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "Which option names a animal?\nA. Mercury\nB. deer\nC. Saturn\nD. bed\nGive only the letter of the right answer."
CHOICES = ["Mercury", "deer", "Saturn", "bed"]
ROW = {"id": "c", "skill": "choice", "correct_choice": "B", "choices": CHOICES, "max_words": 12,
       "messages": [{"role": "user", "content": PROMPT}]}
LABELS = ["A", "B", "C", "D"]

HONEST = [
    "B", "B.", "b", "(B)", "(b)", "B)", "[B]", "**B**", "*B*", "`B`", '"B"', "'B'", "Option B", "option b", "Option (B).",
    "Letter B.", "Choice B.", "The answer is B.", "The answer is b.", "The correct answer is B.", "Answer: B", "Final answer: B",
    "B - deer", "B — deer", "B) deer", "B: deer", "B = deer", "deer (B)", "Deer: B", "B, deer.", "B (the deer)", "I pick B.",
    "I choose B.", "I'd say B.", "Go with B.", "It's B.", "That's B.", "B is correct.", "B is the answer.", "B is it.",
    "Definitely B.", "B ✓", "B, because deer is an animal.", "b, since a deer is an animal.", "B. A deer is an animal.",
    "Deer is an animal, so B.", "B, not A.", "B. Not A, C or D.", "B. A, C and D are wrong.", "Wrong: A, C, D. Right: B.",
    "B, no doubt.", "B. No other option is an animal.", "~~A~~ B", "B. No.1 choice.",
]


def failures(row: dict, reply: str) -> list[str]:
    return score_reply(row, reply, PROMPT, CFG)["failures"]


@pytest.mark.parametrize("reply", HONEST)
def test_honest_forms_of_the_right_letter_pass(reply):
    assert failures(ROW, reply) == [], (reply, failures(ROW, reply))


@pytest.mark.parametrize("reply", HONEST)
def test_the_wrong_letter_in_the_same_form_fails(reply):
    twin = {**ROW, "correct_choice": "C"}
    assert failures(twin, reply), reply


def test_an_exclusion_of_every_other_option_chooses_the_one_left():
    for reply, left in [("Anything but B, C and D.", ["A"]), ("A, C and D are wrong.", ["B"]), ("Not A, C or D.", ["B"]),
                        ("A, C, D are wrong.", ["B"]), ("Eliminated: A, C, D.", ["B"]), ("Not A.", []), ("Not A or C.", []), ("Not A, C.", ["C"]),
                        ("A? C? D?", []), ("A, C and D are wrong, and so is B.", []), ("A, C and D are wrong; same for B.", []),
                        ("A, C and D are wrong, and B too.", [])]:
        assert chosen_letters(reply, LABELS, CHOICES) == left, reply
    assert chosen_letters("Not A.", ["A", "B"], ["x", "y"]) == []  # of two options one denial is no choice


def test_an_exclusion_is_judged_on_the_letter_it_leaves():
    for reply in ["Not A, C or D.", "Anything but A, C and D.", "A, C and D are wrong.", "I'd rule out A, C and D."]:
        assert failures(ROW, reply) == [], (reply, failures(ROW, reply))
    for reply in ["Anything but B, C and D.", "Not A, B or D.", "A, B and D are wrong."]:
        fails = failures(ROW, reply)
        assert any("denies every option but" in f for f in fails), (reply, fails)
    for reply in ["Not A.", "Not A or C."]:
        assert any("chooses none" in f for f in failures(ROW, reply)), reply


def test_the_other_options_denied_before_the_letter_are_not_its_text():
    for reply in ["Not Mercury, Saturn or bed: B.", "Anything but Mercury, Saturn or bed: B", "Not Mercury, Saturn or bed, so B."]:
        assert failures(ROW, reply) == [], (reply, failures(ROW, reply))
    for reply in ["It is not Mercury but bed: B.", "Not Mercury; bed: B.", "bed (B)", "Not Mercury, bed: B.", "Not Mercury, rather bed: B."]:
        assert any("text of option D" in f for f in failures(ROW, reply)), (reply, failures(ROW, reply))
