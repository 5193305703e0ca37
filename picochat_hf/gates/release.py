"""The release gate: may this checkpoint be called a release under a profile, on this evidence?

`run_release_gate` reads the run directory's evidence once (`evidence.load_release_evidence`), runs the small
checks of `release_checks` over it and writes `gates/release.json` and `.md`. Every check records its value,
its threshold and one sentence ("Math failed at 17.5%; release threshold is 30%."); evidence that is not about
the released checkpoint or its data blocks with a sentence naming both sides. The verdict stores the sha256
of every evidence file and of the released weights, so consumers can tell when it went stale (`verify`).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from ..data.read_once import shared_row_reads
from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_json, atomic_write_text
from ..utils.provenance import provenance
from .common import load_profile, render_gate_md, roll_up, summary_line, unique
from .evidence import load_release_evidence
from .history import append_history, read_history, sample_rows, summary_of
from .limits import unverified_records
from .recorded_paths import record_path
from .regenerate import check_regenerated, chosen_seed_check, not_rerun_check
from .release_checks import CHECKS, check_token_budget
from .rescan import check_rescanned
from .run_once import checked_seed, new_sample_seed


def _dedupe(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per check name (the first wins), so no sentence appears twice."""
    seen: set[str] = set()
    out = []
    for c in checks:
        if c["name"] not in seen:
            seen.add(c["name"])
            out.append(c)
    return out


def _sample_seed(regenerate_rows: Any, sample_seed: str | None) -> str | None:
    """The seed that draws the re-run rows: None when none are re-run, the one given, or a fresh one."""
    if isinstance(regenerate_rows, bool) or not isinstance(regenerate_rows, int) or regenerate_rows < 0:
        raise PicochatInputError(f"expected a count >= 0, got {regenerate_rows!r}", field="regenerate_rows")
    if sample_seed is not None and regenerate_rows == 0:
        raise PicochatInputError("a sample seed draws the rows to re-run, but --regenerate-rows is 0", field="sample_seed")
    if regenerate_rows == 0:
        return None
    return new_sample_seed() if sample_seed is None else checked_seed(sample_seed)


def _gate_checks(ev: Any, prof: dict[str, Any], rows: int, seed: str | None, seed_given: bool, rescan: bool) -> list[dict[str, Any]]:
    """Every check of the verdict, in order, without repeats."""
    name, rules = prof["name"], prof["release"]
    checks: list[dict[str, Any]] = []
    for fn in CHECKS:
        checks += fn(ev, rules, name)
    checks += check_token_budget(ev, rules, name, prof["preflight"]["release_token_budget"], bool(prof.get("release_profile")))
    checks += check_regenerated(ev, rules, rows, seed) if seed is not None else [not_rerun_check()]
    if seed is not None and seed_given:
        checks.append(chosen_seed_check(seed))
    if rescan:
        checks += check_rescanned(ev, rules)
    return _dedupe(checks)


def run_release_gate(run_dir: str | Path, profile: str | Path = "skill_release", *, checkpoint: str | Path | None = None,
                     write: bool = True, regenerate_rows: int = 0, rescan: bool = False, sample_seed: str | None = None) -> dict[str, Any]:
    """Judge a run directory under a profile; write gates/release.json and .md (when `write`).

    `checkpoint` is the released checkpoint (default: the run's sft/checkpoint). `regenerate_rows` > 0 re-runs
    the released checkpoint on that many recorded replies of each eval and fit report (`regenerate.py`); at 0
    the verdict is capped at warn (`replies_rerun`), since re-judged replies may be another model's. `rescan`
    re-runs the honesty scan on the files its report names (`rescan.py`). `sample_seed` draws the re-run rows as
    an earlier verdict recorded them (and caps this one at warn); None draws a fresh seed. A written verdict is
    appended to gates/release_history.jsonl and records the verdicts logged before it on the same weights; a fresh
    draw re-runs `regenerate_rows` times one more than the fresh draws logged before it (`history.sample_rows`).
    """
    seed = _sample_seed(regenerate_rows, sample_seed)
    prof = load_profile(profile)
    name = prof["name"]
    ev = load_release_evidence(run_dir, checkpoint)
    # a written verdict is logged; each fresh draw on weights already drawn re-runs more rows (`history.py`)
    history = summary_of(read_history(ev.run.release_history), ev.weights) if write else None
    rows = sample_rows(regenerate_rows, sample_seed is None, history) if history is not None else regenerate_rows
    with shared_row_reads():  # the fits, their re-runs and the re-scan read one SFT file: parse it once
        checks = _gate_checks(ev, prof, rows, seed, sample_seed is not None, rescan)
    status = roll_up(checks, "approved")
    result = {
        "status": status,
        "profile": name,
        "profile_source": prof["source"],
        "exceptions": prof.get("exceptions") or [],
        "summary": summary_line(checks, status),
        "checks": checks,
        "regenerate_rows": rows,
        "regenerate_rows_asked": regenerate_rows,
        "sample_seed": seed,
        "sample_seed_given": seed is not None and sample_seed is not None,
        "rescan": rescan,
        "verdict_id": uuid.uuid4().hex,
        "blocking": unique([c["why"] for c in checks if c["status"] == "block"]),
        "external": ev.external,
        "checkpoint": {"path": record_path(ev.run, ev.checkpoint), "weights_sha256": ev.weights, "tokenizer_sha256": ev.tokenizer},
        "evidence": ev.files,
        "run_dir": str(ev.run.root),
        "provenance": provenance(),
    }
    if history is not None:
        result["history"] = history
    result["unverified"] = unverified_records(result)
    if write:
        append_history(ev.run.release_history, result)  # before the verdict: a try that is never written still counts
        atomic_write_json(ev.run.release, result)
        atomic_write_text(ev.run.release_md, render_gate_md(result, "Release gate"))
    return result
