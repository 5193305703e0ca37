"""Import reasoning traces (parquet or JSONL) as SFT rows whose answer is `<reasoning>…</reasoning><answer>…</answer>`.

Input rows are read either through a column mapping (question / trace / answer columns) or from a
`messages` column, where the last user turn is the question and the last assistant turn the response
(the system message and earlier turns are kept before them);
a response of the form `<think>trace</think>answer`, `<Thought>trace</Thought><Output>answer</Output>` or
`<reasoning>trace</reasoning><answer>answer</answer>` is split
into trace and answer (so is such a trace column; beside an answer column, the response after the trace is checked
against the answer, not kept in the trace).

Filters, in order: missing or empty fields, a think/reasoning/answer tag left inside a field, a trace that concludes
with another answer than the row's (`reasoning_checks`), an English filter (share of ASCII letters and of common
English function words), a length budget on trace + answer, and exact deduplication of the normalised
question. Sampling over the rows that pass:

- `first`: the first N rows;
- `random`: a seeded uniform sample of N (bottom-N of a seeded 64-bit hash of each row's position),
  independent of how many rows there are and in one pass;
- `reservoir`: Algorithm R with a seeded generator, one pass, N rows of memory.

Every output row records its source file, row number and the file's sha256.
"""

from __future__ import annotations

import heapq
import json
import math
import random
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import xxhash

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_output_dir, atomic_write_json, atomic_write_text, sha256_file
from ..utils.provenance import provenance
from ..utils.setting_names import old_keywords
from .dedup import first_sighting, refuse_repeated_inputs
from .readers import iter_records
from .row_formats import format_spec
from .row_training import record_trained
from .reasoning_checks import checked_answer, contradiction, has_markup, split_response
from .schema import refuse_unrendered_columns, validate_row

SAMPLING = ("first", "random", "reservoir")
_WORD = re.compile(r"[A-Za-z']+")
STOPWORDS = frozenset(
    "the a an and or of to in is are was were be been it this that for on with as by at from not no but if then so "
    "we you i he she they there their what which who how when why can will would should do does did have has had".split()
)


def english_score(text: str) -> tuple[float, float]:
    """(share of letters that are ASCII, share of words that are common English function words)."""
    letters = [c for c in text if c.isalpha()]
    ascii_share = sum(c.isascii() for c in letters) / len(letters) if letters else 0.0
    words = _WORD.findall(text.lower())
    stop_share = sum(w in STOPWORDS for w in words) / len(words) if words else 0.0
    return ascii_share, stop_share


def is_english(text: str, *, min_ascii: float = 0.95, min_stopwords: float = 0.08) -> bool:
    ascii_share, stop_share = english_score(text)
    if ascii_share < min_ascii:
        return False
    return len(_WORD.findall(text)) < 12 or stop_share >= min_stopwords  # short texts: the ASCII test alone


def _iter_rows(path: Path) -> Iterator[tuple[int, dict]]:
    return iter_records(path, batch_size=512)


def _field(row: dict, name: str, path: Path, line: int, *, numbers: bool = False) -> str | None:
    """The column's text; with `numbers`, a finite number is the text it states (GSM8K-style numeric answers)."""
    if name not in row:
        raise PicochatInputError(f"missing column; columns are {', '.join(map(str, row))}", path=path, line=line, field=name)
    value = row[name]
    if value is None:
        return None
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if not isinstance(value, str):
        raise PicochatInputError(f"expected a string, got {type(value).__name__}", path=path, line=line, field=name)
    return value


def _history(msgs: list[dict]) -> list[dict]:
    """The messages before the traced answer; an earlier answer keeps only its answer part, as reasoning chat
    templates leave earlier reasoning out of the history."""
    out = []
    for m in msgs:
        parts = split_response(m["content"]) if m["role"] == "assistant" and isinstance(m["content"], str) else None
        out.append({**m, "content": parts[1].strip()} if parts else m)
    return out


