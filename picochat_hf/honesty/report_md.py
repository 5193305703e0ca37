"""Markdown rendering of honesty_report.json."""

from __future__ import annotations

from typing import Any


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _pct(x: Any) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def render_honesty_md(report: dict[str, Any], max_findings: int = 50) -> str:
    cfg, counts = report["config"], report["counts"]
    lines = [
        "# Honesty and contamination scan",
        "",
        f"**Status: {report['status']}**. {report['summary']}",
        "",
        f"Normalisation: {cfg['normalization']}; n = {cfg['ngram_size']} words; leak at coverage >= {cfg['fail_coverage']:.0%}; "
        f"near prompt at similarity >= {cfg['near_threshold']} (MinHash LSH {cfg['lsh_threshold']}, {cfg['num_perm']} permutations).",
        "",
        "| count | value |",
        "|---|---|",
    ]
    for key, value in counts.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        lines.append(f"| {key.replace('_', ' ')} | {value} |")
    rates = report.get("rates", {})
    lines += [
        f"| prompt echo rate | {_pct(rates.get('prompt_echo_rate'))} |",
        f"| unsupported claim rate | {_pct(rates.get('unsupported_claim_rate'))} |",
        "",
        "## Overlap matrix",
        "",
        "| reference | target | targets | with overlap | coverage | max coverage | longest span (words) | risk |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for cell in report["matrix"]:
        if cell["risk"] == "not_scanned":
            lines.append(f"| {cell['reference']} | {cell['target']} | {cell['targets']} | - | - | - | - | not scanned |")
            continue
        lines.append(
            f"| {cell['reference']} | {cell['target']} | {cell['checked']} | {cell['with_overlap']} | {cell['coverage']:.1%} | "
            f"{cell['max_coverage']:.1%} | {cell['longest_span']} | {cell['risk']} |"
        )
    findings = report["findings"]
    lines += ["", f"## Findings ({len(findings)})", ""]
    if not findings:
        lines.append("None.")
    else:
        lines += ["| severity | kind | eval row | detail |", "|---|---|---|---|"]
        ordered = sorted(findings, key=lambda f: (f["severity"] != "fail", f["kind"], f["eval_id"]))
        for f in ordered[:max_findings]:
            lines.append(f"| {f['severity']} | {f['kind']} | {f['eval_id']} | {_cell(f['detail'])} |")
        if len(findings) > max_findings:
            lines.append(f"\n{len(findings) - max_findings} more in honesty_report.json.")
    return "\n".join(lines) + "\n"
