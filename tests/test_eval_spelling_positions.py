"""A spelling answer placed at the other end of the word than the prompt asks ("It ends with m." asked for the first
letter) describes another answer and fails; a gloss that only illustrates the answer ("m (as in mango)", "tac (not act)",
"m (the first letter of mango)") is dropped, while one that offers or swaps an answer is not."""

from __future__ import annotations

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
FIRSTS = ["What letter is at the start of the word mango?", 'Name the opening letter of "mango".', 'Which letter comes first in "mango"?']
LASTS = ['Which letter comes last in "mango"?', 'Name the closing letter of "mango".', "What letter is at the end of the word mango?"]


def verdict(prompt: str, want: str, reply: str, style: str = "direct") -> dict:
    row = {"id": "s", "skill": "spelling", "normalized_answer": want, "max_words": 60, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


def test_an_answer_placed_at_the_other_end_fails():
    for prompt in FIRSTS:
        for reply in ["It ends with m.", "The last letter is m.", "M is the last letter.", "The final letter is m.", "m (the last letter of mango)"]:
            assert not verdict(prompt, "m", reply)["passed"], (prompt, reply)
        for reply in ["It starts with m.", "The first letter is m.", "M is the first letter.", "m", "My final answer is m.",
                      "It begins with m."]:
            assert verdict(prompt, "m", reply)["passed"], (prompt, reply, verdict(prompt, "m", reply)["failures"])
    for prompt in LASTS:
        for reply in ["It starts with o.", "The first letter is o.", "O is the first letter."]:
            assert not verdict(prompt, "o", reply)["passed"], (prompt, reply)
        for reply in ["It ends with o.", "The last letter is o.", "The final letter is o.", "o (as in mango)"]:
            assert verdict(prompt, "o", reply)["passed"], (prompt, reply, verdict(prompt, "o", reply)["failures"])
    scratch = "Spell it out: m, a, n, g, o.\nThe first letter is m.\nFinal answer: m"
    assert verdict(FIRSTS[0], "m", scratch, "scratchpad")["passed"]
    assert not verdict(FIRSTS[0], "m", scratch.replace("Final answer: m", "Final answer: It ends with m."), "scratchpad")["passed"]


def test_a_gloss_that_illustrates_the_answer_is_dropped():
    prompt = FIRSTS[0]
    for reply in ["m (as in mango)", "m, as in mango", "m (the first letter of mango)", "m (not n)", "The first letter is m (as in mango)."]:
        assert verdict(prompt, "m", reply)["passed"], (reply, verdict(prompt, "m", reply)["failures"])
    for reply in ["n (as in mango)", "m (as in nectar)", "m (or n)", "n (not m)", "m (actually n)", "m (maybe)", "m (n)"]:
        assert not verdict(prompt, "m", reply)["passed"], reply
    reverse = 'Give the word "cat" with its letters reversed.'  # "tac" reverses "cat"; "act" reversed is "tca"
    for reply in ["tac (not cat)", "Reversed: tac (not cat)", "tac"]:
        assert verdict(reverse, "tac", reply)["passed"], (reply, verdict(reverse, "tac", reply)["failures"])
    for reply in ["cat (not tac)", "tac (or act)", "act (not cat)", "tac (or maybe act)"]:
        assert not verdict(reverse, "tac", reply)["passed"], reply
