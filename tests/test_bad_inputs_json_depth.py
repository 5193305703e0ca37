"""JSON nested deeper than Python's parser recurses (`[[[[...` 100,000 levels) failed as a RecursionError the command
line reported as an internal bug. Every reader now refuses it in one line naming the file and the value's line."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.readers import iter_file_documents
from picochat_hf.data.schema import iter_jsonl, read_rows
from picochat_hf.eval.scoring import read_scored_rows
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import read_json

DEEP = "[" * 100_000 + "]" * 100_000
ROW = json.dumps({"messages": [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello."}],
                  "must_include": ["Hello"]})


def _refused(read, path, line):
    with pytest.raises(PicochatInputError, match="nested too deeply") as err:
        read(path)
    assert (err.value.path, err.value.line) == (str(path), line)


@pytest.mark.parametrize("read", [read_rows, read_scored_rows, lambda p: list(iter_jsonl(p))],
                         ids=["rows", "eval", "jsonl"])
def test_a_deeply_nested_json_line_is_refused_naming_its_line(tmp_path, read):
    path = tmp_path / "rows.jsonl"
    path.write_text(ROW + "\n\n" + '{"messages": ' + DEEP + "}\n", encoding="utf-8")
    _refused(read, path, 3)


def test_a_deeply_nested_element_of_a_json_array_is_refused_naming_its_line(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text("[\n" + ROW + ",\n" + '{"messages": ' + DEEP + "}\n]", encoding="utf-8")
    _refused(read_rows, path, 3)


@pytest.mark.parametrize("name", ["docs.jsonl", "docs.json"])
def test_a_deeply_nested_document_is_refused(tmp_path, name):
    path = tmp_path / name
    doc = '{"text": "a", "meta": ' + DEEP + "}"
    path.write_text(doc + "\n" if name.endswith("l") else "[" + doc + "]", encoding="utf-8")
    _refused(lambda p: list(iter_file_documents(p)), path, 1)


def test_a_deeply_nested_json_file_is_refused(tmp_path):
    path = tmp_path / "shards.json"
    path.write_text('{"shards":\n' + DEEP + "}", encoding="utf-8")
    with pytest.raises(PicochatInputError, match="nested too deeply") as err:
        read_json(path)
    assert err.value.path == str(path)


def test_nesting_a_reader_takes_still_reads(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({**json.loads(ROW), "meta": [[[[[[[[["x"]]]]]]]]]}) + "\n", encoding="utf-8")
    assert read_rows(path)[0]["meta"] == [[[[[[[[["x"]]]]]]]]]
