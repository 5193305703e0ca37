"""Speakers and roles as the exports of TRL, axolotl, ShareGPT, OpenAI and Gemini users spell them: ShareGPT `from` in
any letter case ("Human", "GPT", "System"), `bot`/`model`/`chatgpt` as the assistant, OpenAI's legacy `function`
result (with `name`) and `function_call`; each read as the same conversation as its canonical spelling, while an
unknown speaker, a result of another tool and a misplaced turn are still refused naming the message."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.row_formats import normalize_row
from picochat_hf.utils.errors import PicochatInputError

CANON = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"},
         {"role": "assistant", "content": "hello"}]
_CALL = json.dumps({"name": "weather", "arguments": {"city": "Oslo"}})
TOOL_CANON = {"messages": [
    {"role": "user", "content": "Weather in Oslo?"},
    {"role": "assistant", "content": None, "tool_calls": [{"type": "function", "function": {"name": "weather",
                                                                                            "arguments": {"city": "Oslo"}}}]},
    {"role": "tool", "content": "rain"}, {"role": "assistant", "content": "Rain."}]}


def _read(record: dict) -> list[dict]:
    return normalize_row(record, path="rows.jsonl", line=4)["messages"]


def _sharegpt(system: str, user: str, assistant: str) -> dict:
    return {"conversations": [{"from": system, "value": "Be brief."}, {"from": user, "value": "hi"},
                              {"from": assistant, "value": "hello"}]}


@pytest.mark.parametrize("system, user, assistant", [
    ("system", "human", "gpt"), ("System", "Human", "GPT"), ("SYSTEM", "HUMAN", "Assistant"), (" system", "User ", "Gpt"),
    ("system", "human", "bot"), ("system", "user", "model"), ("system", "human", "chatgpt"), ("System", "Human", "ChatGPT"),
])
def test_sharegpt_speakers_in_any_letter_case_are_the_same_conversation(system, user, assistant):
    assert _read(_sharegpt(system, user, assistant)) == CANON


@pytest.mark.parametrize("system, user, assistant", [
    ("system", "user", "Assistant"), ("System", "User", "Assistant"), ("developer", "user", "model"),
    ("Developer", "USER", "Model"), ("system", "human", "gpt"),
])
def test_message_roles_other_formats_spell_differently_are_the_same_conversation(system, user, assistant):
    msgs = [{"role": r, "content": m["content"]} for r, m in zip((system, user, assistant), CANON)]
    assert _read({"messages": msgs}) == CANON
    assert _read({"id": "a", "category": "c", "skill": "general", "split": "train", "source": "x", "messages": msgs}) == CANON
    assert _read({"prompt": msgs[:2], "completion": msgs[2:]}) == CANON


@pytest.mark.parametrize("speaker", ["robot", "narrator", "humans", "g p t", "", "function_calls"])
def test_an_unknown_speaker_is_still_refused_naming_the_message(speaker):
    with pytest.raises(PicochatInputError) as err:
        _read(_sharegpt("system", "human", speaker))
    assert err.value.field == "conversations[2].from" and err.value.line == 4 and "unknown speaker" in str(err.value)


def _legacy(result_role_key: str, result_role: str, name: str | None = "weather") -> dict:
    result = {result_role_key: result_role, ("content" if result_role_key == "role" else "value"): "rain"}
    if name is not None:
        result["name"] = name
    if result_role_key == "from":
        return {"conversations": [{"from": "human", "value": "Weather in Oslo?"}, {"from": "function_call", "value": _CALL},
                                  result, {"from": "gpt", "value": "Rain."}]}
    return {"messages": [{"role": "user", "content": "Weather in Oslo?"},
                         {"role": "assistant", "content": None,
                          "function_call": {"name": "weather", "arguments": json.dumps({"city": "Oslo"})}},
                         result, {"role": "assistant", "content": "Rain."}]}


@pytest.mark.parametrize("key, role, name", [
    ("role", "function", "weather"), ("role", "Function", "weather"), ("role", "function", None), ("role", "tool", None),
    ("from", "function", None), ("from", "Function", None), ("from", "observation", None), ("from", "Tool", None),
])
def test_a_legacy_function_result_is_the_tool_result_of_the_call(key, role, name):
    assert _read(_legacy(key, role, name)) == _read(TOOL_CANON)


def test_a_function_result_naming_another_function_is_refused():
    with pytest.raises(PicochatInputError) as err:
        _read(_legacy("role", "function", "stocks"))
    assert err.value.field == "messages[2].name" and "'stocks'" in str(err.value)


def test_a_function_result_without_a_call_before_it_is_refused():
    record = {"messages": [{"role": "user", "content": "Weather?"}, {"role": "function", "name": "weather", "content": "rain"},
                           {"role": "assistant", "content": "Rain."}]}
    with pytest.raises(PicochatInputError) as err:
        _read(record)
    assert err.value.field == "messages[1].role" and "must follow an assistant message" in str(err.value)


def test_tool_calls_with_null_content_and_a_shared_dpo_prompt_list_are_read():
    assert _read(TOOL_CANON)[1]["content"][0]["type"] == "python"
    prompt = [{"role": "System", "content": "Be brief."}, {"role": "user", "content": "hi"}]
    dpo = {"prompt": prompt, "chosen": [{"role": "Assistant", "content": "hello"}],
           "rejected": [{"role": "model", "content": "go away"}]}
    assert _read(dpo) == CANON
    assert _read({"instruction": "hi", "input": "", "output": "hello", "system": "Be brief."}) == CANON


def test_an_sft_mixture_chat_file_reads_speakers_and_roles_as_the_row_formats_do():
    """`data sft-mixture --smoltalk-file` kept its messages as given: a ShareGPT or Gemini-spelled file was refused
    by the row contract while the same file was read by every other command."""
    from picochat_hf.data.sft_mixture import convert

    spelled = [{"from": "Human", "value": "hi"}, {"from": "GPT", "value": "hello"}]
    gemini = [{"role": "User", "content": "hi"}, {"role": "model", "content": "hello"}]
    for messages in (spelled, gemini, CANON[1:]):
        assert convert("smoltalk", "train", {"messages": messages}, ("st.jsonl", 2), "st")["messages"] == CANON[1:]
    with pytest.raises(PicochatInputError) as err:
        convert("smoltalk", "train", {"messages": [{"role": "user", "content": "hi"}, {"role": "robot", "content": "x"}]},
                ("st.jsonl", 2), "st")
    assert (err.value.line, err.value.field) == (2, "messages[1].role")
