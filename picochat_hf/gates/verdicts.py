"""Re-judge an eval report's per-row verdicts from the rows it scored, with the scorer it used.

`rows:*` re-derives a report's numbers from its `results.jsonl`; this check goes one step further back:
every verdict in `results.jsonl` must follow from the row it scored. The gate rebuilds the rows the report
scored (its `config.input`, which must still hash to `config.input_sha256`; for fits, the same train or
held-out split and `sft_row_to_eval_row`; `max_rows` as recorded), loads the scoring config it names, and
checks that

- the results hold one verdict per scored row, for exactly those rows (no row dropped or added);
- a generated reply recorded as passing passes the scorer again (a reply's verdict flipped by hand fails),
  and the shipped scorer too when the report names another config: release thresholds are set for the shipped
  scorer, so a pass that only a more lenient config grants is not one;
- the fields the summary groups and counts by are the row's (skill, category, stage, expects_refusal: a failing
  row relabelled into another skill is caught), and so is its recorded prompt (results of another eval pack of
  the same size, whose ids match by position, are not), and a reply's echo and unsupported-claim flags recorded
  False re-judge False;
- a choice row's letter logits are for exactly its option letters, its recorded letter is their argmax (the
  first best, as the eval picks it), its gold letter and option count are the row's, and it passes only when that letter is the row's `correct_choice`;
- a fit report scored the split its kind names (`sft_fit` the train split, `sft_fit_heldout` the held-out
  one): a held-out report whose config says "train" is recall, whatever its numbers.

A verdict recorded as failing that re-judges as passing is not a mismatch: echo detection also reads the
reply with its special tokens, which results do not keep, so a reply can fail for a reason the text alone
no longer shows. What a results file cannot prove is that its replies are the model's: a reply rewritten
by hand into the right answer re-judges as right. Re-running the model is the only check of that
(`regenerate.py`, `picochat gate release --regenerate-rows N`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

from ..data.schema import prompt_text
from ..eval.judge_memo import config_key, judged
from ..eval.rows_eval import LABELS, is_choice_row, result_record
from ..eval.scoring import SHIPPED_SCORING, ScoringConfig, expects_refusal, load_scoring_config, read_scored_rows
from ..eval.sft_fit import answered_rows, split_rows, sft_row_to_eval_row
from ..export.rederive import read_results_file
from ..run_dir import RunDir
from ..utils.errors import PicochatInputError
from ..utils.io import sha256_file
from .recorded_paths import in_this_run

FIT_SPLITS = {"sft_fit": "train", "sft_fit_heldout": "heldout"}  # the split each fit report scores, by its kind


def input_file(run: RunDir, config: dict[str, Any]) -> Path | str:
    """The rows file a report scored (as recorded, or at the same place under the run directory), or why not."""
    recorded, digest = config.get("input"), config.get("input_sha256")
    if not recorded or not digest:
        return "records no input file and hash"
    p = Path(str(recorded))
    moved = in_this_run(run, p)  # a copied or moved run's own file: never the original run's (`recorded_paths`)
    for candidate in (moved,) if moved is not None else (p, run.root / p, run.root / p.parent.name / p.name):
        if candidate.is_file() and sha256_file(candidate) == digest:
            return candidate
    where = f" (here {run.rel(moved)})" if moved is not None else ""
    return f"scored {recorded}{where}, which is gone or no longer hashes to {digest[:12]}"


def scored_rows(kind: str, config: dict[str, Any], path: Path, scoring: ScoringConfig) -> list[dict]:
    """The eval rows a report of `kind` scored, in order, rebuilt from its input file and config."""
    if kind in FIT_SPLITS:
        _, rows = answered_rows(path)
        train, heldout, chosen = split_rows(rows, FIT_SPLITS[kind], config["val_fraction"], config["seed"], path)
        sizes = {"n_train_rows": len(train), "n_heldout_rows": len(heldout)}
        wrong = {k: v for k, v in sizes.items() if k in config and config[k] != v}
        if wrong:  # the gate's fit-size check reads these
            raise ValueError(f"config says {', '.join(f'{k} {config[k]}' for k in wrong)}; the split gives "
                             f"{', '.join(f'{k} {v}' for k, v in wrong.items())}")
        rows = [sft_row_to_eval_row(r, scoring) for r in chosen]
    else:
        rows = read_scored_rows(path)  # as `eval chat` reads them: any accepted row format
    max_rows = config.get("max_rows")
    return rows[:max_rows] if isinstance(max_rows, int) else rows


def report_scoring(config: dict[str, Any], run: RunDir | None = None) -> ScoringConfig:
    """The scoring config a report names, as recorded or at the same place under `run`'s directory."""
    from .release_scoring import load_named_scoring

    return load_named_scoring(run, config)


