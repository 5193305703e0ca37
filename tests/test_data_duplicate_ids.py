"""Two rows of one file under one id. Replies, results, regenerated rows, split overlap and fit reports are keyed by
id, so an eval (or training) file naming one id twice would have one row's reply judged, reported or matched as the
other's. Refused on the second occurrence, naming the first's line; rows with distinct ids read as written."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.row_formats import iter_rows
from picochat_hf.data.schema import read_rows
from picochat_hf.eval.scoring import read_scored_rows
from picochat_hf.utils.errors import PicochatInputError


def _chat(rid, question: str = "What is 2 + 2?", answer: str = "4", **extra) -> dict:
    row = {"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}],
           "must_include": [answer], **extra}
    if rid is not None:
        row["id"] = rid
    return row


def _jsonl(path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


READERS = {
    "eval": read_scored_rows,
    "scan": lambda p: read_rows(p, split="eval"),
    "train": read_rows,
    "stream": lambda p: list(iter_rows(p)),
}


@pytest.mark.parametrize("reader", list(READERS))
def test_an_id_named_twice_is_refused_at_its_second_line(tmp_path, reader):
    path = _jsonl(tmp_path / "rows.jsonl", [_chat("q1"), _chat("q2", "What is 3 + 3?", "6"), _chat("q1", "What is 5 + 5?", "10")])
    with pytest.raises(PicochatInputError, match="first on line 1") as err:
        READERS[reader](path)
    assert (err.value.path, err.value.line, err.value.field) == (path, 3, "id")
    assert "'q1'" in str(err.value)


@pytest.mark.parametrize("first, second", [(7, "7"), ("7", 7), (1.5, "1.5")], ids=repr)
def test_a_number_and_its_text_are_one_id(tmp_path, first, second):
    path = _jsonl(tmp_path / "rows.jsonl", [_chat(first), _chat(second, "What is 3 + 3?", "6")])
    with pytest.raises(PicochatInputError, match="first on line 1") as err:
        read_scored_rows(path)
    assert (err.value.line, err.value.field) == (2, "id")


def test_a_written_id_equal_to_another_rows_default_id_is_refused(tmp_path):
    """A row without an id is named `<file>:<line>`; a row that writes that name itself would share it."""
    path = _jsonl(tmp_path / "rows.jsonl", [_chat("rows.jsonl:2"), _chat(None, "What is 3 + 3?", "6")])
    with pytest.raises(PicochatInputError, match="first on line 1") as err:
        read_scored_rows(path)
    assert (err.value.line, err.value.field) == (2, "id")


def test_an_exact_copy_repeats_its_id_in_a_training_file_but_not_in_an_eval_file(tmp_path):
    """A training file repeats a row to upweight it, and every report keyed by the id still names that one row; in an
    eval file a copy is a second reply scored under the same id (a right answer counted twice)."""
    path = _jsonl(tmp_path / "rows.jsonl", [_chat("q1"), _chat("q2", "Hi?", "Hello"), _chat("q1")])
    assert [r["id"] for r in read_rows(path)] == ["q1", "q2", "q1"]
    assert [r["id"] for r in iter_rows(path)] == ["q1", "q2", "q1"]
    for read in (read_scored_rows, READERS["scan"], lambda p: list(iter_rows(p, split="eval"))):
        with pytest.raises(PicochatInputError, match="first on line 1") as err:
            read(path)
        assert (err.value.line, err.value.field) == (3, "id")


@pytest.mark.parametrize("change", [{"must_include": ["5"]}, {"category": "other"}, {"split": "eval"}], ids=str)
def test_a_training_row_that_differs_from_the_one_whose_id_it_repeats_is_refused(tmp_path, change):
    """A copy that differs anywhere (its rules, category or split) is another row under the same name."""
    path = _jsonl(tmp_path / "rows.jsonl", [_chat("q1"), {**_chat("q1"), **change}])
    with pytest.raises(PicochatInputError, match="another row already has it") as err:
        read_rows(path)
    assert (err.value.line, err.value.field) == (2, "id")


@pytest.mark.parametrize("layout", ["json", "csv", "parquet"])
def test_every_file_layout_refuses_a_repeated_id(tmp_path, layout):
    rows = [{"id": "a", "prompt": "What is 2 + 2?", "completion": "4"}, {"id": "b", "prompt": "Hi?", "completion": "Hello."},
            {"id": "a", "prompt": "What is 3 + 3?", "completion": "6"}]
    path = tmp_path / f"rows.{layout}"
    if layout == "json":
        path.write_text(json.dumps(rows), encoding="utf-8")
    elif layout == "csv":
        path.write_text("id,prompt,completion\n" + "".join(f"{r['id']},{r['prompt']},{r['completion']}\n" for r in rows),
                        encoding="utf-8")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), path)
    with pytest.raises(PicochatInputError, match="duplicate id 'a'") as err:
        read_rows(path)
    assert err.value.field == "id"


def test_distinct_ids_and_default_ids_read_as_written(tmp_path):
    rows = [_chat("q1"), _chat("Q1", "What is 3 + 3?", "6"), _chat(None, "What is 5 + 5?", "10"), _chat(3, "Hi?", "Hello")]
    path = _jsonl(tmp_path / "rows.jsonl", rows)
    assert [r["id"] for r in read_scored_rows(path)] == ["q1", "Q1", "rows.jsonl:3", "3"]
    assert [r["id"] for r in read_rows(path)] == ["q1", "Q1", "rows.jsonl:3", "3"]


def test_rows_of_a_one_line_json_array_get_distinct_default_ids(tmp_path):
    """`datasets`' to_json(lines=False) writes every record on line 1: each was named `<file>:1`, so two rows shared
    an id and their replies were matched as one. The second and later records of a line are `<file>:<line>#<k>`."""
    pairs = [{"prompt": "What is 2 + 2?", "completion": "4"}, {"prompt": "Hi?", "completion": "Hello."},
             {"prompt": "What is 3 + 3?", "completion": "6"}]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(pairs), encoding="utf-8")
    assert [r["id"] for r in read_rows(path)] == ["one.json:1", "one.json:1#2", "one.json:1#3"]
    path.write_text(json.dumps([{**pairs[0], "id": "x"}, {**pairs[1], "id": "x"}]), encoding="utf-8")
    with pytest.raises(PicochatInputError, match="duplicate id 'x' \\(first on line 1\\)") as err:
        read_rows(path)
    assert (err.value.line, err.value.field) == (1, "id")


def test_a_rows_own_fault_is_named_before_the_id_it_repeats(tmp_path):
    path = _jsonl(tmp_path / "rows.jsonl", [_chat("q1"), _chat("q1", max_words=0)])
    with pytest.raises(PicochatInputError) as err:
        read_scored_rows(path)
    assert (err.value.line, err.value.field) == (2, "max_words")


def test_documents_of_a_one_line_json_array_get_distinct_default_ids(tmp_path):
    from picochat_hf.data.readers import iter_file_documents

    path = tmp_path / "docs.json"
    path.write_text(json.dumps([{"text": "first"}, {"text": "second"}, {"text": "third", "id": "d3"}]), encoding="utf-8")
    assert [d["id"] for d in iter_file_documents(path)] == ["docs.json:1", "docs.json:1#2", "d3"]
    path.write_text(json.dumps([{"text": "first"}, {"text": "second"}], indent=1), encoding="utf-8")
    assert [d["id"] for d in iter_file_documents(path)] == ["docs.json:2", "docs.json:5"]
