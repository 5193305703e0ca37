"""Spelling working that tells a letter by the place a claim just named ("The final letter is r; the one before it is
e."), a run the word starts or ends with, a run of the word's first or last letters, "x is the 4th", and the places given
beside a letter count ("two t's (the 4th and 5th letters)") must hold for the word asked about: a false claim fails a reply
whose final answer is right, and the same claim made true passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def passes(word: str, mode: str, reply: str, letter: str | None = None) -> bool:
    prompts = {"first": f'Which letter comes first in "{word}"?', "last": f'Which letter comes last in "{word}"?',
               "count": f'Tell me how many times {letter} is used in the word "{word}".'}
    want = {"first": word[0], "last": word[-1], "count": str(word.count(letter or "-"))}[mode]
    row = {"id": "n", "skill": "spelling", "normalized_answer": want, "answer_style": "scratchpad",
           "messages": [{"role": "user", "content": prompts[mode]}],
           "problem": {"mode": mode, "word": word, "letter": letter, "result": want}}
    return score_reply(row, f"{reply}\nFinal answer: {want}", prompts[mode], CFG)["passed"]


@pytest.mark.parametrize("mode, wrong, right", [
    ("last", "The final letter is r; the one before it is t.", "The final letter is r; the one before it is e."),
    ("last", "The last letter is r, and the letter before that is t.", "The last letter is r, and the letter before that is e."),
    ("last", "The last letter is r, preceded by t.", "The last letter is r, preceded by e."),
    ("last", "It ends in r, just after a t.", "It ends in r, just after an e."),
    ("first", "The first letter is s; the next one is a.", "The first letter is s; the next one is c."),
    ("first", "The first letter is s, followed by a.", "The first letter is s, followed by c."),
    ("first", "The 4th letter is t and the one after it is e.", "The 4th letter is t and the one after it is t."),
])
def test_a_letter_told_by_the_place_just_named_must_hold(mode, wrong, right):
    assert not passes("scatter", mode, wrong), wrong
    assert passes("scatter", mode, right), right


@pytest.mark.parametrize("mode, wrong, right", [
    ("last", 'It ends with "tr".', 'It ends with "er".'),
    ("last", 'The ending is "atr".', 'The ending is "ter".'),
    ("first", 'It starts with "sa".', 'It starts with "sc".'),
    ("first", "The word begins with the letters s, a.", "The word begins with the letters s, c."),
    ("last", "The last three letters are t, t, r.", "The last three letters are t, e, r."),
    ("first", "The first 3 letters: s, a, c.", "The first 3 letters: s, c, a."),
    ("first", "s is the first letter; c is the 2nd and a is the 4th.", "s is the first letter; c is the 2nd and a is the 3rd."),
])
def test_a_run_the_word_starts_or_ends_with_must_be_its_own(mode, wrong, right):
    assert not passes("scatter", mode, wrong), wrong
    assert passes("scatter", mode, right), right


@pytest.mark.parametrize("wrong, right", [
    ("two t's in scatter (the 3rd and 5th letters)", "two t's in scatter (the 4th and 5th letters)"),
    ("t appears twice (positions 3 and 5).", "t appears twice (positions 4 and 5)."),
    ("There are 2 t's: letters 3 and 4.", "There are 2 t's: letters 4 and 5."),
    ("The letter t shows up 2 times (at the 5th and 6th places).", "The letter t shows up 2 times (at the 4th and 5th places)."),
])
def test_places_beside_a_letter_count_must_hold(wrong, right):
    assert not passes("scatter", "count", wrong, letter="t"), wrong
    assert passes("scatter", "count", right, letter="t"), right


def test_counts_written_beside_letters_are_no_places():
    assert passes("balloon", "count", "balloon: b-a-l-l-o-o-n (7 letters).", letter="o")  # a length, not places
    assert not passes("balloon", "count", "balloon: b-a-l-l-o-o-n (8 letters).", letter="o")
    assert passes("balloon", "count", "o: 2, l: 2, b: 1.", letter="o")
    assert passes("balloon", "count", "b(1) a(2) l(3) l(4) o(5) o(6) n(7)", letter="o")


def passes_reverse(reply: str) -> bool:
    prompt = 'Turn "clathraceae" around letter by letter.'
    row = {"id": "r", "skill": "spelling", "normalized_answer": "eaecarhtalc", "answer_style": "scratchpad",
           "messages": [{"role": "user", "content": prompt}],
           "problem": {"mode": "reverse", "word": "clathraceae", "letter": None, "result": "eaecarhtalc"}}
    return score_reply(row, f"{reply}\nFinal answer: eaecarhtalc", prompt, CFG)["passed"]


SPELLED = "Spell it out: c, l, a, t, h, r, a, c, e, a, e"


@pytest.mark.parametrize("wrong, right", [
    (f"{SPELLED}.\nThe last letter, a, comes first.", f"{SPELLED}.\nThe last letter, e, comes first; then a, e, c."),
    ("Start from the end: e, then a, then c, then e.", "Start from the end: e, then a, then e, then c."),
    (f"{SPELLED} (10 letters).", f"{SPELLED} (11 letters)."),
    (f"{SPELLED}.\nReversed: e, a, e, c, a, r, h, t, a, l, c.\nThat has 12 letters, the same as the word.",
     f"{SPELLED}.\nReversed: e, a, e, c, a, r, h, t, a, l, c.\nThat has 11 letters, the same as the word."),
])
def test_reversal_working_must_hold_for_the_asked_word(wrong, right):
    assert not passes_reverse(wrong), wrong
    assert passes_reverse(right), right


def test_the_middle_letter_of_an_odd_length_word_must_hold():
    assert passes("scatter", "last", "scatter has 7 letters, and its middle letter is t.")
    assert not passes("scatter", "last", "scatter has 7 letters, and its middle letter is a.")
    assert not passes("balloon", "last", "The middle letter is o.")
    assert passes("balloon", "last", "The middle letter is l.")
    assert passes("hookah", "last", "The middle letter is z.")  # an even length has no one middle letter: not judged
