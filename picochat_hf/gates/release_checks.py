"""The release gate's checks: small pure functions over `Evidence` read once, each returning check records.

A check names its value and threshold and says why in one sentence; when two files disagree, the sentence
names both sides. Severities come from the profile (`release:` section of profiles/*.yaml):
`missing_evidence` for absent files, `chain` for evidence that is not about this release (another
checkpoint, another eval file, a scan that skipped the trained rows), per-rule severities for thresholds,
and `lower_bound` for a pass whose 95% Wilson interval reaches below the threshold.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..run_dir import EVAL_LABELS, RunDir
from ..utils.io import read_json
from ..utils.provenance import tensors_differ, weights_sha256
from ..utils.tokenizer_identity import legacy_tokenizer_note
from ..utils.trained_tokens import trained_tokens
from .common import STATUS_ORDER, Check, check, count, pct, pct_pair, roll_up, short
from .common import chain_check as _chain
from .common import missing_check as _missing
from .evidence import Evidence
from .preflight_tie import check_preflight_plan
from .release_config import check_eval_settings
from .release_dates import check_evidence_dates
from .release_honesty import check_honesty
from .release_owned import check_release_owned, foreign_links, link_advice
from .release_scoring import check_scoring
from .release_size import check_released_parameters, released_count
from .verdicts import rejudge, rejudge_external


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


# ---- the chain: is the evidence about this release? ---------------------------------------------------


def check_released_checkpoint(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    rel = ev.run.rel(ev.checkpoint) if ev.checkpoint.is_relative_to(ev.run.root) else str(ev.checkpoint)
    if ev.weights is None:
        return [_missing("released_checkpoint", "released checkpoint weights", rel, rules)]
    out = [check("released_checkpoint", "pass", short(ev.weights), None, f"The released checkpoint {rel} has weights {short(ev.weights)}.")]
    sft = ev.train.get("sft") or {}
    wrote = (sft.get("outputs") or {}).get("checkpoint_weights_sha256")
    if sft:  # a checkpoint named with --checkpoint is the release only when it holds what this run's SFT wrote
        same = wrote == ev.weights or (ev.checkpoint != ev.run.released_checkpoint and wrote is not None
                                       and weights_sha256(ev.run.released_checkpoint) == wrote
                                       and tensors_differ(ev.checkpoint, ev.run.released_checkpoint) is None)
        holds = "holds them" if wrote == ev.weights else f"holds the same tensors ({short(ev.weights)})"
        dpo = None if same or wrote is None else _dpo_origin(ev, wrote, rel)
        if dpo is not None and dpo[0]:
            out.append(_chain("sft_checkpoint_origin", True, short(wrote), short(ev.weights), dpo[1], rules))
            return out
        out.append(_chain("sft_checkpoint_origin", same, short(wrote), short(ev.weights),
                          f"sft/train_report.json says SFT wrote weights {short(wrote)}, and {rel} {holds}." if same else
                          f"sft/train_report.json says SFT wrote weights {short(wrote)}, but {rel} holds weights {short(ev.weights)}"
                          + (f"; {dpo[1]}" if dpo else "") + ": the evidence of this run's training is not about it.", rules))
    return out


def check_base_origin(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """The base run's report speaks for the release (its budget, its completed steps) only when SFT started from
    weights that base run wrote (its checkpoint or best checkpoint)."""
    base, sft = ev.train.get("base"), ev.train.get("sft")
    if not base or not sft:
        return []  # a missing report is the training check's
    started = (sft.get("inputs") or {}).get("init_weights_sha256")
    outputs = base.get("outputs") if isinstance(base.get("outputs"), dict) else {}
    wrote = list(dict.fromkeys(outputs.get(k) for k in ("checkpoint_weights_sha256", "best_checkpoint_weights_sha256") if outputs.get(k)))
    if not started or not wrote:
        field = "sft/train_report.json's inputs.init_weights_sha256" if not started else "base/train_report.json's outputs"
        return [_chain("base_checkpoint_origin", False, short(started), None, f"{field} is not recorded, so the base run's "
                       "report (its token budget, its steps) cannot be tied to the weights SFT started from.", rules)]
    ok = started in wrote
    said = f"base/train_report.json says the base run wrote weights {' or '.join(short(w) for w in wrote)}"
    return [_chain("base_checkpoint_origin", ok, short(started), short(wrote[0]),
                   f"{said}, and SFT started from weights {short(started)}." if ok else
                   f"{said}, but SFT started from weights {short(started)} (sft/train_report.json): the base report is about "
                   "another base run, so its budget and steps are not this release's.", rules)]


def _dpo_origin(ev: Evidence, wrote: str, rel: str) -> tuple[bool, str] | None:
    """Is the released checkpoint the output of a DPO run trained from this run's SFT output? (True, why) when
    dpo/train_report.json completed, records SFT's weights as its input and the released weights as its output;
    (False, why not) when it does not; None when the run has no DPO report."""
    dpo = ev.train.get("dpo")
    if dpo is None:
        return None
    started = (dpo.get("inputs") or {}).get("init_weights_sha256")
    made = (dpo.get("outputs") or {}).get("checkpoint_weights_sha256")
    if dpo.get("status") != "completed":
        return False, f"dpo/train_report.json's status is {dpo.get('status')}, not completed"
    if started != wrote:
        return False, (f"dpo/train_report.json trained from weights {short(started)}, not SFT's" if started else
                       "dpo/train_report.json does not record the weights it trained from (inputs.init_weights_sha256)")
    if made != ev.weights:
        return False, f"dpo/train_report.json trained from SFT's weights but wrote weights {short(made)}"
    return True, (f"sft/train_report.json says SFT wrote weights {short(wrote)}; dpo/train_report.json trained from them and wrote "
                  f"weights {short(made)}, which {rel} holds.")


def _about_sentence(rel: str, about: dict, ev: Evidence, rel_ckpt: str) -> tuple[bool, str]:
    if about.get("kind") == "replies":
        return False, (f"{rel} scores a replies file ({about.get('path')}), not a model, so it is no evidence about "
                       f"the released checkpoint {rel_ckpt}.")
    got = about.get("weights_sha256")
    if got is None:
        return False, f"{rel} does not record the weights it scored ({about.get('path')}), so it cannot be tied to {rel_ckpt}."
    if got == ev.weights:
        return _same_tokenizer(rel, about, ev, rel_ckpt) or (True, f"{rel} scored the released checkpoint (weights {short(got)}).")
    manifest = ev.export_manifest or {}
    if got == manifest.get("weights_sha256") and manifest.get("source_weights_sha256") == ev.weights:
        differs = _export_differs(ev, got)
        if differs:
            return False, f"{rel} scored weights {short(got)}, which export/release_manifest.json calls the export of {rel_ckpt}, but {differs}."
        return True, f"{rel} scored the export of the released checkpoint (weights {short(got)}, the same tensors as {short(ev.weights)})."
    return False, (f"{rel} scored weights {short(got)} ({about.get('path')}), but the released checkpoint {rel_ckpt} "
                   f"has weights {short(ev.weights)}.")


def _export_differs(ev: Evidence, got: str) -> str | None:
    """Why export/ is not the released checkpoint's weights under another hash (the manifest's word is not
    enough: it is a file like any other); None when export/ holds weights hashing to `got` whose tensors equal
    the released checkpoint's (cast to the export's dtype)."""
    on_disk = weights_sha256(ev.run.export_dir)
    if on_disk != got:
        return f"export/ holds weights {short(on_disk)}"
    return tensors_differ(ev.run.export_dir, ev.checkpoint)


def _same_tokenizer(rel: str, about: dict, ev: Evidence, rel_ckpt: str) -> tuple[bool, str] | None:
    """Why a report about the released weights is still not about the release: it read them with another
    tokenizer (or does not say which); None when the tokenizer is the released one."""
    if about.get("harness") == "lm_eval":  # lm-eval records no tokenizer; its scores are not counted
        return None
    got, path = about.get("tokenizer_sha256"), about.get("tokenizer")
    if ev.tokenizer is None:  # no tokenizer.json ships: only a report that read none (a slow tokenizer) is about the release
        return None if got is None else (False, (
            f"{rel} scored the released weights with tokenizer {short(got)} ({path}), but {rel_ckpt} ships no tokenizer.json "
            "(none in it, its parent folder or the run's tokenizer/), so the release is not the model that was scored."))
    if got is None:  # every eval writer hashes the tokenizer it read; a report without the hash may have read any
        used = f"the tokenizer at {path}" if path is not None else "a tokenizer it does not name"
        return False, (f"{rel} scored the released weights with {used} but does not record its sha256, "
                       f"so it cannot be tied to the tokenizer of {rel_ckpt}.")
    if got != ev.tokenizer:
        legacy = legacy_tokenizer_note(got, ev.run.shipped_tokenizer_dir(ev.checkpoint))
        if legacy:
            return False, f"{rel} scored the released weights, but {legacy}."
        return False, (f"{rel} scored the released weights with tokenizer {short(got)} ({path}), but {rel_ckpt} ships "
                       f"tokenizer {short(ev.tokenizer)}.")
    return None


def check_evidence_inside(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Every evidence file is the run directory's own: one reached through a link to elsewhere (another run's eval, a
    shared folder), or a hard link with names outside the run, is not this run's record and can change under it."""
    bad = foreign_links([ev.run.root / rel for rel in ev.files], ev.run.root, ev.run.rel)
    if not bad:
        return [check("evidence_inside_run", "pass", len(ev.files), "inside the run directory",
                      f"All {len(ev.files)} evidence files lie inside the run directory.")]
    more = f" ({len(bad) - 1} more)" if len(bad) > 1 else ""
    advice = link_advice(bad, "evidence must be the run's own files")
    return [_chain("evidence_inside_run", False, len(bad), 0, f"{bad[0]}{more}: {advice}.", rules)]


