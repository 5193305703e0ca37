"""TRL's dataset types, each read as the exact turns the trainer sees or refused naming file, line and field:
language modeling, prompt-only, prompt-completion, preference, unpaired preference, stepwise supervision, and
`messages` with a system turn, tool calls and text-part content."""

from __future__ import annotations

import pytest

from picochat_hf.data.row_formats import normalize_row
from picochat_hf.utils.errors import PicochatInputError

Q = [{"role": "user", "content": "What color is the sky?"}]
A = [{"role": "assistant", "content": "It is blue."}]
BAD = [{"role": "assistant", "content": "It is green."}]


def _turns(record: dict, split: str = "train") -> list[dict]:
    return normalize_row(record, path="trl.jsonl", line=3, split=split)["messages"]


def _refused(record: dict, split: str = "train") -> PicochatInputError:
    with pytest.raises(PicochatInputError) as err:
        normalize_row(record, path="trl.jsonl", line=3, split=split)
    assert (str(err.value.path), err.value.line) == ("trl.jsonl", 3) and "\n" not in str(err.value)
    return err.value


@pytest.mark.parametrize("record,turns", [
    ({"prompt": "What color is the sky?", "completion": "It is blue."}, Q + A),
    ({"prompt": Q, "completion": A}, Q + A),
    ({"prompt": [{"role": "system", "content": "Be brief."}, *Q], "completion": A},
     [{"role": "system", "content": "Be brief."}, *Q, *A]),
    ({"prompt": "What color is the sky?", "chosen": "It is blue.", "rejected": "It is green."}, Q + A),
    ({"prompt": Q, "chosen": A, "rejected": BAD}, Q + A),
    ({"chosen": Q + A, "rejected": Q + BAD}, Q + A),  # implicit prompt
    ({"prompt": "What color is the sky?", "completion": "It is blue.", "label": True}, Q + A),
    ({"prompt": Q, "completion": A, "label": 1}, Q + A),
    ({"prompt": Q, "completion": A, "label": "true"}, Q + A),
    ({"messages": [{"role": "system", "content": "Be brief."}, *Q, *A]},
     [{"role": "system", "content": "Be brief."}, *Q, *A]),
    ({"messages": [{"role": "user", "content": [{"type": "text", "text": "What color "}, {"type": "text", "text": "is the sky?"}]},
                   {"role": "assistant", "content": [{"type": "text", "text": "It is blue."}]}]}, Q + A),
    # Arrow gives every part of a list-of-structs column the keys of the others, null
    ({"messages": [{"role": "user", "content": [{"type": "text", "text": "What color is the sky?", "image": None}]},
                   {"role": "assistant", "content": [{"type": "text", "text": "It is blue.", "image": None}]}]}, Q + A),
])
def test_each_trl_type_reads_as_its_exact_turns(record, turns):
    assert _turns(record) == turns


def test_tool_calls_and_tool_turns_read_onto_the_tool_channel_in_order():
    call = {"type": "function", "id": "c1", "function": {"name": "weather", "arguments": '{"city": "Paris"}'}}
    row = [*Q, {"role": "assistant", "content": "Let me look.", "tool_calls": [call]},
           {"role": "tool", "tool_call_id": "c1", "content": [{"type": "text", "text": "sunny"}]},
           {"role": "assistant", "content": "It is blue."}]
    assert _turns({"messages": row}) == [*Q, {"role": "assistant", "content": [
        {"type": "text", "text": "Let me look."},
        {"type": "python", "text": '{"name": "weather", "arguments": {"city": "Paris"}}'},
        {"type": "python_output", "text": "sunny"}, {"type": "text", "text": "It is blue."}]}]
    # the same call with dict arguments (TRL's form) is the same turn
    dict_call = {"type": "function", "id": "c1", "function": {"name": "weather", "arguments": {"city": "Paris"}}}
    assert _turns({"messages": [*row[:1], {**row[1], "tool_calls": [dict_call]}, *row[2:]]}) == _turns({"messages": row})


