"""Re-check a release verdict before repeating it: are the gate's evidence files and the released weights
still the ones it judged?

`picochat report`, `export hf` (the card), `bundle` and `push` call `verify_release` and print its sentence;
a verdict whose evidence changed (or gained files it never saw) is `stale`, and export/push refuse a stale
or blocked verdict unless the user explicitly overrides it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..run_dir import RunDir
from ..utils.io import read_json, sha256_file
from ..utils.provenance import input_sha256, weights_sha256
from .evidence import evidence_files


def _listing(paths: list[str], limit: int = 4) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def verify_release(run_dir: str | Path | RunDir | None) -> dict[str, Any]:
    """`{state: current|stale|not_run, status, profile, blocking, exceptions, changed, added, sentence}`."""
    if run_dir is None:
        return {"state": "not_run", "status": "not_run", "profile": None, "blocking": [], "exceptions": [], "changed": [], "added": [],
                "sentence": "No run directory was given, so no release verdict backs this model."}
    run = run_dir if isinstance(run_dir, RunDir) else RunDir(run_dir)
    if not run.release.exists():
        return {"state": "not_run", "status": "not_run", "profile": None, "blocking": [], "exceptions": [], "changed": [], "added": [],
                "sentence": "The release gate has not run (gates/release.json is missing), so nothing here is checked."}
    release = read_json(run.release)
    recorded: dict[str, str] = release.get("evidence") or {}
    now = {run.rel(p): sha256_file(p) for p in evidence_files(run)}
    changed = [rel for rel, digest in recorded.items() if now.get(rel) != digest]
    added = sorted(rel for rel in now if rel not in recorded)
    ckpt = release.get("checkpoint") or {}
    if ckpt.get("path") and ckpt.get("weights_sha256") and weights_sha256(ckpt["path"]) != ckpt["weights_sha256"]:
        changed.append(f"the released weights ({ckpt['path']})")
    if ckpt.get("path") and ckpt.get("tokenizer_sha256") and input_sha256(ckpt["path"]) != ckpt["tokenizer_sha256"]:
        changed.append(f"the released tokenizer ({ckpt['path']}/tokenizer.json)")
    status, profile = release.get("status"), release.get("profile")
    verdict = f"The release verdict ({status} under profile {profile})"
    if changed or added:
        parts = []
        if changed:
            parts.append(f"{_listing(changed)} changed after the gate ran")
        if added:
            parts.append(f"{_listing(added)} appeared after it ran")
        sentence = f"{verdict} is stale: {'; '.join(parts)}. Re-run `picochat gate release --force` before trusting it."
        state = "stale"
    else:
        sentence = f"{verdict} matches its evidence: all {len(recorded)} evidence files and the released weights are unchanged."
        state = "current"
    return {"state": state, "status": status, "profile": profile, "blocking": release.get("blocking") or [],
            "exceptions": release.get("exceptions") or [], "changed": changed, "added": added, "sentence": sentence,
            "evidence": recorded, "checkpoint": ckpt}


def may_publish(verdict: dict[str, Any]) -> tuple[bool, str]:
    """(True, "") when the verdict is current and not blocked, or when no gate ran (the card then says so);
    else (False, the reason in one sentence)."""
    if verdict["state"] == "stale":
        return False, verdict["sentence"]
    if verdict["status"] == "blocked":
        return False, "The release gate is blocked: " + " ".join(verdict["blocking"] or ["see gates/release.json."])
    return True, ""
