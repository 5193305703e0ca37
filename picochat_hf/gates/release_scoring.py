"""Was each eval judged by the scoring rules its report names?

An eval report names its scoring config (`scoring_config`: a user's YAML, or the shipped one) and records the
sha256 of the settings it judged with (`scoring_config_sha256`, `eval.scoring_identity`). The gate loads the config
the report names (found as recorded, or at the same place under the run directory) and hashes it again: a file
edited after the eval, or a shipped scorer changed by another picochat version, gives another hash, and its
verdicts are not the named rules' verdicts (the re-judge in `verdicts.py` would use rules the eval never ran).
The tables the scorer reads beside the config (`eval.scoring_tables`: the YAML files the scorer's modules name) are
held to this picochat's the same way, by the `scoring_tables_sha256` the report records; a report from a picochat that
also hashed files the scorer does not read (`lm_task_keys.yaml`) is held to the tables it does read, and says so. A config that is gone or
unreadable blocks too. A report without the hash (written before it was recorded, or with
it removed) is missing evidence: it blocks under a release profile (`missing_evidence: block`) and only warns under
a lenient one, with the sentence naming the report and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..eval.scoring import SHIPPED_SCORING, ScoringConfig, load_scoring_config
from ..eval.scoring_identity import SCORING_SHA256, scoring_sha256
from ..eval.scoring_tables import (SCORING_TABLES, SCORING_TABLES_SHA256, table_files, table_names, tables_difference,
                                  tables_fingerprint, tables_sha256)
from ..run_dir import RunDir
from ..utils.errors import PicochatInputError
from .common import Check, check, short
from .common import chain_check as _chain
from .evidence import Evidence
from .recorded_paths import in_this_run


def scoring_path(run: RunDir | None, name: Any) -> Path | str | None:
    """The scoring file a report names (None: the shipped one), as recorded or at the same place under the run
    directory; a sentence when there is none."""
    if name in (None, SHIPPED_SCORING):
        return None
    p = Path(str(name))
    moved = in_this_run(run, p) if run is not None else None  # a copied or moved run's own file (`recorded_paths`)
    candidates = [moved] if moved is not None else [p] + ([run.root / p, run.root / p.parent.name / p.name] if run is not None else [])
    found = next((c for c in candidates if c.is_file()), None)
    return found if found is not None else f"names scoring config {name}, which is gone"


def load_named_scoring(run: RunDir | None, config: dict[str, Any]) -> ScoringConfig:
    """The scoring config a report names, found as `scoring_path` finds it; PicochatInputError when it is gone."""
    where = scoring_path(run, config.get("scoring_config"))
    if isinstance(where, str):
        raise PicochatInputError(where, field="scoring_config")
    return load_scoring_config(where)


def scoring_problem(run: RunDir | None, config: dict[str, Any]) -> str | None:
    """Why the rules `config` names are not the ones its hash records; None when they are (or none is recorded)."""
    recorded = config.get(SCORING_SHA256)
    name = config.get("scoring_config") or SHIPPED_SCORING
    if recorded is None:
        return None
    where = scoring_path(run, config.get("scoring_config"))
    if isinstance(where, str):
        return f"{where}, so the rules that judged it cannot be loaded"
    try:
        now = scoring_sha256(load_scoring_config(where))
    except PicochatInputError as exc:
        return f"names scoring config {name}, which cannot be read ({exc})"
    if now == recorded:
        return None
    return (f"was judged under scoring rules {short(str(recorded))}, but {name} now gives {short(now)}: its verdicts were scored by "
            "rules other than the ones it names (the file edited since, or another picochat version's scorer); re-run the eval")


def check_scoring(ev: Evidence, rules: dict, profile: str) -> list[Check]:
    """Each eval and fit report's recorded scoring hash is that of the scoring config it names."""
    out = []
    for kind, report in ev.evals.items():
        if report is None:
            continue
        rel = ev.run.rel(ev.run.eval_report(kind))
        config = report.get("config") if isinstance(report.get("config"), dict) else {}
        name = config.get("scoring_config") or SHIPPED_SCORING
        if config.get(SCORING_SHA256) is None:
            note = (f"{rel} records no config.{SCORING_SHA256} (written before picochat recorded it, or removed), so whether {name} "
                    "still holds the rules that judged it is unverified")
            tail = "" if rules["missing_evidence"] == "pass" else f"; profile {profile} needs it: re-run the eval"
            out.append(check(f"scoring:{rel}", rules["missing_evidence"], None, "the named scoring rules", f"{note}{tail}.", unverified=note))
            continue
        why = scoring_problem(ev.run, config)
        if why is None and config.get(SCORING_TABLES_SHA256) is None:
            out.append(_no_tables(rel, rules, profile))
            continue
        why = why or tables_problem(config)
        tables, unread = short(config.get(SCORING_TABLES_SHA256)), unread_tables(config)
        also = (f"; its record also hashes {', '.join(unread)}, which the scorer does not read (not counted: the tables it reads "
                "are this picochat's)" if unread else "")
        out.append(_chain(f"scoring:{rel}", why is None, short(config.get(SCORING_SHA256)), "the named scoring rules",
                          f"{rel} was judged by the rules of {name} (sha256 {short(config.get(SCORING_SHA256))}) and the scorer's "
                          f"tables (sha256 {tables}){also}." if why is None else f"{rel} {why}.", rules))
    return out


