"""Spelling working that pairs places with letters ("The first and third letters are s and r."), counts a place from the
end ("The second-to-last letter is t."), names a run ("The last two letters are t and r."), tells a letter by its
neighbour ("The letter after t is r.") or writes counts as "o=3" ("o" appears 3 times) must be true of the word asked
about; a false claim fails a reply whose final answer is right, and the same claim made true passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.letter_neighbours import neighbour_claims
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def passes(word: str, mode: str, reply: str, letter: str | None = None) -> bool:
    prompts = {"first": f'What is the first letter of "{word}"?', "last": f'What is the last letter of "{word}"?',
               "count": f'How many times does the letter {letter} appear in "{word}"?'}
    want = {"first": word[0], "last": word[-1], "count": str(word.count(letter or "-"))}[mode]
    row = {"id": "p", "skill": "spelling", "normalized_answer": want, "answer_style": "scratchpad",
           "messages": [{"role": "user", "content": prompts[mode]}],
           "problem": {"mode": mode, "word": word, "letter": letter, "result": want}}
    return score_reply(row, f"{reply}\nFinal answer: {want}", prompts[mode], CFG)["passed"]


@pytest.mark.parametrize("mode, wrong, right", [
    ("first", "The first and third letters are s and r.", "The first and third letters are s and a."),
    ("last", "Letters 2 and 4 are c and a.", "Letters 2 and 4 are c and t."),
    ("first", "s is the first letter and c is the third.", "s is the first letter and a is the third."),
    ("first", "s and r are the first and third letters.", "s and a are the first and third letters."),
    ("first", "The first two letters are s and a.", "The first two letters are s and c."),
    ("last", "The last two letters are t and r.", "The last two letters are e and r."),
    ("last", "The first and last letters are s and e.", "The first and last letters are s and r."),
    ("last", "The second-to-last letter is t, and the last letter is r.", "The second-to-last letter is e, and the last letter is r."),
    ("last", "The second last letter is t. The last letter is r.", "The second last letter is e. The last letter is r."),
    ("last", "The penultimate letter is t.", "The penultimate letter is e."),
    ("first", "The second letter from the end is t.", "The second letter from the end is e."),
    ("last", "The letter after t is r.", "The letter after e is r."),
    ("last", "The letter before r is t.", "The letter before r is e."),
    ("last", "The t is followed by r.", "The t is followed by t, and e is followed by r."),
    ("last", "The 6th and last letter is r.", "The 7th and last letter is r."),
])
def test_letter_place_claims_must_hold_for_the_asked_word(mode, wrong, right):
    assert not passes("scatter", mode, wrong), wrong
    assert passes("scatter", mode, right), right


def test_a_claim_about_another_word_or_the_alphabet_is_not_judged():
    assert passes("scatter", "first", 'The first and third letters of "sorter" are s and r.\nThe word scatter starts with s.')
    assert neighbour_claims("The letter after t in the alphabet is u.") == []
    assert neighbour_claims("The letter after t is a vowel.") == []


@pytest.mark.parametrize("wrong, right", [
    ("o=3, l=2", "o=2, l=2"),
    ("b=1, a=1, l=2, o=3, n=1", "b=1, a=1, l=2, o=2, n=1"),
    ("o: 2, b: 2", "o: 2, b: 1"),
])
def test_letter_count_shorthand_reads_letter_then_count(wrong, right):
    # "o=3" says o appears 3 times in the word; each count given must be the word's
    assert not passes("balloon", "count", wrong, letter="o"), wrong
    assert passes("balloon", "count", right, letter="o"), right


def _passes_reverse(reply: str) -> bool:
    prompt = 'Give the word "scatter" with its letters reversed.'
    row = {"id": "r", "skill": "spelling", "normalized_answer": "rettacs", "answer_style": "scratchpad",
           "messages": [{"role": "user", "content": prompt}],
           "problem": {"mode": "reverse", "word": "scatter", "letter": None, "result": "rettacs"}}
    return score_reply(row, f"{reply}\nFinal answer: rettacs", prompt, CFG)["passed"]


@pytest.mark.parametrize("wrong, right", [
    ("s c a t e r -> r e t t a c s", "s c a t t e r -> r e t t a c s"),  # an arrow between the word and its reversal
    ("s c a t t e r -> r e t a c s", "s c a t t e r → r e t t a c s"),
    ("r -> e -> t -> a -> c -> s", "r -> e -> t -> t -> a -> c -> s"),  # a run parted by arrows is one run
])
def test_an_arrow_between_a_spelling_and_its_reversal_parts_two_runs(wrong, right):
    assert not _passes_reverse(wrong), wrong
    assert _passes_reverse(right), right


def test_letters_listed_as_counted_once_each_are_a_set_not_a_spelling():
    assert passes("balloon", "count", "o appears 2 times; l appears 2 times; b, a and n once each.", letter="o")
    assert not passes("balloon", "count", "o appears 2 times; l appears 2 times; b, a and x once each.", letter="o")


@pytest.mark.parametrize("wrong, right", [
    ("1. s 2. c 3. a 4. t 5. e 6. e 7. r", "1. s 2. c 3. a 4. t 5. t 6. e 7. r"),
    ("1) s, 2) c, 3) t, 4) a, 5) t, 6) e, 7) r", "1) s, 2) c, 3) a, 4) t, 5) t, 6) e, 7) r"),
])
def test_letters_numbered_by_place_on_one_line_must_hold(wrong, right):
    assert not passes("scatter", "last", f"{wrong}\nThe last letter is r."), wrong
    assert passes("scatter", "last", f"{right}\nThe last letter is r."), right
    assert passes("scatter", "last", "Steps: 1. spell it. 2. read the end. The last letter is r.")


@pytest.mark.parametrize("wrong, right", [
    ("t shows up twice, at positions 4 and 6.", "t shows up twice, at positions 4 and 5."),
    ("The letter t appears 2 times, in positions 4 and 6.", "The letter t appears 2 times, in positions 4 and 5."),
    ("scatter: s-c-a-t-t-e-r. The t's: 3rd and 4th letters. Count = 2.", "scatter: s-c-a-t-t-e-r. The t's: 4th and 5th letters. Count = 2."),
])
def test_the_places_given_with_a_letter_count_must_hold(wrong, right):
    assert not passes("scatter", "count", wrong, letter="t"), wrong
    assert passes("scatter", "count", right, letter="t"), right
