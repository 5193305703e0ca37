"""The rows files the visible eval and the external benchmarks scored, carried in a bundle, and their verdicts re-judged.

A results file records each row's prompt, but only the rows it scored say which prompts those are: results of another
eval pack of the same size (ids matching by position) re-derive their own numbers and re-judge their own replies.
`gate release` blocks on them (`verdicts:*`, re-judged against the file `config.input` names, which must hash to
`config.input_sha256`). `make_bundle` copies that file of the visible eval and of every external benchmark under
`eval_rows/<report folder>/` (never the SFT file the fits scored: training data stays out of a public result), and
`bundle --check` re-runs the same checks (`verdicts:*`, `eval_rows_whole`, `eval_rows_origin`) on those members, so it
agrees with the gate. A bundled report whose scored file the bundle does not carry (by the hash the report records)
leaves those verdicts the verdict's word, and is a problem: a forger would simply leave the file out. A bundle made
before `eval_rows/` was bundled fails with one sentence saying so and how to bundle the run again (`made_before_rows`).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..eval.scoring import SHIPPED_SCORING
from ..gates.common import Check
from ..gates.evidence import Evidence
from ..gates.release_rows import check_eval_rows_origin, eval_verdict_check, external_verdict_check
from ..gates.verdicts import input_file
from ..run_dir import RunDir
from ..utils.errors import PicochatInputError
from ..utils.io import read_json

ROWS = "eval_rows"
EVAL_REPORT = "eval/eval_report.json"


def _folder(report_rel: str) -> str:
    return f"{ROWS}/{report_rel.rsplit('/', 1)[0]}"


def scored_reports(run: RunDir) -> list[Path]:
    """The reports whose scored rows a bundle carries: the visible eval's and each external benchmark's."""
    return [p for p in (run.eval_report("eval"), *run.external_reports()) if p.is_file()]


def scored_rows_files(run: RunDir) -> tuple[dict[str, Path], list[str]]:
    """({bundle path: file} of the rows each of `scored_reports` scored, [the reports whose file is gone or changed])."""
    files, missing = {}, []
    for report_path in scored_reports(run):
        try:
            config = _config(read_json(report_path))
        except PicochatInputError:
            config = {}  # an unreadable report is the gate's and the bundle check's to name
        found = input_file(run, config)
        rel = run.rel(report_path)
        if isinstance(found, str):
            missing.append(f"rows {rel} scored")
        else:
            files[f"{_folder(rel)}/{found.name}"] = found
    return files, missing


def _config(kept_report: Any) -> dict[str, Any]:
    return kept_report.get("config") if isinstance(kept_report, dict) and isinstance(kept_report.get("config"), dict) else {}


def rows_member(kept: dict[str, bytes], report_rel: str, report: Any) -> str | None:
    """The member under `eval_rows/<report folder>/` that hashes to the report's `config.input_sha256`; None when none does."""
    digest, folder = _config(report).get("input_sha256"), _folder(report_rel) + "/"
    return next((rel for rel, data in sorted(kept.items())
                 if rel.startswith(folder) and digest and hashlib.sha256(data).hexdigest() == digest), None)


def _bundled_reports(kept: dict[str, bytes], read: Any) -> dict[str, Any]:
    """{member: report} of the bundled visible eval and external benchmark reports."""
    rels = [EVAL_REPORT] + sorted(r for r in kept if r.startswith("external_eval/") and r.endswith("/eval_report.json") and r.count("/") == 2)
    return {rel: read(rel) for rel in rels if rel in kept}


def rows_problems(kept: dict[str, bytes], read: Any) -> list[str]:
    """A sentence for each bundled visible eval or external report whose scored rows file the bundle does not carry."""
    out = []
    for rel, report in _bundled_reports(kept, read).items():
        if isinstance(report, dict) and rows_member(kept, rel, report) is None:
            digest = str(_config(report).get("input_sha256") or "none recorded")[:12]
            out.append(f"{rel} scored rows {digest} ({_config(report).get('input')}), which the bundle does not carry under "
                       f"{_folder(rel)}/, so whether its results are about those rows (verdicts:{rel}) is unchecked")
    return out


def made_before_rows(manifest: dict[str, Any], present: dict[str, str], kept: dict[str, bytes], read: Any, bundle: str) -> str | None:
    """One sentence when the bundle was made before `make_bundle` carried `eval_rows/` (it lists and holds no member
    there, names no scored rows as gone, yet carries reports whose verdicts need them): it cannot be verified, and the
    way out is to bundle the run again. None for any other bundle (one missing some rows is `rows_problems`')."""
    listed = [f.get("path") for f in manifest.get("files") or [] if isinstance(f, dict)]
    if any(str(rel).startswith(f"{ROWS}/") for rel in [*listed, *present]):
        return None
    if any(str(m).startswith("rows ") for m in manifest.get("missing_expected") or []):
        return None  # bundled by a picochat that carries eval_rows/, from a run whose scored rows were gone
    reports = [rel for rel, report in _bundled_reports(kept, read).items() if isinstance(report, dict)]
    if not reports:
        return None
    run = manifest.get("run_name") if isinstance(manifest.get("run_name"), str) and manifest.get("run_name") else "RUN_DIR"
    return (f"made before {ROWS}/ was bundled: it carries no rows file that {', '.join(reports)} scored, so their verdicts "
            f"cannot be re-judged and the bundle cannot be verified; re-run `picochat bundle --run-dir {run} --out {bundle} "
            "--force` on the run directory")


def _redirected(report: dict[str, Any], member: Path | None) -> dict[str, Any]:
    """The report with `config.input` naming its bundled rows file (no file when the bundle carries none)."""
    return {**report, "config": {**_config(report), "input": None if member is None else str(member)}}


def rows_checks(ev: Evidence, kept: dict[str, bytes], rules: dict, read: Any) -> list[Check]:
    """`verdicts:*` of the visible eval (under the shipped scorer: a user's scoring file is not bundled) and each external
    benchmark, `eval_rows_whole` and `eval_rows_origin`, as the gate gives them, on the scratch run `ev.run` whose members
    include `eval_rows/`; a report whose rows file is not bundled is left out (the verdict's word). `read(rel)` is a
    member as JSON."""
    out: list[Check] = []
    for rel, report in _bundled_reports(kept, read).items():
        if not isinstance(report, dict):
            continue
        member = rows_member(kept, rel, report)
        redirected = _redirected(report, None if member is None else ev.run.root / member)
        if rel != EVAL_REPORT:
            out += [external_verdict_check(ev.run, rel, redirected, rules)] if member is not None else []
            continue
        if member is not None and _config(report).get("scoring_config") in (None, SHIPPED_SCORING):
            out.append(eval_verdict_check(ev.run, "eval", redirected, rules))
        out += check_eval_rows_origin(replace(ev, evals={**ev.evals, "eval": redirected}), rules, "")
    return out
