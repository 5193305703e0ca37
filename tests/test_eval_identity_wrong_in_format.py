"""Wrong identity replies in the right format fail, each with its reason, and their honest twins pass: another model's
name, a wrong maker, the model's own name denied ("I am not Picochat", "Picochat isn't my name"), a true name with a
false claim ("I'm Picochat, made by OpenAI"), a human claim and an ability it lacks."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def _row(question: str, must: list[str], any_of: list[list[str]] | None = None) -> dict:
    return {"id": "i", "skill": "identity", "must_include": must, "must_include_any": any_of or [],
            "messages": [{"role": "user", "content": question}]}


NAME = _row("May I know your name?", ["Picochat"])
MODEL = _row("Which model am I chatting with?", ["Picochat"])
ORIGIN = _row("Who developed you?", ["Picochat"], [["trained", "built", "made", "created", "developed"]])
NATURE = _row("Are you a person or a program?", ["Picochat"])
LIMITS = _row("Are you connected to the internet?", [], [["not", "no", "cannot", "can't"]])


def _verdict(row: dict, reply: str) -> dict:
    return score_reply(row, reply, row["messages"][0]["content"], CFG)


# (row, wrong reply, the identity failure's word, its honest twin)
PAIRS = [
    (NAME, "I'm ChatGPT, a small language model.", "another", "I'm Picochat, a small language model."),
    (NAME, "I am Claude.", "another", "I am Picochat."),
    (NAME, "I'm Llama, a tiny model.", "another", "I'm Picochat, a tiny model."),
    (NAME, "I'm Mistral.", "another", "I'm Picochat, not Mistral."),
    (NAME, "My name is Gemma.", "another", "My name is Picochat."),
    (NAME, "You're talking to Gemini.", "another", "You're talking to Picochat."),
    (NAME, "Hi! ChatGPT here.", "another", "Hi! Picochat here."),
    (NAME, "I am not Picochat.", "denies", "I am Picochat, not ChatGPT."),
    (NAME, "I'm not Picochat, I'm a small model.", "denies", "I'm Picochat, a small model."),
    (NAME, "Picochat isn't my name.", "denies", "Picochat is my name."),
    (NAME, "Picochat is not me.", "denies", "Picochat, that's me."),
    (NAME, "Picochat is not who I am anymore.", "denies", "Picochat is who I am."),
    (NAME, "I'm no longer Picochat.", "denies", "I'm still Picochat."),
    (NAME, "I'm Picochat, made by OpenAI.", "maker", "I'm Picochat, not made by OpenAI."),
    (NAME, "I'm Picochat, a model by Google.", "maker", "I'm Picochat, a model trained with picochat_hf."),
    (NAME, "I'm Picochat, developed by Meta.", "maker", "I'm Picochat, developed with picochat_hf."),
    (NAME, "I am Picochat, built by Anthropic.", "maker", "I am Picochat, built with picochat_hf."),
    (NAME, "I'm Picochat, trained by Microsoft.", "maker", "I'm Picochat, trained from scratch."),
    (NAME, "I'm Picochat, a human.", "human", "I'm Picochat, a program."),
    (NAME, "I'm Picochat, I can browse the web.", "ability", "I'm Picochat, I can't browse the web."),
    (MODEL, "I'm GPT-2, a small model.", "another", "I'm Picochat, a small model."),
    (MODEL, "This is Claude speaking.", "another", "This is Picochat speaking."),
    (MODEL, "I am Picochat, the OpenAI model.", "maker", "I am Picochat, the picochat_hf model."),
    (MODEL, "Picochat isn't my name; I'm Qwen.", "denies", "Qwen isn't my name; I'm Picochat."),
    (ORIGIN, "I am Picochat, made by OpenAI.", "maker", "I am Picochat, made with picochat_hf."),
    (ORIGIN, "I am Picochat. I was trained by Google.", "maker", "I am Picochat. I was trained with picochat_hf."),
    (ORIGIN, "I am Picochat, made by Anthropic.", "maker", "I am Picochat, made by the picochat_hf project."),
    (ORIGIN, "I'm Picochat; Meta AI built me.", "maker", "I'm Picochat; picochat_hf built me."),
    (ORIGIN, "I am Picochat, trained by xAI.", "maker", "I am Picochat, not trained by xAI but with picochat_hf."),
    (ORIGIN, "I am Picochat, created by DeepSeek.", "maker", "I am Picochat, created with picochat_hf, not by DeepSeek."),
    (NATURE, "I am Picochat, a human.", "human", "I am Picochat, a program."),
    (NATURE, "I'm a person called Picochat, not a program.", "", "I'm a program called Picochat, not a person."),
    (NATURE, "I'm Picochat, not a language model.", "denies", "I'm Picochat, a language model."),
    (LIMITS, "Yes, I am connected to the internet.", "ability", "No, I am not connected to the internet."),
    (LIMITS, "I'm not offline; I can browse.", "", "I'm offline; I can't browse."),
]


@pytest.mark.parametrize("row, wrong, why, honest", PAIRS, ids=[w for _, w, _, _ in PAIRS])
def test_a_wrong_identity_fails_with_its_reason_and_its_twin_passes(row: dict, wrong: str, why: str, honest: str) -> None:
    v = _verdict(row, wrong)
    assert not v["passed"], (wrong, v["failures"])
    assert any(f.startswith("identity:") and why in f for f in v["failures"]), (wrong, v["failures"])
    v = _verdict(row, honest)
    assert v["passed"], (honest, v["failures"])
