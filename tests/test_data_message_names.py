"""Message keys that carry what a turn says or who says it, and that picochat's chat template does not render
(`name`, `refusal`, `audio`), are refused naming the message and the key, never dropped: a `name` on a user or
assistant turn (multi-speaker chats, TRL/transformers templates that render it) was dropped without a word, so two
speakers were trained as one. A tool result's `name` is the tool it answers: kept when it is the called tool,
refused when it names another. Null or empty values say nothing and pass, as Arrow-backed datasets write them."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.reasoning_import import import_reasoning_traces
from picochat_hf.data.row_formats import normalize_row
from picochat_hf.utils.errors import PicochatInputError

_PICO = {"id": "a", "category": "general", "skill": "general", "split": "train", "source": "s"}


def _layouts(msgs: list[dict]) -> list[dict]:
    """The same conversation as TRL messages, a picochat row, TRL prompt/completion and ShareGPT."""
    sharegpt = [{"from": {"user": "human", "assistant": "gpt", "system": "system"}[m["role"]], "value": m["content"],
                 **{k: v for k, v in m.items() if k not in ("role", "content")}} for m in msgs]
    return [{"messages": msgs}, {**_PICO, "messages": msgs}, {"prompt": msgs[:-1], "completion": msgs[-1:]},
            {"conversations": sharegpt}]


def _chat(**keys) -> list[dict]:
    return [{"role": "user", "content": "Who wrote Hamlet?", **keys.get("user", {})},
            {"role": "assistant", "content": "Shakespeare.", **keys.get("assistant", {})}]


@pytest.mark.parametrize("role,key,value", [("user", "name", "Bob"), ("assistant", "name", "Ann"),
                                            ("assistant", "refusal", "I can't help with that."),
                                            ("assistant", "audio", {"id": "audio_1"})])
def test_a_message_key_the_template_does_not_render_is_refused_naming_it(role, key, value):
    index = 0 if role == "user" else 1
    for record in _layouts(_chat(**{role: {key: value}})):
        with pytest.raises(PicochatInputError, match="not rendered by picochat's chat template") as err:
            normalize_row(record, path="rows.jsonl", line=4)
        want = {f"messages[{index}].{key}", f"conversations[{index}].{key}", f"prompt[0].{key}", f"completion[0].{key}"}
        assert err.value.line == 4 and err.value.field in want, err.value.field


@pytest.mark.parametrize("value", [None, "", [], {}])
def test_an_empty_unrendered_key_says_nothing_and_passes(value):
    for record in _layouts(_chat(user={"name": value}, assistant={"refusal": value})):
        row = normalize_row(record, path="rows.jsonl", line=4)
        assert [m["content"] for m in row["messages"]] == ["Who wrote Hamlet?", "Shakespeare."]


def _tool_chat(result_name: str | None) -> list[dict]:
    result = {"role": "tool", "tool_call_id": "c1", "content": "22"}
    if result_name is not None:
        result["name"] = result_name
    return [{"role": "user", "content": "Temperature in Paris?"},
            {"role": "assistant", "content": None, "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "get_temp", "arguments": {"city": "Paris"}}}]},
            result, {"role": "assistant", "content": "It is 22 degrees."}]


@pytest.mark.parametrize("name", [None, "get_temp"])
def test_a_tool_result_naming_the_tool_it_answers_is_read(name):
    row = normalize_row({"messages": _tool_chat(name)}, path="rows.jsonl", line=1)
    parts = row["messages"][1]["content"]
    assert [p["type"] for p in parts] == ["python", "python_output", "text"] and parts[1]["text"] == "22"


def test_a_tool_result_naming_another_tool_is_refused():
    with pytest.raises(PicochatInputError, match="'get_time'.*'get_temp'") as err:
        normalize_row({"messages": _tool_chat("get_time")}, path="rows.jsonl", line=1)
    assert err.value.field == "messages[2].name"


def test_a_reasoning_import_refuses_a_named_message(tmp_path):
    msgs = [{"role": "user", "content": "What is 2 + 2?", "name": "Bob"},
            {"role": "assistant", "content": "<think>2 plus 2 is 4.</think>4"}]
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"messages": msgs}) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match="not rendered") as err:
        import_reasoning_traces([src], tmp_path / "o", messages_column="messages")
    assert (err.value.line, err.value.field) == (1, "messages[0].name")
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())  # nothing half-written


def test_the_cli_refuses_a_named_message_in_one_line_with_exit_code_2(tmp_path, capsys):
    from picochat_hf.cli import main as cli_main

    msgs = [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "<think>2+2=4</think>4", "name": "Ann"}]
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"messages": msgs}) + "\n", encoding="utf-8")
    rc = cli_main(["data", "reasoning-import", "--input", str(src), "--messages-column", "messages", "--out-dir", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "r.jsonl:1, field 'messages[1].name'" in err[0], err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("message,field", [
    ({"role": "user", "content": "Weather?", "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": {}}}]},
     "messages[0].tool_calls"),
    ({"role": "user", "content": "Weather?", "tool_call_id": "c9"}, "messages[0].tool_call_id"),
    ({"role": "user", "content": "Weather?", "value": "Time?"}, "messages[0].value"),
    ({"role": "user", "content": "Weather?", "from": "gpt"}, "messages[0].from"),
], ids=["calls-on-user", "call-id-on-user", "value-beside-role", "from-beside-role"])
def test_a_key_on_a_message_that_does_not_read_it_is_refused(message, field):
    """A user turn's tool call, or a second text in ShareGPT's `value` beside `content`, was dropped without a word."""
    with pytest.raises(PicochatInputError, match="dropped") as err:
        normalize_row({"messages": [message, {"role": "assistant", "content": "Sunny."}]}, path="rows.jsonl", line=2)
    assert (err.value.line, err.value.field) == (2, field)


def test_empty_placed_keys_and_a_tool_results_own_id_pass():
    msgs = _tool_chat("get_temp")
    msgs[0] = {**msgs[0], "tool_calls": None, "tool_call_id": None, "value": None}
    msgs[3] = {**msgs[3], "tool_calls": [], "tool_call_id": ""}
    row = normalize_row({"messages": msgs}, path="rows.jsonl", line=1)
    assert row["messages"][0] == {"role": "user", "content": "Temperature in Paris?"}


@pytest.mark.parametrize("messages,field", [
    ([{"role": "user", "content": "2 + 2?"}, {"role": "assistant", "content": "5", "training": False}], "messages[1].training"),
    ([{"role": "user", "content": "2 + 2?", "training": True}, {"role": "assistant", "content": "4"}], "messages[0].training"),
    ([{"role": "user", "content": "2 + 2?"}, {"role": "assistant", "content": "4", "training": "no"}], "messages[1].training"),
    ([{"role": "user", "content": "2 + 2?"},
      {"role": "assistant", "content": "4 is right", "train_detail": [{"begin_offset": 0, "end_offset": 0, "train": True}]}],
     "messages[1].train_detail"),
], ids=["answer-not-trained", "user-trained", "not-a-bool", "partial"])
def test_a_training_flag_that_disagrees_with_what_is_trained_is_refused(messages, field):
    """axolotl's `"training": false` on an answer was dropped, and the answer it marks as not to learn was trained."""
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"messages": messages}, path="rows.jsonl", line=5)
    assert (err.value.line, err.value.field) == (5, field)


def test_training_flags_that_agree_with_what_is_trained_pass():
    msgs = [{"role": "user", "content": "2 + 2?", "training": False}, {"role": "assistant", "content": "5", "weight": 0, "training": False},
            {"role": "user", "content": "Again?", "training": None}, {"role": "assistant", "content": "4", "training": True, "train_detail": None}]
    row = normalize_row({"messages": msgs}, path="rows.jsonl", line=1)
    assert [m.get("weight") for m in row["messages"]] == [None, 0, None, None]
