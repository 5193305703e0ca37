"""The picochat messages of one record in a TRL or community layout: conversational and ShareGPT lists, Alpaca
columns, prompt/completion (the prompt's assistant turns as context) and preference pairs (prompt + chosen; DPO reads
the triple), each opened by the record's `system` column."""

from __future__ import annotations

from typing import Any

from ..utils.errors import PicochatInputError
from .chat_messages import to_picochat_messages
from .message_keys import refuse_completion_turns
from .row_format_spec import format_spec
from .schema import is_blank, refuse_unrendered_columns


def _alpaca_messages(record: dict, *, path: Any, line: int | None) -> list[dict]:
    """system (optional) + history pairs (optional) + instruction[/input] as the user turn + output."""
    spec = format_spec()["alpaca"]
    for name in ("instruction", "input", "output", "system"):
        if name in record and not isinstance(record[name], str):
            raise PicochatInputError(f"expected a string, got {type(record[name]).__name__}", path=path, line=line, field=name)
    msgs = [{"role": "system", "content": record["system"]}] if not is_blank(record.get("system", "")) else []
    history = record.get("history") or []
    if not isinstance(history, list):
        raise PicochatInputError("expected a list of [user, assistant] pairs", path=path, line=line, field="history")
    for k, pair in enumerate(history):
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(isinstance(t, str) and not is_blank(t) for t in pair)):
            raise PicochatInputError("expected a [user, assistant] pair of non-empty strings", path=path, line=line,
                                     field=f"history[{k}]")
        msgs += [{"role": "user", "content": pair[0]}, {"role": "assistant", "content": pair[1]}]
    for name in ("instruction", "output"):
        if is_blank(record[name]):
            raise PicochatInputError(f"empty {name} (no text)", path=path, line=line, field=name)
    user = record["instruction"]
    if not is_blank(record.get("input", "")):
        user += spec["input_separator"] + record["input"]
    return msgs + [{"role": "user", "content": user}, {"role": "assistant", "content": record["output"]}]


def _turns(value: Any, role: str, *, path: Any, line: int | None, field: str) -> list[dict]:
    if isinstance(value, str):
        if is_blank(value):
            raise PicochatInputError(f"empty {field} (no text)", path=path, line=line, field=field)
        return [{"role": role, "content": value}]
    if not isinstance(value, list):
        raise PicochatInputError(f"expected a string or a list of messages, got {type(value).__name__}", path=path, line=line, field=field)
    return to_picochat_messages(value, path=path, line=line, field=field)


def with_system_column(record: dict, messages: list[dict], *, path: Any, line: int | None) -> list[dict]:
    """`messages` opened by the record's `system` column (LLaMA-Factory's ShareGPT layout, prompt/completion and
    preference exports), which would otherwise be kept as metadata and never reach the model. A blank one says nothing
    and is left out, as an empty system message is; one beside a different system message of the conversation's own
    is refused (two system prompts for one row)."""
    value = record.get("system")
    if value is None:
        return messages
    if not isinstance(value, str):
        raise PicochatInputError(f"expected a string, got {type(value).__name__}", path=path, line=line, field="system")
    first = messages[0] if messages and isinstance(messages[0], dict) else {}
    if is_blank(value) or (first.get("role") == "system" and first.get("content") == value):
        return messages
    if first.get("role") == "system":
        raise PicochatInputError("the conversation opens with another system message; keep one system prompt per row",
                                 path=path, line=line, field="system")
    return [{"role": "system", "content": value}, *messages]


def format_messages(fmt: str, record: dict, *, path: Any, line: int | None) -> list[dict]:
    """The picochat messages of a record in one of the TRL formats (a `system` column opens them)."""
    if fmt in ("alpaca", "preference"):  # both read the column themselves
        return _layout_messages(fmt, record, path=path, line=line)
    return with_system_column(record, _layout_messages(fmt, record, path=path, line=line), path=path, line=line)


