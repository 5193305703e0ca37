"""What one record trains, as a whole: its own `weight` or training flag (1 trains it, 0 drops it from training,
counted), and, in a training file, a conversation that ends on the assistant's answer (not on a user message, nor
on a tool result whose answer is missing).

The chat template trains assistant turns only, so a training row with no assistant message trains nothing, and a
user message after the last assistant turn (a truncated conversation) is read by nothing; both are refused naming
the message instead of being dropped at tokenisation or trained as if the conversation were whole. Eval rows are
prompts whose replies are scored, so they may end on the user (`schema.validate_row` checks scored rows).
"""

from __future__ import annotations

import math
from typing import Any

from ..utils.errors import PicochatInputError
from .row_format_spec import format_spec
from .schema import is_scored

DROPPED_ROW_PREFIX = "dropped_row:"
DROPPED_FORMAT_PREFIX = "dropped_format:"  # a row left out, counted under its format
# the raw column a format's conversation comes from, to name the message a refusal points at
CONVERSATION_FIELD = {"picochat": "messages", "conversational": "messages", "prompt_completion": "completion",
                      "preference": "chosen", "alpaca": "output"}


def record_trained(record: dict, *, path: Any, line: int | None, split: str) -> str | None:
    """None when the record is trained as usual, else why it is left out of training ("weight 0", "train false").
    A value that is neither 0 nor 1 (nor false/true for a flag) is refused naming the column; so is leaving out a
    row of an eval file (`split` "eval"), whose rows are all scored."""
    spec = format_spec()["record_training"]
    name = spec["weight"]
    read = {name, *spec["training_flags"], *spec["switches"]}
    for key in record:
        if isinstance(key, str) and key not in read and key.lower() in read and key.lower() not in record:
            raise PicochatInputError(f"column {key!r} is not read (column names are case-sensitive); spell it "
                                     f"{key.lower()!r}", path=path, line=line, field=key)
    said: dict[str, bool] = {}  # column -> whether it says to train the row
    if record.get(name) is not None:
        value = record[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or value not in (0, 1):
            raise PicochatInputError(f"{name} {value!r}: a row is trained (1) or left out of training (0); picochat has no "
                                     "per-row loss scale (repeat an exact copy of the row to upweight it)",
                                     path=path, line=line, field=name)
        said[name] = value == 1
    for flag in spec["training_flags"]:
        if record.get(flag) is not None:
            if not isinstance(record[flag], bool):
                raise PicochatInputError(f"{flag} {record[flag]!r}: a row's training flag is true or false", path=path,
                                         line=line, field=flag)
            said[flag] = record[flag]
    for switch in spec["switches"]:
        if record.get(switch) is not None:
            raise PicochatInputError(f"{switch} is not read: a row is trained or left out by its {name} (1 or 0)",
                                     path=path, line=line, field=switch)
    if len(set(said.values())) > 1:
        shown = " and ".join(f"{k} {record[k]!r}" for k in said)
        raise PicochatInputError(f"{shown} disagree on whether the row is trained", path=path, line=line,
                                 field=next(k for k in said if k != name))
    off = next((k for k, trained in said.items() if not trained), None)
    reason = None if off is None else f"{off} {0 if off == name else 'false'}"
    if reason is not None and split == "eval":
        raise PicochatInputError(f"{reason} on a row of an eval file: every eval row is scored, none is left out; "
                                 "remove the row instead", path=path, line=line, field=reason.split()[0])
    return reason


def refuse_nothing_to_train(row: dict, record: dict, fmt: str, *, path: Any, line: int | None, split: str) -> None:
    """In a training file (`split` "train"), an unscored row must hold an assistant message and end on one: the
    template trains assistant turns only, so a row without one trains nothing and a user message after the last
    one is read by nothing (a conversation cut short)."""
    if split != "train" or is_scored(row):
        return
    field = format_spec()["sharegpt"]["column"] if fmt == "sharegpt" else CONVERSATION_FIELD.get(fmt, "messages")
    messages = row["messages"]
    if not any(m["role"] == "assistant" for m in messages):
        raise PicochatInputError("no assistant message: a training row trains the assistant's answers, so this one would "
                                 "train nothing (give the answer, or put prompt-only rows in an eval file)",
                                 path=path, line=line, field=field)
    raw = record.get(field)
    at = f"{field}[{len(raw) - 1}].role" if isinstance(raw, list) and raw else field
    if messages[-1]["role"] != "assistant":
        raise PicochatInputError(f"the conversation ends on a {messages[-1]['role']} message after its last answer: "
                                 "nothing reads or trains it (a conversation cut short?); end the row on the "
                                 "assistant's answer", path=path, line=line, field=at)
    content = messages[-1]["content"]
    if isinstance(content, list) and content and content[-1].get("type") == "python_output":
        # the tool result is the turn's last part: its end token, trained, would teach ending the turn unanswered
        raise PicochatInputError("the conversation ends on a tool result with no answer after it: the turn would be "
                                 "trained to end right after the result; give the assistant's answer (or put the row "
                                 "in an eval file as a prompt)", path=path, line=line, field=at)
