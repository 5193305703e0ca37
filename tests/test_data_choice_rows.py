"""A choice row (`correct_choice`) whose own answer, `normalized_answer` or `reference_answer` chooses another option
(another letter, another option's text, the right letter with another option's text) is refused by `validate_row`,
naming file, line and field: trained, it teaches the wrong option as the right one; scored, it contradicts the
evidence it is scored with. Answers that choose the right option, or name none, are read as before."""

from __future__ import annotations

import copy
import json

import pytest

from picochat_hf.data.schema import read_rows, validate_row
from picochat_hf.utils.errors import PicochatInputError

OPTIONS = ["3", "4", "5"]
PROMPT = "2 + 2?\nA. 3\nB. 4\nC. 5"


def _row(answer: str = "B", correct: str = "B", *, choices: list | None = OPTIONS, prompt: str = PROMPT, **over) -> dict:
    row = {"id": "q1", "category": "mmlu", "skill": "choice", "split": "train", "source": "t",
           "correct_choice": correct, "messages": [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]}
    row["choices"] = list(choices) if choices is not None else None
    row.update(over)
    return {k: v for k, v in row.items() if v is not None}


def _accepted(row: dict) -> None:
    """The row passes the contract and comes back exactly as written (validate_row rewrites nothing)."""
    written = copy.deepcopy(row)
    assert validate_row(row, path="rows.jsonl", line=3) == written


def _refused(row: dict) -> PicochatInputError:
    with pytest.raises(PicochatInputError) as err:
        validate_row(row, path="rows.jsonl", line=3)
    assert err.value.line == 3 and err.value.path == "rows.jsonl"
    return err.value


@pytest.mark.parametrize("answer", [
    "C", "c", "C.", "(C)", "**C**", "C) 5", "The answer is C.", "Answer: C", "Maybe C.",  # another letter
    "5", "The answer is 5.", "5.",  # another option's text, no letter
    "B) 5", "B. 5", "B: 5", "5 (B)",  # the right letter with another option's text
    "A or B", "B and C",  # several letters
])
def test_an_answer_that_chooses_another_option_is_refused(answer):
    err = _refused(_row(answer))
    assert err.field.startswith("correct_choice") and "q1" in err.field


@pytest.mark.parametrize("answer", [
    "B", "b", "B.", " B ", "(B)", "**B**", "B) 4", "B. 4", "4", "The answer is B.", "The answer is 4.",
    "B, since 3 and 5 are too small and too big.", "4, not 5.", "B, not C.", "Two plus two makes four.",
])
def test_an_answer_that_chooses_the_right_option_or_none_is_read(answer):
    _accepted(_row(answer))


def test_the_gold_letter_is_read_as_the_scorer_reads_it():
    _accepted(_row("B", " b "))
    assert _refused(_row("b", " c ")).field.startswith("correct_choice")


@pytest.mark.parametrize("correct", ["D", "BC", "2", "", " ", "K"])
def test_a_correct_choice_that_is_not_one_option_letter_is_refused(correct):
    assert _refused(_row("B", correct)).field.startswith("correct_choice")


@pytest.mark.parametrize("choices,field", [
    ([3, 4, 5], "choices[0]"), (["3", "", "5"], "choices[1]"), (["3", "\u200b", "5"], "choices[1]"), (["4", " 4 ", "5"], "choices[1]"), (["4"], "choices"),
])
def test_choices_that_are_not_distinct_option_texts_are_refused(choices, field):
    assert _refused(_row("B", choices=choices)).field == field


@pytest.mark.parametrize("prompt", [PROMPT, "2 + 2? Pick A, B or C."])
def test_rows_without_choices_are_checked_against_the_letters_too(prompt):
    assert _refused(_row("C", choices=None, prompt=prompt)).field.startswith("correct_choice")
    _accepted(_row("B", choices=None, prompt=prompt))


def test_the_prompt_s_listed_options_stand_for_missing_choices():
    assert _refused(_row("B. 5", choices=None)).field.startswith("correct_choice")
    assert _refused(_row("5", choices=None)).field.startswith("correct_choice")
    _accepted(_row("B. 4", choices=None))


@pytest.mark.parametrize("name,value,ok", [
    ("normalized_answer", "b", True), ("normalized_answer", "c", False), ("normalized_answer", "5", False),
    ("reference_answer", "B) 4", True), ("reference_answer", "4", True), ("reference_answer", "C) 5", False),
    ("reference_answer", "The answer is 5.", False),
])
def test_the_row_s_other_answer_fields_must_agree_with_correct_choice(name, value, ok):
    row = _row("B", **{name: value})
    if ok:
        _accepted(row)
    else:
        assert _refused(row).field == name


