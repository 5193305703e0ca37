"""An identity reply credits a maker in the slots grammar gives one, whatever case the maker's name is written in: the
possessor of what was made ("alphabet's model"), a word that modifies it ("a tencent model", "a yandex-trained model"),
who it is "by" or "from" ("a model by tencent", "Picochat from tencent") and what it is based on ("a fine tune of a
tencent model", "based on samsung's model"). Words there must be the model's own project, a plain description ("a
small open-source language model", "a helpful assistant") or a library it was built with; anything else is a maker."""

from __future__ import annotations

import pytest

from identity_rows import NAME, ORIGIN, verdict


@pytest.mark.parametrize("reply", [
    "I am Picochat, alphabet's model.", "I'm Picochat, tencent's assistant.", "I am Picochat, a model by tencent.",
    "I'm a fine tune of a tencent model.", "I'm Picochat, a fine tune of a tencent model.",
    "I am Picochat, based on samsung's model.", "I am Picochat, an apple model.", "I am Picochat, a huawei model.",
    "I am Picochat, a yandex-trained model.", "I am Picochat; my base model comes from tencent.",
    "I am Picochat, a distilled version of a tencent model.", "I am Picochat, a product of tencent.",
    "I am Picochat, a tencent product.", "I am Picochat from tencent.", "I am Picochat by tencent.",
    "I am Picochat, courtesy of tencent.", "I am Picochat, tencent's creation.", "I am Picochat, a small tencent language model.",
    "I'm Picochat, built on top of a bytedance model.", "I am Picochat, derived from an oracle model.",
    "I am Picochat, a version of xiaomi's assistant.", "i am picochat, the apple assistant.", "I am Picochat, made in apple's lab.",
    "I am Picochat, from oracle's developers.",
])
def test_a_maker_in_a_maker_slot_fails(reply):
    for row in (NAME, ORIGIN):
        assert not verdict(row, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat, a small language model.", "I am Picochat, a helpful assistant.", "I'm Picochat, a tiny chat model.",
    "I am Picochat, the picochat_hf project's model.", "I am Picochat, the community's model.",
    "I am Picochat, an open-source model.", "I am Picochat, a custom-built model.", "I am Picochat, a nanochat-style model.",
    "I am Picochat, a transformer-based language model.", "I'm Picochat, a simple text model.",
    "I am Picochat, an experimental model.", "I am Picochat, a pretrained and fine-tuned model.",
    "I am Picochat, an honest assistant.", "I'm Picochat, an AI assistant.", "I am Picochat, a conversational model.",
    "I am Picochat, a model from the picochat_hf project.", "I am Picochat, based on the transformer architecture.",
    "I am Picochat, a fine-tuned version of the picochat_hf base model.", "I am Picochat, not a product of tencent.",
    "It's a small model: I am Picochat.", "I am Picochat, your friendly local assistant.",
    "I am Picochat, made by volunteer developers.", "I'm Picochat, built by my developers.", "I am Picochat, trained by the picochat_hf pipeline on a small dataset.",
    "I'm Picochat, built with PyTorch and trained on a single GPU.",
])
def test_a_plain_description_or_the_own_project_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])


def test_a_maker_whose_name_is_no_english_word_fails_anywhere():
    for reply in ["I am Picochat. My creator: tencent.", "I am Picochat; think bytedance.", "I am Picochat — huawei, to be exact.",
                  "I'm Picochat, from the samsung research team."]:
        assert not verdict(NAME, reply)["passed"], reply
    v = verdict(NAME, "I am Picochat, not a tencent or huawei model; I was trained with picochat_hf.")
    assert not any("maker" in f for f in v["failures"]), v["failures"]
