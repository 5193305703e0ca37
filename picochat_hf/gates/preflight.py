"""The preflight gate: is this training plan worth running, before any compute is spent?

`run_preflight(plan, run_dir, profile)` checks the plan the trainers build (`training.plan.plan_for_config`:
model size, launch shape, token budget, learning rate, attention backend / device / precision) and the data it
names (tokenizer and document boundaries, dataset pack, SFT rows, eval rows, eval contamination). Everything
is read once (`preflight_inputs.load_preflight_inputs`); each check is a small pure function of that record
(`preflight_checks`, `preflight_data`) that passes, warns or blocks with its value, threshold and one sentence.
Thresholds come from `profiles/preflight.yaml` and the profile's overrides. Status: `blocked` if any check
blocks, `warn` if any warns, else `ready`. With a `run_dir` the result goes to `gates/preflight.json` and `.md`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..run_dir import RunDir
from ..utils.io import atomic_write_json, atomic_write_text
from ..utils.provenance import provenance
from .common import load_profile, render_gate_md, roll_up, summary_line
from .preflight_checks import PLAN_CHECKS
from .preflight_data import DATA_CHECKS
from .preflight_inputs import check_plan_types, load_preflight_inputs
from .preflight_tie import plan_fingerprint


def _input_hashes(plan: dict[str, Any]) -> dict[str, Any]:
    """sha256 of the data the plan names, as the train report records them, so the release gate can tell a
    preflight of other data under the same paths."""
    from ..training.plan import plan_input_hashes

    return plan_input_hashes(plan)


def run_preflight(plan: dict[str, Any], run_dir: Path | None, profile: str | Path = "research") -> dict[str, Any]:
    """Check a training plan; write `run_dir/gates/preflight.json` + `.md` when `run_dir` is given."""
    check_plan_types(plan)
    prof = load_profile(profile)
    inp = load_preflight_inputs(plan, Path(run_dir) if run_dir is not None else None, prof)
    checks = [c for fn in (*PLAN_CHECKS, *DATA_CHECKS) for c in fn(inp)]
    status = roll_up(checks, "ready")
    target = inp.params * prof["preflight"]["compute_optimal"]["target_tokens_per_param"] if inp.params else None
    contamination = inp.contamination
    result = {
        "status": status,
        "profile": prof["name"],
        "profile_source": prof["source"],
        "summary": summary_line(checks, status),
        "long_run": inp.long,
        "checks": checks,
        "numbers": {
            "num_parameters": inp.params,
            "flops_per_token": inp.fpt,
            "planned_tokens": inp.planned,
            "target_tokens": target,
            "training_flops": inp.fpt * inp.planned if inp.fpt and inp.planned else None,
        },
        "honesty": None if contamination is None else {"status": (contamination["report"] or {}).get("status"),
                                                       "counts": (contamination["report"] or {}).get("counts"), "source": contamination["source"]},
        "thresholds": prof["preflight"],
        "plan": plan,
        "plan_sha256": plan_fingerprint(plan),
        "inputs": _input_hashes(plan),
        "provenance": provenance(),
    }
    if run_dir is not None:
        run = RunDir(run_dir)
        atomic_write_json(run.preflight, result)
        atomic_write_text(run.preflight_md, render_gate_md(result, "Preflight gate"))
    return result
