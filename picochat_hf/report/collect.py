"""Gather a run's numbers, each with the artifact it came from.

A `Fact` is a value plus its source path (relative to the run directory). The renderers print the
source beside every number, so a reader can always find the file that backs a claim; a missing
artifact becomes an explicit "not produced" row, never a silent gap.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..gates.release_dates import dated_before_training
from ..gates.verdicts import verdicts_disagree
from ..gates.verify import run_weights, verify_release
from ..gates.evidence import read_eval_report
from ..run_dir import EVAL_KINDS, EVAL_LABELS, RunDir, shipped_tokenizer_dir
from ..eval.stats import wilson_ci
from ..utils.io import read_json_or_none
from ..utils.provenance import input_sha256
from ..utils.tokenizer_identity import legacy_tokenizer_note
from ..utils.trained_tokens import FIELD as TRAINED_FIELD
from ..utils.trained_tokens import trained_tokens


@dataclass
class Fact:
    label: str
    value: Any
    source: str
    note: str = ""


@dataclass
class Table:
    title: str
    facts: list[Fact] = field(default_factory=list)

    def add(self, label: str, value: Any, source: str, note: str = "") -> None:
        self.facts.append(Fact(label, value, source, note))


def _load(run: Path, rel: str) -> Any | None:
    rd = RunDir(run)
    if rel in {rd.rel(rd.eval_report(kind)) for kind in EVAL_KINDS}:  # read, the fields the tables use validated
        return read_eval_report(run / rel)
    return read_json_or_none(run / rel)


def _rel(run: Path, path: Path) -> str:
    return RunDir(run).rel(path)


def _get(obj: Any, *keys: str, default: Any = None) -> Any:
    for key in keys:
        if not isinstance(obj, dict) or key not in obj:
            return default
        obj = obj[key]
    return obj


def read_metrics(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return rows


def find_task_mixture(run: Path) -> str | None:
    hits = sorted(RunDir(run).task_pack_dir.glob("task_mixture_*.json"))
    return str(hits[0].relative_to(run)) if hits else None


def model_table(run: Path) -> Table:
    t = Table("Model")
    rd = RunDir(run)
    cfg_path = rd.export_dir / "config.json" if (rd.export_dir / "config.json").exists() else rd.released_checkpoint / "config.json"
    cfg_rel = rd.rel(cfg_path)
    cfg = _load(run, cfg_rel) or {}
    for key in ("model_type", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
                "intermediate_size", "vocab_size", "max_position_embeddings", "final_logit_softcapping"):
        if key in cfg:
            t.add(key, cfg[key], cfg_rel)
    sft_rel = rd.rel(rd.train_report("sft"))
    rep = _load(run, sft_rel)
    from .render import fmt  # render imports this module

    counted = released_parameters(rd)
    said = rep.get("num_parameters") if isinstance(rep, dict) else None
    if counted is not None:
        note = "" if said in (None, counted) else f"{sft_rel} says {fmt(said)}, not the released weights' count"
        t.add("parameters", counted, rd.rel(rd.released_checkpoint), note or "counted in the released weights")
    elif said is not None:
        t.add("parameters", said, sft_rel, "the train report's word: the released weights could not be counted")
    attn = _get(rep, "plan", "attn_implementation") if isinstance(rep, dict) else None
    if attn:
        t.add("attention backend", attn, sft_rel, "attn_implementation SFT ran with")
    _tokenizer_fact(t, rd)
    return t


def _tokenizer_fact(t: Table, rd: RunDir) -> None:
    """The tokenizer hash re-derived from the tokenizer in tokenizer/, not read from tokenizer_hash.txt beside it (a
    file like any other, which can be edited or left from another tokenizer); the stored one only where nothing loads."""
    stored = rd.tokenizer_hash.read_text(encoding="utf-8").strip() if rd.tokenizer_hash.is_file() else None
    rel, json_rel = rd.rel(rd.tokenizer_hash), rd.rel(rd.tokenizer_dir / "tokenizer.json")
    if stored is None and not (rd.tokenizer_dir / "tokenizer.json").is_file():
        return
    try:
        from ..tokenizer import load_tokenizer, tokenizer_hash

        derived = tokenizer_hash(load_tokenizer(rd.tokenizer_dir))
    except Exception as exc:  # any unloadable tokenizer: the stored hash is then shown as what it is, unchecked
        said = f"{rel} says {stored[:16]}…, but " if stored else ""
        t.add("tokenizer hash", "not re-derived", rel if stored else json_rel,
              f"{said}{rd.rel(rd.tokenizer_dir)} cannot be loaded to hash it ({exc.__class__.__name__})")
        return
    if stored is not None and stored != derived:
        t.add("tokenizer hash", derived[:16] + "…", json_rel, f"{rel} says {stored[:16]}…, not the hash of the tokenizer beside it")
    else:
        t.add("tokenizer hash", derived[:16] + "…", rel if stored else json_rel)


def data_table(run: Path) -> Table:
    t = Table("Data")
    src = _rel(run, RunDir(run).import_report)
    rep = _load(run, src)
    if rep:
        for key, value in (rep.get("counts") or {}).items():
            if isinstance(value, (int, float)):
                t.add(f"corpus {key}", value, src)
        for key, value in (rep.get("duplicates") or {}).items():
            if isinstance(value, (int, float)) and "rate" in key:
                t.add(f"corpus {key}", value, src)
    mix_rel = find_task_mixture(run)
    mix = _load(run, mix_rel) if mix_rel else None
    if mix:
        t.add("task-pack profile", mix.get("profile"), mix_rel)
        t.add("answer style", mix.get("answer_style"), mix_rel)
        t.add("source status", mix.get("source_status"), mix_rel)
        counts = mix.get("counts") or {}
        for split in ("sft", "eval"):
            n = _get(counts, split, "rows") if isinstance(counts.get(split), dict) else counts.get(split)
            if n is not None:
                t.add(f"{split} rows", n, mix_rel)
        overlap = mix.get("overlap") or {}
        for key in ("exact", "exact_overlaps", "near", "near_overlaps"):
            if isinstance(overlap.get(key), (int, float)):
                t.add(f"SFT/eval {key.replace('_', ' ')}", overlap[key], mix_rel)
    return t


def released_parameters(rd: RunDir) -> int | None:
    from ..gates.release_size import count_parameters

    return count_parameters(rd.released_checkpoint)


def _tokens_per_parameter(run: Path, rep: dict, rel: str) -> tuple[Any, str, str]:
    """(value, source, note): tokens trained over the released weights' own parameter count, since a report's
    stored ratio and count can be edited to flatter the budget; the stored ratio when nothing can be counted."""
    from .render import fmt  # render imports this module

    (real, field), counted = trained_tokens(rep), released_parameters(RunDir(run))
    stored = _get(rep, "tokens_per_parameter", "trained" if field == TRAINED_FIELD else "real")
    if counted is None or real is None:
        return stored, rel, "the report's word: the released weights could not be counted" if stored is not None else ""
    value = real / counted
    note = f"{field} / {fmt(counted)} parameters counted in {RunDir(run).rel(RunDir(run).released_checkpoint)}"
    if isinstance(stored, (int, float)) and abs(stored - value) > 1e-6 * max(1.0, abs(value)):
        note += f"; the report says {fmt(stored)}"
    return value, rel, note


def _hardware_facts(t: Table, stage: str, rep: dict, rel: str) -> None:
    """What the benchmark protocol's Budget table asks beside the tokens: epochs and the device (GPU type) it ran on."""
    plan = rep.get("plan") if isinstance(rep.get("plan"), dict) else {}
    epochs = rep.get("epochs_per_category")
    if isinstance(epochs, dict) and epochs and all(isinstance(v, (int, float)) for v in epochs.values()):
        low, high = min(epochs.values()), max(epochs.values())
        label = f"{stage} epochs" if len(epochs) == 1 else f"{stage} epochs (most repeated category)"
        t.add(label, round(high, 4), rel, "passes over its rows" if len(epochs) == 1 else
              f"passes over the rows of each category: {low:.2f} to {high:.2f} ({len(epochs)} categories)")
    muon = plan.get("muon_learning_rate")
    if isinstance(plan.get("learning_rate"), (int, float)) and (muon is None or isinstance(muon, (int, float))):
        t.add(f"{stage} optimizer", "Muon + AdamW" if muon else "AdamW", rel,
              f"Muon {muon:g} on the blocks' matrices, AdamW {plan['learning_rate']:g} on the rest" if muon
              else f"peak rate {plan['learning_rate']:g}")
    device = _get(rep, "provenance", "device", default={}) or {}
    on_cpu = plan.get("device") == "cpu" or device.get("cuda") is False
    where = "cpu" if on_cpu else (device.get("gpu") or plan.get("device"))
    if where:
        count = device.get("gpu_count") if where == device.get("gpu") else None
        t.add(f"{stage} device", where, rel, ", ".join(x for x in (f"{count} visible" if count else "",
              f"{plan.get('world_size')} process(es)" if plan.get("world_size") else "",
              f"precision {plan.get('precision')}" if plan.get("precision") else "") if x))


