"""Re-check a release verdict before repeating it: are the gate's evidence files and the released weights
still the ones it judged, and does the verdict still follow from them when the gate is re-run?

`picochat report`, `export hf` (the card), `bundle` and `push` call `verify_release` and print its sentence;
a verdict whose evidence changed (or gained files it never saw) is `stale`, and export/push refuse a stale
or blocked verdict unless the user explicitly overrides it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..run_dir import EVAL_KINDS, RunDir
from ..utils.io import read_json, sha256_file
from ..utils.provenance import input_sha256, tensors_differ, weights_sha256
from ..utils.tokenizer_identity import legacy_tokenizer_note
from .common import STATUS_ORDER, roll_up
from .evidence import evidence_files
from .history import history_problems, read_history
from .recorded_paths import judged_checkpoint
from .run_once import NOT_RERUN, RUN_ONCE, run_once_problems


def checkpoint_elsewhere(run: RunDir, release: dict[str, Any]) -> str | None:
    """Why the checkpoint a verdict names is not this run's model, or None. A gates/release.json copied in from another
    run names that run's checkpoint, which hashes as it did, so the verdict read as current over weights it never
    judged; a checkpoint outside the run folder stands for it only when it holds this run's released tensors. The
    path is read as this run names it (`judged_checkpoint`): a copied or moved run's own checkpoint is inside it."""
    named = judged_checkpoint(run, release)
    own = run.released_checkpoint
    if named is None or not weights_sha256(own) or not named.is_dir():
        return None  # no weights here to compare: the recorded hashes decide (a gone checkpoint is a change)
    if named.resolve().is_relative_to(run.root.resolve()) or weights_sha256(named) == weights_sha256(own):
        return None
    differ = tensors_differ(named, own)
    if differ is None:
        return None
    return (f"it judged the checkpoint {named} (weights {str(weights_sha256(named))[:12]}), outside this run, and this run's "
            f"{run.rel(own)} holds weights {str(weights_sha256(own))[:12]} ({differ}): the verdict is about another model")


def run_weights(run: RunDir, release: dict[str, Any]) -> tuple[str | None, Path]:
    """(the weights the run stands for, the folder they were hashed in), hashed where they are present: the
    checkpoint the verdict `release` names when it lies in this run, else this run's released checkpoint (a
    gates/release.json copied from another run names that run's weights), else the named one outside. Only where
    no weights are anywhere is the verdict's recorded hash taken (the folder is then the run's released checkpoint)."""
    ckpt = release.get("checkpoint") if isinstance(release.get("checkpoint"), dict) else {}
    named = judged_checkpoint(run, release)
    if named is not None and named.is_dir() and named.resolve().is_relative_to(run.root.resolve()) and weights_sha256(named):
        return weights_sha256(named), named
    if weights_sha256(run.released_checkpoint):
        return weights_sha256(run.released_checkpoint), run.released_checkpoint
    if named is not None and weights_sha256(named):
        return weights_sha256(named), named
    return ckpt.get("weights_sha256"), run.released_checkpoint


def _listing(paths: list[str], limit: int = 4) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def _run_once(run: RunDir, release: dict[str, Any]) -> list[str]:
    """What the recorded re-run checks claim that the run's files do not back (`run_once.run_once_problems`)."""
    reports: dict[str, bytes | None] = {}
    for path in [run.eval_report(kind) for kind in EVAL_KINDS] + run.external_reports():
        if path.is_file():
            results = RunDir.results_beside(path)
            reports[run.rel(path)] = results.read_bytes() if results.is_file() else None
    honesty = read_json(run.honesty_report) if run.honesty_report.is_file() else None
    findings = honesty.get("findings") if isinstance(honesty, dict) else None
    return run_once_problems(release, reports, len(findings) if isinstance(findings, list) else None)


def history_disagreement(run: RunDir, release: dict[str, Any]) -> str | None:
    """Why gates/release.json is not the last verdict the gate logged (gates/release_history.jsonl), with the counts
    of the verdicts before it; None when it is. A verdict swapped for an earlier try, or one whose seed settings
    were edited, is not the one the log ends with."""
    from ..utils.errors import PicochatInputError

    try:
        problems = history_problems(release, read_history(run.release_history))
    except (PicochatInputError, UnicodeDecodeError) as exc:
        return f"its log of verdicts is unreadable ({exc})"
    return f"gates/release.json is not the gate's logged verdict: {problems[0]}" if problems else None


def _profile_of(release: dict[str, Any]) -> str | None:
    """The profile the verdict ran under, as `load_profile` takes it: a packaged name, or the file it read."""
    source = str(release.get("profile_source") or "")
    return source.split(":", 1)[1] if source.startswith("packaged:") else (source or None)


