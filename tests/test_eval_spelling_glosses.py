"""A gloss after a spelling answer that states a true fact about it is dropped: the prompt's word reversed
("noitcepsni (inspection backwards)", "noitcepsni - inspection reversed") or the answer letter's place in the alphabet
("h (the letter after g)", "h (just before i)", "h (the 8th letter of the alphabet)"). A gloss whose fact is false
("h (the letter after f)", "noitcepsni (inspectoin backwards)"), names another answer or adds other words still fails."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
REVERSE = 'Give the word "inspection" with its letters reversed.'
FIRST = 'Which letter comes first in "hookah"?'


def verdict(prompt: str, want: str, reply: str) -> dict:
    row = {"id": "s", "skill": "spelling", "normalized_answer": want, "max_words": 24, "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("prompt, want, reply", [
    (REVERSE, "noitcepsni", "noitcepsni (inspection backwards)"), (REVERSE, "noitcepsni", "noitcepsni (that is inspection reversed)"),
    (REVERSE, "noitcepsni", "noitcepsni - inspection spelled backwards"), (REVERSE, "noitcepsni", "noitcepsni (reversed inspection)."),
    (REVERSE, "noitcepsni", "**noitcepsni** (inspection in reverse)"), (REVERSE, "noitcepsni", "noitcepsni, inspection backwards."),
    (FIRST, "h", "h (the letter after g)"), (FIRST, "h", "h (just before i in the alphabet)"), (FIRST, "h", "h - the letter after g"),
    (FIRST, "h", "h (the 8th letter of the alphabet)"), (FIRST, "h", "The first letter is h (the one following g)."),
])
def test_a_true_gloss_after_the_answer_passes(prompt, want, reply):
    v = verdict(prompt, want, reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("prompt, want, reply", [
    (REVERSE, "noitcepsni", "noitcepsni (inspectoin backwards)"), (REVERSE, "noitcepsni", "noitcepsni (inspection forwards)"),
    (REVERSE, "noitcepsni", "noitcepsni (noitcepsnx backwards)"), (REVERSE, "noitcepsni", "noitcepsnj (inspection backwards)"),
    (REVERSE, "noitcepsni", "noitcepsni (inspection backwards, or noitcepsin)"), (REVERSE, "noitcepsni", "noitcepsni - or noitcepsin"),
    (FIRST, "h", "h (the letter after f)"), (FIRST, "h", "h (the letter before h)"), (FIRST, "h", "i (the letter after h)"),
    (FIRST, "h", "h (the 9th letter of the alphabet)"), (FIRST, "h", "h (the letter after g, or k)"), (FIRST, "h", "h, k"),
    (FIRST, "h", "h - the letter after g? maybe k"),
])
def test_a_false_or_extra_gloss_fails(prompt, want, reply):
    assert not verdict(prompt, want, reply)["passed"], reply
