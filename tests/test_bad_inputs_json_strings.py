"""A JSON string escape of a lone UTF-16 surrogate (`"\\ud800"`) is no text: every data reader refuses it, naming file,
line and field, where it used to be read and then crash the tokenizer trainer or a rows writer as an internal error.
A surrogate pair (an emoji spelt as two escapes) is ordinary text."""

from __future__ import annotations

import json

import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.data.readers import iter_data_records, iter_file_documents
from picochat_hf.data.schema import read_rows
from picochat_hf.utils.errors import PicochatInputError

LONE = ["\\ud800", "\\uDFFF", "\\udc80x", "a\\ud83d"]  # a high half with no low one after it is lone too


@pytest.mark.parametrize("escape", LONE)
def test_a_document_with_a_lone_surrogate_is_refused(tmp_path, escape):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "fine"}\n{"text": "bad %s here"}\n' % escape, encoding="utf-8")
    with pytest.raises(PicochatInputError, match="lone UTF-16 surrogate") as err:
        list(iter_file_documents(path))
    assert (err.value.line, err.value.field) == (2, "text")
    with pytest.raises(PicochatInputError, match="lone UTF-16 surrogate"):
        list(iter_data_records(path))


def test_a_chat_row_or_array_element_with_a_lone_surrogate_names_its_field(tmp_path):
    rows = tmp_path / "rows.jsonl"
    chat = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]
    rows.write_text(json.dumps({"messages": chat}) + "\n" + json.dumps({"messages": chat}).replace("yo", "y\\udc80"),
                    encoding="utf-8")
    with pytest.raises(PicochatInputError, match="lone UTF-16 surrogate") as err:
        read_rows(rows)
    assert (err.value.line, err.value.field) == (2, "messages[1].content")
    array = tmp_path / "docs.json"
    array.write_text('[{"text": "a"},\n {"text": "b", "meta": {"\\ud800": 1}}]', encoding="utf-8")
    with pytest.raises(PicochatInputError, match="lone UTF-16 surrogate") as err:
        list(iter_file_documents(array))
    assert (err.value.line, err.value.field) == (2, "\\ud800")
    str(err.value).encode("utf-8")  # the message itself prints


def test_surrogate_pairs_and_escaped_backslashes_are_ordinary_text(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "smile \\ud83d\\ude00 and a path C:\\\\ud800 literal"}\n', encoding="utf-8")
    (doc,) = iter_file_documents(path)
    assert doc["text"] == "smile \U0001F600 and a path C:\\ud800 literal"


def test_the_tokenizer_trainer_refuses_it_in_one_line_exit_2(tmp_path, capsys):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "A first document about rivers and lakes."}\n{"text": "bad \\ud800 text"}\n',
                      encoding="utf-8")
    rc = cli_main(["tokenizer", "train", "--input", str(corpus), "--vocab-size", "300", "--out-dir", str(tmp_path / "tok")])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert rc == 2 and len(lines) == 1 and "corpus.jsonl:2" in lines[0] and "field 'text'" in lines[0], lines
    assert not (tmp_path / "tok").exists()


@pytest.mark.parametrize("text,line", [('[{"text": "a"},\r\n{"text": "b"},\r\n]', 2), ('[{"text": "a"}, ]', 1),
                                       ('[,{"text": "a"}]', 1), ('{"text": ["a", "b",],\n "id": ["x", "y"]}', 1)])
def test_a_json_array_with_a_stray_comma_is_malformed_json(tmp_path, text, line):
    """`[..., ]` is no JSON (datasets and pyarrow refuse it): it was read as if the comma were not there."""
    path = tmp_path / "docs.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PicochatInputError, match="malformed JSON") as err:
        list(iter_file_documents(path))
    assert err.value.line == line  # the line of the stray comma


def test_a_json_array_with_a_bom_crlf_and_no_stray_comma_reads(tmp_path):
    path = tmp_path / "docs.json"
    path.write_text('\ufeff[\r\n{"text": "a"},\r\n{"text": "b"}\r\n]\r\n', encoding="utf-8")
    assert [d["text"] for d in iter_file_documents(path)] == ["a", "b"]
