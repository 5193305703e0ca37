"""One row-normalising layer: every command that reads chat rows accepts the standard formats.

Accepted record formats (the ones TRL and `datasets` users have), each turned into a picochat row:

- **picochat rows**: `id`, `messages`, `category`, `skill`, `split`, `source` (+ optional fields); kept as is.
- **conversational** (TRL): `{"messages": [...]}` with roles `system`, `user`, `assistant`, `tool` (in any letter
  case; `role_aliases` maps OpenAI's `developer`, Gemini's `model` and OpenAI's legacy `function` result);
  assistant messages may carry `tool_calls` (`[{"type": "function", "function": {"name", "arguments"}}]`) or
  OpenAI's legacy `function_call` (read as its one tool call).
  Content may be a string or a list of `{"type": "text", "text": ...}` parts.
- **prompt/completion** (TRL): `prompt` and `completion`, each a string or a list of messages.
- **ShareGPT**: `{"conversations": [{"from", "value"}]}` (speakers mapped by `row_formats.yaml`, in any
  letter case); `from`/`value`
  messages are accepted in any message list, as TRL's `maybe_convert_to_chatml` does;
- **Alpaca**: `instruction`, `output` (+ optional `input`, `system`, `history` of [user, assistant] pairs);
- **preference** (TRL): `prompt`, `chosen`, `rejected` (or implicit-prompt `chosen`/`rejected` message lists);
  for SFT and evaluation the row is the prompt followed by the chosen answer; DPO reads the triple itself.

A conversation column held as JSON text (a CSV cell, a parquet file written from a CSV) is the list it spells
(`encoded_columns`).

Tool calls use picochat's own tool channel, so the chat template needs no new tokens: an assistant tool call
becomes a `python` part holding `{"name": ..., "arguments": ...}` as JSON (supervised), a `tool` message
becomes a `python_output` part of the same assistant turn right after the call it answers (not supervised), and
the assistant text that follows continues that turn.

Missing picochat fields get documented defaults: `id` = "<source>:<line>", `category` = "general",
`skill` = "general", `split` = the file's role (train for training inputs, eval for evaluation inputs),
`source` = the file (or dataset) name. A row that got any default lists them in `defaults` (never silent),
and `defaults_used` (when passed) counts them per field for the command's report.

A record's own `weight` 0 (or training flag false) leaves it out of training, counted; in a training file a row
must end on an assistant answer (`row_training`). Message lists are read by `chat_messages`, each layout's columns
by `layout_messages`, the YAML by `row_format_spec`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from .chat_messages import holds_tool_turns, to_picochat_messages
from .encoded_columns import decode_message_columns
from .layout_messages import format_messages, preference_triple, with_system_column
from .message_keys import DROPPED_PREFIX, check_message_keys, count_dropped_keys, without_dropped_keys
from .readers import record_id
from .row_format_spec import CHAT_ROLES, FORMATS_FILE, format_spec
from .row_training import DROPPED_FORMAT_PREFIX, DROPPED_ROW_PREFIX, record_trained, refuse_nothing_to_train
from .schema import refuse_unrendered_columns, validate_row

__all__ = ["CHAT_ROLES", "FORMATS_FILE", "format_spec", "to_picochat_messages", "with_system_column", "preference_triple",
           "detect_format", "present_columns", "normalize_row", "iter_rows", "normalize_records", "defaults_summary"]

DEFAULT_CATEGORY = "general"
DEFAULT_SKILL = "general"
FORMATS = ("picochat", "conversational", "prompt_completion", "preference", "sharegpt", "alpaca")
# the record columns each format reads (they are not copied into the row as extra fields)
# the columns of a conversation layout that, beside another layout, are read by neither (`_refuse_stray_layout_columns`)
STRAY_LAYOUT_COLUMNS = ("prompt", "completion", "chosen", "rejected", "instruction", "output")
FORMAT_COLUMNS = {"conversational": ("messages", "system"), "prompt_completion": ("prompt", "completion", "system"),
                  "preference": ("prompt", "chosen", "rejected", "system"), "sharegpt": ("conversations", "system"),
                  "alpaca": ("instruction", "input", "output", "system", "history")}



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
    seen = [_unweighted(format_messages(fmt, record, path=path, line=line)) for fmt in layouts.values()]
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


def present_columns(record: dict) -> dict:
    """The record without missing values: Arrow-backed datasets (parquet, mixtures of several formats) give absent
    columns as None, pandas-written files as NaN (an id column with gaps read back as the id "nan" for every gap)."""
    return {k: v for k, v in record.items() if v is not None and not (isinstance(v, float) and math.isnan(v))}


def _trl_type_hint(record: dict) -> str:
    """TRL's dataset types that hold no answer to train, named as such."""
    if "completions" in record and "labels" in record:
        return ("; prompt/completions/labels is TRL's stepwise supervision (for process reward models): it holds "
                "labelled steps, no answer to train")
    if "prompt" in record and "completion" not in record:
        return "; a prompt alone is TRL's prompt-only type: it holds no answer to train or score against"
    return ""


