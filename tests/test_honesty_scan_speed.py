"""The question reader's speed-ups change no finding: each planted form of a leak (reworded, cut to a key span, embedded
in prose) is found and its wrong-answer twin is not, the per-string work kept by a reader finds what recomputing it finds
in any order of documents, and the prefilters in front of the reader's patterns drop no match of theirs; the CSV pairs of
`csv_pairs` and `row_end_pairs` come from one loop."""

from __future__ import annotations

import re

import pytest
from test_honesty_leaks import AUTHOR, FILLER, KEYED

from picochat_hf.honesty.config import load_scan_config
from picochat_hf.honesty.corpus_questions import _BRACKET_VALUE, _bracket_ending, asked_questions
from picochat_hf.honesty.tables import csv_pairs, row_end_pairs

# one leak of the capital of Serbia per form the reader reads, "{a}" the answer: Belgrade leaks, Budapest is a wrong twin
FORMS = {
    "question": "{f} Capital of Serbia? {a}. {f}",
    "next_line": "{f}\n\nCapital of Serbia?\n{a}.\n\n{f}",
    "reworded": "{f} Which city is the capital of Serbia? It is {a}. {f}",
    "aside": "{f} Capital of Serbia? Tough call, mate. {a}. {f}",
    "key": "{f}\nCapital of Serbia: {a}\n{f}",
    "dash_key": "{f} Capital of Serbia - {a}. {f}",
    "camel_key": "{f}\nCapitalOfSerbia = {a}\n{f}",
    "heading": "## Capital of Serbia\n\n{a}\n\n{f}",
    "stopped_heading": "{f}\n\nCapital of Serbia.\n{a}\n\n{f}",
    "bracket": "{f}\nCapital of Serbia ({a})\n{f}",
    "turned_over": "{f}\n{a}: capital of Serbia\n{f}",
    "table": "{f}\n\n| Capital of Serbia | {a} |\n\n{f}",
    "header_table": "| country | capital |\n|---|---|\n| Serbia | {a} |\n\n{f}",
    "csv": "{f}\ncountry,capital\nSerbia,{a}\n{f}",
    "labelled": "{f}\nQ: Capital of Serbia\nA: {a}\n{f}",
    "imperative": "{f} Name the capital of Serbia. {a}. {f}",
    "blank": "{f} The capital of Serbia is ____ ({a}). {f}",
    "markup": "<q>Capital of Serbia</q><a>{a}</a>",
}


def _reader():
    return asked_questions([*KEYED, AUTHOR], load_scan_config())


def _uncached(reader):
    """The reader with every kept per-string result recomputed at each call, as before the memo."""
    reader._may_answer, reader._replies, reader._first_reply = reader._first_word_in, reader._read_replies, reader._read_reply
    reader._asked_words, reader._key_words, reader._offers_list = reader._read_asked, reader._read_key_words, reader._read_offers_list
    return reader


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_planted_form_is_found_and_its_wrong_answer_twin_is_not(form):
    leak, twin = _reader(), _reader()
    leak.read("leak", FORMS[form].format(f=FILLER, a="Belgrade"))
    twin.read("twin", FORMS[form].format(f=FILLER, a="Budapest"))
    assert leak.hits == {"e-capital": "leak"}
    assert twin.hits == {}


def _documents() -> list[tuple[str, str]]:
    docs = [(f"twin-{k}", t.format(f=FILLER, a="Budapest")) for k, t in sorted(FORMS.items())]
    docs += [("prose", f"{FILLER} Belgrade is the capital of Serbia. Herman Melville wrote Moby-Dick. {FILLER}")]
    docs += [("author", f"{FILLER}\n\nMoby-Dick author?\nHerman Melville.\n\n{FILLER}")]
    return docs + [(f"leak-{k}", t.format(f=FILLER, a="Belgrade")) for k, t in sorted(FORMS.items())]


@pytest.mark.parametrize("order", [1, -1])
def test_a_reader_keeping_per_string_work_finds_what_recomputing_it_finds(order):
    docs = _documents()[::order]
    kept, recomputed = _reader(), _uncached(_reader())
    for name, text in docs + docs:  # each text twice: the second read meets every kept result
        kept.read(name, text)
        recomputed.read(name, text)
    assert kept.hits == recomputed.hits
    first_leak = next(n for n, _ in docs if n.startswith("leak-"))
    assert kept.hits == {"e-capital": first_leak, "e-author": "author"}