def budget_table(run: Path) -> Table:
    t = Table("Budget")
    for stage in ("base", "sft"):
        rel = _rel(run, RunDir(run).train_report(stage))
        rep = _load(run, rel)
        if not rep:
            t.add(f"{stage}", "not produced", rel)
            continue
        t.add(f"{stage} steps", rep.get("steps"), rel)
        t.add(f"{stage} planned tokens", rep.get("planned_tokens"), rel)
        t.add(f"{stage} real tokens seen", rep.get("real_tokens_seen"), rel)
        t.add(f"{stage} tokens trained on", trained_tokens(rep)[0], rel)
        t.add(f"{stage} status", rep.get("status"), rel)
        t.add(f"{stage} tokens per parameter (trained on)", *_tokens_per_parameter(run, rep, rel))
        t.add(f"{stage} packing utilisation", rep.get("packing_utilisation"), rel)
        t.add(f"{stage} wall time (s)", rep.get("wall_time_s"), rel)
        _hardware_facts(t, stage, rep, rel)
    pre_rel = _rel(run, RunDir(run).preflight)
    pre = _load(run, pre_rel)
    if pre:
        t.add("preflight status", pre.get("status"), pre_rel, f"profile {pre.get('profile', '')}")
    return t


def skill_rows(run: Path) -> list[dict]:
    """Per-skill pass rates of the held-out eval, with intervals, release thresholds and the gate's own verdict
    (`gate_status`: the skill check's pass|warn|block, or None when the gate did not judge the skill)."""
    rd = RunDir(run)
    src = rd.rel(rd.eval_report("eval"))
    report = _load(run, src)
    release = _load(run, rd.rel(rd.release)) or {}
    gate = {c["name"].removeprefix("skill_"): c for c in release.get("checks", []) if c.get("name", "").startswith("skill_")}
    model, found = run_model(rd), _get(report, "model", "weights_sha256")
    other = f"about another model: weights {found[:12]}, not the run's {model[:12]}" if model and found and found != model else ""
    if isinstance(report, dict):
        other = (other or other_tokenizer(rd, report) or dated_before_training(rd, model, report)
                 or verdicts_disagree(rd, rd.eval_report("eval"), report) or "")
    results = read_metrics(RunDir.results_beside(rd.eval_report("eval")))
    rows = []
    for skill, s in sorted(_get(report, "summary", "by_skill", default={}).items()):
        chk = gate.get(skill) or {}
        rows.append({"skill": skill, "n": s["n"], "passed": s["passed"], "pass_rate": s["pass_rate"], "ci": s["ci"],
                     "threshold": chk.get("rate_threshold", chk.get("threshold")), "gate_status": chk.get("status"),
                     "gate_why": chk.get("why"), "source": src, "problem": _skill_problem(skill, s, results, other)})
    return rows


