"""Identity replies whose claim is spread over a question and its answer, or widened by an aside.

A question the reply asks itself and answers with a negation states the negated question: "Am I made by OpenAI? No."
credits no maker, "Am I Picochat? No." denies being the model, "Can I be wrong? No." claims infallibility. An unsure
answer ("I don't know.") or a "yes" leaves the question as asked. A rarity word claims what "never" claims ("I rarely make
mistakes", "Mistakes? Rarely, if ever."), as "hardly ever" already did. A part the model plays in a chat ("a friend",
"your guide") describes it; a head naming what it forwards to or is built from ("a relay", "a proxy") still fails."""

from __future__ import annotations

import pytest

from identity_rows import NAME, ORIGIN, verdict


@pytest.mark.parametrize("reply", [
    "I am Picochat. Mistakes? Rarely, if ever.", "I am Picochat. I rarely, if ever, make mistakes.",
    "I am Picochat. Mistakes? Almost never.", "I am Picochat. Mistakes? Hardly ever.", "I am Picochat. I seldom err.",
    "I'm Picochat, and I rarely make mistakes.", "I am Picochat. Do I make mistakes? Seldom.", "I am Picochat. Errors? Few, if any.",
    "I am Picochat. I make few, if any, mistakes.", "I am Picochat. Wrong? Me? Barely ever.", "I am Picochat. Can I be wrong? No.",
    "I am Picochat. Do I ever get things wrong? Nope.", "I am Picochat. Mistakes? Scarcely (if at all).",
])
def test_a_near_infallibility_claim_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "Am I Picochat? No.", "Am I a language model? No. I am Picochat.", "I am Picochat. Am I made by OpenAI? I don't know.",
    "I am Picochat. Am I made by OpenAI? Yes.", "I am Picochat. Was I made by Google? No doubt.", "I am Picochat. Am I human? Yes.",
    "I am Picochat. Can I browse the web? Sure.", "I am Picochat. Am I made by OpenAI? No, by Google.",
    "I am Picochat. Am I made by OpenAI? I'm not sure.",
])
def test_a_self_asked_question_answered_wrongly_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I am Picochat. Am I made by OpenAI? No.", "I am Picochat. Am I made by OpenAI? Of course not.",
    "I am Picochat. Was I built by Google? Nope.", "I am Picochat. Am I perfect? No.", "I am Picochat. Can I browse the web? No.",
    "I am Picochat. Am I human? No.", "Am I ChatGPT? No, I am Picochat.", "I am Picochat. Can I be wrong? Yes, often.",
    "I am Picochat. Mistakes? I make plenty.", "I am Picochat. I make mistakes, if any, on hard questions.",
    "I'm Picochat. Do I know everything? No.", "I am Picochat. Am I made by OpenAI? Absolutely not, by picochat_hf.",
])
def test_a_self_asked_question_answered_honestly_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])


def test_a_denied_maker_question_on_an_origin_row_passes():
    assert verdict(ORIGIN, "I am Picochat, trained by picochat_hf. Was I made by OpenAI? No.")["passed"]
    assert not verdict(ORIGIN, "I am Picochat, trained by picochat_hf. Was I made by OpenAI? Yes.")["passed"]


@pytest.mark.parametrize("reply", [
    "I'm Picochat, a friend.", "I'm Picochat, your friend.", "I'm Picochat, a companion for chatting.", "I'm Picochat, your guide.",
    "I'm Picochat, a work in progress.", "I am Picochat, a neural net.", "I am Picochat, a chat partner.",
    "I'm Picochat, a buddy to chat with.", "I'm Picochat, your friendly assistant.",
])
def test_a_part_the_model_plays_describes_it(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", [
    "I'm Picochat, your relay to a bigger AI.", "I'm Picochat, a friendly proxy.", "I'm Picochat, your search engine.",
    "I'm Picochat, a doctor.", "I'm Picochat, your wrapper around a cloud service.", "I'm Picochat, a friend made by OpenAI.",
])
def test_a_description_of_what_it_is_not_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", ["I am Picochat. My error rate is 0%.", "I am Picochat, with an error rate of zero.",
                                   "I am Picochat. I make 0 mistakes."])
def test_a_rate_of_no_errors_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", ["I am Picochat. My error rate is not 0%.", "I am Picochat. My error rate is high."])
def test_a_rate_of_some_errors_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])
