"""Short leaks spread over a few sentences: an operand expression's answer a sentence later ("Add 23 and 34 for me. That
gives 57."), a word problem retold with its object noun, a spelling item's letter or count stated with its mode's cue, a
spaced spelling hyphenated. Each leak has a clean twin in the same style: another answer first, the numbers far apart,
another sum with the same operands, the word in prose, another letter."""

from __future__ import annotations

import pytest
from test_honesty_leaks import EVAL, FILLER, failing, row

from picochat_hf.honesty import load_scan_config

BIG = row("e-big", "How much is 973 + 339?", normalized_answer="1312", problem={"op": "+", "a": 973, "b": 339, "result": 1312})
SHELF = row("e-shelf", "A shelf holds 84 buttons. Olive removes 35 of them. How many buttons stay on the shelf?", normalized_answer="49",
            problem={"op": "-", "a": 84, "b": 35, "result": 49})
COUNT = row("e-count", 'What is the number of "e" letters in "subovated"?', skill="spelling", normalized_answer="1",
            problem={"mode": "count", "word": "subovated", "letter": "e", "result": "1"})
LAST = row("e-last", "What letter is at the end of the word garefowl?", skill="spelling", normalized_answer="l",
           problem={"mode": "last", "word": "garefowl", "letter": None, "result": "l"})
SPACED = row("e-spaced", 'Write "tambourine" with a space between each letter.', skill="spelling", normalized_answer="t a m b o u r i n e",
             problem={"mode": "spaced", "word": "tambourine", "letter": None, "result": "t a m b o u r i n e"})
ITEMS = [*EVAL, BIG, SHELF, COUNT, LAST, SPACED]


def corpus_leaks(doc: str) -> set[str]:
    return failing(ITEMS, corpus=[FILLER, doc])[0]


@pytest.mark.parametrize(("leak", "clean"), [
    ("Add 23 and 34 for me. That gives 57.", "Add 23 and 34 for me. That gives 58."),
    (f"{FILLER} Add 23 and 34 for me. That gives 57. {FILLER}", f"Add 23 and 34 for me. {FILLER} {FILLER} We sold 57 tickets."),
    ("Add 23 and 34 for me, one at a time. The result: fifty-seven.", "Add 23 and 34 and 10 for me. That gives 67; 57 was last year."),
    ("What is 23 + 34? Not 58. It is 57.", "What is 23 + 34? Not 57. It is 58."),
    ("Add 34 to 23 and in the end you will get 57.", "Add 23 to 34 and in the end you will get 57."),  # another order: another item
    ("Add 973 and 339 for me. That gives 1312.", "973 + 339 + 1000: that gives 2312, not 1312."),
    ("nine hundred seventy-three plus three hundred thirty-nine is one thousand three hundred twelve",
     "nine hundred seventy-three plus three hundred thirty-nine is one thousand three hundred eleven"),
    ("1312 is what you get from 973 + 339.", "There are 1312 students and each one must add 973 and 339."),  # the answer first
    ("The answer 57 comes from 23 + 34.", "57 students got 23 + 34 wrong in the test."),
    ("57, as you know, is what 23 + 34 makes.", "The answer 57 comes from page 12 and 23 + 34."),  # another number nearer
    ("| expression | value |\n|---|---|\n| 23 + 34 | 57 |",  # a wrong answer first: 57 is the next row's operand
     "| expression | value |\n|---|---|\n| 23 + 34 | 58 |\n| 57 + 1 | 58 |"),
])
def test_an_expression_answered_a_sentence_later_is_a_leak(leak, clean):
    want = {"e-big"} if "973" in leak or "nine hundred" in leak else {"e-math"}
    assert corpus_leaks(leak) == want
    assert corpus_leaks(clean) == set()


@pytest.mark.parametrize(("leak", "clean"), [
    ("Xena had 90 balloons. She sold 84 of them. She has 6 left.", "Xena had 90 balloons. She sold 84 of them. She has 7 left."),
    ("There were 84 buttons on a shelf. Olive removed 35. 49 remained.",
     f"The shop has 84 buttons and 35 pins. {FILLER} 49 customers came."),
])
def test_a_word_problem_retold_with_its_object_noun_is_a_leak(leak, clean):
    assert corpus_leaks(leak) == ({"e-story"} if "Xena" in leak else {"e-shelf"})
    assert corpus_leaks(clean) == set()


def test_bare_word_problem_numbers_stay_a_caution():
    bad, rep = failing(ITEMS, corpus=[FILLER, "Xena: 90, 84, 6."])
    assert not bad and rep["counts"]["corpus_signature_weak"] >= 1


@pytest.mark.parametrize(("leak", "clean"), [
    ('The first letter of "lantern" is l.', 'The first letter of "lantern" is lit by a candle.'),
    ("Lantern starts with the letter L.", "Put the lantern on the first shelf by the door."),
    ("Lantern: first letter L.", "The lantern festival starts with a parade at noon."),
    ("Garefowl ends with the letter l.", "The last letter of garefowl is w."),
    ("The last letter of garefowl is L.", "The last garefowl was seen in 1844."),
    ('The word "subovated" has 1 e.', 'The word "subovated" has 2 e.'),
])
def test_a_spelling_answer_stated_with_its_mode_cue_is_a_leak(leak, clean):
    want = {"e-spell"} if "antern" in leak else {"e-count"} if "subovated" in leak else {"e-last"}
    assert corpus_leaks(leak) == want
    assert corpus_leaks(clean) == set()


@pytest.mark.parametrize("answer", ["T-A-M-B-O-U-R-I-N-E", "t-a-m-b-o-u-r-i-n-e.", "t a m b o u r i n e"])
def test_a_spaced_spelling_hyphenated_is_a_leak(answer):
    assert failing(ITEMS, sft=[row("s", "Spell tambourine.", answer, skill="general")])[0] == {"e-spaced"}
    assert corpus_leaks(f"tambourine: {answer}") == {"e-spaced"}
    assert failing(ITEMS, sft=[row("s", "Spell tambourine.", answer.replace("R", "X").replace("r", "x"), skill="general")])[0] == set()
    assert corpus_leaks("She played the tambourine all night.") == set()


def test_the_expression_window_is_a_setting():
    cfg = load_scan_config(expression_answer_words=0)
    from picochat_hf.honesty import scan

    rep = scan(eval_rows=ITEMS, corpus=lambda: iter([("d", "Add 23 and 34 for me. That gives 57.")]), config=cfg, show_progress=False)
    assert not [f for f in rep["findings"] if f["severity"] == "fail"]


@pytest.mark.parametrize("text", ["spelling_answer_cues:\n  middle: [centre]\n", "spelling_answer_cues:\n  first: [\"\", starts]\n"])
def test_a_bad_spelling_cue_setting_names_its_file_and_field(tmp_path, text):
    from picochat_hf.utils.errors import PicochatInputError

    path = tmp_path / "scan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        load_scan_config(path)
    assert "scan.yaml" in str(err.value) and "spelling_answer_cues." in str(err.value)
