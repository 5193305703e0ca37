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


_TWO_TURNS = [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "5", "weight": 0},
              {"role": "user", "content": "Check again."}, {"role": "assistant", "content": "4"}]


def _two_turn_layouts(msgs: list[dict]) -> list[dict]:
    sharegpt = [{"from": {"user": "human", "assistant": "gpt"}[m["role"]], "value": m["content"],
                 **({"weight": m["weight"]} if "weight" in m else {})} for m in msgs]
    return [{"messages": msgs}, {**_PICO, "messages": msgs}, {"conversations": sharegpt}]


@pytest.mark.parametrize("weight", [0, 0.0])
def test_a_message_of_weight_zero_is_kept_as_context(weight):
    """OpenAI's fine-tuning format marks a turn not to learn with `"weight": 0` (often the bad answer kept for
    context). The key was dropped and the turn trained on like any other; it is now carried to the row."""
    msgs = [dict(m) for m in _TWO_TURNS]
    msgs[1]["weight"] = weight
    for record in _two_turn_layouts(msgs):
        row = normalize_row(record, path="rows.jsonl", line=3)
        assert [m.get("weight") for m in row["messages"]] == [None, 0, None, None]
        assert [m["content"] for m in row["messages"]] == ["What is 2 + 2?", "5", "Check again.", "4"]


@pytest.mark.parametrize("weight", [0.5, "0", False, True, [0], -1, 2])
def test_a_weight_without_a_meaning_is_refused(weight):
    msgs = [dict(m) for m in _TWO_TURNS]
    msgs[1]["weight"] = weight
    for record in _two_turn_layouts(msgs):
        with pytest.raises(PicochatInputError) as err:
            normalize_row(record, path="rows.jsonl", line=3)
        assert err.value.line == 3 and err.value.field.endswith("[1].weight") and "context only" in str(err.value)


def test_the_last_answer_with_weight_zero_is_refused():
    """The row's last answer is what the fit evals and the scan read as its trained answer; untrained, the row would
    train nothing the reports say it does."""
    msgs = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "a bad answer", "weight": 0}]
    for record in _layouts(msgs):
        with pytest.raises(PicochatInputError) as err:
            normalize_row(record, path="rows.jsonl", line=3)
        assert err.value.line == 3 and "weight" in err.value.field and "trained" in str(err.value)


def test_weight_one_on_a_user_turn_or_zero_on_a_preference_answer_is_refused():
    # weight 0 on a user turn (axolotl's weighted ShareGPT) says what picochat does and is read
    # (test_data_message_key_report); weight 1 there asks to train a turn picochat never trains
    user = [{"role": "user", "content": "hi", "weight": 1}, {"role": "assistant", "content": "hello"}]
    with pytest.raises(PicochatInputError, match="assistant turns only") as err:
        normalize_row({"messages": user}, path="rows.jsonl", line=2)
    assert err.value.field == "messages[0].weight"
    pair = {"prompt": "hi", "chosen": [{"role": "assistant", "content": "hello", "weight": 0}],
            "rejected": [{"role": "assistant", "content": "go away"}]}
    with pytest.raises(PicochatInputError, match="DPO") as err:
        normalize_row(pair, path="rows.jsonl", line=2)
    assert err.value.field == "chosen"


def test_a_turn_continued_after_tool_results_keeps_one_weight():
    msgs = [{"role": "user", "content": "2+2?"},
            {"role": "assistant", "content": "", "tool_calls": [{"id": "c", "function": {"name": "python", "arguments": {"code": "2+2"}}}], "weight": 0},
            {"role": "tool", "tool_call_id": "c", "content": "4"}, {"role": "assistant", "content": "4"},
            {"role": "user", "content": "thanks"}, {"role": "assistant", "content": "welcome"}]
    with pytest.raises(PicochatInputError, match="continues") as err:
        normalize_row({"messages": msgs}, path="rows.jsonl", line=1)
    assert err.value.field == "messages[3].weight"


def test_weight_zero_leaves_the_turn_out_of_the_labels_exactly(tiny_tokenizer):
    """Same ids with and without the weight; the labels differ exactly on the untrained answer and its end token."""
    from picochat_hf.training.packing import IGNORE_INDEX
    from picochat_hf.training.tokenize import tokenize_conversations

    weighted = normalize_row({"messages": _TWO_TURNS}, path="rows.jsonl", line=1)
    plain = normalize_row({"messages": [{k: v for k, v in m.items() if k != "weight"} for m in _TWO_TURNS]}, path="rows.jsonl", line=1)
    a = tokenize_conversations([weighted], tiny_tokenizer, seq_len=128).dataset[0]
    b = tokenize_conversations([plain], tiny_tokenizer, seq_len=128).dataset[0]
    assert a["input_ids"] == b["input_ids"]
    differ = [i for i, (x, y) in enumerate(zip(a["labels"], b["labels"], strict=True)) if x != y]
    first_answer = tiny_tokenizer.encode("5", add_special_tokens=False) + [tiny_tokenizer.convert_tokens_to_ids("<|assistant_end|>")]
    assert [b["input_ids"][i] for i in differ] == first_answer and all(a["labels"][i] == IGNORE_INDEX for i in differ)
    assert sum(x != IGNORE_INDEX for x in a["labels"]) == len(tiny_tokenizer.encode("4", add_special_tokens=False)) + 1