@pytest.mark.parametrize("label", [False, 0, 0.0, "0", "false", "False", " no ", "NO"])
@pytest.mark.parametrize("layout", ["prompt_completion", "conversational_pc", "messages", "sharegpt", "alpaca"])
def test_an_undesirable_label_in_any_spelling_or_layout_is_refused(label, layout):
    """KTO's `label: false`, written as 0 (an int column), 0.0 (pandas beside gaps) or a text cell ("0", "no"), was
    read as a desirable prompt/completion: the bad answer trained as the right one."""
    record = {"prompt_completion": {"prompt": "What color is the sky?", "completion": "It is green."},
              "conversational_pc": {"prompt": Q, "completion": BAD},
              "messages": {"messages": Q + BAD},
              "sharegpt": {"conversations": [{"from": "human", "value": "What color is the sky?"},
                                             {"from": "gpt", "value": "It is green."}]},
              "alpaca": {"instruction": "What color is the sky?", "output": "It is green."}}[layout]
    err = _refused({**record, "label": label})
    assert err.field == "label" and "undesirable" in str(err) and repr(label) in str(err)
    assert _turns({**record, "label": True})[-1]["content"] == "It is green."  # the same row labelled desirable is read


@pytest.mark.parametrize("label", [True, 1, 1.0, "1", "true", "yes"])
def test_a_desirable_label_in_any_spelling_is_read(label):
    assert _turns({"prompt": Q, "completion": A, "label": label}) == Q + A


def test_a_label_beside_chosen_and_rejected_is_not_a_kto_label():
    """Preference rows say which answer is wanted by chosen/rejected; the chosen answer is read."""
    assert _turns({"prompt": Q, "chosen": A, "rejected": BAD, "label": False}) == Q + A


@pytest.mark.parametrize("record,named", [
    ({"text": "The sky is blue."}, "text column holds documents"),
    ({"prompt": "What color is the sky?"}, "columns are prompt); a prompt alone is TRL's prompt-only type"),
    ({"prompt": Q}, "columns are prompt); a prompt alone is TRL's prompt-only type"),
    ({"prompt": "Which is larger, 9.8 or 9.11?", "completions": ["9.11 > 9.8", "so 9.11"], "labels": [False, False]},
     "columns are prompt, completions, labels); prompt/completions/labels is TRL's stepwise supervision"),
    ({"completion": Q + BAD, "label": False}, "columns are completion, label"),
])
def test_types_without_a_trainable_answer_are_refused_naming_what_is_read(record, named):
    err = _refused(record)
    assert err.field == "messages" and named in str(err)
    assert "expected messages, prompt/completion, prompt/chosen/rejected" in str(err)


@pytest.mark.parametrize("part,field", [
    ({"type": "image_url", "image_url": {"url": "https://x/sky.png"}}, "messages[0].content[1]"),
    ({"type": "image", "text": None, "image": None}, "messages[0].content[1]"),
    ({"type": "input_audio", "input_audio": {"data": "AAA"}}, "messages[0].content[1]"),
])
def test_a_non_text_part_is_refused_never_dropped(part, field):
    record = {"messages": [{"role": "user", "content": [{"type": "text", "text": "What color is the sky?"}, part]}, *A]}
    err = _refused(record)
    assert err.field == field and "only text parts are supported" in str(err)


@pytest.mark.parametrize("record,field", [
    ({"messages": Q + A, "completion": "It is green."}, "completion"),
    ({"messages": Q, "completion": BAD}, "completion"),
    ({"messages": Q + A, "prompt": "What color is grass?"}, "prompt"),
    ({"messages": Q + A, "chosen": BAD}, "chosen"),
    ({"prompt": "What color is the sky?", "completion": "It is blue.", "rejected": "It is green."}, "rejected"),
    ({"prompt": "What color is the sky?", "completion": "It is blue.", "chosen": "It is green."}, "chosen"),
    ({"conversations": [{"from": "human", "value": "What color is the sky?"}, {"from": "gpt", "value": "It is blue."}],
      "output": "It is green."}, "output"),
    ({"instruction": "What color is the sky?", "output": "It is blue.", "completion": "It is green."}, "completion"),
])
def test_a_column_of_another_layout_beside_the_one_read_is_refused_not_dropped(record, field):
    """The completion, chosen or output beside another layout was carried along unread: its answer never trained."""
    err = _refused(record)
    assert err.field == field and "not read" in str(err)


@pytest.mark.parametrize("record", [
    {"prompt": "What color is the sky?", "prompt_id": "p1", "messages": Q + A},  # ultrachat_200k, no_robots
    {"prompt": Q, "messages": Q + A},
    {"prompt": "What color is the sky?", "messages": [{"role": "system", "content": "Be brief."}, *Q, *A]},
    {"messages": Q + A, "completion": "", "chosen": None},  # empty columns hold nothing
    {"prompt": "What color is the sky?", "completion": "It is blue.", "messages": Q + A},  # the same conversation twice
])
def test_a_repeated_prompt_or_an_empty_column_beside_a_conversation_is_read_once(record):
    assert _turns(record)[-2:] == Q + A
