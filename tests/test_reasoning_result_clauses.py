"""A number answer against the trace's last sentence: a change ("gets 6 more") is working, not a result, and the
quantity stated after it is the sentence's result even when the question states that number; a number in apposition
after the result ("5, half of ten") is working about the result, not a second one.

"He gets 6 more and has 5." beside 11 was kept (5 is a number the question states, so the sentence was read as a
restatement), and "The answer is 5, half of ten." beside 5 was dropped (10 was read as a second result)."""

from __future__ import annotations

import pytest

from picochat_hf.data.reasoning_checks import contradiction

Q6 = "Sam has 5 apples and gets 6 more. How many apples does he have?"
QM = "What is 2 minus 5?"
Q10 = "What is half of ten?"
QS = "Sam has 11 apples and gives away 6. How many apples are left?"


@pytest.mark.parametrize("question,trace,answer", [
    (Q6, "He gets 6 more and has 5.", "11"),
    (Q6, "He gets six more and has five apples.", "11"),
    (Q6, "After getting 6 more, he has 5.", "11"),
    (Q6, "He gets 6 more, so he has 6.", "11"),
    (Q6, "He gets 6 extra apples and ends up with 5.", "11"),
    (Q6, "The answer is 12, five plus six.", "11"),
    (QM, "The answer is 4, half of ten.", "5"),
    (QM, "The result is 10 (twice 5).", "5"),
    (Q6, "The answer is 11, but really 12.", "11"),  # a denial after the comma: not working in apposition
    (Q6, "The answer is 11, or maybe 12.", "11"),
    (Q6, "The answer is 11; 12 with the one he found.", "11"),
    (QS, "11 minus 6 leaves 6.", "5"),  # the outcome of an expression, though the question states 6
    (Q6, "He ends up with 5 apples, 6 more than before.", "11"),  # working in apposition after the result
])
def test_a_false_result_after_a_change_or_before_its_working_drops_the_row(question, trace, answer):
    assert contradiction(question, trace, answer) is not None, trace


@pytest.mark.parametrize("question,trace,answer", [
    (Q6, "He gets 6 more and has 11.", "11"),
    (Q6, "He has 5 apples and gets 6 more.", "11"),  # the question restated: no result
    (Q6, "After getting 6 more, he has 11 apples.", "11"),
    (Q6, "He has 11, which is 6 more than 5.", "11"),
    (Q6, "The answer is 11, five plus six.", "11"),
    (QM, "The answer is 5, half of ten.", "5"),
    (Q10, "The answer is 5, half of ten.", "5"),
    (Q6, "The answer is 5, half of ten.", "5"),
    (QM, "The result is 5 (half of 10).", "5"),
    (QM, "So it is 5; half of 10 is 5.", "5"),
    (QS, "11 minus 6 leaves 5.", "5"),
    (QS, "He had 11 and gave away 6.", "5"),  # the question restated: no result
    (Q6, "He has 5 apples, and he gets 6 more.", "11"),  # a second clause with its own verb: still a restatement
    (Q6, "He ends up with 11 apples, 6 more than before.", "11"),
])
def test_the_answer_stated_after_a_change_or_before_its_working_keeps_the_row(question, trace, answer):
    assert contradiction(question, trace, answer) is None, trace