def test_a_reasoning_row_is_checked_on_its_answer_part():
    trace = "<reasoning>2 + 2 is 4, option {r}.</reasoning><answer>{a}</answer>"
    assert _refused(_row(trace.format(r="C", a="C"), answer_style="reasoning")).field.startswith("correct_choice")
    _accepted(_row(trace.format(r="B", a="B"), answer_style="reasoning"))


def test_a_choice_row_that_expects_a_refusal_is_refused():
    assert _refused(_row("B", answerable=False)).field == "answerable"


def test_read_rows_names_the_file_line_and_field(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(_row("B")) + "\n" + json.dumps({**_row("C"), "id": "q2"}) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        read_rows(path)
    assert (err.value.path, err.value.line) == (str(path), 2) and "q2" in err.value.field
    assert "names C" in err.value.reason or "chooses C" in err.value.reason


def test_an_empty_choices_list_is_no_choices():
    _accepted(_row("B", choices=[]))
    assert _refused(_row("C", choices=[])).field.startswith("correct_choice")


@pytest.mark.parametrize("prompt", ["2 + 2?\nA. 4\nB. 3\nC. 5", "2 + 2?\nA) 3\nB) 5\nC) 4", "2 + 2?\n(A) 5\n(B) 3\n(C) 4"])
def test_a_prompt_that_letters_the_choices_otherwise_is_refused(prompt):
    """The model answers the letters it is shown; the scorer maps letters with `choices`: B would be 4 to one, 3 to
    the other."""
    err = _refused(_row("B", prompt=prompt))
    assert err.field.startswith("correct_choice") and "prompt" in err.reason


@pytest.mark.parametrize("prompt", [PROMPT, "2 + 2?\nA) 3\nB) 4\nC) 5", "2 + 2? Pick one.", "2 + 2?\nA. three\nB. four\nC. five"])
def test_a_prompt_that_letters_the_choices_as_they_are_is_read(prompt):
    _accepted(_row("B", prompt=prompt))


@pytest.mark.parametrize("over,field", [
    ({"must_include": ["C"]}, "must_include[0]"), ({"must_include": ["B", "5"]}, "must_include[1]"),
    ({"must_not_include": ["B"]}, "must_not_include[0]"), ({"must_not_include": ["4"]}, "must_not_include[0]"),
    ({"must_include_any": [["C", "5"]]}, "must_include_any[0]"),
])
def test_phrase_rules_that_no_reply_choosing_the_right_option_meets_are_refused(over, field):
    """Scored beside correct_choice, such a rule fails every honest reply (must include C while choosing B)."""
    assert _refused(_row("B", **over)).field == field


@pytest.mark.parametrize("over", [{"must_include": ["B"]}, {"must_include": ["4"]}, {"must_not_include": ["C", "5"]},
                                  {"must_include_any": [["B", "4"]]}, {"must_include_any": [["B", "C"]]},
                                  {"must_not_include": ["I don't know"]}, {"must_include": ["vitamin C"]},
                                  {"must_include": ["C is wrong"]}])
def test_phrase_rules_that_agree_with_correct_choice_are_read(over):
    _accepted(_row("B", **over))


def test_data_shards_refuses_the_row_with_one_line_and_exit_2(tmp_path, tiny_tokenizer_dir, capsys):
    from picochat_hf.cli import main as cli_main

    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps(_row("B")) + "\n" + json.dumps({**_row("C) 5"), "id": "q2"}) + "\n", encoding="utf-8")
    rc = cli_main(["data", "shards", "--input", str(rows), "--tokenizer", str(tiny_tokenizer_dir), "--out-dir", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and "rows.jsonl:2, field 'correct_choice (row q2)'" in err[-1] and "names C" in err[-1]
    assert not any("Traceback" in line for line in err)  # the lines before it are the progress bar
    assert not (tmp_path / "o").exists()


def test_a_pronoun_beside_the_right_letter_is_no_second_letter_without_known_options():
    prompt = "2 + 2? Pick A, B or C."
    _accepted(_row("I would say B.", choices=None, prompt=prompt))
    assert _refused(_row("I would say C.", choices=None, prompt=prompt)).field.startswith("correct_choice")
    assert _refused(_row("I would say C.")).field.startswith("correct_choice")