def _layout_messages(fmt: str, record: dict, *, path: Any, line: int | None) -> list[dict]:
    if fmt == "conversational":
        return to_picochat_messages(record["messages"], path=path, line=line)
    if fmt == "sharegpt":
        column = format_spec()["sharegpt"]["column"]
        return to_picochat_messages(record[column], path=path, line=line, field=column)
    if fmt == "alpaca":
        return _alpaca_messages(record, path=path, line=line)
    if fmt == "prompt_completion":
        refuse_completion_turns(record["completion"], path=path, line=line)
        prompt = _turns(record["prompt"], "user", path=path, line=line, field="prompt")
        return _join_turns(_context_only(prompt), _turns(record["completion"], "assistant", path=path, line=line, field="completion"))
    return _preference_messages(record, path=path, line=line)


def _context_only(prompt: list[dict]) -> list[dict]:
    """A prompt's assistant turns as context (weight 0): TRL trains a prompt/completion row on its completion only."""
    return [{**m, "weight": 0} if m["role"] == "assistant" else m for m in prompt]


def _join_turns(prompt: list[dict], answer: list[dict]) -> list[dict]:
    """prompt + answer, where a prompt that ends inside an assistant turn (a tool call and its result, as in
    TRL's tool-calling prompt/completion rows) is continued by the answer's first assistant message, as the
    same conversation in `messages` form would be, instead of the answer starting a second assistant turn."""
    if not (prompt and answer and prompt[-1]["role"] == "assistant" == answer[0]["role"]):
        return prompt + answer
    head = prompt[-1]["content"]
    if not (isinstance(head, list) and head and head[-1]["type"] == "python_output"):
        return prompt + answer
    tail = answer[0]["content"]
    tail_parts = tail if isinstance(tail, list) else [{"type": "text", "text": tail}]
    # the prompt's call and result open the turn as context (weight-0 parts); only the completion's part is trained
    context = [{**p, "weight": 0} for p in head]
    weight = {"weight": 0} if answer[0].get("weight") == 0 else {}
    return prompt[:-1] + [{"role": "assistant", "content": context + tail_parts, **weight}] + answer[1:]


def _preference_messages(record: dict, *, path: Any, line: int | None) -> list[dict]:
    """Prompt + chosen answer (`preference_triple`)."""
    prompt, chosen, _ = preference_triple(record, path=path, line=line)
    return _join_turns(_context_only(prompt), chosen)


def _split_conversation(turns: list[dict]) -> tuple[list[dict] | None, list[dict]]:
    """(prompt, answer) of a chosen/rejected value: a conversation that holds a user message is cut before its
    last assistant turn (TRL's implicit prompt); answer messages alone have no prompt (None)."""
    if not any(m["role"] == "user" for m in turns):
        return None, turns
    last = max((i for i, m in enumerate(turns) if m["role"] == "assistant"), default=len(turns))
    return turns[:last], turns[last:]


def preference_triple(record: dict, *, path: Any, line: int | None) -> tuple[list[dict], list[dict], list[dict]]:
    """(prompt, chosen answer, rejected answer) as picochat messages (`_preference_sides`); a `system` column opens
    the prompt."""
    refuse_unrendered_columns(record, path=path, line=line)  # DPO reads the triple without `validate_row`
    prompt, chosen, rejected = _preference_sides(record, path=path, line=line)
    return with_system_column(record, prompt, path=path, line=line), chosen, rejected


