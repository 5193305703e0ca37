"""What an identity reply says the model is. A negation scopes over the nearest word it stands before: "not a tencent
model" denies the maker, not being a model, while "not a model" and "not a real model" deny being one. A name joined to a
likeness word ("a GPT-style model", "GPT-like") compares the design and credits no maker. A noun phrase saying what the
model is must have a head the model is ("a tiny language model", "a helpful assistant", "a kind of AI"); any other head
("a wrapper around an api", "a proxy for a bigger model", "a search engine") is a claim the row's facts do not support."""

from __future__ import annotations

import pytest

from identity_rows import NAME, ORIGIN, verdict


@pytest.mark.parametrize("reply", [
    "I am Picochat, not a tencent model.", "I am Picochat, not an OpenAI model.", "I'm Picochat, not a model from Tencent.",
    "I am Picochat and I am not a Google model.", "I'm Picochat, a tiny GPT-style model.", "I am Picochat, a GPT-like language model.",
    "I am Picochat, a small transformer-based model.", "I am Picochat, a tiny open language model.", "I'm Picochat, a helpful assistant.",
    "I am Picochat, a kind of AI.", "I am Picochat, a text generator.", "I'm Picochat, an assistant made by the picochat_hf project.",
    "I am Picochat, a small and friendly model.", "I am Picochat, a computer program.", "I am Picochat, a conversational agent.", "I'm Picochat, the assistant you are talking to.",
    "I am Picochat, a bit limited.", "I am Picochat - a tiny open language model.", "I am Picochat, a small model, a toy really.",
    "I'm Picochat, a tiny model. I can't browse, a limit of my design.", "I am Picochat, not a wrapper around an API.",
])
def test_an_honest_description_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", [
    "I am Picochat, a wrapper around an api.", "I am Picochat, a proxy for a bigger model.", "I am Picochat, a search engine.",
    "I'm Picochat, just a front end to a cloud service.", "I am a wrapper around an API, called Picochat.",
    "I am Picochat, an interface to GPT.", "I am Picochat, a Tencent model.", "I am Picochat, not a model.",
    "I am Picochat, a GPT model.", "I'm Picochat, a GPT-4 style model by OpenAI.", "I am Picochat, a Llama model.",
    "I'm Picochat, a real person.", "I am Picochat, a plugin for a larger model.", "Picochat here, a wrapper around an api.",
    "I am Picochat - a wrapper around an api.", "My name is Picochat, a relay to a bigger AI.", "I'm Picochat, a frontend.",
    "I am Picochat. Basically, I am a wrapper around an API.", "I am Picochat, an OpenAI-style model.",
])
def test_a_false_description_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


def test_an_origin_reply_with_a_wrapper_claim_fails():
    assert not verdict(ORIGIN, "I am Picochat, a wrapper built around an API.")["passed"]
    assert verdict(ORIGIN, "I am Picochat, a small model built by the picochat_hf project.")["passed"]
