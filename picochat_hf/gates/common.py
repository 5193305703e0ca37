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

from ..utils.errors import PicochatInputError
from ..utils.io import read_yaml_mapping
from ..utils.yaml_text import load_yaml_text

PROFILE_NAMES = ("research", "first_release", "skill_release", "demo_release")
STATUS_ORDER = {"pass": 0, "warn": 1, "block": 2}


def check(name: str, status: str, value: Any, threshold: Any, why: str, **extra: Any) -> dict[str, Any]:
    if status not in STATUS_ORDER:
        raise ValueError(f"bad check status {status!r}")
    return {"name": name, "status": status, "value": value, "threshold": threshold, "why": why, **extra}


Check = dict[str, Any]


def short(digest: str | None) -> str:
    return "none recorded" if not digest else digest[:12]


def missing_check(name: str, what: str, rel: str, rules: dict, threshold: Any = None) -> Check:
    """An absent evidence file, at the profile's `missing_evidence` severity."""
    return check(name, rules["missing_evidence"], None, threshold, f"No {what} ({rel} is missing); the profile needs it as evidence.")


def chain_check(name: str, ok: bool, value: Any, threshold: Any, why: str, rules: dict) -> Check:
    """A link of the evidence chain: pass, or the profile's `chain` severity."""
    return check(name, "pass" if ok else rules["chain"]["severity"], value, threshold, why)


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
    return load_yaml_text(resources.files(__package__).joinpath("profiles", name).read_text(encoding="utf-8"))


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
        source = str(path.resolve())  # a verdict re-checked from another folder finds the same file
        if "preflight" in data:  # an old name of a threshold is read as its name, before `extends` fills the rest
            data["preflight"] = _renamed_preflight(data["preflight"], source)
    parent = data.pop("extends", None)
    if parent is not None:
        if parent not in PROFILE_NAMES or parent == text:
            raise PicochatInputError(f"extends must be one of {', '.join(PROFILE_NAMES)}", path=path, field="extends")
        base = load_profile(parent)
        data = _merge({k: v for k, v in base.items() if k not in ("source", "exceptions")}, data)
    if data.get("exceptions") is not None and not (isinstance(data["exceptions"], list) and all(isinstance(x, str) for x in data["exceptions"])):
        raise PicochatInputError("expected a list of sentences", path=path, field="exceptions")
    for key in data:
        if key not in PROFILE_KEYS:
            raise PicochatInputError(f"unknown profile field; expected one of {', '.join(PROFILE_KEYS)} or extends", path=source, field=key)
    for key in ("name", "release"):
        if key not in data:
            raise PicochatInputError("missing profile field", path=source, field=key)
    if source != f"packaged:{data['name']}" and data["name"] in PROFILE_NAMES:  # a verdict "under skill_release" is the packaged one's
        raise PicochatInputError(f"{data['name']!r} is a packaged profile's name; give this file its own name", path=source, field="name")
    data["preflight"] = _merge(packaged_yaml("preflight.yaml"), data.get("preflight") or {})
    _check_keys(data["preflight"], packaged_yaml("preflight.yaml"), "preflight", source)
    _check_release(data["release"], source)
    data["source"] = source
    return data


def _renamed_preflight(preflight: Any, source: str) -> Any:
    """The profile's preflight thresholds with an old name of a threshold (`setting_names.yaml`) read as its name."""
    from ..utils.setting_names import rename_deprecated_keys

    if isinstance(preflight, dict) and isinstance(preflight.get("compute_optimal"), dict):
        where = "preflight.compute_optimal"
        preflight = {**preflight, "compute_optimal": rename_deprecated_keys(preflight["compute_optimal"], where, source)}
    return preflight


PROFILE_KEYS = ("name", "description", "release_profile", "preflight", "release", "exceptions")
SEVERITIES = ("pass", "warn", "block")
SKILL_RULE = {"min": 0.0, "severity": "block", "min_n": 1}


def _check_keys(data: Any, reference: Any, where: str, source: str) -> None:
    """Every key of `data` is one `reference` has, recursively (a typo never silently keeps a default)."""
    if not isinstance(reference, dict):
        return
    if not isinstance(data, dict):
        raise PicochatInputError(f"expected a mapping like the packaged profiles' {where}", path=source, field=where)
    for key, value in data.items():
        if key not in reference:
            raise PicochatInputError(f"unknown setting; expected one of {', '.join(map(str, reference))}", path=source, field=f"{where}.{key}")
        _check_keys(value, reference[key], f"{where}.{key}", source)


def _check_rule(rule: Any, reference: dict, where: str, source: str) -> None:
    """A release rule has exactly the reference's keys: severities one of SEVERITIES, thresholds numbers."""
    if not isinstance(rule, dict):
        raise PicochatInputError("expected a mapping", path=source, field=where)
    for key in set(rule) | set(reference):
        field, value = f"{where}.{key}", rule.get(key)
        if key not in reference:
            raise PicochatInputError(f"unknown setting; expected one of {', '.join(reference)}", path=source, field=field)
        if key not in rule and key != "min_n":
            raise PicochatInputError("missing setting", path=source, field=field)
        if key == "severity" and value not in SEVERITIES:
            raise PicochatInputError(f"expected one of {', '.join(SEVERITIES)}, got {value!r}", path=source, field=field)
        if key not in ("severity", "accepts") and key in rule and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise PicochatInputError(f"expected a number, got {value!r}", path=source, field=field)
        if key == "accepts" and value is not None and not (isinstance(value, list) and all(isinstance(x, str) for x in value)):
            raise PicochatInputError(f"expected a list of profile names or null, got {value!r}", path=source, field=field)


def _check_release(release: Any, source: str) -> None:
    """The `release:` section has every setting of the packaged skill_release profile, and no other."""
    reference = packaged_yaml("skill_release.yaml")["release"]
    if not isinstance(release, dict):
        raise PicochatInputError("expected a mapping", path=source, field="release")
    for key in set(release) | set(reference):
        if key not in reference:
            raise PicochatInputError(f"unknown setting; expected one of {', '.join(reference)}", path=source, field=f"release.{key}")
        if key not in release:
            raise PicochatInputError("missing setting", path=source, field=f"release.{key}")
    if release["missing_evidence"] not in SEVERITIES:
        raise PicochatInputError(f"expected one of {', '.join(SEVERITIES)}", path=source, field="release.missing_evidence")
    if not isinstance(release["min_n"], int) or isinstance(release["min_n"], bool):
        raise PicochatInputError("expected an integer", path=source, field="release.min_n")
    for key, ref in reference.items():
        if key == "skills":
            if not isinstance(release[key], dict):
                raise PicochatInputError("expected a mapping of skill rules", path=source, field="release.skills")
            for skill, rule in release[key].items():
                _check_rule(rule, SKILL_RULE, f"release.skills.{skill}", source)
        elif isinstance(ref, dict):
            _check_rule(release[key], {**ref, "min_n": 1} if key == "refusal" else ref, f"release.{key}", source)


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
    if result.get("unverified"):
        lines += ["", "## What this verdict cannot check", "", *[f"- {why}" for why in result["unverified"]]]
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
