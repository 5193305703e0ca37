"""Paths a verdict records, so that a run folder can be copied or moved (`cp -r runs/a runs/b`, `mv runs/a /data/a`).

A checkpoint inside the run directory is recorded relative to the run root (`sft/checkpoint`), so a byte-identical
copy or move names its own files and verifies as the original does; one outside it (a real foreign model named with
`gate release --checkpoint`) is recorded absolute and stays foreign wherever the run goes.

Verdicts written before this recorded every path absolute, beside the run root they ran in (`run_dir`). Such a path
that lies inside that recorded root names the same place in this run's layout (`<recorded run_dir>/sft/checkpoint`
is `sft/checkpoint` here), so it resolves into this run: the files read are always this run's own, hashed against
the verdict's recorded hashes, and nothing in the old location (another run now) is read for it. An absolute path
outside both roots is foreign and is judged as such (`checkpoint_elsewhere`, `sft_checkpoint_origin`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..run_dir import RunDir


def _under(path: Path, root: Path) -> Path | None:
    """`path` relative to `root` (as written, then with links resolved), or None when it lies outside it."""
    for p, r in ((path, root), (path.resolve(), root.resolve())):
        if p.is_relative_to(r):
            return p.relative_to(r)
    return None


def record_path(run: RunDir, path: str | Path) -> str:
    """How a verdict records `path`: posix and relative to the run root when inside it, else absolute."""
    inside = _under(Path(path), run.root)
    return inside.as_posix() if inside is not None else str(Path(path).resolve())


def resolve_recorded(run: RunDir, value: str | Path, recorded_root: str | Path | None = None) -> Path:
    """The path a recorded `value` names for this run: a relative one under the run root; an absolute one inside
    the run root as is; an absolute one inside `recorded_root` (the run root an older verdict ran in, since copied or
    moved) at the same place under this run's root; any other absolute path as is (foreign)."""
    path = Path(value)
    if not path.is_absolute():
        return run.root / path
    if _under(path, run.root) is not None or not recorded_root:
        return path
    old = Path(str(recorded_root))
    inside = path.relative_to(old) if old.is_absolute() and path.is_relative_to(old) else None
    return run.root / inside if inside is not None else path


def judged_checkpoint(run: RunDir, release: dict[str, Any]) -> Path | None:
    """The checkpoint folder the verdict `release` judged, as this run names it (`resolve_recorded`); None when the
    verdict names none."""
    ckpt = release.get("checkpoint") if isinstance(release.get("checkpoint"), dict) else {}
    if not ckpt.get("path"):
        return None
    root = release.get("run_dir") if isinstance(release.get("run_dir"), str) else None
    return resolve_recorded(run, str(ckpt["path"]), root)


def former_root(run: RunDir) -> str | None:
    """The run root the run's verdict recorded (`run_dir` in gates/release.json) when it is not this one: the run was
    copied or moved since, and the absolute paths its reports record under that root name this run's files."""
    import json

    try:
        release = json.loads(run.release.read_text(encoding="utf-8")) if run.release.is_file() else None
    except (OSError, ValueError):
        return None  # an unreadable verdict is named by the gate's own reading of it
    root = release.get("run_dir") if isinstance(release, dict) else None
    if not isinstance(root, str) or not Path(root).is_absolute() or Path(root) == run.root or Path(root) == run.root.resolve():
        return None
    return root


def in_this_run(run: RunDir, value: str | Path) -> Path | None:
    """Where an absolute path a report recorded inside the run's former root (`former_root`) lies in this run; None
    when it lies elsewhere (then it is read as recorded)."""
    root = former_root(run)
    path = Path(value)
    if root is None or not path.is_absolute() or not path.is_relative_to(root):
        return None
    return run.root / path.relative_to(root)


def report_run(out_dir: str | Path) -> RunDir | None:
    """The run whose evidence an eval report written to `out_dir` is: `<run>/<kind>` for the rule-scored evals,
    `<run>/external_eval/<benchmark>` for external ones; None for any other folder (a report outside a run layout)."""
    from ..run_dir import EVAL_KINDS

    folder = Path(out_dir)
    if folder.name in EVAL_KINDS:
        return RunDir(folder.parent)
    if folder.parent.name == RunDir(Path(".")).external_root.name:
        return RunDir(folder.parent.parent)
    return None


REPORT_PATHS = (("config", "input"), ("model", "path"), ("model", "tokenizer"))  # what an eval report records as a path


def relative_report_paths(report: dict[str, Any], out_dir: str | Path) -> dict[str, Any]:
    """`report` with its recorded paths (`REPORT_PATHS`) inside the run it is written into as `record_path` records them,
    relative to the run root, so a copied or moved run names its own files (readers resolve a relative path under the
    run root, and still read older absolute ones: `verdicts.input_file`); a path outside the run (a user's file, a hub
    model id) and every path of a report outside a run layout are kept as given."""
    run = report_run(out_dir)
    if run is None:
        return report
    out = dict(report)
    for section, key in REPORT_PATHS:
        block = out.get(section)
        inside = _under(Path(block[key]), run.root) if isinstance(block, dict) and isinstance(block.get(key), str) and block[key] else None
        if inside is not None:
            out[section] = {**block, key: inside.as_posix()}
    return out