def rerun_disagreement(run: RunDir, release: dict[str, Any]) -> str | None:
    """Why `gates/release.json` does not follow from re-running the gate on the same evidence (its status or a
    check's status edited, or a profile file changed or gone), or is not the verdict the gate logged last
    (`history_disagreement`); None when it does and is."""
    return _rerun_disagreement(run, release) or history_disagreement(run, release)


def _rerun_disagreement(run: RunDir, release: dict[str, Any]) -> str | None:
    """Why the verdict does not follow from re-running the gate on the same evidence. The stored verdict is never
    trusted for what it says about itself."""
    from ..utils.errors import PicochatInputError
    from .release import run_release_gate

    profile, ckpt = _profile_of(release), judged_checkpoint(run, release)
    if profile is None:
        return "gates/release.json does not name the profile it ran under, so it cannot be re-checked"
    try:
        again = run_release_gate(run, profile, checkpoint=ckpt, write=False)
    except (PicochatInputError, OSError, ValueError) as exc:
        return f"the gate cannot be re-run on it ({exc})"
    again["checks"] = [c for c in again["checks"] if c["name"] != NOT_RERUN]  # the recorded setting decides it (`_run_once`)
    recorded = {c.get("name"): c.get("status") for c in release.get("checks") or [] if isinstance(c, dict)}
    now = {c["name"]: c["status"] for c in again["checks"]}
    if release.get("profile") != again["profile"]:  # the name the card repeats is the profile's it re-runs under
        return f"gates/release.json names profile {release.get('profile')}, but it ran under profile {again['profile']} ({profile})"
    if (release.get("exceptions") or []) != again["exceptions"]:
        return f"gates/release.json states other exceptions than profile {again['profile']} does"
    rerun = [c for c in release.get("checks") or [] if isinstance(c, dict) and str(c.get("name")).startswith(RUN_ONCE)]
    if all(c.get("status") in STATUS_ORDER for c in rerun):  # re-running the model or the scan is the gate's, once
        again["status"] = roll_up(again["checks"] + rerun, "approved")
    # checks only one side has (a gate version that adds a check) count through the overall status alone
    differ = [f"{name} is recorded {recorded[name]}, re-run {now[name]}" for name in now if name in recorded and recorded[name] != now[name]]
    if release.get("status") == again["status"] and not differ:
        claims = _run_once(run, release)
        if claims:
            return f"gates/release.json's re-run checks do not follow from the run's files: {_listing(claims, 2)}"
        return _sentences_differ(release, again, rerun)
    return (f"gates/release.json says {release.get('status')}, but the gate re-run on the same evidence under profile "
            f"{profile} gives {again['status']}" + (f" ({_listing(differ, 2)})" if differ else ""))


def _sentences_differ(release: dict[str, Any], again: dict[str, Any], rerun: list[dict]) -> str | None:
    """Why the sentences the report and card repeat (each check's `why`, the blocking list) are not the re-run's;
    None when they are. A verdict whose statuses hold but whose "Math failed at 12%" reads "passed" says otherwise."""
    said = {c.get("name"): c.get("why") for c in release.get("checks") or [] if isinstance(c, dict)}
    edited = [c["name"] for c in again["checks"] if c["name"] in said and said[c["name"]] != c["why"]]
    if edited:
        return f"gates/release.json words {_listing(edited, 2)} otherwise than the gate re-run on the same evidence"
    renumbered = _numbers_differ(release, again)
    if renumbered:
        return (f"gates/release.json states the value or threshold of {_listing(renumbered, 2)} otherwise than the gate re-run "
                "on the same evidence")
    # the blocking list is its own blocking checks' sentences (checks one gate version has and another lacks count
    # through the statuses, as above)
    blocking = {c.get("why") for c in release.get("checks") or [] if isinstance(c, dict) and c.get("status") == "block"}
    if set(release.get("blocking") or []) != blocking:
        return "gates/release.json's blocking sentences are not those of its blocking checks"
    return None


def _numbers_differ(release: dict[str, Any], again: dict[str, Any]) -> list[str]:
    """Names of the recorded checks whose value or threshold is not the re-run's: the card and report tables repeat
    both, so "math 0.99 against 0.01" beside an unchanged status and sentence is a verdict edited after it ran."""
    said = {c.get("name"): c for c in release.get("checks") or [] if isinstance(c, dict)}
    out = []
    for check in again["checks"]:
        recorded = said.get(check["name"])
        if recorded is None or str(check["name"]).startswith(RUN_ONCE):
            continue
        # compared as stored (tuples become lists; a NaN equals itself as text)
        now = json.dumps([check.get("value"), check.get("threshold")], sort_keys=True)
        if json.dumps([recorded.get("value"), recorded.get("threshold")], sort_keys=True) != now:
            out.append(str(check["name"]))
    return out


