"""The row contract shared by task packs, SFT mixtures, reasoning imports and every evaluator.

A row is one JSON object per line, loadable with `datasets.load_dataset("json", data_files=...)`:

- always: `id` (str), `messages` (list of {role, content}; roles system|user|assistant, assistant parts may
  be a list of {type: text|python|python_output, text}; parts with `weight` 0 open a turn as context only: a
  prompt's tool call and its result that a completion continues), `category` (str), `skill` (one of SKILLS),
  `split` (str), `source` (str); `read_rows` also accepts TRL's conversational, prompt/completion and
  preference formats, ShareGPT and Alpaca, and fills missing fields with documented defaults (`row_formats`);
- provenance (required for task-pack rows, optional elsewhere): `answer_style`, `mixture_profile`,
  `mixture_component`, `mixture_benchmark_profile`;
- scoring rules (eval rows): `must_include` (list[str]), `must_include_any` (list[list[str]]),
  `must_not_include` (list[str]), `max_words` (int), `reference_answer` (str), `normalized_answer` (str),
  `choices` (list[str]), `correct_choice` (str letter), `answerable` (bool).

`read_rows` validates every line and raises `PicochatInputError` naming the file, line and field.
"""

from __future__ import annotations

import codecs
import functools
import json
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_text
from ..utils.json_numbers import STRICT_NUMBERS, NonFiniteNumberError, nonfinite_error
from ..utils.json_strings import refuse_lone_surrogates
from .read_once import read_shared

SKILLS = ("identity", "refusal", "choice", "math", "spelling", "reasoning", "general")
ROLES = ("system", "user", "assistant")
PART_TYPES = ("text", "python", "python_output")
# control, format (zero-width spaces and joiners, byte-order mark, direction marks, soft hyphen) and separator
# characters: text made only of them shows nothing
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
REQUIRED_FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "messages": list,
    "category": str,
    "skill": str,
    "split": str,
    "source": str,
}
PROVENANCE_FIELDS = ("answer_style", "mixture_profile", "mixture_component", "mixture_benchmark_profile")
RULE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "must_include": list,
    "must_include_any": list,
    "must_not_include": list,
    "max_words": int,
    "reference_answer": str,
    "normalized_answer": str,
    "choices": list,
    "correct_choice": str,
    "answerable": bool,
}


def validate_row(row: Any, *, path: str | Path = "<rows>", line: int | None = None, require_provenance: bool = False) -> dict:
    """Check one row against the contract; return it unchanged or raise with file, line and field."""

    def fail(msg: str, field: str | None = None) -> PicochatInputError:
        return PicochatInputError(msg, path=path, line=line, field=field)

    if not isinstance(row, dict):
        raise fail(f"expected a JSON object, got {type(row).__name__}")
    refuse_unrendered_columns(row, path=path, line=line)
    for name, typ in REQUIRED_FIELDS.items():
        if name not in row:
            raise fail("missing required field", name)
        if not isinstance(row[name], typ):
            raise fail(f"expected {typ.__name__}, got {type(row[name]).__name__}", name)
    if row["skill"] not in SKILLS:
        raise fail(f"unknown skill {row['skill']!r}; expected one of {', '.join(SKILLS)}", "skill")
    messages = row["messages"]
    if not messages:
        raise fail("must hold at least one message", "messages")
    for i, msg in enumerate(messages):
        _check_message(msg, f"messages[{i}]", fail)
    if not any(m["role"] == "user" for m in messages):
        raise fail("needs a user message", "messages")
    last = max((i for i, m in enumerate(messages) if m["role"] == "assistant"), default=None)
    if last is not None and messages[last].get("weight") == 0:  # fit evals and the scan read it as the row's answer
        raise fail("the last assistant message is the row's answer and must be trained (weight 0 keeps a turn as "
                   "context only; end the conversation at its last trained turn)", f"messages[{last}].weight")
    _check_turn_order(messages, fail)
    if last is not None and last < len(messages) - 1 and is_scored(row):
        # the eval asks the conversation before the last assistant turn and scores the reply with the row's rules
        raise fail("a user turn after the row's last assistant turn is never asked: the eval asks what comes before that "
                   "assistant turn and would score the reply to it with this row's rules (end the row on the assistant "
                   "turn its rules score)", f"messages[{len(messages) - 1}].role")
    if require_provenance:
        for name in PROVENANCE_FIELDS:
            if not isinstance(row.get(name), str):
                raise fail("missing provenance field", name)
    for name, typ in RULE_FIELDS.items():
        value = row.get(name)
        # bool is an int subclass in Python: `"max_words": true` would be read as a limit of 1 word
        if value is not None and (not isinstance(value, typ) or (typ is int and isinstance(value, bool))):
            raise fail(f"expected {typ.__name__}, got {type(value).__name__}", name)
    if "must_include_any" in row and row["must_include_any"] is not None:
        for k, group in enumerate(row["must_include_any"]):
            if not isinstance(group, list) or not all(isinstance(x, str) for x in group):
                raise fail("each group must be a list of strings", f"must_include_any[{k}]")
    if row.get("correct_choice") is not None:
        from .choice_rows import choice_row_problem

        problem = choice_row_problem(row, answer_text(row), prompt_text(row))
        if problem is not None:
            raise fail(problem[1], problem[0])
    return row


