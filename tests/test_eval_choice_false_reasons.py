"""The right letter with a reason that states a false equation fails; the same reason with the true result passes
(`scoring.score_reply` checks a choice reply's equations with `equations.false_equation`)."""

from __future__ import annotations

import pytest

from helpers_choice import choice_row, failures


MONTHS = choice_row("Convert 2 years to months.", ["24", "36", "20", "200"], "A")
SUM = choice_row("What is 7 + 5?", ["13", "12", "11", "35"], "B")


@pytest.mark.parametrize("row,wrong,honest", [
    (MONTHS, "A because 2 × 12 = 36.", "A because 2 × 12 = 24."), (MONTHS, "A, since 2 x 12 = 20.", "A, since 2 x 12 = 24."),
    (MONTHS, "a: 2*12 = 26", "a: 2*12 = 24"), (SUM, "B, as 7 + 5 = 13.", "B, as 7 + 5 = 12."),
    (SUM, "The answer is B because 7+5=11 and not 13.", "The answer is B because 7+5=12 and not 13."),
])
def test_a_false_equation_in_the_reason_fails_and_the_true_one_passes(row, wrong, honest):
    assert any("false equation" in f for f in failures(row, wrong)), wrong
    assert failures(row, honest) == [], honest
