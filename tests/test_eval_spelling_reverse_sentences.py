"""A reversed word may be given in a sentence that says it is reversed ("It reads noitcepsni backwards.", "noitcepsni,
read from right to left"): on a prompt that asks for the word reversed, a trailing phrase of reversal
(`answer_reverse_trailers`) after exactly the answer is dropped. The word forwards, another word, a trailing phrase of
something else, or a reversal phrase on a prompt that asks for no reversal still fail."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPTS = ['Turn "inspection" around letter by letter.', 'Give the word "inspection" with its letters reversed.',
           "Read the word inspection from right to left and write it down."]


def verdict(prompt: str, want: str, reply: str, style: str = "direct") -> dict:
    row = {"id": "s", "skill": "spelling", "normalized_answer": want, "max_words": 60, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("prompt", PROMPTS)
@pytest.mark.parametrize("reply", ["It reads noitcepsni backwards.", "noitcepsni backwards", "Inspection reads noitcepsni in reverse.",
                                   "It is noitcepsni when reversed.", "noitcepsni, read from right to left.",
                                   "It reads **noitcepsni** backwards.", "It becomes noitcepsni reversed."])
def test_a_reversed_answer_in_a_sentence_passes(prompt, reply):
    v = verdict(prompt, "noitcepsni", reply)
    assert v["passed"], (reply, v["failures"])
    scratch = verdict(prompt, "noitcepsni", f"Spell it out: i, n, s, p, e, c, t, i, o, n.\nFinal answer: {reply}", "scratchpad")
    assert scratch["passed"], (reply, scratch["failures"])


@pytest.mark.parametrize("prompt", PROMPTS)
@pytest.mark.parametrize("reply", ["It reads inspection backwards.", "It reads noitcepsin backwards.", "It reads noitcepsni forwards.",
                                   "It reads noitcepsni backwards, or inspection.", "It reads noitcepsni backwards? Not sure.",
                                   "It reads not noitcepsni backwards.", "It reads noitcepsni backwards and inspection forwards.",
                                   "noitcepsni backwards, but inspection is the answer"])
def test_a_wrong_reversed_sentence_fails(prompt, reply):
    assert not verdict(prompt, "noitcepsni", reply)["passed"], reply
    assert not verdict(prompt, "noitcepsni", f"Spell it out.\nFinal answer: {reply}", "scratchpad")["passed"], reply


def test_a_reversal_phrase_on_a_prompt_that_asks_none_fails():
    prompt = 'Which letter comes first in "hookah"?'
    assert not verdict(prompt, "h", "It starts with h backwards.")["passed"]
    assert verdict(prompt, "h", "It starts with h.")["passed"]
