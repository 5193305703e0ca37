"""The settings an eval or fit report records for what it measured must agree with the replies it records.

`verdicts.py` re-builds the rows a report scored from the settings that choose them (input file and hash,
`max_rows`, the fit's `split`, `seed` and `val_fraction`): a hand-edited value there leaves results for rows the
settings no longer give, and blocks. The settings that shape the replies are checked here, as far as the
recorded replies can show them:

- `decoding`: the evals generate greedily (and the gate's re-run does); a report recording sampling (`decoding`
  other than greedy, `do_sample` true, `temperature` above 0, `top_p` under 1, `top_k`, `num_beams` over 1) measured
  something the gate neither re-judges nor re-runs;
- `max_new_tokens`: each generated reply's recorded `num_generated_tokens` is at most the budget, and all of it
  when the reply did not stop on EOS; its text fits the tokens recorded (`release_tokens.py`). Results without the
  counts (older evals, or counts stripped) cannot be verified: missing evidence, which blocks under a release profile
  (`missing_evidence: block`) and warns only under a lenient one; the sentence names the results file and fields.

- `heldout_check` (a held-out fit's word on whether SFT left its rows out): worked out again, as the fit did, from
  the train report beside the released checkpoint and the rows file it scored; a status edited to `held_out`
  (recall passed off as generalisation) is not what the run's files give.

A report of generated replies that records no `max_new_tokens` (or whose replies record no token counts) cannot be
held to a budget: missing evidence, at the profile's `missing_evidence` severity. Sentences name the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..export.rederive import read_results_file
from ..run_dir import RunDir
from ..utils.errors import PicochatInputError
from .common import Check, check
from .common import chain_check as _chain
from .evidence import Evidence
from .release_tokens import COUNT, STOPPED, budget_problem

GREEDY = "greedy"


def _sampling(config: dict[str, Any]) -> str | None:
    """The recorded setting that says the replies were not greedy, as `field value`; None when none does."""
    checks = (("decoding", lambda v: v != GREEDY), ("do_sample", lambda v: v is True),
              ("temperature", lambda v: isinstance(v, (int, float)) and v > 0), ("top_p", lambda v: isinstance(v, (int, float)) and v < 1),
              ("top_k", lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0),
              ("num_beams", lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 1))
    for key, sampled in checks:
        if config.get(key) is not None and sampled(config[key]):
            return f"{key} {config[key]!r}"
    return None


def longest_token(tokenizer_dir: Path | None) -> int | None:
    """The most characters one token of the tokenizer.json in `tokenizer_dir` can decode to (its longest vocabulary
    or added-token string); None when there is no readable vocabulary."""
    path = tokenizer_dir / "tokenizer.json" if tokenizer_dir is not None else None
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path is not None and path.is_file() else None
    except (OSError, ValueError):
        return None
    vocab = (data.get("model") or {}).get("vocab") if isinstance(data, dict) and isinstance(data.get("model"), dict) else None
    if isinstance(vocab, list):  # unigram: [[piece, score], ...]
        vocab = {str(v[0]): 0 for v in vocab if isinstance(v, list) and v}
    if not isinstance(vocab, dict) or not vocab:
        return None
    added = [str(t.get("content", "")) for t in data.get("added_tokens") or [] if isinstance(t, dict)]
    return max(len(str(k)) for k in [*vocab, *added])


def _heldout_problem(ev: Evidence, config: dict[str, Any]) -> str | None:
    """Why a held-out fit's recorded `heldout_check` status is not the one the run's files give; None when it is (or
    when its rows cannot be read: `verdicts:*` says so)."""
    from ..eval.sft_fit import answered_rows, heldout_check, split_rows
    from .verdicts import input_file

    recorded = config.get("heldout_check")
    if recorded is None:
        return None
    path = input_file(ev.run, config)
    if isinstance(path, str) or not isinstance(recorded, dict):
        return None if isinstance(path, str) else f"records heldout_check {recorded!r}, not {{status, why}}"
    try:
        all_rows, rows = answered_rows(path)
        train, _, _ = split_rows(rows, "heldout", config["val_fraction"], config["seed"], path)
        again = heldout_check(ev.checkpoint, path, len(all_rows), len(train), config["val_fraction"], config["seed"])
    except (PicochatInputError, KeyError, TypeError, ValueError):
        return None
    if recorded.get("status") == again["status"]:
        return None
    where = ev.run.rel(ev.checkpoint) if ev.checkpoint.is_relative_to(ev.run.root) else str(ev.checkpoint)
    return (f"records heldout_check status {recorded.get('status')!r}, but the train report beside {where} and "
            f"the rows it scored give {again['status']!r} ({again['why']})")


def _config_problem(path: Path, config: dict[str, Any], longest: int | None) -> tuple[str | None, str | None]:
    """(why the recorded settings do not agree with the replies, or None; the recorded field the budget cannot be
    verified without, or None)."""
    sampled = _sampling(config)
    if sampled:
        return (f"records {sampled}, but picochat evals and the gate's re-run decode greedily, so its replies are not what "
                "the gate re-judges and re-runs"), None
    budget = config.get("max_new_tokens")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int) or budget < 1):
        return f"records max_new_tokens {budget!r}, not a count of tokens", None
    results = RunDir.results_beside(path)
    if not results.is_file():
        return None, None  # `rows:*` says the rows are missing
    try:
        rows = read_results_file(results)
    except (ValueError, UnicodeDecodeError):
        return None, None  # `rows:*` says they are unreadable
    if budget is None:  # replies generated under a budget the report does not state cannot be held to one
        generated = any("choice" not in r and isinstance(r.get("reply"), str) for r in rows)
        return None, ("config.max_new_tokens" if generated else None)
    why, unverified = budget_problem(rows, budget, longest, config.get("reply_token_counts") is True)
    return why, (f"{COUNT} or {STOPPED}" if unverified else None)


def check_eval_settings(ev: Evidence, rules: dict, profile: str, *, heldout: bool = True) -> list[Check]:
    """Each eval and fit report's recorded decoding and generation budget agree with the replies it records; with
    `heldout` (off where the rows file is not at hand: a bundle), a held-out fit's heldout_check is worked out again."""
    longest = longest_token(ev.run.shipped_tokenizer_dir(ev.checkpoint))
    out = []
    for kind, report in ev.evals.items():
        if report is None:
            continue
        path = ev.run.eval_report(kind)
        rel, config = ev.run.rel(path), report.get("config") if isinstance(report.get("config"), dict) else {}
        why, missing = _config_problem(path, config, longest)
        why = why or (_heldout_problem(ev, config) if kind == "sft_fit_heldout" and heldout else None)
        if why is None and missing:
            out.append(_unverified_budget(rel, ev.run.rel(RunDir.results_beside(path)), missing, rules, profile))
            continue
        agree = f"{rel}'s recorded decoding and generation budget agree with its replies"
        out.append(_chain(f"settings:{rel}", why is None, "consistent" if why is None else "differs", "settings follow from the replies",
                          f"{agree}." if why is None else f"{rel} {why}.", rules))
    return out


def _unverified_budget(rel: str, results: str, missing: str, rules: dict, profile: str) -> Check:
    """Replies whose generation budget cannot be verified (no budget recorded, or no token counts): missing evidence,
    which blocks under a release profile and warns only under a lenient one."""
    if missing.startswith("config."):
        note = (f"{rel} records no {missing} for the replies in {results} (removed, or written by hand), so whether each reply "
                "stayed within a generation budget is unverified")
    else:
        note = (f"{results} records no {missing} for its replies (written before picochat recorded them, or removed), so "
                "whether each reply stayed within max_new_tokens is unverified: only the replies' lengths bound it")
    tail = "" if rules["missing_evidence"] == "pass" else f"; profile {profile} needs them: re-run the eval"
    return check(f"settings:{rel}", rules["missing_evidence"], "unverified", "settings follow from the replies",
                 f"{note}{tail}.", unverified=note)
