"""A reply that opens a new chat turn echoes, however the role prefix is dressed; an answer that names a role does not."""

from __future__ import annotations

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "Tom has 12 marbles and buys 7 more. How many marbles does Tom have now?"
ROW = {"id": "e", "skill": "math", "normalized_answer": "19", "messages": [{"role": "user", "content": PROMPT}]}


def test_a_new_turn_in_any_dress_is_an_echo():
    for reply in ["19\nUser: thanks", "19\n User : thanks", "19\nHuman: thanks", "19\n### User: thanks", "19\n**User:** thanks",
                  "19\n> Assistant: 20", "19\n[INST] next question", "19\n<|im_start|>user"]:
        v = score_reply(ROW, reply, PROMPT, CFG)
        assert v["echo"] and not v["passed"], reply
    for reply in ["19", "Tom has 19 marbles now.", "19 (the user has them all)", "19\nThe user's marbles: 19"]:
        v = score_reply(ROW, reply, PROMPT, CFG)
        assert not v["echo"] and v["passed"], (reply, v["failures"])