def tables_problem(config: dict[str, Any]) -> str | None:
    """Why the scorer tables a report records are not this picochat's; None when they are (or none are recorded). A
    record that also hashes files the scorer does not read (an older picochat hashed every YAML file of the eval
    folder, `lm_task_keys.yaml` among them) is held to the tables the scorer reads (`unread_tables` names the rest)."""
    recorded = config.get(SCORING_TABLES_SHA256)
    if recorded is None:
        return None
    try:
        now = tables_fingerprint()
    except PicochatInputError as exc:
        return f"was judged with scorer tables {short(str(recorded))}, but this picochat's tables cannot be read ({exc})"
    if tables_sha256(now) == recorded or _read_part(config) == now:
        return None
    return (f"was judged with scorer tables {short(str(recorded))}, but this picochat's tables ({', '.join(now)}) give "
            f"{short(tables_sha256(now))} ({tables_difference(config.get(SCORING_TABLES), now)}): its verdicts were scored by "
            "other rules; re-run the eval")


def _read_part(config: dict[str, Any]) -> dict[str, str] | None:
    """The recorded per-table hashes of the tables the scorer reads, when the record is whole (its entries give the
    recorded overall hash); None when it is not."""
    fingerprint = config.get(SCORING_TABLES)
    if not isinstance(fingerprint, dict) or tables_sha256(fingerprint) != config.get(SCORING_TABLES_SHA256):
        return None
    return {name: fingerprint[name] for name in table_names() if name in fingerprint}


def unread_tables(config: dict[str, Any]) -> list[str]:
    """The files a whole record hashes that the scorer does not read (none when the record is not whole)."""
    fingerprint = config.get(SCORING_TABLES)
    if _read_part(config) is None or not isinstance(fingerprint, dict):
        return []
    return sorted(set(fingerprint) - set(table_names()))


def _no_tables(rel: str, rules: dict, profile: str) -> Check:
    """A report recording the config's hash but not the tables' (written before picochat hashed them, or removed):
    missing evidence, at the profile's `missing_evidence` severity."""
    note = (f"{rel} records no config.{SCORING_TABLES_SHA256} (written before picochat hashed the scorer's tables "
            f"{', '.join(p.name for p in table_files())}, or removed), so whether the tables that judged it are this picochat's is unverified")
    tail = "" if rules["missing_evidence"] == "pass" else f"; profile {profile} needs it: re-run the eval"
    return check(f"scoring:{rel}", rules["missing_evidence"], None, "the named scoring rules", f"{note}{tail}.", unverified=note)