def _skill_problem(skill: str, s: dict[str, Any], results: list[dict], other: str) -> str:
    """Why a skill's rate is no measurement of the run's model ('' when it is one)."""
    if not s["n"]:
        return "not measured: 0 rows"
    if count_problem(s):
        return count_problem(s)
    if other:
        return other
    mine = [r for r in results if r.get("skill") == skill]
    if results and (len(mine) != s["n"] or sum(bool(r.get("passed")) for r in mine) != s["passed"]):
        return f"results.jsonl passes {sum(bool(r.get('passed')) for r in mine)} of {len(mine)} rows, not the report's {s['passed']}/{s['n']}"
    return ""


def run_model(rd: RunDir) -> str | None:
    """The weights the run stands for, hashed where they are present (`run_weights`: a verdict's recorded hash, edited
    or copied from another run, does not stand for the weights in the folder), else those its chat eval scored."""
    release = rd.load_lenient(rd.release)
    released, _ = run_weights(rd, release if isinstance(release, dict) else {})
    return released or _get(read_json_or_none(rd.eval_report("eval")), "model", "weights_sha256")


def other_tokenizer(rd: RunDir, report: dict[str, Any]) -> str:
    """Why a report about the run's weights is still not about the model the run ships ('' when it is): it asked them
    through another tokenizer, chat template or special tokens than the ones beside the weights (else in tokenizer/),
    or records none where one ships, as the release gate rules. lm-eval records no tokenizer and is judged elsewhere."""
    if _get(report, "model", "harness") == "lm_eval" or not _get(report, "model", "path"):
        return ""
    release = rd.load_lenient(rd.release)
    _, folder = run_weights(rd, release if isinstance(release, dict) else {})
    shipped_dir = shipped_tokenizer_dir(folder, rd)
    shipped, got = input_sha256(shipped_dir), _get(report, "model", "tokenizer_sha256")
    if shipped is None or got == shipped:
        return ""
    if not got:
        return f"it records no tokenizer hash, so it cannot be tied to the tokenizer the run ships ({shipped[:12]}, {rd.rel(shipped_dir)})"
    older = legacy_tokenizer_note(got, shipped_dir)
    return older or f"about another tokenizer: {got[:12]}, not the {shipped[:12]} the run ships ({rd.rel(shipped_dir)})"


