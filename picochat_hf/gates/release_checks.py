"""The release gate's checks: small pure functions over `Evidence` read once, each returning check records.

A check names its value and threshold and says why in one sentence; when two files disagree, the sentence
names both sides. Severities come from the profile (`release:` section of profiles/*.yaml):
`missing_evidence` for absent files, `chain` for evidence that is not about this release (another
checkpoint, another eval file, a scan that skipped the trained rows), per-rule severities for thresholds,
and `lower_bound` for a pass whose 95% Wilson interval reaches below the threshold.

The checks live in modules named after what they judge: `release_chain` (is the evidence about this release),
`release_rows` (do the evidence files' numbers and verdicts follow from their rows), `release_training`
(preflight, training runs, token budget), `release_fits`, `release_skills` (visible eval, skills, rates,
external benchmarks) and the smaller `release_*` modules; this one lists them in the order the gate runs them.
"""

from __future__ import annotations

from collections.abc import Callable

from .common import Check
from .evidence import Evidence
from .preflight_tie import check_preflight_plan
from .release_chain import check_base_origin, check_eval_models, check_evidence_inside, check_released_checkpoint
from .release_config import check_eval_settings
from .release_dates import check_evidence_dates
from .release_fits import check_fits
from .release_honesty import check_honesty
from .release_owned import check_release_owned
from .release_rows import check_eval_rows, check_eval_rows_origin, check_eval_verdicts
from .release_scoring import check_scoring
from .release_size import check_released_parameters
from .release_skills import check_external, check_visible_eval
from .release_thresholds import max_check, min_check
from .release_training import check_preflight, check_token_budget, check_training

__all__ = [
    "CHECKS", "check_base_origin", "check_eval_models", "check_eval_rows", "check_eval_rows_origin", "check_eval_verdicts",
    "check_evidence_inside", "check_external", "check_fits", "check_preflight", "check_released_checkpoint",
    "check_token_budget", "check_training", "check_visible_eval", "max_check", "min_check",
]

CHECKS: tuple[Callable[[Evidence, dict, str], list[Check]], ...] = (
    check_released_checkpoint, check_release_owned, check_released_parameters, check_base_origin, check_evidence_inside,
    check_eval_models, check_eval_rows, check_eval_verdicts, check_eval_settings, check_scoring, check_eval_rows_origin, check_evidence_dates,
    check_preflight, check_preflight_plan,
    check_training, check_honesty,
    check_fits, check_visible_eval, check_external,
)
