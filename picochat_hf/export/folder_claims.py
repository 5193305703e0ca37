"""What an exported folder can show about its own release verdict, without the run directory.

`push` re-checks the run's verdict when the run directory is there; a copied folder has only its manifest and the
card it shipped with. Both were written from the same re-checked verdict at export, so an edit to one of them
shows: the manifest's gate block must be the card's (its header and `release-gate-*` tag), the checks the card's
release table lists must roll up to that status (and an approved one names its re-run rows, since `approved`
means the replies were re-run on the model), the block's own fields must agree with each other, and the weights
must hash to the manifest's `weights_sha256`. A forger who rewrites all of it consistently is not caught here;
only the run's evidence can tell, which is why the run directory is re-checked whenever it is reachable.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..gates.common import STATUS_ORDER, roll_up
from ..gates.run_once import NOT_RERUN, REGEN
from ..utils.provenance import weights_sha256

STATUSES = ("approved", "warn", "blocked", "not_run")
STATES = ("current", "stale", "not_run")
CARD = "README.md"
_HEADER = re.compile(r"^(?:> )?\*\*Release gate: (approved|warn|blocked|BLOCKED|STALE|not run)\.?\*\*", re.M)
_PROFILE = re.compile(r"\(profile `([^`]*)`\)")
_ROW = re.compile(r"^\| (\S+) \| (pass|warn|block) \| ", re.M)


def _card_status(text: str) -> str | None:
    """The status the card's first gate line states (`stale` for a STALE card), None when it has none."""
    found = _HEADER.search(text)
    if not found:
        return None
    word = found.group(1)
    return {"BLOCKED": "blocked", "STALE": "stale", "not run": "not_run"}.get(word, word)


def _card_profile(text: str) -> str | None:
    """The profile the card's gate line names (`(profile `x`)`), None when that line names none."""
    found = _HEADER.search(text)
    profile = _PROFILE.search(text[found.start():].split("\n", 1)[0]) if found else None
    return profile.group(1) if profile else None


def _release_checks(text: str) -> list[dict[str, str]] | None:
    """The (name, status) rows of the card's `## Release` table; None when the card has no such section."""
    start = text.find("\n## Release\n")
    if start < 0:
        return None
    section = text[start + 1:]
    end = section.find("\n## ", 1)
    section = section if end < 0 else section[:end]
    return [{"name": m.group(1), "status": m.group(2)} for m in _ROW.finditer(section)]


def _block_problems(gate: dict[str, Any]) -> list[str]:
    status, state = gate.get("status"), gate.get("state")
    out = []
    if status not in STATUSES:
        out.append(f"its gate status {status!r} is none of {', '.join(STATUSES)}")
    if state not in STATES:
        out.append(f"its gate state {state!r} is none of {', '.join(STATES)}")
    if bool(gate.get("exported_despite_block")) != (status == "blocked"):
        out.append(f"its gate says {status} but exported_despite_block is {gate.get('exported_despite_block')!r}")
    if bool(gate.get("exported_despite_stale")) != (state == "stale"):
        out.append(f"its gate state is {state} but exported_despite_stale is {gate.get('exported_despite_stale')!r}")
    if (status == "blocked") != bool(gate.get("blocking")):
        out.append(f"its gate says {status} with {len(gate.get('blocking') or [])} blocking sentences")
    return out


def _card_problems(folder: Path, gate: dict[str, Any]) -> list[str]:
    path = folder / CARD
    if not path.is_file():
        return [f"the folder has no {CARD} to check its gate block against"]
    text = path.read_text(encoding="utf-8", errors="replace")
    status, state = gate.get("status"), gate.get("state")
    said = _card_status(text)
    want = "stale" if state == "stale" else status
    out = []
    if said != want:
        out.append(f"release_manifest.json says the release gate is {want}, but {CARD} says {said or 'nothing about it'}")
    named = _card_profile(text)
    if named is not None and named != gate.get("profile"):
        out.append(f"release_manifest.json says profile {gate.get('profile')}, but {CARD} names profile {named}")
    if f"release-gate-{status}" not in text or ("release-gate-stale" in text) != (state == "stale"):
        out.append(f"{CARD} is not tagged release-gate-{status}" + (" and release-gate-stale" if state == "stale" else ""))
    checks = _release_checks(text)
    if status in ("approved", "warn", "blocked") and checks is not None:
        rolled = roll_up([c for c in checks if c["status"] in STATUS_ORDER], "approved")
        if not checks or rolled != status:
            out.append(f"{CARD}'s release checks roll up to {rolled if checks else 'nothing'}, but release_manifest.json says {status}")
        names = {c["name"] for c in checks}
        if status == "approved" and (NOT_RERUN in names or not any(n.startswith(REGEN) for n in names)):
            out.append(f"{CARD} says approved, but its release checks record no re-run of the model's replies")
    return out


def folder_gate_problems(folder: str | Path, manifest: dict[str, Any]) -> list[str]:
    """Sentences naming each way the folder's manifest gate block does not follow from the folder; empty when none."""
    folder = Path(folder)
    gate = manifest.get("gate") if isinstance(manifest.get("gate"), dict) else {}
    out = _block_problems(gate) + _card_problems(folder, gate)
    recorded = manifest.get("weights_sha256")
    if recorded != weights_sha256(folder):
        out.append(f"release_manifest.json records weights {str(recorded)[:12]}, but the folder's weights hash to "
                   f"{str(weights_sha256(folder))[:12]}")
    return out
