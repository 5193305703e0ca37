"""NaN, Infinity and numbers beyond a float's range are no JSON: every reader refuses them, naming file, line and field.

Python's `json` reads them (and `1e400` as infinity) where `datasets` and pyarrow refuse the file, so a row was
trained on or scored that other tools cannot read, and written back out as `NaN`. Strings that spell them, large
integers and numbers near a float's limit are ordinary JSON and still read.
"""

from __future__ import annotations

import json

import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.data.readers import iter_data_records, iter_file_documents
from picochat_hf.data.schema import read_rows
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import read_json

CHAT = [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}]
BAD = ["NaN", "Infinity", "-Infinity", "1e400", "-1.5E+999"]


def _row(**extra) -> str:
    return json.dumps({"messages": CHAT, **extra})


@pytest.mark.parametrize("literal", BAD)
def test_a_document_line_with_a_non_finite_number_is_refused(tmp_path, literal):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "first"}\n\n' + '{"text": "second", "id": %s}\n' % literal, encoding="utf-8")
    with pytest.raises(PicochatInputError, match="is not a JSON number") as err:
        list(iter_file_documents(path))
    assert (err.value.line, err.value.field, err.value.path) == (3, "id", str(path))
    with pytest.raises(PicochatInputError, match="is not a JSON number"):
        list(iter_data_records(path))


@pytest.mark.parametrize("literal", BAD)
def test_a_chat_row_with_a_non_finite_number_is_refused(tmp_path, literal):
    path = tmp_path / "rows.jsonl"
    path.write_text(_row() + "\r\n" + _row(meta={"scores": [1.0, 2.0]}).replace("2.0", literal) + "\r\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match="is not a JSON number") as err:
        read_rows(path)
    assert (err.value.line, err.value.field) == (2, "meta.scores[1]")


def test_a_json_array_or_columns_file_names_the_literals_own_line(tmp_path):
    array = tmp_path / "array.json"
    array.write_text('[{"text": "a"},\n {"text": "b",\n  "meta": {"x": Infinity}}]\n', encoding="utf-8")
    with pytest.raises(PicochatInputError, match="Infinity is not a JSON number") as err:
        list(iter_file_documents(array))
    assert (err.value.line, err.value.field) == (3, "meta.x")
    columns = tmp_path / "columns.json"
    columns.write_text('{"text": ["a", "b"],\n "score": [1.0,\n NaN]}\n', encoding="utf-8")
    with pytest.raises(PicochatInputError, match="NaN is not a JSON number") as err:
        list(iter_file_documents(columns))
    assert err.value.line == 3


def test_reports_the_package_writes_may_hold_a_nan_loss_and_still_read(tmp_path):
    """`read_json` reads the package's own artifacts, which `json.dumps` writes with NaN for a diverged loss: their
    readers judge the value; only data rows and documents are refused for it."""
    from picochat_hf.utils.io import atomic_write_json

    atomic_write_json(tmp_path / "report.json", {"eval_loss": float("nan")})
    assert read_json(tmp_path / "report.json")["eval_loss"] != read_json(tmp_path / "report.json")["eval_loss"]


def test_spelt_out_large_and_tiny_numbers_are_ordinary_json(tmp_path):
    path = tmp_path / "rows.jsonl"
    honest = _row(meta={"note": "NaN Infinity 1e400 \" NaN", "big": 10**30, "edge": 1.7976931348623157e308,
                        "tiny": 5e-324, "neg": -0.0})
    path.write_text("\ufeff" + honest + "\n", encoding="utf-8")
    (row,) = read_rows(path)
    assert row["meta"]["big"] == 10**30 and row["meta"]["edge"] == 1.7976931348623157e308
    docs = tmp_path / "corpus.jsonl"
    docs.write_text('{"text": "NaN is not a number, Infinity is large", "id": 12345678901234567890}\n', encoding="utf-8")
    assert [d["id"] for d in iter_file_documents(docs)] == ["12345678901234567890"]
    plan = tmp_path / "plan.json"
    plan.write_text('{"note": "Infinity", "x": 1e308}', encoding="utf-8")
    assert read_json(plan) == {"note": "Infinity", "x": 1e308}


def test_the_cli_refuses_a_corpus_with_nan_in_one_line_exit_2(tmp_path, capsys):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "A first document about rivers and lakes."}\n{"text": "x", "weight": NaN}\n',
                      encoding="utf-8")
    rc = cli_main(["tokenizer", "train", "--input", str(corpus), "--vocab-size", "300", "--out-dir", str(tmp_path / "tok")])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert rc == 2 and len(lines) == 1 and "corpus.jsonl:2" in lines[0] and "field 'weight'" in lines[0], lines
    assert not (tmp_path / "tok").exists()


