"""MMLU rows for the SFT mixture: the answer is one letter A-D or an index 0-3, and the question and choices say
which option it is; anything else is refused naming the field, never read as some letter."""

from __future__ import annotations

import pytest

from picochat_hf.data.sft_mixture import mmlu_to_row
from picochat_hf.utils.errors import PicochatInputError

CHOICES = ["w", "x", "y", "z"]


@pytest.mark.parametrize("answer,letter", [(0, "A"), (3, "D"), ("B", "B"), (" c ", "C"), ("2", "C"), ("d", "D")])
def test_a_letter_or_index_answer_is_read(answer, letter):
    assert mmlu_to_row({"question": "q?", "choices": CHOICES, "answer": answer}, ("m.jsonl", 3))["correct_choice"] == letter


@pytest.mark.parametrize("answer", ["", "  ", "AB", "BC", "ABCD", True, False, "E", 4, -1, "A or B", 1.0])
def test_an_answer_that_names_no_single_option_is_refused(answer):
    """'' and 'AB' were read as A ('' and 'AB' are substrings of 'ABCD'), 'BC' as B, and true/false as B/A."""
    with pytest.raises(PicochatInputError) as err:
        mmlu_to_row({"question": "q?", "choices": CHOICES, "answer": answer}, ("m.jsonl", 3))
    assert (err.value.field, err.value.line) == ("answer", 3)


@pytest.mark.parametrize("row,field", [
    ({"question": "q?", "choices": ["w", "x", "", "z"], "answer": 0}, "choices"),
    ({"question": "q?", "choices": ["w", "x", " x ", "z"], "answer": 1}, "choices"),
    ({"question": "  ", "choices": CHOICES, "answer": 0}, "question"),
])
def test_a_blank_question_or_a_blank_or_repeated_choice_is_refused(row, field):
    """Two options 'x' (B and C) make the letter answer a coin toss the model is trained and scored on."""
    with pytest.raises(PicochatInputError) as err:
        mmlu_to_row(row, ("m.jsonl", 3))
    assert err.value.field == field
