"""Other options named as a contrast or an elimination beside the chosen letter do not make several letters, and the
row's key-letter `must_include` is met by the letter judge's reading (`letter_described`, `scoring._phrase_failures`).

A letter that is the subject of a describing clause ("A is a planet, so B.", "B, but A is close.", "C might seem right,
but it's B.") is read like a glossed letter: it chooses only when no other letter does. A clause that says the other
option is right, better, also right or has the asked property ("B, but A is better.", "B, though A is also an animal.")
chooses it too, and the reply fails for giving several letters."""

from __future__ import annotations

import pytest

from picochat_hf.eval.letters import chosen_letters
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "Multiple choice. Which option names a animal?\nA. Mercury\nB. deer\nC. Saturn\nD. bed\nSelect the best option and reply with its letter."
CHOICES = ["Mercury", "deer", "Saturn", "bed"]
ROW = {"id": "c", "skill": "choice", "correct_choice": "B", "choices": CHOICES, "max_words": 12, "must_include": ["B"],
       "messages": [{"role": "user", "content": PROMPT}]}


def failures(reply: str, row: dict = ROW) -> list[str]:
    return score_reply(row, reply, PROMPT, CFG)["failures"]


HONEST = [
    "B, but A is close.", "A is a planet, so B.", "A is a planet. So B.", "Not A, C or D.", "B; A and C are planets and D is furniture.",
    "A and C are planets, so B.", "B. A is tempting, but it is a planet.", "B, though C is close.", "B, but A might trick you.",
    "B. A and C are planets.", "B; A is a planet.", "B is right; A is a planet.", "B. A could fool you, but it is a planet.",
    "B (deer is an animal; A is a planet).", "B, unlike A, which is a planet.", "B, over A.", "Definitely B; A is a planet.",
    "A is close, but B.", "A is tempting, but B.", "C might seem right, but it's B.", "I'd say B. A is a planet.", "C is a planet. B.",
    "A might look right, but B.", "A could trick you; it's B.", "A sounds plausible, but the answer is B.", "B. A is close but it is a planet.",
    "B; D is a bed.", "B. D is furniture, A and C are planets.", "B (A and C are planets).", "B — unlike A.", "B, in preference to A.",
    "B is an animal, A is a planet.", "B names an animal; A names a planet.", "It's B. A is a planet.", "B. Mercury is a planet.",
    "B. Saturn is a planet, so not C.", "B. Bed is furniture.", "B. Mercury and Saturn are planets, bed is furniture.",
    "B. Mercury isn't an animal.", "Not A, not C, not D: B.", "A, C and D are not animals, so B.", "A no, B yes.", "B. D is too short.",
]
WRONG = [
    "B, but A is better.", "B, though A is also an animal.", "B, but A is an animal.", "B, though A is also right.",
    "B, but A is the answer.", "B, but A works too.", "B. A is the right one.", "B, but A could be right.", "B, but A is preferable.",
    "A is a planet, so D.", "B is close, but A.", "B. Actually, Mercury is right.", "B. Actually, Mercury is the answer.",
    "B. Wait, bed is correct.", "B. Mercury.", "B: bed", "B, or rather bed.", "Not B, C or D.", "A, not B.",
]


@pytest.mark.parametrize("reply", HONEST)
def test_other_options_named_as_contrast_or_elimination_pass(reply):
    assert failures(reply) == [], (reply, failures(reply))


@pytest.mark.parametrize("reply", WRONG)
def test_another_option_affirmed_or_chosen_fails(reply):
    assert failures(reply), reply


def test_a_described_letter_alone_is_chosen():
    assert chosen_letters("B is a common animal.", list("ABCD"), CHOICES) == ["B"]
    assert chosen_letters("A is a planet, so B.", list("ABCD"), CHOICES) == ["B"]
    assert chosen_letters("A is a planet, C is a planet.", list("ABCD"), CHOICES) == ["A", "C"]


def test_the_key_letter_must_include_is_met_by_the_reading_only():
    assert failures("Not A, C or D.") == []
    assert failures("Not A or C; D.")  # chooses D
    got = failures("A, not B.")
    assert "must_include: the reply does not choose 'B'" in got, got
    got = failures("B or A.")
    assert "must_include: the reply does not choose 'B'" in got, got
    # a must_include phrase that is not the key letter is still a phrase
    row = dict(ROW, must_include=["B", "deer"])
    assert failures("B, deer.", row) == []
    assert "must_include: missing 'deer'" in failures("B.", row)


def test_the_key_letter_must_include_on_a_reasoning_row_reads_the_answer_part():
    row = dict(ROW, answer_style="reasoning", max_words=40)
    reply = "<reasoning>A and C are planets, D is furniture.</reasoning><answer>B</answer>"
    assert failures(reply, row) == []
    assert "must_include: the reply does not choose 'B'" in failures("<reasoning>Deer.</reasoning><answer>A</answer>", row)
