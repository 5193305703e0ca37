"""Message keys that change what is trained: honoured (`weight`, training flags that agree) or refused naming the
message, the key and what to do instead (settings: `row_formats.yaml`, `message_keys`). Keys nothing reads (`id`,
`timestamp`, a `name` repeating the role) are dropped from the row and counted per key for the command's report
(`dropped_message_keys`), never dropped silently. A null or empty value says nothing and passes, as Arrow-backed
datasets write every key of every message."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .schema import weight_problem

EMPTY: tuple[Any, ...] = (None, "", [], {})


def _spec() -> dict:
    from .row_formats import format_spec  # row_formats imports this module

    return format_spec()["message_keys"]


def message_weight(msg: dict, fail) -> int:
    """OpenAI fine-tuning's per-message `weight`: 1 (or absent) trains an assistant turn, 0 keeps it as context only;
    anything else is refused (`schema.weight_problem`)."""
    weight = msg.get(_spec()["weight"])
    problem = weight_problem(weight, msg.get("role"))
    if problem:
        raise fail(problem, ".weight")
    return 1 if weight is None else int(weight)


def check_message_keys(msg: dict, fail) -> int:
    """Refuse a message key that changes what is trained and cannot be honoured; returns the message's weight."""
    spec = _spec()
    for key in spec["reasoning"]:
        if msg.get(key) not in (None, ""):
            raise fail("assistant reasoning has no place in picochat's chat template and would be dropped; import it "
                       "with `picochat data reasoning-import --messages-column` (it becomes <reasoning>…</reasoning>)",
                       f".{key}")
    for key in spec["legacy_calls"]:
        if msg.get(key) not in (None, ""):
            raise fail(f"OpenAI's legacy {key} is read on assistant messages only, and this {msg.get('role')!r} message "
                       "would be trained without it; give the call as an assistant message's tool_calls "
                       '([{"type": "function", "function": {"name", "arguments"}}])', f".{key}")
    for key, what in spec["unrendered"].items():
        if msg.get(key) in EMPTY or (key == spec["tool_name_key"] and (msg.get("role") == "tool" or echoes_role(msg))):
            continue
        if key == spec["tool_name_key"]:
            raise fail(_name_reason(msg, what), f".{key}")
        raise fail(f"{key} ({what}) is not rendered by picochat's chat template, so the turn would be trained without "
                   "it; write it into the content or drop the key", f".{key}")
    _check_key_case(msg, fail)
    _check_placed_keys(msg, spec, fail)
    _check_content_alias(msg, spec, fail)
    weight = message_weight(msg, fail)
    _check_training_flags(msg, spec, weight, fail)
    return weight


def _check_training_flags(msg: dict, spec: dict, weight: int, fail) -> None:
    """Another trainer's per-message flag agrees with what picochat trains (an assistant turn of weight 1), or is
    refused: dropped, `"training": false` on an answer trained it all the same."""
    role = msg.get("role")
    trained = role == "assistant" and weight != 0
    for key in spec["training_flags"]:
        value = msg.get(key)
        if value is None:
            continue
        if not isinstance(value, bool):
            raise fail(f"expected true or false, got {value!r}", f".{key}")
        if value != trained:
            raise fail(f"says {key} {str(value).lower()}, but picochat {'trains' if trained else 'does not train'} this "
                       f"{role} message; give an assistant turn kept as context \"weight\": 0 instead", f".{key}")
    for key in spec["partial_training"]:
        if msg.get(key) not in EMPTY:
            raise fail("picochat trains a turn whole, so a span of it cannot be trained alone; split the turn or drop the "
                       "key", f".{key}")
    for key in spec["training_switches"]:
        if msg.get(key) is not None:
            raise fail(f"{key} says how this message is trained, which picochat does not read; say it with \"weight\" (1 "
                       "trains an assistant turn, 0 keeps it as context only) and drop the key", f".{key}")


def _check_key_case(msg: dict, fail) -> None:
    """A read key spelled in other letter case (`Role`, `Content`, `Weight`): keys are case-sensitive in every chat
    template and in TRL, so it would be dropped as an unread key and the message read without it (no role, no text,
    a weight-0 turn trained)."""
    read = _read_keys()
    for key in msg:
        if isinstance(key, str) and key not in read and key.lower() in read and key.lower() not in msg:
            raise fail(f"key {key!r} is not read (keys are case-sensitive, as in TRL and chat templates); spell it "
                       f"{key.lower()!r}", f".{key}")


def _check_content_alias(msg: dict, spec: dict, fail) -> None:
    """A message whose text sits under another key (`text`, `message`) and whose content is empty: it would be read as
    an empty message (or, beside a tool call, trained without its text)."""
    if msg.get("content") not in (None, ""):
        return
    alias = next((k for k in spec["content_aliases"] if isinstance(msg.get(k), str) and msg[k].strip()), None)
    if alias is not None:
        raise fail(f"no content, and the message's text is under {alias!r}, which no chat template reads as the content; "
                   "name the key content", f".{alias}")


