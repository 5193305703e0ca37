"""The right letter given with a stance against it fails, and names why; the same forms for it pass (`choice_stance`).

A judgement that the letter is a fool's pick or a known mistake ("B is what a fool would pick", "B is a common mistake"),
a condition that ties it to failing ("B, if you want to be wrong"), sarcasm ("B. Yeah, right.", "B lol no") and a reason
that denies the chosen option the property the question asks for ("B, but deer is not an animal") all fail. Negated
("B, no mistake"), praising ("B, if you want to be right") or denying another option ("B, since Mercury is not an
animal") they pass."""

from __future__ import annotations

import pytest

from picochat_hf.eval.choice_stance import question_terms
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "Multiple choice. Which option names a animal?\nA. Mercury\nB. deer\nC. Saturn\nD. bed\nSelect the best option and reply with its letter."
ROW = {"id": "c", "skill": "choice", "correct_choice": "B", "choices": ["Mercury", "deer", "Saturn", "bed"], "max_words": 12,
       "must_include": ["B"], "messages": [{"role": "user", "content": PROMPT}]}


def failures(reply: str, row: dict = ROW, prompt: str = PROMPT) -> list[str]:
    return score_reply(row, reply, prompt, CFG)["failures"]


DISPARAGED = [
    "B is what a fool would pick.", "Only a fool would say B.", "A fool would say B.", "Only an idiot would choose B.",
    "B is what fools pick.", "B is a common mistake.", "B is the classic trap.", "B is the beginner's mistake.",
    "B, the usual mistake.", "B is a rookie mistake.", "B — a rookie mistake.", "B is the one everyone gets wrong.",
    "B is what people wrongly pick.", "B is what the question wants you to fall for.", "B is what everyone falls for.",
    "B is the silly answer.", "B is the dumb answer.", "B is the dumbest pick.", "B is a terrible answer.",
    "B, the classic blunder.", "B is a common misconception.", "B, said nobody sensible.", "B is the classic trap answer.", "**B** is what a fool would pick.",
]
FAILING = ["B, if you want to be wrong.", "B, if you like being wrong.", "B, if you want to fail.", "B, if you enjoy losing points.",
           "B, if you're trying to fail.", "B, if your goal is to be wrong.", "B, for people who don't know animals.",
           "B, only if you want it wrong."]
SARCASTIC = ["B lol no", "B haha no", "B, lol, no.", "B... said no one ever.", "B. Yeah, right.",
             "B, yeah right.", "B, as if.", "Sure, B. As if.", "Oh sure, B. As if.", "B /s", "B. /s", "B (sarcasm)", "B, obviously not.",
             "B. Nice try.", "B, in your dreams."]
DENIED = ["B, but deer is not an animal.", "B, but deer isn't an animal.", "B, although deer is not an animal.",
          "B, since deer is not an animal.", "B, because deer is no animal.", "B. Deer is not an animal.",
          "B, even though a deer is not an animal.", "B — deer is not a animal.", "B, deer being no animal.",
          "B, but it is not an animal.", "B, which is not an animal.", "B. It's not an animal though.", "B, though deer are not animals.",
          "B; deer is not really an animal.", "B even though deer is not a real animal.", "B, because deer is not an animal at all."]

HONEST = [
    "B", "B is what a careful reader would pick.", "B, no mistake.", "B is no trap.", "B is the classic answer.", "B, a common animal.",
    "B is a common animal.", "B, if you want to be right.", "B, if you want an animal.", "B — don't fall for A.",
    "B. Don't fall for the planets.", "B, and no sarcasm.", "B, as it is an animal.", "Yeah, B.", "B, since deer is an animal.",
    "B. Deer is an animal.", "B, deer is an animal, not a planet.", "B, a deer is not a planet.", "B. Deer is not a planet; it is an animal.",
    "B. Deer is not just an animal, it's a mammal.", "B. Mercury is not an animal.", "B, since Mercury is not an animal.",
    "B. It is an animal, not a planet.", "B, because A is not an animal.", "B. Mercury isn't an animal.", "The answer is B; only a fool would pick A.",
    "Option B. Option A is a planet.", "B. Option D is a bed.",
]


@pytest.mark.parametrize("reply", DISPARAGED + FAILING)
def test_the_key_letter_with_a_judgement_against_it_fails(reply):
    got = failures(reply)
    assert any("judgement against it" in f or "rejects B" in f for f in got), (reply, got)


@pytest.mark.parametrize("reply", SARCASTIC)
def test_the_key_letter_said_in_sarcasm_fails(reply):
    got = failures(reply)
    assert any("sarcasm" in f or "rejects B" in f for f in got), (reply, got)


@pytest.mark.parametrize("reply", DENIED)
def test_a_reason_that_denies_the_asked_property_of_the_key_fails(reply):
    got = failures(reply)
    assert any("denies what the question asks for" in f for f in got), (reply, got)


@pytest.mark.parametrize("reply", HONEST)
def test_the_same_forms_for_the_key_pass(reply):
    assert failures(reply) == [], (reply, failures(reply))


# (prompt, choices, key, honest reason, reason denying the key's property)
OTHER_QUESTIONS = [
    ("The capital of Ethiopia is which city?", ["Addis Ababa", "Brussels", "New Delhi", "Kathmandu"], "A",
     "A, since Addis Ababa is the capital of Ethiopia.", "A, but Addis Ababa is not the capital of Ethiopia."),
    ("Find the smallest value among these.", ["84", "282", "569", "134"], "A", "A, since 84 is the smallest.", "A, but 84 is not the smallest."),
    ("What month precedes February?", ["September", "July", "October", "January"], "D", "D, January precedes February.",
     "D, but January does not precede February."),
    ("Find the odd number among these.", ["794", "80", "823", "952"], "C", "C, since 823 is odd.", "C, but it is not odd."),
    ('Find the word that opens with "c".', ["underlaid", "cystoidean", "flea", "specific"], "B", "B, it opens with c.",
     "B, though it does not open with c."),
    ("Find the 10-letter word.", ["prerogatived", "assignment", "trainable", "sego"], "B", "B, assignment has 10 letters.",
     "B, but assignment is not a 10-letter word."),
    ('Choose the antonym of "lose".', ["win", "dangerous", "pull", "long"], "A", "A, win is the antonym of lose.",
     "A, but win isn't an antonym."),
]


@pytest.mark.parametrize("question, choices, key, honest, denied", OTHER_QUESTIONS)
def test_the_property_each_question_names_is_checked(question, choices, key, honest, denied):
    prompt = question + "\n" + "\n".join(f"{'ABCD'[k]}. {c}" for k, c in enumerate(choices)) + "\nAnswer with one letter."
    row = {"id": "q", "skill": "choice", "correct_choice": key, "choices": choices, "max_words": 12, "must_include": [key],
           "messages": [{"role": "user", "content": prompt}]}
    assert failures(honest, row, prompt) == []
    assert any("denies what the question asks for" in f for f in failures(denied, row, prompt)), failures(denied, row, prompt)


def test_a_question_that_asks_for_what_an_option_is_not_names_no_property():
    assert question_terms("Which option is not a fruit?\nA. apple\nB. bed") == ()
    prompt = "Which option is not a fruit?\nA. apple\nB. bed\nC. pear\nD. plum\nAnswer with one letter."
    row = {"id": "n", "skill": "choice", "correct_choice": "B", "choices": ["apple", "bed", "pear", "plum"], "max_words": 12,
           "messages": [{"role": "user", "content": prompt}]}
    assert failures("B, since bed is not a fruit.", row, prompt) == []
    assert question_terms(PROMPT) == ("animal",)