def _shipped_too(config: dict[str, Any]) -> ScoringConfig | None:
    """The shipped scoring config when the report names another one (its passes must pass both), else None."""
    return None if config.get("scoring_config") in (None, SHIPPED_SCORING) else load_scoring_config()


def paired_results(by_id: dict, results: list[dict], scored: str, out: list[str], seen: set) -> Iterator[tuple[dict, dict]]:
    """(scored row, its result) for each result once; a result of no scored row, or of a row already seen, is a
    sentence in `out` instead. `seen` collects the ids paired, so the caller can name rows with no verdict."""
    for res in results:
        rid = res.get("id")
        if not isinstance(rid, Hashable) or rid not in by_id:  # an unhashable id is no scored row's
            out.append(f"row {rid!r} was not among the {scored}")
            continue
        if rid in seen:
            out.append(f"row {rid!r} is scored twice")
            continue
        seen.add(rid)
        yield by_id[rid], res


def verdict_mismatches(rows: list[dict], results: list[dict], scoring: ScoringConfig,
                       shipped: ScoringConfig | None = None) -> list[str]:
    """Sentences naming each verdict that does not follow from its row; empty when every one does. With
    `shipped`, a recorded pass must also pass the shipped scorer (the one release thresholds are set for)."""
    by_id = {r["id"]: r for r in rows}
    out: list[str] = []
    seen: set = set()
    scorers = [(cfg, config_key(cfg), which) for cfg, which in [(scoring, "")] + ([(shipped, "the shipped scorer ")] if shipped is not None else [])]
    for row, res in paired_results(by_id, results, "rows scored", out, seen):
        out += _label_mismatch(row, res)
        if is_choice_row(row):
            out += _choice_mismatch(row, res)
        else:
            out += _generated_mismatch(row, res, scorers)
    missing = [rid for rid in by_id if rid not in seen]
    if missing:
        out.append(f"{len(missing)} scored rows have no verdict (first {missing[0]!r})")
    return out


def _clip(text: Any, n: int = 60) -> str:
    s = str(text)
    return repr(s if len(s) <= n else s[: n - 3] + "...")


def _label_mismatch(row: dict, res: dict) -> list[str]:
    """The fields the summary groups and counts by (skill, category, stage, expects_refusal) are the scored row's:
    a failing row relabelled into another skill, or a refusal row marked as answerable, is not. Its prompt is the
    scored row's too: results of another eval pack whose ids happen to match (a pack of the same size, ids by
    position) are verdicts about other questions, whatever their replies re-judge as here."""
    prompt = prompt_text(row)
    if res.get("prompt") != prompt:
        return [f"row {row['id']!r} records prompt {_clip(res.get('prompt'))}, but the scored row's prompt is {_clip(prompt)}"]
    want = {**{k: v for k, v in result_record(row, "", "", False, []).items() if k in ("skill", "category", "stage")},
            "expects_refusal": False if is_choice_row(row) else expects_refusal(row)}
    return [f"row {row['id']!r} records {k} {res.get(k)!r}, but the scored row's {k} is {v!r}"
            for k, v in want.items() if res.get(k) != v][:1]


def _generated_mismatch(row: dict, res: dict, scorers: list[tuple[ScoringConfig, bytes, str]]) -> list[str]:
    """A generated reply re-judged: recorded as passing, it passes every scorer; its echo and unsupported-claim
    flags, recorded False, are False again (echo can also come from special tokens the text no longer shows, so
    a recorded True is kept). Each scorer comes with its `config_key`; a verdict judged before is not judged again."""
    rid, reply = row["id"], str(res.get("reply", ""))
    for cfg, key, which in scorers:
        again = judged(row, reply, cfg, key)
        if res.get("passed") and not again["passed"]:
            return [f"row {rid!r} is recorded as passing, but its reply fails {which}({'; '.join(again['failures'][:2])})"]
        flags = [k for k in ("echo", "unsupported_claim") if again[k] and not res.get(k)]
        if flags:
            return [f"row {rid!r} records {flags[0]} {res.get(flags[0])!r}, but its reply gives True{' under ' + which.strip() if which else ''}"]
    return []


