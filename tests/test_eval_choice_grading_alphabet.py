"""Lowercase letters of the alphabet in a reason about order ("b comes before c", "starts with b, which comes before c")
are not option letters; a lowercase option letter chosen ("I'd go with d.", "d, since ...", "d or c") still is."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
CHOICES = ["liar", "stingaree", "contractive", "baalite"]
PROMPT = ("Multiple choice. Pick the word that is earliest alphabetically.\n" + "\n".join(f"{'ABCD'[k]}. {c}" for k, c in enumerate(CHOICES))
          + "\nWhich letter is correct? Answer with one letter.")
ROW = {"id": "a", "skill": "choice", "correct_choice": "D", "choices": CHOICES, "max_words": 24, "must_include": ["D"],
       "messages": [{"role": "user", "content": PROMPT}]}


def failures(reply: str) -> list[str]:
    return score_reply(ROW, reply, PROMPT, CFG)["failures"]


@pytest.mark.parametrize("reply", [
    "D; b comes before c.", "D. b comes before c and l.", "D, since b comes before c, l and s.", "D, because b is before c.",
    "D. Baalite starts with b, which comes before c.", "D. People often pick C, but b comes before c.", "d, since b comes before c.",
    "I'd go with d.", "Answer: letter d.", "D. c comes after b.",
])
def test_alphabet_letters_in_an_order_are_not_option_letters(reply):
    assert failures(reply) == [], reply


@pytest.mark.parametrize("reply", ["I'd go with c.", "d or c", "D, or c.", "D. No wait, c.", "c, since b comes before c."])
def test_lowercase_option_letters_chosen_are_still_read(reply):
    assert any(f.startswith("choice:") for f in failures(reply)), reply
