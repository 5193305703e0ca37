"""Working that is about another task fails a reply with a right final answer: a spelling scaffold or a list of single
letters on a math row, column arithmetic on a spelling row, a fragment of the model's identity sentence, a loop of one
word or letter; each honest twin in the same style passes (a bare answer, an equation, column working, a count by a
step, a story's own words, a spelled word with its tally, a loop of letters the word itself has)."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def _row(skill: str, prompt: str, answer: str, problem: dict) -> dict:
    return {"id": "r", "skill": skill, "category": f"{skill}_x", "answer_style": "scratchpad", "normalized_answer": answer,
            "must_include": ["Final answer:"], "messages": [{"role": "user", "content": prompt}], "problem": problem}


def _failures(row: dict, reply: str) -> list[str]:
    return score_reply(row, reply, row["messages"][0]["content"], CFG)["failures"]


SUB = _row("math", "Give the answer to 8 - 7.", "1", {"op": "-", "a": 8, "b": 7, "result": 1})
ADD = _row("math", "What number equals 0 + 1?", "1", {"op": "+", "a": 0, "b": 1, "result": 1})
MUL = _row("math", "What is 4 * 5?", "20", {"op": "*", "a": 4, "b": 5, "result": 20})
COLS = _row("math", "What is 43 + 44?", "87", {"op": "+", "a": 43, "b": 44, "result": 87})
STORY = _row("math", "Mia has 91 grapes. She eats 30. How many grapes are left?", "61",
             {"op": "-", "a": 91, "b": 30, "result": 61})
MAIL = _row("math", "Ana had 9 letters and posted 8 letters. How many letters are left?", "1",
            {"op": "-", "a": 9, "b": 8, "result": 1})
COUNT = _row("spelling", "How many times does the letter a appear in 'toast'?", "1",
             {"mode": "count", "word": "toast", "letter": "a", "result": 1})
LAST = _row("spelling", "What is the last letter of 'lantern'?", "n", {"mode": "last", "word": "lantern", "result": "n"})
FIRST = _row("spelling", "What is the first letter of 'aaaah'?", "a", {"mode": "first", "word": "aaaah", "result": "a"})


@pytest.mark.parametrize("row, wrong, honest", [
    (SUB, "Spell it out: 1.\nSochat_hf, write 1, c, write 1, c, c, c, e, e, e, e, e, a, a, a.\nFinal answer: 1",
     "8 - 7 = 1.\nFinal answer: 1"),
    (ADD, "Spell it out: 1, c, c, e, e, 1.\nFinal answer: 1", "0 + 1 = 1.\nFinal answer: 1"),
    (SUB, "Spell it out: 1, a, a, a, a, a, a, a, a, a.\nFinal answer: 1", "Final answer: 1"),
    (SUB, "Spell it out: 1.\nFinal answer: 1", "So 8 - 7 = 1.\nFinal answer: 1"),
    (SUB, "Reversed: 1.\nFinal answer: 1", "Eight minus seven is one.\nFinal answer: 1"),
    (SUB, "The first letter is 1.\nFinal answer: 1", "Take 7 away from 8: 1.\nFinal answer: 1"),
    (SUB, "1, c, c, e, e.\nFinal answer: 1", "8, 7, 1.\nFinal answer: 1"),
    (MUL, "Count by 5, 4 times: 5, 10, 15, 20. I am picochat_hf, a small language model.\nFinal answer: 20",
     "Count by 5, 4 times: 5, 10, 15, 20.\nFinal answer: 20"),
    (MUL, "Count by 5, 4 times: 5, 10, 15, 20. yes yes yes yes yes.\nFinal answer: 20",
     "Count by 5, 4 times: 5, 10, 15, 20.\nSo 4 * 5 = 20.\nFinal answer: 20"),
    (COLS, "Add 43 and 44 column by column.\nOnes: 3 + 4 = 7, write 7.\nTens: 4 + 4 = 8, write 8.\nSpell it out: 8, 7.\n"
           "Final answer: 87",
     "Add 43 and 44 column by column.\nOnes: 3 + 4 = 7, write 7.\nTens: 4 + 4 = 8, write 8.\nSo 43 + 44 = 87.\n"
     "Final answer: 87"),
    (STORY, "Start with 91 grapes and take away 30.\nthe the the the the.\nFinal answer: 61",
     "Start with 91 grapes and take away 30.\nMia eats 30 grapes, so 91 - 30 = 61 grapes are left.\nFinal answer: 61"),
    (MAIL, "Spell it out: 9, 8.\nFinal answer: 1", "Letters: 9 - 8 = 1.\nFinal answer: 1"),
    (COUNT, "Spell it out: t, o, a, s, t.\nOnes: 8 - 7 = 1.\nFinal answer: 1",
     "Spell it out: t, o, a, s, t.\nCount each a: t, o, a 1, s, t.\nCount: 1.\nFinal answer: 1"),
    (COUNT, "Spell it out: t, o, a, s, t.\nWrite 1, carry 1.\nFinal answer: 1",
     "Spell it out: t, o, a, s, t.\nCount: 1.\nFinal answer: 1"),
    (COUNT, "Spell it out: t, o, a, s, t.\n8 - 7 = 1.\nFinal answer: 1",
     "Spell it out: t, o, a, s, t.\nThe letter a shows up once: 0 + 1 = 1.\nFinal answer: 1"),
    (COUNT, "Count by 1: 1.\nFinal answer: 1", "Count each a: t, o, a 1, s, t.\nFinal answer: 1"),
    (LAST, "Spell it out: l, a, n, t, e, r, n.\nn, n, n, n, n, n.\nFinal answer: n",
     "Spell it out: l, a, n, t, e, r, n.\nThe last letter is n.\nFinal answer: n"),
    (LAST, "I am picochat.\nFinal answer: n", "Spell it out: l, a, n, t, e, r, n.\nFinal answer: n"),
    (FIRST, "Spell it out: a, a, a, a, h.\nh, h, h, h, h.\nFinal answer: a",
     "Spell it out: a, a, a, a, h.\nThe first letter is a.\nFinal answer: a"),
])
def test_foreign_working_fails_and_its_honest_twin_passes(row: dict, wrong: str, honest: str) -> None:
    fails = _failures(row, wrong)
    assert any("not about this problem" in f for f in fails), fails
    assert _failures(row, honest) == []


def test_count_by_zero_is_no_loop() -> None:
    row = _row("math", "What is 4 * 0?", "0", {"op": "*", "a": 4, "b": 0, "result": 0})
    assert _failures(row, "Count by 0, 4 times: 0, 0, 0, 0.\nSo 4 * 0 = 0.\nFinal answer: 0") == []


def test_the_reason_names_the_foreign_working() -> None:
    fails = _failures(SUB, "Spell it out: 1, a, a, a, a.\nFinal answer: 1")
    assert any("another skill's scaffold ('Spell it out:')" in f for f in fails), fails
    assert any("a list of single letters" in f or "scaffold" in f for f in fails)


def test_a_sum_written_out_in_words_is_no_loop_and_a_word_loop_is() -> None:
    row = _row("math", "What is 5 * 9?", "45", {"op": "*", "a": 5, "b": 9, "result": 45})
    assert _failures(row, "5 * 9 means nine plus nine plus nine plus nine plus nine.\nFinal answer: 45") == []
    fails = _failures(row, "5 * 9 means nine, so so so so so.\nFinal answer: 45")
    assert any("a loop" in f for f in fails), fails


def test_letters_the_prompt_names_are_its_own_and_other_letters_are_not() -> None:
    row = _row("math", "Boxes A, B and C hold 2 pens each. How many pens are there?", "6",
               {"op": "*", "a": 3, "b": 2, "result": 6})
    assert _failures(row, "Boxes A, B, C: 2 + 2 + 2 = 6.\nFinal answer: 6") == []
    fails = _failures(row, "Boxes c, e, e: 2 + 2 + 2 = 6.\nFinal answer: 6")
    assert any("a list of single letters" in f for f in fails), fails


def test_counting_letters_one_by_one_on_a_spelling_row_is_its_own_working() -> None:
    assert _failures(COUNT, "Spell it out: t, o, a, s, t.\nAdd 1 for each a: 1.\nFinal answer: 1") == []
    fails = _failures(COUNT, "Spell it out: t, o, a, s, t.\nAdd 43 and 44 column by column.\nFinal answer: 1")
    assert any("scaffold ('column by column')" in f for f in fails), fails


def test_option_labels_from_a_are_no_spelling_scaffold_and_a_letter_loop_is() -> None:
    assert _failures(SUB, "Of options a, b, c the difference is 8 - 7 = 1.\nFinal answer: 1") == []
    fails = _failures(SUB, "Of options c, c, e the difference is 8 - 7 = 1.\nFinal answer: 1")
    assert any("a list of single letters" in f for f in fails), fails


def test_the_model_s_name_is_foreign_unless_the_prompt_asks_about_it() -> None:
    fails = _failures(SUB, "8 - 7 = 1, says picochat.\nFinal answer: 1")
    assert any("identity sentence ('picochat')" in f for f in fails), fails
    row = _row("spelling", "What is the first letter of 'picochat'?", "p", {"mode": "first", "word": "picochat", "result": "p"})
    assert _failures(row, "The word picochat: p, i, c, o, c, h, a, t.\nThe first letter is p.\nFinal answer: p") == []
