"""The numbers a bundled model card's body states, held to the bundled files (`bundle_claims` checks its front
matter: the `release-gate-*` tag and `model-index`).

The card's Evaluation table (`model_card._eval_lines`) states each picochat_hf eval's row count, pass rate and
95% interval, and the visible eval's per skill; its gate line and Release section name the verdict's status and
profile. A card whose table was edited after export (a pass rate raised, a row count inflated) or that names
another profile than the bundled gates/release.json read right to anyone who does not open the reports, so each
must be what the bundled eval report or verdict says. A row the card marks "does not hold" states no number.
"""

from __future__ import annotations

import re
from typing import Any

from ..run_dir import EVAL_LABELS
from .folder_claims import _card_profile
from .model_card import _ci, _pct

SKILL_INDENT = "&nbsp;&nbsp;"
_RELEASE = re.compile(r"^Gate status \*\*([a-z_]+)\*\* under profile `([^`]*)`", re.M)


def _section(text: str, title: str) -> list[str]:
    """The lines of the `## title` section of a markdown card (empty when it has none)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == f"## {title}"), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start + 1 : end]


def _rows(section: list[str]) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in section if line.startswith("| ")]


def _differs(card: str, label: str, cells: list[str], entry: dict[str, Any], rel: str) -> list[str]:
    want = {"n": str(entry.get("n")), "pass rate": _pct(entry.get("pass_rate")), "95% CI": _ci(entry.get("ci"))}
    got = dict(zip(("n", "pass rate", "95% CI"), cells[1:4], strict=False))
    return [f"{card} states {label} {k} {got.get(k)}, but {rel} gives {v}" for k, v in want.items() if got.get(k) != v][:1]


def eval_table_problems(card: str, text: str, reports: dict[str, dict[str, Any] | None]) -> list[str]:
    """Each Evaluation-table row of a picochat_hf eval (and the visible eval's skill rows) against `reports[kind]`."""
    by_label = {label: kind for kind, label in EVAL_LABELS.items()}
    out: list[str] = []
    kind = None
    for cells in _rows(_section(text, "Evaluation")):
        if len(cells) < 4 or cells[2] == "does not hold":
            kind = by_label.get(cells[0]) if cells else None
            continue
        if cells[0].startswith(SKILL_INDENT) and kind == "eval":
            skill = cells[0][len(SKILL_INDENT):]
            summary = ((reports.get("eval") or {}).get("summary") or {})
            entry = (summary.get("by_skill") or {}).get(skill)
            out += (_differs(card, f"eval skill {skill}", cells, entry, "eval/eval_report.json") if isinstance(entry, dict)
                    else [f"{card} states eval skill {skill}, but eval/eval_report.json has no such skill"])
            continue
        kind = by_label.get(cells[0])
        if kind is None:
            continue  # an external benchmark row: `model-index` is checked against the bundled benchmark reports
        report = reports.get(kind)
        rel = f"{kind}/eval_report.json"
        summary = (report or {}).get("summary")
        out += (_differs(card, cells[0], cells, summary, rel) if isinstance(summary, dict)
                else [f"{card} states {cells[0]} numbers, but the bundle holds no readable {rel}"])
    return out


def verdict_named_problems(card: str, text: str, release: dict[str, Any] | None) -> list[str]:
    """The profile the card's gate line names, and the status and profile its Release section names, are the
    bundled verdict's."""
    if release is None:
        return []
    out = []
    named = _card_profile(text)
    if named is not None and named != release.get("profile"):
        out.append(f"{card}'s gate line names profile {named}, but gates/release.json ran under profile {release.get('profile')}")
    found = _RELEASE.search(text)
    if found and (found.group(1), found.group(2)) != (release.get("status"), release.get("profile")):
        out.append(f"{card}'s Release section says {found.group(1)} under profile {found.group(2)}, but gates/release.json says "
                   f"{release.get('status')} under profile {release.get('profile')}")
    return out
