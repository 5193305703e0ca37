"""A row error in a TRL `datasets:` mixture names the entry's file and row, not the row's place in the mixture."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from picochat_hf.data.datasets_source import config_rows
from picochat_hf.utils.errors import PicochatInputError

GOOD = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}


def _config(entries: list[dict]) -> SimpleNamespace:
    return SimpleNamespace(input=None, eval_input=None, dataset_name=None, dataset_config=None, dataset_streaming=False,
                           dataset_train_split="train", dataset_test_split=None, datasets=entries)


def _jsonl(path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("bad,field", [
    ({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": ""}]}, "messages[1].content"),
    ({"messages": [{"role": "robot", "content": "Hi"}]}, "messages[0].role"),
    ({"prompt": "Hi", "completion": 5}, "completion"),
])
def test_mixture_row_error_names_the_entry_file_and_row(tmp_path, bad, field):
    a = _jsonl(tmp_path / "a.jsonl", [GOOD] * 6)
    b = _jsonl(tmp_path / "b.jsonl", [GOOD, GOOD, GOOD, bad, GOOD])
    with pytest.raises(PicochatInputError) as err:
        config_rows(_config([{"path": "json", "data_files": a}, {"path": "json", "data_files": b}]))
    assert err.value.path == b and err.value.line == 4, str(err.value)
    assert field in str(err.value) and "row 10 of mixture[json+json]" in str(err.value)


def test_mixture_with_fractions_names_the_row_of_the_entry(tmp_path):
    a = _jsonl(tmp_path / "a.jsonl", [GOOD] * 8)
    b = _jsonl(tmp_path / "b.jsonl", [GOOD, {"messages": []}, GOOD, GOOD])
    with pytest.raises(PicochatInputError) as err:  # half and half: the first 4 rows of each, b's second row is bad
        config_rows(_config([{"path": "json", "data_files": a, "fraction": 0.5}, {"path": "json", "data_files": b, "fraction": 0.5}]))
    assert (err.value.path, err.value.line) == (b, 2), str(err.value)


def test_a_good_mixture_still_reads_every_row(tmp_path):
    a = _jsonl(tmp_path / "a.jsonl", [GOOD] * 3)
    b = _jsonl(tmp_path / "b.jsonl", [{"prompt": "Hi", "completion": "Hello"}] * 2)
    where, rows = config_rows(_config([{"path": "json", "data_files": a}, {"path": "json", "data_files": b}]))
    assert where == "mixture[json+json]" and len(rows) == 5