def _choice_mismatch(row: dict, res: dict) -> list[str]:
    choice, rid, gold = res.get("choice") or {}, row["id"], row["correct_choice"].strip().upper()
    logits, labels = choice.get("letter_logits"), list(LABELS[: len(row["choices"])])
    if not isinstance(logits, dict) or not logits or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in logits.values()):
        return [f"row {rid!r} is a choice row without its letter logits"]
    if sorted(logits) != labels:
        return [f"row {rid!r} has letter logits for {sorted(logits)}, not its options {labels}"]
    pred = max(labels, key=lambda k: logits[k])  # the first best, as the eval
    if choice.get("gold") != gold or choice.get("n_choices") != len(labels):
        return [f"row {rid!r} records gold letter {choice.get('gold')!r} of {choice.get('n_choices')!r} options, but the row's "
                f"right letter is {gold!r} of {len(labels)}"]
    if choice.get("pred") != pred:
        return [f"row {rid!r} records letter {choice.get('pred')!r}, but its logits choose {pred!r}"]
    if res.get("passed") and pred != gold:
        return [f"row {rid!r} is recorded as passing with letter {pred!r}; the right letter is {gold!r}"]
    return []


def rejudge(run: RunDir, kind: str, report: dict[str, Any]) -> str | None:
    """Why the verdicts of `run`'s `kind` report do not follow from the rows it scored; None when they do."""
    config = report.get("config") or {}
    split = FIT_SPLITS.get(kind)
    if split is not None and config.get("split", split) != split:
        return f"records split {config.get('split')!r}, but a {kind} report scores the {split!r} split"
    results_path = RunDir.results_beside(run.eval_report(kind))
    if not results_path.is_file():
        return f"has no {results_path.name} to re-judge"
    path = input_file(run, config)
    if isinstance(path, str):
        return f"cannot be re-judged: it {path}"
    try:
        scoring, shipped = report_scoring(config, run), _shipped_too(config)
        rows = scored_rows(kind, config, path, scoring)
        results = read_results_file(results_path)
    except (PicochatInputError, ValueError, KeyError, UnicodeDecodeError) as exc:
        return f"cannot be re-judged ({exc})"
    mismatches = verdict_mismatches(rows, results, scoring, shipped)
    return f"has verdicts that do not follow from its rows: {'; '.join(mismatches[:3])}" if mismatches else None


def external_rows(path: Path, config: dict[str, Any]) -> list[dict]:
    """The choice rows an external benchmark report scored: its file's records as rows with their right letter."""
    from ..eval.external import read_benchmark

    records = read_benchmark(path, str(config.get("format") or "auto"))
    max_rows = config.get("max_rows")
    records = records[:max_rows] if isinstance(max_rows, int) else records
    return [{"id": rec["id"], "choices": rec["choices"], "correct_choice": LABELS[rec["gold"]], "skill": "choice",
             "category": f"external_{rec['subject']}", "stage": "external"} for rec in records]


def rejudge_external(run: RunDir, report_path: Path, report: dict[str, Any]) -> str | None:
    """Why an external benchmark report's per-row verdicts do not follow from its benchmark file (one verdict per
    question, the letter its logits choose, passing only on the file's right letter); None when they do."""
    results_path = RunDir.results_beside(report_path)
    if not results_path.is_file():
        return f"has no {results_path.name} to re-judge"
    path = input_file(run, report.get("config") or {})
    if isinstance(path, str):
        return f"cannot be re-judged: it {path}"
    try:
        rows = external_rows(path, report.get("config") or {})
        results = read_results_file(results_path)
    except (PicochatInputError, ValueError, KeyError, IndexError, UnicodeDecodeError) as exc:
        return f"cannot be re-judged ({exc})"
    by_id, out, seen = {r["id"]: r for r in rows}, [], set()
    for row, res in paired_results(by_id, results, "questions scored", out, seen):
        out += _choice_mismatch(row, res)
    if len(seen) < len(by_id):
        out.append(f"{len(by_id) - len(seen)} questions have no verdict (first {next(i for i in by_id if i not in seen)!r})")
    return f"has verdicts that do not follow from its benchmark file: {'; '.join(out[:3])}" if out else None



def verdicts_disagree(run: RunDir, report_path: Path, report: dict[str, Any]) -> str | None:
    """Why the per-row verdicts of the report at `report_path` (an eval kind's or an external benchmark's) do not
    follow from the rows it scored, for readers that repeat its numbers (card, run report); None when they do, and
    when its rows cannot be read back (those readers say so in their own words)."""
    kind = next((k for k in FIT_SPLITS.keys() | {"eval"} if report_path == run.eval_report(k)), None)
    if kind is not None:
        why = rejudge(run, kind, report)
    elif isinstance(report.get("external"), dict):
        why = rejudge_external(run, report_path, report)
    else:
        return None
    return f"its {RunDir.results_beside(report_path).name} {why}" if why and why.startswith(("has verdicts", "records split")) else None
