"""A word written whole in spelling working that holds exactly the asked word's letters but is neither the word nor its
reverse is a misspelling, wherever it stands: "So it is noticepsni." or "Joined: noitcepsin." beside a right final
answer passed, as false_glued read only a word after a spelling or reversal label. The word itself and its true reverse
pass in the same places, and so does a word of other letters ("So it is done.")."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
REVERSE = 'Give the word "inspection" with its letters reversed.'
WORKING = "Spell it out: i, n, s, p, e, c, t, i, o, n.\nReversed: n, o, i, t, c, e, p, s, n, i.\n"


def passes(reply: str) -> bool:
    row = {"id": "c", "skill": "spelling", "normalized_answer": "noitcepsni", "answer_style": "scratchpad",
           "messages": [{"role": "user", "content": REVERSE}], "problem": {"mode": "reverse", "word": "inspection"}}
    return score_reply(row, reply, REVERSE, CFG)["passed"]


@pytest.mark.parametrize("line", ["So it is noticepsni.", "Joined: noitcepsin.", "Together that makes noitcepnsi.",
                                  "The word inspectoin reversed gives the answer.", "That spells noticepsni."])
def test_a_scrambled_copy_of_the_word_in_the_working_fails(line):
    assert not passes(f"{WORKING}{line}\nFinal answer: noitcepsni"), line


@pytest.mark.parametrize("line", ["So it is noitcepsni.", "Joined: noitcepsni.", "The word inspection reversed gives it.",
                                  "So it is done.", "That spells the answer.", "inspection backwards is below."])
def test_the_word_its_reverse_and_other_words_pass(line):
    assert passes(f"{WORKING}{line}\nFinal answer: noitcepsni"), line
