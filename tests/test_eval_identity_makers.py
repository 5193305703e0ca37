"""An identity reply that credits the model to another maker fails, whatever the maker's name or the phrasing: a
capitalized name the prompt does not hold in a clause that does not negate it ("I was trained by Alphabet", "an Apple
model", "Tencent built me"), or any words but the model's own project after a verb of making ("trained by alphabet
inc", "alphabet made me"). Crediting picochat_hf, its community or the user, or denying another maker, passes."""

from __future__ import annotations

import pytest

from identity_rows import NAME, ORIGIN, verdict


@pytest.mark.parametrize("reply", [
    "I am Picochat. I was trained by Alphabet.", "I am Picochat, made by Apple.", "Picochat was created by Tencent.",
    "I'm Picochat, a model built by Samsung.", "I am Picochat, trained at Stanford.", "Alphabet built me; I am Picochat, trained from scratch.",
    "I am Picochat, an Alphabet model that was trained for chat.", "I am Picochat, trained by alphabet inc.",
    "alphabet made me, I am Picochat and was trained on text.", "I am Picochat. My creator is Alphabet, who trained me.",
    "I am Picochat, a product of Huawei, built for chat.", "I am Picochat, built by the team at alphabet.",
])
def test_another_maker_in_any_phrasing_fails(reply):
    assert not verdict(ORIGIN, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat. I was trained with picochat_hf, an open-source small-model factory.",
    "I'm Picochat, built by the open-source picochat_hf project.", "I am Picochat, made by the picochat_hf community.",
    "I am Picochat, not made by OpenAI; I was trained with picochat_hf.", "I am Picochat, trained by you with picochat_hf.",
    "Picochat was trained from scratch with picochat_hf, an open-source training pipeline.",
    "I was built with the open-source picochat_hf project; my name is Picochat.",
])
def test_crediting_the_own_project_passes(reply):
    v = verdict(ORIGIN, reply)
    assert v["passed"], (reply, v["failures"])


def test_a_name_reply_names_no_other_maker():
    for reply in ["I am Picochat, an Alphabet assistant.", "I'm Picochat, the Nova model.", "I am Picochat from Acme Labs."]:
        assert not verdict(NAME, reply)["passed"], reply
    for reply in ["I am Picochat, a small language model.", "Hi! I'm Picochat. I'm an AI.", "PICOCHAT HERE, A SMALL MODEL."]:
        assert verdict(NAME, reply)["passed"], (reply, verdict(NAME, reply)["failures"])
