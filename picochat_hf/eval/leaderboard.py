"""`picochat leaderboard`: compare runs on their stored evidence, with the noise made visible.

For each run folder it reads `eval/eval_report.json` (chat eval), `sft_fit/` and `sft_fit_heldout/`,
every `external_eval/<name>/eval_report.json`, `lm_eval/lm_eval_results.json` and `gates/release.json`.

Noise: within every compared quantity, each run is tested against the best run with a two-sided
two-proportion z-test (statsmodels `proportions_ztest`, pooled variance). A difference with p >= 0.05 is
marked "≈" (the runs are not distinguishable on this many rows). Wilson 95% intervals are printed beside
every rate; overlapping intervals are a looser criterion, so the z-test is what decides the mark.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_json, atomic_write_text, ensure_can_write
from .stats import two_proportion_pvalue

ALPHA = 0.05
NOISE_TEST = "two-proportion z-test (statsmodels proportions_ztest), two-sided, alpha 0.05, against the best run"


def _load(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PicochatInputError(f"malformed JSON ({exc.msg})", path=path, line=exc.lineno) from None


def collect_run(run_dir: str | Path) -> dict[str, Any]:
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise PicochatInputError("run folder not found", path=run_dir)
    external = {}
    for rep_path in sorted(run_dir.glob("external_eval/*/eval_report.json")):
        rep = _load(rep_path)
        if rep and rep.get("external"):
            external[rep["external"]["benchmark"]] = rep["external"]
    gate = _load(run_dir / "gates" / "release.json")
    lm = _load(run_dir / "lm_eval" / "lm_eval_results.json")
    return {
        "run": run_dir.name,
        "path": str(run_dir),
        "chat": _summary(_load(run_dir / "eval" / "eval_report.json")),
        "sft_fit": _summary(_load(run_dir / "sft_fit" / "eval_report.json")),
        "sft_fit_heldout": _summary(_load(run_dir / "sft_fit_heldout" / "eval_report.json")),
        "external": external,
        "lm_eval": (lm or {}).get("scores") or {},
        "gate": gate.get("status") if gate else None,
    }


def _summary(report: dict | None) -> dict | None:
    return report["summary"] if report else None


def _mark_noise(cells: dict[str, tuple[int, int] | None]) -> dict[str, dict]:
    """{run: {"passed","n","rate","best","p_vs_best","within_noise"}} for one compared quantity."""
    present = {r: c for r, c in cells.items() if c is not None and c[1] > 0}
    if len(present) < 2:
        return {}
    best = max(present, key=lambda r: (present[r][0] / present[r][1], present[r][1]))
    out = {}
    for run, (passed, n) in present.items():
        p = 1.0 if run == best else two_proportion_pvalue(passed, n, present[best][0], present[best][1])
        out[run] = {"passed": passed, "n": n, "rate": passed / n, "best": run == best, "p_vs_best": p,
                    "within_noise": run != best and p >= ALPHA}  # fmt: skip
    return out


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _cell(s: dict | None, ci: list[float] | None = None, mark: dict | None = None) -> str:
    if s is None:
        return "–"
    text = f"{_pct(s['pass_rate'])} ({s['passed']}/{s['n']})"
    if ci is not None:
        text += f" [{100 * ci[0]:.0f}, {100 * ci[1]:.0f}]"
    if mark and mark.get("best"):
        text += " ★"
    elif mark and mark.get("within_noise"):
        text += " ≈"
    return text


def build_leaderboard(run_dirs: list[str | Path], out: str | Path, *, force: bool = False) -> Path:
    """Write the leaderboard markdown to `out` and its data to `out` with a `.json` suffix."""
    if not run_dirs:
        raise PicochatInputError("no run folders given")
    out = Path(out)
    ensure_can_write(out, force=force)
    ensure_can_write(out.with_suffix(".json"), force=force)
    runs = [collect_run(d) for d in run_dirs]
    names = [r["run"] for r in runs]
    if len(set(names)) != len(names):
        raise PicochatInputError(f"run folder names must be distinct, got {names}")

    def counts(summary: dict | None) -> tuple[int, int] | None:
        return (summary["passed"], summary["n"]) if summary else None

    noise: dict[str, dict] = {}
    for key in ("chat", "sft_fit", "sft_fit_heldout"):
        noise[key] = _mark_noise({r["run"]: counts(r[key]) for r in runs})
    skills = sorted({s for r in runs if r["chat"] for s in r["chat"]["by_skill"]})
    for skill in skills:
        noise[f"skill:{skill}"] = _mark_noise({r["run"]: counts((r["chat"] or {}).get("by_skill", {}).get(skill)) for r in runs})
    benchmarks = sorted({b for r in runs for b in r["external"]})
    for bench in benchmarks:
        noise[f"external:{bench}"] = _mark_noise(
            {r["run"]: (r["external"][bench]["correct"]["letter_acc"], r["external"][bench]["n"]) if bench in r["external"] else None for r in runs}
        )

    ranked = sorted(runs, key=lambda r: -(r["chat"]["pass_rate"] if r["chat"] else -1.0))
    lines = [
        "# Leaderboard",
        "",
        f"Rates with 95% Wilson intervals. ★ best run for that quantity; ≈ not distinguishable from the best ({NOISE_TEST}).",
        "",
        "## Overall",
        "",
        "| run | chat eval pass | p vs best | SFT fit | held-out fit | echo | unsupported claims | refusal pass | release gate |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in ranked:
        c, m = r["chat"], noise["chat"].get(r["run"])
        p_text = "–" if not m or m["best"] else f"{m['p_vs_best']:.3f}"
        lines.append(
            f"| {r['run']} | {_cell(c, c['ci'] if c else None, m)} | {p_text} "
            f"| {_cell(r['sft_fit'], r['sft_fit']['ci'] if r['sft_fit'] else None, noise['sft_fit'].get(r['run']))} "
            f"| {_cell(r['sft_fit_heldout'], r['sft_fit_heldout']['ci'] if r['sft_fit_heldout'] else None, noise['sft_fit_heldout'].get(r['run']))} "
            f"| {_pct(c['prompt_echo_rate']) if c else '–'} | {_pct(c['unsupported_claim_rate']) if c else '–'} "
            f"| {_pct(c['refusal_pass_rate']) if c else '–'} | {r['gate'] or 'not run'} |"
        )
    if skills:
        lines += ["", "## Chat eval by skill", "", "| skill | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
        for skill in skills:
            cells = []
            for r in runs:
                s = (r["chat"] or {}).get("by_skill", {}).get(skill)
                cells.append(_cell(s, s["ci"] if s else None, noise[f"skill:{skill}"].get(r["run"])))
            lines.append(f"| {skill} | " + " | ".join(cells) + " |")
        base = [(r["chat"] or {}).get("baselines", {}) for r in runs]
        lines.append("| choice baselines (random / majority) | " + " | ".join(
            f"{_pct(b.get('random'))} / {_pct(b.get('majority'))}" if b.get("random") is not None else "–" for b in base) + " |")  # fmt: skip
    if benchmarks:
        lines += ["", "## External benchmarks", "", "| benchmark | run | letter acc | acc | acc_norm | random baseline |", "|---|---|---|---|---|---|"]
        for bench in benchmarks:
            for r in runs:
                e = r["external"].get(bench)
                if not e:
                    continue
                m = noise[f"external:{bench}"].get(r["run"], {})
                mark = " ★" if m.get("best") else (" ≈" if m.get("within_noise") else "")
                lines.append(
                    f"| {bench} | {r['run']} | {_pct(e['letter_acc'])} [{100 * e['ci']['letter_acc'][0]:.0f}, {100 * e['ci']['letter_acc'][1]:.0f}]{mark} "
                    f"| {_pct(e['acc'])} | {_pct(e['acc_norm'])} | {_pct(e['random_baseline'])} |"
                )
    lm_tasks = sorted({t for r in runs for t in r["lm_eval"]})
    if lm_tasks:
        lines += ["", "## lm-eval", "", "| task | metric | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
        for task in lm_tasks:
            metrics = sorted({k for r in runs for k in r["lm_eval"].get(task, {}) if not k.endswith("_stderr")})
            for metric in metrics:
                cells = []
                for r in runs:
                    v = r["lm_eval"].get(task, {}).get(metric)
                    se = r["lm_eval"].get(task, {}).get(f"{metric}_stderr")
                    cells.append("–" if v is None else (f"{v:.3f}" + (f" ± {se:.3f}" if isinstance(se, float) else "")))
                lines.append(f"| {task} | {metric} | " + " | ".join(cells) + " |")
    lines.append("")
    atomic_write_text(out, "\n".join(lines))
    atomic_write_json(out.with_suffix(".json"), {"runs": runs, "noise": noise, "noise_test": NOISE_TEST})
    return out
