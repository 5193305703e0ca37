"""The checks the release gate runs only when asked (`--regenerate-rows N`: `regenerated:<report>`; `--rescan`:
`honesty_rescanned`), re-checked by what follows from the files without re-running the model or the scan.

Consumers (`verify_release` for report, export and push; `bundle --check`) cannot re-run the released model or
the scan every time, so a recorded pass of those checks is the gate's word. What the files still decide:

- `regenerate_rows` > 0 records one `regenerated:<report>` check per eval, fit and external benchmark report of
  the run, and none
  when it is 0 (a claimed re-run that never ran, or one left out of the verdict, does not follow);
- `regenerate_rows` 0 records one `replies_rerun` check that does not pass (the cap at warn: `approved` means
  the replies were re-run on the released model), and none when rows were re-run;
- a `regenerated:<report>` pass names the rows it re-ran (`rows`), and they are the deterministic sample of the
  report's results.jsonl as it is now (`sample_ids`: a sample drawn from other results, or a check copied from
  another run, does not follow); its value equals its threshold, the sample's size;
- `rescan` records one `honesty_rescanned` check when the run has a honesty report, and none when it is off;
  a pass found as many findings as the honesty report lists (its value and threshold are both that count).

A check whose status is not pass is kept as recorded (it can only make the verdict stricter).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .common import STATUS_ORDER

REGEN, RESCAN, NOT_RERUN = "regenerated:", "honesty_rescanned", "replies_rerun"
DEFAULT_ROWS = 4  # rows `picochat gate release` re-runs per report: a few greedy generations, seconds on tiny models
RUN_ONCE = (REGEN, RESCAN, NOT_RERUN)  # checks that depend on whether the gate re-ran the model or the scan


def sample_ids(results: list[dict], n: int, salt: str) -> list[Any]:
    """`n` result ids: passing rows first, each group in the order of sha256(salt:id)."""
    key = lambda r: (not r.get("passed"), hashlib.sha256(f"{salt}:{r.get('id')}".encode()).hexdigest())  # noqa: E731
    return [r.get("id") for r in sorted(results, key=key)[:n]]


def results_sample(data: bytes | None, n: int) -> list[Any] | None:
    """The ids `--regenerate-rows n` draws from a results.jsonl's bytes (salted with their sha256); None when
    there is no readable file."""
    if data is None:
        return None
    try:
        rows = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not all(isinstance(r, dict) for r in rows):
        return None
    return sample_ids(rows, n, hashlib.sha256(data).hexdigest())


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _regenerated(checks: list[dict], n: int, reports: dict[str, bytes | None]) -> list[str]:
    names = {str(c.get("name")): c for c in checks if str(c.get("name")).startswith(REGEN)}
    expected = {f"{REGEN}{rel}" for rel in reports} if n > 0 else set()
    out = [f"it says it re-ran {n} rows of each eval and fit report but records no {name} check" for name in sorted(expected - set(names))]
    out += [f"it records {name} but says no rows were re-run (regenerate_rows 0)" if n == 0 else
            f"it records {name}, which is no eval or fit report of the run" for name in sorted(set(names) - expected)]
    for name, c in sorted(names.items()):
        if c.get("status") != "pass" or name not in expected:
            continue
        want = results_sample(reports.get(name[len(REGEN):]), n)
        if want is None:
            out.append(f"{name} is recorded pass, but {name[len(REGEN):]} has no readable results.jsonl to re-run")
        elif c.get("rows") != want:
            out.append(f"{name} is recorded pass, but the rows it names are not the sample of {name[len(REGEN):]}'s results "
                       f"({_ids(c.get('rows'))} recorded, {_ids(want)} drawn from the file as it is)")
        elif not (c.get("value") == c.get("threshold") == len(want)):
            out.append(f"{name} is recorded pass with {c.get('value')} of {c.get('threshold')} rows given again, but it re-ran {len(want)}")
    return out


def _not_rerun(checks: list[dict], n: int) -> list[str]:
    found = [c for c in checks if c.get("name") == NOT_RERUN]
    if n == 0 and not found:
        return [f"it says no rows were re-run (regenerate_rows 0) but records no {NOT_RERUN} check"]
    if n > 0 and found:
        return [f"it records {NOT_RERUN} but says {n} rows of each report were re-run"]
    return [f"{NOT_RERUN} is recorded pass, but no rows were re-run (regenerate_rows 0)" for c in found if c.get("status") == "pass"]


def _ids(ids: Any) -> str:
    if not isinstance(ids, list):
        return "none"
    return ", ".join(map(repr, ids[:3])) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


def _rescanned(checks: list[dict], rescan: bool, findings: int | None) -> list[str]:
    found = [c for c in checks if c.get("name") == RESCAN]
    if rescan and findings is not None and not found:
        return ["it says the honesty scan was re-run (rescan) but records no honesty_rescanned check"]
    if not rescan and found:
        return ["it records honesty_rescanned but says the scan was not re-run (rescan false)"]
    return [f"honesty_rescanned is recorded pass with {c.get('value')} findings found again of {c.get('threshold')}, but "
            f"honesty/honesty_report.json lists {findings}" for c in found
            if c.get("status") == "pass" and not (c.get("value") == c.get("threshold") == findings)]


def run_once_problems(release: dict[str, Any], reports: dict[str, bytes | None], findings: int | None) -> list[str]:
    """Sentences naming each recorded re-run check (and re-run setting) of `release` that does not follow from the
    files; empty when all do. `reports`: {eval, fit or external benchmark report (run-relative path): the bytes of
    its results.jsonl, None when it has none} for every such report of the run; `findings`: how many findings the honesty report
    lists (None when the run has none)."""
    checks = [c for c in release.get("checks") or [] if isinstance(c, dict)]
    n, rescan = release.get("regenerate_rows", 0), release.get("rescan", False)
    out = []
    if not _count(n):
        out.append(f"its regenerate_rows {n!r} is not a row count")
        n = 0
    if not isinstance(rescan, bool):
        out.append(f"its rescan {rescan!r} is not true or false")
        rescan = bool(rescan)
    out += [f"{c.get('name')} has status {c.get('status')!r}" for c in checks
            if str(c.get("name")).startswith(RUN_ONCE) and c.get("status") not in STATUS_ORDER]
    return out + _regenerated(checks, n, reports) + _not_rerun(checks, n) + _rescanned(checks, rescan, findings)
