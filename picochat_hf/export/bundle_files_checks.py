"""Re-derive, from a bundle's own members, the verdict's checks that read files beside the reports.

`bundle_verdict` re-runs the checks that need only the bundled reports' contents. Eight more need files a bundle
also carries, and are re-run here on a scratch run directory holding those members (never on the checking
machine's own files):

- `rows:*`: each eval, fit and external report's numbers against its bundled `results.jsonl`;
- `settings:*`: each eval's decoding and generation budget against its bundled `results.jsonl` (per-reply token
  counts, reply lengths against the released tokenizer's longest token, from `released_tokenizer/`). A held-out
  fit's `heldout_check` needs the SFT rows file, which a bundle does not hold: that part stays the verdict's word
  (`PARTIAL`);
- `evidence_dates`: every bundled eval and external report dated after the training report that wrote the judged
  weights (when that report names them by hash: a release judged on a copy is matched by its tensors, which a
  bundle does not hold);
- `scoring:*`: each eval and fit report judged under the shipped scorer, its recorded scoring config and table hashes
  against this picochat's (a report naming a user's scoring file stays the verdict's word: a bundle does not carry it);
- `verdicts:*` of the visible eval and the external benchmarks, `eval_rows_whole` and `eval_rows_origin`: re-judged
  against the rows files the bundle carries under `eval_rows/` (`bundle_rows`); the fits' stay the verdict's word;
- `<kind>_model` and `external_model:*`: each report's recorded weights hash against the judged one, with the bundled
  released tokenizer (`bundle_models`);
- `released_parameters` and `token_budget`: the parameter count made when bundling (`summary.num_parameters_counted`),
  when it counted the very weights the verdict judged, stands in for counting them.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from ..eval.scoring import SHIPPED_SCORING
from ..gates.evidence import Evidence, external_results
from ..gates.release_checks import check_eval_rows, check_token_budget
from ..gates.release_config import check_eval_settings
from ..gates.release_dates import check_evidence_dates
from ..gates.release_scoring import check_scoring
from ..gates.release_size import check_released_parameters
from ..run_dir import EVAL_KINDS, STAGES, RunDir
from .bundle_released import RELEASED
from .bundle_models import model_checks
from .bundle_rows import rows_checks

PARTIAL = ("settings:sft_fit_heldout/eval_report.json",)  # re-derived but for a part the bundle cannot hold
SCRATCH = "run"  # the scratch run directory's name


def _write_members(kept: dict[str, bytes], root: Path, checkpoint: Path) -> None:
    """The members as a run directory: the released tokenizer's files inside the released checkpoint folder, where the
    gate found the tokenizer a release ships; every other member at its own path."""
    for rel, data in kept.items():
        if ".." in Path(rel).parts or rel.startswith("/"):
            continue
        target = checkpoint / rel.split("/", 1)[1] if rel.startswith(f"{RELEASED}/") else root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _counted(summary: dict[str, Any], weights: Any) -> int | None:
    """The bundling's count of the released weights, when it counted the weights the verdict judged."""
    counted = summary.get("num_parameters_counted") if isinstance(summary.get("num_parameters_counted"), dict) else {}
    n = counted.get("count")
    ok = isinstance(n, int) and not isinstance(n, bool) and n > 0 and weights and counted.get("weights_sha256") == weights
    return n if ok else None


def _written_by_hash(train: dict[str, Any], weights: Any) -> bool:
    return any(isinstance(r, dict) and isinstance(r.get("outputs"), dict) and r["outputs"].get("checkpoint_weights_sha256") == weights
               for r in (train.get("dpo"), train.get("sft")))


def _scoring_checks(ev: Evidence, rules: dict, name: str) -> list[dict[str, Any]]:
    """`scoring:*` for each report judged under the shipped scorer (its config and tables are this picochat's); a report
    naming a user's scoring file is left to the verdict's word, since a bundle does not carry that file."""
    shipped = {f"scoring:{ev.run.rel(ev.run.eval_report(kind))}" for kind, report in ev.evals.items()
               if isinstance(report, dict) and isinstance(report.get("config"), dict)
               and report["config"].get("scoring_config") in (None, SHIPPED_SCORING)}
    return [c for c in check_scoring(ev, rules, name) if c["name"] in shipped]


def file_checks(release: dict[str, Any], kept: dict[str, bytes], prof: dict[str, Any], summary: dict[str, Any],
                read: Any) -> list[dict[str, Any]]:
    """The checks above, re-run on the bundled members under the profile `prof`; `read(rel)` is a member as JSON."""
    ckpt = release.get("checkpoint") if isinstance(release.get("checkpoint"), dict) else {}
    weights = ckpt.get("weights_sha256")
    rules, name = prof["release"], prof["name"]
    with tempfile.TemporaryDirectory(prefix="picochat_bundle_") as tmp:
        run = RunDir(Path(tmp) / SCRATCH)
        _write_members(kept, run.root, run.released_checkpoint)
        ev = Evidence(run=run, checkpoint=run.released_checkpoint, weights=weights, preflight=read("gates/preflight.json"),
                      honesty=read("honesty/honesty_report.json"), train={s: read(f"{s}/train_report.json") for s in STAGES},
                      evals={k: read(f"{k}/eval_report.json") for k in EVAL_KINDS}, external=external_results(run), export_manifest=None,
                      parameters=_counted(summary, weights))
        out = check_eval_rows(ev, rules, name) + check_eval_settings(ev, rules, name, heldout=False) + _scoring_checks(ev, rules, name)
        out += rows_checks(ev, kept, rules, read) + model_checks(ev, release, rules, read)
        if weights and _written_by_hash(ev.train, weights):
            out += check_evidence_dates(ev, rules, name)
        if ev.parameters is not None:
            out += check_released_parameters(ev, rules, name)
            out += check_token_budget(ev, rules, name, prof["preflight"]["release_token_budget"], bool(prof.get("release_profile")))
    return json.loads(json.dumps(out))  # plain values, as the verdict records them
