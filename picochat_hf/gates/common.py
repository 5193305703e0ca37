"""Shared pieces of the gates: check records, status roll-up, profile loading and markdown.

A check is `{"name", "status": "pass"|"warn"|"block", "value", "threshold", "why"}` where `why` is one
sentence a user can act on. Profiles are YAML files (packaged under `profiles/`, or any path a user passes);
their numbers live there, not in the code.
"""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..utils.errors import PicochatInputError
from ..utils.io import read_yaml_mapping

PROFILE_NAMES = ("research", "first_release", "skill_release", "demo_release")
STATUS_ORDER = {"pass": 0, "warn": 1, "block": 2}


def check(name: str, status: str, value: Any, threshold: Any, why: str, **extra: Any) -> dict[str, Any]:
    if status not in STATUS_ORDER:
        raise ValueError(f"bad check status {status!r}")
    return {"name": name, "status": status, "value": value, "threshold": threshold, "why": why, **extra}


def roll_up(checks: list[dict[str, Any]], ok: str) -> str:
    """`blocked` if any check blocks, `warn` if any warns, otherwise `ok` ("ready" or "approved")."""
    worst = max((STATUS_ORDER[c["status"]] for c in checks), default=0)
    return {0: ok, 1: "warn", 2: "blocked"}[worst]


def pct(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{100 * x:.0f}%" if abs(100 * x - round(100 * x)) < 0.05 else f"{100 * x:.1f}%"


def pct_pair(value: float, threshold: float) -> tuple[str, str]:
    """(value, threshold) as percentages with enough digits that a value below (or above) its threshold
    never prints equal to it: 0.5995 vs 0.60 gives ("59.95%", "60%"), not "60%" twice."""
    a, b = pct(value), pct(threshold)
    digits = 1
    while value != threshold and float(a[:-1]) == float(b[:-1]) and digits < 8:
        a = f"{100 * value:.{digits}f}%"
        digits += 1
    return a, b


def count(x: float | int | None, digits: int = 3) -> str:
    """A number as text that never hides a small value: 0.032 stays 0.032, 12345 gets separators."""
    if x is None:
        return "n/a"
    if isinstance(x, int) or float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.{digits}g}" if abs(x) < 1000 else f"{x:,.0f}"


def unique(sentences: list[str]) -> list[str]:
    """Sentences in order, each once."""
    return list(dict.fromkeys(sentences))


def _read_yaml(path: Path) -> dict[str, Any]:
    return read_yaml_mapping(path)


def packaged_yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load(resources.files(__package__).joinpath("profiles", name).read_text(encoding="utf-8"))


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


def load_profile(profile: str | Path) -> dict[str, Any]:
    """A gate profile by packaged name (`research`, `first_release`, `skill_release`) or YAML path.

    A user file may set `extends: <packaged name>` and override only what it changes. The preflight
    thresholds (`profiles/preflight.yaml`) are merged under the profile's own `preflight:` section.
    """
    text = str(profile)
    if text in PROFILE_NAMES:
        data = packaged_yaml(f"{text}.yaml")
        source = path = f"packaged:{text}"
    else:
        path = Path(text)
        if not path.exists():
            raise PicochatInputError(f"unknown profile; use one of {', '.join(PROFILE_NAMES)} or a YAML path", path=path)
        data = _read_yaml(path)
        source = str(path)
    parent = data.pop("extends", None)
    if parent is not None:
        if parent not in PROFILE_NAMES or parent == text:
            raise PicochatInputError(f"extends must be one of {', '.join(PROFILE_NAMES)}", path=path, field="extends")
        base = load_profile(parent)
        data = _merge({k: v for k, v in base.items() if k not in ("source", "exceptions")}, data)
    if data.get("exceptions") is not None and not (isinstance(data["exceptions"], list) and all(isinstance(x, str) for x in data["exceptions"])):
        raise PicochatInputError("expected a list of sentences", path=path, field="exceptions")
    for key in ("name", "release"):
        if key not in data:
            raise PicochatInputError("missing profile field", path=source, field=key)
    data["preflight"] = _merge(packaged_yaml("preflight.yaml"), data.get("preflight") or {})
    data["source"] = source
    return data


def _cell(value: Any) -> str:
    """Table-safe text: pipes escaped so `<|bos|>` survives."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_gate_md(result: dict[str, Any], title: str) -> str:
    lines = [
        f"# {title}",
        "",
        f"**Status: {result['status']}** (profile `{result['profile']}`). {result.get('summary', '')}",
        "",
        "| check | status | value | threshold | why |",
        "|---|---|---|---|---|",
    ]
    order = sorted(result["checks"], key=lambda c: -STATUS_ORDER[c["status"]])
    for c in order:
        value = c["value"]
        if isinstance(value, float):
            value = f"{value:.4g}"
        lines.append(f"| {c['name']} | {c['status']} | {_cell(value)} | {_cell(c['threshold'])} | {_cell(c['why'])} |")
    return "\n".join(lines) + "\n"


def summary_line(checks: list[dict[str, Any]], status: str) -> str:
    blocks = [c for c in checks if c["status"] == "block"]
    warns = [c for c in checks if c["status"] == "warn"]
    if blocks:
        return f"{len(blocks)} blocking: " + " ".join(unique([c["why"] for c in blocks]))
    if warns:
        whys = unique([c["why"] for c in warns])
        return f"{len(warns)} warnings: " + " ".join(whys[:3]) + (" ..." if len(whys) > 3 else "")
    return f"All {len(checks)} checks pass."
