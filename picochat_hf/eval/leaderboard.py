"""`picochat leaderboard`: compare runs on their stored evidence, with the noise made visible.

For each run folder it reads (through `RunDir`) the chat eval, SFT fit and held-out fit, every external
benchmark (each with its per-row `results.jsonl`), lm-eval results and the release verdict.

Rules of comparison:
- runs are compared on a quantity only when they were scored on the same eval file (its sha256 in the
  report's `config.input_sha256`), with the same scorer settings (the other `config` keys), through the same
  tokenizer (`model.tokenizer_sha256`) and on the same row ids; the others are listed in a separate section that
  says what differs;
- a model is ranked once per quantity: runs of the same weights are all listed (the run table shows the weights'
  hash and the other runs of it), but where two of them were scored on the same file, settings and rows only the
  first is ranked and the others say so; the same weights with the same evaluations twice are refused;
- a cell is never ranked when its `results.jsonl` disagrees with its report's counts or its report scored
  other weights than the run's (the released checkpoint's, else the chat eval's); the gate column is the
  re-checked verdict (`verify_release`), so a stale one reads stale;
- a cell is re-judged as the gate re-judges (`gates.verdicts`): a verdict that does not follow from its row makes
  it unrankable; one whose rows cannot be read (no `results.jsonl`, an eval file gone or edited since it was
  scored) is shown on its report's counts, marked unverified with the reason, and never ranked: no ★, no test,
  no "worse" or "≈", no place in the Holm correction (`ranked: false` in the JSON);
- a cell that read the run's model through another tokenizer than the one it ships (the tokenizer beside the
  weights, else the run's tokenizer/, named by `utils.tokenizer_identity`: tokenizer.json, chat template and special
  tokens), or records none where one ships, or only the sha256 of tokenizer.json as older code did, is not ranked,
  as the gate rules;
- the run's model is the hash of the weights in the folder (the verdict's checkpoint inside the run, else the
  run's `sft/checkpoint`); a recorded hash stands for it only where no weights are there;
- every pair of runs in a group is tested: paired on the rows both scored (matched by row id in
  `results.jsonl`) with the exact McNemar test (statsmodels `mcnemar(exact=True)`), else unpaired with
  Fisher's exact test (scipy `fisher_exact`); each cell shows the test of that run against the best run;
- the p-values of all pairs on the board are Holm-corrected (statsmodels `multipletests(method="holm")`), so
  picking "the best" after looking does not inflate the error; a run is marked "worse" only when its
  Holm-adjusted p against the best is < 0.05, otherwise "≈" (not distinguishable from the best).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from scipy.stats import fisher_exact
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests

from ..gates.evidence import read_eval_report
from ..gates.release_dates import weights_written, written_at
from ..gates.verify import run_weights, verify_release
from ..run_dir import RunDir, shipped_tokenizer_dir
from ..utils.errors import PicochatInputError
from ..utils.io import atomic_write_json, atomic_write_text, ensure_can_write, output_lock, read_json, read_json_object
from ..utils.provenance import input_sha256
from ..utils.tokenizer_identity import legacy_tokenizer_note
from .leaderboard_render import METHOD, render, standing
from .lm_harness import stored_scores
from .stats import wilson_ci

ALPHA = 0.05
# config keys that name where a file lay or how it was batched, not what was scored or how: all other keys must match
NOT_SETTINGS = frozenset({"input", "input_sha256", "batch_size"})


def _result_rows(report_path: Path) -> list[dict] | None:
    """The rows of the results.jsonl beside a report (each an object with a boolean `passed`), or None."""
    path = RunDir.results_beside(report_path)
    if not path.exists():
        return None
    from ..data.schema import iter_jsonl

    out = []
    for lineno, row in iter_jsonl(path):
        if not isinstance(row, dict):
            raise PicochatInputError("expected a JSON object", path=path, line=lineno)
        if not isinstance(row.get("passed"), bool):
            raise PicochatInputError("expected true or false", path=path, line=lineno, field="passed")
        out.append(row | {"_line": lineno})
    return out


def _rows(report_path: Path) -> dict[str, bool] | None:
    """{row id: passed} from the results.jsonl beside a report, or None when there is none."""
    rows = _result_rows(report_path)
    return None if rows is None else {str(r.get("id", r["_line"])): r["passed"] for r in rows}


def _cell(report: dict, path: Path, rows: dict[str, bool] | None, passed: int, n: int) -> dict[str, Any]:
    config = report.get("config") or {}
    setting = {k: v for k, v in sorted(config.items()) if k not in NOT_SETTINGS}
    model = report.get("model") if isinstance(report.get("model"), dict) else {}
    problem = None
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (passed, n)) or not 0 <= passed <= n:
        problem = f"its counts {passed}/{n} are impossible"
    elif not config.get("input_sha256"):
        problem = "its report records no input_sha256, so the file it scored cannot be traced"
    elif rows is not None and (len(rows) != n or sum(rows.values()) != passed):
        problem = (f"its {RunDir.results_beside(path).name} passes {sum(rows.values())} of {len(rows)} rows but the report "
                   f"counts {passed}/{n}")
    replies = model.get("kind") == "replies" or report.get("kind") == "replies"
    return {"passed": passed, "n": n, "rate": passed / n if n else None, "ci": wilson_ci(passed, n) if not problem else [0.0, 1.0],
            "file_sha256": config.get("input_sha256"), "file": config.get("input"), "rows": rows, "setting": setting,
            "weights_sha256": model.get("weights_sha256"), "tokenizer_sha256": model.get("tokenizer_sha256"),
            "tokenizer": model.get("tokenizer"), "problem": problem, "unverified": None,
            "written_at": when.isoformat() if (when := written_at(report)) else None,
            "replies": model.get("path") if replies else None}


def _has_scores(run: RunDir) -> bool:
    return (any(run.eval_report(k).is_file() for k in ("eval", "sft_fit", "sft_fit_heldout")) or bool(run.external_reports())
            or run.lm_eval_results.is_file() or run.release.is_file())


def _refuse_scoreless(run: RunDir) -> None:
    """A folder with no scores and no verdict (an empty folder, a typo, the parent of the runs) has no row to show:
    listing it as "gate not run" would put a model on the board that does not exist."""
    if _has_scores(run):
        return
    inner = sorted(d.name for d in run.root.iterdir() if d.is_dir() and _has_scores(RunDir(d)))
    hint = f"; it holds run folders {', '.join(inner[:4])}: give those" if inner else "; give a run folder (runs/<run>)"
    raise PicochatInputError("no eval, fit, external benchmark or lm-eval report and no gates/release.json here, so there is "
                             f"nothing to compare{hint}", path=run.root)


def _linked_out(run: RunDir, report_path: Path, cells: dict[str, dict]) -> None:
    """Mark `cells` unrankable when their report or its results.jsonl is a link to a file outside the run folder:
    another run's record (which can change under this one) is not this run's score, as the gate rules."""
    root = run.root.resolve()
    for path in (report_path, RunDir.results_beside(report_path)):
        if path.exists() and not path.resolve().is_relative_to(root):
            for cell in cells.values():
                if not cell["problem"]:
                    cell["problem"], cell["ci"] = f"{run.rel(path)} is a link to {path.resolve()}, outside the run folder", [0.0, 1.0]
            return


def _rejudged(run: RunDir, kind: str, report: dict, cells: dict[str, dict]) -> None:
    """Mark `cells` unrankable when the rows their report scored can be read and its recorded verdicts do not follow
    from them (the gate's own re-judging): a `passed` flag flipped in results.jsonl, with the summary edited to match,
    was ranked as scored. Where the rows cannot be read (no results.jsonl, an eval file gone or edited since) the
    cells are ranked on the report's own counts but marked unverified, with the reason: those counts are a claim."""
    if any(c["problem"] for c in cells.values()):
        return
    results = RunDir.results_beside(run.eval_report(kind))
    from ..gates.verdicts import rejudge

    if not results.is_file():
        _mark_unverified(cells, f"it has no {results.name}, so its verdicts cannot be re-judged")
        return
    gone = _unreadable_input(run, report)
    if gone:
        _mark_unverified(cells, gone)
        return
    why = rejudge(run, kind, report)
    if why:
        for cell in cells.values():
            cell["problem"] = f"its {kind} report {why}"
            cell["ci"] = [0.0, 1.0]


def _unreadable_input(run: RunDir, report: dict) -> str | None:
    """Why the eval file a report scored cannot be read back as it was scored (gone, or edited since); None when it can."""
    from ..gates.verdicts import input_file

    config = report.get("config") or {}
    if not isinstance(input_file(run, config), str):
        return None
    if not config.get("input"):
        return "its report records no eval file path, so its verdicts cannot be re-judged"
    recorded = Path(str(config.get("input")))
    there = any(c.is_file() for c in (recorded, run.root / recorded, run.root / recorded.parent.name / recorded.name))
    state = (f"no longer hashes to the {str(config.get('input_sha256'))[:12]} its report recorded" if there else "is gone")
    return f"its eval file {config.get('input')} {state}, so its verdicts cannot be re-judged"


def _mark_unverified(cells: dict[str, dict], why: str) -> None:
    for cell in cells.values():
        cell["unverified"] = f"{why}; shown on its report's own counts, not ranked"


def _external_rejudged(run: RunDir, path: Path, report: dict, cell: dict) -> None:
    """An external benchmark cell re-judged from its benchmark file as the gate does (`rejudge_external`): a
    letter flipped to the right one in results.jsonl is not ranked; rows that cannot be read mark it unverified."""
    if cell["problem"]:
        return
    if not RunDir.results_beside(path).is_file():
        _mark_unverified({"": cell}, f"it has no {RunDir.results_beside(path).name}, so its verdicts cannot be re-judged")
        return
    gone = _unreadable_input(run, report)
    if gone:
        _mark_unverified({"": cell}, gone.replace("eval file", "benchmark file", 1))
        return
    from ..gates.verdicts import rejudge_external

    why = rejudge_external(run, path, report)
    if why:
        cell["problem"], cell["ci"] = f"its {run.rel(path)} {why}", [0.0, 1.0]


def collect_run(run_dir: str | Path) -> dict[str, Any]:
    """{run, path, cells: {quantity: cell}, summaries, lm_eval, gate} for one run folder."""
    run = RunDir(run_dir)
    if not run.root.is_dir():
        raise PicochatInputError("run folder not found", path=run.root)
    _refuse_scoreless(run)
    cells: dict[str, dict] = {}
    summaries: dict[str, dict] = {}
    for kind in ("eval", "sft_fit", "sft_fit_heldout"):
        path = run.eval_report(kind)
        if not path.exists():
            continue
        report = read_eval_report(path)
        s = report["summary"]
        summaries[kind] = s
        rows = _rows(path)
        made = {kind: _cell(report, path, rows, s["passed"], s["n"])}
        if kind == "eval":
            skill_of = _skills(path)
            for skill, e in (s.get("by_skill") or {}).items():
                sub = {i: p for i, p in (rows or {}).items() if skill_of.get(i) == skill} if rows is not None else None
                made[f"skill:{skill}"] = _cell(report, path, sub, e["passed"], e["n"])
        _linked_out(run, path, made)
        _rejudged(run, kind, report, made)
        cells.update(made)
    for path in run.external_reports():
        report = read_json(path)
        ext = report.get("external") if isinstance(report, dict) else None
        if ext:
            name, n, correct = _external_counts(path, ext)
            if f"external:{name}" in cells:
                raise PicochatInputError(f"a second report of benchmark {name!r} in this run; the board cannot tell which one "
                                         f"stands for it", path=path, field="external.benchmark")
            cells[f"external:{name}"] = _cell(report, path, _rows(path), correct, n)
            _linked_out(run, path, {name: cells[f"external:{name}"]})
            _external_rejudged(run, path, report, cells[f"external:{name}"])
    model, folder = _run_model(run, cells)
    _before_training(run, model, cells)
    _tie_to_model(model, cells)
    _tie_to_tokenizer(run, folder, cells)
    lm = read_json_object(run.lm_eval_results) if run.lm_eval_results.exists() else {}
    scores, scores_problem = stored_scores(lm) if lm else ({}, None)
    lm_note = _lm_note(run, lm, model, scores_problem) if lm else None
    verdict = verify_release(run)
    return {"run": run.root.name, "path": str(run.root), "cells": cells, "summaries": summaries,
            "lm_eval": {} if lm_note else scores, "lm_eval_note": lm_note, "lm_eval_setup": _lm_setup(lm),
            "gate": verdict["status"] if verdict["state"] != "not_run" else None, "gate_state": verdict["state"],
            "gate_sentence": verdict["sentence"], "model_weights_sha256": model}


def _lm_note(run: RunDir, lm: dict[str, Any], model: str | None, scores_problem: str | None) -> str | None:
    """Why a run's lm-eval results are left off the board (None when they are shown): a link to another run's file
    (which can change under this one, as the gate's evidence_inside_run rules), no weights hash, another model's
    weights, or scores that do not follow from lm-eval's own results."""
    head = f"{run.root.name}'s lm-eval results ({lm.get('model_path')})"
    if not run.lm_eval_results.resolve().is_relative_to(run.root.resolve()):
        return f"{head}: {run.rel(run.lm_eval_results)} is a link to {run.lm_eval_results.resolve()}, outside the run folder"
    if not lm.get("weights_sha256"):
        return f"{head} record no weights_sha256, so their model cannot be traced"
    if model and lm["weights_sha256"] != model:
        return f"{head} are {_other_model(lm['weights_sha256'], model)}"
    return f"{head}: {scores_problem}" if scores_problem else None


def _external_counts(path: Path, ext: Any) -> tuple[str, int, int]:
    """(benchmark, n, letter-accuracy hits) of an external report, each checked."""
    if not isinstance(ext, dict):
        raise PicochatInputError("expected an object", path=path, field="external")
    if not isinstance(ext.get("benchmark"), str) or not ext["benchmark"]:
        raise PicochatInputError("expected the benchmark name", path=path, field="external.benchmark")
    n = ext.get("n")
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise PicochatInputError("expected a row count", path=path, field="external.n")
    correct = (ext.get("correct") or {}).get("letter_acc") if isinstance(ext.get("correct"), dict) else None
    if correct is None:
        if not isinstance(ext.get("letter_acc"), (int, float)):
            raise PicochatInputError("expected a number", path=path, field="external.letter_acc")
        correct = round(ext["letter_acc"] * n)
    if not isinstance(correct, int) or isinstance(correct, bool) or not 0 <= correct <= n:
        raise PicochatInputError(f"expected a count from 0 to {n}", path=path, field="external.correct.letter_acc")
    return ext["benchmark"], n, correct


def _lm_setup(lm: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per task, what its scores depend on beside the model: the task data as scored (lm-eval's `task_hashes`),
    rows scored, task version, row limit."""
    samples, versions = lm.get("n-samples") or {}, lm.get("versions") or {}
    hashes = lm.get("task_hashes") if isinstance(lm.get("task_hashes"), dict) else {}
    limit = (lm.get("config") or {}).get("limit")
    return {task: {"task_hash": hashes.get(task), "rows": (samples.get(task) or {}).get("effective"), "version": versions.get(task),
                   "limit": limit} for task in lm.get("scores") or {}}


def _run_model(run: RunDir, cells: dict[str, dict]) -> tuple[str | None, Path]:
    """(the weights the run stands for, the folder they were hashed in), as `run_weights` finds them; where no weights
    are here and the verdict records none, the chat eval's recorded hash."""
    release = read_json(run.release) if run.release.exists() else {}
    if not isinstance(release, dict):
        raise PicochatInputError("expected a JSON object", path=run.release)
    model, folder = run_weights(run, release)
    return model or (cells.get("eval") or {}).get("weights_sha256"), folder


def _tie_to_tokenizer(run: RunDir, folder: Path, cells: dict[str, dict]) -> None:
    """Mark unrankable each cell that read the run's model through another tokenizer than the one it ships (the
    tokenizer.json beside its weights, else the run's tokenizer/), or that records none where one ships: the same
    weights under other token ids are another model, as the release gate rules."""
    shipped_dir = shipped_tokenizer_dir(folder, run)
    shipped = input_sha256(shipped_dir)
    if shipped is None:
        return
    where = run.rel(shipped_dir)
    for cell in cells.values():
        if cell["problem"]:
            continue
        got = cell.get("tokenizer_sha256")
        if not got:
            cell["problem"] = (f"its report records no tokenizer_sha256, so it cannot be tied to the tokenizer the run's model "
                               f"ships ({shipped[:12]}, {where})")
        elif got != shipped:
            cell["problem"] = legacy_tokenizer_note(got, shipped_dir) or (
                f"it scored the run's model with tokenizer {got[:12]}, but the run's model ships tokenizer {shipped[:12]} ({where})")
        if cell["problem"]:
            cell["ci"] = [0.0, 1.0]


def _tie_to_model(model: str | None, cells: dict[str, dict]) -> None:
    """Mark unrankable each cell that is not a score of the run's model: other weights, a replies file, or no
    weights recorded at all (as lm-eval results without a weights hash are left off)."""
    for cell in cells.values():
        if cell["problem"] or not model:
            continue
        if cell["weights_sha256"] and cell["weights_sha256"] != model:
            cell["problem"] = _other_model(cell["weights_sha256"], model)
        elif cell["replies"]:
            cell["problem"] = f"it scored a replies file ({cell['replies']}), not the run's model {model[:12]}"
        elif not cell["weights_sha256"]:
            cell["problem"] = f"its report records no weights_sha256, so it cannot be tied to the run's model {model[:12]}"


def _before_training(run: RunDir, model: str | None, cells: dict[str, dict]) -> None:
    """Mark unrankable each cell whose report is dated before the training report that wrote the run's weights: it
    cannot have scored them (another model's report with the hash edited in, or one kept from before a retrain)."""
    found = weights_written(run, model, read=read_json)
    if found is None:
        return
    path, trained = found
    for cell in cells.values():
        if not cell["problem"] and not cell["written_at"]:
            # the gate blocks such a report; here it is ranked on its word, and said so
            undated = (f"its report records no date, so nothing shows it was written after {run.rel(path)} wrote the "
                       f"run's weights; shown on its report's own counts, not ranked")
            cell["unverified"] = f"{undated}; also, {cell['unverified']}" if cell["unverified"] else undated
        if not cell["problem"] and cell["written_at"] and dt.datetime.fromisoformat(cell["written_at"]) < trained:
            cell["problem"] = (f"its report was written at {cell['written_at']}, before {run.rel(path)} wrote the run's weights "
                               f"at {trained.isoformat()}: it cannot have scored them")
            cell["ci"] = [0.0, 1.0]


def _other_model(found: str, model: str) -> str:
    return f"about another model (weights {found[:12]}, not the run's {model[:12]})"


def _skills(report_path: Path) -> dict[str, str]:
    return {str(r.get("id", r["_line"])): r.get("skill") for r in _result_rows(report_path) or []}


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Test cell `a` against cell `b`: exact McNemar on their shared rows, else Fisher's exact test."""
    shared = sorted(set(a["rows"]) & set(b["rows"])) if a["rows"] is not None and b["rows"] is not None else []
    if shared:
        both = sum(a["rows"][i] and b["rows"][i] for i in shared)
        only_a = sum(a["rows"][i] and not b["rows"][i] for i in shared)
        only_b = sum(b["rows"][i] and not a["rows"][i] for i in shared)
        neither = len(shared) - both - only_a - only_b
        p = float(mcnemar([[both, only_a], [only_b, neither]], exact=True).pvalue)
        return {"test": f"McNemar exact, {len(shared)} shared rows", "p": p}
    table = [[a["passed"], a["n"] - a["passed"]], [b["passed"], b["n"] - b["passed"]]]
    return {"test": "Fisher exact (unpaired)", "p": float(fisher_exact(table).pvalue)}


def _why_apart(name: str, quantity: str, cell: dict, ref: dict) -> str | None:
    """Why `cell` cannot be compared with the reference cell `ref` of `quantity`, or None when it can."""
    if cell.get("problem"):
        return f"{name}'s {quantity} cannot be ranked: {cell['problem']}."
    if cell["file_sha256"] != ref["file_sha256"]:
        used = f"{(cell['file_sha256'] or 'an unrecorded file')[:12]} ({cell['file']})"
        return (f"{name} was scored on eval file {used}; the board compares {quantity} on "
                f"{(ref['file_sha256'] or 'unrecorded')[:12]} ({ref['file']}), so its numbers are not comparable.")
    if cell.get("tokenizer_sha256") != ref.get("tokenizer_sha256"):
        return (f"{name} scored {quantity} with {_tokenizer_words(cell)} where the board's runs used {_tokenizer_words(ref)}, "
                "so its numbers are not comparable.")
    mine, theirs = cell.get("setting") or {}, ref.get("setting") or {}
    differ = [k for k in sorted(set(mine) | set(theirs)) if mine.get(k) != theirs.get(k)]
    if differ:
        said = "; ".join(f"{k}={mine.get(k)!r} where the board uses {theirs.get(k)!r}" for k in differ)
        return f"{name} scored {quantity} with other settings ({said}), so its numbers are not comparable."
    if cell["rows"] is not None and ref["rows"] is not None and set(cell["rows"]) != set(ref["rows"]):
        return (f"{name} scored {quantity} on other rows ({len(set(cell['rows']) - set(ref['rows']))} of its {len(cell['rows'])} "
                f"row ids are not among the board's {len(ref['rows'])}), so its numbers are not comparable.")
    if cell["n"] != ref["n"]:
        return f"{name} scored {quantity} on {cell['n']} rows where the board has {ref['n']}, so its numbers are not comparable."
    return None


def _tokenizer_words(cell: dict) -> str:
    return f"tokenizer {cell['tokenizer_sha256'][:12]}" if cell.get("tokenizer_sha256") else "an unrecorded tokenizer"


def _key(cell: dict) -> str:
    """What a cell must share with another to be ranked beside it: the file, the scorer settings, the tokenizer the
    prompts and replies went through (other token ids are another test of the weights), the rows."""
    rows = sorted(cell["rows"]) if cell["rows"] is not None else None
    return json.dumps([cell["file_sha256"], cell.get("setting") or {}, cell.get("tokenizer_sha256"),
                       rows if rows is not None else cell["n"]], sort_keys=True)


def _group(runs: list[dict], quantity: str) -> tuple[list[str], list[dict]]:
    """(runs compared on `quantity`: the largest set scored on one file, with one setting, on the same rows;
    excluded runs with the reason). A cell whose rows disagree with its report's counts is never compared."""
    present = [r for r in runs if quantity in r["cells"] and r["cells"][quantity]["n"]]
    sound = [r for r in present if not r["cells"][quantity].get("problem")]
    by_key: dict[str, list[str]] = {}
    for r in sound:
        by_key.setdefault(_key(r["cells"][quantity]), []).append(r["run"])
    if not by_key:
        names: list[str] = []
    else:
        ref_key = max(by_key, key=lambda k: (json.loads(k)[0] is not None, len(by_key[k])))
        names = by_key[ref_key]
    ref_cell = next((r["cells"][quantity] for r in present if names and r["run"] == names[0]), None)
    excluded = []
    for r in present:
        if r["run"] in names:
            continue
        cell = r["cells"][quantity]
        why = _why_apart(r["run"], quantity, cell, ref_cell) if ref_cell else f"{r['run']}'s {quantity} cannot be ranked: {cell['problem']}."
        excluded.append({"run": r["run"], "quantity": quantity, "why": why or f"{r['run']} was scored on other rows."})
    return names, excluded


def board(runs: list[dict]) -> dict[str, Any]:
    """Per quantity: the compared runs, the best, and each run's test and p against the best.

    Every pair of runs in a group is tested and Holm corrects over all pairs of the board, so the chance that
    any run of equal runs is called worse stays at 5% even though "the best" is picked after looking."""
    quantities = sorted({q for r in runs for q in r["cells"]}, key=lambda q: (q.count(":"), q))
    by_name = {r["run"]: r for r in runs}
    out: dict[str, Any] = {"quantities": {}, "excluded": []}
    tests: list[tuple[str, str, str, dict[str, Any]]] = []
    for q in quantities:
        kept, twice = _once_per_model(runs, q)
        names, excluded = _group(kept, q)
        out["excluded"] += twice + excluded
        if not names:
            continue
        # a count nothing re-judged is shown, never ranked: it takes no star, no test and no place in the correction
        verified = [n for n in names if not by_name[n]["cells"][q].get("unverified")]
        top = max((by_name[n]["cells"][q]["rate"] for n in verified), default=None)
        out["quantities"][q] = {n: {k: v for k, v in by_name[n]["cells"][q].items() if k != "rows"}
                                | {"best": len(names) > 1 and n in verified and by_name[n]["cells"][q]["rate"] == top,
                                   "ranked": n in verified, "release_candidate": standing(by_name[n]) is None} for n in names}
        for n in names:
            if n not in verified and top is not None and len(names) > 1:
                out["quantities"][q][n].update(worse=False, above_best=by_name[n]["cells"][q]["rate"] > top)
        for i, a in enumerate(verified):
            for b in verified[i + 1:]:
                tests.append((q, a, b, compare(by_name[a]["cells"][q], by_name[b]["cells"][q])))
    adjusted = multipletests([t[3]["p"] for t in tests], alpha=ALPHA, method="holm")[1] if tests else []
    for (q, a, b, result), p_adj in zip(tests, adjusted, strict=True):
        entries = out["quantities"][q]
        other = b if entries[a]["best"] else a if entries[b]["best"] else None
        if other is not None and not entries[other]["best"]:
            best_rate = next(e["rate"] for e in entries.values() if e["best"])
            entries[other].update(result, p_holm=float(p_adj), worse=bool(p_adj < ALPHA and entries[other]["rate"] < best_rate),
                                  above_best=entries[other]["rate"] > best_rate)
    out["tests"] = len(tests)
    return out


def _distinct_folders(run_dirs: list[str | Path]) -> None:
    seen: dict[Path, str] = {}
    for d in run_dirs:
        real = Path(d).resolve()
        if real in seen:
            raise PicochatInputError(f"{seen[real]} and {d} are the same run folder; give each run once")
        seen[real] = str(d)


def _evaluations(run: dict[str, Any]) -> dict[str, str]:
    return {q: _key(cell) for q, cell in run["cells"].items()}


def _distinct_models(runs: list[dict]) -> None:
    """Two folders of the same weights and the same evaluations are one run given twice: nothing on the board would
    tell them apart, and every ranking would hold the model twice. Runs of one model that differ (another eval
    pack, other settings) are listed; `_once_per_model` keeps each ranking to one of them."""
    seen: dict[tuple[str, str], str] = {}
    for r in runs:
        model = r.get("model_weights_sha256")
        key = (model, json.dumps(_evaluations(r), sort_keys=True)) if model else None
        if key in seen:
            raise PicochatInputError(f"{seen[key]} and {r['path']} hold the same model (weights {model[:12]}) with the same "
                                     "evaluations; give each model once")
        if key:
            seen[key] = r["path"]


def _once_per_model(runs: list[dict], quantity: str) -> tuple[list[dict], list[dict]]:
    """(runs that may enter the ranking of `quantity`, an excluded entry for each other): a second run of a model
    already scored on the same file, settings and rows would rank the model against itself."""
    seen: dict[tuple[str, str], str] = {}
    kept, excluded = [], []
    for r in runs:
        cell, model = r["cells"].get(quantity), r.get("model_weights_sha256")
        key = (model, _key(cell)) if cell and model and not cell.get("problem") else None
        if key in seen:
            excluded.append({"run": r["run"], "quantity": quantity, "same_model": True,
                             "why": f"{r['run']} holds the same model as {seen[key]} (weights {model[:12]}), scored on the same "
                                    f"{quantity} rows; a model is ranked once, as {seen[key]}."})
            continue
        if key:
            seen[key] = r["run"]
        kept.append(r)
    return kept, excluded


def build_leaderboard(run_dirs: list[str | Path], out: str | Path, *, force: bool = False) -> Path:
    """Write the leaderboard markdown to `out` and its data to `out` with a `.json` suffix."""
    if not run_dirs:
        raise PicochatInputError("no run folders given")
    out = Path(out)
    if out.suffix == ".json":  # the data file would be `out` itself: the markdown written there would be replaced
        raise PicochatInputError("names the leaderboard's markdown, whose data goes beside it as .json: give a .md path",
                                 path=out, field="out")
    with output_lock(out), output_lock(out.with_suffix(".json")):  # `--out x.md` and `--out x` share x.json
        ensure_can_write(out, force=force)
        ensure_can_write(out.with_suffix(".json"), force=force)
        _distinct_folders(run_dirs)
        runs = [collect_run(d) for d in run_dirs]
        names = [r["run"] for r in runs]
        if len(set(names)) != len(names):
            raise PicochatInputError(f"run folder names must be distinct, got {names}")
        _distinct_models(runs)
        data = board(runs)
        atomic_write_text(out, render(runs, data))
        public = [{k: v for k, v in r.items() if k != "cells"} | {"standing": standing(r) or "release candidate"} for r in runs]
        atomic_write_json(out.with_suffix(".json"), {"runs": public, "board": data, "method": METHOD})
    return out
