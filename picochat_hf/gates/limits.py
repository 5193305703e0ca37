"""What a release verdict rests on that no check can confirm from the run directory alone.

The gate ties every record to the others and to the released weights by sha256, and re-runs the model on a
sample of rows; it cannot tell a run directory rewritten consistently throughout (reports, rows and hashes
made to agree) from a real run, and it has no key or signature to do so. `unverified_records` words those
limits for one verdict, from its own settings, so the gate report and the model card can say where a verdict
is the records' word and not the gate's finding.
"""

from __future__ import annotations

from typing import Any

from .history import HISTORY
from .run_once import NOT_RERUN

LM_EVAL_RESULTS = "lm_eval/lm_eval_results.json"


def unverified_records(release: dict[str, Any]) -> list[str]:
    """Sentences naming what `release` (a gates/release.json) rests on without a re-check, most general first."""
    names = {str(c.get("name")) for c in release.get("checks") or [] if isinstance(c, dict)}
    n = release.get("regenerate_rows")
    out = ["The training reports and the preflight (tokens seen, data and weight hashes, steps) are the run's own records: the "
           "gate checks that they agree with each other and with the released weights, but a run directory rewritten "
           "consistently throughout (reports, rows and hashes together) cannot be told from a real run by its files alone. "
           f"How many verdicts came before this one is the word of {HISTORY} alone: deleted together with gates/release.json, "
           "it leaves a run whose next verdict reads as the first, and no other file of the run counts verdicts."]
    if isinstance(n, int) and not isinstance(n, bool) and n > 0 and NOT_RERUN not in names:
        out.append(f"Only {n} recorded rows of each eval, fit and external benchmark report were re-run on the released checkpoint "
                   f"(sample seed {release.get('sample_seed')}); the other recorded replies were re-judged, not shown to be its replies.")
    else:
        out.append("No recorded reply was re-run on the released checkpoint: every reply was re-judged, not shown to be its reply.")
    if isinstance(n, int) and not isinstance(n, bool) and n > 0:
        out.append("How many verdicts were drawn before this one, and whether its sample seed was drawn fresh or given "
                   "(sample_seed_given), are the word of gates/release_history.jsonl: the gate appends to it and consumers "
                   "hold the verdict to it, but a log deleted or rewritten together with the verdict cannot be told from a real one.")
    loose = [c for c in release.get("checks") or [] if isinstance(c, dict) and c.get("status") == "pass" and c.get("unverified")]
    if loose:
        out.append("Checks that passed on evidence too old to confirm them: "
                   + "; ".join(f"{c.get('name')}: {c['unverified']}" for c in loose) + ".")
    if release.get("rescan") is not True:
        out.append("The honesty scan's findings were read from honesty/honesty_report.json, not re-run (--rescan).")
    if any(isinstance(e, dict) and e.get("source") == LM_EVAL_RESULTS for e in release.get("external") or []):
        out.append("The lm-eval scores (lm_eval/lm_eval_results.json) were never re-run: their numbers, the weights they "
                   "name and the tokenizer they read (lm-eval records none) are the file's own word, and they do not count "
                   "toward the verdict.")
    return out
