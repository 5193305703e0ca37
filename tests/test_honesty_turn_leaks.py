"""Leaks that state an item piece by piece: operands said in turn with their answer next (sentences, a markdown table with
operand columns, a CSV line under its header, a function call), a letter count in words ("once", "twice", "a single"),
a choice item's property and right option as a key and value ("animal: deer"). Every leak has a clean twin in the same
style: another answer, the numbers in unrelated rows, the operands the other way round, the word in prose."""

from __future__ import annotations

import pytest
from test_honesty_leaks import FILLER, MATH, failing, row

from picochat_hf.honesty import load_scan_config
from picochat_hf.utils.errors import PicochatInputError

COUNT = row("e-count", 'What is the number of "e" letters in "lantern"?', skill="spelling", normalized_answer="1",
            problem={"mode": "count", "word": "lantern", "letter": "e", "result": "1"})
TWICE = row("e-twice", 'Tell me how many times n is used in the word "pannier".', skill="spelling", normalized_answer="2",
            problem={"mode": "count", "word": "pannier", "letter": "n", "result": "2"})
CAT = row("e-cat", "Pick the item that is a animal.\nA. oak\nB. deer\nC. rock\nD. spoon\nAnswer with the letter.", skill="choice",
          choices=["oak", "deer", "rock", "spoon"], correct_choice="B", normalized_answer="b",
          problem={"family": "category", "key": "animal:deer", "answer_text": "deer"}, group="choice:animal:deer")
ITEMS = [MATH, COUNT, TWICE, CAT]


def corpus_leaks(doc: str) -> set[str]:
    return failing(ITEMS, corpus=[FILLER, doc])[0]


def sft_leaks(text: str) -> set[str]:
    return failing(ITEMS, sft=[row("leak", "Tell me something you know.", text, skill="general")])[0]


@pytest.mark.parametrize(("leak", "clean"), [
    ("Take 23. Now add 34 to it. You get 57.", "Take 23. Now add 34 to it. You get 58."),
    ("Take twenty-three. Add thirty-four. The total is fifty-seven.", "Take twenty-three. Add thirty-four. The total is fifty-eight."),
    ("Start with 23, then add 34; that makes 57 in all.", "Add 23 to 34 and you get 57."),  # the other order: 34 + 23
    ("| a | b | sum |\n|---|---|---|\n| 23 | 34 | 57 |",
     "| a | b | sum |\n|---|---|---|\n| 23 | 10 | 33 |\n| 34 | 23 | 57 |\n| 12 | 34 | 46 |"),  # the numbers in unrelated rows
    ("| a | b | sum |\n|---|---|---|\n| 11 | 12 | 23 |\n| 23 | 34 | 57 |", "| a | b | sum |\n|---|---|---|\n| 23 | 34 | 58 |"),
    ("a,b,sum\n23,34,57", "a,b,sum\n23,10,33\n11,34,45\n57,1,58"),  # a CSV of unrelated numbers
    ("x;y;total\n5;6;11\n23;34;57", "x;y;total\n23;34;11\n57;0;57"),
    ("sum(23, 34) = 57", "sum(23, 34) = 58"),  # a different sum with the same operands
    ("Add: 23 34 57", "Scores: 23 34 57"),  # no operator word: three numbers in a row say nothing
])
def test_operands_said_in_turn_with_their_answer_next_leak(leak, clean):
    assert corpus_leaks(leak) == {"e-math"}
    assert sft_leaks(leak) == {"e-math"}
    assert corpus_leaks(clean) == set()
    assert sft_leaks(clean) == set()


def test_operands_with_too_few_digits_are_not_watched_in_turn():
    small = row("e-small", "What is 1 + 2?", normalized_answer="3", problem={"op": "+", "a": 1, "b": 2, "result": 3})
    assert failing([small], corpus=[FILLER, "Steps to add: 1, 2, 3, go."])[0] == set()
    assert failing([small], corpus=[FILLER, "1 + 2 = 3"])[0] == set()  # the short expression stays a caution


