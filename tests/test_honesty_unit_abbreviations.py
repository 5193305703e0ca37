"""Unit abbreviations ask the unit question: "7 km in m? 7000" asks "What is 7 kilometers expressed in meters?". A
one-letter unit ("m", "g") is read as its unit only after a number or a conversion word (`relations.yaml`); the
same template with other numbers, another unit or the other direction is not the item."""

from __future__ import annotations

import pytest
from test_honesty_leaks import FILLER, UNITS, failing, row

GRAMS = row("e-grams", "How many grams are in 3 kilograms?", skill="general", reference_answer="3000")
ITEMS = [UNITS, GRAMS]


def corpus_leaks(doc: str) -> set[str]:
    bad, rep = failing(ITEMS, corpus=[f"{FILLER}\n{doc}\n{FILLER}"])
    return bad


@pytest.mark.parametrize(("doc", "want"), [
    ("7 km in m? 7000", {"e-units"}),
    ("7 km to m? 7000 m.", {"e-units"}),
    ("Convert 7 km to m: 7000", {"e-units"}),
    ("3 kg in g? 3000", {"e-grams"}),
    ("3 kg = ? g. 3000 g", {"e-grams"}),
    ("3 KG  IN  G ?? 3,000", {"e-grams"}),
    ("Seven km in m? Seven thousand.", {"e-units"}),  # the numbers in words
    ("Seven kilometers in meters? 7000", {"e-units"}),
    ("Eight km in m? Seven thousand.", set()),
    ("8 km in m? 8000", set()),  # another number
    ("7 km in m? 700", set()),  # a wrong answer
    ("7 m in km? 0.007", set()),  # the other way round
    ("7 km in cm? 700000", set()),  # another unit
    ("3 kg in mg? 3000000", set()),
])
def test_unit_abbreviations_ask_the_unit_question(doc, want):
    assert corpus_leaks(doc) == want


@pytest.mark.parametrize(("prompt", "answer", "want"), [
    ("7 km in m?", "7000", {"e-units"}),
    ("7 km in m?", "Hmm. 7000.", {"e-units"}),
    ("3 kg in g?", "3000", {"e-grams"}),
    ("3 kg in g?", "300", set()),
])
def test_an_sft_row_asking_with_unit_abbreviations_is_a_leak(prompt, answer, want):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, answer, skill="general")])
    assert bad == want, rep["findings"]