def is_scored(row: dict) -> bool:
    """Whether the row is an eval row: its split says so, or it carries a scoring rule."""
    return row.get("split") == "eval" or any(row.get(name) is not None for name in RULE_FIELDS)


def holds_nothing(value: Any) -> bool:
    """A column value that holds nothing: null or NaN (Arrow, pandas), text that is blank or JSON for nothing
    (LLaMA-Factory's ShareGPT writes `tools` as JSON text), an object whose values are all null or blank (Arrow reads
    an absent image as `{"bytes": null, "path": null}`), or a list of nothing but such values."""
    if isinstance(value, str):
        if not value.strip():
            return True
        try:
            parsed = json.loads(value)
        except ValueError:
            return False
        return isinstance(parsed, (list, dict)) and holds_nothing(parsed) or parsed is None
    if isinstance(value, dict):  # keys can name things ({"calc": {}}): only null or blank values make it empty
        return all(v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())
                   for v in value.values())
    if isinstance(value, list):
        return all(holds_nothing(v) for v in value)
    return value is None or (isinstance(value, float) and value != value)


def refuse_unrendered_columns(record: dict, *, path: Any, line: int | None) -> None:
    """Refuse a record with a non-empty column that the answers depend on but no reader renders (`row_formats.yaml`,
    `unrendered_columns`: tool definitions, documents, media): the model would learn to answer about what it was
    never shown."""
    from .row_formats import format_spec

    for name, what in format_spec()["unrendered_columns"].items():
        if name in record and not holds_nothing(record[name]):
            raise PicochatInputError(f"a {name} column ({what}) is not rendered by the chat template, so the model "
                                     f"would be trained on answers that depend on {what} it was never shown; leave it out "
                                     "or put what the model needs into the conversation's text", path=path, line=line,
                                     field=name)


def _check_message(msg: Any, field: str, fail) -> None:
    """One message of a picochat row: role, content (text or assistant parts), weights, no unread call keys."""
    if not isinstance(msg, dict):
        raise fail("expected an object with role and content", field)
    if msg.get("role") not in ROLES:
        raise fail(f"role must be one of {', '.join(ROLES)}, got {msg.get('role')!r}", f"{field}.role")
    content = msg.get("content")
    if isinstance(content, list):
        if msg["role"] != "assistant":
            raise fail("only assistant messages may have parts", f"{field}.content")
        for j, part in enumerate(content):
            if not isinstance(part, dict) or part.get("type") not in PART_TYPES or not isinstance(part.get("text"), str):
                raise fail(f"each part needs type in {PART_TYPES} and a text string", f"{field}.content[{j}]")
        _check_part_weights(content, f"{field}.content", fail, context_turn=msg.get("weight") == 0)
    elif not isinstance(content, str):
        raise fail(f"expected a string, got {type(content).__name__}", f"{field}.content")
    if is_blank(message_text(content)):  # an empty answer would be trained on as the right one
        raise fail(f"empty {msg['role']} message (no text)", f"{field}.content")
    token = special_token_in(message_text(content))
    if token is not None:
        raise fail(f"holds the special token {token}, which the tokenizer reads as the token, not as text: the turn would "
                   "be rendered as other turns than the row shows (write it another way)", f"{field}.content")
    _check_weight(msg, field, fail)
    for key in ("tool_calls", "function_call"):  # no key the chat template reads: the turn would train without it
        if msg.get(key):
            raise fail(f"{key} is not read in a picochat row (the turn would be trained without its call); write the "
                       "call as a python part, or read the row through row_formats", f"{field}.{key}")


