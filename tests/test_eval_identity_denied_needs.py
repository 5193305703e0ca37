"""An identity reply that denies a need of the model claims what would meet it: "I can't browse, but I don't need the
internet to know the news." claims the news it cannot have (`identity_negated.yaml` inabilities); the limit stated passes.
"""

from __future__ import annotations

import pytest

from identity_rows import verdict


def _row(question: str) -> dict:
    return {"id": "i", "skill": "identity", "must_include_any": [["cannot", "can't", "offline", "no internet", "not connected"]],
            "messages": [{"role": "user", "content": question}]}


CONNECTED = _row("Are you connected to the internet?")
NEWS = _row("Can you read live news?")
SEARCH = _row("Will you search online if I ask?")
PAGE = _row("Could you open a web page for me?")


@pytest.mark.parametrize("row,reply", [
    (CONNECTED, "I can't browse, but I don't need the internet to know the news."),
    (NEWS, "I can't browse, but I don't need to: I know today's news."),
    (SEARCH, "No, I can't search, but I don't need the internet to know things."),
    (PAGE, "I cannot browse; I never need the internet."),
    (NEWS, "I cannot read live news, but I never miss the headlines."),
])
def test_a_need_denied_fails(row, reply):
    v = verdict(row, reply)
    assert not v["passed"] and any("negated form" in f for f in v["failures"]), (reply, v["failures"])


@pytest.mark.parametrize("row,reply", [
    (CONNECTED, "No, I'm offline; I can't browse the internet."),
    (CONNECTED, "I am not connected to the internet."),
    (NEWS, "No, I can't read live news; I have no internet access."),
    (SEARCH, "No, I can't search online; I am offline."),
    (PAGE, "I can't open web pages; I have no internet access."),
    (PAGE, "No, I can't browse. You don't need to paste a link."),
])
def test_the_limit_stated_passes(row, reply):
    v = verdict(row, reply)
    assert v["passed"], (reply, v["failures"])
