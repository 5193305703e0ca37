"""The data tables the scorer reads beside its config, and one fingerprint over them.

The rule engine's settings live in `scoring.yaml` (hashed as the effective config, `scoring_identity`); the clause
judges read more tables from YAML files next to their modules (`decline_forms.yaml`, `decline_reasons.yaml`,
`identity_negated.yaml`, `asked_topics.yaml`, ...). Editing one changes verdicts, so an eval report records each
table's sha256 (`scoring_tables`) and one over all of them (`scoring_tables_sha256`), and the release gate holds
them to this picochat's tables. The tables are every YAML file of this package folder but the config: that folder
is where each loader reads its table from (`Path(__file__).with_name(...)`), so a new table is covered by being
put there, with no list to keep in step (tests/test_scoring_tables.py holds every loader's path to it). A table is
hashed as canonical JSON of what it holds, so comments and layout do not count.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text

TABLES_DIR = Path(__file__).parent
CONFIG_NAME = "scoring.yaml"  # the config: hashed as the settings it gives (`scoring_identity.scoring_sha256`)
SCORING_TABLES, SCORING_TABLES_SHA256 = "scoring_tables", "scoring_tables_sha256"  # the report config's fields


def table_files(folder: Path | None = None) -> list[Path]:
    """Every table the scorer reads: the YAML files beside its modules, but the config."""
    return sorted(p for p in (folder or TABLES_DIR).glob("*.yaml") if p.name != CONFIG_NAME)


def _digest(obj: object) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def table_sha256(path: Path) -> str:
    """sha256 of what one table holds (canonical JSON); PicochatInputError naming the file when it cannot be read."""
    try:
        return _digest(load_yaml_text(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PicochatInputError(f"unreadable scorer table ({exc})", path=path.name) from None


def tables_fingerprint(folder: Path | None = None) -> dict[str, str]:
    """{table file name: its sha256} for every table of `table_files`."""
    return {p.name: table_sha256(p) for p in table_files(folder)}


def tables_sha256(fingerprint: dict[str, str]) -> str:
    """One sha256 over a fingerprint (names and digests)."""
    return _digest(fingerprint)


def tables_fields() -> dict[str, object]:
    """The report config's record of the tables it was judged with."""
    fingerprint = tables_fingerprint()
    return {SCORING_TABLES: fingerprint, SCORING_TABLES_SHA256: tables_sha256(fingerprint)}


def tables_difference(recorded: object, now: dict[str, str]) -> str:
    """Which tables differ between a recorded fingerprint and `now`, as words ("decline_forms.yaml edited, x.yaml
    added"); a general phrase when the report recorded only the overall hash."""
    if not isinstance(recorded, dict):
        return "which table changed is not recorded"
    said = [f"{n} edited" for n in sorted(set(recorded) & set(now)) if recorded[n] != now[n]]
    said += [f"{n} added" for n in sorted(set(now) - set(recorded))] + [f"{n} removed" for n in sorted(set(recorded) - set(now))]
    return ", ".join(said) or "the recorded per-table hashes do not give the recorded overall hash"
