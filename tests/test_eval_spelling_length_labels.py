""""Letters: N" labels the word's length, not a count of the letter s: the label reader took "letter" + "s" + ":" as
"s: N", so "Letters: 2." in the working for "glass" (5 letters, two s's) passed as a true count and the true "Letters:
5." failed, as did "Letters: 6." for "market" ("'s' occurs 6 times"). A labelled length is now judged as the word's
length; "letter o: 3" still labels a count. A place set beside a letter is judged as a place claim: "The last letter is
t, the 5th letter." passed for "market" (t is the 6th)."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
GLASS = 'How frequently does the letter s occur in "glass"?'
MARKET = 'Separate the letters of "market" with spaces.'
TALLY = "Count each s: g, l, a, s 1, s 2.\nCount: 2.\nFinal answer: 2"
SPACED = "With spaces: m a r k e t\nFinal answer: m a r k e t"


def verdict(prompt: str, reply: str, want: str, mode: str, word: str, letter: str | None) -> dict:
    row = {"id": "s", "skill": "spelling", "category": f"spelling_{mode}", "answer_style": "scratchpad", "normalized_answer": want,
           "messages": [{"role": "user", "content": prompt}], "problem": {"mode": mode, "word": word, "letter": letter, "result": want}}
    return score_reply(row, reply, prompt, CFG)


def glass(line: str) -> dict:
    return verdict(GLASS, f"Spell it out: g, l, a, s, s.\n{line}\n{TALLY}", "2", "count", "glass", "s")


def market(line: str) -> dict:
    return verdict(MARKET, f"Spell it out: m, a, r, k, e, t.\n{line}\n{SPACED}", "m a r k e t", "spaced", "market", None)


@pytest.mark.parametrize("judge, line", [
    (glass, "Letters: 2."), (glass, "Total letters: 4."), (market, "Letters: 7."), (market, "Number of letters: 5."),
    (glass, "Letter s: 3."), (glass, "letter s: 1"),
])
def test_a_false_labelled_length_or_count_fails(judge, line):
    v = judge(line)
    assert not v["passed"], (line, v["failures"])
    assert any("the working is false" in f for f in v["failures"]), v["failures"]


@pytest.mark.parametrize("judge, line", [
    (glass, "Letters: 5."), (glass, "Total letters: 5."), (market, "Letters: 6."), (market, "Total letters: 6."),
    (market, "Number of letters: 6."), (glass, "Letter s: 2."), (glass, "Letter count: 2."), (glass, ""),
])
def test_a_true_labelled_length_or_count_passes(judge, line):
    v = judge(line)
    assert v["passed"], (line, v["failures"])


LAST = 'Which letter comes last in "market"?'


def last(line: str) -> dict:
    return verdict(LAST, f"Spell it out: m, a, r, k, e, t.\n{line}\nFinal answer: t", "t", "last", "market", None)


@pytest.mark.parametrize("line, ok", [
    ("The last letter is t, the 5th letter.", False), ("The last letter is t, the 6th letter.", True),
    ("The last letter is t (5th letter).", False), ("The last letter is t (6th letter).", True),
    ("The last letter is t, at position 5.", False), ("The last letter is t, at position 6.", True),
    ("The last letter is t, letter 5.", False), ("The last letter is t, letter 6.", True),
    ("The last letter is t, the 19th letter of the alphabet.", True),
])
def test_a_place_set_beside_the_letter_must_be_its_place(line, ok):
    v = last(line)
    assert v["passed"] is ok, (line, v["failures"])
