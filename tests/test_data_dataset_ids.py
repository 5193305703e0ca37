"""Every entry point of eval rows refuses an id named twice, naming both rows; training inputs refuse only a second,
different row under one id (an exact copy upweights its row). The JSONL readers did; the pre-tokenised choice eval,
`datasets` folders (save_to_disk), Hub-style data files and a config's `input`/`eval_input` did not, so two eval rows
under one id had one's reply scored as the other's."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from picochat_hf.data import shards as sh
from picochat_hf.data.datasets_source import config_rows, iter_dataset_rows
from picochat_hf.utils.errors import PicochatInputError

_RECORD = {"id": "x", "tokens": [1, 2, 3], "answer_position": 2, "letters": ["A", "B"], "letter_token_ids": [7, 8], "gold": 1}


def _pair(rid: str, question: str = "What is 2 + 2?", answer: str = "4") -> dict:
    return {"id": rid, "prompt": question, "completion": answer}


ROWS_DIFFERENT = [_pair("a"), _pair("b", "Hi?", "Hello."), _pair("a", "What is 3 + 3?", "6")]
ROWS_COPY = [_pair("a"), _pair("b", "Hi?", "Hello."), _pair("a")]


def _saved(tmp_path, rows: list[dict], name: str = "saved") -> str:
    import datasets

    folder = tmp_path / name
    datasets.Dataset.from_list(rows).save_to_disk(str(folder))
    return str(folder)


def _jsonl(tmp_path, rows: list[dict], name: str = "rows.jsonl") -> str:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _config(**given) -> SimpleNamespace:
    base = dict(input=None, eval_input=None, dataset_name=None, datasets=None, dataset_config=None,
                dataset_streaming=False, dataset_train_split="train", dataset_test_split=None)
    return SimpleNamespace(**{**base, **given})


def test_a_choice_eval_naming_an_id_twice_is_refused_at_its_second_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({**_RECORD, "gold": g}) + "\n" for g in (1, 0)), encoding="utf-8")
    with pytest.raises(PicochatInputError, match="duplicate id 'x' \\(first on line 1\\)") as err:
        sh.read_choice_eval(path)
    assert (err.value.line, err.value.field) == (2, "id")
    path.write_text(json.dumps(_RECORD) + "\n" + json.dumps(_RECORD) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match="first on line 1"):
        sh.read_choice_eval(path)  # an exact copy too: its letter would be scored twice


def test_a_choice_eval_with_distinct_ids_is_read(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(_RECORD) + "\n" + json.dumps({**_RECORD, "id": "y"}) + "\n", encoding="utf-8")
    assert [r["id"] for r in sh.read_choice_eval(path)] == ["x", "y"]


@pytest.mark.parametrize("rows", [ROWS_DIFFERENT, ROWS_COPY], ids=["different", "copy"])
def test_a_saved_dataset_read_as_eval_rows_refuses_a_repeated_id(tmp_path, rows):
    folder = _saved(tmp_path, rows)
    with pytest.raises(PicochatInputError, match="duplicate id 'a' \\(first on row 1\\)") as err:
        list(iter_dataset_rows(folder, row_split="eval"))
    assert (err.value.path, err.value.line, err.value.field) == (f"{folder}[train]", 3, "id")


def test_a_saved_dataset_read_as_training_rows_refuses_only_a_different_row(tmp_path):
    assert [r["id"] for r in iter_dataset_rows(_saved(tmp_path, ROWS_COPY, "copy"))] == ["a", "b", "a"]
    with pytest.raises(PicochatInputError, match="another row already has it") as err:
        list(iter_dataset_rows(_saved(tmp_path, ROWS_DIFFERENT, "different")))
    assert (err.value.line, err.value.field) == (3, "id")


def test_a_data_file_read_through_datasets_source_names_its_lines(tmp_path):
    path = _jsonl(tmp_path, ROWS_DIFFERENT)
    with pytest.raises(PicochatInputError, match="first on line 1") as err:
        list(iter_dataset_rows(path))
    assert (err.value.path, err.value.line) == (path, 3)
    assert [r["id"] for r in iter_dataset_rows(_jsonl(tmp_path, [_pair("a"), _pair("b", "Hi?", "Hi.")], "ok.jsonl"))] == ["a", "b"]


def test_a_configs_inputs_refuse_a_repeated_id_as_their_role_says(tmp_path):
    copy, different = _jsonl(tmp_path, ROWS_COPY, "copy.jsonl"), _jsonl(tmp_path, ROWS_DIFFERENT, "different.jsonl")
    assert [r["id"] for r in config_rows(_config(input=copy))[1]] == ["a", "b", "a"]
    with pytest.raises(PicochatInputError, match="another row already has it"):
        config_rows(_config(input=different))
    with pytest.raises(PicochatInputError, match="first on line 1") as err:
        config_rows(_config(input=different, eval_input=copy), which="eval")
    assert (err.value.path, err.value.line, err.value.field) == (copy, 3, "id")


def test_a_configs_saved_dataset_test_split_refuses_a_repeated_id(tmp_path):
    import datasets

    folder = tmp_path / "dd"
    datasets.DatasetDict({"train": datasets.Dataset.from_list([_pair("t")]),
                          "test": datasets.Dataset.from_list(ROWS_COPY)}).save_to_disk(str(folder))
    config = _config(dataset_name=str(folder), dataset_test_split="test")
    with pytest.raises(PicochatInputError, match="first on row 1") as err:
        config_rows(config, which="eval")
    assert (err.value.line, err.value.field) == (3, "id")
    assert [r["id"] for r in config_rows(config)[1]] == ["t"]


def test_the_cli_refuses_a_saved_dataset_with_a_repeated_id_in_one_line_with_exit_code_2(tmp_path, capsys):
    from train_fixtures import tokenizer

    from picochat_hf.cli import main as cli_main

    tokenizer().save_pretrained(str(tmp_path / "tok"))
    folder = _saved(tmp_path, ROWS_DIFFERENT)
    capsys.readouterr()
    rc = cli_main(["data", "shards", "--dataset-name", folder, "--tokenizer", str(tmp_path / "tok"), "--out-dir", str(tmp_path / "out")])
    err = [ln for ln in capsys.readouterr().err.strip().splitlines() if "tokenise:" not in ln and ln.strip()]
    assert rc == 2 and len(err) == 1 and "[train]:3, field 'id': duplicate id 'a' (first on row 1)" in err[0], err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
