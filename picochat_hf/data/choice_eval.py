"""Pre-tokenised letter-choice evals (`data shards --choice-eval`): each record is a prompt's tokens up to the
answer position, the choice letters, their token ids and the gold letter. The scorer picks the letter whose token the
model ranks highest, so every field that decides which letter counts as right is checked strictly when read."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_text
from .schema import iter_jsonl, refuse_repeated_ids


def letter_token_ids(tokenizer: Any, letters: Iterable[str]) -> list[int]:
    ids = []
    for letter in letters:
        enc = tokenizer.encode(letter, add_special_tokens=False)
        if len(enc) != 1:
            raise PicochatInputError(f"letter {letter!r} is {len(enc)} tokens, not one", field="letters")
        ids.append(enc[0])
    return ids


def choice_eval_record(row: dict, tokenizer: Any) -> dict:
    """The record of one validated row: reading it (`validate_row`, `choice_rows`) already refused an answer that
    chooses another option than `correct_choice`."""
    msgs = row["messages"]
    last_user = max(i for i, m in enumerate(msgs) if m["role"] == "user")
    prompt = tokenizer.apply_chat_template(msgs[: last_user + 1], tokenize=True, add_generation_prompt=True,
                                           return_dict=True)["input_ids"]
    letters = [chr(ord("A") + i) for i in range(len(row["choices"]))]
    gold = row["correct_choice"].strip().upper()  # as the scorer and the row check read it ("b", " B ")
    if gold not in letters:
        raise PicochatInputError(f"correct_choice {row['correct_choice']!r} is not one of {letters}", field="correct_choice")
    return {"id": row["id"], "category": row.get("category"), "tokens": list(prompt), "answer_position": len(prompt) - 1,
            "letters": letters, "letter_token_ids": letter_token_ids(tokenizer, letters), "gold": letters.index(gold)}


def write_choice_eval(rows_path: str | Path, tokenizer: Any, out_path: str | Path) -> int:
    rows_path = Path(rows_path)
    records = []
    from .row_formats import iter_rows

    for row in iter_rows(rows_path, split="eval"):
        if row.get("correct_choice") and row.get("choices"):
            try:
                records.append(choice_eval_record(row, tokenizer))
            except PicochatInputError as exc:
                raise PicochatInputError(exc.reason, path=rows_path, field=f"{exc.field} (row {row['id']})") from None
    if not records:
        raise PicochatInputError("no rows with choices and correct_choice", path=rows_path, field="correct_choice")
    atomic_write_text(out_path, "".join(json.dumps(r) + "\n" for r in records))
    return len(records)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _record_problem(obj: dict) -> tuple[str, str] | None:
    """(field, reason) for a record that could score a letter it does not mean, else None. `true` is an int to Python
    (gold 1: letter B), and two letters sharing a token id would make either one right."""
    for name, typ in (("id", str), ("tokens", list), ("answer_position", int), ("letters", list),
                      ("letter_token_ids", list), ("gold", int)):
        if not isinstance(obj.get(name), typ) or isinstance(obj.get(name), bool):
            return name, f"missing or not a {typ.__name__}"
    if not all(_is_id(t) for t in obj["tokens"]):
        return "tokens", "tokens must be token ids (integers >= 0)"
    if not 0 <= obj["answer_position"] < len(obj["tokens"]):
        return "answer_position", "outside the token list"
    letters, ids = obj["letters"], obj["letter_token_ids"]
    if not all(isinstance(x, str) and x for x in letters) or len(set(letters)) != len(letters):
        return "letters", "letters must be distinct non-empty strings"
    if not all(_is_id(t) for t in ids) or len(set(ids)) != len(ids):
        return "letter_token_ids", "letter_token_ids must be distinct token ids (integers >= 0)"
    if len(letters) != len(ids) or not 0 <= obj["gold"] < len(letters):
        return "gold", "letters, letter_token_ids and gold disagree"
    return None


def _checked_records(path: Path) -> Iterable[tuple[int, dict]]:
    for line, obj in iter_jsonl(path):
        if not isinstance(obj, dict):
            raise PicochatInputError("expected a JSON object", path=path, line=line)
        problem = _record_problem(obj)
        if problem is not None:
            raise PicochatInputError(problem[1], path=path, line=line, field=problem[0])
        yield line, obj


def read_choice_eval(path: str | Path) -> list[dict]:
    """Read and validate a pre-tokenised letter-choice eval file; an id named twice is refused, even for an exact
    copy (results are keyed by id, and a copy's letter would be scored twice)."""
    path = Path(path)
    out = [obj for _, obj in refuse_repeated_ids(_checked_records(path), path)]
    if not out:
        raise PicochatInputError("no rows (empty file)", path=path)
    return out
