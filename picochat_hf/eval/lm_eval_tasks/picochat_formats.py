"""Readers for local multiple-choice benchmark files: ARC, MMLU (JSONL) and MMLU (headerless CSV).

Standard library only (plus `datasets` inside `load_local`), because lm-eval loads this file straight from
the task folder (`custom_dataset: !function picochat_formats.load_local`) in environments where
picochat_hf itself may not be installed. picochat_hf's external eval uses the same readers, so both
scorers see identical questions.

Every reader returns canonical records
`{"id", "question", "choices": [text, ...], "labels": [label, ...], "gold": int, "subject": str}` and
raises `ChoiceFormatError` naming the file, line and field of the first bad row.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

FORMATS = ("arc", "mmlu", "mmlu_csv", "auto")
LETTERS = "ABCDEFGHIJ"


class ChoiceFormatError(ValueError):
    def __init__(self, message: str, *, path: str | Path, line: int | None = None, field: str | None = None):
        self.path, self.line, self.field, self.reason = str(path), line, field, message
        where = self.path if line is None else f"{self.path}:{line}"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


def _json_records(path: Path) -> list[tuple[int, Any]]:
    text = path.read_text(encoding="utf-8-sig")  # a leading byte-order mark (editors on Windows) is no JSON
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ChoiceFormatError(f"malformed JSON ({exc.msg})", path=path, line=exc.lineno) from None
        return [(i + 1, obj) for i, obj in enumerate(data)]
    out = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            try:
                out.append((lineno, json.loads(raw)))
            except json.JSONDecodeError as exc:
                raise ChoiceFormatError(f"malformed JSON ({exc.msg} at column {exc.colno})", path=path, line=lineno) from None
    return out


def detect_format(path: str | Path) -> str:
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return "mmlu_csv"
    records = _json_records(path)
    if not records:
        raise ChoiceFormatError("no rows (empty file)", path=path)
    first = records[0][1]
    if isinstance(first, dict) and "answerKey" in first:
        return "arc"
    if isinstance(first, dict) and ("answer" in first or "target" in first):
        return "mmlu"
    raise ChoiceFormatError("cannot tell the format (no 'answerKey', 'answer' or 'target'); pass --format", path=path, line=records[0][0])


def _gold_index(key: Any, labels: list[str], *, path: Path, line: int, field: str, int_is_index: bool) -> int:
    """Index of the answer key. ARC keys are labels (`int_is_index=False`): "B", "2" and the integer 2 all
    go through the labels first, so labels 1-4 with key 2 mean the second option, never index 2. MMLU keys
    may be a 0-based int index (`int_is_index=True`) or a letter."""
    if isinstance(key, bool) or key is None or (isinstance(key, str) and not key.strip()):
        raise ChoiceFormatError("missing answer key", path=path, line=line, field=field)
    if isinstance(key, int) and int_is_index:
        if 0 <= key < len(labels):
            return key
        raise ChoiceFormatError(f"answer index {key} out of range for {len(labels)} choices", path=path, line=line, field=field)
    if isinstance(key, float) or not isinstance(key, (int, str)):
        raise ChoiceFormatError(f"answer key must be a label, got {key!r}", path=path, line=line, field=field)
    key = str(key).strip()
    if key in labels:
        return labels.index(key)
    upper = key.upper()
    if upper in LETTERS[: len(labels)] and not any(lab.isalpha() for lab in labels):
        return LETTERS.index(upper)  # a letter key for numeric labels: A is the first option
    if upper in labels:
        return labels.index(upper)
    raise ChoiceFormatError(f"answer key {key!r} is not one of the labels {labels}", path=path, line=line, field=field)


def _check_choices(choices: Any, *, path: Path, line: int, field: str) -> list[str]:
    if not isinstance(choices, list) or len(choices) < 2:
        raise ChoiceFormatError("needs a list of at least 2 choices", path=path, line=line, field=field)
    if len(choices) > len(LETTERS):
        raise ChoiceFormatError(f"at most {len(LETTERS)} choices are supported", path=path, line=line, field=field)
    for k, c in enumerate(choices):
        if not isinstance(c, (str, int, float)) or not str(c).strip():
            raise ChoiceFormatError("choice text must be a non-empty string", path=path, line=line, field=f"{field}[{k}]")
    return [str(c) for c in choices]


def read_arc(path: str | Path) -> list[dict]:
    """ARC rows: HF `{"question", "choices": {"text", "label"}, "answerKey"}` or the original
    `{"question": {"stem", "choices": [{"text", "label"}]}, "answerKey"}`; labels A–E or 1–5."""
    path = Path(path)
    out = []
    for line, obj in _json_records(path):
        if not isinstance(obj, dict):
            raise ChoiceFormatError("expected a JSON object", path=path, line=line)
        q = obj.get("question")
        choices = obj.get("choices")
        if isinstance(q, dict):  # original AI2 release
            choices = q.get("choices", choices)
            q = q.get("stem")
        if not isinstance(q, str) or not q.strip():
            raise ChoiceFormatError("missing question text", path=path, line=line, field="question")
        if isinstance(choices, dict):
            texts, labels = choices.get("text"), choices.get("label")
            if not isinstance(labels, list) or not isinstance(texts, list) or len(labels) != len(texts):
                raise ChoiceFormatError("choices needs equal-length 'text' and 'label' lists", path=path, line=line, field="choices")
        elif isinstance(choices, list) and choices and all(isinstance(c, dict) for c in choices):
            texts, labels = [c.get("text") for c in choices], [c.get("label") for c in choices]
        elif isinstance(choices, list):
            texts, labels = choices, list(LETTERS[: len(choices)])
        else:
            raise ChoiceFormatError("missing choices", path=path, line=line, field="choices")
        texts = _check_choices(texts, path=path, line=line, field="choices")
        labels = [str(lab).strip() for lab in labels]
        if len(set(labels)) != len(labels):
            raise ChoiceFormatError(f"duplicate labels {labels}", path=path, line=line, field="choices.label")
        if "answerKey" not in obj:
            raise ChoiceFormatError("missing answer key", path=path, line=line, field="answerKey")
        gold = _gold_index(obj["answerKey"], labels, path=path, line=line, field="answerKey", int_is_index=False)
        out.append(
            {
                "id": str(obj.get("id", f"line{line}")),
                "question": q.strip(),
                "choices": texts,
                "labels": labels,
                "gold": gold,
                "subject": str(obj.get("subject") or obj.get("category") or "arc"),
            }
        )
    if not out:
        raise ChoiceFormatError("no rows (empty file)", path=path)
    return out


def read_mmlu(path: str | Path) -> list[dict]:
    """MMLU JSONL: `{"question", "choices": [...], "answer": 0-based int | letter}` (HF cais/mmlu) or
    `{"question", "A", "B", "C", "D", "answer"|"target"}`."""
    path = Path(path)
    out = []
    for line, obj in _json_records(path):
        if not isinstance(obj, dict):
            raise ChoiceFormatError("expected a JSON object", path=path, line=line)
        q = obj.get("question")
        if not isinstance(q, str) or not q.strip():
            raise ChoiceFormatError("missing question text", path=path, line=line, field="question")
        if "choices" in obj:
            texts = _check_choices(obj["choices"], path=path, line=line, field="choices")
        else:
            present = [letter for letter in LETTERS if letter in obj]
            if len(present) < 2 or present != list(LETTERS[: len(present)]):
                raise ChoiceFormatError("needs 'choices' or option fields A, B, C, ...", path=path, line=line, field="choices")
            texts = _check_choices([obj[letter] for letter in present], path=path, line=line, field="A")
        field = "answer" if "answer" in obj else "target"
        if field not in obj:
            raise ChoiceFormatError("missing answer key", path=path, line=line, field="answer")
        key = obj[field]
        if isinstance(key, str) and key.strip().isdigit():
            key = int(key.strip())
        labels = list(LETTERS[: len(texts)])
        gold = _gold_index(key, labels, path=path, line=line, field=field, int_is_index=True)
        out.append(
            {
                "id": str(obj.get("id", f"line{line}")),
                "question": q.strip(),
                "choices": texts,
                "labels": labels,
                "gold": gold,
                "subject": str(obj.get("subject") or "mmlu"),
            }
        )
    if not out:
        raise ChoiceFormatError("no rows (empty file)", path=path)
    return out


def read_mmlu_csv(path: str | Path) -> list[dict]:
    """The original MMLU CSV: no header, columns question, A, B, C, D, answer letter. The subject is the
    file name without a trailing `_test`/`_dev`/`_val`."""
    path = Path(path)
    subject = path.stem
    for suffix in ("_test", "_dev", "_val"):
        subject = subject.removesuffix(suffix)
    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:  # a byte-order mark would start the first question
        for line, cols in enumerate(csv.reader(fh), start=1):
            if not cols or not any(c.strip() for c in cols):
                continue
            if len(cols) != 6:
                raise ChoiceFormatError(f"expected 6 columns (question, A, B, C, D, answer), got {len(cols)}", path=path, line=line)
            texts = _check_choices(cols[1:5], path=path, line=line, field="A-D")
            gold = _gold_index(cols[5], list("ABCD"), path=path, line=line, field="answer", int_is_index=False)
            if not cols[0].strip():
                raise ChoiceFormatError("missing question text", path=path, line=line, field="question")
            out.append({"id": f"{subject}-{line}", "question": cols[0].strip(), "choices": texts, "labels": list("ABCD"), "gold": gold, "subject": subject})
    if not out:
        raise ChoiceFormatError("no rows (empty file)", path=path)
    return out


def read_choice_file(path: str | Path, fmt: str = "auto") -> list[dict]:
    path = Path(path)
    if not path.exists():
        raise ChoiceFormatError("file not found", path=path)
    if fmt not in FORMATS:
        raise ChoiceFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}", path=path, field="format")
    if fmt == "auto":
        fmt = detect_format(path)
    return {"arc": read_arc, "mmlu": read_mmlu, "mmlu_csv": read_mmlu_csv}[fmt](path)


def load_local(**kwargs: Any):
    """lm-eval `custom_dataset` hook: a DatasetDict with one `test` split of canonical records.

    The file comes from `data_file` in the task's `dataset_kwargs` (relative paths are relative to this
    folder), or from the metadata key named by `file_key` (`--metadata '{"arc_file": "x.jsonl"}'`), or from
    the environment variable `PICOCHAT_<FILE_KEY>`.
    """
    import datasets

    fmt = kwargs.get("fmt", "auto")
    data_file = kwargs.get("data_file")
    file_key = kwargs.get("file_key")
    if data_file is None and file_key:
        data_file = kwargs.get(file_key) or os.environ.get(f"PICOCHAT_{file_key.upper()}")
    if not data_file:
        raise ValueError(f"no data file: pass --metadata '{{\"{file_key}\": \"path/to/file\"}}' or set PICOCHAT_{str(file_key).upper()}")
    path = Path(data_file)
    if not path.is_absolute() and not path.exists():
        path = Path(__file__).resolve().parent / path
    records = read_choice_file(path, fmt)
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(records)})
