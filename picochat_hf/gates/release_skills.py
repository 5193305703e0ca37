"""The release gate's behaviour checks: the visible eval's non-choice pass rate, each skill, refusal, prompt echo
and unsupported claims (a rate over zero rows is "not measured"), and the external benchmarks the gate re-runs."""

from __future__ import annotations

from .common import Check, check, pct
from .common import missing_check as _missing
from .evidence import Evidence
from .release_thresholds import enough_rows, max_check, min_check


def check_visible_eval(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    report = ev.evals.get("eval")
    if report is None:
        return [_missing("visible_eval", "visible eval report", "eval/eval_report.json", rules, rules["visible_eval"]["min"])]
    s = report["summary"]
    by_skill = s.get("by_skill") or {}
    rule = rules["visible_eval"]
    non_choice = [v for k, v in by_skill.items() if k != "choice"]
    n_nc = sum(int(v["n"]) for v in non_choice)
    if not by_skill:
        out = [check("visible_eval", rules["missing_evidence"], None, rule["min"],
                     "The eval report has no by_skill breakdown, so the non-choice pass rate is unknown.")]
    elif n_nc < rule["min_rows"]:  # too few rows to judge is missing evidence: the rule's severity under a release profile
        out = [check("visible_eval", rule["severity"] if rules["missing_evidence"] == "block" else "warn", n_nc, rule["min_rows"],
                     f"Only {n_nc} non-choice eval rows (fewer than {rule['min_rows']}); too few to judge the visible pass rate.")]
    else:
        passed = sum(v.get("passed", v["pass_rate"] * v["n"]) for v in non_choice)
        out = [min_check("visible_eval", "Non-choice visible eval", passed / n_nc, rule, rules, profile, {"n": n_nc})]
    for skill, srule in rules["skills"].items():
        entry, label = by_skill.get(skill), skill.capitalize()
        if entry is None or not entry["n"]:
            sev = srule["severity"] if rules["missing_evidence"] == "block" else "warn"
            out.append(check(f"skill_{skill}", sev, None, srule["min"], f"{label} was not measured (no eval rows); the profile requires {pct(srule['min'])}."))
            continue
        few = enough_rows(f"skill_{skill}", label, int(entry["n"]), srule, rules, profile)
        out.append(few or min_check(f"skill_{skill}", label, entry["pass_rate"], srule, rules, profile, entry))
    return out + _refusal(s, by_skill, rules, profile) + _rates(s, rules, profile)


def _refusal(s: dict, by_skill: dict, rules: dict, profile: str) -> list[Check]:
    rule, entry = rules["refusal"], by_skill.get("refusal")
    value = s.get("refusal_pass_rate")
    n = s.get("unsupported_claim_n") if s.get("refusal_pass_rate") is not None else None
    if value is None and entry is not None:
        value, n = entry["pass_rate"], entry["n"]
    if n is None and entry is not None:
        n = entry["n"]
    label = "Refusal behaviour (declining unanswerable prompts)"
    if value is None:
        return [check("refusal", rules["missing_evidence"], None, rule["min"], f"{label} was not measured: the eval has no refusal rows.")]
    if not _is_count(n):  # every eval writes the count; a rate without it rests on rows nobody can count
        return [check("refusal", rules["missing_evidence"], value, rule["min"], "eval/eval_report.json records summary.refusal_pass_rate "
                      "but no summary.unsupported_claim_n (nor a by_skill.refusal entry), so the number of refusal rows it rests on "
                      "is unknown.")]
    few = enough_rows("refusal", label, int(n), rule, rules, profile)
    return [few or min_check("refusal", label, value, rule, rules, profile, entry)]


def _is_count(n: object) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 0


def _rates(s: dict, rules: dict, profile: str) -> list[Check]:
    """Prompt echo and unsupported claims; a rate over zero rows is "not measured", never 0%."""
    generated = (s.get("generated") or {}).get("n") if isinstance(s.get("generated"), dict) else None
    out = []
    for key, field, label, n, nfield in (("prompt_echo", "prompt_echo_rate", "Prompt echo", generated, "generated.n"),
                                         ("unsupported_claims", "unsupported_claim_rate", "Unsupported-claim rate",
                                          s.get("unsupported_claim_n"), "unsupported_claim_n")):
        value = s.get(field)
        if value is None or n == 0:
            why = (f"{label} was not measured: the eval has no generated replies." if key == "prompt_echo" else
                   f"{label} was not measured: the eval has no rows that should be refused.")
            out.append(check(key, rules["missing_evidence"], None, rules[key]["max"], why))
        elif not _is_count(n):  # every eval writes the count; without it the rate's rows are unknown
            out.append(check(key, rules["missing_evidence"], value, rules[key]["max"], f"eval/eval_report.json records summary.{field} "
                             f"but no summary.{nfield}, so the number of rows it is a rate of is unknown."))
        else:
            out.append(max_check(key, label, value, rules[key], profile))
    return out


def _too_few(e: dict, lm_eval: str, need: int) -> bool:
    """A re-run benchmark scored on fewer rows than the profile's `min_n` (or on a count it does not record) is no
    benchmark result: `max_rows` can cut one to a handful of lucky rows, or to none."""
    n = e.get("n")
    return e["source"] != lm_eval and not (isinstance(n, int) and not isinstance(n, bool) and n >= need)


def check_external(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Benchmarks the gate re-runs (external_eval/*/eval_report.json) that scored at least the rule's `min_n` rows
    count toward `min_count`. lm-eval's scores are listed but not counted: lm_eval/lm_eval_results.json keeps no
    per-row requests the gate could re-score, so its numbers, and the weights it says it scored, are the file's own
    word (the verdict's `unverified` list says so)."""
    rule = rules["external_benchmark"]
    need = int(rule.get("min_n", rules.get("min_n", 1)))
    lm_eval = ev.run.rel(ev.run.lm_eval_results)
    few = [e for e in ev.external if _too_few(e, lm_eval, need)]
    # one benchmark scored two ways counts once
    names = list(dict.fromkeys(e["name"] for e in ev.external if e["source"] != lm_eval and not any(e is f for f in few)))

    def tail(e: dict) -> str:
        if e["source"] == lm_eval:
            return "; not counted: not re-run)"
        return f"; not counted: scored {e.get('n')!r} rows, fewer than the profile's min_n {need})" if any(e is f for f in few) else ")"

    listed = ", ".join((f"{e['name']} {e['metric']}={e['value']:.3f} ({e['source']}" if isinstance(e["value"], (int, float))
                        else f"{e['name']} ({e['source']}") + tail(e) for e in ev.external)
    if len(names) >= rule["min_count"]:
        return [check("external_benchmark", "pass", len(names), rule["min_count"],
                      f"{len(names)} external benchmark(s) the gate re-runs attached: {listed}.")]
    also = f" Also attached: {listed}." if listed else ""
    return [check("external_benchmark", rule["severity"], len(names), rule["min_count"],
                  f"{len(names)} external benchmarks the gate re-runs attached (external_eval/*/eval_report.json from "
                  f"picochat eval external, each scoring at least {need} rows); the profile needs {rule['min_count']}. lm-eval's "
                  f"scores are not counted: the gate cannot re-run them.{also}")]
