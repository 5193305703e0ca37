"""A fact table or a fact sheet answering an item: a header naming the relation over a row naming the entity
("country,capital" over "Serbia,Belgrade"; CSV, TSV, semicolons, markdown), and a key's clauses each a label and its
value, the item's relation after another ("Serbia: largest city Belgrade, capital Belgrade."). Near misses stay clean:
a header naming another relation, a wrong value, a row without a header, another relation alone."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN, corpus_leaks
from test_honesty_leaks import FILLER, failing, row

LEAKS = [
    "country,capital\nSerbia,Belgrade",
    "country\tcapital\nSerbia\tBelgrade",
    "country;capital\nSerbia;Belgrade",
    "Country, Capital\nHungary, Budapest\nSerbia, Belgrade",
    "| country | capital |\n|---|---|\n| Serbia | Belgrade |",
    "COUNTRY | CAPITAL\n--- | ---\nSERBIA | BELGRADE",
    "Serbia: largest city Belgrade, capital Belgrade.",
    "Serbia: capital Belgrade.",
    "Hungary: capital Budapest; Serbia: capital Belgrade.",
    "Serbia:  largest city Belgrade ;  CAPITAL  Belgrade !",
]
CLEAN = [
    "country,largest city\nSerbia,Belgrade",  # the header names another relation
    "country,capital\nSerbia,Budapest",  # a wrong value
    "Hungary,Budapest\nSerbia,Belgrade",  # no header: a fact table names its entities only
    "| country | largest city |\n|---|---|\n| Serbia | Belgrade |",
    "Serbia: largest city Belgrade.",
    "Serbia: capital Budapest, largest city Belgrade.",
    "Serbia: Belgrade.",
    "Serbia: capital not Belgrade.",
]


@pytest.mark.parametrize("doc", LEAKS)
def test_a_fact_table_or_sheet_giving_the_items_relation_is_a_leak(doc):
    assert corpus_leaks(doc) == SERBIAN


def test_a_fact_table_inside_an_sft_reply_is_a_leak():
    bad, rep = failing(ITEMS, sft=[row("s", "Make a table of capitals.", "country,capital\nSerbia,Belgrade", skill="general"),
                                   row("t", "Serbia facts?", "Serbia: largest city Belgrade, capital Belgrade.", skill="general")])
    assert bad == SERBIAN and {str(f["value"]) for f in rep["findings"] if f["severity"] == "fail"} <= {"s", "t"}, rep["findings"]


@pytest.fixture(scope="module")
def clean_scan():
    return failing(ITEMS, corpus=[f"{FILLER}\n{d}\n{FILLER}" for d in CLEAN])[1]


@pytest.mark.parametrize("k", range(len(CLEAN)), ids=CLEAN)
def test_another_relation_a_wrong_value_or_no_header_is_not_a_leak(clean_scan, k):
    assert not [f for f in clean_scan["findings"] if f["severity"] == "fail" and str(f["value"]) == f"d{k}"], clean_scan["findings"]
