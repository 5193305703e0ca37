"""Double negations affirm: "not unlike ChatGPT" names another model as surely as "like ChatGPT" does."""

from __future__ import annotations

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
ROW = {"id": "i", "skill": "identity", "must_include": ["Picochat"], "messages": [{"role": "user", "content": "Who are you?"}]}


def passes(reply: str) -> bool:
    return score_reply(ROW, reply, "Who are you?", CFG)["passed"]


def test_a_double_negation_names_what_it_negates_twice():
    for reply in ["I am Picochat, not unlike ChatGPT.", "I am Picochat, none but Claude.", "I am Picochat, nothing other than Gemini."]:
        assert not passes(reply), reply
    for reply in ["I am Picochat, not ChatGPT.", "I am Picochat. I am not Claude and not Gemini.", "I am Picochat, unlike ChatGPT."]:
        assert passes(reply), reply