def _case_hint(record: dict) -> str:
    """A chat column spelled in other letter case (`Messages`): column names are case-sensitive, as in TRL."""
    names = {c for cols in ("chosen/rejected", "messages", "prompt/completion", format_spec()["sharegpt"]["column"],
                            "/".join(format_spec()["alpaca"]["required"])) for c in cols.split("/")}
    cased = [k for k in record if isinstance(k, str) and k not in names and k.lower() in names]
    return f"; column names are case-sensitive: spell {cased[0]!r} as {cased[0].lower()!r}" if cased else ""


def _nested_hint(record: dict) -> str:
    """Rows wrapped in an object (`{"data": [...]}`, read as one column of rows): `datasets` reads them only with
    `field="data"`, which a file path does not say."""
    def row_like(v: Any) -> bool:
        return isinstance(v, dict) and detect_format(present_columns(v)) is not None

    nested = next((k for k, v in record.items() if row_like(v) or (isinstance(v, list) and v and row_like(v[0]))), None)
    return (f"; the rows are nested under {nested!r}: give the list of rows itself (a JSON array or JSON lines)"
            if nested else "")


def _refuse_missing_half(given: dict, present: dict, *, path: Any, line: int | None) -> None:
    """A layout whose other column is there but empty (a CSV row `hi,`, an Arrow null) is named as that empty
    column, not as a row with no chat columns at all."""
    for name, fmt in conversation_columns(given).items():
        empty = next((c for c in name.split("/") if c not in present), None)
        if empty is not None:
            raise PicochatInputError(f"empty {empty} (no value) in a {fmt} row", path=path, line=line, field=empty)


def _refuse_undesirable_completion(record: dict, *, path: Any, line: int | None) -> None:
    """A TRL unpaired preference (KTO) row whose label marks its completion undesirable (`row_formats.yaml`): false,
    0 (an int or pandas' float label column) or a false word in a text cell."""
    spec = format_spec()["unpaired_preference"]
    value = record.get(spec["column"])
    if _says_false(value, spec["undesirable"]):
        raise PicochatInputError(f"{spec['column']} {value!r}: an unpaired preference (KTO) row whose completion is marked "
                                 "undesirable; as SFT or eval data it would be taught or scored as the right answer (keep "
                                 "only the rows labelled true)", path=path, line=line, field=spec["column"])


def _says_false(value: Any, undesirable: list) -> bool:
    """True for a label that means false: the boolean itself, a number equal to 0 (never the boolean true), or one
    of the false words in any letter case and spacing."""
    if isinstance(value, bool):
        return value is False and any(bad is False for bad in undesirable)
    if isinstance(value, (int, float)):
        return any(not isinstance(bad, bool) and isinstance(bad, (int, float)) and value == bad for bad in undesirable)
    if isinstance(value, str):
        return value.strip().lower() in {bad for bad in undesirable if isinstance(bad, str)}
    return False


def _refuse_stray_layout_columns(record: dict, fmt: str, messages: list[dict], *, path: Any, line: int | None) -> None:
    """A column of another layout beside the one read (`completion` beside `messages`, a lone `rejected` beside
    prompt/completion, `output` beside `conversations`) would be carried along unread: the answer it holds never
    trained, or trained as the wrong one. A `prompt` beside a conversation that holds it (ultrachat_200k and no_robots
    repeat the first user message) is the same conversation and is read once."""
    covered = {c for name in conversation_columns(record) for c in name.split("/")}
    for name in STRAY_LAYOUT_COLUMNS:
        value = record.get(name)
        if name in FORMAT_COLUMNS[fmt] or name in covered or value in (None, "", []):
            continue
        if name == "prompt" and _conversation_holds_prompt(value, messages, path=path, line=line):
            continue
        raise PicochatInputError(f"a {name!r} column beside the {fmt} conversation is not read, so what it holds would "
                                 "be dropped" + (" (it is none of the conversation's user messages)" if name == "prompt"
                                                 else "") + "; keep one layout per row", path=path, line=line, field=name)


def _conversation_holds_prompt(value: Any, messages: list[dict], *, path: Any, line: int | None) -> bool:
    """A string prompt that is one of the conversation's user messages, or a message list it opens with."""
    from .layout_messages import _turns

    if isinstance(value, str):
        return any(m["role"] == "user" and m["content"] == value for m in messages)
    turns = _turns(value, "user", path=path, line=line, field="prompt")
    return messages[: len(turns)] == turns


