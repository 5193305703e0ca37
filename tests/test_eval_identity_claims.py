"""An identity reply may name the libraries the model was built with ("built with Hugging Face transformers") but not
credit them or anyone else as its maker ("built by Hugging Face", "built by Meta"), and must not claim a size or an
ability the model does not have ("I have 175 billion parameters", "I'm a 70B model", "I can see images")."""

from __future__ import annotations

import pytest

from identity_rows import NAME, ORIGIN, verdict


@pytest.mark.parametrize("reply", [
    "I am Picochat. I was built with Hugging Face transformers.", "I am Picochat, trained using PyTorch and Hugging Face TRL.",
    "I'm Picochat, built with picochat_hf on top of Hugging Face Transformers.", "Picochat was trained with PyTorch.",
    "I am Picochat, built with the Hugging Face stack by the picochat_hf project.",
])
def test_a_library_the_model_was_built_with_is_no_maker(reply):
    v = verdict(ORIGIN, reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", [
    "I am Picochat. I was built by Meta.", "I am Picochat, built by Hugging Face.", "I am Picochat, a Hugging Face model.",
    "I am Picochat, built with Hugging Face transformers by Alphabet.", "I am Picochat, built with Alphabet tools.",
    "I am Picochat, made with love by Alphabet.", "Hugging Face made me; I am Picochat.", "I am Picochat, built with Meta's Llama.",
    "I am Picochat, trained using Alphabet.", "I am Picochat, developed by the Hugging Face team.",
])
def test_a_maker_besides_the_project_still_fails(reply):
    assert not verdict(ORIGIN, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat. I have 175 billion parameters.", "I'm Picochat, a 70B model.", "I am Picochat, a 7B language model.",
    "I am Picochat with 1.5B parameters.", "I am Picochat, a model with seventy billion parameters.",
    "I am Picochat and I have billions of parameters.", "I am Picochat, a large language model.",
    "I'm Picochat, with 13 billion params.", "I am Picochat, a 405-billion-parameter model.",
])
def test_a_size_claim_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat. I can see images.", "I am Picochat and I can hear you.", "I am Picochat; I remember our past chats.",
    "I am Picochat. I can run code for you.", "I am Picochat, and I can also send emails.", "I am Picochat. I have feelings.",
    "I am Picochat and I am conscious.", "I'm Picochat. I can remember everything you tell me.",
    "I am Picochat; I can make phone calls.",
])
def test_an_ability_the_model_lacks_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat, a small language model.", "I am Picochat. I do not have billions of parameters; I am a tiny model.",
    "I am Picochat. I cannot see images or hear audio.", "I'm Picochat; I don't remember past chats.",
    "I am Picochat, not a large language model but a small one.", "I am Picochat. I can answer short questions.",
])
def test_a_true_self_description_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", [
    "I am Picochat; my creators are at alphabet.", "I am Picochat. My parent company is alphabet.",
    "I am Picochat, brought to you by alphabet.", "I am Picochat, powered by alphabet.",
    "I'm Picochat, distilled from a bigger model by alphabet.", "I am Picochat, fine tuned by tencent.",
])
def test_a_lowercase_maker_after_a_maker_noun_or_verb_fails(reply):
    assert not verdict(ORIGIN, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat, I can process images.", "I am Picochat, I can also understand images and audio.",
    "I am Picochat, a multimodal model.", "I am Picochat and I know everything.",
])
def test_a_media_or_perfection_claim_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat; my creators are the picochat_hf community.", "I am Picochat, brought to you by the picochat_hf project.",
    "I am Picochat. I only read text, not images.", "I am Picochat. I cannot process images or audio.",
    "I am Picochat; my makers are the open-source community.",
])
def test_the_own_project_as_maker_and_a_denied_medium_pass(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])
