"""An identity reply that names the web in a clause that does not negate it claims access it lacks ("I can't go
offline, I always have internet.", "Sure, I can't wait to open it. Send the link."); a negated clause ("I cannot browse
the web") or one about training data ("trained on text from the internet") claims nothing."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
LIMITS = {"id": "l", "skill": "identity", "must_include_any": [["cannot", "can't", "do not have", "don't have", "no access", "offline", "not connected",
                                                               "not online", "no internet"]],
          "messages": [{"role": "user", "content": "Are you connected to the internet?"}]}
NAME = {"id": "n", "skill": "identity", "must_include": ["Picochat"], "messages": [{"role": "user", "content": "Who exactly are you?"}]}


def verdict(row: dict, reply: str) -> dict:
    return score_reply(row, reply, row["messages"][0]["content"], CFG)


@pytest.mark.parametrize("reply", ["I can't go offline, I always have internet.", "Sure, I can't wait to open it for you. Send the link.",
                                   "I cannot lie: the web is open to me.", "No limits here, I can't stop browsing.",
                                   "I don't know, let me check online."])
def test_naming_the_web_without_negating_it_claims_access(reply):
    assert not verdict(LIMITS, reply)["passed"], reply


@pytest.mark.parametrize("reply", ["No, I cannot browse the internet.", "I do not have internet access; I only know my training data.",
                                   "No. I'm offline, so I can't read live news.", "I'm not connected to the web.",
                                   "I can't go online. I was trained on text from the internet."])
def test_a_negated_or_training_clause_claims_nothing(reply):
    v = verdict(LIMITS, reply)
    assert v["passed"], (reply, v["failures"])


def test_a_name_reply_about_training_data_passes():
    v = verdict(NAME, "I am Picochat, a small language model trained on web text.")
    assert v["passed"], v["failures"]
