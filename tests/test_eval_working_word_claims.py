"""Spelling working that states something false about the asked word fails even with a right final answer: the word
written as a near miss where the working names it ("scatr -> s c a t t e r"), a wrong count of vowels or consonants
("scatter has three vowels"), a letter said to be doubled that is not, and a wrong order of two letters ("c comes
before s", "After s comes a"). Each has a true twin that passes, and a labelled list of the word's consonants ("5
consonants: s, c, t, t, r") or a tally marked in brackets ("o (one)") is no false spelling."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
MODES = {
    "count": ('How many times does the letter t appear in "scatter"?', "2", "t"),
    "first": ('Which letter comes first in "scatter"?', "s", None),
    "last": ('Which letter comes last in "scatter"?', "r", None),
    "reverse": ('Turn "scatter" around letter by letter.', "rettacs", None),
    "spaced": ("Write each letter of the word scatter with a space after it.", "s c a t t e r", None),
}


def passes(mode: str, working: str, word: str = "scatter", style: str = "scratchpad") -> bool:
    """Whether `working` then the final answer (a scratchpad row), or `working` alone (a direct row), passes."""
    prompt, want, letter = MODES[mode]
    prompt = prompt.replace("scatter", word)
    row = {"id": "s", "skill": "spelling", "category": f"spelling_{mode}", "stage": f"spelling_l1_{mode}",
           "normalized_answer": want, "answer_style": style, "messages": [{"role": "user", "content": prompt}],
           "problem": {"mode": mode, "word": word, "letter": letter, "result": want}}
    reply = f"{working}\nFinal answer: {want}" if style == "scratchpad" else working
    return score_reply(row, reply, prompt, CFG)["passed"]


@pytest.mark.parametrize("mode, working, ok", [
    ("spaced", "scatr -> s c a t t e r", False), ("spaced", "scatter -> s c a t t e r", True),
    ("spaced", "scater: s c a t t e r", False), ("spaced", "Scatter: s c a t t e r", True),
    ("reverse", "Backwards, scater is r-e-t-t-a-c-s.", False), ("reverse", "Backwards, scatter is r-e-t-t-a-c-s.", True),
    ("reverse", "The word scattr reversed is rettacs.", False), ("reverse", "The word scatter reversed is rettacs.", True),
    ("first", "The word scater begins with s.", False), ("first", "The word scatter begins with s.", True),
    ("spaced", "The letters of scattre are s, c, a, t, t, e, r.", False),
    ("spaced", "The letters of scatter are s, c, a, t, t, e, r.", True),
])
def test_the_word_named_in_working_must_be_the_word(mode, working, ok):
    assert passes(mode, working) is ok, working


@pytest.mark.parametrize("working, ok", [
    ("scatter has three vowels. s, c, a, t 1, t 2, e, r.", False), ("scatter has two vowels. s, c, a, t 1, t 2, e, r.", True),
    ("scatter has 4 consonants. t appears twice.", False), ("scatter has 5 consonants. t appears twice.", True),
    ("scatter has 5 consonants: s, c, t, t, r. t appears twice.", True),
    ("scatter has 5 consonants: s, c, t, r. t appears twice.", False),
    ("scatter has 2 vowels: a and e. t appears twice.", True), ("scatter has 2 vowels: a, e, r. t appears twice.", False),
    ("scatter has two vowels and five consonants.", True), ("scatter has two vowels and four consonants.", False),
])
def test_a_count_of_vowels_or_consonants_must_be_the_words(working, ok):
    assert passes("count", working) is ok, working


def test_y_may_be_counted_as_a_vowel_or_not():
    assert passes("count", "crypt has 0 vowels. t appears once.", word="crypt") is passes("count", "crypt has 1 vowel. t appears once.", word="crypt") is True
    assert passes("count", "crypt has 2 vowels. t appears once.", word="crypt") is False


@pytest.mark.parametrize("working, ok", [
    ("scatter has a double t.", True), ("scatter has a double c. t appears 2 times.", False),
    ("s-c-a-t-t-e-r: the t is doubled, so 2.", True), ("s-c-a-t-t-e-r: the c is doubled, and there are 2 t's.", False),
])
def test_a_doubled_letter_must_stand_twice_in_a_row(working, ok):
    assert passes("count", working) is ok, working


@pytest.mark.parametrize("working, ok", [
    ("s comes before c in scatter.", True), ("c comes before s in scatter.", False),
    ("r comes after e in scatter.", True), ("s comes after r in scatter.", False),
    ("After s comes c.", True), ("After s comes a.", False),
    ("Spell it out: s, c, a, t, t, e, r. Before r comes e.", True), ("Spell it out: s, c, a, t, t, e, r. Before r comes t.", False),
])
def test_the_order_of_two_letters_must_hold(working, ok):
    assert passes("first", working) is ok, working


@pytest.mark.parametrize("working, ok", [
    ("Spell it out: s, c, a, t (one), t (two), e, r.", True), ("Spell it out: s, c, a, t (first), t (second), e, r.", True),
    ("Spell it out: s, c, a, t (one), e, r.", False),
])
def test_a_tally_marked_in_brackets_keeps_the_run(working, ok):
    assert passes("count", working) is ok, working


@pytest.mark.parametrize("working, ok", [
    ("The t's are in places four and five.", True), ("The t's are in places three and five.", False),
    ("The t's are at positions 4 and 5.", True), ("The t's are at positions 3 and 5.", False),
])
def test_places_given_to_the_counted_letter_must_hold(working, ok):
    assert passes("count", working) is ok, working


@pytest.mark.parametrize("working, ok", [
    ("Letters: s e t t e r", True), ("setter -> s e t t e r", True), ("seter -> s e t t e r", False),
])
def test_a_label_word_near_the_asked_word_names_no_word(working, ok):
    prompt = "Write each letter of the word setter with a space after it."
    row = {"id": "s", "skill": "spelling", "category": "spelling_spaced", "stage": "spelling_l1_spaced",
           "normalized_answer": "s e t t e r", "answer_style": "scratchpad", "messages": [{"role": "user", "content": prompt}],
           "problem": {"mode": "spaced", "word": "setter", "letter": None, "result": "s e t t e r"}}
    assert score_reply(row, f"{working}\nFinal answer: s e t t e r", prompt, CFG)["passed"] is ok, working


@pytest.mark.parametrize("working, ok", [
    ("The first of the seven letters is s.", True), ("The first of the six letters is s.", False),
    ("Of all 7 letters, the first is s.", True), ("Of all 8 letters, the first is s.", False),
    ("The first of its seven letters is s.", True), ("The first of its five letters is s.", False),
])
def test_the_length_told_as_of_the_letters_must_hold(working, ok):
    assert passes("first", working) is ok, working


@pytest.mark.parametrize("working, ok", [
    ("s, c, a, t (1), t (2), e, r.", True), ("s, c, a, t (1), t (3), e, r.", False), ("s, c, a, t (2), t (1), e, r.", False),
    ("s, c, a, t-1, t-2, e, r.", True), ("t (4), t (5).", True), ("t (4), t (6).", False),
    ("s, c, a has t at positions 4 and 5.", True), ("s, c, a has t at positions 3 and 5.", False),
])
def test_a_letter_tallied_or_placed_in_brackets_must_hold(working, ok):
    assert passes("count", working) is ok, working


@pytest.mark.parametrize("mode, reply, ok", [
    # the word written in front of the answer, or after "in", must be the word: a near miss fails, in every mode
    ("count", '2 in "scatter"', True), ("count", '2 in "scater"', False), ("count", '2 times in "scattr"', False),
    ("count", "In scatter, 2.", True), ("count", "In scate, 2.", False), ("count", "2, as in scatter", True),
    ("count", "2, as in scattre", False), ("count", "scatter: 2", True), ("count", "scattr: 2", False),
    ("reverse", "scatter: rettacs", True), ("reverse", "scatte: rettacs", False), ("reverse", "scater: rettacs", False),
    ("first", "scatter: s", True), ("first", "scatte: s", False), ("last", "scatter: r", True), ("last", "scatr: r", False),
    ("spaced", "scatter: s c a t t e r", True), ("spaced", "scatte: s c a t t e r", False),
])
def test_the_word_named_before_the_answer_or_after_in_must_be_the_word(mode, reply, ok):
    assert passes(mode, reply, style="direct") is ok, reply


@pytest.mark.parametrize("working, ok", [
    # a count said of a part of the word must be that part's count of the asked letter
    ('1 in "scat" and 1 in "ter", so 2.', True), ('1 in "scat" and 2 in "ter", so 2.', False), ('2 in "scat"', False), ('2 in "scatt"', True),
    ("In scatt, 2.", True), ("In scat, 2.", False), ("scatte: 2", True), ("catt: 1", False),
])
def test_a_count_said_of_a_part_of_the_word_must_be_its_own(working, ok):
    assert passes("count", working) is ok, working
