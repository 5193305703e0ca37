"""A message whose text is only invisible characters (zero-width spaces, joiners, a byte-order mark, control
characters, Hangul fillers) is as empty as a blank one: as an answer it would be trained and scored as the right
reply; as a prompt, the answer would be trained with no question. Refused in every row format, naming file, line
and field; text with one visible character beside them is read as before."""

from __future__ import annotations

import copy
import json

import pytest

from picochat_hf.data.schema import read_rows, validate_row
from picochat_hf.utils.errors import PicochatInputError

INVISIBLE = ["\u200b", "\ufeff", "\u2060\u200d", "\x00", " \u200b\t\u00ad ", "\u3164", "\u2800", "\u202e\u200e"]


def _row(user: str = "What is 2 + 2?", answer: str = "4") -> dict:
    return {"id": "r1", "category": "c", "skill": "general", "split": "train", "source": "s",
            "messages": [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]}


@pytest.mark.parametrize("text", INVISIBLE)
@pytest.mark.parametrize("index", [0, 1])
def test_a_message_of_invisible_characters_is_refused(text, index):
    row = _row(*(text, "4") if index == 0 else ("What is 2 + 2?", text))
    with pytest.raises(PicochatInputError) as err:
        validate_row(row, path="rows.jsonl", line=4)
    assert (err.value.line, err.value.field) == (4, f"messages[{index}].content")
    assert "empty" in err.value.reason


@pytest.mark.parametrize("text", ["\u200b4", "4\ufeff", "\u00a04\u00a0", "é", "\u0301a", "\u4e00"])
def test_text_with_a_visible_character_is_read(text):
    row = _row(answer=text)
    assert validate_row(copy.deepcopy(row)) == row  # accepted, and nothing rewritten
def test_assistant_parts_of_invisible_text_train_nothing():
    row = _row(answer="x")
    row["messages"][1]["content"] = [{"type": "text", "text": "\u200b"}, {"type": "text", "text": "\ufeff"}]
    with pytest.raises(PicochatInputError, match="empty|trains nothing"):
        validate_row(row)


@pytest.mark.parametrize("record,field", [
    ({"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "\u200b"}]}, "content"),
    ({"prompt": "q", "completion": "\u2060"}, "completion"),
    ({"prompt": "\u200b", "completion": "4"}, "prompt"),
    ({"instruction": "q", "input": "", "output": "\ufeff"}, "output"),
    ({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "\u200b"}]}, "content"),
])
def test_every_row_format_refuses_invisible_text(tmp_path, record, field):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"id": "ok", **_row()}) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        read_rows(path)
    assert err.value.line == 2 and field in err.value.field


def test_a_system_prompt_of_invisible_text_is_left_out_like_a_blank_one(tmp_path):
    path = tmp_path / "rows.jsonl"
    record = {"conversations": [{"from": "system", "value": "\u200b"}, {"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert [m["role"] for m in read_rows(path)[0]["messages"]] == ["user", "assistant"]
