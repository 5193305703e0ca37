"""Scan review: a long table's header naming the operator over a row far below it, a delimited line listing category words
(no key and value), and the same findings from the scan's speed-ups (cached word tokens, each key and question of a
document read once). Every leak has a clean twin in the same style."""

from __future__ import annotations

import pytest
from test_honesty_leaks import FILLER, failing, row
from test_honesty_turn_leaks import ITEMS, corpus_leaks, sft_leaks

from picochat_hf.honesty.normalize import words
from picochat_hf.honesty.tables import row_end_pairs

MD_ROWS = "\n".join(f"| {10 + k} | {20 + k} | {30 + 2 * k} |" for k in range(20))  # 20 rows: 140 words between header and row
CSV_ROWS = "\n".join(f"{10 + k},{20 + k},{30 + 2 * k}" for k in range(20))


@pytest.mark.parametrize(("leak", "clean"), [
    (f"| a | b | sum |\n|---|---|---|\n{MD_ROWS}\n| 23 | 34 | 57 |", f"| a | b | sum |\n|---|---|---|\n{MD_ROWS}\n| 23 | 34 | 58 |"),
    (f"a,b,sum\n{CSV_ROWS}\n23,34,57", f"a,b,sum\n{CSV_ROWS}\n23,34,58"),
    (f"x;y;total\n{CSV_ROWS.replace(',', ';')}\n23;34;57", f"x;y;product\n{CSV_ROWS.replace(',', ';')}\n23;34;57"),  # another operator
    (f"a,b,sum\n{CSV_ROWS}\n23,34,57", f"scores,ages,heights\n{CSV_ROWS}\n23,34,57"),  # a header naming no operator
    (f"Here is the sum column of the table:\n{MD_ROWS}\n| 23 | 34 | 57 |",
     f"Here is the difference column of the table:\n{MD_ROWS}\n| 23 | 34 | 57 |"),  # the cue on the line over the rows
])
def test_a_long_tables_header_names_the_operator_of_a_row_far_below(leak, clean):
    assert corpus_leaks(leak) == {"e-math"}
    assert sft_leaks(leak) == {"e-math"}
    assert corpus_leaks(clean) == set()
    assert sft_leaks(clean) == set()


def test_prose_far_before_a_row_is_no_header():
    prose = " ".join(["The garden cafe serves tea and cake to visitors every weekend afternoon."] * 6)  # 66 words
    assert corpus_leaks(f"We add pairs of numbers below.\n{prose}\n23,34,57") == set()
    assert corpus_leaks(f"We add pairs of numbers below.\n{prose}\nsum: 23,34,57") == {"e-math"}  # the cue beside the row


@pytest.mark.parametrize(("leak", "clean"), [
    ("animal,deer", "animal,deer,fox"),  # category words listed, not a key and its value
    ("1,animal,deer", "animal,deer,fox\nplant,oak,fern"),
    ("| animal | deer |", "| animal | deer | fox |"),
    ("category,item\nanimal,deer", "animal;deer;fox;owl"),
    ("animal: deer", "Animals: deer, fox, owl."),
])
def test_a_delimited_list_of_category_words_is_no_key(leak, clean):
    assert corpus_leaks(leak) == {"e-cat"}
    assert sft_leaks(leak) == {"e-cat"}
    assert corpus_leaks(clean) == set()
    assert sft_leaks(clean) == set()


def test_row_end_pairs_pair_a_key_with_the_last_cell_only():
    assert ("animal", "deer") in row_end_pairs("1,animal,deer")
    assert ("animal", "deer") not in row_end_pairs("animal,deer,fox")
    assert ("deer", "fox") in row_end_pairs("| animal | deer | fox |")
    assert ("capital", "Belgrade") in row_end_pairs("country,capital\nSerbia,Belgrade")  # the header over the row


def test_cached_word_tokens_are_a_new_list_each_time():
    first = words("Capital of Serbia? Belgrade.")
    first.append("changed")
    assert words("Capital of Serbia? Belgrade.") == ["capital", "of", "serbia", "belgrade"]


def test_a_document_read_with_many_keys_and_questions_gives_the_same_findings():
    # many separators and question marks in one document: each key and question is read once (`AskedQuestions._spans`)
    doc = "\n".join(["Peru: Lima; Country: Serbia. Capital: Belgrade", "What is 23 + 34? 57", "Hungary - Budapest",
                     "| a | b | sum |\n|---|---|---|\n| 11 | 12 | 23 |", "Capital of Serbia? Belgrade."] * 3)
    capital = row("e-cap", "What is the capital of Serbia?", normalized_answer="Belgrade")
    bad, rep = failing([*ITEMS, capital], corpus=[FILLER, doc])
    assert bad == {"e-math", "e-cap"}, rep["findings"]
    again, _ = failing([*ITEMS, capital], corpus=[FILLER, doc.replace("Belgrade", "Nis").replace("? 57", "? 58")])
    assert again == set()
