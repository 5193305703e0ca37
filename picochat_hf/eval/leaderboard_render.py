"""The markdown of `picochat leaderboard`: the run table, one section per kind of quantity, lm-eval scores, and
the runs and cells left off or marked, each with its reason (`leaderboard.board` computes what it shows)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

METHOD = ("every pair of runs scored on the same eval file: exact McNemar on shared rows when per-row results exist, else "
          "Fisher's exact test; p-values Holm-corrected over all pairs of the board; worse = Holm p against the best < 0.05")


UNVERIFIED = "⚠ unverified"


def _lm_rows(runs: list[dict], task: str) -> tuple[list[str], list[str]]:
    """(runs whose lm-eval `task` ran with the most common setup, a note for each other run). A run that does not
    record the task's hash is left off: the data it scored cannot be told from another task of that name."""
    traced = [r for r in runs if task in r["lm_eval"] and (r.get("lm_eval_setup", {}).get(task) or {}).get("task_hash")]
    untraced = [f"{r['run']}'s lm-eval {task} records no task hash (task_hashes), so the task data it scored cannot be traced; "
                "it is left off." for r in runs if task in r["lm_eval"] and r not in traced]
    shown, notes = _lm_common(traced, task)
    return shown, untraced + notes


def _lm_common(runs: list[dict], task: str) -> tuple[list[str], list[str]]:
    setups = {r["run"]: json.dumps(r.get("lm_eval_setup", {}).get(task), sort_keys=True) for r in runs if task in r["lm_eval"]}
    counts: dict[str, int] = {}
    for key in setups.values():
        counts[key] = counts.get(key, 0) + 1
    ref = max(counts, key=lambda k: counts[k]) if counts else None
    shown = [name for name, key in setups.items() if key == ref]
    notes = [f"{name}'s lm-eval {task} ran with setup {key}, not the board's {ref}; it is left off." for name, key in setups.items() if key != ref]
    return shown, notes


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def standing(run: dict[str, Any]) -> str | None:
    """None when the run is a release candidate (its re-checked release verdict is current and not blocked);
    else what it is instead: "blocked", "stale" or "gate not run"."""
    if run.get("gate_state") == "stale":
        return "stale"
    if run.get("gate_state") != "current" or run.get("gate") is None:
        return "gate not run"
    return "blocked" if run["gate"] == "blocked" else None


def _text(e: dict[str, Any] | None, flag: str | None = None) -> str:
    if e is None:
        return "–"
    text = f"{_pct(e['rate'])} ({e['passed']}/{e['n']}) [{100 * e['ci'][0]:.0f}, {100 * e['ci'][1]:.0f}]"
    if e.get("unverified"):  # the report's claim, never a ranking result: no star, no test, no ≈ or worse
        return text + (" above ★, not ranked first (unverified)" if e.get("above_best") else "") + f" {UNVERIFIED}"
    if e["best"]:
        return text + (f" ★ (gate {flag}: not a release)" if flag else " ★")
    if "p" in e:
        return f"{text} {'worse' if e['worse'] else '≈'} ({e['test']}: p={e['p']:.3g}, Holm {e['p_holm']:.3g})"
    return text


def _unverified_lines(runs: list[dict], data: dict[str, Any]) -> list[str]:
    """One line per run and reason for the ranked cells whose counts could not be re-judged."""
    said: dict[tuple[str, str], list[str]] = {}
    for q, entries in data["quantities"].items():
        for name, e in entries.items():
            if e.get("unverified"):
                said.setdefault((name, e["unverified"]), []).append(q)
    if not said:
        return []
    return ["", f"## Unverified ({UNVERIFIED}: not ranked; shown on the report's own counts, which nothing re-judged)", ""] + [
        f"- {name}'s {', '.join(qs)}: {why}." for (name, why), qs in said.items()]


def _gate(run: dict[str, Any]) -> str:
    if run.get("gate_state") == "stale":
        return f"{run['gate']} (stale: {run['gate_sentence']})"
    return run["gate"] or "not run"


def _heads(runs: list[dict]) -> list[str]:
    """Column headings: the run's name, marked when it is not a release candidate."""
    return [r["run"] + (f" ⚠ {standing(r)}" if standing(r) else "") for r in runs]


