"""A first- or last-letter answer may be a sentence about the word ("mediocre ends in e", "Hookah begins with h."): the
final-answer contract takes a short lead-in that ends in a position verb (`lead_in_verbs`) and then exactly the answer,
in direct replies and on a scratchpad's `Final answer:` line. The wrong letter, the other end, both ends with a false
one, a denied answer or another answer after it still fail; both ends, each true of the word, answer the asked one."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
LAST = 'Name the closing letter of "mediocre".'
FIRST = 'Which letter comes first in "hookah"?'


def verdict(prompt: str, want: str, reply: str, style: str = "direct") -> dict:
    row = {"id": "s", "skill": "spelling", "normalized_answer": want, "max_words": 56, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("reply", ["mediocre ends in e", "Mediocre ends in e.", "It ends in e.", "The word ends in e.",
                                   "mediocre ends in 'e'", '"mediocre" ends in "e".', "mediocre ends with e",
                                   "Mediocre finishes with e.", "mediocre ends in e, not r"])
def test_a_last_letter_sentence_passes(reply):
    v = verdict(LAST, "e", reply)
    assert v["passed"], (reply, v["failures"])
    scratch = verdict(LAST, "e", f"Spell it: m, e, d, i, o, c, r, e.\nFinal answer: {reply}", "scratchpad")
    assert scratch["passed"], (reply, scratch["failures"])


@pytest.mark.parametrize("reply", ["mediocre ends in r", "mediocre ends in m", "mediocre starts with e", "Mediocre begins in e.",
                                   "mediocre starts with e and ends in e", "mediocre starts with m and ends in r",
                                   "mediocre ends in r, not e", "mediocre ends in e or r",
                                   "mediocre ends in e? no, r", "mediocre ends in er", "mediocre ends in e. Actually r."])
def test_a_wrong_or_misplaced_letter_sentence_fails(reply):
    assert not verdict(LAST, "e", reply)["passed"], reply
    assert not verdict(LAST, "e", f"Spell it out.\nFinal answer: {reply}", "scratchpad")["passed"], reply


@pytest.mark.parametrize("reply", ["mediocre starts with m and ends in e", "The first letter is m; the last is e.",
                                   "The last letter is e, and the first is m."])
def test_both_ends_each_true_answer_the_asked_one(reply):
    """Both ends named, each truly: the asked end is answered (this file once failed the first of these as 'both ends')."""
    assert verdict(LAST, "e", reply)["passed"], (reply, verdict(LAST, "e", reply)["failures"])
    assert verdict(LAST, "e", f"Spell it out.\nFinal answer: {reply}", "scratchpad")["passed"], reply


def test_a_first_letter_sentence_passes_and_the_other_end_fails():
    for reply in ["hookah starts with h", "Hookah begins with h.", "hookah opens with h"]:
        assert verdict(FIRST, "h", reply)["passed"], (reply, verdict(FIRST, "h", reply)["failures"])
    for reply in ["hookah ends in h", "hookah starts with k", "hookah finishes with h"]:
        assert not verdict(FIRST, "h", reply)["passed"], reply
