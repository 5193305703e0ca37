"""The model's own name given to the user fails: "You are Picochat." and "Your name is Picochat." passed the name rows (the
required name is there), though they say the user is Picochat, the roles swapped as a small model that copies "You are
talking to Picochat" can swap them; "You are talking to Picochat." and "You can call me Picochat." pass. An ability
claimed in the model's own description fails as "I can see images" does: "a small language model that can see images",
"a model that remembers our past chats"; a true description ("a model that runs on text only") passes."""

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


@pytest.mark.parametrize("reply", [
    "I'm Picochat, a small language model that can see images.", "I'm Picochat, a small language model that remembers our past chats.",
    "I am Picochat, a model who can hear you.", "I'm Picochat, a model that learns from every chat.", "I'm Picochat, a model which can also send emails.",
    "I'm Picochat, a model that sees images.",
])
def test_an_ability_claimed_in_the_models_own_description_fails(reply):
    v = verdict(NAME, reply)
    assert not v["passed"], reply
    assert any("claims an ability it lacks" in f for f in v["failures"]), v["failures"]


@pytest.mark.parametrize("reply", [
    "I'm Picochat, a small language model that runs on text only.", "I am Picochat, a language model that was trained by the picochat_hf project.",
    "I'm Picochat, a model that cannot see images.", "I am Picochat, a small model that answers questions.",
    "I'm Picochat, a model that works with text you type.",
])
def test_a_true_description_of_the_model_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])
