"""The release gate's training checks: the preflight (its status, its record, its profile), the base and SFT
runs completed, and the token budget on tokens the base run really trained on."""

from __future__ import annotations

from ..utils.trained_tokens import trained_tokens
from .common import STATUS_ORDER, Check, check, count, roll_up
from .common import chain_check as _chain
from .common import missing_check as _missing
from .evidence import Evidence
from .release_size import released_count


def check_preflight(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    if ev.preflight is None:
        return [_missing("preflight", "preflight result", "gates/preflight.json", rules, "not blocked")]
    status = ev.preflight["status"]
    if status == "blocked":
        blocking = [str(c.get("name")) for c in ev.preflight.get("checks", []) if c.get("status") == "block"]
        overridden = bool(ev.preflight.get("override")) or any(((r or {}).get("preflight") or {}).get("override") for r in ev.train.values())
        why = f"Preflight was blocked ({', '.join(blocking)})" + ("; training went on with an explicit override." if overridden else ".")
        out = [check("preflight", rules["preflight"]["severity"], status, "not blocked", why)]
    else:
        out = [check("preflight", "pass" if status == "ready" else "warn", status, "not blocked", f"Preflight status was {status}.")]
    out.append(_preflight_record(ev, rules))
    accepts = rules["preflight"].get("accepts")
    if accepts:
        ran = {"gates/preflight.json": ev.preflight.get("profile")}
        for stage, report in ev.train.items():
            if report and (report.get("preflight") or {}).get("profile"):
                ran[f"{stage}/train_report.json"] = report["preflight"]["profile"]
        wrong = {rel: p for rel, p in ran.items() if p not in accepts}
        if wrong:
            rel, p = next(iter(wrong.items()))
            out.append(_chain("preflight_profile", False, p, accepts,
                              f"The preflight ran under profile {p} ({rel}), which release profile {profile} does not accept "
                              f"(it accepts {', '.join(accepts)}); re-run training with --preflight-profile {accepts[0]}.", rules))
        else:
            out.append(check("preflight_profile", "pass", sorted(set(ran.values())), accepts,
                             f"The preflight ran under {', '.join(sorted(set(ran.values())))}, which profile {profile} accepts."))
    return out


def _preflight_record(ev: Evidence, rules: dict) -> Check:
    """gates/preflight.json's status is the roll-up of its own checks, and the status and profile the last training
    stage recorded when it ran (a blocked preflight edited to read ready, another run's preflight, or one re-run
    under another profile, is not this run's)."""
    pre = ev.preflight or {}
    checks = [c for c in pre.get("checks") or [] if isinstance(c, dict) and c.get("status") in STATUS_ORDER]
    rolled = roll_up(checks, "ready")
    # the last training stage ran the preflight gates/preflight.json holds (SFT overwrites base's)
    stage = next((s for s in ("sft", "base") if ev.train.get(s) is not None), None)
    said = ((ev.train[stage] or {}).get("preflight") or {}) if stage else {}
    recorded, profile = said.get("status"), said.get("profile")
    if pre.get("status") != rolled:
        why = f"gates/preflight.json says {pre.get('status')}, but its own checks roll up to {rolled}."
    elif stage is not None and recorded is None:
        why = (f"{stage}/train_report.json records no preflight.status, so gates/preflight.json's status cannot be held to the "
               "one the run saw when it trained.")
    elif recorded is not None and recorded != pre.get("status"):
        why = f"gates/preflight.json says {pre.get('status')}, but {stage}/train_report.json recorded preflight status {recorded} when it ran."
    elif profile is not None and profile != pre.get("profile"):  # a preflight re-run under another profile is another verdict
        why = (f"gates/preflight.json ran under profile {pre.get('profile')}, but {stage}/train_report.json recorded its preflight under "
               f"profile {profile} (preflight.profile): it is not the preflight the run trained with.")
    else:
        why = None
    return _chain("preflight_record", why is None, pre.get("status"), rolled, why or "gates/preflight.json's status follows from its "
                  "checks and is the one the training run recorded.", rules)


def check_training(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Base and SFT runs completed their planned steps."""
    out = []
    for stage, label in (("base", "base"), ("sft", "SFT")):
        report, rel = ev.train.get(stage), f"{stage}/train_report.json"
        if report is None:
            out.append(_missing(f"{stage}_run", f"{label} train report", rel, rules, "completed"))
            continue
        status, steps, planned = report.get("status"), report.get("steps"), report.get("max_steps")
        if status == "completed" and planned and isinstance(steps, int) and steps < planned:
            status = "stopped"
        done = f"{steps} of {planned} steps" if planned else f"{steps} steps"
        if status == "completed":
            out.append(check(f"{stage}_run", "pass", status, "completed", f"The {label} run completed ({done}; {rel})."))
        else:
            out.append(check(f"{stage}_run", rules["training"]["severity"], status, "completed",
                             f"The {label} run's status is {status} ({done}; {rel}); a release needs a completed run."))
    return out


def check_token_budget(ev: Evidence, rules: dict, profile: str, budget: dict, release_profile: bool) -> list[Check]:
    """The release token budget on tokens the base run actually trained on (not its plan).

    A release profile that does not enforce it (a stated exception) still shows the number, as a warning.
    """
    base = ev.train.get("base")
    if not budget.get("enforce") and not (release_profile and base):
        return []
    need = budget["min_tokens_per_param"] * budget["min_planned_to_target"]
    if base is None:
        return [_missing("token_budget", "base train report", "base/train_report.json", rules, need)]
    # the released weights' own count when they can be counted: a report's count can be edited (`release_size`)
    (real, field), counted = trained_tokens(base), released_count(ev) if ev.weights else None
    params = counted or base.get("num_parameters")
    if real is None or not params:
        return [check("token_budget", rules["missing_evidence"], None, need,
                      f"base/train_report.json does not record {field} and num_parameters, so the budget is unknown.")]
    tpp = real / params
    said = "" if params == base.get("num_parameters") else f", counted in the released weights; the report says {base.get('num_parameters')!r}"
    text = (f"The base run trained on {count(real)} tokens for {count(params)} parameters = {count(tpp)} tokens per parameter "
            f"(base/train_report.json{said})")
    if not budget.get("enforce"):
        return [check("token_budget", "warn" if tpp < need else "pass", round(tpp, 6), need,
                      f"{text}; profile {profile} does not enforce the release budget of {count(need)} "
                      f"({budget['min_planned_to_target']:.2f} of {budget['min_tokens_per_param']}; a stated exception).")]
    if tpp < need:
        return [check("token_budget", rules["token_budget"]["severity"], round(tpp, 6), need,
                      f"{text}; a release needs {count(need)} ({budget['min_planned_to_target']:.2f} of {budget['min_tokens_per_param']}).")]
    return [check("token_budget", "pass", round(tpp, 6), need, f"{text}; the release budget is {count(need)}.")]
