"""TRL/ShareGPT message lists as picochat messages: `{from, value}` read as `{role, content}`, text parts joined,
assistant `tool_calls` written as `python` parts and `tool` results as `python_output` parts of the same turn, right
after the call each answers (see `row_formats` for the formats that use it)."""

from __future__ import annotations

import json
from typing import Any

from ..utils.errors import PicochatInputError
from .message_keys import EMPTY, check_message_keys
from .row_format_spec import CHAT_ROLES, chat_role, format_spec, speaker_role
from .schema import DuplicateKeyError, is_blank, unique_keys


def _chatml(msg: Any, fail) -> Any:
    """A message as picochat reads it (other keys kept): ShareGPT `{from, value}` as `{role, content}`, a role another
    format names differently as its chat role (`row_format_spec.chat_role`), OpenAI's legacy `function_call` as
    `tool_calls`; other messages unchanged."""
    if not isinstance(msg, dict):
        return msg
    if "role" not in msg and "from" in msg:
        msg = _from_sharegpt(msg, fail)
    elif "role" in msg and chat_role(msg["role"]) != msg["role"]:
        msg = {**msg, "role": chat_role(msg["role"])}
    return _legacy_call(msg, fail)


def _from_sharegpt(msg: dict, fail) -> dict:
    """A ShareGPT `{from, value}` message as `{role, content}` (speakers in any letter case)."""
    speaker, role = msg["from"], speaker_role(msg["from"])
    if role is None:
        roles = format_spec()["sharegpt"]["roles"]
        raise fail(f"unknown speaker {speaker!r}; expected one of {', '.join(roles)} (in any letter case)", ".from")
    rest = {k: v for k, v in msg.items() if k not in ("from", "value")}
    if role == "tool_call":
        return {"role": "assistant", "content": None, "tool_calls": _sharegpt_calls(msg.get("value"), fail), **rest}
    return {"role": role, "content": msg.get("value"), **rest}


def _legacy_call(msg: dict, fail) -> dict:
    """An assistant message's OpenAI legacy `function_call` (`{"name", "arguments"}`) as its one `tool_calls` entry,
    as TRL and axolotl read legacy function calling; on another role it is refused by `check_message_keys`."""
    key = format_spec()["message_keys"]["legacy_calls"][0]
    call = msg.get(key)
    if call in EMPTY or msg.get("role") != "assistant":
        return msg
    if msg.get("tool_calls") not in EMPTY:
        raise fail(f"holds both tool_calls and OpenAI's legacy {key}; give the call once, as tool_calls", f".{key}")
    if not (isinstance(call, dict) and isinstance(call.get("name"), str)):
        raise fail(f'OpenAI\'s legacy {key} is {{"name": ..., "arguments": ...}}; got {type(call).__name__}', f".{key}")
    rest = {k: v for k, v in msg.items() if k != key}
    return {**rest, "tool_calls": [{"type": "function", "function": {"name": call["name"],
                                                                     "arguments": call.get("arguments", {})}}]}


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


def holds_tool_turns(messages: Any) -> bool:
    """A message list with TRL tool calls or tool results, which picochat rows write as parts, or with a message
    that another format spells differently (a ShareGPT speaker, a role alias, a legacy function call)."""
    return isinstance(messages, list) and any(
        isinstance(m, dict) and (m.get("tool_calls") or m.get("role") == "tool" or _read_differently(m)) for m in messages)


def _read_differently(msg: dict) -> bool:
    """Whether `_chatml` changes the message (or refuses it: `to_picochat_messages` then names why)."""
    try:
        return _chatml(msg, lambda reason, sub="": PicochatInputError(reason)) is not msg
    except PicochatInputError:
        return True


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