def test_the_bracket_value_prefilter_drops_no_line_the_pattern_matches():
    parts = ["Capital of Serbia", " ", "(", ")", "[", "]", "Belgrade", ".", "!", " \t", "x", "(y)", "-", "#"]
    lines = ["".join(parts[(k * 7 + j * 3) % len(parts)] for j in range(n)) for k in range(len(parts)) for n in range(1, 9)]
    lines += ["Capital of Serbia (Belgrade)", "Capital of Serbia [Belgrade] !", "- Capital of Serbia (Belgrade).",
              "He moved (twice) to Belgrade (Serbia)", "Capital (of) Serbia", "Capital of Serbia (Belgrade)\r"]
    matched = [ln for ln in lines if _BRACKET_VALUE.match(ln)]
    assert all(_bracket_ending(ln) for ln in matched)
    assert {"Capital of Serbia (Belgrade)", "Capital of Serbia [Belgrade] !", "- Capital of Serbia (Belgrade)."} <= set(matched)
    assert not _bracket_ending("He moved (twice) to Belgrade (Serbia)")  # four brackets: the pattern allows two
    assert not _bracket_ending("Capital (of) Serbia")  # the bracket does not end the line


def test_the_separator_lookahead_finds_the_separators_the_plain_pattern_finds():
    reader, cfg = _reader(), load_scan_config()
    plain = re.compile("|".join(re.escape(s).replace(r"\ ", r"[ \t]+") for s in sorted(cfg.corpus_key_separators, key=len, reverse=True)))
    text = ("Capital of Serbia: Belgrade; a -> b, c => d, e ... f … g / h > i » j ↔ k <-> l <=> m ⇔ n ⟷ o\tp = q → r ⇒ s"
            " – t — u  -  v\t-\tw - x -y z- :: == ---")
    assert [m.span() for m in reader.key_value.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(plain.findall(text)) >= 25


CSV = "country,capital\nSerbia,Belgrade\nPeru,Lima\nThe capital is Lima. Yes\n1,animal,deer\nanimal,deer,fox"


def test_csv_pairs_pair_each_field_with_the_next_and_a_header_row_with_each_row_below():
    assert csv_pairs(CSV) == [
        ("country", "capital"), ("Serbia", "Belgrade"), ("country", "Serbia"), ("capital", "Belgrade"), ("Serbia capital", "Belgrade"),
        ("Peru", "Lima"), ("country", "Peru"), ("capital", "Lima"), ("Peru capital", "Lima"),
        ("1", "animal"), ("animal", "deer"), ("1 animal", "deer"),  # the prose line ended the first run
        ("animal", "deer"), ("deer", "fox"), ("animal deer", "fox"),
        ("1", "animal"), ("animal", "deer"), ("deer", "fox"), ("animal animal", "deer"), ("animal deer", "fox")]
    assert csv_pairs("Capital of Serbia is Belgrade") == []


def test_row_end_pairs_take_each_rows_last_two_fields_and_the_same_header_pairs():
    assert row_end_pairs(CSV) == [
        ("country", "capital"), ("Serbia", "Belgrade"), ("country", "Serbia"), ("capital", "Belgrade"), ("Serbia capital", "Belgrade"),
        ("Peru", "Lima"), ("country", "Peru"), ("capital", "Lima"), ("Peru capital", "Lima"),
        ("animal", "deer"),  # "1,animal,deer": never ("1", "animal")
        ("deer", "fox"), ("1", "animal"), ("animal", "deer"), ("deer", "fox"), ("animal animal", "deer"), ("animal deer", "fox")]
    table = "| country | capital |\n|---|---|\n| Serbia | Belgrade |\nSerbia,Budapest"
    assert row_end_pairs(table) == [("country", "capital"), ("Serbia", "Belgrade"), ("country", "Serbia"), ("capital", "Belgrade"),
                                    ("Serbia capital", "Belgrade"), ("Serbia", "Budapest")]
