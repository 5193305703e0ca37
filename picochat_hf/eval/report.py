"""Write an evaluation's `eval_report.json`, `report.md` and per-row `results.jsonl` into one folder.

The folder is built under a temporary name and renamed when complete (`atomic_output_dir`), so a crash
never leaves a report that looks finished.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..utils.io import atomic_output_dir, atomic_write_json, atomic_write_text
from ..utils.provenance import provenance, with_weights_hash


def select_examples(results: list[dict], max_failing: int = 50, max_passing: int = 10) -> list[dict]:
    failing = [r for r in results if not r["passed"]][:max_failing]
    passing = [r for r in results if r["passed"]][:max_passing]
    return failing + passing


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _ci(ci: list[float]) -> str:
    return f"[{100 * ci[0]:.1f}, {100 * ci[1]:.1f}]"


def _table(title: str, buckets: dict[str, dict]) -> list[str]:
    if not buckets:
        return []
    lines = [f"### {title} (weakest first)", "", "| bucket | passed / n | pass rate | 95% CI (Wilson) |", "|---|---|---|---|"]
    for name, b in sorted(buckets.items(), key=lambda kv: (kv[1]["pass_rate"], kv[0])):
        lines.append(f"| {name} | {b['passed']} / {b['n']} | {_pct(b['pass_rate'])} | {_ci(b['ci'])} |")
    return lines + [""]


def _clip(text: str, n: int = 300) -> str:
    text = text.replace("\n", " ⏎ ").replace("|", "\\|")
    return text if len(text) <= n else text[: n - 1] + "…"


def _model_line(model: dict) -> str:
    if model.get("kind") == "replies":
        return f"- model: replies from `{model['path']}` (sha256 `{model['sha256'][:12]}…`), judged by the same rules as `eval chat`"
    return f"- model: `{model['path']}` ({model['num_parameters']:,} parameters, prompt format `{model['prompt_format']}`)"


def _summary_lines(report: dict) -> list[str]:
    """The title and the bullet list of headline numbers."""
    s = report["summary"]
    title = {"chat": "Chat skills eval", "sft_fit": "SFT fit (train rows)", "sft_fit_heldout": "Held-out fit", "external": "External benchmark"}
    lines = [
        f"# {title.get(report['kind'], report['kind'])}",
        "",
        _model_line(report["model"]),
        f"- input: `{report['config'].get('input')}`",
        f"- rows: {s['n']}",
        f"- **pass rate: {_pct(s['pass_rate'])}** ({s['passed']}/{s['n']}), 95% CI {_ci(s['ci'])} (Wilson)",
    ]
    if s["generated"]["n"]:
        g = s["generated"]
        lines.append(f"- generated rows: {_pct(g['pass_rate'])} ({g['passed']}/{g['n']}), prompt echo {_pct(s['prompt_echo_rate'])}, "
                     f"replies cut at the token limit {_pct(s['hit_token_limit_rate'])}")
    if s.get("format_n"):
        lines.append(f"- reasoning-trace format adherence: {_pct(s['format_adherence_rate'])} of {s['format_n']} rows give one "
                     "well-formed `<reasoning>…</reasoning><answer>…</answer>` pair (pass rate above judges the `<answer>` part)")
    missing = report["config"].get("missing_replies")
    if missing or report["config"].get("extra_replies"):
        lines.append(f"- replies: {missing} rows had no reply and count as failed; {report['config'].get('extra_replies')} replies "
                     "named no row and were ignored (--allow-missing)")
    if s["choice"]["n"]:
        c, b = s["choice"], s["baselines"]
        lines.append(f"- choice rows (letter logits): {_pct(c['pass_rate'])} ({c['passed']}/{c['n']}), CI {_ci(c['ci'])}; "
                     f"random baseline {_pct(b['random'])}, majority baseline {_pct(b['majority'])}")
    if s["refusal_pass_rate"] is not None:
        lines.append(f"- rows that should be refused: {s['unsupported_claim_n']}, refusal pass rate {_pct(s['refusal_pass_rate'])}, "
                     f"unsupported claims {_pct(s['unsupported_claim_rate'])}")
    check = report["config"].get("heldout_check")
    if check:
        note = {"held_out": "training left these rows out", "trained_on_heldout": "**training saw these rows: this is recall, not held-out generalisation**",
                "unknown": "cannot confirm that training left these rows out"}.get(check["status"], check["status"])  # fmt: skip
        lines.append(f"- held-out check: {note} ({check['why']})")
    return lines


def _external_lines(ext: dict) -> list[str]:
    """The external benchmark's table: each scoring beside its interval and the random baseline."""
    return [
        "",
        f"## {ext['benchmark']} ({ext['n']} questions)",
        "",
        "| scoring | accuracy | 95% CI (Wilson) | random baseline |",
        "|---|---|---|---|",
        f"| letter logits after the chat template | {_pct(ext['letter_acc'])} | {_ci(ext['ci']['letter_acc'])} | {_pct(ext['random_baseline'])} |",
        f"| answer text log-likelihood (lm-eval acc) | {_pct(ext['acc'])} | {_ci(ext['ci']['acc'])} | {_pct(ext['random_baseline'])} |",
        f"| answer text, per-character normalised (acc_norm) | {_pct(ext['acc_norm'])} | {_ci(ext['ci']['acc_norm'])} | {_pct(ext['random_baseline'])} |",
    ]