def evidence_problem(rd: RunDir, report_path: Path, report: dict[str, Any], passed: int | None, n: int | None) -> str:
    """Why a report's numbers do not stand for this run's model, or '' when nothing is wrong: it scored other
    weights, or the per-row results.jsonl beside it counts other passes than the report."""
    model, found = run_model(rd), _get(report, "model", "weights_sha256")
    if model and found and found != model:
        return f"about another model: weights {found[:12]}, not the run's {model[:12]}"
    early = dated_before_training(rd, model, report)
    if early:
        return early
    if model and (report.get("kind") == "replies" or _get(report, "model", "kind") == "replies"):
        return f"it scored a replies file ({_get(report, 'model', 'path')}), not the run's model {model[:12]}"
    if other_tokenizer(rd, report):
        return other_tokenizer(rd, report)
    rows = read_metrics(RunDir.results_beside(report_path)) if passed is not None else []
    if rows and (len(rows) != n or sum(bool(r.get("passed")) for r in rows) != passed):
        return (f"{rd.rel(RunDir.results_beside(report_path))} passes {sum(bool(r.get('passed')) for r in rows)} of {len(rows)} "
                f"rows, not the report's {passed}/{n}")
    return verdicts_disagree(rd, report_path, report) or ""


def count_problem(entry: dict[str, Any], rate_key: str = "pass_rate") -> str:
    """Why an entry's rate or 95% interval is not what its own passed/n give ('' when they agree)."""
    passed, n, rate, ci = entry.get("passed"), entry.get("n"), entry.get(rate_key), entry.get("ci")
    if not isinstance(passed, int) or not isinstance(n, int) or not n:
        return ""
    if not 0 <= passed <= n:
        return f"its counts {passed}/{n} are impossible"
    if not isinstance(rate, (int, float)) or abs(rate - passed / n) > 1e-9:
        return f"its {rate_key} {rate} is not {passed}/{n}"
    want = wilson_ci(passed, n)
    if isinstance(ci, list) and len(ci) == 2 and any(abs(a - b) > 1e-6 for a, b in zip(ci, want)):
        return f"its 95% CI {ci} is not the Wilson interval of {passed}/{n} ({want[0]:.4f}–{want[1]:.4f})"
    return ""


