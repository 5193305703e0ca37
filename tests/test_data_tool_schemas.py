"""A `tools` column (TRL/OpenAI function definitions beside the conversation) reaches the chat template or is refused:
dropped, the model would be trained to call tools it was never shown."""

from __future__ import annotations

import copy
import json

import pytest

from picochat_hf.data.row_formats import normalize_row
from picochat_hf.data.schema import validate_row
from picochat_hf.utils.errors import PicochatInputError

_PICO = {"id": "a", "category": "general", "skill": "general", "split": "train", "source": "s"}
_SCHEMA = {"type": "function", "function": {"name": "calc", "description": "Evaluate arithmetic.",
                                           "parameters": {"type": "object", "properties": {"expression": {"type": "string"}}}}}
_CALL = {"type": "function", "function": {"name": "calc", "arguments": {"expression": "12*7"}}}
_MSGS = [{"role": "user", "content": "What is 12*7?"}, {"role": "assistant", "content": "", "tool_calls": [_CALL]},
         {"role": "tool", "content": "84"}, {"role": "assistant", "content": "It is 84."}]
_PLAIN = [{"role": "user", "content": "What is 12*7?"}, {"role": "assistant", "content": "84"}]


def _layouts(tools) -> list[dict]:
    return [{"messages": _MSGS, "tools": tools}, {**_PICO, "messages": _MSGS, "tools": tools},
            {"prompt": _MSGS[:1], "completion": _MSGS[1:], "tools": tools},
            {"conversations": [{"from": "human", "value": "What is 12*7?"}, {"from": "gpt", "value": "84"}], "tools": tools},
            {"prompt": "What is 12*7?", "chosen": "84", "rejected": "85", "tools": tools},
            {"messages": _PLAIN, "tools": tools}]


@pytest.mark.parametrize("tools", [[_SCHEMA], json.dumps([_SCHEMA]), [{"name": "calc"}], {"calc": {}}, "calc", 3])
def test_a_tools_column_is_refused_not_dropped(tools):
    for record in _layouts(tools):
        with pytest.raises(PicochatInputError) as err:
            normalize_row(record, path="rows.jsonl", line=3)
        assert (err.value.line, err.value.field) == (3, "tools") and "chat template" in str(err.value)
        assert "\n" not in str(err.value)


def test_openai_legacy_functions_column_is_refused():
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"messages": _PLAIN, "functions": [_SCHEMA["function"]]}, path="rows.jsonl", line=2)
    assert (err.value.line, err.value.field) == (2, "functions")


@pytest.mark.parametrize("tools", [None, [], "", "  ", "[]", float("nan")])
def test_an_empty_tools_column_says_nothing_and_is_read(tools):
    """Arrow gives a row without tools as null (or []), LLaMA-Factory's ShareGPT as "" or "[]"."""
    row = normalize_row({"messages": _PLAIN, "tools": tools}, path="rows.jsonl", line=1)
    assert row["messages"] == _PLAIN


def test_task_pack_rows_with_tools_are_refused():
    with pytest.raises(PicochatInputError) as err:
        validate_row({**_PICO, "messages": _PLAIN, "tools": [_SCHEMA]}, path="pack.jsonl", line=7)
    assert (err.value.line, err.value.field) == (7, "tools")


def test_cli_data_shards_refuses_a_tools_row_in_one_line(tmp_path, tiny_tokenizer_dir, capsys):
    from picochat_hf.cli import main as cli_main

    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"messages": _PLAIN}) + "\n" + json.dumps({"messages": _MSGS, "tools": [_SCHEMA]}) + "\n")
    rc = cli_main(["data", "shards", "--input", str(rows), "--tokenizer", str(tiny_tokenizer_dir), "--out-dir", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and "rows.jsonl:2, field 'tools'" in err[-1] and not (tmp_path / "o").exists()


_TOOLS_TEMPLATE = ("{% if tools %}[T]{{ tools | tojson }}{% endif %}{% for m in messages %}{% if m['role'] == 'assistant' %}"
                   "[A]{% generation %}{{ m['content'] }}{% endgeneration %}{% else %}[U]{{ m['content'] }}{% endif %}{% endfor %}")


def _with_template(tokenizer, template: str):
    tok = copy.deepcopy(tokenizer)
    tok.chat_template = template
    return tok


def test_encode_conversation_passes_tools_to_a_template_that_renders_them(tiny_tokenizer):
    from picochat_hf.data.shards import encode_conversation

    tok = _with_template(tiny_tokenizer, _TOOLS_TEMPLATE)
    ids, mask = encode_conversation(tok, _PLAIN, tools=[_SCHEMA])
    text = tok.decode(ids)
    assert text.startswith("[T]") and '"name": "calc"' in text and "Evaluate arithmetic." in text
    assert tok.decode([t for t, m in zip(ids, mask, strict=True) if m]) == "84"
    bare_ids, bare_mask = encode_conversation(tok, _PLAIN)
    assert "[T]" not in tok.decode(bare_ids) and tok.decode([t for t, m in zip(bare_ids, bare_mask) if m]) == "84"


def test_encode_conversation_refuses_tools_a_template_never_renders(tiny_tokenizer, tmp_path):
    from picochat_hf.data.shards import encode_conversation, write_row_shards

    with pytest.raises(PicochatInputError) as err:
        encode_conversation(tiny_tokenizer, _PLAIN, tools=[_SCHEMA], source="rows.jsonl", row_id="r9")
    assert err.value.field == "tools" and "r9" in str(err.value)
    row = {**_PICO, "messages": _PLAIN, "tools": [_SCHEMA]}
    with pytest.raises(PicochatInputError):
        write_row_shards([row], tiny_tokenizer, tmp_path / "o", source="rows.jsonl", progress=False)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("tools", [[], "", "[]"])
def test_rows_with_an_empty_tools_column_shard_as_rows_without(tools, tiny_tokenizer, tmp_path):
    from picochat_hf.data import shards as sh

    paths = {}
    for name, extra in (("with", {"tools": tools}), ("without", {})):
        rows = tmp_path / f"{name}.jsonl"
        rows.write_text(json.dumps({"messages": _PLAIN, **extra}) + "\n")
        paths[name] = sh.write_token_shards(rows, tiny_tokenizer, tmp_path / name, progress=False)
    got, want = (list(sh.iter_shard_pairs(paths[n])) for n in ("with", "without"))
    assert [(t.tolist(), m.tolist()) for t, m in got] == [(t.tolist(), m.tolist()) for t, m in want]


def test_tools_given_as_json_text_reach_the_template_as_definitions(tiny_tokenizer):
    from picochat_hf.data.shards import encode_conversation

    tok = _with_template(tiny_tokenizer, _TOOLS_TEMPLATE)
    as_list, _ = encode_conversation(tok, _PLAIN, tools=[_SCHEMA])
    as_text, _ = encode_conversation(tok, _PLAIN, tools=json.dumps([_SCHEMA]))
    assert as_list == as_text


def test_reasoning_import_refuses_a_record_with_tools(tmp_path):
    from picochat_hf.data.reasoning_import import import_reasoning_traces

    msgs = [{"role": "user", "content": "What is 6 times 7?"},
            {"role": "assistant", "content": "42", "reasoning_content": "call calc: 6 times 7 = 42"}]
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"messages": msgs}) + "\n" + json.dumps({"messages": msgs, "tools": [_SCHEMA]}) + "\n",
                   encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        import_reasoning_traces([src], tmp_path / "o", messages_column="messages")
    assert (err.value.line, err.value.field) == (2, "tools") and not (tmp_path / "o").exists()
    src.write_text(json.dumps({"messages": msgs, "tools": []}) + "\n", encoding="utf-8")
    import_reasoning_traces([src], tmp_path / "o", messages_column="messages")


