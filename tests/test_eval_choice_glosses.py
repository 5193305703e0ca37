"""A gloss right after the chosen letter is a claim about that option (`eval/choice_glosses.py`): a false one fails
even though it names no other option's text ("C, the smallest" when C is the largest, "A (3 hours)" when A is 120
minutes), its true twin in the same form passes, and a gloss no claim rule computes or a reason clause is left as it was."""

from __future__ import annotations

import pytest

from picochat_hf.eval.choice_glosses import gloss_as_claim

from helpers_choice import choice_row, failures

ONLY = "Answer with the letter only."


LARGEST = choice_row("Question: Which number is the largest?", ["585", "23", "823", "550"], "C", ONLY)
HOURS = choice_row("2 hours equal how many minutes?", ["120", "200", "62", "20"], "A", ONLY)
LETTERS = choice_row("Question: Which word has exactly 9 letters?", ["purr", "loper", "titanitic", "antinomy"], "C", ONLY)
EVEN = choice_row("Which number is even?", ["316", "419", "95", "495"], "A", ONLY)
CAPITAL = choice_row("Which city is the capital of Poland?", ["Stockholm", "Tokyo", "Santiago", "Warsaw"], "D", ONLY)
BEFORE_MAY = choice_row("Question: Which month comes just before May?", ["October", "January", "April", "September"], "C", ONLY)
AFTER_MONDAY = choice_row("Which day comes right after Monday?", ["Friday", "Tuesday", "Sunday", "Thursday"], "B", ONLY)


@pytest.mark.parametrize("row,wrong,honest", [
    (LARGEST, "C, the smallest", "C, the largest"), (LARGEST, "C (the smallest).", "C (the largest)."),
    (HOURS, "A, 3 hours", "A, 2 hours"), (HOURS, "A (three hours)", "A (two hours)"), (HOURS, "A: 3 hours.", "A: 2 hours."),
    (LETTERS, "C, 8 letters", "C, 9 letters"), (LETTERS, "C (8 letters)", "C (9 letters)"), (LETTERS, "**C** - 10 letters", "**C** - 9 letters"),
    (EVEN, "A, odd", "A, even"), (EVEN, "Answer: A (odd)", "Answer: A (even)"),
    (CAPITAL, "D, the capital of Japan", "D, the capital of Poland"),
    (BEFORE_MAY, "C, June", "C, April"), (BEFORE_MAY, "C (June).", "C (April)."), (AFTER_MONDAY, "B: Wednesday", "B: Tuesday"),
])
def test_a_false_gloss_of_the_chosen_letter_fails_and_its_true_twin_passes(row, wrong, honest):
    assert any("false claim" in f for f in failures(row, wrong)), wrong
    assert failures(row, honest) == [], honest


@pytest.mark.parametrize("reply,claim", [
    ("C, the smallest", "C is the smallest."), ("C (8 letters).", "C is 8 letters."), ("Answer: C - 10 letters", "C is 10 letters."),
    ("C, because it is the largest", None), ("C (823 is the largest)", None), ("C", None), ("C.", None), ("B, the smallest", None),
])
def test_only_a_gloss_that_is_no_clause_is_rewritten(reply, claim):
    assert gloss_as_claim(reply, "C") == claim


def test_glosses_no_rule_computes_and_the_options_own_text_still_pass():
    assert failures(LARGEST, "C, 823") == [] and failures(CAPITAL, "D, Warsaw") == [] and failures(LETTERS, "C: titanitic") == []
    assert failures(LARGEST, "C, because it is the largest.") == []