def _without_reasoning_keys(messages: object) -> tuple[object, str | None]:
    """The messages without their reasoning fields (`reasoning_content`, `thinking`, ...: `row_formats.yaml`), and the
    last message's reasoning, the trace of its answer; earlier reasoning is left out of the history."""
    if not isinstance(messages, list):
        return messages, None
    keys = format_spec()["message_keys"]["reasoning"]
    last = messages[-1] if messages and isinstance(messages[-1], dict) else {}
    reasoning = next((last[k] for k in keys if isinstance(last.get(k), str) and last[k].strip()), None)
    return [{k: v for k, v in m.items() if k not in keys} if isinstance(m, dict) else m for m in messages], reasoning


def _extract(row: dict, path: Path, line: int, cols: dict) -> tuple[str | None, str | None, str | None, str, list[dict]]:
    """(question, trace, answer, the response after the trace when the answer comes from its own column, the
    conversation before the question)."""
    if cols["messages"]:
        from .row_formats import to_picochat_messages, with_system_column

        # any accepted message form (TRL roles, ShareGPT speakers, text parts); the trace is the answer to the user
        # message right before it, never the last user message paired with an earlier turn's answer
        raw, reasoning = _without_reasoning_keys(row.get(cols["messages"]))
        msgs = with_system_column(row, to_picochat_messages(raw, path=path, line=line, field=cols["messages"]),
                                  path=path, line=line)
        if len(msgs) < 2 or [m["role"] for m in msgs[-2:]] != ["user", "assistant"] or not isinstance(msgs[-1]["content"], str):
            raise PicochatInputError("needs a conversation that ends with a user message and its assistant answer (text)",
                                     path=path, line=line, field=cols["messages"])
        user, answer = msgs[-2]["content"], msgs[-1]["content"]
        parts = (reasoning, answer) if reasoning else split_response(answer)
        return (user, *parts, "", _history(msgs[:-2])) if parts else (user, None, answer, "", _history(msgs[:-2]))
    q = _field(row, cols["question"], path, line)
    t = _field(row, cols["trace"], path, line)
    a = _field(row, cols["answer"], path, line, numbers=True) if cols["answer"] else None
    history = _system_column(row, cols, path, line)
    parts = split_response(t) if t is not None else None
    if parts is None:
        return q, t, a, "", history
    if cols["answer"] is None:
        return q, parts[0], parts[1], "", history
    # an answer column beside a `<think>t</think>response` trace: the trace is the think part, and the response
    # after it is checked against the answer column instead of being trained on as reasoning
    return q, parts[0], a, parts[1], history


def _system_column(row: dict, cols: dict, path: Path, line: int) -> list[dict]:
    """The row's `system` column as its system message, as the messages layout reads it (`with_system_column`),
    unless that column is one of the mapped fields."""
    from .row_formats import with_system_column

    if "system" in (cols["question"], cols["trace"], cols["answer"]):
        return []
    return with_system_column(row, [], path=path, line=line)


def _check_options(sample: str, max_rows: int | None, messages_column: str | None, question_column: str | None,
                   trace_column: str | None, answer_column: str | None, inputs: list[str | Path]) -> list[Path]:
    """Refuse an unknown sampling, a sampling without a row count, a missing column mapping or no inputs."""
    if sample not in SAMPLING:
        raise PicochatInputError(f"unknown sampling {sample!r}; expected one of {', '.join(SAMPLING)}", field="sample")
    if sample != "first" and max_rows is None:
        raise PicochatInputError(f"--sample {sample} needs --max-rows", field="max_rows")
    if messages_column is None and (question_column is None or trace_column is None):
        raise PicochatInputError("give --question-column and --trace-column, or --messages-column", field="question_column")
    mapped = [(f, c) for f, c in (("question_column", question_column), ("trace_column", trace_column),
                                  ("answer_column", answer_column)) if c is not None and messages_column is None]
    for i, (name, col) in enumerate(mapped):
        for other, col2 in mapped[:i]:
            if col == col2:  # one column read as two fields would be trained twice in one answer
                raise PicochatInputError(f"column {col!r} is mapped twice (also as --{other.replace('_', '-')})", field=name)
    paths = [Path(p) for p in inputs]
    if not paths:
        raise PicochatInputError("no input files", field="input")
    refuse_repeated_inputs(paths)
    return paths


