"""Render the collected facts as Markdown and as one self-contained HTML page (PNGs inlined)."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

from ..data.read_once import shared_row_reads
from ..utils.io import atomic_write_text, ensure_can_write
from ..gates.common import unique
from ..run_dir import RunDir
from .collect import Table, collect
from .plots import contamination_matrix, loss_curves, skill_bars, skill_growth


def fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        if 0 < abs(value) < 1e-3 or abs(value) >= 1e6:
            return f"{value:.3g}"
        return f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) < 1 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def headline(data: dict[str, Any]) -> list[str]:
    lines = []
    release = data.get("release")
    verdict = data.get("verdict") or {}
    if release:
        stale = " — STALE" if verdict.get("state") == "stale" else ""
        lines.append(f"**Release gate: {release['status'].upper()}{stale}** (profile `{release.get('profile')}`, source `gates/release.json`).")
        lines.append(verdict.get("sentence", ""))
        if release.get("exceptions"):
            lines.append("Profile exceptions: " + " ".join(release["exceptions"]))
        reasons = unique([c["why"] for c in release.get("checks", []) if c["status"] == "block"])
        warns = unique([c["why"] for c in release.get("checks", []) if c["status"] == "warn"])
        if reasons:
            lines.append("Blocking: " + " ".join(reasons))
        if warns:
            lines.append("Warnings: " + " ".join(warns))
    else:
        lines.append("No release gate result in this run (`gates/release.json` not produced).")
    judged = [s for s in data["skills"] if s.get("gate_status")]
    cleared = [s for s in judged if s["gate_status"] == "pass"]
    if judged:
        other = [f"{s['skill']} ({s['gate_status']})" for s in judged if s["gate_status"] != "pass"]
        lines.append(
            f"Held-out skills the release gate passed: {len(cleared)} of {len(judged)}"
            + (f" ({', '.join(s['skill'] for s in cleared)})" if cleared else "")
            + (f"; not passed: {', '.join(other)}." if other else ".")
            + (" These verdicts are stale." if verdict.get("state") == "stale" else "")
        )
    return lines


def skill_verdict(s: dict[str, Any], verdict: dict[str, Any]) -> str:
    """The gate's own word on a skill (never recomputed here), marked stale when its evidence changed."""
    word = {"pass": "clears", "warn": "warn", "block": "blocks"}.get(s.get("gate_status") or "", "—")
    return f"{word} (stale)" if word != "—" and verdict.get("state") == "stale" else word


def skills_md(skills: list[dict], verdict_state: dict[str, Any] | None = None) -> list[str]:
    if not skills:
        return ["_No held-out eval in this run (`eval/eval_report.json` not produced)._"]
    out = ["| skill | pass rate | 95% CI | n | threshold | gate verdict | source |", "|---|---|---|---|---|---|---|"]
    for s in skills:
        thr = "—" if s["threshold"] is None else f"{s['threshold']:.0%}"
        verdict = skill_verdict(s, verdict_state or {})
        if s.get("problem"):
            word = "not measured" if not s["n"] else "does not hold"
            out.append(f"| {s['skill']} | {word} | — | {s['n']} | {thr} | {verdict} | `{s['source']}`: {s['problem']} |")
            continue
        out.append(f"| {s['skill']} | {s['pass_rate']:.1%} | {s['ci'][0]:.1%}–{s['ci'][1]:.1%} | {s['n']} | {thr} | {verdict} | `{s['source']}` |")
    return out


def table_md(t: Table) -> list[str]:
    out = [f"### {t.title}", "", "| quantity | value | source | note |", "|---|---|---|---|"]
    for f in t.facts:
        note = f.note.replace("|", "\\|")
        out.append(f"| {f.label} | {fmt(f.value)} | `{f.source}` | {note} |")
    if not t.facts:
        out.append("| — | not produced | — | |")
    return out + [""]


def render_markdown(data: dict[str, Any], images: dict[str, str]) -> str:
    lines = ["# picochat run report", "", f"Run directory: `{Path(data['run']).name}`", ""]
    lines += headline(data) + [""]
    lines += ["## Per-skill pass rates (held-out eval rows)", ""] + skills_md(data["skills"], data.get("verdict")) + [""]
    for key, title in (("skills", "Skill pass rates vs thresholds"), ("loss", "Loss curves"), ("growth", "Skill growth during SFT"),
                       ("contamination", "Contamination matrix")):
        if key in images:
            lines += [f"![{title}]({images[key]})", ""]
    lines += ["## Protocol tables", ""]
    for t in data["tables"]:
        lines += table_md(t)
    return "\n".join(lines) + "\n"


CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1050px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
.status{display:inline-block;padding:.25em .7em;border-radius:4px;color:#fff;font-weight:600}
.approved{background:#2e8b57}.warn{background:#d9822b}.blocked{background:#c0392b}.none{background:#777}
table{border-collapse:collapse;width:100%;font-size:.88em;margin:.6em 0 1.2em}
th,td{border:1px solid #e2e2e2;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f6f6f6} code,.src{font-family:SFMono-Regular,Menlo,monospace;font-size:.85em;color:#555}
.clears{color:#2e8b57;font-weight:600}.misses{color:#c0392b;font-weight:600}
img{max-width:100%;border:1px solid #eee;margin:.5em 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:0 1.5em}
"""


def _img(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def render_html(data: dict[str, Any], images: dict[str, Path]) -> str:
    e = html.escape
    release = data.get("release") or {}
    status = release.get("status", "none")
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>picochat run report</title><style>{CSS}</style></head><body>",
             f"<h1>picochat run report</h1><p class='src'>run directory: {e(Path(data['run']).name)}</p>",
             f"<p><span class='status {e(status)}'>release: {e(status.upper())}"
             f"{' — STALE' if (data.get('verdict') or {}).get('state') == 'stale' else ''}</span> "
             f"profile <code>{e(str(release.get('profile')))}</code> <span class='src'>(gates/release.json)</span></p>"]
    for line in headline(data)[1:]:
        parts.append(f"<p>{e(line)}</p>")
    parts.append("<h2>Per-skill pass rates (held-out eval rows)</h2>")
    if "skills" in images:
        parts.append(f"<img alt='skill pass rates' src='{_img(images['skills'])}'>")
    if data["skills"]:
        parts.append("<table><tr><th>skill</th><th>pass rate</th><th>95% CI</th><th>n</th><th>threshold</th><th>gate verdict</th><th>source</th></tr>")
        for s in data["skills"]:
            thr = "—" if s["threshold"] is None else f"{s['threshold']:.0%}"
            verdict = skill_verdict(s, data.get("verdict") or {})
            css = {"clears": "clears", "blocks": "misses"}.get(verdict, "")
            if s.get("problem"):
                parts.append(f"<tr><td>{e(s['skill'])}</td><td colspan='2'>{e(s['problem'])}</td><td>{s['n']}</td><td>{thr}</td>"
                             f"<td class='{css}'>{e(verdict)}</td><td class='src'>{e(s['source'])}</td></tr>")
                continue
            parts.append(f"<tr><td>{e(s['skill'])}</td><td>{s['pass_rate']:.1%}</td><td>{s['ci'][0]:.1%}–{s['ci'][1]:.1%}</td>"
                         f"<td>{s['n']}</td><td>{thr}</td><td class='{css}'>{e(verdict)}</td><td class='src'>{e(s['source'])}</td></tr>")
        parts.append("</table>")
    if "loss" in images:
        parts.append(f"<h2>Loss curves</h2><img alt='loss curves' src='{_img(images['loss'])}'>")
    if "growth" in images:
        parts.append(f"<h2>Skill growth during SFT</h2><img alt='skill growth' src='{_img(images['growth'])}'>")
    if "contamination" in images:
        parts.append(f"<h2>Contamination matrix</h2><img alt='contamination matrix' src='{_img(images['contamination'])}'>")
    parts.append("<h2>Protocol tables</h2>")
    for t in data["tables"]:
        parts.append(f"<h3>{e(t.title)}</h3><table><tr><th>quantity</th><th>value</th><th>source</th><th>note</th></tr>")
        for f in t.facts:
            parts.append(f"<tr><td>{e(f.label)}</td><td>{e(fmt(f.value))}</td><td class='src'>{e(f.source)}</td><td>{e(f.note)}</td></tr>")
        if not t.facts:
            parts.append("<tr><td colspan='4'>not produced</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_run_report(run_dir: str | Path, *, force: bool = False) -> dict[str, Path]:
    """Write report.md (PNG files under report_assets/) and a self-contained report.html."""
    run = Path(run_dir)
    rd = RunDir(run)
    for path in (rd.report_md, rd.report_html):
        ensure_can_write(path, force=force)
    with shared_row_reads():  # the fit reports re-judged in `collect` share one SFT file
        data = collect(run)
    assets = rd.report_assets
    assets.mkdir(exist_ok=True)
    images: dict[str, Path] = {}
    for key, path in (("skills", skill_bars([s for s in data["skills"] if not s.get("problem")], assets / "skills.png")),
                      ("loss", loss_curves(data["base_metrics"], data["sft_metrics"], assets / "loss.png")),
                      ("growth", skill_growth(data.get("skill_growth") or [],
                                              {s["skill"]: s["threshold"] for s in data["skills"] if s.get("threshold") is not None},
                                              assets / "skill_growth.png")),
                      ("contamination", contamination_matrix(data["honesty"], assets / "contamination.png"))):
        if path is not None:
            images[key] = path
    atomic_write_text(rd.report_md, render_markdown(data, {k: rd.rel(p) for k, p in images.items()}))
    atomic_write_text(rd.report_html, render_html(data, images))
    return {"md": rd.report_md, "html": rd.report_html, **images}
