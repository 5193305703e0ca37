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

from ..utils.io import read_json_or_none


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
    return read_json_or_none(run / rel)


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
    hits = sorted((run / "task_pack").glob("task_mixture_*.json"))
    return str(hits[0].relative_to(run)) if hits else None


def model_table(run: Path) -> Table:
    t = Table("Model")
    cfg_rel = "export/config.json" if (run / "export" / "config.json").exists() else "sft/checkpoint/config.json"
    cfg = _load(run, cfg_rel) or {}
    for key in ("model_type", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
                "intermediate_size", "vocab_size", "max_position_embeddings", "final_logit_softcapping"):
        if key in cfg:
            t.add(key, cfg[key], cfg_rel)
    rep = _load(run, "sft/train_report.json")
    if rep and "num_parameters" in rep:
        t.add("parameters", rep["num_parameters"], "sft/train_report.json")
    hash_path = run / "tokenizer" / "tokenizer_hash.txt"
    if hash_path.exists():
        t.add("tokenizer hash", hash_path.read_text().strip()[:16] + "…", "tokenizer/tokenizer_hash.txt")
    return t


def data_table(run: Path) -> Table:
    t = Table("Data")
    rep = _load(run, "dataset_pack/import_report.json")
    if rep:
        src = "dataset_pack/import_report.json"
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


def budget_table(run: Path) -> Table:
    t = Table("Budget")
    for stage in ("base", "sft"):
        rel = f"{stage}/train_report.json"
        rep = _load(run, rel)
        if not rep:
            t.add(f"{stage}", "not produced", rel)
            continue
        t.add(f"{stage} steps", rep.get("steps"), rel)
        t.add(f"{stage} planned tokens", rep.get("planned_tokens"), rel)
        t.add(f"{stage} real tokens seen", rep.get("real_tokens_seen"), rel)
        t.add(f"{stage} tokens per parameter (real)", _get(rep, "tokens_per_parameter", "real"), rel)
        t.add(f"{stage} packing utilisation", rep.get("packing_utilisation"), rel)
        t.add(f"{stage} wall time (s)", rep.get("wall_time_s"), rel)
    pre = _load(run, "gates/preflight.json")
    if pre:
        t.add("preflight status", pre.get("status"), "gates/preflight.json", pre.get("profile", ""))
    return t


def skill_rows(run: Path) -> list[dict]:
    """Per-skill pass rates of the held-out eval, with intervals and release thresholds."""
    report = _load(run, "eval/eval_report.json")
    release = _load(run, "gates/release.json") or {}
    thresholds = {c["name"].removeprefix("skill_"): c.get("threshold") for c in release.get("checks", []) if c.get("name", "").startswith("skill_")}
    rows = []
    for skill, s in sorted(_get(report, "summary", "by_skill", default={}).items()):
        rows.append({"skill": skill, "n": s["n"], "passed": s["passed"], "pass_rate": s["pass_rate"], "ci": s["ci"],
                     "threshold": thresholds.get(skill), "source": "eval/eval_report.json"})
    return rows


def eval_table(run: Path) -> Table:
    t = Table("Evaluation")
    for rel, label in (("sft_fit/eval_report.json", "SFT fit"), ("sft_fit_heldout/eval_report.json", "held-out SFT fit"),
                       ("eval/eval_report.json", "held-out eval (all rows)")):
        rep = _load(run, rel)
        if not rep:
            t.add(label, "not produced", rel)
            continue
        s = rep["summary"]
        t.add(label, s["pass_rate"], rel, f"{s['passed']}/{s['n']}, 95% CI {s['ci'][0]:.1%}–{s['ci'][1]:.1%} ({s.get('ci_method', 'wilson')})")
    rep = _load(run, "eval/eval_report.json")
    if rep:
        s = rep["summary"]
        for key in ("prompt_echo_rate", "unsupported_claim_rate", "refusal_pass_rate"):
            if s.get(key) is not None:
                t.add(key.replace("_", " "), s[key], "eval/eval_report.json")
    for ext in sorted((run / "external_eval").glob("*/eval_report.json")):
        rel = str(ext.relative_to(run))
        e = (_load(run, rel) or {}).get("external") or {}
        for metric in ("letter_acc", "acc", "acc_norm"):
            if metric in e:
                ci = _get(e, "ci", metric)
                note = f"n={e.get('n')}, random baseline {e.get('random_baseline', 0):.1%}"
                if ci:
                    note += f", 95% CI {ci[0]:.1%}–{ci[1]:.1%}"
                t.add(f"{e.get('benchmark')} {metric}", e[metric], rel, note)
    lm = _load(run, "lm_eval/lm_eval_results.json")
    if lm:
        for task, scores in (lm.get("scores") or {}).items():
            for metric in ("acc", "acc_norm"):
                if metric in scores:
                    se = scores.get(f"{metric}_stderr")
                    t.add(f"lm-eval {task} {metric}", scores[metric], "lm_eval/lm_eval_results.json",
                          f"± {se:.3f} (stderr)" if isinstance(se, (int, float)) else "")
    return t


def honesty_table(run: Path) -> Table:
    t = Table("Honesty")
    rep = _load(run, "honesty/honesty_report.json")
    if not rep:
        t.add("contamination scan", "not produced", "honesty/honesty_report.json")
        return t
    src = "honesty/honesty_report.json"
    t.add("scan status", rep.get("status"), src, rep.get("summary", ""))
    for key, value in (rep.get("counts") or {}).items():
        if isinstance(value, (int, float)):
            t.add(key.replace("_", " "), value, src)
    for key, value in (rep.get("rates") or {}).items():
        if isinstance(value, (int, float)):
            t.add(key.replace("_", " "), value, src)
    return t


def release_table(run: Path) -> Table:
    t = Table("Release")
    rep = _load(run, "gates/release.json")
    if not rep:
        t.add("release gate", "not produced", "gates/release.json")
        return t
    t.add("release status", rep.get("status"), "gates/release.json", f"profile {rep.get('profile')}")
    for chk in rep.get("checks", []):
        t.add(chk["name"], chk.get("value"), "gates/release.json", f"[{chk['status']}] {chk.get('why', '')}")
    man = _load(run, "export/release_manifest.json")
    if man:
        t.add("export gate status", _get(man, "gate", "status"), "export/release_manifest.json")
        t.add("export files", len(man.get("files", [])), "export/release_manifest.json")
    return t


def collect(run: str | Path) -> dict[str, Any]:
    run = Path(run)
    return {
        "run": str(run),
        "tables": [model_table(run), data_table(run), budget_table(run), eval_table(run), honesty_table(run), release_table(run)],
        "skills": skill_rows(run),
        "release": _load(run, "gates/release.json"),
        "honesty": _load(run, "honesty/honesty_report.json"),
        "base_metrics": read_metrics(run / "base" / "metrics.jsonl"),
        "sft_metrics": read_metrics(run / "sft" / "metrics.jsonl"),
    }