def _passing_records(paths: list[Path], cols: dict, *, english_only: bool, max_chars: int | None, dedup: bool,
                     drops: Counter[str]) -> Iterator[dict]:
    """Records (q, t, a, file, row) that pass the filters, in input order; reads and drops are counted in `drops`."""
    seen: set[int] = set()
    for path in paths:
        for line, raw in _iter_rows(path):
            drops["read"] += 1
            refuse_unrendered_columns(raw, path=path, line=line)  # the imported row keeps no tool schema
            if record_trained(raw, path=path, line=line, split="train") is not None:  # its own weight 0: not trained
                drops["weight_0"] += 1
                continue
            q, t, a, tail, history = _extract(raw, path, line, cols)
            if not q or not q.strip() or not t or not t.strip() or a is None or not a.strip():
                drops["missing_field"] += 1
                continue
            q, t, a = q.strip(), t.strip(), a.strip()
            if has_markup(t, a, tail, *(m["content"] for m in history if isinstance(m["content"], str))):
                drops["markup_in_text"] += 1
                continue
            if contradiction(q, t, a, tail) is not None:
                drops["answer_contradicts_trace"] += 1
                continue
            if english_only and not is_english(f"{q}\n{t}\n{a}"):
                drops["not_english"] += 1
                continue
            if max_chars is not None and len(t) + len(a) > max_chars:
                drops["over_length_budget"] += 1
                continue
            # the same question continuing another conversation is another prompt
            if dedup and not first_sighting(seen, json.dumps(history, sort_keys=True) + "\n" + q if history else q):
                drops["duplicate_question"] += 1
                continue
            yield {"q": q, "t": t, "a": a, "history": history, "file": str(path), "row": line}


def _sample_records(records: Iterator[dict], sample: str, rows: int | None, seed: int) -> tuple[list[dict], int]:
    """Sample the records (see the module docstring); return the kept records and how many passed the filters."""
    rng = random.Random(seed)
    kept: list[dict] = []
    heap: list[tuple[int, int, dict]] = []  # random: (-key, order, row), a max-heap of the N smallest keys
    n_pass = 0
    for rec in records:
        if sample == "first":
            kept.append(rec)
            if rows is not None and len(kept) >= rows:
                break
        elif sample == "reservoir":
            if len(kept) < rows:
                kept.append(rec)
            else:
                j = rng.randrange(n_pass + 1)
                if j < rows:
                    kept[j] = rec
        else:
            key = xxhash.xxh64_intdigest(f"{seed}:{n_pass}".encode())
            if len(heap) < rows:
                heapq.heappush(heap, (-key, n_pass, rec))
            elif key < -heap[0][0]:
                heapq.heapreplace(heap, (-key, n_pass, rec))
        n_pass += 1
    if sample == "random":
        kept = [rec for _, _, rec in sorted(heap, key=lambda x: x[1])]
    elif sample == "reservoir":
        kept = sorted(kept, key=lambda r: (r["file"], r["row"]))
    return kept, n_pass


def _output_rows(kept: list[dict], hashes: dict[str, str], system_prompt: str | None) -> list[dict]:
    """SFT rows with `<reasoning>…</reasoning><answer>…</answer>` answers and their source provenance."""
    out_rows = []
    for i, rec in enumerate(kept):
        own_system = bool(rec["history"]) and rec["history"][0]["role"] == "system"
        msgs = ([{"role": "system", "content": system_prompt}] if system_prompt and not own_system else []) + rec["history"] + [
            {"role": "user", "content": rec["q"]},
            {"role": "assistant", "content": f"<reasoning>{rec['t']}</reasoning><answer>{rec['a']}</answer>"},
        ]
        row = {"id": f"reasoning-{i:07d}", "messages": msgs, "category": "reasoning", "skill": "reasoning",
               "split": "train", "source": rec["file"], "answer_style": "reasoning", "mixture_profile": "reasoning_import",
               "mixture_component": Path(rec["file"]).name, "mixture_benchmark_profile": "reasoning",
               "source_file": rec["file"], "source_row": rec["row"], "source_sha256": hashes[rec["file"]],
               "reference_answer": rec["a"]}
        checked = checked_answer(rec["a"], rec["q"])  # "The answer is 42." is checked as 42, so a reply of 42 passes
        if checked is not None:
            row["normalized_answer"] = checked
        validate_row(row, path=rec["file"], line=rec["row"], require_provenance=True)
        out_rows.append(row)
    return out_rows