def _flagged(t: Table, label: str, value: Any, rel: str, note: str, problem: str) -> None:
    if problem:
        t.add(label, "does not hold", rel, f"{problem} (the report says {value}; {note})")
    else:
        t.add(label, value, rel, note)


def eval_table(run: Path) -> Table:
    t = Table("Evaluation")
    rd = RunDir(run)
    for kind in ("sft_fit", "sft_fit_heldout", "eval"):
        rel, label = rd.rel(rd.eval_report(kind)), EVAL_LABELS[kind]
        rep = _load(run, rel)
        if not rep:
            t.add(label, "not produced", rel)
            continue
        s = rep["summary"]
        if not s["n"]:
            t.add(label, "not measured", rel, "0 rows scored")
            continue
        problem = count_problem(s) or evidence_problem(rd, rd.eval_report(kind), rep, s["passed"], s["n"])
        _flagged(t, label, s["pass_rate"], rel, f"{s['passed']}/{s['n']}, 95% CI {s['ci'][0]:.1%}–{s['ci'][1]:.1%} "
                 f"({s.get('ci_method', 'wilson')})", problem)
    rel = rd.rel(rd.eval_report("eval"))
    rep = _load(run, rel)
    if rep:
        s = rep["summary"]
        measured = {"prompt_echo_rate": (s.get("generated") or {}).get("n"), "unsupported_claim_rate": s.get("unsupported_claim_n"),
                    "refusal_pass_rate": s.get("unsupported_claim_n")}
        for key, n in measured.items():
            if s.get(key) is not None and n != 0:
                t.add(key.replace("_", " "), s[key], rel)
            else:
                t.add(key.replace("_", " "), "not measured", rel, "no rows to measure it on")
    for ext in rd.external_reports():
        _external_facts(t, rd, ext)
    _lm_eval_facts(t, rd)
    return t


def _external_facts(t: Table, rd: RunDir, path: Path) -> None:
    rel = rd.rel(path)
    rep = _load(rd.root, rel) or {}
    e = rep.get("external") or {}
    hits = _get(e, "correct", "letter_acc")
    problem = evidence_problem(rd, path, rep, hits, e.get("n")) if isinstance(hits, int) else evidence_problem(rd, path, rep, None, None)
    for metric in ("letter_acc", "acc", "acc_norm"):
        if metric in e:
            ci = _get(e, "ci", metric)
            note = f"n={e.get('n')}"
            if isinstance(e.get("random_baseline"), (int, float)):
                note += f", random baseline {e['random_baseline']:.1%}"
            if ci:
                note += f", 95% CI {ci[0]:.1%}–{ci[1]:.1%}"
            counts = {"passed": _get(e, "correct", metric), "n": e.get("n"), "pass_rate": e[metric], "ci": ci}
            _flagged(t, f"{e.get('benchmark')} {metric}", e[metric], rel, note,
                     problem or count_problem(counts).replace("pass_rate", metric))


def _lm_eval_facts(t: Table, rd: RunDir) -> None:
    rel = rd.rel(rd.lm_eval_results)
    lm = _load(rd.root, rel)
    if not lm:
        return
    from ..eval.lm_harness import stored_scores

    model, found = run_model(rd), lm.get("weights_sha256")
    problem = "" if found and (not model or found == model) else \
        f"about another model: {lm.get('model_path')}, weights {found[:12]}, not the run's {model[:12]}" if found else \
        f"{lm.get('model_path')}: no weights_sha256 recorded, so the model these scores are about cannot be traced"
    derived, wrong = stored_scores(lm)
    problem = problem or wrong or ""
    for task, scores in ((lm.get("scores") or {}) if wrong else derived).items():
        for metric in ("acc", "acc_norm"):
            if metric in scores:
                se = scores.get(f"{metric}_stderr")
                _flagged(t, f"lm-eval {task} {metric}", scores[metric], rel,
                         f"± {se:.3f} (stderr)" if isinstance(se, (int, float)) else "", problem)


