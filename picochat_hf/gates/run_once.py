"""The checks the release gate runs only when asked (`--regenerate-rows N`: `regenerated:<report>`; `--rescan`:
`honesty_rescanned`), re-checked by what follows from the files without re-running the model or the scan.

Consumers (`verify_release` for report, export and push; `bundle --check`) cannot re-run the released model or
the scan every time, so a recorded pass of those checks is the gate's word. What the files still decide:

- `regenerate_rows` > 0 records one `regenerated:<report>` check per eval, fit and external benchmark report of
  the run, and none
  when it is 0 (a claimed re-run that never ran, or one left out of the verdict, does not follow);
- `regenerate_rows` 0 records one `replies_rerun` check that does not pass (the cap at warn: `approved` means
  the replies were re-run on the released model), and none when rows were re-run;
- a `regenerated:<report>` pass names the rows it re-ran (`rows`), and they are the sample the recorded
  `sample_seed` draws from the report's results.jsonl as it is now (`sample_ids`: a sample drawn from other
  results or another seed, or a check copied from another run, does not follow); its value equals its
  threshold, the sample's size;
- rows re-run from a seed given on the command line (`sample_seed_given`) record one `sample_seed_chosen`
  check that does not pass (whoever chose the seed could pick one that misses edited rows), and none otherwise;
- `rescan` records one `honesty_rescanned` check when the run has a honesty report, and none when it is off;
  a pass found as many findings as the honesty report lists (its value and threshold are both that count).

A check whose status is not pass is kept as recorded (it can only make the verdict stricter).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import Any

from ..utils.errors import PicochatInputError
from .common import STATUS_ORDER

REGEN, RESCAN, NOT_RERUN, CHOSEN = "regenerated:", "honesty_rescanned", "replies_rerun", "sample_seed_chosen"
DEFAULT_ROWS = 4  # rows `picochat gate release` re-runs per report: a few greedy generations, seconds on tiny models
RUN_ONCE = (REGEN, RESCAN, NOT_RERUN, CHOSEN)  # checks that depend on whether (and how) the gate re-ran the model or the scan
SEED_HEX = re.compile(r"[0-9a-f]{8,64}")


def new_sample_seed() -> str:
    """A seed nobody can know before the gate runs: an editor who pads a results file cannot steer the rows drawn."""
    return secrets.token_hex(16)


def checked_seed(seed: Any) -> str:
    """`seed` when it is 8 to 64 lowercase hex digits (as `new_sample_seed` writes them); else a usage error."""
    if not isinstance(seed, str) or not SEED_HEX.fullmatch(seed):
        raise PicochatInputError(f"expected 8 to 64 lowercase hex digits (the sample_seed a gate report records), got {seed!r}",
                                 field="sample_seed")
    return seed


def sample_salt(seed: str, digest: str) -> str:
    """The salt of a report's sample: the gate's seed, then the results file's sha256 (a changed file draws afresh)."""
    return f"{seed}:{digest}"


def sample_ids(results: list[dict], n: int, salt: str) -> list[Any]:
    """`n` result ids: passing rows first, each group in the order of sha256(salt:id)."""
    key = lambda r: (not r.get("passed"), hashlib.sha256(f"{salt}:{r.get('id')}".encode()).hexdigest())  # noqa: E731
    return [r.get("id") for r in sorted(results, key=key)[:n]]


def results_sample(data: bytes | None, n: int, seed: str) -> list[Any] | None:
    """The ids `--regenerate-rows n` draws under `seed` from a results.jsonl's bytes (`sample_salt`); None when
    there is no readable file."""
    if data is None:
        return None
    try:
        rows = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not all(isinstance(r, dict) for r in rows):
        return None
    return sample_ids(rows, n, sample_salt(seed, hashlib.sha256(data).hexdigest()))


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _regenerated(checks: list[dict], n: int, reports: dict[str, bytes | None], seed: str | None) -> list[str]:
    names = {str(c.get("name")): c for c in checks if str(c.get("name")).startswith(REGEN)}
    expected = {f"{REGEN}{rel}" for rel in reports} if n > 0 else set()
    out = [f"it says it re-ran {n} rows of each eval and fit report but records no {name} check" for name in sorted(expected - set(names))]
    out += [f"it records {name} but says no rows were re-run (regenerate_rows 0)" if n == 0 else
            f"it records {name}, which is no eval or fit report of the run" for name in sorted(set(names) - expected)]
    for name, c in sorted(names.items()):
        if c.get("status") != "pass" or name not in expected:
            continue
        want = results_sample(reports.get(name[len(REGEN):]), n, seed) if seed is not None else None
        if seed is None:
            out.append(f"{name} is recorded pass, but the rows it names are not the sample of {name[len(REGEN):]}'s results "
                       "(the verdict records no sample_seed that draws them)")
        elif want is None:
            out.append(f"{name} is recorded pass, but {name[len(REGEN):]} has no readable results.jsonl to re-run")
        elif c.get("rows") != want:
            out.append(f"{name} is recorded pass, but the rows it names are not the sample of {name[len(REGEN):]}'s results "
                       f"({_ids(c.get('rows'))} recorded, {_ids(want)} drawn by seed {seed} from the file as it is)")
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


def _seed(release: dict[str, Any], checks: list[dict], n: int) -> tuple[str | None, list[str]]:
    """(the recorded sample seed when it is one, sentences naming what the seed settings claim that does not follow)."""
    seed, given = release.get("sample_seed"), release.get("sample_seed_given", False)
    chosen = [c for c in checks if c.get("name") == CHOSEN]
    out = []
    if n == 0:
        out += [f"it records sample_seed {seed!r} but says no rows were re-run"] if seed is not None else []
        return None, out + [f"it records {CHOSEN} but says no rows were re-run" for _ in chosen[:1]]
    if not isinstance(seed, str) or not SEED_HEX.fullmatch(seed):
        out.append(f"its sample_seed {seed!r} is not a seed the gate draws")
        seed = None
    if not isinstance(given, bool):
        out.append(f"its sample_seed_given {given!r} is not true or false")
    elif given and not chosen:
        out.append(f"it says its rows were drawn from a seed given on the command line but records no {CHOSEN} check")
    elif not given and chosen:
        out.append(f"it records {CHOSEN} but says its sample seed was drawn fresh")
    out += [f"{CHOSEN} is recorded pass, but a chosen seed can be picked to miss edited rows" for c in chosen if c.get("status") == "pass"]
    return seed, out


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
    seed, seed_problems = _seed(release, checks, n)
    return out + _regenerated(checks, n, reports, seed) + _not_rerun(checks, n) + seed_problems + _rescanned(checks, rescan, findings)
