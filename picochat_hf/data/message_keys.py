"""Message keys that change what is trained: honoured (`weight`) or refused naming the message and the key, never
dropped (settings: `row_formats.yaml`, `message_keys`). A null or empty value says nothing and passes, as Arrow-backed
datasets write every key of every message."""

from __future__ import annotations

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
            raise fail("OpenAI's legacy function_call is not read and the turn would be trained without it; give the "
                       'call as tool_calls ([{"type": "function", "function": {"name", "arguments"}}])', f".{key}")
    for key, what in spec["unrendered"].items():
        if msg.get(key) in EMPTY or (msg.get("role") == "tool" and key == spec["tool_name_key"]):
            continue
        raise fail(f"{key} ({what}) is not rendered by picochat's chat template, so the turn would be trained without "
                   "it; write it into the content or drop the key", f".{key}")
    _check_placed_keys(msg, spec, fail)
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