@functools.lru_cache(maxsize=1)
def _blank_letters() -> frozenset[str]:
    from .row_formats import format_spec

    return frozenset(format_spec()["blank_characters"])


def is_blank(text: str) -> bool:
    """Whether `text` shows nothing: only whitespace, control, format and separator characters and the blank letters of
    `row_formats.yaml` (Hangul fillers, the empty braille cell). A message of "\u200b" is as empty as one of " "."""
    blank = _blank_letters()
    return all(ch.isspace() or ch in blank or unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in text)


def special_token_in(text: str) -> str | None:
    """The first of picochat's special tokens (`tokenizer.SPECIAL_TOKENS`) that `text` spells, or None."""
    if "<|" not in text:  # no special token without its opening; most text never imports the tokenizer module
        return None
    from ..tokenizer import SPECIAL_TOKENS

    return next((t for t in SPECIAL_TOKENS if t in text), None)


def weight_problem(weight: Any, role: Any) -> str | None:
    """Why a message's `weight` (OpenAI fine-tuning's and axolotl's: 1 trains the turn, 0 keeps it as context only;
    null is absent, as Arrow gives a missing key) cannot be honoured, or None."""
    if weight is None:
        return None
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight not in (0, 1):
        return f"weight {weight!r}: a message is trained (1) or kept as context only (0)"
    if role != "assistant" and weight == 1:  # axolotl's weighted ShareGPT trains a human turn of weight 1
        return (f"weight 1 asks to train this {role} message, but picochat trains assistant turns only; drop the weight "
                "or give 0 (context only, as every non-assistant message is)")
    return None  # 0 on a user, system or tool message says what picochat does: it is context only


def context_parts(content: str | list[dict]) -> int:
    """How many leading parts of an assistant turn are context only (`weight` 0)."""
    if isinstance(content, str):
        return 0
    return next((j for j, part in enumerate(content) if part.get("weight") != 0), len(content))


def _check_part_weights(parts: list[dict], field: str, fail, *, context_turn: bool = False) -> None:
    """Context parts (weight 0) are the turn's opening up to a tool result, followed by a trained answer: the
    masked span is then a prefix of the turn that ends on a special token, and the turn still teaches something."""
    for j, part in enumerate(parts):
        weight = part.get("weight")
        if weight is not None and (isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight not in (0, 1)):
            raise fail(f"weight {weight!r}: a part is trained (1) or kept as context only (0)", f"{field}[{j}].weight")
    k = context_parts(parts)
    late = next((j for j in range(k, len(parts)) if parts[j].get("weight") == 0), None)
    if late is not None:
        raise fail("a context-only part (weight 0) after a trained one: context parts open the turn", f"{field}[{late}].weight")
    if context_turn:  # a turn of weight 0 is context whole, whatever its parts say
        return
    # tool results are never trained: a turn of nothing else would teach only its end token, yet read as an answer
    if is_blank("".join(p["text"] for p in parts[k:] if p["type"] != "python_output")):
        if k:
            raise fail("every part is context only (weight 0) or a tool result: the turn trains nothing",
                       f"{field}[{k - 1}].weight")
        raise fail("only tool results (python_output), which are never trained: the turn trains nothing", field)
    if k == 0:
        return
    if parts[k - 1]["type"] != "python_output":
        raise fail("the context-only parts (weight 0) must end with a tool result (python_output): what follows "
                   "would be trained as if it had seen a result it never got", f"{field}[{k - 1}].weight")


