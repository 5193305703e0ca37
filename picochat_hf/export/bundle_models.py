"""Each bundled eval, fit and external report is about the judged weights: `bundle --check` re-derives the verdict's
`<kind>_model` and `external_model:*` checks from the weights hash each report records and the verdict's, with the
released tokenizer the bundle carries (`released_tokenizer/`).

The weights are not in a bundle, but these checks need only their hash: a report of another checkpoint step of the same
run (or of another run) records other weights, and a verdict that calls it about the release is forged or stale. Two
cases stay the verdict's word: a checkpoint judged outside the run (its path is the judging machine's, never read here),
and a report that scored the export (`export/release_manifest.json` names its weights as the export of the judged ones:
that the export holds the same tensors needs the weights).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..gates.common import Check, short
from ..gates.evidence import Evidence
from ..gates.release_chain import check_eval_models
from ..utils.provenance import input_sha256

RELEASE_MANIFEST = "export/release_manifest.json"


def model_checks(ev: Evidence, release: dict[str, Any], rules: dict, read: Any) -> list[Check]:
    """The verdict's report-model checks re-derived on the scratch run `ev.run` (its released checkpoint holds the bundled
    released tokenizer); `read(rel)` is a member as JSON."""
    ckpt = release.get("checkpoint") if isinstance(release.get("checkpoint"), dict) else {}
    path = ckpt.get("path")
    if not ev.weights or not isinstance(path, str) or not path or Path(path).is_absolute():
        return []  # judged outside the run: the sentences name a folder this machine must not read
    folder = ev.run.root / path
    judged = replace(ev, checkpoint=folder, tokenizer=input_sha256(ev.run.shipped_tokenizer_dir(ev.run.released_checkpoint)),
                     export_manifest=None)
    manifest = read(RELEASE_MANIFEST) or {}
    export = manifest.get("weights_sha256") if manifest.get("source_weights_sha256") == ev.weights else None
    return [c for c in check_eval_models(judged, rules, "") if not (export and c["value"] == short(export))]
