"""The run folder a command reads (and writes its verdict or report into) must be one: a folder holding at least one
record a picochat stage writes. An empty folder, a typo'd sibling or a model folder passed as `--run-dir` would
otherwise get a gates/release.json, report.md or run_manifest.json written into it about nothing."""

from __future__ import annotations

from pathlib import Path

from ..run_dir import RunDir
from ..utils.errors import PicochatInputError

STAGES = ("base", "sft", "dpo")


def _records(run: RunDir) -> list[Path]:
    return [run.run_manifest, run.dataset_pack, run.tokenizer_dir, run.task_pack_dir, run.gates_dir, run.honesty_report,
            run.lm_eval_results, run.external_root, run.export_dir,
            *(run.eval_report(k) for k in ("eval", "sft_fit", "sft_fit_heldout")),
            *(run.stage_dir(s) for s in STAGES)]


def require_run_folder(path: str | Path, field: str = "run_dir") -> RunDir:
    """The RunDir of `path`, refused naming it when it is missing, a file, a model folder or holds no run record."""
    root = Path(path)
    if not root.exists():
        raise PicochatInputError("run directory not found", path=root, field=field)
    if not root.is_dir():
        raise PicochatInputError("is a file; give the run folder (runs/<run>)", path=root, field=field)
    run = RunDir(root)
    if any(p.exists() for p in _records(run)):
        return run
    if (root / "config.json").is_file():
        raise PicochatInputError("is a model folder, not a run folder; give the run folder that holds it (runs/<run>)",
                                 path=root, field=field)
    inner = sorted(d.name for d in root.iterdir() if d.is_dir() and any(p.exists() for p in _records(RunDir(d))))
    hint = f"; it holds run folders {', '.join(inner[:4])}: give one of those" if inner else "; give a run folder (runs/<run>)"
    raise PicochatInputError(f"holds no run record (run_manifest.json, eval/, sft/, gates/, ...){hint}", path=root, field=field)
