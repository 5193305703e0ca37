"""A reply that chooses the right letter and then gives another option's text as the answer ("B. Actually, bed.", "B, or
rather bed", "B; the animal is the bed") names two answers and fails. Another option's text as the subject of an
explanation ("bed is furniture"), denied ("not bed"), asked ("Saturn? No, B."), in the reason ("since bed is furniture")
or listed with the rest ("the others (Mercury, Saturn, bed) are not") explains the choice and passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "Multiple choice. Which option names a animal?\nA. Mercury\nB. deer\nC. Saturn\nD. bed\nGive only the letter of the right answer."
ROW = {"id": "c", "skill": "choice", "correct_choice": "B", "choices": ["Mercury", "deer", "Saturn", "bed"], "max_words": 40,
       "messages": [{"role": "user", "content": PROMPT}]}


@pytest.mark.parametrize("reply", [
    "B deer... no, bed", "B. Actually, bed.", "B, the bed", "B. Hmm, bed.", "B deer. Or bed.", "B, or rather bed", "B, i.e. Saturn",
    "B is deer; the animal is the bed.", "B. Final: bed", "B. No, Saturn.", "B... no, saturn", "B. Wait, I mean bed.",
    "B. Make that bed.", "B\nThe answer is Saturn.",
])
def test_another_options_text_given_as_the_answer_fails(reply):
    assert not score_reply(ROW, reply, PROMPT, CFG)["passed"], reply


@pytest.mark.parametrize("reply", [
    "B", "B. deer", "deer (B)", "B — deer, not bed", "B, deer is an animal", "B, since bed is furniture", "Saturn? No, B.",
    "B, deer. Bed is furniture.", "B: a deer is an animal, unlike Saturn.", "B. The others (Mercury, Saturn, bed) are not animals.",
    "B, because Mercury and Saturn are planets.", "The answer is B, deer.",
])
def test_other_options_explained_pass(reply):
    v = score_reply(ROW, reply, PROMPT, CFG)
    assert v["passed"], (reply, v["failures"])
