"""Evidence dated before the weights it claims to be about.

An eval, fit or external benchmark report records the weights it scored by sha256, and `release_checks` ties
that hash to the release. A report whose own `provenance.created_at` is earlier than the training report that
wrote those weights cannot have scored them: it is another model's report with the hash edited in, or one
copied from before a retrain that happened to keep the name. A release named with `--checkpoint` (an export
folder, a copy) is dated by the training report whose checkpoint holds the same tensors. Every writer dates its
file, so a training or eval report without a readable date blocks too: stripping a date would skip the check.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..run_dir import RunDir
from ..utils.provenance import tensors_differ, weights_sha256
from .common import Check, chain_check, check
from .evidence import Evidence, read_eval_report


def written_at(record: dict[str, Any] | None) -> dt.datetime | None:
    created = ((record or {}).get("provenance") or {}).get("created_at") if isinstance(record, dict) else None
    if not isinstance(created, str):
        return None
    try:
        when = dt.datetime.fromisoformat(created)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def _wrote_release(ev: Evidence, stage: str, wrote: str | None) -> bool:
    """Did `stage` write the released weights: the same file hash, or (a release named with --checkpoint: an export
    folder, a copy) the same tensors as the stage's checkpoint, which still holds what its report says it wrote."""
    if wrote is None or wrote == ev.weights:
        return wrote is not None
    written = ev.run.checkpoint(stage)
    return (ev.checkpoint != written and weights_sha256(written) == wrote
            and tensors_differ(ev.checkpoint, written) is None)


def _writer(ev: Evidence) -> tuple[str, dt.datetime] | None:
    """(the training report that wrote the released weights, when it was written); None when none records both.
    When no report wrote them, the run's dated SFT report: evidence older than the run's own training is no
    evidence about anything the run released."""
    for stage in ("dpo", "sft"):
        report = ev.train.get(stage) or {}
        wrote = (report.get("outputs") or {}).get("checkpoint_weights_sha256")
        if (when := written_at(report)) and _wrote_release(ev, stage, wrote):
            return f"{stage}/train_report.json", when
    when = written_at(ev.train.get("sft"))
    return ("sft/train_report.json", when) if when else None


def _undated_training(ev: Evidence, rules: dict) -> list[Check]:
    """Every trainer dates its report, so a training report without a readable date (stripped, or written by hand)
    would skip the date check altogether: it blocks instead. No training report at all is `check_training`'s."""
    undated = [f"{stage}/train_report.json" for stage in ("dpo", "sft") if ev.train.get(stage) is not None]
    if not ev.weights or not undated:
        return []
    return [chain_check("evidence_dates", False, None, "a dated training report",
                        f"{undated[-1]} records no readable provenance.created_at, so no eval report can be shown to have been "
                        "written after the training that wrote the released weights.", rules)]


def check_evidence_dates(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Every dated eval, fit and external report about the release was written after the weights it scored."""
    writer = _writer(ev) if ev.weights else None
    if writer is None:
        return _undated_training(ev, rules)
    source, trained = writer
    reports = [(ev.run.rel(ev.run.eval_report(kind)), report) for kind, report in ev.evals.items() if report is not None]
    reports += [(ev.run.rel(path), read_eval_report(path)) for path in ev.run.external_reports()]
    undated = [rel for rel, report in dict(reports).items() if written_at(report) is None]
    early = [(rel, when) for rel, report in dict(reports).items() if (when := written_at(report)) is not None and when < trained]
    if undated:
        more = f" ({len(undated) - 1} more)" if len(undated) > 1 else ""
        return [chain_check("evidence_dates", False, None, trained.isoformat(),
                            f"{undated[0]} records no readable provenance.created_at{more}, so it cannot be shown to have been "
                            f"written after {source} wrote the released weights ({trained.isoformat()}).", rules)]
    if not early:
        return [check("evidence_dates", "pass", len(reports), f"after {source}",
                      f"Every eval report was written after {source} wrote the released weights.")]
    rel, when = early[0]
    more = f" ({len(early) - 1} more)" if len(early) > 1 else ""
    return [chain_check("evidence_dates", False, when.isoformat(), trained.isoformat(),
                        f"{rel} was written at {when.isoformat()}, before {source} wrote the released weights at "
                        f"{trained.isoformat()}{more}: it cannot have scored them.", rules)]


def weights_written(run: RunDir, model: str | None, read: Any = None) -> tuple[Path, dt.datetime] | None:
    """(the training report that wrote `model`, the run's weights, and when) for the last stage (dpo, then sft) whose
    dated report names them; None when none does. `read` reads a report (default: None for a malformed one)."""
    from ..utils.io import read_json_or_none

    read = read or read_json_or_none
    for stage in ("dpo", "sft"):
        path = run.train_report(stage)
        train = read(path) if model and path.is_file() else None
        outputs = train.get("outputs") if isinstance(train, dict) and isinstance(train.get("outputs"), dict) else {}
        trained = written_at(train) if outputs.get("checkpoint_weights_sha256") == model else None
        if trained is not None:
            return path, trained
    return None


def dated_before_training(run: RunDir, model: str | None, report: dict[str, Any]) -> str | None:
    """Why `report` cannot have scored `model` (the run's weights): it is dated before the training report that wrote
    them; None when it is not, or when no dated training report wrote them (the gate rules on those)."""
    found = weights_written(run, model)
    if found is None:
        return None
    path, trained = found
    when = written_at(report)
    if when is not None and when < trained:
        return (f"written at {when.isoformat()}, before {run.rel(path)} wrote the run's weights at {trained.isoformat()}: "
                "it cannot have scored them")
    return None
