"""A number answer is checked against the trace's last sentence when it states one result without a marker."""

from __future__ import annotations

import pytest

from picochat_hf.data.reasoning_checks import contradiction

Q = "Sam has 5 apples and gets 5 more. How many apples does he have?"


@pytest.mark.parametrize("trace", [
    "Adding 5 and 5 gives us 11.",
    "The total is 11 apples.",
    "He ends up with 11 apples.",
    "In the end, he has 11.",
    "Thus he has eleven apples.",
    "5 and 5 make 10. He now has 11 apples.",
    "He has 11 apples now!",
])
def test_a_last_sentence_stating_another_number_drops_the_row(trace):
    assert contradiction(Q, trace, "10") is not None


@pytest.mark.parametrize("trace", [
    "Adding 5 and 5 gives us 10.",
    "The total is 10 apples.",
    "He ends up with 10 apples.",
    "In the end, he has 10.",
    "Thus he has ten apples.",
    "5+5 is 10. So he has 10 apples in total, not 11.",
    "He has 10 apples, which is 2 more than 8.",
    "He has 5 apples and gets 5 more.",
    "He had 5 apples. He now has 10 apples. That seems right.",
    "Each of the 5 new apples is red.",
])
def test_a_last_sentence_stating_the_answer_or_no_single_result_is_kept(trace):
    assert contradiction(Q, trace, "10") is None


def test_a_denied_number_after_the_last_conclusion_word_is_not_the_conclusion():
    """"So he has 10 apples in total, not 11." read the text after "in total" (", not 11") as the conclusion and
    dropped an honest row."""
    assert contradiction(Q, "So he has 10 apples in total, not 11.", "10") is None
    assert contradiction(Q, "So he has 11 apples in total, not 10.", "10") is not None
