"""A trace that states its answer in a common form the check did not read ("The answer: 10", a "Final Answer" heading
over its value, "B is correct.", "I'm going with Paris.", "= 10 apples") is compared with the row's answer too."""

from __future__ import annotations

import pytest

from picochat_hf.data.reasoning_checks import contradiction

NUM_Q = "Sam has 5 apples and gets 5 more. How many apples does he have?"
CITY_Q = "What is the capital of France?"
MC_Q = "Which sum is 2 + 2? A) 3 B) 4 C) 5"


@pytest.mark.parametrize("trace", [
    "5 + 5 makes ten.\nThe answer: {}",
    "Adding them up.\nMy answer: {}",
    "We add the apples.\nResult: {}",
    "We add the apples.\n**Result:** {}",
    "5 + 5 = {}\n\n**Final Answer**\n{}",
    "Let me add them.\n### Final Answer\n\n{}",
    "5 + 5 = {} apples.",
    "Altogether he has 5 + 5 = {} apples in all.",
])
@pytest.mark.parametrize("stated,answer,contradicts", [("11", "10", True), ("10", "10", False)])
def test_a_number_stated_in_a_labelled_line_or_before_its_unit_is_compared(trace, stated, answer, contradicts):
    text = trace.replace("{}", stated)
    assert (contradiction(NUM_Q, text, answer) is not None) is contradicts, text


@pytest.mark.parametrize("trace", [
    "Lyon is large.\nMy answer: {}",
    "The answer: {}",
    "**Final Answer**\n{}",
    "I'm going with {}.",
    "So I'm going with {} here.",
    "I'll settle on {}.",
])
@pytest.mark.parametrize("stated,contradicts", [("Lyon", True), ("Paris", False)])
def test_a_text_answer_stated_in_a_labelled_line_or_a_choice_phrase_is_compared(trace, stated, contradicts):
    text = trace.replace("{}", stated)
    assert (contradiction(CITY_Q, text, "Paris") is not None) is contradicts, text


@pytest.mark.parametrize("trace,contradicts", [
    ("B is correct.", True),
    ("Thus option B is correct.", True),
    ("So (B) is the right answer.", True),
    ("B is the correct choice.", True),
    ("C is correct.", False),
    ("Thus option C is correct.", False),
    ("So (C) is the right answer.", False),
    ("B is wrong, so C is correct.", False),
    ("C is correct, B is not.", False),
    ("That is correct.", False),
])
def test_an_option_called_correct_is_the_option_the_trace_concludes(trace, contradicts):
    """The answer key says C; a trace ending "B is correct." concludes B, which the check read as no candidate."""
    assert (contradiction(MC_Q, trace, "C") is not None) is contradicts, trace


@pytest.mark.parametrize("trace,contradicts", [
    ("Lyon is correct.", True),
    ("So Lyon is the right answer.", True),
    ("Paris is correct.", False),
    ("So Paris is the right answer.", False),
    ("So the capital is correct.", False),
    ("The reasoning is correct.", False),
    ("Everything above is correct.", False),
    ("Step 2 is correct.", False),
    ("All of this is right.", False),
])
def test_a_text_candidate_called_correct_is_compared(trace, contradicts):
    assert (contradiction(CITY_Q, trace, "Paris") is not None) is contradicts, trace
