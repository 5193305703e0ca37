"""Pre-tokenised letter-choice evals: a record whose gold, positions or letter tokens could score a wrong letter as
right is refused naming its line and field; a choice row whose own answer names another letter than its
correct_choice is refused when the eval is written."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data import shards as sh
from picochat_hf.utils.errors import PicochatInputError

_GOOD = {"id": "x", "tokens": [1, 2, 3], "answer_position": 2, "letters": ["A", "B"], "letter_token_ids": [7, 8], "gold": 1}


def _write(tmp_path, **over) -> object:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(_GOOD) + "\n" + json.dumps({**_GOOD, "id": "y", **over}) + "\n", encoding="utf-8")
    return path


def test_a_well_formed_record_is_read(tmp_path):
    assert sh.read_choice_eval(_write(tmp_path))[1]["gold"] == 1


@pytest.mark.parametrize("over,field", [
    ({"gold": True}, "gold"), ({"answer_position": True}, "answer_position"),
    ({"tokens": [1, True, 3]}, "tokens"), ({"letter_token_ids": [7, True]}, "letter_token_ids"),
    ({"letter_token_ids": [7, "8"]}, "letter_token_ids"), ({"letter_token_ids": [7, 7]}, "letter_token_ids"),
    ({"letters": ["A", "A"]}, "letters"), ({"letters": ["A", 2]}, "letters"), ({"gold": -1}, "gold"),
    ({"letter_token_ids": [7, -8]}, "letter_token_ids"), ({"tokens": [1, -2, 3]}, "tokens"),
])
def test_a_record_that_could_score_the_wrong_letter_is_refused(tmp_path, over, field):
    with pytest.raises(PicochatInputError) as err:
        sh.read_choice_eval(_write(tmp_path, **over))
    assert (err.value.line, err.value.field) == (2, field)


def _choice_row(answer: str, correct: str = "B") -> dict:
    return {"id": "q1", "category": "mmlu", "skill": "choice", "split": "eval", "source": "t", "choices": ["3", "4", "5"],
            "correct_choice": correct, "messages": [{"role": "user", "content": "2 + 2?\nA. 3\nB. 4\nC. 5"},
                                                    {"role": "assistant", "content": answer}]}


@pytest.mark.parametrize("answer", ["C", "C.", "c", " C ", "C) 5"])
def test_a_choice_row_whose_answer_names_another_letter_is_refused(tmp_path, tiny_tokenizer, answer):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps(_choice_row(answer)) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        sh.write_choice_eval(rows, tiny_tokenizer, tmp_path / "out.jsonl")
    assert err.value.field.startswith("correct_choice") and "q1" in err.value.field
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("answer", ["B", "B.", " B", "B) 4", "4", "The answer is 4."])
def test_a_choice_row_whose_answer_agrees_or_names_no_letter_is_written(tmp_path, tiny_tokenizer, answer):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps(_choice_row(answer)) + "\n", encoding="utf-8")
    assert sh.write_choice_eval(rows, tiny_tokenizer, tmp_path / "out.jsonl") == 1
    assert sh.read_choice_eval(tmp_path / "out.jsonl")[0]["gold"] == 1


@pytest.mark.parametrize("correct", ["b", " B ", "B"])
def test_the_gold_letter_is_read_as_the_scorer_and_the_row_check_read_it(tmp_path, tiny_tokenizer, correct):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps(_choice_row("B", correct)) + "\n", encoding="utf-8")
    assert sh.write_choice_eval(rows, tiny_tokenizer, tmp_path / "out.jsonl") == 1
    assert json.loads((tmp_path / "out.jsonl").read_text())["gold"] == 1


@pytest.mark.parametrize("answer", ["5", "The answer is C.", "The answer is 5.", "B) 5", "Answer: C", "the answer is c"])
def test_a_choice_row_whose_answer_names_another_choice_in_words_is_refused(tmp_path, tiny_tokenizer, answer):
    """"The answer is C." or the text of choice C ("5") beside correct_choice B was written: only a bare letter was
    compared, so the row showed one answer and the eval scored another as right."""
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps(_choice_row(answer)) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        sh.write_choice_eval(rows, tiny_tokenizer, tmp_path / "out.jsonl")
    assert err.value.field.startswith("correct_choice") and "q1" in err.value.field
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("answer", ["The answer is B.", "Answer: B", "the answer is b", "The answer is 4.", "B) 4",
                                    "4.", "Four is the sum of two and two."])
def test_a_choice_row_whose_answer_names_its_choice_in_words_is_written(tmp_path, tiny_tokenizer, answer):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps(_choice_row(answer)) + "\n", encoding="utf-8")
    assert sh.write_choice_eval(rows, tiny_tokenizer, tmp_path / "out.jsonl") == 1
