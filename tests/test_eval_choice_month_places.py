"""A gloss that gives the chosen month's place in the year is judged: "C: the sixth month" when C is April fails (it
passed before: no claim rule read an ordinal), "C: the fourth month" holds; so do "month six" and each part of "April,
the sixth month". A place gloss on an option that is no month,
or a day's place (weeks start on Sunday or Monday), is not judged."""

from __future__ import annotations

import pytest

from helpers_choice import choice_row, failures

ONLY = "Reply with the letter only."
BEFORE_MAY = choice_row("Question: Which month comes just before May?", ["October", "January", "April", "September"], "C", ONLY)
SIXTH = choice_row("Question: Which is the sixth month of the year?", ["June", "March", "July", "May"], "A", ONLY)
AFTER_MONDAY = choice_row("Question: Which day comes just after Monday?", ["Friday", "Tuesday", "Sunday", "Thursday"], "B", ONLY)


@pytest.mark.parametrize("row,true,false", [
    (BEFORE_MAY, "C: the fourth month", "C: the sixth month"), (BEFORE_MAY, "C (the 4th month).", "C (the 5th month)."),
    (BEFORE_MAY, "C, the fourth month of the year", "C, the third month of the year"),
    (SIXTH, "A, the sixth month", "A, the seventh month"), (SIXTH, "A (6th month)", "A (7th month)"),
    (BEFORE_MAY, "C, month 4", "C, month 6"), (BEFORE_MAY, "C (the 4th calendar month)", "C (the 6th calendar month)"),
    # a place in words, and a gloss of several parts, each judged
    (BEFORE_MAY, "C: month four", "C: month six"), (BEFORE_MAY, "C (month number four)", "C (month number six)"),
    (BEFORE_MAY, "C: April, the fourth month", "C: April, the sixth month"), (SIXTH, "A - June, month 6", "A - June, month 7"),
    (BEFORE_MAY, "C: the fourth month, April", "C: the fourth month, June"),
])
def test_a_month_place_gloss_must_be_the_options_place(row, true, false):
    assert failures(row, true) == [], (true, failures(row, true))
    assert any("false claim about option" in f for f in failures(row, false)), (false, failures(row, false))


@pytest.mark.parametrize("row,reply", [(AFTER_MONDAY, "B, the second day"), (AFTER_MONDAY, "B, the third day of the week")])
def test_a_day_place_is_not_judged(row, reply):
    assert not any("false claim about option" in f for f in failures(row, reply))
