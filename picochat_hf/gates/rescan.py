"""Is the honesty report the scan of this run's files? Re-run the scan on them (`picochat gate release --rescan`).

The gate checks that the report names this run's eval, SFT and corpus files (by sha256), ran with the shipped
settings and that its counts follow from its findings; a report whose failing findings were deleted (counts
and status made to match), or another run's report with its input hashes edited, passes all of that.
`check_rescanned` finds the files the report names (as recorded, or at the same place under the run
directory; each must still have the recorded sha256), runs `honesty.scan.run_scan` with the shipped settings
and blocks (`release.chain.severity`) when the status, the failing count or the findings (eval row, kind,
severity) differ.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..honesty.config import load_scan_config
from ..honesty.scan import run_scan
from ..run_dir import RunDir
from ..utils.errors import PicochatInputError
from ..utils.provenance import input_sha256
from .common import Check, chain_check, short
from .evidence import Evidence

REL = "honesty/honesty_report.json"


def locate(run: RunDir, recorded: Any, digest: str | None) -> Path | str:
    """The file a report names: as recorded, under the run directory, or at the same place in it (its folder
    and name), with the recorded sha256 when one is given; else why not."""
    if not recorded:
        return "names no file"
    p = Path(str(recorded))
    for candidate in (p, run.root / p, run.root / p.parent.name / p.name):
        if candidate.exists() and (digest is None or input_sha256(candidate) == digest):
            return candidate
    return f"names {recorded}, which is gone" + (f" or no longer hashes to {short(digest)}" if digest else "")


def _inputs(run: RunDir, inputs: dict[str, Any]) -> dict[str, Any] | str:
    hashes = inputs.get("sha256") or {}
    corpus_hashes = hashes.get("corpus") if isinstance(hashes.get("corpus"), dict) else {}
    found: dict[str, Any] = {"eval_path": locate(run, inputs.get("eval"), hashes.get("eval") or "")}
    found["sft_path"] = locate(run, inputs.get("sft"), hashes.get("sft") or "") if inputs.get("sft") else None
    found["corpus_paths"] = [locate(run, c, corpus_hashes.get(c) or "") for c in inputs.get("corpus") or []]
    found["generated_paths"] = [locate(run, g, None) for g in inputs.get("generated") or []]
    for value in [found["eval_path"], found["sft_path"], *found["corpus_paths"], *found["generated_paths"]]:
        if isinstance(value, str):
            return f"its input {value}"
    return found


def _findings(report: dict[str, Any]) -> Counter:
    return Counter((str(f.get("eval_id")), str(f.get("kind")), str(f.get("severity")))
                   for f in report.get("findings") or [] if isinstance(f, dict))


def _difference(recorded: dict[str, Any], again: dict[str, Any]) -> str | None:
    said = (recorded.get("status"), (recorded.get("counts") or {}).get("eval_prompts_failing"))
    now = (again["status"], again["counts"]["eval_prompts_failing"])
    lost, gained = _findings(again) - _findings(recorded), _findings(recorded) - _findings(again)
    if said == now and not lost and not gained:
        return None
    parts = [f"it says {said[0]} with {said[1]} failing eval prompts, the scan gives {now[0]} with {now[1]}"]
    if lost:
        eid, kind, sev = next(iter(sorted(lost)))
        parts.append(f"{sum(lost.values())} findings are missing from it (first: {kind} on {eid}, {sev})")
    if gained:
        eid, kind, sev = next(iter(sorted(gained)))
        parts.append(f"{sum(gained.values())} it lists are not found again (first: {kind} on {eid}, {sev})")
    return "; ".join(parts)


def check_rescanned(ev: Evidence, rules: dict) -> list[Check]:
    """One `honesty_rescanned` check: the recorded scan against the scan re-run on the files it names."""
    if ev.honesty is None:
        return []
    found = _inputs(ev.run, ev.honesty.get("inputs") or {})
    if isinstance(found, str):
        return [chain_check("honesty_rescanned", False, None, "the same findings", f"{REL} cannot be re-scanned: {found}.", rules)]
    try:
        again = run_scan(**found, config=load_scan_config(), show_progress=False)
    except (PicochatInputError, OSError, ValueError) as exc:
        return [chain_check("honesty_rescanned", False, None, "the same findings", f"{REL} cannot be re-scanned ({exc}).", rules)]
    differs = _difference(ev.honesty, again)
    why = (f"Re-running the honesty scan on the files {REL} names gives its status and findings again ({again['status']}, "
           f"{len(again['findings'])} findings)." if differs is None else
           f"{REL} is not the scan of the files it names: {differs}.")
    return [chain_check("honesty_rescanned", differs is None, len(again["findings"]), len(ev.honesty.get("findings") or []), why, rules)]