def _example_lines(examples: list[dict]) -> list[str]:
    """Tables of up to 25 failing and 5 passing examples."""
    lines: list[str] = []
    failing = [e for e in examples if not e["passed"]]
    if failing:
        lines += ["## Failing examples", "", "| id | category | prompt | reply | why |", "|---|---|---|---|---|"]
        for e in failing[:25]:
            lines.append(f"| {e['id']} | {e['category']} | {_clip(e['prompt'], 160)} | {_clip(e['reply'], 160)} | {_clip('; '.join(e['failures']), 120)} |")
        lines.append("")
    passing = [e for e in examples if e["passed"]]
    if passing:
        lines += ["## Passing examples", "", "| id | category | prompt | reply |", "|---|---|---|---|"]
        for e in passing[:5]:
            lines.append(f"| {e['id']} | {e['category']} | {_clip(e['prompt'], 160)} | {_clip(e['reply'], 160)} |")
        lines.append("")
    return lines


def render_markdown(report: dict) -> str:
    s = report["summary"]
    lines = _summary_lines(report)
    ext = report.get("external")
    if ext:
        lines += _external_lines(ext)
    if s["failure_counts"]:
        lines += ["", "Failure reasons: " + ", ".join(f"{k} ×{v}" for k, v in s["failure_counts"].items())]
    lines.append("")
    lines += _table("By category", s["by_category"])
    lines += _table("By skill", s["by_skill"])
    lines += _table("By stage", s["by_stage"])
    lines += _example_lines(report["examples"])
    return "\n".join(lines)


def write_report(out_dir: str | Path, report: dict, results: list[dict], *, force: bool = False) -> Path:
    """Write eval_report.json, report.md and results.jsonl (all rows) to `out_dir`."""
    # the sha256 of the weights ties the report to one checkpoint; the release gate compares it with the released one
    report = {**report, "model": with_weights_hash(report.get("model")), "provenance": provenance()}
    with atomic_output_dir(out_dir, force=force) as tmp:
        from .dataset_input import place_inputs

        from ..gates.recorded_paths import relative_report_paths

        report = place_inputs(report, Path(out_dir), tmp)  # a --dataset_name input goes into inputs/
        report = relative_report_paths(report, out_dir)  # inside the run: relative to it, so a moved run stays verifiable
        atomic_write_json(tmp / "eval_report.json", report)
        atomic_write_text(tmp / "report.md", render_markdown(report))
        atomic_write_text(tmp / "results.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
    return Path(out_dir)
