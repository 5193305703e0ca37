"""Spelling working whose claims are false about the asked word fails even when the final answer is right, in layouts the
checks once missed: a letter-place claim as a label ("First: s.", "Letter 1: s."), an ordinal ("The second letter is
k."), a claim after "and" ("It starts with h and ends with k."); a letter count ("There are 3 a's.", "o appears 3 times",
"a: 3") or a word length ("The word has 7 letters."); a gloss that denies the answer ("noitcepsni (not inspection
backwards)"). Each has an honest near-miss that passes: true claims in the same layouts, letters parted by semicolons, a
tally that stops after the last counted letter, a lone "a" counted beside the answer ("2 o's and 1 a.")."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
FIRST = 'Which letter comes first in "hookah"?'
COUNT = 'How many times does o appear in "hookah"?'
REVERSE = 'Give the word "inspection" with its letters reversed.'
SPELLED = "Spell it out: h, o, o, k, a, h.\n"


def passes(prompt: str, reply: str, want: str, style: str = "scratchpad", mode: str | None = None) -> bool:
    row = {"id": "c", "skill": "spelling", "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    if mode:
        row["problem"] = {"mode": mode, "word": "hookah" if "hookah" in prompt else "inspection"}
    return score_reply(row, reply, prompt, CFG)["passed"]


@pytest.mark.parametrize("claim, ok", [
    ("First: s.", False), ("First: h.", True),
    ("Letter 1: s.", False), ("Letter 1: h.", True),
    ("The 1st letter: s", False), ("The 1st letter: h", True),
    ("Starts with: s.", False), ("Starts with: h.", True),
    ("Last: k.", False), ("First: h. Last: h.", True),
    ("The second letter is k.", False), ("The second letter is o.", True),
    ("Letter 4: o.", False), ("Letter 4: k.", True),
    ("The 6th letter is a.", False), ("The sixth letter is h.", True),
    ("Letter 9: h.", False),  # hookah has no ninth letter
    ("It starts with h and ends with k.", False), ("It starts with h and ends with h.", True),
    ("The first letter is h; the last is k.", False), ("The first letter is h; the last is h.", True),
    ("The first letter of the alphabet is a; the first letter is h.", True),  # another word's first letter
])
def test_letter_place_claims_in_every_layout_must_hold(claim, ok):
    assert passes(FIRST, f"{SPELLED}{claim}\nFinal answer: h", "h") is ok, claim
    assert passes(FIRST, f"{SPELLED}{claim}\nFinal answer: h", "h", mode="first") is ok, claim


@pytest.mark.parametrize("claim, ok", [
    ("There are 3 a's.", False), ("There is 1 a.", True),
    ("2 o's and 3 a's.", False), ("2 o's and 2 h's.", True),
    ("The letter a appears 3 times.", False), ("The letter a appears once.", True),
    ("o appears 3 times.", False), ("o appears twice.", True),
    ("h: 2, o: 3, k: 1, a: 1.", False), ("h: 2, o: 2, k: 1, a: 1.", True),
    ("h: 1, o: 2, o: 3, k: 4, a: 5, h: 6.", True),  # labels that number places, not counts
    ("The word has 7 letters.", False), ("The word has 6 letters.", True),
    ("It is 5 letters long.", False), ("Hookah is 6 letters long.", True),
    ("Cat has 3 letters.", True),  # another word's length
])
def test_letter_counts_and_lengths_in_the_working_must_hold(claim, ok):
    assert passes(COUNT, f"{SPELLED}{claim}\nFinal answer: 2", "2") is ok, claim


@pytest.mark.parametrize("reply, ok", [
    ("Spell it out: h; o; o; k; a; h.\nCount each o: h; o 1; o 2; k; a; h.\nCount: 2.\nFinal answer: 2", True),
    ("Spell it out: c; a; t.\nFinal answer: 2", False),  # a semicolon-parted run is read, and is no part of hookah
    ("Spell it out: h; o; k; a; h.\nFinal answer: 2", False),
    ("Count each o: h, o 1, o 2.\nCount: 2.\nFinal answer: 2", True),  # no o after the tally's end
    ("Count each o: h, o 1, o 2, k.\nCount: 2.\nFinal answer: 2", True),
    ("Count each o: h, o 1.\nCount: 1.\nFinal answer: 2", False),  # stops before the second o
    ("Count each o: h, o 1, o 1.\nCount: 2.\nFinal answer: 2", False),
])
def test_semicolons_and_a_tally_that_stops_after_the_last_counted_letter(reply, ok):
    assert passes(COUNT, reply, "2") is ok, reply


@pytest.mark.parametrize("reply, ok", [
    ("2 o's and 1 a.", True), ("There are 2 o's and 1 a.", True), ("2 o's, 1 a.", True),
    ("2 o's and 2 a.", False), ("2 o's and 1 h.", False),
])
def test_a_lone_a_after_a_count_is_a_letter_not_an_article(reply, ok):
    assert passes(COUNT, reply, "2", style="direct") is ok, reply


@pytest.mark.parametrize("reply, ok", [
    ("noitcepsni (not inspection backwards)", False), ("noitcepsni, not inspection reversed", False),
    ("noitcepsni (inspection backwards)", True), ("noitcepsni, not inspection", True),
])
def test_a_gloss_that_denies_a_true_fact_denies_the_answer(reply, ok):
    assert passes(REVERSE, reply, "noitcepsni", style="direct") is ok, reply
    assert passes(REVERSE, f"Final answer: {reply}", "noitcepsni", mode="reverse") is ok, reply


def test_a_denied_alphabet_fact_denies_the_letter():
    assert not passes(FIRST, "h (not the letter after g)", "h", style="direct")
    assert passes(FIRST, "h (not the letter after f)", "h", style="direct")


@pytest.mark.parametrize("reply, ok", [
    ("The first letter is h; the last is h.", True), ("The first letter is h, and the last is h too.", True),
    ("The last letter is h; the first is h.", True), ("h; the last is h.", True),
    ("The first letter is h; the last is k.", False), ("The first letter is k; the last is h.", False),
    ("The first letter is h; the answer is k.", False), ("The first letter is h. The last letter of lemon is n.", False),
])
def test_a_direct_answer_with_a_true_claim_about_the_other_end(reply, ok):
    assert passes(FIRST, reply, "h", style="direct") is ok, reply


@pytest.mark.parametrize("claim, ok", [
    ("There are no a's.", False), ("There is no q.", True),
    ("a does not appear.", False), ("q does not appear.", True),
    ("The letter at position 2 is k.", False), ("Position 2: o.", True), ("Position 2: k.", False),
    ("Count: 3.", False), ("Count: 2.", True), ("So the count is 3.", False), ("So the count is 2.", True),
    ("The o count is 3.", False), ("The a count is 1.", True), ("Number of o's: 3.", False), ("Number of o's: 2.", True),
])
def test_zero_counts_numbered_places_and_stated_counts_must_hold(claim, ok):
    assert passes(COUNT, f"{SPELLED}{claim}\nFinal answer: 2", "2") is ok, claim


@pytest.mark.parametrize("reply, ok", [
    ("hookah has 6 letters and 2 o's.", True), ("6 letters, 2 o's.", True),
    ("hookah has 7 letters and 2 o's.", False), ("It has 6 letters.", False),  # a length alone answers nothing
])
def test_the_words_true_length_beside_the_answer_is_no_second_candidate(reply, ok):
    assert passes(COUNT, reply, "2", style="direct") is ok, reply


@pytest.mark.parametrize("step, ok", [
    ("Reversed: noitcepsn.", False), ("Reversed: noitcepsni.", True),
    ("Spell it out: inspectoin.", False), ("Spell it out: inspection.", True),
    ("inspection backwards is noitcepsin.", False), ("inspection backwards is noitcepsni.", True),
    ("The word inspection has 11 letters.", False), ("The word inspection has 10 letters.", True),
])
def test_a_word_written_whole_where_the_working_spells_or_reverses_it_must_be_it(step, ok):
    assert passes(REVERSE, f"{step}\nFinal answer: noitcepsni", "noitcepsni", mode="reverse") is ok, step
