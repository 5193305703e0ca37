"""Re-derive a bundled release verdict's checks from the bundle's own evidence and the profile it names.

`bundle --check` re-derives each eval report's rates from its rows, but took the bundled `gates/release.json`'s
checks as written: a verdict whose `skill_math` value or threshold was edited (its status left consistent with
its roll-up) passed. The checks that need only files a bundle carries are run again here, with the gate's own
functions (`gates.release_checks`), on the bundled eval, fit, external, train (the base run's origin among them),
preflight and honesty reports and the thresholds of the named profile; each must be recorded with the same status,
value, threshold and sentence.

`check_bundle` asks for the re-derived checks twice (the verdict's mismatches, and the checks it cannot re-derive):
inside `rederive_once()` the second ask of the same verdict, members and summary returns the first answer, so the
bundled eval rows are re-judged once per check, not twice.

The checks that read files a bundle also carries (each eval's settings against its results, the scoring config and
tables each report records against this picochat's, evidence dates, the parameter count bundling made of the judged
weights) are re-run on those members (`bundle_files_checks`). The checks
that need what a bundle does not hold (the weights, the rows files the evals scored, the scan's inputs, a re-run of
the model) are named in `unverifiable`, as the gate recorded them. A verdict under a profile
that is a user's YAML file (not a packaged one) cannot be re-derived from the bundle: that is said too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from ..data.schema import DuplicateKeyError, unique_keys
from ..gates.common import PROFILE_NAMES, load_profile
from ..gates.evidence import Evidence
from ..gates.release_checks import check_base_origin, check_external, check_fits, check_preflight, check_training, check_visible_eval
from ..gates.preflight_tie import check_preflight_plan
from ..gates.release_honesty import check_honesty
from ..run_dir import EVAL_KINDS, STAGES, RunDir
from ..utils.errors import PicochatInputError
from .bundle_files_checks import PARTIAL, file_checks

REDERIVED = (check_base_origin, check_preflight, check_preflight_plan, check_training, check_honesty, check_fits,
             check_visible_eval, check_external)  # read no file
TRAIN_REPORTS = tuple(f"{stage}/train_report.json" for stage in STAGES)  # members `check_bundle` reads for these checks
TOL = 1e-9
_ONCE: ContextVar[dict | None] = ContextVar("picochat_bundle_rederived_once", default=None)


@contextmanager
def rederive_once() -> Iterator[None]:
    """Within the block, `rederived_checks` of the same verdict, bundle members and summary runs once."""
    token = _ONCE.set({})
    try:
        yield
    finally:
        _ONCE.reset(token)


def _json(kept: dict[str, bytes], rel: str) -> dict[str, Any] | None:
    try:
        obj = json.loads(kept[rel], object_pairs_hook=unique_keys) if rel in kept else None
    except (json.JSONDecodeError, UnicodeDecodeError, DuplicateKeyError):
        return None
    return obj if isinstance(obj, dict) else None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return abs(float(a) - float(b)) <= TOL
    return a == b


def _profile(release: dict[str, Any]) -> dict[str, Any] | None:
    """The packaged profile the verdict names (None for a user's YAML file, which a bundle does not carry)."""
    name = release.get("profile")
    if name not in PROFILE_NAMES or release.get("profile_source") != f"packaged:{name}":
        return None
    return load_profile(name)


def _evidence(kept: dict[str, bytes], release: dict[str, Any]) -> Evidence:
    """The bundled evidence as the gate reads it from a run directory (no weights: the bundle holds none)."""
    from .bundle_claims import _benchmarks

    run = RunDir(Path("bundle"))  # a name only: none of `REDERIVED` reads a file
    ckpt = release.get("checkpoint") if isinstance(release.get("checkpoint"), dict) else {}
    return Evidence(run=run, checkpoint=run.released_checkpoint, weights=ckpt.get("weights_sha256"),
                    preflight=_json(kept, "gates/preflight.json"), honesty=_json(kept, "honesty/honesty_report.json"),
                    train={stage: _json(kept, f"{stage}/train_report.json") for stage in STAGES},
                    evals={kind: _json(kept, f"{kind}/eval_report.json") for kind in EVAL_KINDS},
                    external=_benchmarks(kept), export_manifest=None)


def rederived_checks(release: dict[str, Any], kept: dict[str, bytes], summary: dict[str, Any] | None = None) -> list[dict[str, Any]] | str:
    """The checks of `REDERIVED`, and those `bundle_files_checks` re-runs on the bundled members (`summary`: the
    manifest's, whose parameter count stands in for the weights), under the verdict's profile, or why they cannot be;
    inside `rederive_once()`, an earlier answer for the same verdict, members (the same `kept`) and summary."""
    cache = _ONCE.get()
    if cache is None:
        return _rederived_checks(release, kept, summary)
    key = (id(kept), json.dumps(release, sort_keys=True, default=str), json.dumps(summary or {}, sort_keys=True, default=str))
    if key not in cache:
        cache[key] = (kept, _rederived_checks(release, kept, summary))  # `kept` held, so its id is not reused in the block
    return cache[key][1]


def _rederived_checks(release: dict[str, Any], kept: dict[str, bytes], summary: dict[str, Any] | None) -> list[dict[str, Any]] | str:
    prof = _profile(release)
    if prof is None:
        return (f"gates/release.json was judged under profile {release.get('profile')!r} ({release.get('profile_source')}), "
                "not a packaged one, so the bundle holds no thresholds to re-derive its checks with")
    ev = _evidence(kept, release)
    try:
        return ([c for fn in REDERIVED for c in fn(ev, prof["release"], prof["name"])]
                + file_checks(release, kept, prof, summary or {}, lambda rel: _json(kept, rel)))
    except (KeyError, TypeError, ValueError, AttributeError, PicochatInputError) as exc:
        return f"the bundled reports cannot be read as the gate reads them ({exc.__class__.__name__}: {exc})"


def verdict_problems(release: dict[str, Any], kept: dict[str, bytes], summary: dict[str, Any] | None = None) -> list[str]:
    """Sentences naming each re-derivable check the bundled verdict records otherwise (or leaves out). A `PARTIAL`
    check recorded as blocking that re-derives as passing blocked on the part a bundle cannot hold: not a mismatch."""
    again = rederived_checks(release, kept, summary)
    if isinstance(again, str):
        return [] if again.startswith("gates/release.json was judged under profile") else [f"gates/release.json: {again}"]
    recorded = {c.get("name"): c for c in release.get("checks") or [] if isinstance(c, dict)}
    out = []
    for c in again:
        was = recorded.get(c["name"])
        if was is None:
            out.append(f"gates/release.json leaves out check {c['name']}, which the bundled evidence gives as {c['status']}: {c['why']}")
            continue
        if c["name"] in PARTIAL and was.get("status") == "block" and c["status"] == "pass":
            continue
        differ = [k for k in ("status", "value", "threshold", "why") if not _same(was.get(k), c.get(k))]
        if differ:
            out.append(f"gates/release.json records {c['name']} as {was.get('status')} (value {was.get('value')!r}, threshold "
                       f"{was.get('threshold')!r}), but the bundled evidence under profile {release.get('profile')} gives "
                       f"{c['status']} (value {c['value']!r}, threshold {c['threshold']!r}): {c['why']}")
    return out


def verdict_unverifiable(kept: dict[str, bytes], summary: dict[str, Any] | None = None) -> list[str]:
    """The bundled verdict's checks `--check` cannot re-derive from the bundle (wholly, or for `PARTIAL`, in part), in
    one sentence (none when all can, or when there is no readable verdict)."""
    release = _json(kept, "gates/release.json")
    if release is None:
        return []
    again = rederived_checks(release, kept, summary)
    names = [str(c.get("name")) for c in release.get("checks") or [] if isinstance(c, dict)]
    if isinstance(again, str):
        return [f"release checks: {again}; all {len(names)} are the verdict's word"]
    done = {c["name"] for c in again} - set(PARTIAL)
    left = [n if n not in PARTIAL else f"{n} (its heldout_check, which needs the SFT rows file)" for n in names if n not in done]
    if not left:
        return []
    return [f"release checks: {len(done)} re-derived from the bundled reports and the profile; {len(left)} need what a bundle does "
            f"not hold (weights, scored rows files, the scan's inputs, a re-run) and are the verdict's word: {', '.join(left)}"]