def _preference_sides(record: dict, *, path: Any, line: int | None) -> tuple[list[dict], list[dict], list[dict]]:
    """(prompt, chosen answer, rejected answer) as picochat messages, from an explicit `prompt` or the
    conversations `chosen` and `rejected` open with (TRL's implicit prompt). `rejected` is checked as strictly as
    `chosen` (DPO trains on both). A conversation in `chosen` or `rejected` must answer the row's prompt: a string
    prompt must be one of its user messages, a message-list prompt its opening (ultrafeedback_binarized repeats
    the prompt column inside both; `maybe_extract_prompt` then takes it once), and the two must share one prompt;
    a pair that answers two different prompts is refused, not trained as a preference."""
    sides = {}
    for key in ("chosen", "rejected"):
        sides[key] = _split_conversation(_turns(record[key], "assistant", path=path, line=line, field=key))
        answer = sides[key][1]
        if not answer or answer[0]["role"] != "assistant":
            raise PicochatInputError("needs an assistant answer after the prompt", path=path, line=line, field=key)
        if answer[-1]["role"] != "assistant":  # DPO scores every answer token: the user's words would be preferred
            raw = record[key]
            raise PicochatInputError(f"ends on a {answer[-1]['role']} message after its answer, which DPO would train as "
                                     "part of the answer; end it on the assistant's answer", path=path, line=line,
                                     field=f"{key}[{len(raw) - 1}].role" if isinstance(raw, list) else key)
    (c_prompt, chosen), (r_prompt, rejected) = sides["chosen"], sides["rejected"]
    for key, answer in (("chosen", chosen), ("rejected", rejected)):
        if any(m.get("weight") == 0 for m in answer):  # DPO compares the two answers whole
            raise PicochatInputError("weight 0 on an answer of a preference pair: DPO trains chosen and rejected whole",
                                     path=path, line=line, field=key)
    if chosen == rejected:  # DPO's loss for the pair is log 2 whatever the model does: it trains nothing
        raise PicochatInputError("rejected is the same answer as chosen: the pair prefers nothing", path=path, line=line,
                                 field="rejected")
    if c_prompt is not None and r_prompt is not None and c_prompt != r_prompt:
        raise PicochatInputError("answers another prompt than chosen (the conversations differ before their answers)",
                                 path=path, line=line, field="rejected")
    if "prompt" not in record:
        if c_prompt is None:
            raise PicochatInputError("no prompt: give a prompt column or chosen/rejected conversations that open with the "
                                     "user's message", path=path, line=line, field="prompt")
        return _shared_tool_opening(c_prompt, chosen, rejected)
    prompt = _turns(record["prompt"], "user", path=path, line=line, field="prompt")
    for key, given in (("chosen", c_prompt), ("rejected", r_prompt)):
        if given is not None and not _same_prompt(record["prompt"], prompt, given):
            raise PicochatInputError(f"the conversation in {key} answers another prompt than the prompt column",
                                     path=path, line=line, field=key)
    # the conversation's own prompt keeps what a string prompt column leaves out (a system message, earlier turns)
    return _shared_tool_opening(next((p for p in (c_prompt, r_prompt) if p is not None), prompt), chosen, rejected)


def _shared_tool_opening(prompt: list[dict], chosen: list[dict], rejected: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """Move the tool calls and results both answers open with into the prompt, as an open assistant turn: TRL's
    implicit prompt is everything chosen and rejected share (`extract_prompt`), so the shared call is context,
    not part of the chosen answer. Cut after the last shared tool result, so each answer keeps its own text."""
    a, b = chosen[0]["content"], rejected[0]["content"]
    if not (isinstance(a, list) and isinstance(b, list)) or prompt[-1]["role"] == "assistant":
        return prompt, chosen, rejected
    shared = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    k = max((j + 1 for j in range(shared) if a[j]["type"] == "python_output"), default=0)
    if k == 0 or k == len(a) or k == len(b):
        return prompt, chosen, rejected

    def rest(msg: dict) -> dict:
        parts = msg["content"][k:]
        return {**msg, "content": "".join(p["text"] for p in parts) if all(p["type"] == "text" for p in parts) else parts}

    return prompt + [{"role": "assistant", "content": a[:k]}], [rest(chosen[0]), *chosen[1:]], [rest(rejected[0]), *rejected[1:]]


def _same_prompt(raw: Any, prompt: list[dict], conversation_prompt: list[dict]) -> bool:
    if isinstance(raw, str):
        return any(m["role"] == "user" and m["content"] == raw for m in conversation_prompt)
    return conversation_prompt == prompt

