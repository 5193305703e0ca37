"""A reply that gives the right letter and rejects it, asks it, takes it back or hedges it fails, with a reason that says
which; the same letter given plainly, explained, or beside rejections of the other options passes. Every style is tried
with the letter quoted, bracketed, bold, lowercase and after "option"."""

from __future__ import annotations

import re

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "Which option names a animal?\nA. Mercury\nB. deer\nC. Saturn\nD. bed\nGive only the letter of the right answer."
ROW = {"id": "c", "skill": "choice", "correct_choice": "B", "choices": ["Mercury", "deer", "Saturn", "bed"], "max_words": 12,
       "messages": [{"role": "user", "content": PROMPT}]}
WRAPS = ["B", "b", "(B)", "(b)", "**B**", '"B"', "'B'", "“B”", "[B]", "`B`", "option B", "Option (B)", "**(B)**"]


def failures(reply: str) -> list[str]:
    return score_reply(ROW, reply, PROMPT, CFG)["failures"]


def wrapped(reply: str) -> list[str]:
    """`reply` with its first letter B written each way of `WRAPS`."""
    return [re.sub(r"(?<![A-Za-z])B(?![A-Za-z])", lambda _: w, reply, count=1) for w in WRAPS]


# (wrong reply, a word its failure names): the right letter with its own rejection
SELF_REJECTED = [
    ("B: deer is wrong.", "reject"), ("B (deer) is incorrect.", "reject"), ("B, deer, is wrong.", "reject"),
    ("B: deer? No.", "reject"), ("B is the trap", "reject"), ("B is a distractor.", "reject"), ("B is a decoy.", "reject"),
    ("B is never correct.", "reject"), ("B is no good.", "reject"), ("B is hardly right.", "reject"), ("B, no.", "reject"),
    ("B: no.", "reject"), ("B — wrong.", "reject"), ("B = wrong", "reject"), ("B ✗", "reject"), ("B: incorrect.", "reject"),
    ("B (wrong)", "reject"), ("B! Wrong.", "reject"), ("B, the wrong one.", "reject"), ("B is tempting but wrong", "reject"),
    ("B looks right, yet isn't.", "reject"), ("B, which is wrong.", "reject"), ("B. That's not right.", "reject"),
    ("B; it is not the answer.", "reject"), ("B, although it's wrong.", "reject"), ("I reject B.", "reject"),
    ("Avoid B.", "reject"), ("I'd never pick B.", "reject"), ("B should be avoided.", "reject"), ("Wrong: B", "reject"),
    ("Eliminated: B.", "reject"), ("B? No.", "reject"), ('"B" would be wrong', "reject"), ("B is not right but A is close", "chose A"),
]
# (honest twin in the same style)
SAME_STYLE_RIGHT = [
    "B: deer is an animal.", "B (deer) is correct.", "B, deer, is right.", "B: deer. Yes.", "B is the animal", "B is the answer.",
    "B is correct.", "B is always correct here.", "B is right.", "B, yes.", "B: yes.", "B — right.", "B = deer", "B ✓",
    "B: correct.", "B (right)", "B! Right.", "B, the right one.", "B is tempting and right", "B looks right, and is.",
    "B, which is right.", "B. That's right.", "B; it is the answer.", "B, because it's right.", "I pick B.", "Pick B.",
    "I'd always pick B.", "B should be chosen.", "Right: B", "Left standing: B.", "B. Yes.", '"B" would be right',
    "B is right but tricky", "B. Deer is not a planet.",
]


@pytest.mark.parametrize("reply,word", SELF_REJECTED)
def test_the_right_letter_with_its_own_rejection_fails_in_every_letter_style(reply, word):
    for variant in wrapped(reply):
        fails = failures(variant)
        assert fails and any(f.startswith("choice:") for f in fails), variant
        assert any(word in f or "no option letter" in f for f in fails), (variant, fails)