def _write_import(out_dir: Path, out_rows: list[dict], report: dict, *, force: bool) -> None:
    """Write the rows, the report JSON (with the rows' sha256) and its markdown summary."""
    with atomic_output_dir(out_dir, force=force) as tmp:
        from .schema import write_rows

        write_rows(tmp / "reasoning_traces.jsonl", out_rows)
        report["sha256"] = sha256_file(tmp / "reasoning_traces.jsonl")
        atomic_write_json(tmp / "reasoning_import.json", report)
        c = report["counts"]
        md = ["# Reasoning-trace import", "",
              f"- sampling: {report['sample']} (rows {report['rows_requested']}, seed {report['seed']})",
              f"- read {c.get('read', 0)}, passed filters {c['passed_filters']}, kept {c['kept']}",
              f"- dropped: missing field {c.get('missing_field', 0)}, not English {c.get('not_english', 0)}, "
              f"markup in a field {c.get('markup_in_text', 0)}, answer contradicts its trace "
              f"{c.get('answer_contradicts_trace', 0)}, over length budget {c.get('over_length_budget', 0)}, "
              f"duplicate question {c.get('duplicate_question', 0)}",
              f"- English filter: {report['english_filter']}", ""]
        atomic_write_text(tmp / "reasoning_import.md", "\n".join(md))


@old_keywords("data reasoning-import")
def import_reasoning_traces(
    inputs: list[str | Path],
    out_dir: str | Path,
    *,
    question_column: str | None = "question",
    trace_column: str | None = "trace",
    answer_column: str | None = "answer",
    messages_column: str | None = None,
    sample: str = "first",
    max_rows: int | None = None,
    seed: int = 0,
    english_only: bool = False,
    max_chars: int | None = None,
    dedup: bool = True,
    system_prompt: str | None = None,
    force: bool = False,
) -> dict[str, Path]:
    """Import traces; return paths under keys rows (`reasoning_traces.jsonl`), report_json, report_md."""
    paths = _check_options(sample, max_rows, messages_column, question_column, trace_column, answer_column, inputs)
    cols = {"question": question_column, "trace": trace_column, "answer": answer_column, "messages": messages_column}
    drops: Counter[str] = Counter()
    hashes = {str(p): None for p in paths}
    records = _passing_records(paths, cols, english_only=english_only, max_chars=max_chars, dedup=dedup, drops=drops)
    kept, n_pass = _sample_records(records, sample, max_rows, seed)
    if not kept:
        raise PicochatInputError(f"no rows left after filtering ({dict(drops)})", path=paths[0])
    for p in paths:
        hashes[str(p)] = sha256_file(p)
    out_rows = _output_rows(kept, hashes, system_prompt)
    report = {"inputs": [{"path": k, "sha256": v} for k, v in hashes.items()], "columns": cols, "sample": sample,
              "rows_requested": max_rows, "seed": seed, "english_only": english_only, "max_chars": max_chars, "dedup": dedup,
              "system_prompt": system_prompt, "counts": {**dict(drops), "passed_filters": n_pass, "kept": len(out_rows)},
              "english_filter": "share of ASCII letters >= 0.95 and, for texts of 12+ words, share of common English "
                                "function words >= 0.08", "provenance": provenance()}
    out_dir = Path(out_dir)
    _write_import(out_dir, out_rows, report, force=force)
    return {"rows": out_dir / "reasoning_traces.jsonl", "report_json": out_dir / "reasoning_import.json",
            "report_md": out_dir / "reasoning_import.md"}