def fit_gap_table(run: Path) -> Table:
    """Per skill: SFT fit (rows trained on) vs held-out SFT fit (rows held out of training) and their gap;
    a large gap is memorisation, not skill."""
    t = Table("SFT fit vs held-out fit per skill")
    rd = RunDir(run)
    fit_rel, held_rel = rd.rel(rd.eval_report("sft_fit")), rd.rel(rd.eval_report("sft_fit_heldout"))
    fit = _get(_load(run, fit_rel), "summary", "by_skill", default={}) or {}
    held = _get(_load(run, held_rel), "summary", "by_skill", default={}) or {}
    for skill in sorted(set(fit) | set(held)):
        f, h = fit.get(skill), held.get(skill)
        if f is None or h is None:
            t.add(f"{skill} fit gap", "not measured", f"{fit_rel}, {held_rel}", "skill missing from one of the two fits")
            continue
        t.add(f"{skill} fit gap", f["pass_rate"] - h["pass_rate"], f"{fit_rel}, {held_rel}",
              f"SFT fit {f['pass_rate']:.1%} (n={f['n']}) − held-out fit {h['pass_rate']:.1%} (n={h['n']})")
    return t


def growth_lines(run: Path) -> list[dict]:
    """The skill-growth lines of the SFT run (`sft/skill_growth.jsonl`), empty when not produced."""
    from ..training.skill_growth import GROWTH_FILE

    return read_metrics(RunDir(run).metrics("sft").parent / GROWTH_FILE)


def honesty_table(run: Path) -> Table:
    t = Table("Honesty")
    src = _rel(run, RunDir(run).honesty_report)
    rep = _load(run, src)
    if not rep:
        t.add("contamination scan", "not produced", src)
        return t
    t.add("scan status", rep.get("status"), src, rep.get("summary", ""))
    for key, value in (rep.get("counts") or {}).items():
        if isinstance(value, (int, float)):  # a count keyed by a rate's name counts findings: that rate above its limit
            t.add(key.replace("_", " ") + (" above its limit (findings)" if key.endswith("_rate") else ""), value, src)
    for key, value in (rep.get("rates") or {}).items():
        if isinstance(value, (int, float)):
            t.add(key.replace("_", " "), value, src)
    return t


def release_table(run: Path, verdict: dict[str, Any] | None = None) -> Table:
    """The release verdict and its checks; `verdict` is `verify_release`'s re-check when the caller has it."""
    t = Table("Release")
    rd = RunDir(run)
    rel = rd.rel(rd.release)
    rep = _load(run, rel)
    if not rep:
        t.add("release gate", "not produced", rel)
        return t
    verdict = verdict if verdict is not None else verify_release(rd)
    t.add("release status", rep.get("status"), rel, f"profile {rep.get('profile')}")
    t.add("verdict re-checked", verdict["state"], rel, verdict["sentence"])
    for chk in rep.get("checks", []):
        t.add(chk["name"], chk.get("value"), rel, f"[{chk['status']}] {chk.get('why', '')}")
    man_rel = rd.rel(rd.release_manifest)
    man = _load(run, man_rel)
    if man:
        t.add("export gate status", _get(man, "gate", "status"), man_rel, _get(man, "gate", "sentence", default="") or "")
        t.add("export files", len(man.get("files", [])), man_rel)
    return t


def collect(run: str | Path) -> dict[str, Any]:
    run = Path(run)
    rd = RunDir(run)
    verdict = verify_release(rd)  # re-runs the gate in memory: once per report
    return {
        "run": str(run),
        "tables": [model_table(run), data_table(run), budget_table(run), eval_table(run), fit_gap_table(run), honesty_table(run),
                   release_table(run, verdict)],
        "skills": skill_rows(run),
        "release": rd.load_lenient(rd.release),
        "verdict": verdict,
        "honesty": rd.load_lenient(rd.honesty_report),
        "base_metrics": read_metrics(rd.metrics("base")),
        "sft_metrics": read_metrics(rd.metrics("sft")),
        "skill_growth": growth_lines(run),
    }
