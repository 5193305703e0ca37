"""A row-level `system` column (LLaMA-Factory's ShareGPT layout, prompt/completion and preference exports) opens the
conversation it sits beside; it was kept as metadata and never trained or shown to the model."""

from __future__ import annotations

import pytest

from picochat_hf.data.row_formats import normalize_row, preference_triple
from picochat_hf.utils.errors import PicochatInputError

SYS = "You are a terse assistant."
CONVS = {
    "messages": {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]},
    "sharegpt": {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]},
    "prompt_completion": {"prompt": "Hi", "completion": "Hello"},
    "prompt_completion_msgs": {"prompt": [{"role": "user", "content": "Hi"}],
                               "completion": [{"role": "assistant", "content": "Hello"}]},
    "preference": {"prompt": "Hi", "chosen": "Hello", "rejected": "Go away"},
    "picochat": {"id": "r1", "category": "general", "skill": "general", "split": "train", "source": "s",
                 "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]},
    "alpaca": {"instruction": "Hi", "input": "", "output": "Hello"},
}


@pytest.mark.parametrize("layout", sorted(CONVS))
def test_a_system_column_opens_the_conversation(layout):
    row = normalize_row({**CONVS[layout], "system": SYS}, path="x.jsonl", line=1)
    assert row["messages"][0] == {"role": "system", "content": SYS}
    assert [m["role"] for m in row["messages"]] == ["system", "user", "assistant"]
    assert "system" not in row


@pytest.mark.parametrize("layout", sorted(CONVS))
def test_without_a_system_column_nothing_is_added(layout):
    assert normalize_row(dict(CONVS[layout]), path="x.jsonl", line=1)["messages"][0]["role"] == "user"


@pytest.mark.parametrize("layout", sorted(CONVS))
@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_system_column_is_left_out(layout, value):
    assert normalize_row({**CONVS[layout], "system": value}, path="x.jsonl", line=1)["messages"][0]["role"] == "user"


@pytest.mark.parametrize("layout", sorted(CONVS))
@pytest.mark.parametrize("value", [3, ["a"], {"content": "x"}, True])
def test_a_system_column_that_is_not_text_is_refused(layout, value):
    with pytest.raises(PicochatInputError) as err:
        normalize_row({**CONVS[layout], "system": value}, path="x.jsonl", line=4)
    assert (err.value.field, err.value.line) == ("system", 4)


def test_a_system_column_beside_the_conversations_own_system_message():
    own = {"messages": [{"role": "system", "content": SYS}, {"role": "user", "content": "Hi"},
                        {"role": "assistant", "content": "Hello"}]}
    assert [m["role"] for m in normalize_row({**own, "system": SYS}, path="x", line=1)["messages"]] == \
        ["system", "user", "assistant"]
    with pytest.raises(PicochatInputError) as err:
        normalize_row({**own, "system": "Another prompt."}, path="x.jsonl", line=2)
    assert err.value.field == "system" and "system" in str(err.value)


def test_the_dpo_prompt_carries_the_system_column():
    prompt, chosen, rejected = preference_triple({**CONVS["preference"], "system": SYS}, path="x", line=1)
    assert prompt[0] == {"role": "system", "content": SYS} and chosen[0]["content"] == "Hello"


def test_reasoning_import_keeps_a_system_column_beside_the_messages(tmp_path):
    import json

    from picochat_hf.data.reasoning_import import import_reasoning_traces
    from picochat_hf.data.schema import read_rows

    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"system": SYS, "messages": [
        {"role": "user", "content": "What is 2 plus 2?"},
        {"role": "assistant", "content": "<think>2 plus 2 is 4.</think>4"}]}) + "\n", encoding="utf-8")
    paths = import_reasoning_traces([src], tmp_path / "o", messages_column="messages", question_column=None,
                                    trace_column=None, answer_column=None, system_prompt="Think first.")
    msgs = read_rows(paths["rows"])[0]["messages"]
    assert msgs[0] == {"role": "system", "content": SYS} and [m["role"] for m in msgs] == ["system", "user", "assistant"]