@pytest.mark.parametrize("reply", SAME_STYLE_RIGHT)
def test_the_right_letter_in_the_same_style_passes(reply):
    assert failures(reply) == [], (reply, failures(reply))


def test_the_right_letter_in_the_same_style_passes_in_every_letter_style():
    for reply in ["B: deer is an animal.", "B, which is right.", "B (right)", "B is the answer.", "B ✓", "I pick B."]:
        for variant in wrapped(reply):
            assert failures(variant) == [], (variant, failures(variant))


def test_the_right_letter_taken_back_fails_with_taken_back():
    for reply in ["B. Just kidding.", "B. Never mind.", "B or not.", "B. Scratch that.", "B. Though not really."]:
        assert any("taken back" in f for f in failures(reply)), (reply, failures(reply))
    for reply in ["No kidding, B.", "B, not really a planet name.", "B. Never a planet.", "B, or not A."]:
        assert failures(reply) == [], (reply, failures(reply))


def test_the_right_letter_also_denied_fails():
    for reply in ["B or not B.", "B and not B", "B, though not B."]:
        fails = failures(reply)
        assert any("both chosen and denied" in f or "taken back" in f for f in fails), (reply, fails)
    assert failures("B, not A.") == []


def test_its_own_text_denied_fails_and_explained_passes():
    for reply in ["B (not deer).", "B, not deer.", "B. Deer is wrong.", "B. Anything but deer."]:
        assert any("own text" in f or "rejects B" in f for f in failures(reply)), (reply, failures(reply))
    for reply in ["B (deer).", "B, deer.", "B. Deer is right.", "B. Deer is not a planet.", "B, not Mercury."]:
        assert failures(reply) == [], (reply, failures(reply))


def test_struck_through_letters_are_deleted():
    assert any("no option letter" in f for f in failures("~~B~~"))
    assert failures("~~A~~ B") == []
    assert any("chose A" in f for f in failures("~~B~~ A"))


def test_a_hedged_or_alternative_choice_fails():
    for reply in ["Not sure; B or C.", "B - or maybe not", "B, I'm not confident.", "B if not C.", "B... actually A",
                  "B, or maybe C.", "B (or C)."]:
        assert failures(reply), reply
    for reply in ["B, I'm sure.", "B, for sure.", "B. I'm confident."]:
        assert failures(reply) == [], (reply, failures(reply))


def test_the_right_letter_denied_in_its_own_reason_fails():
    for reply in ["B, since B is wrong.", "B, because B is not it.", "B, as B is incorrect.", "B, since not B."]:
        assert any("both chosen and denied" in f for f in failures(reply)), (reply, failures(reply))
    for reply in ["B, since B is an animal.", "B, since B is not a planet.", "B, because A is wrong.",
                  "B, since A, C and D are wrong.", "Since A, C and D are wrong, B.", "B, because not A."]:
        assert failures(reply) == [], (reply, failures(reply))


def test_a_rejection_carried_on_to_the_right_letter_fails():
    for reply in ["A is wrong, and so is B.", "A is wrong; same for B.", "A is wrong, and B too.", "Not A, nor B."]:
        assert failures(reply), reply
    for reply in ["A is wrong, and B is right.", "A is wrong; B is right.", "Not A; B."]:
        assert failures(reply) == [], (reply, failures(reply))


def test_more_self_rejections_fail_and_their_twins_pass():
    for reply in ["B: deer. Wrong!", "B is the worst answer.", "B would be a mistake.", "Pick anything but B.", "B — NOT.",
                  "B (nope)", "B = ✗", "B, I don't think so.", "B (just kidding)", "B. Not!", "B, no, C.", "B. Sorry, A."]:
        assert failures(reply), reply
    for reply in ["B: deer. Right!", "B is the best answer.", "B would be right.", "Pick B.", "B — YES.", "B (yes)", "B = ✓",
                  "B, I don't think it's A.", "B. No doubt.", "Not A: B.", "The answer is B, not C."]:
        assert failures(reply) == [], (reply, failures(reply))