def _check_weight(msg: dict, field: str, fail) -> None:
    problem = weight_problem(msg.get("weight"), msg["role"])
    if problem:
        raise fail(problem, f"{field}.weight")


def _check_turn_order(messages: list[dict], fail) -> None:
    """nanochat's conversation order: an optional system message first, then user and assistant turns in
    turn, starting with the user. The chat template folds a system message into the next user turn (a second
    one would replace the first; one after the last user turn renders nothing) and renders two assistant or
    two user messages in a row as two turns nobody took, so such rows are refused, not trained on."""
    expected = "user"
    for i, msg in enumerate(messages):
        role = msg["role"]
        if role == "system":
            if i != 0:
                raise fail("a system message may only open the conversation", f"messages[{i}].role")
            continue
        if role != expected:
            before = messages[i - 1]["role"] if i else None
            reason = (f"two {role} messages in a row (user and assistant turns alternate)" if before == role
                      else f"expected a {expected} message here (the conversation opens with the user), got {role!r}")
            raise fail(reason, f"messages[{i}].role")
        expected = "assistant" if role == "user" else "user"


class DuplicateKeyError(ValueError):
    """One JSON object names a key twice: Python keeps the last value, other readers the first."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`object_pairs_hook` that refuses a repeated key (`{"reply": "99", "reply": "7"}` would be scored on "7" here
    and shown as "99" by a reader that keeps the first)."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise DuplicateKeyError(key)
        obj[key] = value
    return obj


def too_deep(path: str | Path, line: int | None, field: str | None = None) -> PicochatInputError:
    """JSON nested past what Python's parser recurses through (about 1000 levels) raised a RecursionError, which the
    command line reported as an internal bug; no row or record is that deep."""
    return PicochatInputError("JSON nested too deeply to read (more than about 1000 levels of arrays or objects)",
                              path=path, line=line, field=field)


def duplicate_key_error(exc: DuplicateKeyError, path: str | Path, line: int | None) -> PicochatInputError:
    return PicochatInputError("this key appears twice in one object (readers disagree on which value counts)", path=path,
                              line=line, field=exc.key)


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """Yield (line_number, object) for each non-blank line; malformed JSON names its line."""
    path = Path(path)
    if not path.exists():
        raise PicochatInputError("file not found", path=path)
    from .task_pack import check_task_pack_file  # a half-replaced task pack is never read

    check_task_pack_file(path)
    from .readers import open_binary  # .gz/.bz2/.xz/.zst files are read decompressed

    with open_binary(path) as fh:
        for lineno, raw in decoded_lines(fh, path):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw, object_pairs_hook=unique_keys, **STRICT_NUMBERS)
            except NonFiniteNumberError as exc:
                raise nonfinite_error(exc, raw, path, line=lineno) from None
            except json.JSONDecodeError as exc:
                raise PicochatInputError(f"malformed JSON ({exc.msg} at column {exc.colno})", path=path, line=lineno) from None
            except DuplicateKeyError as exc:
                raise duplicate_key_error(exc, path, lineno) from None
            except RecursionError:
                raise too_deep(path, lineno) from None
            refuse_lone_surrogates(obj, raw, path, lineno)
            yield lineno, obj


def _row_digest(row: dict) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(row, sort_keys=True, ensure_ascii=False, default=repr).encode("utf-8")).hexdigest()


def refuse_repeated_ids(rows: Iterable[tuple[int | None, dict]], path: str | Path, *,
                        copies_allowed: bool = False, unit: str = "line") -> Iterator[tuple[int | None, dict]]:
    """(line, row) pairs as given, refusing a second row under an id already read. Replies, results, regenerated
    rows, split overlap, fit reports and the leak scan are keyed by id, so two rows under one are judged or reported
    as each other; in an eval file even an exact copy is refused (its reply would be scored twice). With
    `copies_allowed` (training files) an exact copy of the first row may repeat its id: repeating a row is how a
    file upweights it, and every report keyed by that id still names the same row. `unit` names what the numbers
    count: a file's lines, or a `datasets` split's rows."""
    first: dict[str, tuple[int | None, str]] = {}
    for line, row in rows:
        rid = row["id"]
        digest = _row_digest(row) if copies_allowed else ""  # only a training file's copies are compared
        if rid in first and not (copies_allowed and first[rid][1] == digest):
            other = "another row" if copies_allowed else "a row"
            raise PicochatInputError(f"duplicate id {rid!r} (first on {unit} {first[rid][0]}): {other} already has it, and "
                                     "rows are matched by id", path=path, line=line, field="id")
        first.setdefault(rid, (line, digest))
        yield line, row


def decoded_lines(fh: Iterable[bytes], path: str | Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of a binary file's lines as UTF-8: a leading byte-order mark is dropped (editors on
    Windows write one), lines may end in LF, CRLF or CR (as in text mode; JSON strings hold no raw CR or LF), and
    bytes that are not UTF-8 name their line."""
    lineno = 0
    for chunk in fh:
        if lineno == 0 and chunk.startswith(codecs.BOM_UTF8):
            chunk = chunk[len(codecs.BOM_UTF8):]
        if b"\r" in chunk:
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = chunk.split(b"\n")
        if len(lines) > 1 and not lines[-1]:
            lines.pop()  # the end of the last line, not a line
        for raw in lines:
            lineno += 1
            try:
                yield lineno, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise PicochatInputError(f"not UTF-8 text ({exc.reason} at byte {exc.start} of the line)", path=path,
                                         line=lineno) from None


