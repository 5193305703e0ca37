"""Thresholds of the release gate: a measured rate against the profile's `min` / `max`, the Wilson lower-bound
tier for a pass that may not clear, and "too few rows to judge" (`release:` section of profiles/*.yaml)."""

from __future__ import annotations

from .common import Check, check, pct, pct_pair


def _ci_text(entry: dict | None) -> str:
    if not entry:
        return ""
    ci, n = entry.get("ci"), entry.get("n")
    if isinstance(ci, (list, tuple)) and len(ci) == 2 and all(isinstance(x, (int, float)) for x in ci):
        return f" (95% CI {pct(ci[0])}-{pct(ci[1])}, n={n})"
    return f" (n={n})" if n is not None else ""


def min_check(name: str, label: str, value: float, rule: dict, rules: dict, profile: str, entry: dict | None = None) -> Check:
    """Value against `rule["min"]`; a pass whose Wilson lower bound is under the threshold is the lower-bound tier."""
    thr, sev = rule["min"], rule["severity"]
    v, t = pct_pair(value, thr)
    if value < thr:
        tail = "release threshold is" if sev == "block" else "threshold is"
        extra = "" if sev == "block" else f" (a warning under profile {profile})"
        return check(name, sev, value, thr, f"{label} failed at {v}; {tail} {t}{extra}.")
    ci = (entry or {}).get("ci")
    low = ci[0] if isinstance(ci, (list, tuple)) and len(ci) == 2 and isinstance(ci[0], (int, float)) else None
    if low is not None and low < thr:
        lo, t = pct_pair(low, thr)
        return check(name, rules["lower_bound"]["severity"], value, thr,
                     f"{label} passed at {v}{_ci_text(entry)}, but the interval's lower bound {lo} is below the threshold {t}: "
                     "more rows are needed to be sure it clears.", lower_bound=low)
    return check(name, "pass", value, thr, f"{label} passed at {v}{_ci_text(entry)}; threshold is {t}.")


def max_check(name: str, label: str, value: float, rule: dict, profile: str) -> Check:
    thr, sev = rule["max"], rule["severity"]
    v, t = pct_pair(value, thr)
    if value <= thr:
        return check(name, "pass", value, thr, f"{label} is {v}; the limit is {t}.")
    tail = "" if sev == "block" else f" (a warning under profile {profile})"
    return check(name, sev, value, thr, f"{label} is {v}, above the limit of {t}{tail}.")


def enough_rows(name: str, label: str, n: int, rule: dict, rules: dict, profile: str) -> Check | None:
    need = rule.get("min_n", rules.get("min_n", 1))
    if n >= need:
        return None
    sev = rule["severity"] if rules["missing_evidence"] == "block" else "warn"
    return check(name, sev, n, need, f"{label} has {n} eval rows; profile {profile} needs at least {need} to judge it.",
                 rate_threshold=rule.get("min"))
