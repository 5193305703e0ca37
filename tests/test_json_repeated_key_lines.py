"""A key named twice in one object of a JSON manifest (shards.json, dataset_pack.json, a gate plan, a .json array of
records) is refused naming the file, the line of the second occurrence and the key.

Before, read_json named the file and the key but no line (`object_pairs_hook` sees no positions), and a .json
array named the first line of the element, not the repeat's.
"""

from __future__ import annotations

import json

import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.data.readers import iter_file_documents
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import read_json
from picochat_hf.utils.json_keys import first_repeated_key, repeated_key_line

SHARDS = """{
  "dir": "shards",
  "shards": [
    {"path": "train_000.bin", "split": "train"},
    {"path": "val_000.bin",
     "split": "val",
     "split": "train"}
  ]
}
"""
PACK = '{\n  "inputs": [],\n  "counts": {\n    "documents": 10,\n    "characters": 99,\n    "documents": 12\n  }\n}\n'


@pytest.mark.parametrize("name,text,line,key", [
    ("shards.json", SHARDS, 7, "split"),
    ("dataset_pack.json", PACK, 6, "documents"),
    ("plan.json", '{"stage": "sft",\n "max_steps": 10,\n "max_steps": 10000}', 3, "max_steps"),
    ("one_line.json", '{"a": 1, "a": 2}', 1, "a"),
], ids=["shards_nested_in_a_list", "dataset_pack_nested_object", "plan_top_level", "one_line"])
def test_read_json_names_the_line_and_the_key_of_the_repeat(tmp_path, name, text, line, key):
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        read_json(tmp_path / name)
    assert (err.value.line, err.value.field) == (line, key)
    assert f"{name}:{line}, field '{key}'" in str(err.value)


def test_the_first_repeat_in_text_order_is_named_even_when_a_later_inner_object_closes_first(tmp_path):
    """The hook raises for the first object to close (an inner one); the message names the first repeat one reads."""
    (tmp_path / "plan.json").write_text('{"stage": "sft",\n "stage": "base",\n "model_config": {"n": 1,\n "n": 2}}')
    with pytest.raises(PicochatInputError, match=r"plan.json:2, field 'stage'"):
        read_json(tmp_path / "plan.json")


def test_an_escaped_spelling_of_the_same_key_is_a_repeat(tmp_path):
    (tmp_path / "plan.json").write_text('{"stage": "sft",\n"\\u0073tage": "base"}', encoding="utf-8")
    with pytest.raises(PicochatInputError, match=r"plan.json:2, field 'stage'"):
        read_json(tmp_path / "plan.json")


@pytest.mark.parametrize("text", [
    '{"a": "x, \\"a\\": {", "b": {"a": 1}}',  # braces, commas and quoted keys inside a string value
    '[{"a": 1}, {"a": 2}]',  # the same key in two elements
    '{"a": {"a": {"a": []}}, "b": ["a", "a"]}',  # nested objects and repeated array strings
    '{"k\\"": 1, "k": 2}',  # an escaped quote makes another key
    '"a"',
])
def test_honest_neighbours_are_no_repeat(tmp_path, text):
    assert first_repeated_key(text) is None
    (tmp_path / "ok.json").write_text(text, encoding="utf-8")
    assert read_json(tmp_path / "ok.json") == json.loads(text)


def test_the_walk_stops_at_the_end_of_the_value_it_starts_at():
    text = '[{"a": 1,\n "b": 2},\n {"a": 1,\n  "a": 3}]'
    assert first_repeated_key(text, text.index("{")) is None
    assert repeated_key_line(text, text.index("{", 2)) == ("a", 4)


def test_a_json_array_of_records_names_the_repeats_own_line(tmp_path):
    (tmp_path / "docs.json").write_text('[\n{"text": "one"},\n{"id": 2,\n "text": "two",\n "text": "2"}\n]\n', encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        list(iter_file_documents(tmp_path / "docs.json"))
    assert (err.value.line, err.value.field) == (5, "text")


def test_the_gate_cli_refuses_a_plan_with_a_repeated_key_in_one_line_naming_it(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    plan.write_text('{\n  "stage": "sft",\n  "seq_len": 64,\n  "seq_len": 4096\n}\n', encoding="utf-8")
    rc = cli_main(["gate", "preflight", "--plan", str(plan), "--no-write"])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert rc == 2 and len(lines) == 1
    assert "plan.json:4, field 'seq_len'" in lines[0]


def test_a_byte_order_mark_is_read_as_the_jsonl_readers_read_it(tmp_path):
    """A plan saved by an editor that writes a byte-order mark was refused as malformed JSON ('Unexpected UTF-8
    BOM'); the .jsonl and .json record readers already dropped it. A repeat after one still names its line."""
    (tmp_path / "plan.json").write_bytes(b'\xef\xbb\xbf{"stage": "sft",\n "max_steps": 10}')
    assert read_json(tmp_path / "plan.json") == {"stage": "sft", "max_steps": 10}
    (tmp_path / "dup.json").write_bytes(b'\xef\xbb\xbf{"stage": "sft",\n "stage": "base"}')
    with pytest.raises(PicochatInputError, match=r"dup.json:2, field 'stage'"):
        read_json(tmp_path / "dup.json")
    (tmp_path / "latin.json").write_bytes(b'{"note": "caf\xe9"}')
    with pytest.raises(PicochatInputError, match="not UTF-8"):
        read_json(tmp_path / "latin.json")


def test_the_lenient_reader_treats_a_repeated_key_or_non_utf8_bytes_as_unreadable(tmp_path):
    """read_json_or_none (display-only readers: the run manifest, the report) kept the last of two values that
    read_json, and so the gate, refuses, so a report could show a number no gate accepted; and bytes that are not
    UTF-8 raised UnicodeDecodeError instead of None. Both are now None, like malformed JSON; honest files still read."""
    from picochat_hf.utils.io import read_json_or_none

    (tmp_path / "eval_report.json").write_text('{"summary": {"accuracy": 0.2},\n "summary": {"accuracy": 0.9}}')
    assert read_json_or_none(tmp_path / "eval_report.json") is None
    (tmp_path / "latin.json").write_bytes(b'{"note": "caf\xe9"}')
    assert read_json_or_none(tmp_path / "latin.json") is None
    (tmp_path / "ok.json").write_bytes(b'\xef\xbb\xbf{"summary": {"accuracy": 0.2}, "meta": {"summary": 1}}')
    assert read_json_or_none(tmp_path / "ok.json") == {"summary": {"accuracy": 0.2}, "meta": {"summary": 1}}
    assert read_json_or_none(tmp_path / "absent.json") is None
