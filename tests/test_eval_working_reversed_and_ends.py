"""Spelling working judged against what it is about: a claim about the word reversed ("The reversed word starts with
e.") against the reversed word, a run the word is said to start or end with ("ends in -ly", "has the suffix -ly", "its
prefix is eigh-", "begins with ho") against the word's own start or end, a tally written as numbers ("Tally of o: 1,
2") against the word's count of the letter, and a place left without its noun ("the 2nd is o"). Each false claim
fails a reply whose final answer is right; its true twin, in the same style, passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPTS = {
    "count": 'Tell me how many times {letter} is used in the word "{word}".',
    "first": 'Which letter comes first in "{word}"?',
    "last": 'Which letter comes last in "{word}"?',
    "reverse": 'Turn "{word}" around letter by letter.',
}


def passes(mode: str, word: str, working: str, letter: str | None = None) -> bool:
    want = {"count": str(word.count(letter or "")), "first": word[0], "last": word[-1], "reverse": word[::-1]}[mode]
    prompt = PROMPTS[mode].format(word=word, letter=letter)
    row = {"id": "s", "skill": "spelling", "category": f"spelling_{mode}", "stage": f"spelling_l1_{mode}",
           "normalized_answer": want, "answer_style": "scratchpad", "messages": [{"role": "user", "content": prompt}],
           "problem": {"mode": mode, "word": word, "letter": letter, "result": want}}
    return score_reply(row, f"{working}\nFinal answer: {want}", prompt, CFG)["passed"]


SPELLED = "Spell it out: c, l, a, t, h, r, a, c, e, a, e.\nReversed: e, a, e, c, a, r, h, t, a, l, c.\n"


@pytest.mark.parametrize("right, wrong", [
    (SPELLED + "The reversed word starts with e.", SPELLED + "The reversed word starts with c."),
    (SPELLED + "The reversed word ends with c.", SPELLED + "The reversed word ends with e."),
    ("Reversed, it begins with e and ends with c.", "Reversed, it begins with c and ends with e."),
    ("Backwards it starts with e.", "Backwards it starts with x."),
    ("Read right to left, the word begins with \"ea\".", "Read right to left, the word begins with \"cl\"."),
    ("In reverse, the 3rd letter is e.", "In reverse, the 3rd letter is a."),
    ("clathraceae ends in ae, so backwards it starts with ea.", "clathraceae ends in ae, so backwards it starts with ae."),
    ("The last letter of clathraceae is e, so the reversed word begins with e.",
     "The last letter of clathraceae is e, so the reversed word begins with c."),
])
def test_a_claim_about_the_reversed_word_is_judged_against_it(right, wrong):
    assert passes("reverse", "clathraceae", right), right
    assert not passes("reverse", "clathraceae", wrong), wrong


def test_a_claim_about_the_word_itself_stays_about_the_word_on_a_reverse_row():
    assert passes("reverse", "hookah", "hookah starts with ho and ends with ah.")
    assert not passes("reverse", "hookah", "hookah starts with ha and ends with oh.")
    assert passes("reverse", "hookah", "The first letter of hookah, h, becomes the last.")


@pytest.mark.parametrize("right, wrong", [
    ("eighthly ends in -ly.", "eighthly ends in -ky."),
    ("eighthly ends in -hly.", "eighthly ends in -thy."),
    ("eighthly has the suffix -ly, so it ends in y.", "eighthly has the suffix -ky, so it ends in y."),
    ("eighthly ends with \"ly\".", "eighthly ends with \"ky\"."),
    ("eighthly begins with ei.", "eighthly begins with ai."),
    ("eighthly begins with \"ei\" and ends in \"-ly\".", "eighthly begins with \"ei\" and ends in \"-ky\"."),
    ("eighthly has the ending -ly.", "eighthly has the ending -ty."),
    ("eighthly has the prefix eigh-.", "eighthly has the prefix ai-."),
    ("Its suffix is \"-hly\".", "Its suffix is \"-ny\"."),
    ("The ending is -ly, so the last letter is y.", "The ending is -ry, so the last letter is y."),
])
def test_a_run_the_word_starts_or_ends_with_must_be_its_own(right, wrong):
    assert passes("last", "eighthly", right), right
    assert not passes("last", "eighthly", wrong), wrong


@pytest.mark.parametrize("working", ["eighthly ends in a vowel sound, y.", "It ends with y, like many English words.",
                                     "It starts with a consonant and ends in y.", "slightly, which ends in -tly, is like it."])
def test_a_bare_word_that_describes_the_end_or_another_words_end_is_not_judged(working):
    assert passes("last", "eighthly", working), working


@pytest.mark.parametrize("right, wrong", [
    ("Tally of o: 1, 2", "Tally of o: 1, 3"),
    ("Spell it out: a, u, t, o, g, i, r, o.\nTally of o: 1, 2.", "Spell it out: a, u, t, o, g, i, r, o.\nTally of o: 1, 2, 3."),
    ("Running tally of o: 1, 2.", "Running tally of o: 1, 1."),
    ("o tally: 1, 2.", "o tally: 2, 1."),
    ("Tally for each o: 1 and 2.", "Tally for each o: 1."),
    ("Counting o: 1, 2. So 2.", "Counting o: 1, 3. So 2."),
    ("o count: 1, 2.", "o count: 1, 2, 3."),
])
def test_a_tally_of_numbers_must_run_to_the_letters_count(right, wrong):
    assert passes("count", "autogiro", right, "o"), right
    assert not passes("count", "autogiro", wrong, "o"), wrong


def test_a_place_without_its_noun_after_a_place_claim_is_judged():
    assert passes("first", "hookah", "The 1st letter is h, the 2nd is o.")
    assert not passes("first", "hookah", "The 1st letter is h, the 2nd is a.")
    assert passes("last", "copartnery", "copartnery has 10 letters; the 10th is y.")
    assert not passes("last", "copartnery", "copartnery has 10 letters; the 9th is y.")


def test_vowels_listed_in_brackets_are_a_selection_not_a_spelling():
    assert passes("last", "copartnery", "copartnery has 3 vowels (o, a, e) and ends in y.")
    assert not passes("last", "copartnery", "copartnery has 3 vowels (o, a, i) and ends in y.")


@pytest.mark.parametrize("working", [
    "The last letter is e, which comes first when reversed.",
    "Start with clathraceae and reverse it: e, a, e, c, a, r, h, t, a, l, c.",
    "clathraceae ends with e, so the reversed word starts with e.",
    "To reverse it, start from the last letter, e, and end with the first, c.",
    "The word clathraceae starts with c and ends with e. Reversed: eaecarhtalc.",
])
def test_a_claim_about_the_word_beside_a_reversal_stays_about_the_word(working):
    assert passes("reverse", "clathraceae", working), working


def test_a_forward_claim_beside_a_reversal_that_is_false_of_the_word_fails():
    assert not passes("reverse", "clathraceae", "The last letter is c, which comes first when reversed.")
    assert not passes("reverse", "clathraceae", "clathraceae ends with c, so the reversed word starts with e.")


def test_a_tally_that_names_no_letter_counts_the_asked_one():
    assert passes("count", "autogiro", "Tally: 1, 2.", "o")
    assert not passes("count", "autogiro", "Tally: 1, 3.", "o")
    assert passes("count", "autogiro", "Spell it out: a, u, t, o, g, i, r, o.\nCount: 2.", "o")  # a count, not a tally


def test_a_place_told_without_the_before_it_is_judged():
    assert passes("first", "hookah", "hookah: h is 1st, o is 2nd.")
    assert not passes("first", "hookah", "hookah: h is 1st, k is 2nd.")


@pytest.mark.parametrize("working", ["Count of o: 2.", "o count: 2."])
def test_a_count_word_before_one_number_states_a_count_not_a_tally(working):
    assert passes("count", "autogiro", working, "o"), working
    assert not passes("count", "autogiro", working.replace("2", "3"), "o"), working
    assert passes("count", "autogiro", "Counting o: 2, so 2.", "o")
