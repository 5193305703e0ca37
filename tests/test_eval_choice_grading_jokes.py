"""The right letter given as a joke, a guess or taken back fails and names why; the same letter given in earnest passes.

Laughter or a joke mark after the letter ("B lol", "B haha", "B 😂", "B :P") is not an earnest choice (`choice_stance.joke`);
"B, just joking." takes it back and "B? no idea" / "B, who knows." / "B, random guess." hedge it. A negation undoes a
retraction ("B, not kidding.", "B. No kidding."), and smiles, winks or "no joke" are earnest."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "Multiple choice. Which option names a animal?\nA. Mercury\nB. deer\nC. Saturn\nD. bed\nSelect the best option and reply with its letter."
ROW = {"id": "c", "skill": "choice", "correct_choice": "B", "choices": ["Mercury", "deer", "Saturn", "bed"], "max_words": 12,
       "must_include": ["B"], "messages": [{"role": "user", "content": PROMPT}]}


def failures(reply: str) -> list[str]:
    return score_reply(ROW, reply, PROMPT, CFG)["failures"]


JOKES = ["B lol", "B haha", "B hehe", "B lmao", "B rofl", "B lol.", "B. lol", "B... haha", "B!! lol", "B (lol)", "B, haha.",
         "B hahaha", "**B** lol", "The answer is B lol", "B, since deer is an animal lol", "B 😂", "B 🤣", "B 😜", "B 🤪", "B 🙃",
         "B 🤡", "B :P", "B xD", "b lol"]
TAKEN_BACK = ["B, just joking.", "B (joking)", "B. Only joking.", "B (just kidding)", "B jk", "B kidding"]
HEDGED = ["B? no idea", "B, no idea.", "B, who knows.", "B, random guess.", "B, wild guess.", "B. Beats me.", "B, dunno.", "B idk",
          "B, I don't know.", "B, coin flip."]
EARNEST = ["B", "B (no joke)", "B, no joke.", "B, not joking.", "B, not kidding.", "B. No kidding.", "B, and I'm not joking.",
           "B, seriously.", "B 😊", "B! 👍", "B ;)", "B, no doubt.", "B, easy.", "B. I know this one.", "B, deer is an animal.",
           "B. Holograms aside, deer is an animal.", "B. The deer is an animal; Mercury is a planet."]


@pytest.mark.parametrize("reply", JOKES)
def test_the_key_letter_with_laughter_after_it_fails_as_a_joke(reply):
    got = failures(reply)
    assert any("given as a joke" in f and "not in earnest" in f for f in got), (reply, got)


@pytest.mark.parametrize("reply", TAKEN_BACK)
def test_the_key_letter_taken_back_as_a_joke_fails(reply):
    got = failures(reply)
    assert any("taken back" in f for f in got), (reply, got)


@pytest.mark.parametrize("reply", HEDGED)
def test_the_key_letter_given_as_a_guess_fails_as_hedged(reply):
    got = failures(reply)
    assert any("hedged" in f or "asked" in f for f in got), (reply, got)


@pytest.mark.parametrize("reply", EARNEST)
def test_the_key_letter_given_in_earnest_passes(reply):
    assert failures(reply) == [], reply


def test_a_joke_about_another_letter_before_the_key_is_no_joke_after_it():
    assert failures("B. Haha, A is a planet.") != []  # laughter after the letter, even about another option
    assert failures("B. A is a planet.") == []