def read_rows(path: str | Path, *, require_provenance: bool = False, allow_empty: bool = False, split: str = "train",
              defaults_used: dict | None = None) -> list[dict]:
    """Every row of a JSON lines/JSON array/parquet/CSV/Arrow file, in any accepted format (picochat, TRL
    conversational, prompt/completion, preference, ShareGPT, Alpaca; see `row_formats`), as validated picochat rows. `split` is the default for rows without one;
    `defaults_used` (a dict) receives per-field counts of the defaults filled in. With `require_provenance`
    only complete picochat rows with provenance are accepted (task packs)."""
    def read() -> list[dict]:
        if require_provenance:
            checked = ((ln, validate_row(obj, path=path, line=ln, require_provenance=True)) for ln, obj in iter_jsonl(path))
            rows = [row for _, row in refuse_repeated_ids(checked, path, copies_allowed=split != "eval")]
        else:
            from .row_formats import iter_rows

            if allow_empty and Path(path).is_file() and Path(path).stat().st_size == 0:
                return []
            rows = list(iter_rows(path, split=split, defaults_used=defaults_used))
        if not rows and not allow_empty:
            raise PicochatInputError("no rows (empty file)", path=path)
        return rows

    if defaults_used is not None:  # the counts are filled in by reading
        return read()
    return read_shared(path, (require_provenance, allow_empty, split), read)


def write_rows(path: str | Path, rows: Iterable[dict]) -> Path:
    """Write rows as JSONL atomically."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return atomic_write_text(path, text)


def message_text(content: str | list[dict]) -> str:
    """Flatten an assistant message (string or parts) to plain text."""
    if isinstance(content, str):
        return content
    return "".join(part["text"] for part in content)


def prompt_text(row: dict) -> str:
    """The prompt of the supervised answer: every message before the last assistant turn, joined, and that turn's
    context-only opening (a prompt's tool call and result). Earlier assistant turns are part of it (the answer is
    conditioned on them), so text copied into them is seen by every check that reads the prompt (leak scans, echo
    detection)."""
    msgs = row["messages"]
    last_assistant = max((i for i, m in enumerate(msgs) if m["role"] == "assistant"), default=len(msgs))
    texts = [message_text(m["content"]) for m in msgs[:last_assistant]]
    if last_assistant < len(msgs) and context_parts(msgs[last_assistant]["content"]):
        content = msgs[last_assistant]["content"]
        texts.append(message_text(content[: context_parts(content)]))
    return "\n".join(texts)


def answer_text(row: dict) -> str:
    """The supervised answer: the trained part of the last assistant message as text ('' for prompt-only rows)."""
    for m in reversed(row["messages"]):
        if m["role"] == "assistant":
            content = m["content"]
            return message_text(content[context_parts(content):] if isinstance(content, list) else content)
    return ""
