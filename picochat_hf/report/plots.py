"""matplotlib figures for the run report (Agg backend, PNG files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PALETTE = {"train": "#3b6fb6", "eval": "#d9822b", "pass": "#2e8b57", "fail": "#c0392b", "grid": "#e6e6e6"}


def _style(ax) -> None:
    ax.grid(True, color=PALETTE["grid"], linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def loss_curves(base: list[dict], sft: list[dict], out: Path) -> Path | None:
    """Train loss and validation loss for base pretraining and SFT, side by side."""
    if not base and not sft:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, rows, title, src in ((axes[0], base, "Base pretraining", "base/metrics.jsonl"), (axes[1], sft, "SFT", "sft/metrics.jsonl")):
        train = [(r["step"], r["loss"]) for r in rows if "loss" in r]
        val = [(r["step"], r["eval_loss"]) for r in rows if "eval_loss" in r]
        if train:
            ax.plot(*zip(*train), color=PALETTE["train"], linewidth=1.2, label="train loss")
        if val:
            ax.plot(*zip(*val), color=PALETTE["eval"], marker="o", markersize=3.5, linewidth=1.5, label="validation loss")
        ax.set_title(f"{title}  ({src})", fontsize=9)
        ax.set_xlabel("optimizer step")
        ax.set_ylabel("cross-entropy (nats/token)")
        _style(ax)
        if train or val:
            ax.legend(frameon=False, fontsize=8)
        else:
            ax.text(0.5, 0.5, "not produced", ha="center", va="center", transform=ax.transAxes)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def skill_bars(skills: list[dict], out: Path) -> Path | None:
    """Per-skill held-out pass rate with its 95% interval and the release threshold."""
    if not skills:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    names = [s["skill"] for s in skills]
    rates = [s["pass_rate"] for s in skills]
    # clipped at 0: a report edited by hand can put its rate outside its own interval, and that must still plot
    lo = [max(0.0, s["pass_rate"] - s["ci"][0]) for s in skills]
    hi = [max(0.0, s["ci"][1] - s["pass_rate"]) for s in skills]
    # colour by the gate's verdict on the skill (pass / not pass), not by arithmetic redone here
    colors = [PALETTE["pass"] if s.get("gate_status") == "pass" else PALETTE["fail"] if s.get("gate_status") else PALETTE["train"] for s in skills]
    x = range(len(skills))
    ax.bar(x, rates, color=colors, alpha=0.85, width=0.6)
    ax.errorbar(x, rates, yerr=[lo, hi], fmt="none", ecolor="black", capsize=4, linewidth=1)
    for i, s in enumerate(skills):
        if s["threshold"] is not None:
            ax.hlines(s["threshold"], i - 0.38, i + 0.38, colors="black", linestyles="dashed", linewidth=1.4)
        ax.text(i, min(1.02, s["ci"][1] + 0.03), f"{s['pass_rate']:.0%}\nn={s['n']}", ha="center", fontsize=7.5)
    ax.set_xticks(list(x), names)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("pass rate (95% Wilson CI)")
    ax.set_title("Held-out skill pass rates vs release thresholds (dashed)  (eval/eval_report.json, gates/release.json)", fontsize=8.5)
    _style(ax)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def contamination_matrix(honesty: dict[str, Any] | None, out: Path) -> Path | None:
    """Mean n-gram overlap coverage for each (reference, target) pair of the scan."""
    cells = (honesty or {}).get("matrix") or []
    if not cells:
        return None
    refs = sorted({c["reference"] for c in cells})
    tgts = sorted({c["target"] for c in cells})
    grid = [[float("nan")] * len(tgts) for _ in refs]
    for c in cells:
        grid[refs.index(c["reference"])][tgts.index(c["target"])] = c.get("coverage", 0.0)
    fig, ax = plt.subplots(figsize=(1.8 + 1.5 * len(tgts), 1.2 + 0.8 * len(refs)))
    vmax = max(0.05, max((c.get("coverage", 0) for c in cells), default=0))
    im = ax.imshow(grid, cmap="Oranges", vmin=0, vmax=vmax)
    for i, _ in enumerate(refs):
        for j, _ in enumerate(tgts):
            cell = next((c for c in cells if c["reference"] == refs[i] and c["target"] == tgts[j]), None)
            if cell is not None:
                ax.text(j, i, f"{cell.get('coverage', 0):.1%}\nspan {cell.get('longest_span', 0)}\n{cell.get('risk', '')}", ha="center", va="center", fontsize=7,
                        color="white" if cell.get("coverage", 0) > 0.6 * vmax else "black")
    ax.set_xticks(range(len(tgts)), [f"target: {t}" for t in tgts], fontsize=8)
    ax.set_yticks(range(len(refs)), [f"ref: {r}" for r in refs], fontsize=8)
    ax.set_title("n-gram overlap coverage (honesty/honesty_report.json)", fontsize=8.5)
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def skill_growth(growth: list[dict], thresholds: dict[str, float], out: Path) -> Path | None:
    """Pass rate per skill of the fixed eval subset at each scored SFT step, with the release thresholds."""
    if not growth:
        return None
    skills = sorted({s for line in growth for s in line.get("by_skill", {})})
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    colors = plt.get_cmap("tab10")
    for k, skill in enumerate(skills):
        pts = [(line["step"], line["by_skill"][skill]["pass_rate"]) for line in growth if skill in line.get("by_skill", {})]
        n = max(line["by_skill"][skill]["n"] for line in growth if skill in line.get("by_skill", {}))
        ax.plot(*zip(*pts), marker="o", markersize=3.5, linewidth=1.4, color=colors(k), label=f"{skill} (n={n})")
        if skill in thresholds:
            ax.axhline(thresholds[skill], color=colors(k), linestyle="dashed", linewidth=0.9, alpha=0.7)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("SFT optimizer step")
    ax.set_ylabel("pass rate on the subset")
    ax.set_title("Skill growth: fixed eval subset scored during SFT, thresholds dashed  (sft/skill_growth.jsonl)", fontsize=8.5)
    _style(ax)
    ax.legend(frameon=False, fontsize=7.5, loc="upper left")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