@pytest.mark.parametrize("digits", [400, 5000])
def test_an_integer_beyond_a_floats_range_is_refused_naming_line_and_field(tmp_path, digits):
    """A 5000-digit integer made Python's `int()` raise a bare ValueError (an 'internal error', exit 1); a 400-digit
    one is infinity to every reader that reads numbers as floats. Both are refused like 1e400, with a short line."""
    big = "9" * digits
    rows = tmp_path / "rows.jsonl"
    rows.write_text(_row() + "\n" + _row(max_words=1).replace('"max_words": 1', f'"max_words": -{big}') + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match="is not a JSON number") as err:
        read_rows(rows)
    assert (err.value.line, err.value.field) == (2, "max_words") and len(str(err.value)) < 300
    docs = tmp_path / "corpus.jsonl"
    docs.write_text('{"text": "first"}\n{"text": "second", "id": %s}\n' % big, encoding="utf-8")
    with pytest.raises(PicochatInputError, match="digits") as err:
        list(iter_file_documents(docs))
    assert (err.value.line, err.value.field) == (2, "id")
    array = tmp_path / "array.json"
    array.write_text('[{"text": "a"},\n {"text": "b", "n": %s}]\n' % big, encoding="utf-8")
    with pytest.raises(PicochatInputError, match="digits") as err:
        list(iter_data_records(array))
    assert (err.value.line, err.value.field) == (2, "n")


def test_an_integer_just_within_a_floats_range_is_read(tmp_path):
    near = 10**308
    rows = tmp_path / "rows.jsonl"
    rows.write_text(_row(meta={"big": near}) + "\n", encoding="utf-8")
    assert read_rows(rows)[0]["meta"]["big"] == near


def test_the_cli_refuses_a_5000_digit_id_in_one_line_exit_2(tmp_path, capsys):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "A first document about rivers and lakes."}\n{"text": "x", "id": %s}\n' % ("9" * 5000),
                      encoding="utf-8")
    rc = cli_main(["data", "import", "--input", str(corpus), "--out-dir", str(tmp_path / "out")])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("picochat:")]  # the progress bar aside
    assert rc == 2 and len(lines) == 1 and "corpus.jsonl:2" in lines[0] and "field 'id'" in lines[0], lines
    assert "Traceback" not in err and len(lines[0]) < 400
    assert not (tmp_path / "out").exists()


def test_a_json_lines_file_named_json_with_a_5000_digit_integer_names_its_line(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text(_row(n=1).replace('"n": 1', '"n": ' + "9" * 5000) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match="digits") as err:
        list(iter_data_records(path))
    assert (err.value.line, err.value.field) == (1, "n")


def test_tool_call_text_with_a_5000_digit_integer_is_read_as_text_or_refused():
    """Inside a JSON string (a TRL call's `arguments`, a ShareGPT `function_call`) the number is text the model is
    trained on: the arguments are kept as given; a call that cannot be read is refused naming the field."""
    from picochat_hf.data.row_formats import normalize_row

    big = "9" * 5000
    call = {"type": "function", "function": {"name": "calc", "arguments": '{"n": %s}' % big}}
    msgs = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "", "tool_calls": [call]},
            {"role": "tool", "content": "1"}, {"role": "assistant", "content": "done"}]
    row = normalize_row({"messages": msgs}, path="rows.jsonl", line=1)
    assert big in row["messages"][1]["content"][0]["text"]
    convo = [{"from": "human", "value": "hi"}, {"from": "function_call", "value": '{"name": "calc", "arguments": {"n": %s}}' % big}]
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"conversations": convo}, path="rows.jsonl", line=2)
    assert err.value.line == 2 and err.value.field == "conversations[1].value"
