"""Message keys that change what is trained (`weight`, a reasoning field) are honoured or refused, never dropped."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.reasoning_import import import_reasoning_traces
from picochat_hf.data.row_formats import normalize_row
from picochat_hf.data.schema import read_rows
from picochat_hf.utils.errors import PicochatInputError

_PICO = {"id": "a", "category": "general", "skill": "general", "split": "train", "source": "s"}


def _layouts(msgs: list[dict]) -> list[dict]:
    """The same conversation as TRL messages, a picochat row and TRL prompt/completion."""
    return [{"messages": msgs}, {**_PICO, "messages": msgs}, {"prompt": msgs[:-1], "completion": msgs[-1:]}]


@pytest.mark.parametrize("weight", [0, 0.0, 0.5, "0", False])
def test_a_message_not_to_be_trained_on_is_refused(weight):
    """OpenAI's fine-tuning format marks a turn not to learn with `"weight": 0`; the key was dropped and the turn
    (often the bad answer kept for context) trained on like any other."""
    msgs = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "a bad answer", "weight": weight}]
    for record in _layouts(msgs):
        with pytest.raises(PicochatInputError) as err:
            normalize_row(record, path="rows.jsonl", line=3)
        assert err.value.line == 3 and "weight" in err.value.field and "trained" in str(err.value)


@pytest.mark.parametrize("weight", [1, 1.0, None])
def test_a_message_weight_of_one_trains_as_usual(weight):
    msgs = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello", "weight": weight}]
    for record in _layouts(msgs):
        row = normalize_row(record, path="rows.jsonl", line=1)
        assert row["messages"][-1]["content"] == "hello"


@pytest.mark.parametrize("key", ["reasoning_content", "reasoning", "thinking"])
def test_an_assistant_reasoning_field_is_refused_not_dropped(key):
    """`reasoning_content` (OpenAI/DeepSeek), `thinking` (HF chat templates) or `reasoning` on an assistant message
    was dropped: the reasoning silently left the training data. It is refused, pointing at reasoning-import."""
    msgs = [{"role": "user", "content": "What is 6 times 7?"}, {"role": "assistant", "content": "42", key: "6 times 7 is 42"}]
    for record in _layouts(msgs):
        with pytest.raises(PicochatInputError) as err:
            normalize_row(record, path="rows.jsonl", line=1)
        assert key in err.value.field and "reasoning-import" in str(err.value)
    # absent in all but name (Arrow's null, an empty string) is no reasoning
    for empty in (None, ""):
        msgs[-1][key] = empty
        assert normalize_row({"messages": msgs}, path="rows.jsonl", line=1)["messages"][-1]["content"] == "42"


def test_reasoning_import_reads_an_assistant_reasoning_field(tmp_path):
    msgs = [{"role": "system", "content": "Be exact."}, {"role": "user", "content": "What is 6 times 7?"},
            {"role": "assistant", "content": "6", "reasoning_content": "earlier"},
            {"role": "user", "content": "And 6 times 8?"},
            {"role": "assistant", "content": "48", "reasoning_content": "6 times 8 = 48"}]
    wrong = [{"role": "user", "content": "What is 5 times 5?"}, {"role": "assistant", "content": "24", "thinking": "5 times 5 = 25"}]
    src = tmp_path / "r.jsonl"
    src.write_text("".join(json.dumps({"messages": m}) + "\n" for m in (msgs, wrong)), encoding="utf-8")
    paths = import_reasoning_traces([src], tmp_path / "o", messages_column="messages")
    out = read_rows(paths["rows"])
    assert len(out) == 1 and [m["content"] for m in out[0]["messages"]] == [
        "Be exact.", "What is 6 times 7?", "6", "And 6 times 8?", "<reasoning>6 times 8 = 48</reasoning><answer>48</answer>"]
    assert json.loads(paths["report_json"].read_text())["counts"]["answer_contradicts_trace"] == 1


@pytest.mark.parametrize("record,names", [
    ({"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}],
      "messages": [{"role": "user", "content": "other"}, {"role": "assistant", "content": "b"}]}, ("messages", "conversations")),
    ({"prompt": "Hi", "completion": "yo", "messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]},
     ("messages", "prompt/completion")),
    ({"instruction": "Q", "output": "A", "prompt": "P", "completion": "C"}, ("prompt/completion", "instruction/output")),
])
def test_a_record_holding_two_conversations_is_refused(record, names):
    """A record with `messages` and `conversations` (or prompt/completion) trained on one and silently kept the
    other as an unread extra field; which one the data meant is unknowable, so it is refused naming both."""
    with pytest.raises(PicochatInputError) as err:
        normalize_row(record, path="rows.jsonl", line=2)
    assert err.value.line == 2 and all(n in str(err.value) for n in names)


def test_one_conversation_with_null_columns_of_other_formats_is_read():
    """Arrow fills a mixture's absent columns with null: those are no second conversation."""
    row = normalize_row({"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}],
                         "conversations": None, "prompt": None, "completion": None}, path="rows.jsonl", line=1)
    assert row["messages"][-1]["content"] == "y"


def test_two_layouts_holding_the_same_conversation_are_read():
    """ultrafeedback_binarized-style rows carry `messages` equal to prompt + chosen: one conversation, twice."""
    convo = [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello."}]
    record = {"prompt": "Hi?", "chosen": convo, "rejected": [convo[0], {"role": "assistant", "content": "Go away."}],
              "messages": convo}
    assert normalize_row(record, path="rows.jsonl", line=1)["messages"] == convo
    record["messages"] = [convo[0], {"role": "assistant", "content": "Go away."}]  # the rejected answer: another one
    with pytest.raises(PicochatInputError):
        normalize_row(record, path="rows.jsonl", line=1)
