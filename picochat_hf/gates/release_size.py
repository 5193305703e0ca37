"""The released model's parameter count, counted from its weights, against every record that divides by it.

The preflight's token budget (tokens per parameter, compute-optimal target) and the base run's trained budget
both divide by a `num_parameters` the run wrote down. A preflight planned for a smaller model, or a train report
edited to another count, makes the budget look better while the reports still agree with each other; only the
released weights say how many parameters the release has. `count_parameters` sums the elements of every tensor
in the checkpoint's safetensors files (the trainers save tied weights once, so the sum equals
`modeling.flops.num_parameters` and `model.num_parameters()`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .common import Check, chain_check, count
from .evidence import Evidence


def count_parameters(folder: str | Path | None) -> int | None:
    """Elements of every tensor in the folder's safetensors files (read from their headers); None when there are
    none or one cannot be read (a pickled or adapter-only checkpoint is not counted)."""
    from safetensors import safe_open

    files = sorted(Path(folder).glob("*.safetensors")) if folder is not None and Path(folder).is_dir() else []
    if not files or any(f.name.startswith("adapter_model") for f in files):
        return None
    total = 0
    try:
        for f in files:
            with safe_open(str(f), "pt") as handle:
                total += sum(math.prod(handle.get_slice(k).get_shape()) for k in handle.keys())
    except Exception:  # safetensors raises its own error types for a corrupt header; an unreadable file counts nothing
        return None
    return total


def released_count(ev: Evidence) -> int | None:
    """The released weights' parameter count: `ev.parameters` when counted elsewhere (a bundle holds no weights, but
    the count made when bundling them), else counted in `ev.checkpoint`."""
    return ev.parameters if ev.parameters is not None else count_parameters(ev.checkpoint)


def _recorded(ev: Evidence) -> list[tuple[str, str, Any]]:
    """(file, field, the count it records) for every record whose budget divides by the parameter count."""
    out: list[tuple[str, str, Any]] = []
    pre = ev.preflight
    if pre is not None:
        out.append(("gates/preflight.json", "numbers.num_parameters", (pre.get("numbers") or {}).get("num_parameters")))
        if isinstance(pre.get("plan"), dict):
            out.append(("gates/preflight.json", "plan.num_parameters", pre["plan"].get("num_parameters")))
    for stage in ("base", "sft"):  # a DPO report records no count: it trains the SFT model in place
        if ev.train.get(stage) is not None:
            out.append((f"{stage}/train_report.json", "num_parameters", ev.train[stage].get("num_parameters")))
    return out


def check_released_parameters(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Every recorded parameter count equals the count of the released weights' tensors."""
    if ev.weights is None:
        return []  # `released_checkpoint` names the missing weights
    counted = released_count(ev)
    if counted is None:
        return [chain_check("released_parameters", False, None, "the recorded counts",
                            f"The released checkpoint {ev.checkpoint.name}/ holds no safetensors weights whose tensors can be "
                            "counted, so the parameter count every token budget divides by cannot be checked.", rules)]
    recorded = _recorded(ev)
    missing = [(rel, field) for rel, field, n in recorded if n is None]
    if missing:
        rel, field = missing[0]
        return [chain_check("released_parameters", False, counted, "the recorded counts",
                            f"{rel} records no {field}, so the budget it states cannot be tied to the released weights "
                            f"({count(counted)} parameters).", rules)]
    wrong = [f"{rel} {field} says {count(n) if isinstance(n, (int, float)) and not isinstance(n, bool) else repr(n)}"
             for rel, field, n in recorded if isinstance(n, bool) or not isinstance(n, (int, float)) or n != counted]
    if wrong:
        more = f" ({len(wrong) - 1} more)" if len(wrong) > 1 else ""
        return [chain_check("released_parameters", False, counted, "the recorded counts",
                            f"The released weights hold {count(counted)} parameters, but {wrong[0]}{more}: the token budget "
                            "was planned or measured for another model size.", rules)]
    where = ", ".join(dict.fromkeys(rel for rel, _, _ in recorded)) or "no record"
    return [chain_check("released_parameters", True, counted, "the recorded counts",
                        f"The released weights hold {count(counted)} parameters, the count {where} record.", rules)]