def test_sft_mixture_conversations_with_tools_are_refused():
    from picochat_hf.data.sft_mixture import convert

    raw = {"messages": _PLAIN, "tools": [_SCHEMA]}
    with pytest.raises(PicochatInputError) as err:
        convert("smoltalk", "train", raw, ("smoltalk[train]", 4), "hf:smoltalk")
    assert (err.value.line, err.value.field) == (4, "tools")
    assert convert("smoltalk", "train", {"messages": _PLAIN, "tools": None}, ("smoltalk[train]", 4), "hf:smoltalk")


@pytest.mark.parametrize("column,value", [
    ("image", "coco/000001.jpg"), ("images", ["a.jpg"]), ("audio", {"path": "a.wav"}), ("videos", ["v.mp4"]),
    ("documents", [{"title": "Paris", "text": "Paris is the capital of France."}]),
])
def test_a_column_the_answer_depends_on_but_no_template_renders_is_refused(column, value):
    """LLaVA-style rows (`"image"` beside `"<image>\\nWhat is shown?"`) and RAG rows (`documents`) were trained as text
    alone: answers about an image or a document the model never saw."""
    msgs = [{"role": "user", "content": "<image>\nWhat is shown?"}, {"role": "assistant", "content": "A red bus."}]
    sharegpt = [{"from": "human", "value": "<image>\nWhat is shown?"}, {"from": "gpt", "value": "A red bus."}]
    for record in ({"messages": msgs, column: value}, {"conversations": sharegpt, column: value},
                   {**_PICO, "messages": msgs, column: value}):
        with pytest.raises(PicochatInputError) as err:
            normalize_row(record, path="rows.jsonl", line=5)
        assert (err.value.line, err.value.field) == (5, column)
    assert normalize_row({"messages": msgs, column: None}, path="rows.jsonl", line=5)["messages"] == msgs


@pytest.mark.parametrize("label", [False, "false", "False"])
def test_an_undesirable_unpaired_preference_completion_is_refused(label):
    """TRL's unpaired preference (KTO) rows mark a bad completion with `"label": false`; read as prompt/completion, the
    bad answer was trained (and, in an eval file, scored against) as the right one."""
    for record in ({"prompt": "What is 2 + 2?", "completion": "5", "label": label},
                   {"prompt": [{"role": "user", "content": "What is 2 + 2?"}],
                    "completion": [{"role": "assistant", "content": "5"}], "label": label}):
        with pytest.raises(PicochatInputError) as err:
            normalize_row(record, path="kto.jsonl", line=9)
        assert (err.value.line, err.value.field) == (9, "label") and "undesirable" in str(err.value)


def test_a_desirable_unpaired_preference_completion_is_read():
    row = normalize_row({"prompt": "What is 2 + 2?", "completion": "4", "label": True}, path="kto.jsonl", line=1)
    assert row["messages"][-1] == {"role": "assistant", "content": "4"}


@pytest.mark.parametrize("value", [{"bytes": None, "path": None}, [{"bytes": None, "path": None}], {"path": ""}, "null",
                                   '{"bytes": null}'])
def test_an_arrow_null_image_struct_holds_nothing_and_is_read(value):
    row = normalize_row({"messages": _PLAIN, "image": value}, path="rows.parquet", line=1)
    assert row["messages"] == _PLAIN


@pytest.mark.parametrize("value", [{"bytes": None, "path": "a.jpg"}, [None, "a.jpg"], 0, False, '{"path": "a.jpg"}'])
def test_an_image_struct_with_anything_in_it_is_refused(value):
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"messages": _PLAIN, "image": value}, path="rows.parquet", line=1)
    assert err.value.field == "image"
