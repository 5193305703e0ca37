"""Rows as TRL and `datasets` users save them outside JSON lines. A CSV cannot hold a list, so its `messages` (and
prompt/completion, chosen/rejected message lists) are JSON text: they were refused as "expected a non-empty list of
messages". A pretty-printed single-row .json was read as columns, one row per message, each refused. Now a cell that
is a JSON list of messages is that list, read exactly as the same row in JSON lines; a list written with Python's
str() is refused naming file, line and field (read as text it would be trained as the characters of a list); text
that only starts with a bracket stays text."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from picochat_hf.data.row_formats import defaults_summary, iter_rows, normalize_row
from picochat_hf.utils.errors import PicochatInputError

U = {"role": "user", "content": "What is 2+2?"}
A = {"role": "assistant", "content": "4"}
B = {"role": "assistant", "content": "5"}
CANON = [U, A]


def _csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=sorted({k for r in rows for k in r}))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _messages(path: Path) -> list[list[dict]]:
    return [r["messages"] for r in iter_rows(path)]


@pytest.mark.parametrize("encode", [json.dumps, lambda v: json.dumps(v, indent=2), lambda v: " " + json.dumps(v) + "\n",
                                    lambda v: json.dumps(v, ensure_ascii=False)])
def test_a_csv_messages_cell_holding_json_is_the_same_conversation(encode, tmp_path):
    path = _csv(tmp_path / "rows.csv", [{"messages": encode(CANON)}, {"messages": encode([U, {**A, "content": "four"}])}])
    assert _messages(path) == [CANON, [U, {**A, "content": "four"}]]


@pytest.mark.parametrize("record, expect", [
    ({"conversations": json.dumps([{"from": "human", "value": "What is 2+2?"}, {"from": "gpt", "value": "4"}])}, CANON),
    ({"prompt": json.dumps([U]), "completion": json.dumps([A])}, CANON),
    ({"prompt": json.dumps([{"role": "system", "content": "Be brief."}, U]), "completion": json.dumps([A])},
     [{"role": "system", "content": "Be brief."}, *CANON]),
    ({"chosen": json.dumps(CANON), "rejected": json.dumps([U, B])}, CANON),
    ({"prompt": "What is 2+2?", "chosen": json.dumps([A]), "rejected": json.dumps([B])}, CANON),
])
def test_json_text_in_every_conversation_column_reads_as_its_list(record, expect, tmp_path):
    path = _csv(tmp_path / "rows.csv", [record])
    decoded = {k: json.loads(v) if v.startswith("[") else v for k, v in record.items()}
    assert _messages(path) == [expect] == [normalize_row(decoded, path="rows.jsonl", line=1)["messages"]]


def test_a_parquet_messages_column_of_json_strings_is_read_too(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    pd.DataFrame([{"messages": json.dumps(CANON)}]).to_parquet(tmp_path / "rows.parquet")
    assert _messages(tmp_path / "rows.parquet") == [CANON]


def test_dpo_reads_json_text_chosen_and_rejected_as_the_message_lists(tmp_path):
    pytest.importorskip("trl")
    from picochat_hf.training.dpo import read_preference_rows

    encoded = read_preference_rows(_csv(tmp_path / "pairs.csv", [{"chosen": json.dumps(CANON), "rejected": json.dumps([U, B])}]))
    (tmp_path / "pairs.jsonl").write_text(json.dumps({"chosen": CANON, "rejected": [U, B]}) + "\n")
    assert encoded.to_list() == read_preference_rows(tmp_path / "pairs.jsonl").to_list()


@pytest.mark.parametrize("column, value", [
    ("messages", str(CANON)),
    ("messages", str([U, {"role": "assistant", "content": None, "tool_calls": []}, A])),
    ("prompt", str([U])),
])
def test_a_list_written_with_python_str_is_refused_naming_the_cell(column, value, tmp_path):
    record = {column: value} if column == "messages" else {column: value, "completion": "4"}
    path = _csv(tmp_path / "rows.csv", [record])
    with pytest.raises(PicochatInputError) as err:
        list(iter_rows(path))
    assert (err.value.line, err.value.field) == (2, column) and "json.dumps" in str(err.value)
    assert str(err.value).startswith(f"{path}:2, field '{column}'")


@pytest.mark.parametrize("value", ["hello", "[not json", "[]", '["hi", "hello"]', '[{"role": "user"'])
def test_a_messages_string_that_is_no_json_list_of_messages_is_refused(value, tmp_path):
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"messages": value}, path="rows.csv", line=3)
    assert (err.value.line, err.value.field) == (3, "messages") and "expected a non-empty list of messages" in str(err.value)


@pytest.mark.parametrize("prompt", ["[citation needed] What is 2+2?", "[1, 2, 3] sorted?", '["a", "b"] joined?',
                                    "[x] What is 2+2? [y]", '[{"a": 1}]'])
def test_prompt_text_that_starts_with_a_bracket_stays_text(prompt, tmp_path):
    path = _csv(tmp_path / "rows.csv", [{"prompt": prompt, "completion": "4"}])
    assert _messages(path) == [[{"role": "user", "content": prompt}, A]]


def test_the_report_counts_json_text_rows_under_their_format(tmp_path):
    path = _csv(tmp_path / "rows.csv", [{"messages": json.dumps(CANON)}, {"messages": json.dumps([U, B])},
                                       {"prompt": "What is 3+3?", "completion": "6"}])
    counts: Counter = Counter()
    assert len(list(iter_rows(path, defaults_used=counts))) == 3
    rows = defaults_summary(counts)["rows"]
    assert rows == {"conversational": {"read": 2, "used": 2, "dropped": 0, "refused": 0},
                    "prompt_completion": {"read": 1, "used": 1, "dropped": 0, "refused": 0}}
    assert all(r["read"] == r["used"] + r["dropped"] + r["refused"] for r in rows.values())


# ---- .json files of one object


@pytest.mark.parametrize("record", [
    {"messages": CANON},
    {"messages": CANON, "id": "r1", "category": "math"},
    {"prompt": [U], "completion": [A]},
    {"instruction": "Add 2 and 2.", "input": "", "output": "4"},
    {"chosen": CANON, "rejected": [U, B]},
])
def test_a_pretty_printed_single_row_json_is_one_row(record, tmp_path):
    path = tmp_path / "row.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    rows = list(iter_rows(path))
    assert len(rows) == 1 and rows[0]["messages"][-1]["role"] == "assistant"
    assert rows[0]["messages"] == normalize_row(record, path="row.jsonl", line=1)["messages"]


def test_a_json_object_of_columns_is_still_read_as_rows(tmp_path):
    path = tmp_path / "cols.json"
    path.write_text(json.dumps({"messages": [CANON, [U, B]], "id": ["a", "b"]}, indent=2))
    rows = list(iter_rows(path))
    assert [r["id"] for r in rows] == ["a", "b"] and [r["messages"] for r in rows] == [CANON, [U, B]]


def test_a_second_value_after_a_single_row_object_is_refused(tmp_path):
    path = tmp_path / "row.json"
    path.write_text(json.dumps({"messages": CANON}, indent=2) + ",\n" + json.dumps({"messages": CANON}, indent=2))
    with pytest.raises(PicochatInputError) as err:
        list(iter_rows(path))
    first = len(json.dumps({"messages": CANON}, indent=2).splitlines())
    assert err.value.line == first + 1  # the line the second value starts on
    assert str(err.value) == f"{path}:{first + 1}: extra data after the JSON object"


@pytest.mark.parametrize("indent", [None, 2])
def test_rows_nested_under_a_key_are_refused_pointing_at_the_nesting(indent, tmp_path):
    path = tmp_path / "obj.json"
    path.write_text(json.dumps({"data": [{"messages": CANON}, {"messages": [U, B]}]}, indent=indent))
    with pytest.raises(PicochatInputError) as err:
        list(iter_rows(path))
    assert "nested under 'data'" in str(err.value) and str(err.value).startswith(f"{path}:{err.value.line}, field 'messages'")
    assert err.value.line == (1 if indent is None else 3)  # the first nested row's line


# ---- a CSV's training columns: every cell is text, `datasets` types them


@pytest.mark.parametrize("column, off, on", [("weight", "0", "1"), ("weight", "0.0", "1.0"), ("training", "false", "true"),
                                             ("training", "False", "TRUE"), ("train", " false", "true ")])
def test_a_csv_row_left_out_by_its_weight_or_flag_is_dropped_and_counted(column, off, on, tmp_path):
    path = _csv(tmp_path / "rows.csv", [{"messages": json.dumps(CANON), column: on},
                                       {"messages": json.dumps([U, B]), column: off}, {"messages": json.dumps(CANON)}])
    counts: Counter = Counter()
    assert _messages(path) == [CANON, CANON]
    list(iter_rows(path, defaults_used=counts))
    rows = defaults_summary(counts)["rows"]["conversational"]
    assert rows == {"read": 3, "used": 2, "dropped": 1, "refused": 0}


@pytest.mark.parametrize("column, value", [("weight", "2"), ("weight", "0.5"), ("weight", "one"), ("training", "yes"),
                                           ("training", "0")])
def test_a_csv_training_cell_that_says_no_0_or_1_is_refused_naming_it(column, value, tmp_path):
    path = _csv(tmp_path / "rows.csv", [{"messages": json.dumps(CANON), column: "1" if column == "weight" else "true"},
                                       {"messages": json.dumps(CANON), column: value}])
    with pytest.raises(PicochatInputError) as err:
        list(iter_rows(path))
    assert (err.value.line, err.value.field) == (3, column)