def _with_template(tokenizer, template: str):
    import copy

    tok = copy.deepcopy(tokenizer)
    tok.chat_template = template
    return tok


_FOREIGN = ("{% for m in messages %}{% if m['role'] == 'assistant' %}[A]{% generation %}{{ m['content'] }}"
            "{% endgeneration %}{% else %}[U]{{ m['content'] }}{% endif %}{% endfor %}")


def test_a_foreign_template_that_ignores_the_weight_still_leaves_the_turn_out(tiny_tokenizer):
    """A template with generation markers but no notion of weight would train the turn the data says not to; its
    span (the rendering up to the turn minus the rendering before it) is masked instead."""
    from picochat_hf.training.packing import IGNORE_INDEX
    from picochat_hf.training.tokenize import tokenize_conversations

    tok = _with_template(tiny_tokenizer, _FOREIGN)
    weighted = normalize_row({"messages": _TWO_TURNS}, path="rows.jsonl", line=1)
    plain = normalize_row({"messages": [{k: v for k, v in m.items() if k != "weight"} for m in _TWO_TURNS]}, path="rows.jsonl", line=1)
    a = tokenize_conversations([weighted], tok, seq_len=128, source="rows.jsonl").dataset[0]
    b = tokenize_conversations([plain], tok, seq_len=128).dataset[0]
    assert a["input_ids"] == b["input_ids"]
    differ = [i for i, (x, y) in enumerate(zip(a["labels"], b["labels"], strict=True)) if x != y]
    assert differ and tok.decode([b["input_ids"][i] for i in differ]) == "5"
    assert all(a["labels"][i] == IGNORE_INDEX for i in differ)
    assert tok.decode([x for x in a["labels"] if x != IGNORE_INDEX]) == "4"


def test_a_template_that_renders_no_prefix_is_refused_for_weighted_rows(tiny_tokenizer):
    """A template that ends a conversation differently from a turn in the middle (here: a marker after a last user
    turn) gives no span to mask; the weighted row is refused, never trained as if unweighted."""
    from picochat_hf.training.tokenize import tokenize_conversations

    tok = _with_template(tiny_tokenizer, _FOREIGN + "{% if messages[-1]['role'] == 'user' %}[?]{% endif %}")
    weighted = normalize_row({"messages": _TWO_TURNS}, path="rows.jsonl", line=1)
    with pytest.raises(PicochatInputError, match="prefix") as err:
        tokenize_conversations([weighted], tok, seq_len=128, source="rows.jsonl")
    assert err.value.field == "messages[1].weight" and str(err.value.path) == "rows.jsonl"


def test_prompt_completion_trains_the_completion_only_as_trl_does(tiny_tokenizer):
    """TRL trains a prompt/completion row on its completion; the assistant turns inside a conversational prompt were
    trained here. They are context now (weight 0), in prompt/completion and in the prompt of a chosen answer."""
    from picochat_hf.training.packing import IGNORE_INDEX
    from picochat_hf.training.tokenize import tokenize_conversations

    prompt = [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "5"},
              {"role": "user", "content": "Check again."}]
    completion = [{"role": "assistant", "content": "4"}]
    for record in ({"prompt": prompt, "completion": completion},
                   {"prompt": prompt, "chosen": completion, "rejected": [{"role": "assistant", "content": "6"}]}):
        row = normalize_row(record, path="rows.jsonl", line=1)
        assert [m.get("weight") for m in row["messages"]] == [None, 0, None, None]
        labels = tokenize_conversations([row], tiny_tokenizer, seq_len=128).dataset[0]["labels"]
        assert tiny_tokenizer.decode([x for x in labels if x != IGNORE_INDEX]) == "4<|assistant_end|>"
    # the same conversation as messages trains both answers
    row = normalize_row({"messages": prompt + completion}, path="rows.jsonl", line=1)
    labels = tokenize_conversations([row], tiny_tokenizer, seq_len=128).dataset[0]["labels"]
    assert tiny_tokenizer.decode([x for x in labels if x != IGNORE_INDEX]) == "5<|assistant_end|>4<|assistant_end|>"


@pytest.mark.parametrize("weight", [1, 1.0, None])
def test_a_message_weight_of_one_trains_as_usual(weight):
    msgs = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello", "weight": weight}]
    for record in _layouts(msgs):
        row = normalize_row(record, path="rows.jsonl", line=1)
        assert row["messages"][-1]["content"] == "hello" and row["messages"][-1].get("weight") in (1, None)


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


