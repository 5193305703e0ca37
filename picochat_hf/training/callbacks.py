"""`MetricsJsonlCallback`: one JSON line per log event in `metrics.jsonl`; `CompleteCheckpointCallback`:
marks a Trainer checkpoint complete once everything in it is written.

Train lines carry step, epoch, loss, lr, grad_norm, real tokens seen, real tokens/s and packing
utilisation; eval lines carry eval_loss (token-weighted) and, for pretraining, eval_bpb. On resume the
lines past the checkpoint's step are dropped, so the file of a resumed run reads like an uninterrupted one.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from ..utils.faults import fault_point
from ..utils.io import atomic_write_json, read_json

RENAMES = {"learning_rate": "lr"}


def _clean(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class MetricsJsonlCallback(TrainerCallback):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        kept: list[str] = []
        if state.global_step > 0 and self.path.exists():  # resumed: keep history up to the checkpoint
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    if json.loads(line).get("step", 0) <= state.global_step:
                        kept.append(line)
                except json.JSONDecodeError:
                    break
        self.path.write_text("".join(k + "\n" for k in kept), encoding="utf-8")

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not logs:
            return
        record: dict[str, Any] = {"step": int(state.global_step), "epoch": _clean(state.epoch)}
        for key, value in logs.items():
            if isinstance(value, (int, float)) or hasattr(value, "item"):
                record[RENAMES.get(key, key)] = _clean(value)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")


def read_metrics(path: str | Path) -> list[dict[str, Any]]:
    """Load a metrics.jsonl file (blank lines skipped)."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


COMPLETE_MARKER = "picochat_checkpoint_complete.json"


class CompleteCheckpointCallback(TrainerCallback):
    """Write `picochat_checkpoint_complete.json` (step and every file's size) into `checkpoint-N` last.

    The Trainer writes a checkpoint's weights, optimizer, scheduler, RNG state and `trainer_state.json`
    one file at a time and calls `on_save` only after all of them; a checkpoint without the marker (or
    whose files no longer match it) was interrupted, and resuming skips it (`training.common.find_resume`).
    """

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        folder = Path(args.output_dir) / f"checkpoint-{state.global_step}"
        if not folder.is_dir():
            return
        fault_point("checkpoint_before_marker")
        files = {p.relative_to(folder).as_posix(): p.stat().st_size for p in sorted(folder.rglob("*"))
                 if p.is_file() and p.name != COMPLETE_MARKER}
        atomic_write_json(folder / COMPLETE_MARKER, {"step": int(state.global_step), "files": files})


def checkpoint_problem(folder: str | Path) -> str | None:
    """Why `folder` is not a complete checkpoint, or None when it is."""
    folder = Path(folder)
    marker = folder / COMPLETE_MARKER
    if not (folder / "trainer_state.json").is_file():
        return "no trainer_state.json (interrupted save)"
    if not marker.is_file():
        return f"no {COMPLETE_MARKER} (interrupted save)"
    problem = _marker_problem(marker)
    if problem is not None:
        return f"unreadable {COMPLETE_MARKER} ({problem})"
    for name, size in read_json(marker)["files"].items():
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if path.stat().st_size != size:
            return f"{name} has {path.stat().st_size} bytes, {size} when saved (truncated or changed)"
    return None


def _marker_problem(marker: Path) -> str | None:
    """Why a completion marker proves nothing: not strict JSON (a file named twice has two sizes), no object of
    file sizes, or no weights or trainer state among its files (an empty list would vouch for any folder)."""
    from ..utils.errors import PicochatInputError
    from ..utils.model_files import WEIGHT_NAMES

    try:
        data = read_json(marker)
    except PicochatInputError as exc:
        return exc.reason if exc.field is None else f"{exc.field}: {exc.reason}"
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, int) and not isinstance(v, bool) for v in files.values()):
        return "files must map each file to its size in bytes"
    if "trainer_state.json" not in files or not any(name in files for name in WEIGHT_NAMES):
        return "it lists no weights or no trainer_state.json"
    return None
