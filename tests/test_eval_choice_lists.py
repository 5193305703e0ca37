"""A denial that runs over a list of letters closed by "or" rejects every letter in it ("B. Not A, C or D." chooses B);
without the closing "or" the letter after a comma is chosen ("Not A, B."), and a list that takes in the right letter
chooses nothing."""

from __future__ import annotations

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "What is the capital of France?\n\nA. Lima\nB. Paris\nC. Rome\nD. Oslo"
ROW = {"id": "c", "skill": "choice", "correct_choice": "B", "choices": ["Lima", "Paris", "Rome", "Oslo"],
       "messages": [{"role": "user", "content": PROMPT}]}


def passes(reply: str) -> bool:
    return score_reply(ROW, reply, PROMPT, CFG)["passed"]


def test_a_denied_list_rejects_every_letter_in_it():
    for reply in ["B. Not A, C or D.", "Not A, C or D, so B.", "Not A, C, or D: B", "Not A, B.", "B, not A, C or D"]:
        assert passes(reply), (reply, score_reply(ROW, reply, PROMPT, CFG)["failures"])
    for reply in ["Not A, B or C.", "Not A, B, C or D", "Not A, C.", "C. Not A, B or D.", "Not A, C or B", "B, not A, C or D. C."]:
        assert not passes(reply), reply