def _release_record(run: RunDir) -> dict[str, Any]:
    """gates/release.json with the fields this re-check reads shaped as the gate writes them; a one-line error naming
    the file and field otherwise (a hand-edited list or string there was a traceback in every consumer)."""
    from ..utils.errors import PicochatInputError

    release = read_json(run.release)
    if not isinstance(release, dict):
        raise PicochatInputError("expected a JSON object", path=run.release)
    for key in ("evidence", "checkpoint"):
        if release.get(key) is not None and not isinstance(release[key], dict):
            raise PicochatInputError("expected an object", path=run.release, field=key)
    if not all(isinstance(v, str) for v in (release.get("evidence") or {}).values()):
        raise PicochatInputError("expected a sha256 string per file", path=run.release, field="evidence")
    return release


def verify_release(run_dir: str | Path | RunDir | None) -> dict[str, Any]:
    """`{state: current|stale|not_run, status, profile, blocking, exceptions, changed, added, rerun, sentence}`.

    When every evidence file is unchanged, the gate is re-run in memory under the recorded profile: a verdict
    whose status or checks were edited after it ran (or whose profile file changed) is stale too (`rerun`)."""
    if run_dir is None:
        return {"state": "not_run", "status": "not_run", "profile": None, "blocking": [], "exceptions": [], "changed": [], "added": [],
                "sentence": "No run directory was given, so no release verdict backs this model."}
    run = run_dir if isinstance(run_dir, RunDir) else RunDir(run_dir)
    if not run.release.exists():
        return {"state": "not_run", "status": "not_run", "profile": None, "blocking": [], "exceptions": [], "changed": [], "added": [],
                "sentence": "The release gate has not run (gates/release.json is missing), so nothing here is checked."}
    release = _release_record(run)
    recorded: dict[str, str] = release.get("evidence") or {}
    now = {run.rel(p): sha256_file(p) for p in evidence_files(run)}
    changed = [rel for rel, digest in recorded.items() if now.get(rel) != digest]
    added = sorted(rel for rel in now if rel not in recorded)
    # the checkpoint as this run names it: a copied or moved run's own (`recorded_paths`), with the path it records
    named, ckpt = judged_checkpoint(run, release), release.get("checkpoint") or {}
    shown = _shown(run, named)
    if named is not None and ckpt.get("weights_sha256") and weights_sha256(named) != ckpt["weights_sha256"]:
        changed.append(f"the released weights ({shown})")
    elif not ckpt.get("weights_sha256") and weights_sha256(named or run.released_checkpoint):
        # a verdict naming no weights (its checkpoint block deleted) would pass for whatever checkpoint is exported with it
        changed.append(f"the released weights ({shown or run.rel(run.released_checkpoint)}, which gates/release.json "
                       "records no weights hash for)")
    shipped = run.shipped_tokenizer_dir(named) if named is not None else None
    # a tokenizer that appeared where the gate found none is a change too: the card would ship one nothing judged
    if named is not None and "tokenizer_sha256" in ckpt and input_sha256(shipped) != ckpt["tokenizer_sha256"]:
        older = legacy_tokenizer_note(ckpt["tokenizer_sha256"], shipped)
        changed.append(f"the released tokenizer ({_shown(run, shipped) or shown}: tokenizer.json, chat template or special tokens"
                       + (", which gates/release.json names by tokenizer.json alone, as older picochat_hf did)" if older else ")"))
    status, profile = release.get("status"), release.get("profile")
    verdict = f"The release verdict ({status} under profile {profile})"
    elsewhere = checkpoint_elsewhere(run, release)
    disagreement = elsewhere or (None if changed or added else rerun_disagreement(run, release))
    if disagreement:
        sentence = f"{verdict} does not follow from its evidence: {disagreement}. Re-run `picochat gate release --force`."
        state = "stale"
    elif changed or added:
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
            "evidence": recorded, "checkpoint": {**ckpt, "path": str(named)} if named is not None else ckpt, "rerun": disagreement}


def _shown(run: RunDir, path: Path | None) -> str | None:
    """`path` as a sentence names it: inside the run by its name there (`sft/checkpoint`), else in full."""
    if path is None:
        return None
    return run.rel(path) if path.resolve().is_relative_to(run.root.resolve()) else str(path)


def may_publish(verdict: dict[str, Any]) -> tuple[bool, str]:
    """(True, "") when the verdict is current and not blocked, or when no gate ran (the card then says so);
    else (False, the reason in one sentence)."""
    if verdict["state"] == "stale":
        return False, verdict["sentence"]
    if verdict["status"] == "blocked":
        return False, "The release gate is blocked: " + " ".join(verdict["blocking"] or ["see gates/release.json."])
    return True, ""
