"""Readers for the run-directory files the gates judge (eval reports, honesty report, preflight, externals)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import read_json


def read_eval_report(path: Path) -> dict[str, Any] | None:
    """An eval_report.json validated for the fields the gates use; None when the file is absent."""
    if not path.exists():
        return None
    report = read_json(path)
    if not isinstance(report, dict):
        raise PicochatInputError("expected a JSON object", path=path)
    summary = report.get("summary")
    if not isinstance(summary, dict):
        raise PicochatInputError("missing summary object", path=path, field="summary")
    for key in ("n", "pass_rate"):
        if not isinstance(summary.get(key), (int, float)):
            raise PicochatInputError("expected a number", path=path, field=f"summary.{key}")
    for key in ("prompt_echo_rate", "unsupported_claim_rate", "refusal_pass_rate"):
        value = summary.get(key)
        if value is not None and not isinstance(value, (int, float)):
            raise PicochatInputError("expected a number or null", path=path, field=f"summary.{key}")
    by_skill = summary.get("by_skill") or {}
    if not isinstance(by_skill, dict):
        raise PicochatInputError("expected an object", path=path, field="summary.by_skill")
    for skill, entry in by_skill.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("n"), (int, float)) or not isinstance(entry.get("pass_rate"), (int, float)):
            raise PicochatInputError("expected {n, passed, pass_rate, ci}", path=path, field=f"summary.by_skill.{skill}")
    return report


def external_results(run_dir: Path) -> list[dict[str, Any]]:
    """External benchmark evidence: `external_eval/<name>/eval_report.json` and `lm_eval/lm_eval_results.json`."""
    out: list[dict[str, Any]] = []
    ext_dir = run_dir / "external_eval"
    if ext_dir.is_dir():
        for report_path in sorted(ext_dir.glob("*/eval_report.json")):
            report = read_eval_report(report_path)
            ext = report.get("external") or {}
            metric = "letter_acc" if "letter_acc" in ext else "pass_rate"
            ci = ext.get("ci")
            if isinstance(ci, dict):  # external reports keep one interval per metric
                ci = ci.get(metric)
            out.append({
                "name": ext.get("benchmark") or report_path.parent.name,
                "source": str(report_path.relative_to(run_dir)),
                "n": ext.get("n", report["summary"].get("n")),
                "metric": metric,
                "value": ext.get("letter_acc", report["summary"].get("pass_rate")),
                "ci": ci or report["summary"].get("ci"),
                "random_baseline": ext.get("random_baseline"),
            })
    lm_path = run_dir / "lm_eval" / "lm_eval_results.json"
    if lm_path.exists():
        results = read_json(lm_path)
        tasks = results.get("results") if isinstance(results, dict) else None
        if not isinstance(tasks, dict) or not tasks:
            raise PicochatInputError("expected lm-eval output with a non-empty 'results' object", path=lm_path, field="results")
        for task, metrics in sorted(tasks.items()):
            metric = next((k for k in ("acc_norm,none", "acc,none", "exact_match,strict-match", "exact_match,none") if k in metrics), None)
            if metric is None:
                metric = next((k for k, v in metrics.items() if isinstance(v, (int, float)) and "stderr" not in k), None)
            stderr = metrics.get(metric.replace(",", "_stderr,", 1)) if metric else None
            n = (results.get("n-samples") or {}).get(task, {}).get("effective")
            out.append({"name": task, "source": "lm_eval/lm_eval_results.json", "n": n, "metric": metric,
                        "value": metrics.get(metric) if metric else None, "stderr": stderr, "random_baseline": None})
    return out
