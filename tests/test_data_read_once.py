"""`shared_row_reads`: inside the scope a rows file is parsed once per content; outside, every read parses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import picochat_hf.data.row_formats as row_formats
from picochat_hf.data.read_once import shared_row_reads
from picochat_hf.data.schema import read_rows
from picochat_hf.utils.errors import PicochatInputError
from eval_fixtures import chat_row


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The paths `read_rows` really parsed, in order."""
    seen: list[str] = []
    original = row_formats.iter_rows

    def counting(path, *args, **kwargs):
        seen.append(Path(path).name)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(row_formats, "iter_rows", counting)
    return seen


def _write(path: Path, questions: list[str]) -> Path:
    path.write_text("".join(json.dumps(chat_row(i, q)) + "\n" for i, q in enumerate(questions)))
    return path


def test_outside_the_scope_every_read_parses(tmp_path, parses):
    path = _write(tmp_path / "rows.jsonl", ["What is 2 + 2?", "Spell cat."])
    first, second = read_rows(path), read_rows(path)
    assert parses == ["rows.jsonl", "rows.jsonl"]
    assert first == second and first is not second


def test_inside_the_scope_the_same_bytes_parse_once(tmp_path, parses):
    path = _write(tmp_path / "rows.jsonl", ["What is 2 + 2?", "Spell cat."])
    with shared_row_reads():
        first, second = read_rows(path), read_rows(path)
        eval_split = read_rows(path, split="eval")  # other read options are another read
    assert parses == ["rows.jsonl", "rows.jsonl"]
    assert second is first and [r["id"] for r in first] == [r["id"] for r in eval_split]
    assert read_rows(path) is not first  # the scope is over


def test_a_file_rewritten_inside_the_scope_is_read_again(tmp_path, parses):
    path = _write(tmp_path / "rows.jsonl", ["What is 2 + 2?"])
    with shared_row_reads():
        before = read_rows(path)
        _write(path, ["What is 3 + 3?", "Spell dog."])
        after = read_rows(path)
    assert len(parses) == 2
    assert [r["messages"][0]["content"] for r in before] == ["What is 2 + 2?"]
    assert [r["messages"][0]["content"] for r in after] == ["What is 3 + 3?", "Spell dog."]


def test_same_bytes_at_another_path_is_its_own_read(tmp_path, parses):
    a = _write(tmp_path / "a.jsonl", ["What is 2 + 2?"])
    b = _write(tmp_path / "b.jsonl", ["What is 2 + 2?"])
    with shared_row_reads():
        read_rows(a), read_rows(b)
    assert parses == ["a.jsonl", "b.jsonl"]


def test_a_bad_file_fails_on_every_read_inside_the_scope(tmp_path, parses):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "r0", "messages": "not a list"}\n')
    with shared_row_reads():
        for _ in range(2):
            with pytest.raises(PicochatInputError, match="bad.jsonl"):
                read_rows(path)
    assert parses == ["bad.jsonl", "bad.jsonl"]


def test_defaults_used_counts_are_filled_on_every_read(tmp_path):
    path = tmp_path / "trl.jsonl"
    path.write_text(json.dumps({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}) + "\n")
    with shared_row_reads():
        for _ in range(2):
            used: dict = {}
            read_rows(path, defaults_used=used)
            assert used == {"id": 1, "category": 1, "skill": 1, "split": 1, "source": 1, "format:conversational": 1}