def test_row_shards_leave_a_context_only_turn_out_of_the_mask(tiny_tokenizer, tmp_path):
    """`picochat data shards` over rows writes the same supervision mask as SFT's own tokenisation."""
    import numpy as np

    from picochat_hf.data.shards import encode_conversation
    from picochat_hf.training.packing import IGNORE_INDEX
    from picochat_hf.training.tokenize import tokenize_conversations

    for template in (tiny_tokenizer.chat_template, _FOREIGN):
        tok = _with_template(tiny_tokenizer, template)
        row = normalize_row({"messages": _TWO_TURNS}, path="rows.jsonl", line=1)
        ids, mask = encode_conversation(tok, row["messages"], source="rows.jsonl", row_id=row["id"])
        labels = tokenize_conversations([row], tok, seq_len=128).dataset[0]["labels"]
        assert np.array_equal(np.array(mask, dtype=bool), np.array([x != IGNORE_INDEX for x in labels]))
        assert tok.decode([t for t, m in zip(ids, mask, strict=True) if m]).startswith("4")


_TOOL_CALL = {"type": "function", "function": {"name": "calc", "arguments": {"expression": "12*7"}}}


@pytest.mark.parametrize("msgs", [
    [{"role": "user", "content": "12*7?"}, {"role": "assistant", "content": "Let me check.", "tool_calls": [_TOOL_CALL]}],
    [{"role": "user", "content": "12*7?"}, {"role": "assistant", "content": "", "tool_calls": [_TOOL_CALL]},
     {"role": "tool", "content": "84"}, {"role": "assistant", "content": "It is 84."}],
])
def test_a_picochat_row_with_tool_calls_trains_the_call_as_the_trl_row_does(msgs):
    """A row with picochat's own fields and TRL tool calls kept `tool_calls` as an unread key: the template never
    rendered it, so "Let me check." was trained without the call (a tool message was refused). The messages are now
    read as the same conversation without those fields is."""
    as_trl = normalize_row({"messages": msgs}, path="rows.jsonl", line=1)["messages"]
    row = normalize_row({**_PICO, "messages": msgs}, path="rows.jsonl", line=1)
    assert row["messages"] == as_trl and any(p["type"] == "python" for p in row["messages"][1]["content"])
    assert row["id"] == "a" and row["source"] == "s"


def test_an_openai_legacy_function_call_is_read_as_the_tool_call_it_is():
    """OpenAI's legacy `function_call` on an assistant message was refused (before that, dropped: the turn trained
    without its call). It is read as that message's one tool call, as TRL and axolotl read legacy function calling:
    the same messages as the `tool_calls` form, in every layout."""
    legacy = [{"role": "user", "content": "12*7?"},
              {"role": "assistant", "content": "Let me check.", "function_call": {"name": "calc", "arguments": "{}"}}]
    modern = [legacy[0], {"role": "assistant", "content": "Let me check.",
                          "tool_calls": [{"type": "function", "function": {"name": "calc", "arguments": "{}"}}]}]
    for record, same in zip(_layouts(legacy), _layouts(modern)):
        got = normalize_row(record, path="rows.jsonl", line=3)["messages"]
        assert got == normalize_row(same, path="rows.jsonl", line=3)["messages"]
        assert got[1]["content"][-1] == {"type": "python", "text": '{"name": "calc", "arguments": {}}'}
    legacy[1]["function_call"] = None  # Arrow's null for a message without one
    assert normalize_row({"messages": legacy}, path="rows.jsonl", line=1)["messages"][1]["content"] == "Let me check."


@pytest.mark.parametrize("message, reason", [
    ({"role": "user", "content": "12*7?", "function_call": {"name": "calc"}}, "assistant messages only"),
    ({"role": "assistant", "content": "x", "function_call": {"name": "calc"}, "tool_calls": [_TOOL_CALL]}, "both"),
    ({"role": "assistant", "content": "x", "function_call": "calc"}, '{"name": ..., "arguments": ...}'),
    ({"role": "assistant", "content": "x", "function_call": {"arguments": "{}"}}, '{"name": ..., "arguments": ...}'),
])
def test_a_legacy_function_call_that_cannot_be_read_as_one_call_is_refused_naming_it(message, reason):
    msgs = [{"role": "user", "content": "12*7?"}, message] if message["role"] == "assistant" else \
        [message, {"role": "assistant", "content": "84"}]
    at = 1 if message["role"] == "assistant" else 0
    for record in _layouts(msgs)[:2]:
        with pytest.raises(PicochatInputError) as err:
            normalize_row(record, path="rows.jsonl", line=3)
        assert err.value.line == 3 and err.value.field == f"messages[{at}].function_call" and reason in str(err.value)


def test_a_task_pack_row_with_tool_calls_is_refused(tmp_path):
    """Task-pack rows are validated as picochat rows only; an unread `tool_calls` there is refused naming it."""
    from picochat_hf.data.schema import validate_row

    msgs = [{"role": "user", "content": "12*7?"}, {"role": "assistant", "content": "Let me check.", "tool_calls": [_TOOL_CALL]}]
    with pytest.raises(PicochatInputError) as err:
        validate_row({**_PICO, "messages": msgs}, path="pack.jsonl", line=7)
    assert (err.value.line, err.value.field) == (7, "messages[1].tool_calls")
