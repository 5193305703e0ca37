"""One row-normalising layer: every command that reads chat rows accepts the standard formats.

Accepted record formats (the ones TRL and `datasets` users have), each turned into a picochat row:

- **picochat rows**: `id`, `messages`, `category`, `skill`, `split`, `source` (+ optional fields); kept as is.
- **conversational** (TRL): `{"messages": [...]}` with roles `system`, `user`, `assistant`, `tool`;
  assistant messages may carry `tool_calls` (`[{"type": "function", "function": {"name", "arguments"}}]`).
  Content may be a string or a list of `{"type": "text", "text": ...}` parts.
- **prompt/completion** (TRL): `prompt` and `completion`, each a string or a list of messages.
- **ShareGPT**: `{"conversations": [{"from", "value"}]}` (speakers mapped by `row_formats.yaml`); `from`/`value`
  messages are accepted in any message list, as TRL's `maybe_convert_to_chatml` does;
- **Alpaca**: `instruction`, `output` (+ optional `input`, `system`, `history` of [user, assistant] pairs);
- **preference** (TRL): `prompt`, `chosen`, `rejected` (or implicit-prompt `chosen`/`rejected` message lists);
  for SFT and evaluation the row is the prompt followed by the chosen answer; DPO reads the triple itself.

Tool calls use picochat's own tool channel, so the chat template needs no new tokens: an assistant tool call
becomes a `python` part holding `{"name": ..., "arguments": ...}` as JSON (supervised), a `tool` message
becomes a `python_output` part of the same assistant turn right after the call it answers (not supervised), and
the assistant text that follows continues that turn.

Missing picochat fields get documented defaults: `id` = "<source>:<line>", `category` = "general",
`skill` = "general", `split` = the file's role (train for training inputs, eval for evaluation inputs),
`source` = the file (or dataset) name. A row that got any default lists them in `defaults` (never silent),
and `defaults_used` (when passed) counts them per field for the command's report.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .message_keys import (DROPPED_PREFIX, check_message_keys, count_dropped_keys, refuse_completion_turns,
                           without_dropped_keys)
from .schema import DuplicateKeyError, is_blank, refuse_unrendered_columns, unique_keys, validate_row
from .readers import record_id

DEFAULT_CATEGORY = "general"
DEFAULT_SKILL = "general"
CHAT_ROLES = ("system", "user", "assistant", "tool")
FORMATS = ("picochat", "conversational", "prompt_completion", "preference", "sharegpt", "alpaca")
FORMATS_FILE = Path(__file__).with_name("row_formats.yaml")
# the record columns each format reads (they are not copied into the row as extra fields)
FORMAT_COLUMNS = {"conversational": ("messages", "system"), "prompt_completion": ("prompt", "completion", "system"),
                  "preference": ("prompt", "chosen", "rejected", "system"), "sharegpt": ("conversations", "system"),
                  "alpaca": ("instruction", "input", "output", "system", "history")}


@functools.lru_cache(maxsize=1)
def format_spec() -> dict:
    """The ShareGPT role map and the Alpaca layout (`row_formats.yaml`)."""
    return load_yaml_text(FORMATS_FILE.read_text(encoding="utf-8"))


def conversation_columns(record: dict) -> dict[str, str]:
    """Every conversation layout whose columns the record fills, as {"messages": "conversational", ...}; preference
    rows read `prompt` beside `chosen`/`rejected`, so their prompt is no second layout."""
    spec = format_spec()
    layouts = {"chosen/rejected": (("chosen", "rejected"), "preference"), "messages": (("messages",), "conversational"),
               "prompt/completion": (("prompt", "completion"), "prompt_completion"),
               spec["sharegpt"]["column"]: ((spec["sharegpt"]["column"],), "sharegpt"),
               "/".join(spec["alpaca"]["required"]): (tuple(spec["alpaca"]["required"]), "alpaca")}
    return {name: fmt for name, (cols, fmt) in layouts.items() if all(c in record for c in cols)}


def _refuse_two_conversations(record: dict, *, path: Any, line: int | None) -> None:
    """Refuse a record whose layouts hold different conversations (`messages` beside another `conversations`); the
    same conversation twice (ultrafeedback_binarized's `messages` = prompt + chosen) is one."""
    layouts = conversation_columns(record)
    if len(layouts) < 2:
        return
    seen = [_unweighted(_format_messages(fmt, record, path=path, line=line)) for fmt in layouts.values()]
    if any(m != seen[0] for m in seen[1:]):
        raise PicochatInputError(f"holds {len(layouts)} different conversations ({' and '.join(layouts)}); keep one "
                                 "layout per row", path=path, line=line, field=next(iter(layouts)).split("/")[0])


def _unweighted(messages: list[dict]) -> list[dict]:
    """The conversation without part weights: the tool call a completion continues is context in prompt/completion
    and trained in `messages`, yet the same conversation. Message weights still count: a turn trained in one
    layout and not in the other is two readings of the data."""
    def parts(content: Any) -> Any:
        return [{k: v for k, v in p.items() if k != "weight"} for p in content] if isinstance(content, list) else content

    return [{**m, "content": parts(m["content"])} for m in messages]


def detect_format(record: dict) -> str | None:
    if "chosen" in record and "rejected" in record:
        return "preference"
    if "messages" in record:
        return "picochat" if all(k in record for k in ("id", "category", "skill", "split", "source")) else "conversational"
    if "prompt" in record and "completion" in record:
        return "prompt_completion"
    if format_spec()["sharegpt"]["column"] in record:
        return "sharegpt"
    if all(k in record for k in format_spec()["alpaca"]["required"]):
        return "alpaca"
    return None


def _chatml(msg: Any, fail) -> Any:
    """A ShareGPT `{from, value}` message as `{role, content}` (other keys kept); other messages unchanged."""
    if not isinstance(msg, dict) or "role" in msg or "from" not in msg:
        return msg
    roles = format_spec()["sharegpt"]["roles"]
    speaker = msg["from"]
    if speaker not in roles:
        raise fail(f"unknown speaker {speaker!r}; expected one of {', '.join(roles)}", ".from")
    rest = {k: v for k, v in msg.items() if k not in ("from", "value")}
    if roles[speaker] == "tool_call":
        return {"role": "assistant", "content": None, "tool_calls": _sharegpt_calls(msg.get("value"), fail), **rest}
    return {"role": roles[speaker], "content": msg.get("value"), **rest}


def _sharegpt_calls(value: Any, fail) -> list[dict]:
    """A ShareGPT `function_call` value (JSON text of one call or a list of calls) as TRL `tool_calls`."""
    try:
        calls = json.loads(value, object_pairs_hook=unique_keys) if isinstance(value, str) else None
    except DuplicateKeyError as exc:  # the model would be trained on one of two calls, a reader would show the other
        raise fail(f"the tool call names {exc.key!r} twice", ".value") from None
    except ValueError:  # malformed, or an integer past Python's 4300-digit limit
        calls = None
    calls = [calls] if isinstance(calls, dict) else calls
    if not calls or not isinstance(calls, list) or not all(isinstance(c, dict) and isinstance(c.get("name"), str) for c in calls):
        raise fail('expected a tool call as JSON text: {"name": ..., "arguments": ...} or a list of them', ".value")
    return [{"type": "function", "function": {"name": c["name"], "arguments": c.get("arguments", {})}} for c in calls]


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


def _text(content: Any, fail) -> str:
    """A message's text: a string, or the text of a list of {type: text, text} parts. A part of any other type
    (an image, audio) is refused naming it: dropping it would train on a message the data does not hold."""
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    if not isinstance(content, list):
        raise fail(f"expected a string or a list of text parts, got {type(content).__name__}")
    texts = []
    for j, part in enumerate(content):
        kind = part.get("type", "text") if isinstance(part, dict) else type(part).__name__
        if kind != "text" or not isinstance(part.get("text"), str):
            raise fail(f"only text parts are supported, got a {kind!r} part" if kind != "text"
                       else "a text part needs a text string", f"[{j}]")
        if part.get("weight") is not None:  # joined into one text, the part's own weight could not be honoured
            raise fail("a weight belongs on the message, not on one of its text parts", f"[{j}].weight")
        texts.append(part["text"])
    return "".join(texts)


def _tool_call_text(call: Any, fail) -> str:
    fn = call.get("function", call) if isinstance(call, dict) else None
    if not isinstance(fn, dict) or not isinstance(fn.get("name"), str):
        raise fail("each tool call needs function.name")
    args = fn.get("arguments", {})
    if isinstance(args, str):
        args = _arguments(args, fail)
    return json.dumps({"name": fn["name"], "arguments": _without_nulls(args)}, ensure_ascii=False)


def _arguments(text: str, fail) -> Any:
    """A tool call's arguments string read as JSON, or the string as given where it is not JSON (malformed, or an
    integer past Python's 4300-digit limit); a key named twice is refused."""
    try:
        return json.loads(text, object_pairs_hook=unique_keys)
    except DuplicateKeyError as exc:
        raise fail(f"the tool call's arguments name {exc.key!r} twice") from None
    except ValueError:
        return text


def _without_nulls(value: Any) -> Any:
    """Arguments without null-valued keys: Arrow (parquet, `datasets`, the Hub) stores every call's arguments as
    one struct, so a call read back carries every other tool's argument names as null; trained as given, the
    model would learn calls the data never made."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _is_picochat_parts(content: Any) -> bool:
    return isinstance(content, list) and any(isinstance(p, dict) and p.get("type") in ("python", "python_output") for p in content)


def _holds_tool_turns(messages: Any) -> bool:
    """A message list with TRL tool calls or tool results, which picochat rows write as parts."""
    return isinstance(messages, list) and any(
        isinstance(m, dict) and (m.get("tool_calls") or m.get("role") == "tool") for m in messages)


def to_picochat_messages(messages: Any, *, path: Any, line: int | None, field: str = "messages") -> list[dict]:
    """Map a TRL message list (system/user/assistant/tool, tool_calls) onto picochat's roles and parts."""
    if not isinstance(messages, list) or not messages:
        raise PicochatInputError("expected a non-empty list of messages", path=path, line=line, field=field)
    out: list[dict] = []
    turn: dict | None = None  # the assistant turn that tool results extend: its parts and its calls awaiting a result
    weights: dict[int, int] = {}  # id of an assistant turn in `out` -> its weight
    for i, msg in enumerate(messages):
        def fail(reason: str, sub: str = "") -> PicochatInputError:
            return PicochatInputError(reason, path=path, line=line, field=f"{field}[{i}]{sub}")

        msg = _chatml(msg, fail)
        if not isinstance(msg, dict):
            raise fail("expected an object with role and content")
        weight = check_message_keys(msg, fail)
        role = msg.get("role")
        role = format_spec()["role_aliases"].get(role, role) if isinstance(role, str) else role
        if role not in CHAT_ROLES:
            raise fail(f"role must be one of {', '.join(CHAT_ROLES)}, got {role!r}", ".role")
        text_of = lambda content: _text(content, lambda r, sub="": fail(r, ".content" + sub))  # noqa: E731
        if role == "assistant":
            continued = turn
            turn = _assistant_parts(msg, turn, out, fail, text_of)
            if continued is None:
                weights[id(out[-1])] = weight
            elif weights.get(id(out[-1])) != weight:  # one turn of the template: trained or not as a whole
                raise fail("weight differs from the assistant message this one continues after its tool results", ".weight")
        elif role == "tool":
            if turn is None:
                raise fail("a tool message must follow an assistant message with tool_calls", ".role")
            if not turn["pending"]:
                raise fail("more tool results than the assistant message before them has tool calls", ".role")
            _attach_tool_result(turn, msg, text_of(msg.get("content")), fail)
        else:
            turn = None
            text = text_of(msg.get("content"))
            if is_blank(text):
                if role == "system":
                    continue  # an empty system prompt (common in ShareGPT exports) says nothing; it is left out
                raise fail("empty user message (no text)", ".content")
            out.append({"role": role, "content": text})
    for m in out:  # plain assistant text stays a string, as picochat rows write it
        if m["role"] == "assistant" and weights.get(id(m)) == 0:
            m["weight"] = 0  # context only: the chat template leaves it out of the supervised span
        if m["role"] == "assistant" and all(p["type"] == "text" for p in m["content"]):
            m["content"] = "".join(p["text"] for p in m["content"])
    return out


def _assistant_parts(msg: dict, turn: dict | None, out: list[dict], fail, text_of) -> dict | None:
    """Add an assistant message's text and tool calls to `out` (a new turn, or the turn a tool result is
    extending); return the turn while its calls may still get results, else None."""
    if _is_picochat_parts(msg.get("content")):
        parts = list(msg["content"])
    else:
        text = text_of(msg.get("content"))
        parts = [{"type": "text", "text": text}] if text else []
    calls = []
    for call in msg.get("tool_calls") or []:
        part = {"type": "python", "text": _tool_call_text(call, lambda r: fail(r, ".tool_calls"))}
        parts.append(part)
        calls.append((call.get("id") if isinstance(call, dict) else None, part))
    if turn is None and all(is_blank(p["text"]) for p in parts):
        raise fail("empty assistant message (no text and no tool call)", ".content")
    if turn is not None and turn["pending"]:  # the answer would be trained as if it had seen results it never got
        raise fail(f"the assistant continues while {len(turn['pending'])} tool call(s) before it have no result "
                   "(give each call a tool message)", ".role")
    if turn is not None:  # the answer after a tool result continues the same turn
        turn["parts"].extend(parts)
        turn["pending"] = calls
    else:
        out.append({"role": "assistant", "content": parts})
        turn = {"parts": parts, "pending": calls}
    return turn if calls else None


def _attach_tool_result(turn: dict, msg: dict, text: str, fail) -> None:
    """Put a tool result right after the call it answers (`tool_call_id`, else the first call still waiting),
    so several calls read call, result, call, result: the order in which picochat's tool channel runs them.
    A `tool_call_id` that names none of the waiting calls is refused: given to another call, the result would
    teach the model an answer that call never returned."""
    pending = turn["pending"]
    wanted = msg.get("tool_call_id")
    k = next((j for j, (cid, _) in enumerate(pending) if cid is not None and cid == wanted), None)
    if k is None and wanted is not None and any(cid is not None for cid, _ in pending):
        waiting = ", ".join(repr(cid) for cid, _ in pending if cid is not None)
        raise fail(f"tool_call_id {wanted!r} answers none of the calls still waiting ({waiting})", ".tool_call_id")
    k = k or 0
    _, call_part = pending[k]
    named, called = msg.get(format_spec()["message_keys"]["tool_name_key"]), json.loads(call_part["text"])["name"]
    if named not in (None, "") and named != called:  # the result of one tool trained as another's
        raise fail(f"the tool result names the tool {named!r}, the call it answers calls {called!r}", ".name")
    pending.pop(k)
    parts = turn["parts"]
    at = next(j for j, p in enumerate(parts) if p is call_part) + 1
    parts.insert(at, {"type": "python_output", "text": text})


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


def _format_messages(fmt: str, record: dict, *, path: Any, line: int | None) -> list[dict]:
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


def present_columns(record: dict) -> dict:
    """The record without missing values: Arrow-backed datasets (parquet, mixtures of several formats) give absent
    columns as None, pandas-written files as NaN (an id column with gaps read back as the id "nan" for every gap)."""
    return {k: v for k, v in record.items() if v is not None and not (isinstance(v, float) and math.isnan(v))}


def _refuse_missing_half(given: dict, present: dict, *, path: Any, line: int | None) -> None:
    """A layout whose other column is there but empty (a CSV row `hi,`, an Arrow null) is named as that empty
    column, not as a row with no chat columns at all."""
    for name, fmt in conversation_columns(given).items():
        empty = next((c for c in name.split("/") if c not in present), None)
        if empty is not None:
            raise PicochatInputError(f"empty {empty} (no value) in a {fmt} row", path=path, line=line, field=empty)


def _refuse_undesirable_completion(record: dict, *, path: Any, line: int | None) -> None:
    """A TRL unpaired preference (KTO) row whose label marks its completion undesirable (`row_formats.yaml`)."""
    spec = format_spec()["unpaired_preference"]
    value = record.get(spec["column"])
    shown = value.strip().lower() if isinstance(value, str) else value
    if any(shown is bad or (isinstance(bad, str) and shown == bad) for bad in spec["undesirable"]):
        raise PicochatInputError(f"{spec['column']} {value!r}: an unpaired preference (KTO) row whose completion is marked "
                                 "undesirable; as SFT or eval data it would be taught or scored as the right answer (keep "
                                 "only the rows labelled true)", path=path, line=line, field=spec["column"])


def normalize_row(record: Any, *, path: Any = "<rows>", line: int | None = None, split: str = "train",
                  source: str | None = None, defaults_used: Counter | None = None, nth: int = 1) -> dict:
    """One record in any accepted format -> a validated picochat row (defaults listed in `defaults`). `nth` is the
    record's place among those starting on its line (a one-line JSON array holds them all): the default id of the
    second is `<source>:<line>#2`, so records sharing a line do not share an id."""
    if not isinstance(record, dict):
        raise PicochatInputError(f"expected a JSON object, got {type(record).__name__}", path=path, line=line)
    given = record
    record = present_columns(record)
    refuse_unrendered_columns(record, path=path, line=line)
    fmt = detect_format(record)
    if fmt is None:
        _refuse_missing_half(given, record, path=path, line=line)
        raise PicochatInputError(
            "no chat columns: expected messages, prompt/completion, prompt/chosen/rejected, conversations (ShareGPT) or "
            f"instruction/output (Alpaca) (columns are {', '.join(record) or 'none'})"
            + ("; a text column holds documents, which `train base --documents` and `data shards` read, not "
               "conversations" if "text" in record else ""),
            path=path, line=line, field="messages")
    _refuse_two_conversations(record, path=path, line=line)
    if isinstance(record.get("id"), str) and not record["id"].strip():  # replies, results and leak reports are keyed by it
        raise PicochatInputError("an empty id names no row", path=path, line=line, field="id")
    if fmt == "picochat" and _holds_tool_turns(record["messages"]):
        # `tool_calls` is no key picochat's template reads: kept as is, the turn trained without its call
        record = {**record, "messages": to_picochat_messages(record["messages"], path=path, line=line)}
    if fmt == "picochat":
        if "system" in record and isinstance(record["messages"], list):
            messages = with_system_column(record, record["messages"], path=path, line=line)
            record = {**{k: v for k, v in record.items() if k != "system"}, "messages": messages}
        for i, msg in enumerate(record["messages"] if isinstance(record["messages"], list) else []):
            if isinstance(msg, dict):
                check_message_keys(msg, lambda reason, sub="", i=i: PicochatInputError(
                    reason, path=path, line=line, field=f"messages[{i}]{sub}"))
        row = validate_row(record, path=path, line=line)
        _count_dropped(given, defaults_used)
        return {**row, "messages": [without_dropped_keys(m) for m in row["messages"]]}
    if fmt == "prompt_completion":
        _refuse_undesirable_completion(record, path=path, line=line)
    row = {k: v for k, v in record.items() if k not in FORMAT_COLUMNS[fmt]}
    row["messages"] = _format_messages(fmt, record, path=path, line=line)
    source = source or Path(str(path)).name
    fallback = {"id": (f"{source}:{line}" if line is not None else source) + (f"#{nth}" if nth > 1 else ""), "category": DEFAULT_CATEGORY,
                "skill": DEFAULT_SKILL, "split": split, "source": source}
    defaulted = [k for k in fallback if row.get(k) is None]
    for k in defaulted:
        row[k] = fallback[k]
    row["id"] = record_id(row["id"], row["id"], path, line)
    if defaulted:
        row["defaults"] = defaulted
        if defaults_used is not None:
            defaults_used.update(defaulted)
    if defaults_used is not None:
        defaults_used[f"format:{fmt}"] += 1
    row = validate_row(row, path=path, line=line)
    _count_dropped(given, defaults_used)
    return row


def _count_dropped(record: dict, defaults_used: Counter | None) -> None:
    """Count the message keys nothing reads (`message_keys.dropped_keys`) for the command's report; counted once the
    row is read, so a refused row counts nothing."""
    if defaults_used is not None:
        count_dropped_keys(record, defaults_used)


def iter_rows(path: str | Path, *, split: str = "train", defaults_used: Counter | dict | None = None) -> Iterator[dict]:
    """Normalised rows from a local JSON lines, JSON array, parquet, CSV or Arrow file; errors name the file, line
    and field."""
    from .row_lines import iter_row_lines

    path = Path(path)
    counter = defaults_used if isinstance(defaults_used, Counter) else Counter()
    for _, row in iter_row_lines(path, split=split, defaults_used=counter):
        yield row
    if defaults_used is not None and not isinstance(defaults_used, Counter):
        defaults_used.update(counter)


def normalize_records(records: Iterable[tuple[int, dict]], *, where: str, split: str, source: str,
                      defaults_used: Counter | None = None) -> Iterator[dict]:
    """Normalise (row number, record) pairs from a dataset (Hub, folder or mixture)."""
    for line, record in records:
        yield normalize_row(record, path=where, line=line, split=split, source=source, defaults_used=defaults_used)


def defaults_summary(defaults_used: Counter | dict | None) -> dict[str, Any] | None:
    """{"formats": {...}, "defaulted_fields": {...}} for reports; None when nothing was read."""
    if not defaults_used:
        return None
    formats = {k.split(":", 1)[1]: v for k, v in defaults_used.items() if k.startswith("format:")}
    dropped = {k[len(DROPPED_PREFIX):]: v for k, v in defaults_used.items() if k.startswith(DROPPED_PREFIX)}
    fields = {k: v for k, v in defaults_used.items() if not k.startswith(("format:", DROPPED_PREFIX))}
    return {"formats": dict(sorted(formats.items())), "defaulted_fields": dict(sorted(fields.items())),
            "dropped_message_keys": dict(sorted(dropped.items())),
            "defaults": {"id": "<source>:<line>", "category": DEFAULT_CATEGORY, "skill": DEFAULT_SKILL,
                         "split": "the file's role", "source": "the file or dataset name"}}