def _check_placed_keys(msg: dict, spec: dict, fail) -> None:
    """Keys read on one role only (`tool_calls` on an assistant message, `tool_call_id` on a tool result) were dropped
    on any other, so a user turn's call vanished; ShareGPT's `from`/`value` beside `role` were dropped, keeping one of
    two texts."""
    role = msg.get("role")
    for key, roles in spec["placed"].items():
        if msg.get(key) not in EMPTY and role not in roles:
            raise fail(f"{key} belongs on {' or '.join(roles)} messages and is not read on the {role!r} message here, so "
                       "it would be dropped", f".{key}")
    for key in spec["sharegpt_beside_role"]:
        if "role" in msg and msg.get(key) not in EMPTY:
            raise fail(f"ShareGPT's {key!r} beside 'role': the message holds two layouts and one would be dropped; keep "
                       "role/content or from/value", f".{key}")


def _name_reason(msg: dict, what: str) -> str:
    """Why a message's `name` cannot be kept: OpenAI's few-shot example turns (a system message named
    `example_user`), or a speaker name no template here renders (TRL renders messages through the same template)."""
    name, role = msg.get(_spec()["tool_name_key"]), msg.get("role")
    example = _spec()["example_names"].get(name) if isinstance(name, str) else None
    if example is not None and role in ("system", "developer"):
        return (f"name {name!r} on a {role} message is OpenAI's few-shot convention for an example {example} turn, "
                f"which picochat's chat template would render as system instructions; write it as a {example} message")
    return (f"name {str(name)[:40]!r} ({what}) is not rendered by picochat's chat template (TRL renders messages through "
            "that template too), so two speakers of one role would be trained as one; write the name into the content "
            "or drop the key")


def echoes_role(msg: dict) -> bool:
    """Whether a message's `name` only repeats its role or a ShareGPT speaker of that role ("user", "gpt")."""
    from .row_format_spec import chat_role, format_spec

    name, role = msg.get(_spec()["tool_name_key"]), msg.get("role")
    if not isinstance(name, str) or not isinstance(role, str):
        return False
    spec = format_spec()
    role = chat_role(role)
    speakers = {k for k, v in spec["sharegpt"]["roles"].items() if v == role} | {role}
    speakers |= {k for k, v in spec["role_aliases"].items() if v == role}
    return name.strip().lower() in speakers


@lru_cache(maxsize=1)
def _read_keys() -> frozenset[str]:
    spec = _spec()
    return frozenset(set(spec["read"]) | set(spec["reasoning"]) | set(spec["legacy_calls"]) | set(spec["unrendered"])
                     | set(spec["training_flags"]) | set(spec["partial_training"]) | set(spec["training_switches"])
                     | {spec["weight"]})


def dropped_keys(msg: dict) -> list[str]:
    """The keys of a message that nothing reads (`id`, `timestamp`, a `name` repeating the role): dropped from the row
    and counted in the command's report. A null or empty value says nothing and is not counted."""
    read = _read_keys()
    out = [k for k, v in msg.items() if k not in read and not _says_nothing(v)]
    if len(msg) <= 2 and not out:  # role and content: the common case, nothing more to look at
        return out
    spec = _spec()
    if msg.get("role") != "tool" and not _says_nothing(msg.get(spec["tool_name_key"])) and echoes_role(msg):
        out.append(spec["tool_name_key"])
    if msg.get("role") != "assistant" and msg.get(spec["weight"]) == 0:  # context only, as the role already is
        out.append(spec["weight"])
    return out


def _says_nothing(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)


def count_dropped_keys(record: dict, counter: Any) -> None:
    """Count, per key, the messages of a record's conversation columns carrying a key that is dropped."""
    from .row_format_spec import chat_role, format_spec, speaker_role

    for column in ("messages", format_spec()["sharegpt"]["column"], "prompt", "completion", "chosen", "rejected"):
        value = record.get(column)
        for msg in value if isinstance(value, list) else []:
            if isinstance(msg, dict) and "role" not in msg and isinstance(msg.get("from"), str):
                msg = {**msg, "role": speaker_role(msg["from"])}  # a ShareGPT message, by its speaker's role
            elif isinstance(msg, dict) and "role" in msg:
                msg = {**msg, "role": chat_role(msg["role"])}
            if isinstance(msg, dict):
                counter.update(f"{DROPPED_PREFIX}{k}" for k in dropped_keys(msg))


def without_dropped_keys(msg: dict) -> dict:
    """A picochat row's message without the keys nothing reads."""
    gone = set(dropped_keys(msg))
    return {k: v for k, v in msg.items() if k not in gone} if gone else msg


DROPPED_PREFIX = "dropped_message_key:"


def refuse_completion_turns(completion: Any, *, path: Any, line: int | None) -> None:
    """Refuse a user or system message in a prompt/completion row's completion list: TRL trains every completion
    token, so it would be trained there, while picochat never trains such a turn (the two trainers would learn
    different things from one row)."""
    from ..utils.errors import PicochatInputError
    from .row_format_spec import chat_role, speaker_role

    for i, msg in enumerate(completion if isinstance(completion, list) else []):
        if not isinstance(msg, dict):
            continue
        role = chat_role(msg.get("role")) if "role" in msg else (speaker_role(msg.get("from")) or msg.get("from"))
        if role not in ("assistant", "tool", "tool_call"):
            raise PicochatInputError(f"a {role} message in the completion: TRL trains every completion token and picochat "
                                     "trains assistant turns only; move it into the prompt", path=path, line=line,
                                     field=f"completion[{i}].role")
