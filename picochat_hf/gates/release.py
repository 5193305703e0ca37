"""The release gate: may this run be called a release under a profile?

It reads the run directory (preflight, honesty report, SFT fit, held-out fit, visible eval, external
benchmarks) and applies the profile's thresholds. Every check records its value, its threshold and one
sentence ("Math failed at 18%; release threshold is 30%."). A missing file is itself a finding, with the
profile's `missing_evidence` severity. Writes `gates/release.json` and `gates/release.md`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_json, atomic_write_text, read_json, sha256_file
from ..utils.provenance import provenance
from .common import check, load_profile, pct, render_gate_md, roll_up, summary_line
from .evidence import external_results, read_eval_report

EVAL_FILES = {
    "sft_fit": "sft_fit/eval_report.json",
    "sft_fit_heldout": "sft_fit_heldout/eval_report.json",
    "eval": "eval/eval_report.json",
}


def _ci(entry: dict | None) -> str:
    if not entry:
        return ""
    ci, n = entry.get("ci"), entry.get("n")
    if isinstance(ci, (list, tuple)) and len(ci) == 2 and all(isinstance(x, (int, float)) for x in ci):
        return f" (95% CI {pct(ci[0])}-{pct(ci[1])}, n={n})"
    return f" (n={n})" if n is not None else ""


def _min_check(name: str, label: str, value: float | None, rule: dict, profile: str, entry: dict | None = None) -> dict:
    thr, sev = rule["min"], rule["severity"]
    if value >= thr:
        return check(name, "pass", value, thr, f"{label} passed at {pct(value)}{_ci(entry)}; threshold is {pct(thr)}.")
    if sev == "block":
        return check(name, "block", value, thr, f"{label} failed at {pct(value)}; release threshold is {pct(thr)}.")
    return check(name, "warn", value, thr, f"{label} failed at {pct(value)}; threshold is {pct(thr)} (a warning under profile {profile}).")


def _max_check(name: str, label: str, value: float, rule: dict, profile: str) -> dict:
    thr, sev = rule["max"], rule["severity"]
    if value <= thr:
        return check(name, "pass", value, thr, f"{label} is {pct(value)}; the limit is {pct(thr)}.")
    tail = "" if sev == "block" else f" (a warning under profile {profile})"
    return check(name, sev, value, thr, f"{label} is {pct(value)}, above the limit of {pct(thr)}{tail}.")


def _missing(name: str, what: str, path: str, rule_sev: str, threshold: Any) -> dict:
    return check(name, rule_sev, None, threshold, f"No {what} ({path} is missing); the profile needs it as evidence.")


def run_release_gate(run_dir: str | Path, profile: str | Path = "skill_release", *, write: bool = True) -> dict[str, Any]:
    """Judge a run directory under a profile; write gates/release.json and .md (when `write`)."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise PicochatInputError("run directory not found", path=run_dir)
    prof = load_profile(profile)
    name, rules = prof["name"], prof["release"]
    missing_sev = rules.get("missing_evidence", "block")
    checks: list[dict[str, Any]] = []
    evidence: dict[str, str] = {}

    def note(rel: str) -> None:
        p = run_dir / rel
        if p.exists():
            evidence[rel] = sha256_file(p)

    # preflight
    pre_path = run_dir / "gates" / "preflight.json"
    if pre_path.exists():
        note("gates/preflight.json")
        pre = read_json(pre_path)
        status = pre.get("status") if isinstance(pre, dict) else None
        if status not in ("ready", "warn", "blocked"):
            raise PicochatInputError("expected status ready|warn|blocked", path=pre_path, field="status")
        if status == "blocked":
            blocking = [c.get("name") for c in pre.get("checks", []) if c.get("status") == "block"]
            sentence = f"Preflight was blocked ({', '.join(map(str, blocking))})"
            overridden = bool(pre.get("override")) or any(
                ((read_json(p) if p.exists() else {}).get("preflight") or {}).get("override")
                for p in (run_dir / "sft" / "train_report.json", run_dir / "base" / "train_report.json")
            )
            sentence += "; training went on with an explicit override." if overridden else "."
            checks.append(check("preflight", rules["preflight"]["severity"], status, "not blocked", sentence))
        else:
            checks.append(check("preflight", "pass" if status == "ready" else "warn", status, "not blocked",
                                f"Preflight status was {status}."))
    else:
        checks.append(_missing("preflight", "preflight result", "gates/preflight.json", missing_sev, "not blocked"))

    # honesty + contamination
    hon_path = run_dir / "honesty" / "honesty_report.json"
    if hon_path.exists():
        note("honesty/honesty_report.json")
        hon = read_json(hon_path)
        status = hon.get("status") if isinstance(hon, dict) else None
        if status not in ("ready", "caution", "blocked"):
            raise PicochatInputError("expected status ready|caution|blocked", path=hon_path, field="status")
        sev = {"ready": "pass", "caution": "warn", "blocked": rules["honesty"]["severity"]}[status]
        checks.append(check("honesty", sev, status, "not blocked", f"Honesty scan status is {status}: {hon.get('summary', '')}".strip()))
        inputs = hon.get("inputs") or {}
        scanned = [name for name, ok in (("SFT rows", inputs.get("sft_rows")), ("a corpus", inputs.get("corpus_stats"))) if ok]
        unscanned = [name for name in ("SFT rows", "a corpus") if name not in scanned]
        if unscanned:
            checks.append(check("honesty_coverage", missing_sev, ", ".join(scanned) or "eval only", "SFT rows and a corpus",
                                f"The honesty scan did not include {' or '.join(unscanned)}, so leaks into them are unchecked."))
        else:
            checks.append(check("honesty_coverage", "pass", "SFT rows and a corpus", "SFT rows and a corpus",
                                f"The honesty scan covered {inputs.get('sft_rows')} SFT rows and {inputs['corpus_stats'].get('documents')} corpus documents."))
        counts = hon.get("counts") or {}
        failing = counts.get("eval_prompts_failing")
        if not isinstance(failing, int):
            raise PicochatInputError("expected an integer", path=hon_path, field="counts.eval_prompts_failing")
        rule = rules["contamination"]
        thr = rule["max_failing_prompts"]
        if failing > thr:
            checks.append(check("contamination", rule["severity"], failing, thr,
                                f"{failing} of {counts.get('eval_prompts')} eval prompts leak into SFT or corpus; the limit is {thr}."))
        else:
            checks.append(check("contamination", "pass", failing, thr,
                                f"{failing} of {counts.get('eval_prompts')} eval prompts leak (limit {thr}); "
                                f"{counts.get('near_prompt_hits', 0)} near hits and {counts.get('corpus_phrase_hits', 0)} corpus phrase hits are cautions."))
    else:
        checks.append(_missing("honesty", "honesty scan", "honesty/honesty_report.json", missing_sev, "not blocked"))
        checks.append(_missing("contamination", "contamination scan", "honesty/honesty_report.json", missing_sev, rules["contamination"]["max_failing_prompts"]))

    # fits
    reports: dict[str, dict | None] = {}
    for key, rel in EVAL_FILES.items():
        reports[key] = read_eval_report(run_dir / rel)
        note(rel)
    for key, label in (("sft_fit", "SFT fit"), ("sft_fit_heldout", "Held-out SFT fit")):
        rep, rule = reports[key], rules[key]
        if rep is None:
            checks.append(_missing(key, f"{label.lower()} report", EVAL_FILES[key], missing_sev, rule["min"]))
        else:
            checks.append(_min_check(key, label, rep["summary"]["pass_rate"], rule, name, rep["summary"]))

    # visible eval: non-choice pass rate, per-skill thresholds, refusal, echo, unsupported claims
    ev = reports["eval"]
    if ev is None:
        for key in ("visible_eval", "refusal", "prompt_echo", "unsupported_claims", *(f"skill_{s}" for s in rules["skills"])):
            checks.append(_missing(key, "visible eval report", EVAL_FILES["eval"], missing_sev, None))
    else:
        s = ev["summary"]
        by_skill = s.get("by_skill") or {}
        non_choice = [(k, v) for k, v in by_skill.items() if k != "choice"]
        n_nc = sum(int(v["n"]) for _, v in non_choice)
        rule = rules["visible_eval"]
        if not by_skill:
            checks.append(check("visible_eval", missing_sev, None, rule["min"], "The eval report has no by_skill breakdown, so the non-choice pass rate is unknown."))
        elif n_nc < rule["min_rows"]:
            checks.append(check("visible_eval", "warn", n_nc, rule["min_rows"],
                                f"Only {n_nc} non-choice eval rows (fewer than {rule['min_rows']}); too few to judge the visible pass rate."))
        else:
            passed = sum(v.get("passed", v["pass_rate"] * v["n"]) for _, v in non_choice)
            checks.append(_min_check("visible_eval", "Non-choice visible eval", passed / n_nc, rule, name, {"n": n_nc}))
        for skill, srule in rules["skills"].items():
            entry = by_skill.get(skill)
            label = skill.capitalize()
            if entry is None or not entry["n"]:
                checks.append(check(f"skill_{skill}", srule["severity"] if missing_sev == "block" else "warn", None, srule["min"],
                                    f"{label} has no eval rows; the profile requires {pct(srule['min'])}."))
            else:
                checks.append(_min_check(f"skill_{skill}", label, entry["pass_rate"], srule, name, entry))
        refusal = s.get("refusal_pass_rate")
        if refusal is None and "refusal" in by_skill:
            refusal = by_skill["refusal"]["pass_rate"]
        if refusal is None:
            checks.append(check("refusal", missing_sev, None, rules["refusal"]["min"], "The eval has no refusal rows, so refusal behaviour is untested."))
        else:
            checks.append(_min_check("refusal", "Refusal behaviour (declining unanswerable prompts)", refusal, rules["refusal"], name, by_skill.get("refusal")))
        for key, field, label in (("prompt_echo", "prompt_echo_rate", "Prompt echo"), ("unsupported_claims", "unsupported_claim_rate", "Unsupported-claim rate")):
            value = s.get(field)
            if value is None:
                checks.append(check(key, missing_sev, None, rules[key]["max"], f"The eval report has no {field}."))
            else:
                checks.append(_max_check(key, label, value, rules[key], name))

    # external benchmark presence
    ext = external_results(run_dir)
    for e in ext:
        note(e["source"])
    rule = rules["external_benchmark"]
    if len(ext) >= rule["min_count"]:
        names = ", ".join(f"{e['name']} {e['metric']}={e['value']:.3f}" if isinstance(e["value"], (int, float)) else e["name"] for e in ext)
        checks.append(check("external_benchmark", "pass", len(ext), rule["min_count"], f"{len(ext)} external benchmark result(s) attached: {names}."))
    else:
        checks.append(check("external_benchmark", rule["severity"], len(ext), rule["min_count"],
                            f"{len(ext)} external benchmark results attached (external_eval/*/eval_report.json or lm_eval/lm_eval_results.json); "
                            f"the profile needs {rule['min_count']}."))

    status = roll_up(checks, "approved")
    result = {
        "status": status,
        "profile": name,
        "profile_source": prof["source"],
        "summary": summary_line(checks, status),
        "checks": checks,
        "blocking": [c["why"] for c in checks if c["status"] == "block"],
        "external": ext,
        "evidence": evidence,
        "run_dir": str(run_dir),
        "provenance": provenance(),
    }
    if write:
        atomic_write_json(run_dir / "gates" / "release.json", result)
        atomic_write_text(run_dir / "gates" / "release.md", render_gate_md(result, "Release gate"))
    return result
