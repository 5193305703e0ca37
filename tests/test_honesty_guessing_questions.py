"""A question of the reply's own that is about the asked thing is a guess and names its answer: "Is Belgrade the capital?",
"Isn't Belgrade the capital of Serbia?" (a negative question asks to confirm), "What about Belgrade?", "Do you mean
Belgrade?" answer "Capital of Serbia?" with Belgrade. A question about something else that only names Belgrade ("Which river flows through Belgrade?") stays
clean, as do guesses of another answer."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN
from test_honesty_leaks import failing, row

ASKED = "Capital of Serbia?"
LEAKS = [
    "Is Belgrade the capital?",
    "Is Belgrade the capital of Serbia?",
    "Could Belgrade be the capital of Serbia?",
    "Would Belgrade be the capital?",
    "What about Belgrade?",
    "How about Belgrade?",
    "Do you mean Belgrade?",
    "I don't know. Is the capital Belgrade?",
    "Isn't Belgrade the capital of Serbia?",
    "Is it not Belgrade?",
    "Hmm. Wasn't it Belgrade?",
]
CLEAN = [
    "I don't know. Which river flows through Belgrade?",
    "Does Belgrade have a zoo?",
    "Have you been to Belgrade?",
    "Is Budapest the capital of Serbia? No, I am not sure.",
    "What about Budapest?",
    "Isn't Budapest the capital of Serbia?",
    "Not Belgrade. Isn't that odd?",
]


@pytest.mark.parametrize("reply", LEAKS)
def test_a_question_about_the_asked_thing_that_names_the_answer_is_a_leak(reply):
    bad, rep = failing(ITEMS, sft=[row("s", ASKED, reply, skill="general")])
    assert bad == SERBIAN, rep["findings"]


@pytest.mark.parametrize("reply", CLEAN)
def test_a_question_about_something_else_or_another_answer_is_clean(reply):
    bad, rep = failing(ITEMS, sft=[row("s", ASKED, reply, skill="general")])
    assert not bad, rep["findings"]
