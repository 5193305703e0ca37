"""A record's id is a non-empty string or a number. Other JSON values were turned into Python's text of them
(`true` -> "True", `[1]` -> "[1]", `""` kept as no name at all): ids replies, results and leak reports are keyed by,
that no other tool writes the same way. They are refused, naming file, line and field. A float id stays as Python
writes it (a pandas id column with gaps is float; test_data_row_checks keeps "1.0")."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.readers import iter_file_documents
from picochat_hf.data.schema import read_rows
from picochat_hf.utils.errors import PicochatInputError

CHAT = [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}]
BAD_IDS = [True, False, [1], {"a": 1}, "", "  "]


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_a_document_id_that_is_no_string_or_number_is_refused(tmp_path, bad):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "a", "id": "doc-1"}\n' + json.dumps({"text": "b", "id": bad}) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match="id must be") as err:
        list(iter_file_documents(path))
    assert (err.value.line, err.value.field) == (2, "id")


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_a_chat_row_id_that_is_no_string_or_number_is_refused(tmp_path, bad):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"prompt": "What is 2 + 2?", "completion": "4", "id": bad}) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match="id") as err:
        read_rows(path)
    assert (err.value.line, err.value.field) == (1, "id")


def test_string_and_integer_ids_and_no_id_still_read(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "a", "id": "doc-1"}\n{"text": "b", "id": 7}\n{"text": "c", "id": 12345678901234567890}\n'
                    '{"text": "d"}\n', encoding="utf-8")
    assert [d["id"] for d in iter_file_documents(path)] == ["doc-1", "7", "12345678901234567890", "corpus.jsonl:4"]
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"prompt": "q?", "completion": "a", "id": 3}) + "\n"
                    + json.dumps({"messages": CHAT, "id": "r-2"}) + "\n", encoding="utf-8")
    assert [r["id"] for r in read_rows(rows)] == ["3", "r-2"]


def test_a_parquet_id_column_of_booleans_is_refused_and_one_of_numbers_reads(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["a", "b"], "id": [True, False]}), tmp_path / "docs.parquet")
    with pytest.raises(PicochatInputError, match="id must be") as err:
        list(iter_file_documents(tmp_path / "docs.parquet"))
    assert (err.value.line, err.value.field) == (1, "id")
    pq.write_table(pa.table({"text": ["a", "b"], "id": [1, 2]}), tmp_path / "ints.parquet")
    assert [d["id"] for d in iter_file_documents(tmp_path / "ints.parquet")] == ["1", "2"]
    pq.write_table(pa.table({"text": ["a"], "id": [1.0]}), tmp_path / "floats.parquet")
    assert [d["id"] for d in iter_file_documents(tmp_path / "floats.parquet")] == ["1.0"]


def test_a_parquet_id_column_with_gaps_names_each_gap_by_its_row(tmp_path):
    """pandas writes a gap in a numeric id column as NaN: every gap was the id "nan", so documents collided."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["a", "b", "c"], "id": [1.0, float("nan"), float("nan")]}), tmp_path / "gaps.parquet")
    assert [d["id"] for d in iter_file_documents(tmp_path / "gaps.parquet")] == ["1.0", "gaps.parquet:2", "gaps.parquet:3"]
