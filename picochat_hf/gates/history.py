"""The release gate's own log of its verdicts (`gates/release_history.jsonl`), one line per written verdict.

`gate release --regenerate-rows N` re-runs a random sample of recorded replies; someone who edited replies can
re-run the gate until a sample misses their rows and ship that verdict. Nothing in a run directory can stop the
re-runs, but the gate can keep count: every written verdict appends a line here, the verdict records how many
verdicts on the same weights came before it (`history`), and a fresh draw on weights whose earlier re-runs found
rows that did not give their recorded replies (and blocked) re-runs a larger sample (`sample_rows`), so every try after an
edited row was met costs more rows and is more likely to meet one again. Only a blocking miss counts: under a
profile whose chain severity is warn (research) a miss already keeps the verdict from `approved` only as a warning,
and the default CLI sample stays the same size there.
Consumers (`verify_release`, `bundle --check`) hold a verdict to the log: it must be the log's last line, and
its counts those of the lines before it. A log rewritten along with the verdict is beyond what files can show
(`limits.unverified_records` says so).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_text
from .run_once import REGEN

HISTORY = "gates/release_history.jsonl"
# every other file of a run (train and eval reports, the export and its manifest) is written before any verdict, so
# none can count them: the log is the only record, and deleting it with the verdict leaves no trace
LOG_WORD = (f"that count is the log's word alone: {HISTORY} deleted together with gates/release.json leaves a run whose next "
            "verdict reads as the first, and no other file of the run counts verdicts.")
# verdict_id tells apart two verdicts with the same settings written within one second (created_at has seconds)
FIELDS = ("status", "profile", "regenerate_rows", "sample_seed", "sample_seed_given", "rescan", "verdict_id")


def entry_of(release: dict[str, Any]) -> dict[str, Any]:
    """The log line of a verdict: its settings, its status, the weights it judged and when it ran."""
    # a re-run that met rows the model does not give, and blocked: the try an editor re-draws to get past
    failed = any(str(c.get("name")).startswith(REGEN) and c.get("status") == "block" for c in release.get("checks") or [] if isinstance(c, dict))
    return {"created_at": (release.get("provenance") or {}).get("created_at"), "rerun_failed": failed,
            "weights_sha256": (release.get("checkpoint") or {}).get("weights_sha256"), **{k: release.get(k) for k in FIELDS}}


def parse_history(text: str, path: str | Path = HISTORY) -> list[dict[str, Any]]:
    """The log's lines; a line that is not a JSON object is an error naming the file and line."""
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PicochatInputError(f"line {i}: not JSON ({exc.msg})", path=path) from None
        if not isinstance(obj, dict):
            raise PicochatInputError(f"line {i}: expected a JSON object", path=path)
        out.append(obj)
    return out


def read_history(path: Path) -> list[dict[str, Any]]:
    return parse_history(path.read_text(encoding="utf-8"), path) if path.is_file() else []


def fresh_draw(entry: dict[str, Any]) -> bool:
    n = entry.get("regenerate_rows")
    return isinstance(n, int) and not isinstance(n, bool) and n > 0 and entry.get("sample_seed_given") is False


def summary_of(earlier: list[dict[str, Any]], weights: str | None) -> dict[str, Any]:
    """What a verdict records of the log lines before it: how many verdicts (by status) and fresh draws on its weights."""
    same = [e for e in earlier if e.get("weights_sha256") == weights]
    statuses = [str(e.get("status")) for e in same]
    return {"file": HISTORY, "verdicts_before": len(same), "fresh_draws_before": sum(fresh_draw(e) for e in same),
            "failed_draws_before": sum(e.get("rerun_failed") is True for e in same),
            "before": {s: statuses.count(s) for s in sorted(set(statuses))}}


def sample_rows(asked: int, fresh: bool, summary: dict[str, Any]) -> int:
    """Rows re-run per report: `asked`, times one more than the earlier draws on these weights whose re-run rows did
    not give their recorded replies again (the attack: re-draw until a sample misses the edited rows). A draw from
    a seed given on the command line reproduces an earlier one and stays at `asked`."""
    return asked * (1 + summary["failed_draws_before"]) if fresh and asked > 0 else asked


def append_history(path: Path, release: dict[str, Any]) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write_text(path, text + json.dumps(entry_of(release), sort_keys=True) + "\n")


def history_problems(release: dict[str, Any], history: list[dict[str, Any]]) -> list[str]:
    """Sentences naming why `release` is not the last verdict the log records, with the counts of the lines
    before it; empty when it is."""
    if "history" not in release:
        return ["it records no count of earlier verdicts (history), so how many were drawn before it is unknown"]
    if not history:
        return [f"{HISTORY} is missing or empty, so the verdict is not one the gate logged"]
    last, mine = history[-1], entry_of(release)
    differ = [k for k in mine if last.get(k) != mine[k]]
    if differ:
        return [f"it is not the last verdict {HISTORY} logged ({', '.join(differ[:3])} differ{'s' if len(differ) == 1 else ''})"]
    want = summary_of(history[:-1], mine["weights_sha256"])
    if release.get("history") != want:
        return [f"its history says {_said(release.get('history'))} earlier verdicts on these weights, but {HISTORY} logs {_said(want)}"]
    return []


def _said(summary: Any) -> str:
    if not isinstance(summary, dict):
        return "none"
    before = ", ".join(f"{n} {s}" for s, n in sorted((summary.get("before") or {}).items()))
    return (f"{summary.get('verdicts_before')} ({before or 'none'}; {summary.get('fresh_draws_before')} fresh draws, "
            f"{summary.get('failed_draws_before')} failed)")


def history_sentence(release: dict[str, Any]) -> str:
    """The card's and report's line: which verdict on these weights this is, and what came before it."""
    h = release.get("history")
    if not isinstance(h, dict):
        return "The gate's log of earlier verdicts is not recorded, so how many verdicts were drawn before this one is unknown."
    n = h.get("verdicts_before")
    if not n:
        return f"This is the first verdict the gate logged on these weights ({HISTORY}); {LOG_WORD}"
    before = ", ".join(f"{k} {v}" for k, v in sorted((h.get("before") or {}).items()))
    return (f"This is verdict {n + 1} the gate logged on these weights; before it: {before} ({h.get('fresh_draws_before')} drew a "
            f"fresh sample of rows to re-run, {h.get('failed_draws_before')} blocked on re-run rows that did not give their "
            f"recorded replies) ({HISTORY}); {LOG_WORD}")