def normalize_row(record: Any, *, path: Any = "<rows>", line: int | None = None, split: str = "train",
                  source: str | None = None, defaults_used: Counter | None = None, nth: int = 1) -> dict | None:
    """One record in any accepted format -> a validated picochat row (defaults listed in `defaults`), or None when
    the record's own `weight` 0 (or training flag false) leaves it out of training (`row_training`; counted in
    `defaults_used` as `dropped_row:<reason>`). `split` is the file's role: in a training file a row must end on an
    assistant answer. `nth` is the record's place among those starting on its line (a one-line JSON array holds
    them all): the default id of the second is `<source>:<line>#2`, so records sharing a line do not share an id."""
    if not isinstance(record, dict):
        raise PicochatInputError(f"expected a JSON object, got {type(record).__name__}", path=path, line=line)
    record = decode_message_columns(record, path=path, line=line)  # a CSV cell holds a message list as JSON text
    dropped = record_trained(record, path=path, line=line, split=split)
    counts: Counter = Counter()  # this row's counts: added to the report's only once the row is read whole
    row = _normalized_row(record, path=path, line=line, split=split, source=source, defaults_used=counts, nth=nth)
    refuse_nothing_to_train(row, record, detect_format(present_columns(record)) or "", path=path, line=line, split=split)
    if dropped is not None:  # a row left out is counted as read and dropped under its format, not as a row used
        fmt = next(k for k in counts if k.startswith("format:")).split(":", 1)[1]
        counts = Counter({DROPPED_ROW_PREFIX + dropped: 1, DROPPED_FORMAT_PREFIX + fmt: 1})
    if defaults_used is not None:
        for key, n in counts.items():
            defaults_used[key] = defaults_used.get(key, 0) + n
    return row if dropped is None else None


def _normalized_row(record: dict, *, path: Any, line: int | None, split: str, source: str | None,
                    defaults_used: Counter | None, nth: int) -> dict:
    """`normalize_row` without the record's own training switch."""
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
               "conversations" if "text" in record else "") + _trl_type_hint(record) + _case_hint(record)
            + _nested_hint(record),
            path=path, line=line, field="messages")
    _refuse_two_conversations(record, path=path, line=line)
    if fmt != "preference":  # chosen/rejected say which answer is wanted; a label marks a lone answer
        _refuse_undesirable_completion(record, path=path, line=line)
    if isinstance(record.get("id"), str) and not record["id"].strip():  # replies, results and leak reports are keyed by it
        raise PicochatInputError("an empty id names no row", path=path, line=line, field="id")
    if fmt == "picochat" and holds_tool_turns(record["messages"]):
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
        if defaults_used is not None:
            defaults_used[f"format:{fmt}"] += 1
        return {**row, "messages": [without_dropped_keys(m) for m in row["messages"]]}
    row = {k: v for k, v in record.items() if k not in FORMAT_COLUMNS[fmt]}
    row["messages"] = format_messages(fmt, record, path=path, line=line)
    _refuse_stray_layout_columns(record, fmt, row["messages"], path=path, line=line)
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
    """Normalise (row number, record) pairs from a dataset (Hub, folder or mixture); rows left out of training
    (`normalize_row`) are skipped."""
    for line, record in records:
        row = normalize_row(record, path=where, line=line, split=split, source=source, defaults_used=defaults_used)
        if row is not None:
            yield row


def defaults_summary(defaults_used: Counter | dict | None) -> dict[str, Any] | None:
    """The report's account of the rows read: `formats` (rows used per format), `rows` (per format: read = used +
    dropped + refused; a refused row stops the command, so a written report counts none), `defaulted_fields` and
    `dropped_message_keys` (of the rows used), `dropped_rows` (per reason); None when nothing was read."""
    if not defaults_used:
        return None
    formats = {k.split(":", 1)[1]: v for k, v in defaults_used.items() if k.startswith("format:")}
    dropped = {k[len(DROPPED_PREFIX):]: v for k, v in defaults_used.items() if k.startswith(DROPPED_PREFIX)}
    rows_left_out = {k[len(DROPPED_ROW_PREFIX):]: v for k, v in defaults_used.items() if k.startswith(DROPPED_ROW_PREFIX)}
    left_out_by_format = {k[len(DROPPED_FORMAT_PREFIX):]: v for k, v in defaults_used.items()
                          if k.startswith(DROPPED_FORMAT_PREFIX)}
    fields = {k: v for k, v in defaults_used.items()
              if not k.startswith(("format:", DROPPED_PREFIX, DROPPED_ROW_PREFIX, DROPPED_FORMAT_PREFIX))}
    rows = {fmt: {"read": formats.get(fmt, 0) + left_out_by_format.get(fmt, 0), "used": formats.get(fmt, 0),
                  "dropped": left_out_by_format.get(fmt, 0), "refused": 0}
            for fmt in sorted({*formats, *left_out_by_format})}
    return {"formats": dict(sorted(formats.items())), "rows": rows, "defaulted_fields": dict(sorted(fields.items())),
            "dropped_message_keys": dict(sorted(dropped.items())), "dropped_rows": dict(sorted(rows_left_out.items())),
            "defaults": {"id": "<source>:<line>", "category": DEFAULT_CATEGORY, "skill": DEFAULT_SKILL,
                         "split": "the file's role", "source": "the file or dataset name"}}
