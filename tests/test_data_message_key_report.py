"""Message keys are honoured, refused with a reason the user can act on, or dropped and reported, never dropped
silently. `{"role": "user", "content": "hi", "timestamp": ...}` lost its timestamp without a word (and a picochat
row kept it in the row, unread); `"train": false` on an answer was dropped and the answer trained; `"weight": 1` on
a user turn (axolotl's weighted ShareGPT: train this turn) was accepted and the turn never trained, while `"weight":
0` there, which says what picochat does, was refused; `"loss": false` or `"mask": true` on a message, and a user
message inside a prompt/completion row's completion (TRL trains every completion token), were taken without a word;
`"name": "user"` (a name repeating the role) was refused as if
it named a speaker, and a system message named `example_user` (OpenAI's few-shot convention) was refused without
saying why."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from picochat_hf.data.row_formats import defaults_summary, iter_rows, normalize_row
from picochat_hf.utils.errors import PicochatInputError

_PICO = {"id": "a", "category": "general", "skill": "general", "split": "train", "source": "s"}
_SPEAKER = {"user": "human", "assistant": "gpt", "system": "system"}


def _layouts(msgs: list[dict]) -> list[dict]:
    """TRL messages, a picochat row, TRL prompt/completion and ShareGPT, holding the same conversation."""
    sharegpt = [{"from": _SPEAKER[m["role"]], "value": m["content"],
                 **{k: v for k, v in m.items() if k not in ("role", "content")}} for m in msgs]
    return [{"messages": msgs}, {**_PICO, "messages": msgs}, {"prompt": msgs[:-1], "completion": msgs[-1:]},
            {"conversations": sharegpt}]


def _chat(user: dict | None = None, assistant: dict | None = None) -> list[dict]:
    return [{"role": "user", "content": "Who wrote Hamlet?", **(user or {})},
            {"role": "assistant", "content": "Shakespeare.", **(assistant or {})}]


@pytest.mark.parametrize("key,value", [("timestamp", "2024-05-01T10:00:00Z"), ("id", "msg_1"),
                                       ("metadata", {"lang": "en"}), ("markdown", {"html": "<p>"})])
def test_an_unread_message_key_is_dropped_and_reported_once_per_message(key, value):
    for record in _layouts(_chat(user={key: value}, assistant={key: value})):
        counts: Counter = Counter()
        row = normalize_row(record, path="rows.jsonl", line=1, defaults_used=counts)
        assert all(key not in m for m in row["messages"]), row["messages"]
        assert defaults_summary(counts)["dropped_message_keys"] == {key: 2}, record


def test_the_report_of_a_file_names_every_dropped_key(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps({"messages": _chat(user={"timestamp": f"t{i}"})}) + "\n" for i in range(3))
                    + json.dumps({"messages": _chat()}) + "\n", encoding="utf-8")
    counts: Counter = Counter()
    rows = list(iter_rows(path, defaults_used=counts))
    summary = defaults_summary(counts)
    assert len(rows) == 4 and summary["dropped_message_keys"] == {"timestamp": 3}
    assert "dropped_message_key:timestamp" not in summary["defaulted_fields"]


@pytest.mark.parametrize("value", [None, "", [], {}])
def test_an_empty_unread_key_says_nothing_and_is_not_reported(value):
    for record in _layouts(_chat(user={"timestamp": value})):
        counts: Counter = Counter()
        normalize_row(record, path="rows.jsonl", line=1, defaults_used=counts)
        assert not any(k.startswith("dropped_message_key:") for k in counts), counts


@pytest.mark.parametrize("key", ["train", "trainable"])
def test_a_train_flag_against_what_picochat_trains_is_refused(key):
    for record in _layouts(_chat(assistant={key: False})):
        with pytest.raises(PicochatInputError, match=f"says {key} false") as err:
            normalize_row(record, path="rows.jsonl", line=5)
        assert err.value.line == 5 and err.value.field.endswith(f".{key}"), err.value.field
    for record in _layouts(_chat(user={key: True})):
        with pytest.raises(PicochatInputError, match=f"says {key} true"):
            normalize_row(record, path="rows.jsonl", line=5)


@pytest.mark.parametrize("key", ["train", "trainable"])
def test_a_train_flag_agreeing_with_what_picochat_trains_is_read(key):
    for record in _layouts(_chat(user={key: False}, assistant={key: True})):
        row = normalize_row(record, path="rows.jsonl", line=1)
        assert [m["content"] for m in row["messages"]] == ["Who wrote Hamlet?", "Shakespeare."]


def test_weight_one_on_a_user_turn_is_refused_and_weight_zero_there_is_read():
    for record in _layouts(_chat(user={"weight": 1})):
        with pytest.raises(PicochatInputError, match="trains assistant turns only") as err:
            normalize_row(record, path="rows.jsonl", line=2)
        assert err.value.field.endswith("[0].weight"), err.value.field
    for record in _layouts(_chat(user={"weight": 0}, assistant={"weight": 1})):
        row = normalize_row(record, path="rows.jsonl", line=2)
        assert row["messages"][0] == {"role": "user", "content": "Who wrote Hamlet?"}, record


@pytest.mark.parametrize("name", ["user", "User", "human"])
def test_a_name_repeating_the_role_names_nobody_and_is_dropped(name):
    for record in _layouts(_chat(user={"name": name})):
        counts: Counter = Counter()
        row = normalize_row(record, path="rows.jsonl", line=1, defaults_used=counts)
        assert "name" not in row["messages"][0] and defaults_summary(counts)["dropped_message_keys"] == {"name": 1}


def test_a_real_speaker_name_is_refused_with_the_reason():
    for record in _layouts(_chat(user={"name": "Bob"})):
        with pytest.raises(PicochatInputError, match="two speakers of one role would be trained as one") as err:
            normalize_row(record, path="rows.jsonl", line=1)
        assert err.value.field.endswith("[0].name")


@pytest.mark.parametrize("name,role", [("example_user", "user"), ("example_assistant", "assistant")])
def test_an_openai_few_shot_system_message_is_refused_naming_the_convention(name, role):
    msgs = [{"role": "system", "content": "Translate to French.", "name": name}, *_chat()]
    for record in _layouts(msgs):
        with pytest.raises(PicochatInputError, match=f"few-shot convention.*write it as a {role} message") as err:
            normalize_row(record, path="rows.jsonl", line=1)
        assert err.value.field.endswith("[0].name")


@pytest.mark.parametrize("key,value", [("loss", False), ("loss_mask", [0, 1]), ("mask", True), ("ignore", True)])
def test_a_per_message_training_switch_picochat_does_not_read_is_refused(key, value):
    for record in _layouts(_chat(assistant={key: value})):
        with pytest.raises(PicochatInputError, match=f'{key} says how this message is trained.*"weight"') as err:
            normalize_row(record, path="rows.jsonl", line=7)
        assert err.value.line == 7 and err.value.field.endswith(f".{key}"), err.value.field


def test_a_null_training_switch_says_nothing():
    for record in _layouts(_chat(assistant={"loss": None})):
        assert normalize_row(record, path="rows.jsonl", line=1)["messages"][-1]["content"] == "Shakespeare."


@pytest.mark.parametrize("completion,index,role", [
    ([{"role": "assistant", "content": "Shakespeare."}, {"role": "user", "content": "And Macbeth?"}], 1, "user"),
    ([{"from": "gpt", "value": "Shakespeare."}, {"from": "human", "value": "And Macbeth?"}], 1, "user"),
    ([{"role": "system", "content": "Be brief."}, {"role": "assistant", "content": "Shakespeare."}], 0, "system"),
])
def test_a_user_or_system_turn_inside_a_completion_is_refused(completion, index, role):
    record = {"prompt": [{"role": "user", "content": "Who wrote Hamlet?"}], "completion": completion}
    with pytest.raises(PicochatInputError, match=f"a {role} message in the completion") as err:
        normalize_row(record, path="rows.jsonl", line=9)
    assert err.value.line == 9 and err.value.field == f"completion[{index}].role"


def test_a_completion_of_a_tool_call_its_result_and_the_answer_is_read():
    call = {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "lookup", "arguments": {"play": "Hamlet"}}}]}
    completion = [call, {"role": "tool", "tool_call_id": "c1", "content": "Shakespeare"},
                  {"role": "assistant", "content": "Shakespeare."}]
    row = normalize_row({"prompt": [{"role": "user", "content": "Who wrote Hamlet?"}], "completion": completion},
                        path="rows.jsonl", line=1)
    assert [p["type"] for p in row["messages"][-1]["content"]] == ["python", "python_output", "text"]


@pytest.mark.parametrize("key", ["text", "message"])
def test_a_message_whose_text_sits_under_another_key_is_refused_naming_it(key):
    """It was refused as "empty user message (no text)", naming content, where the text was under `text`."""
    msgs = [{"role": "user", key: "Who wrote Hamlet?"}, {"role": "assistant", key: "Shakespeare."}]
    for record in ({"messages": msgs}, {**_PICO, "messages": msgs}, {"prompt": msgs[:1], "completion": msgs[1:]}):
        with pytest.raises(PicochatInputError, match=f"text is under '{key}'.*name the key content") as err:
            normalize_row(record, path="rows.jsonl", line=4)
        assert err.value.field.endswith(f"[0].{key}"), err.value.field


def test_a_text_key_beside_the_content_is_dropped_and_reported():
    for record in _layouts(_chat(user={"text": "Who wrote Hamlet?"})):
        counts: Counter = Counter()
        row = normalize_row(record, path="rows.jsonl", line=1, defaults_used=counts)
        assert row["messages"][0] == {"role": "user", "content": "Who wrote Hamlet?"}
        assert counts["dropped_message_key:text"] == 1