def check_eval_models(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Every eval, fit and external report must be about the released weights."""
    if ev.weights is None:
        return []
    rel_ckpt = ev.run.rel(ev.checkpoint) if ev.checkpoint.is_relative_to(ev.run.root) else str(ev.checkpoint)
    out = []
    for kind, report in ev.evals.items():
        if report is not None:
            ok, why = _about_sentence(ev.run.rel(ev.run.eval_report(kind)), ev.about(kind), ev, rel_ckpt)
            out.append(_chain(f"{kind}_model", ok, short(ev.about(kind).get("weights_sha256")), short(ev.weights), why, rules))
    seen: set[str] = set()
    for ext in ev.external:
        if ext["source"] in seen:
            continue
        seen.add(ext["source"])
        ok, why = _about_sentence(ext["source"], ext["about"], ev, rel_ckpt)
        out.append(_chain(f"external_model:{ext['source']}", ok, short(ext["about"].get("weights_sha256")), short(ev.weights), why, rules))
    return out


def _rows_mismatch(report_path: Path, report: dict | None = None) -> str | None:
    """Why a report's numbers do not follow from the results.jsonl beside it; None when they do. `report`: the
    report already read from `report_path`, if it was."""
    from ..export.rederive import read_results_file, rederive

    results = RunDir.results_beside(report_path)
    if not results.is_file():
        return f"has no {results.name} beside it, so its numbers cannot be checked against its rows"
    try:
        mismatches = rederive(report if report is not None else read_json(report_path), read_results_file(results))
    except (ValueError, UnicodeDecodeError) as exc:
        return f"has an unreadable {results.name} ({exc})"
    return f"does not follow from its {results.name}: {'; '.join(mismatches[:3])}" if mismatches else None


def check_eval_rows(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Every eval, fit and external report's numbers are re-derived from its per-row results (a hand-edited
    summary, or one written without its rows, is no evidence)."""
    loaded = {ev.run.eval_report(kind): report for kind, report in ev.evals.items() if report is not None}
    paths = list(loaded) + [ev.run.root / ext["source"] for ext in ev.external if ext["source"].endswith("eval_report.json")]
    out = []
    for path in dict.fromkeys(paths):
        rel, why = ev.run.rel(path), _rows_mismatch(path, loaded.get(path))
        out.append(_chain(f"rows:{rel}", why is None, "re-derived" if why is None else "differs", "numbers follow from the rows",
                          f"{rel}'s numbers follow from its per-row results." if why is None else f"{rel} {why}.", rules))
    return out


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
    """gates/preflight.json's status is the roll-up of its own checks, and the one the last training stage recorded
    when it ran (a blocked preflight edited to read ready, or another run's preflight, is not this run's)."""
    pre = ev.preflight or {}
    checks = [c for c in pre.get("checks") or [] if isinstance(c, dict) and c.get("status") in STATUS_ORDER]
    rolled = roll_up(checks, "ready")
    # the last training stage ran the preflight gates/preflight.json holds (SFT overwrites base's)
    stage = next((s for s in ("sft", "base") if ev.train.get(s) is not None), None)
    recorded = ((ev.train[stage] or {}).get("preflight") or {}).get("status") if stage else None
    if pre.get("status") != rolled:
        why = f"gates/preflight.json says {pre.get('status')}, but its own checks roll up to {rolled}."
    elif stage is not None and recorded is None:
        why = (f"{stage}/train_report.json records no preflight.status, so gates/preflight.json's status cannot be held to the "
               "one the run saw when it trained.")
    elif recorded is not None and recorded != pre.get("status"):
        why = f"gates/preflight.json says {pre.get('status')}, but {stage}/train_report.json recorded preflight status {recorded} when it ran."
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


def check_eval_verdicts(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Every eval and fit report's per-row verdicts follow from the rows it scored and its scorer (`verdicts.py`)."""
    out = []
    for kind, report in ev.evals.items():
        if report is None:
            continue
        rel, why = ev.run.rel(ev.run.eval_report(kind)), rejudge(ev.run, kind, report)
        out.append(_chain(f"verdicts:{rel}", why is None, "re-judged" if why is None else "differs", "verdicts follow from the rows",
                          f"{rel}'s verdicts follow from the rows it scored." if why is None else f"{rel} {why}.", rules))
    for source in dict.fromkeys(e["source"] for e in ev.external if e["source"].endswith("eval_report.json")):
        path = ev.run.root / source
        why = rejudge_external(ev.run, path, read_json(path))
        out.append(_chain(f"verdicts:{source}", why is None, "re-judged" if why is None else "differs", "verdicts follow from the rows",
                          f"{source}'s verdicts follow from its benchmark file." if why is None else f"{source} {why}.", rules))
    return out


def check_eval_rows_origin(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """The visible eval scored the eval rows the run planned (and its preflight checked), as sft/train_report.json
    records them; an eval of other rows (and a scan of those) is not the run's evidence."""
    planned = ((ev.train.get("sft") or {}).get("inputs") or {}).get("eval_input_sha256")
    if ev.evals.get("eval") is None:
        return []
    whole = _eval_rows_whole(ev, rules)
    if not planned:
        return whole + [check("eval_rows_origin", rules["missing_evidence"], None, "the planned eval rows",
                              "sft/train_report.json records no planned eval rows (inputs.eval_input_sha256), so the eval file "
                              "eval/eval_report.json scored is tied to this run only by the honesty scan.")]
    scored = ((ev.evals["eval"] or {}).get("config") or {}).get("input_sha256")
    ok = scored == planned
    why = (f"eval/eval_report.json scored the eval rows sft/train_report.json planned (sha256 {short(planned)})." if ok else
           f"eval/eval_report.json scored eval rows {short(scored)}, but sft/train_report.json planned (and the preflight "
           f"checked) eval rows {short(planned)}.")
    return whole + [_chain("eval_rows_origin", ok, short(scored), short(planned), why, rules)]


def _eval_rows_whole(ev: Evidence, rules: dict) -> list[Check]:
    """The visible eval scored every row of its eval file: `max_rows` cutting it to its first rows (an easier
    or luckier subsample) is no release evidence. A file that cannot be read is `verdicts:*`'s to report."""
    from ..eval.scoring import read_scored_rows
    from .verdicts import input_file

    config = (ev.evals["eval"] or {}).get("config") or {}
    path = input_file(ev.run, config)
    if isinstance(path, str):
        return []
    try:
        total = len(read_scored_rows(path))
    except (ValueError, UnicodeDecodeError):
        return []
    n = ev.evals["eval"]["summary"]["n"]
    ok = n >= total
    why = (f"eval/eval_report.json scored all {total} rows of its eval file." if ok else
           f"eval/eval_report.json scored {n} of the {total} rows of its eval file (max_rows {config.get('max_rows')}); "
           "a release's visible eval scores every row.")
    return [_chain("eval_rows_whole", ok, n, total, why, rules)]


# ---- behaviour -----------------------------------------------------------------------------------


def check_fits(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    out = []
    for kind in ("sft_fit", "sft_fit_heldout"):
        rep, label = ev.evals.get(kind), EVAL_LABELS[kind]
        if rep is None:
            out.append(_missing(kind, f"{label.lower()} report", f"{kind}/eval_report.json", rules, rules[kind]["min"]))
        else:
            out.append(min_check(kind, label, rep["summary"]["pass_rate"], rules[kind], rules, profile, rep["summary"]))
            out.append(_fit_rows(kind, label, rep, rules[kind], rules, profile))
            out += _fit_origin(ev, kind, rep, rules)
    return out


def _fit_rows(kind: str, label: str, rep: dict, rule: dict, rules: dict, profile: str) -> Check:
    """A fit scored at least the rule's `min_n` rows of its split (all of them when the split is smaller): a fit
    cut down to a few rows by `max_rows` proves little, however well they pass."""
    config = rep.get("config") or {}
    split_n = config.get("n_train_rows" if kind == "sft_fit" else "n_heldout_rows")
    want = int(rule.get("min_n", 1))
    need = min(want, split_n) if isinstance(split_n, int) and not isinstance(split_n, bool) else want
    n = rep["summary"].get("n", 0)
    of = f" of the {split_n} in its split" if isinstance(split_n, int) else ""
    if n >= need:
        return check(f"{kind}_rows", "pass", n, need, f"{label} scored {n} rows{of}; the profile needs at least {need}.")
    sev = rule["severity"] if rules["missing_evidence"] == "block" else "warn"
    return check(f"{kind}_rows", sev, n, need, f"{label} scored only {n} rows{of}; profile {profile} needs at least {need} to judge it.")


def _fit_origin(ev: Evidence, kind: str, rep: dict, rules: dict) -> list[Check]:
    """A fit scored the SFT file that was trained on; a held-out fit scored rows SFT really held out. Without
    sft/train_report.json (or its record of the file) the fit cannot be tied to training: missing evidence."""
    sft = ev.train.get("sft") or {}
    config = rep.get("config") or {}
    trained = (sft.get("inputs") or {}).get("sft_input_sha256")
    if not trained:  # no record of the file trained on: the fit cannot be tied to it (a missing report is check_training's too)
        said = "is missing" if not sft else "records no inputs.sft_input_sha256"
        return [check(f"{kind}_origin", rules["missing_evidence"], short(config.get("input_sha256")), None,
                      f"sft/train_report.json {said}, so the rows {kind}/eval_report.json scored cannot "
                      "be tied to the SFT file trained on.")]
    if config.get("input_sha256") != trained:
        return [_chain(f"{kind}_origin", False, short(config.get("input_sha256")), short(trained),
                       f"{kind}/eval_report.json scored rows {short(config.get('input_sha256'))}, but sft/train_report.json trained on "
                       f"{short(trained)}.", rules)]
    if kind != "sft_fit_heldout":
        return [_chain(f"{kind}_origin", True, short(trained), short(trained), f"{kind}/eval_report.json scored the rows SFT trained on.",
                       rules)]
    return [_heldout_origin(kind, sft, config, rules)]


def _heldout_origin(kind: str, sft: dict, config: dict, rules: dict) -> Check:
    """The held-out fit's rows are the split sft/train_report.json's `data.heldout` records leaving out (same
    val_fraction and seed). A report without that record cannot prove the rows were held out: missing evidence."""
    check_said = config.get("heldout_check") if isinstance(config.get("heldout_check"), dict) else {}
    status = check_said.get("status")
    data = sft.get("data") if isinstance(sft.get("data"), dict) else None
    split = data.get("heldout") if data is not None else None
    ours = (config.get("val_fraction"), config.get("seed"))
    if status == "trained_on_heldout":
        why = f"{kind}/eval_report.json says training saw its rows ({check_said.get('why')}): recall, not held-out fit."
        return _chain(f"{kind}_origin", False, status, "held out", why, rules)
    if data is None or (isinstance(split, dict) and None in (split.get("val_fraction"), split.get("seed"))):
        field = "data section" if data is None else "data.heldout.val_fraction and data.heldout.seed"
        return check(f"{kind}_origin", rules["missing_evidence"], status, "held out",
                     f"sft/train_report.json records no {field}, so whether SFT held out the rows {kind}/eval_report.json "
                     "scored (its val_fraction and seed) cannot be shown: held-out fit may be recall.")
    if not isinstance(split, dict):
        why = f"sft/train_report.json held no rows out, so {kind}/eval_report.json scored rows SFT trained on: recall, not held-out fit."
    elif (split.get("val_fraction"), split.get("seed")) != ours:
        why = (f"{kind}/eval_report.json split val_fraction={ours[0]}, seed={ours[1]}, but SFT held out "
               f"val_fraction={split.get('val_fraction')}, seed={split.get('seed')}: its rows are not the ones SFT left out.")
    else:
        why = None
    return _chain(f"{kind}_origin", why is None, status, "held out", why or f"{kind}/eval_report.json scored rows SFT held out "
                  f"(sft/train_report.json data.heldout val_fraction={ours[0]}, seed={ours[1]}).", rules)


def _enough_rows(name: str, label: str, n: int, rule: dict, rules: dict, profile: str) -> Check | None:
    need = rule.get("min_n", rules.get("min_n", 1))
    if n >= need:
        return None
    sev = rule["severity"] if rules["missing_evidence"] == "block" else "warn"
    return check(name, sev, n, need, f"{label} has {n} eval rows; profile {profile} needs at least {need} to judge it.",
                 rate_threshold=rule.get("min"))


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
        few = _enough_rows(f"skill_{skill}", label, int(entry["n"]), srule, rules, profile)
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
    few = _enough_rows("refusal", label, int(n), rule, rules, profile)
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


def check_external(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Benchmarks the gate re-runs (external_eval/*/eval_report.json) count toward `min_count`. lm-eval's scores are
    listed but not counted: lm_eval/lm_eval_results.json keeps no per-row requests the gate could re-score, so its
    numbers, and the weights it says it scored, are the file's own word (the verdict's `unverified` list says so)."""
    rule = rules["external_benchmark"]
    lm_eval = ev.run.rel(ev.run.lm_eval_results)
    names = list(dict.fromkeys(e["name"] for e in ev.external if e["source"] != lm_eval))  # one benchmark scored two ways counts once
    listed = ", ".join((f"{e['name']} {e['metric']}={e['value']:.3f} ({e['source']}" if isinstance(e["value"], (int, float))
                        else f"{e['name']} ({e['source']}") + ("; not counted: not re-run)" if e["source"] == lm_eval else ")")
                       for e in ev.external)
    if len(names) >= rule["min_count"]:
        return [check("external_benchmark", "pass", len(names), rule["min_count"],
                      f"{len(names)} external benchmark(s) the gate re-runs attached: {listed}.")]
    also = f" Also attached: {listed}." if listed else ""
    return [check("external_benchmark", rule["severity"], len(names), rule["min_count"],
                  f"{len(names)} external benchmarks the gate re-runs attached (external_eval/*/eval_report.json from "
                  f"picochat eval external); the profile needs {rule['min_count']}. lm-eval's scores are not counted: the "
                  f"gate cannot re-run them.{also}")]


CHECKS: tuple[Callable[[Evidence, dict, str], list[Check]], ...] = (
    check_released_checkpoint, check_release_owned, check_released_parameters, check_base_origin, check_evidence_inside,
    check_eval_models, check_eval_rows, check_eval_verdicts, check_eval_settings, check_scoring, check_eval_rows_origin, check_evidence_dates,
    check_preflight, check_preflight_plan,
    check_training, check_honesty,
    check_fits, check_visible_eval, check_external,
)
