"""Are the recorded replies the released model's? Re-run it on a deterministic sample of them.

`verdicts.py` re-judges every recorded reply, but a reply rewritten by hand into the right answer re-judges as
right: only the model can say what it answers. `check_regenerated` loads the released checkpoint once (the
device and precision each report records), rebuilds the rows each eval and fit report scored (and the questions
of each external benchmark report, whose letter logits `score_letters` computes again), and runs the
eval's own `evaluate_rows` (greedy, the report's `max_new_tokens`, one row at a time so no padding enters) on a
sample of them. A generated reply must come back with the same text; a choice row with the same letter and
letter logits within `LOGIT_TOLERANCE`. Any difference blocks (`release.chain.severity`), naming the row.

The sample is drawn per gate run: each report's passing rows first (a rewrite turns a failing row into a
passing one), ordered by the sha256 of the gate's `sample_seed`, the results file's digest and the row id. The
seed is fresh for every gate run (`new_sample_seed`), so someone who edits a few rows cannot pad the file until
no edited row is drawn; the verdict records it, so consumers re-derive the same rows from the same files, and
`--sample-seed` draws them again to reproduce a verdict. A seed given that way could have been picked to miss
edited rows, so such a gate records `sample_seed_chosen`, which caps it at warn (`chosen_seed_check`).

Re-judging alone cannot tell another model's replies to the same eval file (its recorded weights edited to the
release's) from the release's own, so `approved` needs a re-run: `picochat gate release` re-runs
`DEFAULT_ROWS` of each report unless told otherwise, and a gate with re-runs switched off records the
`replies_rerun` warning (`not_rerun_check`), which caps it at warn.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..eval.model_io import load_model
from ..eval.rows_eval import evaluate_rows
from ..export.rederive import read_results_file
from ..run_dir import RunDir
from ..utils.errors import PicochatInputError
from ..utils.io import sha256_file
from .common import check
from .evidence import Evidence, read_eval_report
from .run_once import CHOSEN, DEFAULT_ROWS, NOT_RERUN, sample_ids, sample_salt
from .verdicts import input_file, report_scoring, scored_rows

LOGIT_TOLERANCE = 1e-3  # letter logits re-computed one row at a time may differ from a batched pass in the last bits


def _differs(recorded: dict, again: dict) -> str | None:
    rid = recorded.get("id")
    if "choice" in again:
        was, now = recorded.get("choice") or {}, again["choice"]
        logits = was.get("letter_logits") if isinstance(was.get("letter_logits"), dict) else {}
        gap = max((abs(float(logits.get(k, math.inf)) - v) for k, v in now["letter_logits"].items()), default=0.0)
        if was.get("pred") != now["pred"] or not gap <= LOGIT_TOLERANCE:
            return f"row {rid!r}: the model chooses {now['pred']!r} (logits off by {gap:.3g}), the results record {was.get('pred')!r}"
        return None
    was, now = str(recorded.get("reply", "")), again["reply"]
    if was != now:
        at = next((i for i, (a, b) in enumerate(zip(was, now)) if a != b), min(len(was), len(now)))
        start = max(0, at - 20)
        where = f" (from character {start})" if start else ""
        return f"row {rid!r}: the model replies {now[start:start + 60]!r}{where}, the results record {was[start:start + 60]!r}"
    for key in ("num_generated_tokens", "stopped_on_eos"):  # the same text from other tokens (or cut elsewhere) is another reply
        if key in recorded and recorded[key] != again.get(key):
            return f"row {rid!r}: the model's reply has {key} {again.get(key)!r}, the results record {recorded[key]!r}"
    return None


def regenerate_report(run: RunDir, kind: str, report: dict[str, Any], checkpoint: Any, n: int, models: dict,
                      seed: str) -> tuple[list, list[str]] | str:
    """(ids of the rows re-run, sentences naming each row whose reply the model does not give again), or why it cannot run."""
    config = report.get("config") or {}
    path = input_file(run, config)
    results_path = RunDir.results_beside(run.eval_report(kind))
    if isinstance(path, str) or not results_path.is_file():
        return "its rows or results cannot be read (see verdicts)"
    try:
        scoring = report_scoring(config, run)
        by_id = {r["id"]: r for r in scored_rows(kind, config, path, scoring)}
        results = read_results_file(results_path)
    except (PicochatInputError, ValueError, KeyError, UnicodeDecodeError) as exc:
        return f"its rows cannot be rebuilt ({exc})"
    recorded = {r.get("id"): r for r in results}
    ids = [i for i in sample_ids(results, n, sample_salt(seed, sha256_file(results_path))) if i in by_id]
    again = evaluate_rows(_loaded(models, checkpoint, report), [by_id[i] for i in ids], scoring, max_new_tokens=int(config.get("max_new_tokens") or 64),
                          batch_size=1, progress=False)
    return ids, [why for res in again if (why := _differs(recorded[res["id"]], res))]


def regenerate_external(run: RunDir, report_path: Path, report: dict[str, Any], checkpoint: Any, n: int,
                        models: dict, seed: str) -> tuple[list, list[str]] | str:
    """`regenerate_report` for an external benchmark report: the letter logits of `n` of its questions again."""
    from ..eval.choice import score_letters
    from ..eval.external import _letters, letter_prompt, read_benchmark
    from ..eval.model_io import encode_prompt

    config = report.get("config") or {}
    path, results_path = input_file(run, config), RunDir.results_beside(report_path)
    if isinstance(path, str) or not results_path.is_file():
        return "its questions or results cannot be read (see verdicts)"
    try:
        records = read_benchmark(path, str(config.get("format") or "auto"))
        results = read_results_file(results_path)
    except (PicochatInputError, ValueError, KeyError, UnicodeDecodeError) as exc:
        return f"its questions cannot be rebuilt ({exc})"
    by_id, recorded = {r["id"]: r for r in records}, {r.get("id"): r for r in results}
    ids = [i for i in sample_ids(results, n, sample_salt(seed, sha256_file(results_path))) if i in by_id]
    loaded = _loaded(models, checkpoint, report)
    prompts = [encode_prompt(loaded.tokenizer, [{"role": "user", "content": letter_prompt(by_id[i])}]) for i in ids]
    again = score_letters(loaded, prompts, [_letters(by_id[i]) for i in ids], batch_size=1, progress=False)
    return ids, [why for i, res in zip(ids, again, strict=True) if (why := _differs(recorded[i], {"id": i, "choice": res}))]


def _loaded(models: dict, checkpoint: Any, report: dict[str, Any]) -> Any:
    """The released checkpoint on the device and precision the report records, loaded once per setting."""
    model = report.get("model") or {}
    setting = (str(model.get("device") or "cpu"), str(model.get("precision") or "fp32"))
    if setting not in models:
        models[setting] = load_model(checkpoint, device=setting[0], precision=setting[1])
    return models[setting]


def check_regenerated(ev: Evidence, rules: dict, n: int, seed: str) -> list[dict[str, Any]]:
    """One `regenerated:<report>` check per eval, fit and external benchmark report: `n` of its recorded replies
    (or letter choices), drawn by `seed`, re-run."""
    out: list[dict[str, Any]] = []
    models: dict = {}
    reports = [(ev.run.eval_report(kind), kind, report) for kind, report in ev.evals.items() if report is not None]
    reports += [(path, None, read_eval_report(path)) for path in ev.run.external_reports()]
    for path, kind, report in reports:
        rel = ev.run.rel(path)
        try:
            got = (regenerate_report(ev.run, kind, report, ev.checkpoint, n, models, seed) if kind else
                   regenerate_external(ev.run, path, report, ev.checkpoint, n, models, seed))
        except (PicochatInputError, OSError, ValueError, RuntimeError) as exc:
            got = f"the released checkpoint cannot be run ({exc})"
        if isinstance(got, str):
            out.append(check(f"regenerated:{rel}", rules["chain"]["severity"], None, n, f"{rel}'s replies could not be re-run: {got}."))
            continue
        ids, bad = got
        done = len(ids)
        why = (f"The released checkpoint gives the recorded reply again on {done} sampled rows of {rel}." if not bad else
               f"{rel} records replies the released checkpoint does not give ({len(bad)} of {done} sampled rows): {'; '.join(bad[:3])}.")
        out.append(check(f"regenerated:{rel}", "pass" if not bad else rules["chain"]["severity"], done - len(bad), done, why, rows=ids))
    return out


def not_rerun_check() -> dict[str, Any]:
    """The warning a gate without re-runs records: its replies were re-judged, never shown to be the model's."""
    return check(NOT_RERUN, "warn", 0, DEFAULT_ROWS,
                 "The recorded replies were re-judged but not re-run on the released checkpoint (--regenerate-rows 0), so "
                 "nothing shows they are its replies and not another model's; a verdict is approved only after a re-run "
                 f"(picochat gate release --regenerate-rows {DEFAULT_ROWS}).")


def chosen_seed_check(seed: str) -> dict[str, Any]:
    """The warning a gate whose sample seed was given records: it reproduces a draw, it does not make a fresh one."""
    return check(CHOSEN, "warn", seed, "a fresh seed",
                 f"The re-run rows were drawn from sample seed {seed}, given on the command line (--sample-seed): this repeats "
                 "an earlier draw, but whoever chose the seed could have picked one that misses edited rows; a verdict is approved "
                 "only on a fresh draw (picochat gate release without --sample-seed).")
