"""The model's own name given to the user fails: "You are Picochat." and "Your name is Picochat." passed the name rows
(the required name is there), though they say the user is Picochat, the roles swapped as a small model that copies
"You are talking to Picochat" can swap them. Replies that name the model to the user pass ("You are talking to
Picochat.", "You can call me Picochat.")."""

from __future__ import annotations

import pytest

from identity_rows import NAME, ORIGIN, verdict


@pytest.mark.parametrize("row", [NAME, ORIGIN])
@pytest.mark.parametrize("reply", [
    "You are Picochat.", "Your name is Picochat.", "I am the user. You are Picochat.", "You're Picochat, a small language model.",
    "Hello! You are called Picochat.", "You are Picochat, and I was made by the picochat_hf project.",
])
def test_the_models_name_given_to_the_user_fails(row, reply):
    v = verdict(row, reply)
    assert not v["passed"], reply
    assert any("gives its own name to the user" in f for f in v["failures"]), v["failures"]


@pytest.mark.parametrize("reply", [
    "You are talking to Picochat, a small language model.", "I am Picochat, a small language model.", "You can call me Picochat.",
    "Hi! You're chatting with Picochat.", "My name is Picochat.", "You are speaking with Picochat.", "Picochat is my name.",
])
def test_the_models_name_given_to_itself_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])