def _section(title: str, runs: list[dict], quantities: list[str], data: dict[str, Any], label: Callable[[str], str]) -> list[str]:
    rows = [q for q in quantities if q in data["quantities"]]
    if not rows:
        return []
    lines = ["", f"## {title}", "", "| quantity | " + " | ".join(_heads(runs)) + " |", "|---|" + "---|" * len(runs)]
    for q in rows:
        lines.append(f"| {label(q)} | " + " | ".join(_text(data["quantities"][q].get(r["run"]), standing(r)) for r in runs) + " |")
    return lines


def render(runs: list[dict], data: dict[str, Any]) -> str:
    runs = sorted(runs, key=lambda r: standing(r) is not None)  # release candidates first, each group in the order given
    names = [r["run"] for r in runs]
    qs = list(data["quantities"])
    lines = ["# Leaderboard", "", f"Rates with 95% Wilson intervals. ★ best run; ≈ not distinguishable from it; worse = significantly "
             f"worse. Method: {METHOD}. {data['tests']} comparisons on this board.", "",
             "Release candidates (a current release verdict that is not blocked) come first. A run marked ⚠ is not a release "
             "candidate (its gate is blocked, stale or not run): its numbers are measured, and a ★ on it means best measured, "
             "not best release.", "",
             "| run | release gate | standing | model (weights) |", "|---|---|---|---|",
             *[f"| {r['run']} | {_gate(r)} | {'⚠ not a release candidate' if standing(r) else 'release candidate'} | "
               f"{_identity(r, runs)} |" for r in runs]]
    lines += _section("Chat eval and fits", runs, [q for q in ("eval", "sft_fit", "sft_fit_heldout") if q in qs], data,
                      {"eval": "chat eval", "sft_fit": "SFT fit", "sft_fit_heldout": "held-out fit"}.get)
    lines += _section("Chat eval by skill", runs, [q for q in qs if q.startswith("skill:")], data, lambda q: q.split(":", 1)[1])
    lines += _section("External benchmarks (letter accuracy)", runs, [q for q in qs if q.startswith("external:")], data,
                      lambda q: q.split(":", 1)[1])
    lm_tasks = sorted({t for r in runs for t in r["lm_eval"]})
    notes = [r["lm_eval_note"] + "; they are left off." for r in runs if r.get("lm_eval_note")]
    if lm_tasks:
        lines += ["", "## lm-eval (not tested: no per-row results)", "", "| task | metric | " + " | ".join(_heads(runs)) + " |",
                  "|---|---|" + "---|" * len(names)]
        for task in lm_tasks:
            shown, left = _lm_rows(runs, task)
            notes += left
            for metric in sorted({k for r in runs for k in r["lm_eval"].get(task, {}) if not k.endswith("_stderr")}):
                cells = []
                for r in runs:
                    scores = r["lm_eval"].get(task, {}) if r["run"] in shown else {}
                    v, se = scores.get(metric), scores.get(f"{metric}_stderr")
                    cells.append("–" if v is None else f"{v:.3f}" + (f" ± {se:.3f}" if isinstance(se, float) else ""))
                lines.append(f"| {task} | {metric} | " + " | ".join(cells) + " |")
    if notes:
        lines += ["", "## lm-eval not shown", ""] + [f"- {n}" for n in notes]
    lines += _unverified_lines(runs, data)
    once = [e for e in data["excluded"] if e.get("same_model")]
    other_file = [e for e in data["excluded"] if " was scored on eval file " in e["why"] and e not in once]
    rest = [e for e in data["excluded"] if e not in other_file and e not in once]
    if once:
        lines += ["", "## Counted once (one model in two runs)", ""] + [f"- {e['why']}" for e in once]
    if other_file:
        lines += ["", "## Not compared (different eval files)", ""] + [f"- {e['why']}" for e in other_file]
    if rest:
        lines += ["", "## Not compared (other settings or rows, or evidence that does not hold)", ""] + [f"- {e['why']}" for e in rest]
    return "\n".join(lines + [""])


def _identity(run: dict[str, Any], runs: list[dict]) -> str:
    """The run's model as the board knows it: its weights' hash, and the other runs of the same weights."""
    model = run.get("model_weights_sha256")
    if not model:
        return "not recorded"
    also = [r["run"] for r in runs if r is not run and r.get("model_weights_sha256") == model]
    return model[:12] + (f" (also {', '.join(also)})" if also else "")
