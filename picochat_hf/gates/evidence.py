"""The evidence a release gate judges, read once from a run directory (`load_release_evidence`).

Readers validate the fields the checks use; every file read is hashed into `Evidence.files`, which the gate
stores so that consumers (report, card, bundle, push) can tell when a file changed after the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..run_dir import EVAL_KINDS, RunDir
from ..utils.errors import PicochatInputError
from ..utils.io import read_json, sha256_file
from ..utils.provenance import input_sha256, weights_sha256


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
    for key in ("n", "pass_rate", "passed"):
        if not isinstance(summary.get(key), (int, float)) or isinstance(summary.get(key), bool):
            raise PicochatInputError("expected a number", path=path, field=f"summary.{key}")
    ci = summary.get("ci")
    if ci is not None and (not isinstance(ci, list) or len(ci) != 2 or not all(isinstance(x, (int, float)) for x in ci)):
        raise PicochatInputError("expected [low, high]", path=path, field="summary.ci")
    for key in ("prompt_echo_rate", "unsupported_claim_rate", "refusal_pass_rate"):
        value = summary.get(key)
        if value is not None and not isinstance(value, (int, float)):
            raise PicochatInputError("expected a number or null", path=path, field=f"summary.{key}")
    by_skill = summary.get("by_skill") or {}
    if not isinstance(by_skill, dict):
        raise PicochatInputError("expected an object", path=path, field="summary.by_skill")
    for skill, entry in by_skill.items():
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), (int, float)) for k in ("n", "passed", "pass_rate")):
            raise PicochatInputError("expected {n, passed, pass_rate, ci}", path=path, field=f"summary.by_skill.{skill}")
    return report


def _about(report: dict[str, Any]) -> dict[str, Any]:
    """What an eval report is about: {kind: "model"|"replies", weights_sha256, path}."""
    model = report.get("model") if isinstance(report.get("model"), dict) else {}
    if report.get("kind") == "replies" or model.get("kind") == "replies" or not model.get("path"):
        source = report.get("replies") or (report.get("config") or {}).get("replies") or model.get("path")
        return {"kind": "replies", "weights_sha256": None, "path": source}
    return {"kind": "model", "weights_sha256": model.get("weights_sha256"), "path": model.get("path"),
            "tokenizer": model.get("tokenizer"), "tokenizer_sha256": model.get("tokenizer_sha256")}


def report_about(report: dict[str, Any]) -> dict[str, Any]:
    """What an eval report is about (`{kind: "model"|"replies", weights_sha256, path, ...}`), for the card."""
    return _about(report)


def external_results(run_dir: str | Path | RunDir) -> list[dict[str, Any]]:
    """External benchmark evidence: `external_eval/<name>/eval_report.json` and `lm_eval/lm_eval_results.json`.

    Each entry names its benchmark, source file, n, metric, value, interval and what it is about (`about`).
    """
    run = run_dir if isinstance(run_dir, RunDir) else RunDir(run_dir)
    out = [external_entry(read_eval_report(p), run.rel(p)) for p in run.external_reports()]
    lm_path = run.lm_eval_results
    if lm_path.exists():
        results = read_json(lm_path)
        tasks = results.get("results") if isinstance(results, dict) else None
        if not isinstance(tasks, dict) or not tasks:
            raise PicochatInputError("expected lm-eval output with a non-empty 'results' object", path=lm_path, field="results")
        out += lm_eval_entries(results, run.rel(lm_path))
    return out


def external_entry(report: dict[str, Any], source: str) -> dict[str, Any]:
    """The benchmark entry of one external eval report (`source`: its run-relative path)."""
    ext = report.get("external") or {}
    metric = "letter_acc" if "letter_acc" in ext else "pass_rate"
    ci = ext.get("ci")
    if isinstance(ci, dict):  # external reports keep one interval per metric
        ci = ci.get(metric)
    return {
        "name": ext.get("benchmark") or Path(source).parent.name,
        "source": source,
        "n": ext.get("n", report["summary"].get("n")),
        "metric": metric,
        "value": ext.get("letter_acc", report["summary"].get("pass_rate")),
        "ci": ci or report["summary"].get("ci"),
        "random_baseline": ext.get("random_baseline"),
        "hub_dataset": ext.get("hub_dataset") or (report.get("config") or {}).get("hub_dataset"),
        "about": _about(report),
    }


def lm_eval_entries(results: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """One benchmark entry per task of lm-eval results (`source`: the file's run-relative path)."""
    about = {"kind": "model", "weights_sha256": results.get("weights_sha256"), "path": results.get("model_path"), "harness": "lm_eval"}
    out = []
    for task, metrics in sorted((results.get("results") or {}).items()):
        metrics = metrics if isinstance(metrics, dict) else {}
        metric = next((k for k in ("acc_norm,none", "acc,none", "exact_match,strict-match", "exact_match,none") if k in metrics), None)
        if metric is None:
            metric = next((k for k, v in metrics.items() if isinstance(v, (int, float)) and "stderr" not in k), None)
        stderr = metrics.get(metric.replace(",", "_stderr,", 1)) if metric else None
        n = ((results.get("n-samples") or {}).get(task) or {}).get("effective")
        dataset = ((results.get("configs") or {}).get(task) or {}).get("dataset_path")
        out.append({"name": task, "source": source, "n": n, "metric": metric,
                    "value": metrics.get(metric) if metric else None, "stderr": stderr, "random_baseline": None,
                    "hub_dataset": dataset if isinstance(dataset, str) and "/" in dataset and not Path(dataset).exists() else None,
                    "about": about})
    return out


@dataclass
class Evidence:
    """Everything the release gate judges, read once. `files` maps each file read to its sha256."""

    run: RunDir
    checkpoint: Path
    weights: str | None
    preflight: dict[str, Any] | None
    honesty: dict[str, Any] | None
    train: dict[str, dict[str, Any] | None]
    evals: dict[str, dict[str, Any] | None]
    external: list[dict[str, Any]]
    export_manifest: dict[str, Any] | None
    files: dict[str, str] = field(default_factory=dict)
    tokenizer: str | None = None  # sha256 of the tokenizer.json a release of the checkpoint ships (`RunDir.shipped_tokenizer_dir`)
    parameters: int | None = None  # the released weights' count made elsewhere (a bundle's, of the judged weights); None: count them

    def about(self, kind: str) -> dict[str, Any]:
        return _about(self.evals[kind]) if self.evals.get(kind) else {}


def _object(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    obj = read_json(path)
    if not isinstance(obj, dict):
        raise PicochatInputError("expected a JSON object", path=path)
    return obj


def evidence_files(run: RunDir) -> list[Path]:
    """Every file whose content a release verdict rests on (the ones that exist)."""
    paths = [run.preflight, run.honesty_report, run.train_report("base"), run.train_report("sft"), run.train_report("dpo")]
    for kind in EVAL_KINDS:
        paths += [run.eval_report(kind), run.results_beside(run.eval_report(kind))]
    for report in run.external_reports():
        paths += [report, run.results_beside(report)]
    paths.append(run.lm_eval_results)
    return [p for p in paths if p.is_file()]


def load_release_evidence(run_dir: str | Path | RunDir, checkpoint: str | Path | None = None) -> Evidence:
    """Read (and hash) the run directory's evidence; `checkpoint` is the released one (default sft/checkpoint)."""
    run = run_dir if isinstance(run_dir, RunDir) else RunDir(run_dir)
    if not run.root.is_dir():
        raise PicochatInputError("run directory not found", path=run.root)
    ckpt = Path(checkpoint) if checkpoint is not None else run.released_checkpoint
    preflight = _object(run.preflight)
    if preflight is not None and preflight.get("status") not in ("ready", "warn", "blocked"):
        raise PicochatInputError("expected status ready|warn|blocked", path=run.preflight, field="status")
    honesty = _object(run.honesty_report)
    if honesty is not None:
        if honesty.get("status") not in ("ready", "caution", "blocked"):
            raise PicochatInputError("expected status ready|caution|blocked", path=run.honesty_report, field="status")
        if not isinstance((honesty.get("counts") or {}).get("eval_prompts_failing"), int):
            raise PicochatInputError("expected an integer", path=run.honesty_report, field="counts.eval_prompts_failing")
    return Evidence(
        run=run, checkpoint=ckpt, weights=weights_sha256(ckpt), preflight=preflight, honesty=honesty,
        train={stage: _object(run.train_report(stage)) for stage in ("base", "sft", "dpo")},
        evals={kind: read_eval_report(run.eval_report(kind)) for kind in EVAL_KINDS},
        external=external_results(run), export_manifest=_object(run.release_manifest),
        files={run.rel(p): sha256_file(p) for p in evidence_files(run)}, tokenizer=input_sha256(run.shipped_tokenizer_dir(ckpt)),
    )
