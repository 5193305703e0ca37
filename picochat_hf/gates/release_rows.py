"""The release gate's evidence-file checks: every report's numbers follow from its per-row results, its
verdicts follow from the rows it scored, and the visible eval scored every row the run planned."""

from __future__ import annotations

from pathlib import Path

from ..run_dir import RunDir
from ..utils.io import read_json
from .common import Check, check, short
from .common import chain_check as _chain
from .evidence import Evidence
from .verdicts import rejudge, rejudge_external


def _rows_mismatch(report_path: Path, report: dict | None = None) -> str | None:
    """Why a report's numbers do not follow from the results.jsonl beside it; None when they do. `report`: the
    report already read from `report_path`, if it was."""
    from ..export.rederive import read_results_file, rederive

    results = RunDir.results_beside(report_path)
    if not results.is_file():
        return f"has no {results.name} beside it, so its numbers cannot be checked against its rows"
    try:
        mismatches = rederive(report if report is not None else read_json(report_path), read_results_file(results))
    except (ValueError, UnicodeDecodeError) as exc:
        return f"has an unreadable {results.name} ({exc})"
    return f"does not follow from its {results.name}: {'; '.join(mismatches[:3])}" if mismatches else None


def check_eval_rows(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Every eval, fit and external report's numbers are re-derived from its per-row results (a hand-edited
    summary, or one written without its rows, is no evidence)."""
    loaded = {ev.run.eval_report(kind): report for kind, report in ev.evals.items() if report is not None}
    paths = list(loaded) + [ev.run.root / ext["source"] for ext in ev.external if ext["source"].endswith("eval_report.json")]
    out = []
    for path in dict.fromkeys(paths):
        rel, why = ev.run.rel(path), _rows_mismatch(path, loaded.get(path))
        out.append(_chain(f"rows:{rel}", why is None, "re-derived" if why is None else "differs", "numbers follow from the rows",
                          f"{rel}'s numbers follow from its per-row results." if why is None else f"{rel} {why}.", rules))
    return out


def check_eval_verdicts(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Every eval and fit report's per-row verdicts follow from the rows it scored and its scorer (`verdicts.py`)."""
    out = [eval_verdict_check(ev.run, kind, report, rules) for kind, report in ev.evals.items() if report is not None]
    for source in dict.fromkeys(e["source"] for e in ev.external if e["source"].endswith("eval_report.json")):
        out.append(external_verdict_check(ev.run, source, read_json(ev.run.root / source), rules))
    return out


def eval_verdict_check(run: RunDir, kind: str, report: dict, rules: dict) -> Check:
    """`verdicts:<kind>/eval_report.json`: do the `kind` report's per-row verdicts follow from the rows it scored?"""
    rel, why = run.rel(run.eval_report(kind)), rejudge(run, kind, report)
    return _chain(f"verdicts:{rel}", why is None, "re-judged" if why is None else "differs", "verdicts follow from the rows",
                  f"{rel}'s verdicts follow from the rows it scored." if why is None else f"{rel} {why}.", rules)


def external_verdict_check(run: RunDir, source: str, report: dict, rules: dict) -> Check:
    """`verdicts:<source>`: do the external benchmark report's per-row verdicts follow from its benchmark file?"""
    why = rejudge_external(run, run.root / source, report)
    return _chain(f"verdicts:{source}", why is None, "re-judged" if why is None else "differs", "verdicts follow from the rows",
                  f"{source}'s verdicts follow from its benchmark file." if why is None else f"{source} {why}.", rules)


def check_eval_rows_origin(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """The visible eval scored the eval rows the run planned (and its preflight checked), as sft/train_report.json
    records them; an eval of other rows (and a scan of those) is not the run's evidence."""
    planned = ((ev.train.get("sft") or {}).get("inputs") or {}).get("eval_input_sha256")
    if ev.evals.get("eval") is None:
        return []
    whole = _eval_rows_whole(ev, rules)
    if not planned:
        return whole + [check("eval_rows_origin", rules["missing_evidence"], None, "the planned eval rows",
                              "sft/train_report.json records no planned eval rows (inputs.eval_input_sha256), so the eval file "
                              "eval/eval_report.json scored is tied to this run only by the honesty scan.")]
    scored = ((ev.evals["eval"] or {}).get("config") or {}).get("input_sha256")
    ok = scored == planned
    why = (f"eval/eval_report.json scored the eval rows sft/train_report.json planned (sha256 {short(planned)})." if ok else
           f"eval/eval_report.json scored eval rows {short(scored)}, but sft/train_report.json planned (and the preflight "
           f"checked) eval rows {short(planned)}.")
    return whole + [_chain("eval_rows_origin", ok, short(scored), short(planned), why, rules)]


def _eval_rows_whole(ev: Evidence, rules: dict) -> list[Check]:
    """The visible eval scored every row of its eval file: `max_rows` cutting it to its first rows (an easier
    or luckier subsample) is no release evidence. A file that cannot be read is `verdicts:*`'s to report."""
    from ..eval.scoring import read_scored_rows
    from .verdicts import input_file

    config = (ev.evals["eval"] or {}).get("config") or {}
    path = input_file(ev.run, config)
    if isinstance(path, str):
        return []
    try:
        total = len(read_scored_rows(path))
    except (ValueError, UnicodeDecodeError):
        return []
    n = ev.evals["eval"]["summary"]["n"]
    ok = n >= total
    why = (f"eval/eval_report.json scored all {total} rows of its eval file." if ok else
           f"eval/eval_report.json scored {n} of the {total} rows of its eval file (max_rows {config.get('max_rows')}); "
           "a release's visible eval scores every row.")
    return [_chain("eval_rows_whole", ok, n, total, why, rules)]
