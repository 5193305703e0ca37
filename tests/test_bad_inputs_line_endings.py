"""A JSON array or column file numbers its rows with LF, CRLF or CR line endings alike, as JSON lines files do."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.readers import iter_data_records
from picochat_hf.data.row_formats import iter_rows
from picochat_hf.utils.errors import PicochatInputError

_OK = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "a"}]}
_EMPTY = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": ""}]}


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_json_array_names_the_line_of_the_bad_element(tmp_path, newline):
    path = tmp_path / "rows.json"
    path.write_bytes(("\ufeff" + newline.join(["[", json.dumps(_OK) + ",", "", json.dumps(_EMPTY), "]"]) + newline).encode())
    assert [line for line, _ in iter_data_records(path)] == [2, 4]
    with pytest.raises(PicochatInputError) as err:
        list(iter_rows(path))
    assert (err.value.line, err.value.field) == (4, "messages[1].content")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_json_columns_and_malformed_json_name_their_lines(tmp_path, newline):
    path = tmp_path / "cols.json"
    path.write_bytes(newline.join(['{"prompt": [', '"a",', '"b"', '],', '"completion": ["x", "y"]}']).encode())
    assert [line for line, _ in iter_data_records(path)] == [2, 3]
    bad = tmp_path / "bad.json"
    bad.write_bytes(newline.join(["[", json.dumps(_OK) + ",", "", '{"messages": oops}', "]"]).encode())
    with pytest.raises(PicochatInputError) as err:
        list(iter_data_records(bad))
    assert err.value.line == 4 and "malformed JSON" in str(err.value)


def test_bytes_that_are_not_utf8_name_their_line_with_cr_endings(tmp_path):
    path = tmp_path / "rows.json"
    path.write_bytes(b"[\r" + json.dumps(_OK).encode() + b",\r\xff\xfe]\r")
    with pytest.raises(PicochatInputError) as err:
        list(iter_data_records(path))
    assert err.value.line == 3 and "UTF-8" in str(err.value)