@pytest.mark.parametrize(("leak", "clean", "item"), [
    ("the letter e appears once in lantern", "the letter e appears twice in lantern", "e-count"),
    ("The word lantern contains a single e.", "Hang the lantern once the sun sets.", "e-count"),
    ("In lantern, e occurs just one time.", "In lantern, e occurs two times.", "e-count"),
    ("The letter n appears twice in pannier.", "The letter n appears once in pannier.", "e-twice"),
    ("Pannier has n twice.", "She packed the pannier twice.", "e-twice"),
])
def test_a_letter_count_in_words_is_a_leak(leak, clean, item):
    assert corpus_leaks(leak) == {item}
    assert sft_leaks(leak) == {item}
    assert corpus_leaks(clean) == set()
    assert sft_leaks(clean) == set()


@pytest.mark.parametrize(("leak", "clean"), [
    ("animal: deer", "animal: fox"),
    ("Animals - deer", "A deer ran across the road at dusk."),
    ("Category animal: deer.", "animal: deer, fox, owl"),  # a word list, not the item's key
    ("Quiz key\nanimal → deer\nfruit → pear", "deer: spotted near the animal shelter"),
])
def test_a_choice_items_property_and_answer_as_a_key_is_a_leak(leak, clean):
    assert corpus_leaks(leak) == {"e-cat"}
    assert sft_leaks(leak) == {"e-cat"}
    assert corpus_leaks(clean) == set()
    assert sft_leaks(clean) == set()


@pytest.mark.parametrize(("text", "field"), [
    ('operand_cues:\n  "%": ["mod"]\n', "operand_cues.%"),
    ('operand_cues:\n  "+": [""]\n', "operand_cues.+"),
    ('count_answer_words:\n  once: ["1"]\n', "count_answer_words.once"),
])
def test_bad_turn_settings_name_their_field(tmp_path, text, field):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PicochatInputError, match=field.replace("+", r"\+")):
        load_scan_config(path)


def test_a_csv_line_with_three_digit_fields_is_read_whole():
    # "293,164,129" normalises as one number (its commas read as thousands separators): the line is watched as written
    big = row("e-big", "What is 293 - 164?", normalized_answer="129", problem={"op": "-", "a": 293, "b": 164, "result": 129})
    assert failing([big], corpus=[FILLER, "a,b,difference\n2,5,99\n293,164,129"])[0] == {"e-big"}
    assert failing([big], corpus=[FILLER, "a,b,difference\n2,5,99\n293,164,130"])[0] == set()
    assert failing([big], corpus=[FILLER, "Population 293,164,129 in the census."])[0] == set()  # no operator's word


@pytest.mark.parametrize(("leak", "clean"), [
    ("| word | letter | count |\n|---|---|---|\n| lantern | e | 1 |", "| word | letter | count |\n|---|---|---|\n| lantern | e | 2 |"),
    ("| category | item |\n|---|---|\n| animal | deer |", "| category | item |\n|---|---|\n| animal | fox |"),
    ('{"animal": "deer", "plant": "oak"}', '{"animal": "fox", "plant": "deer"}'),
    ("animal,deer", "deer,animal,shelter"),
])
def test_counts_and_choice_keys_in_tables_and_records_leak(leak, clean):
    want = {"e-count"} if "lantern" in leak else {"e-cat"}
    assert corpus_leaks(leak) == want
    assert corpus_leaks(clean) == set()


def test_a_count_word_without_a_count_cue_is_no_leak():
    zero = row("e-zero", 'What is the number of "a" letters in "orchid"?', skill="spelling", normalized_answer="0",
               problem={"mode": "count", "word": "orchid", "letter": "a", "result": "0"})
    assert failing([zero], sft=[row("s", "Is an orchid a tree?", "No, but an orchid has a stem and a flower.", skill="general")])[0] == set()
    assert failing([zero], corpus=[FILLER, "Orchid: the letter a appears zero times."])[0] == {"e-zero"}
    assert failing([zero], corpus=[FILLER, "Orchid: the letter a appears two times."])[0] == set()
