"""`picochat eval score`: judge replies another system produced (an API model, vLLM, another framework).

`replies.jsonl` holds `{"id": <row id>, "reply": <text>}` per line. Every reply goes through the same rule
engine and result fields as `eval chat` (`rows_eval.judge_generated`); choice rows are judged on their
text (exactly one option letter), since there are no letter logits to read. The output folder has the
same `results.jsonl`, `eval_report.json` and `report.md` as `eval chat`, with the model recorded as the
replies file and its sha256.

Two rows with one id are an input error (one reply would be judged against both). A reply whose id names no
row, or a row with no reply, is an input error naming the file, line and field,
unless `allow_missing`: then a row without a reply counts as failed (`missing: no reply`), replies for
unknown ids are ignored, and the report says how many of each there were.
"""

from __future__ import annotations

from pathlib import Path

from ..data.schema import iter_jsonl, prompt_text
from ..utils.errors import PicochatInputError
from ..utils.io import ensure_can_write, sha256_file
from .report import select_examples, write_report
from .rows_eval import judge_generated, result_record, summarize
from .scoring import load_scoring_config, read_scored_lines
from .scoring_identity import scoring_fields


def read_replies(path: str | Path) -> tuple[dict[str, str], dict[str, int]]:
    """`{id: reply}` and `{id: line}` from a replies JSONL; duplicate ids and bad fields name their line."""
    replies: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, obj in iter_jsonl(path):
        if not isinstance(obj, dict):
            raise PicochatInputError("expected an object with 'id' and 'reply'", path=path, line=line)
        rid, reply = obj.get("id"), obj.get("reply")
        if not isinstance(rid, str) or not rid:
            raise PicochatInputError("expected a non-empty string id", path=path, line=line, field="id")
        if not isinstance(reply, str):
            raise PicochatInputError(f"expected a string, got {type(reply).__name__}", path=path, line=line, field="reply")
        if rid in replies:
            raise PicochatInputError(f"duplicate id {rid!r} (first on line {lines[rid]})", path=path, line=line, field="id")
        replies[rid], lines[rid] = reply, line
    if not replies:
        raise PicochatInputError("no replies (empty file)", path=path)
    return replies, lines


def _unique_rows(path: str | Path) -> list[dict]:
    """The scored rows; two rows with one id are an input error, since one reply would be judged against both."""
    first: dict[str, int] = {}
    rows = read_scored_lines(path)
    for line, row in rows:
        if row["id"] in first:
            raise PicochatInputError(f"duplicate id {row['id']!r} (first on line {first[row['id']]}): replies are matched by id",
                                     path=path, line=line, field="id")
        first[row["id"]] = line
    return [row for _, row in rows]


def run_score_replies(
    rows_path: str | Path,
    replies_path: str | Path,
    out_dir: str | Path,
    *,
    allow_missing: bool = False,
    scoring_config: str | Path | None = None,
    force: bool = False,
    dataset: dict | None = None,
) -> dict:
    """Judge every row's reply from `replies_path`, write the report folder and return the report."""
    ensure_can_write(out_dir, force=force)
    rows = _unique_rows(rows_path)
    replies, lines = read_replies(replies_path)
    cfg = load_scoring_config(scoring_config)
    row_ids = {r["id"] for r in rows}
    extra = [rid for rid in replies if rid not in row_ids]
    missing = [r["id"] for r in rows if r["id"] not in replies]
    if extra and not allow_missing:
        raise PicochatInputError(f"reply for id {extra[0]!r}, which no row of {rows_path} has ({len(extra)} such replies; "
                                 "--allow-missing ignores them)", path=replies_path, line=lines[extra[0]], field="id")
    if missing and not allow_missing:
        raise PicochatInputError(f"no reply for row {missing[0]!r} ({len(missing)} rows without a reply; --allow-missing "
                                 "counts them as failed)", path=replies_path, field="id")
    results = []
    for row in rows:
        if row["id"] in replies:
            results.append(judge_generated(row, replies[row["id"]], cfg))
        else:
            res = result_record(row, prompt_text(row), "", False, ["missing: no reply"])
            res["missing"] = True
            results.append(res)
    report = {
        "kind": "chat",
        "config": {
            "input": str(rows_path),
            "input_sha256": sha256_file(rows_path),
            "dataset": dataset,
            "replies": str(replies_path),
            "replies_sha256": sha256_file(replies_path),
            "allow_missing": allow_missing,
            "missing_replies": len(missing),
            "extra_replies": len(extra),
            "decoding": "external",
            **scoring_fields(scoring_config, cfg),
        },
        "model": {"path": str(replies_path), "sha256": sha256_file(replies_path), "kind": "replies", "model_type": None,
                  "num_parameters": None, "prompt_format": "replies file"},
        "summary": summarize(results),
        "examples": select_examples(results),
    }
    write_report(out_dir, report, results, force=force)
    return report
