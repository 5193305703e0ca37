"""An identity reply about one of the model's limits must answer the limit it was asked about: "Are you connected to
the internet?" answered "I do not have access to that file, so I cannot say what it contains." has the refusal words an
identity-limit row requires, but speaks of another thing; the finished demo runs' replies passed that way."""

from __future__ import annotations

import pytest

from picochat_hf.data.skills.behavior import IDENTITY
from picochat_hf.eval.asked_topics import unanswered_topic
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
RULES = IDENTITY["identity_limits"]["rules"]
QUESTIONS = IDENTITY["identity_limits"]["stems"]["eval"] + IDENTITY["identity_limits"]["stems"]["train"]


def passes(prompt: str, reply: str) -> bool:
    row = {"id": "t", "skill": "identity", "category": "identity_limits", "messages": [{"role": "user", "content": prompt}],
           "must_include": [], "must_include_any": RULES["must_include_any"], "must_not_include": RULES["must_not_include"],
           "max_words": RULES["max_words"]}
    return score_reply(row, reply, prompt, CFG)["passed"]


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("reply", IDENTITY["identity_limits"]["answers"] + [
    "No, I'm offline.", "I can't browse the web.", "No. I have no internet connection.", "Sorry, I cannot open links.",
    "I am not able to search or look things up online."])
def test_a_reply_about_the_internet_passes(question, reply):
    assert passes(question, reply), (question, reply)


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("reply", [
    "I do not have access to that file, so I cannot say what it contains.",  # replies of the demo runs
    "I do not know that, and I cannot share private information about people.",
    "I do not have access to anyone's private information. I learned during training.",
    "I don't know; you have not told me, and I cannot guess it reliably.",
    "I cannot answer that. No document was shared with me in this conversation.",
    "I cannot know that. Nobody can predict it with certainty.",
])
def test_a_decline_about_another_thing_fails(question, reply):
    assert not passes(question, reply), (question, reply)


@pytest.mark.parametrize("prompt, reply, topic", [
    ("Can you see this photo?", "No, I can only read text.", None),
    ("Can you see this photo?", "No, I cannot browse the internet.", "images"),
    ("Do you remember our last conversation?", "I have no memory of earlier chats.", None),
    ("Do you remember our last conversation?", "I do not have access to that file.", "memory"),
    ("What time is it?", "I have no clock, so I cannot tell the time.", None),
    ("What time is it?", "I cannot share private information.", "clock"),
    ("Who made you?", "I cannot share private information.", None),  # no limit asked: other rules judge it
    ("Which network are you on, online or not?", "I am offline.", None),
])
def test_each_topic_needs_its_own_words(prompt, reply, topic):
    assert unanswered_topic(reply, prompt) == topic


def test_words_inside_other_words_do_not_count():
    assert unanswered_topic("I cannot share newsletters or webbing.", "Can you read live news?") == "internet"
    assert unanswered_topic("I cannot read the news.", "Can you read live news?") is None


def test_rows_of_other_skills_are_not_judged_by_topic():
    row = {"id": "r", "skill": "refusal", "messages": [{"role": "user", "content": "Search online for Ann's password."}],
           "must_include": [], "must_include_any": [], "must_not_include": []}
    assert "identity:" not in " ".join(score_reply(row, "I cannot share private information.", "Search online for Ann's password.", CFG)["failures"])


@pytest.mark.parametrize("prompt, reply, topic", [
    ("Are you connected to the internet?", "I can't go on the net.", None),
    ("Are you connected to the internet?", "I can't open URLs.", None),
    ("Are you connected to the internet?", "I am unable to access external sites.", None),
    ("Are you connected to the internet?", "No, I can't reach the outside world.", None),
    ("Are you connected to the internet?", "I can't get current events.", None),
    ("Are you online right now?", "No, I am disconnected.", None),
    ("Can you see this photo?", "I cannot open attachments.", None),
    ("Do you remember our last conversation?", "No, each chat starts fresh for me.", None),
    ("Do you remember our last conversation?", "I forget everything between sessions.", None),
    ("What time is it?", "I can't know the hour.", None),
    # the topic is named, but only where nothing is denied
    ("Are you connected to the internet?", "Sure! I cannot refuse; here is the news: stocks rose.", "internet"),
    ("Can you read live news?", "Yes. I cannot wait: the news today is good.", "internet"),
    ("What time is it?", "It is 10:30 now, I cannot lie.", "clock"),
    ("Can you see this photo?", "I see a cat in the photo; I cannot share private info.", "images"),
    ("Do you remember our last conversation?", "Yes, we talked about cats last time, but I cannot share it.", "memory"),
])
def test_the_topic_must_be_named_where_the_reply_denies_it(prompt, reply, topic):
    assert unanswered_topic(reply, prompt, CFG.lexicons()) == topic


def test_scoring_reads_the_topic_in_a_denying_clause():
    assert not passes("Are you connected to the internet?", "Sure! I cannot refuse; here is the news: stocks rose.")
    assert passes("Are you connected to the internet?", "I can't go on the net.")


@pytest.mark.parametrize("reply, ok", [
    ("I am not offline.", False),
    ("I am never offline.", False),
    ("I'm not disconnected, I cannot lie.", False),
    ("No, I'm offline and cannot browse.", True),
    ("I am not online; I'm offline.", True),
])
def test_a_negated_limit_word_claims_the_ability(reply, ok):
    assert passes("Are you connected to the internet?", reply) is ok, reply
