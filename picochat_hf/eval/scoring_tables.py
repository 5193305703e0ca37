"""The data tables the scorer reads beside its config, and one fingerprint over them.

The rule engine's settings live in `scoring.yaml` (hashed as the effective config, `scoring_identity`); the clause
judges read more tables from YAML files next to their modules (`decline_forms.yaml`, `decline_reasons.yaml`,
`identity_negated.yaml`, `asked_topics.yaml`, ...). Editing one changes verdicts, so an eval report records each
table's sha256 (`scoring_tables`) and one over all of them (`scoring_tables_sha256`), and the release gate holds
them to this picochat's tables. The tables are the ones the scorer's loaders read: the YAML files named in the
source of the modules the scorer (`rows_eval`, which judges every reply) imports, directly or through each other,
but the config. A YAML file of this folder that no scorer module names (`lm_task_keys.yaml`, the lm-eval task
keys) is not a table: editing it changes no verdict, so it must not make older reports read as judged by other
rules. A new table is covered by being named in a scorer module, with no list to keep in step
(tests/test_scoring_tables.py holds every loader's path to it). A table is hashed as canonical JSON of what it
holds, so comments and layout do not count.
"""

from __future__ import annotations

import ast
import hashlib
import json
from functools import lru_cache
from pathlib import Path

import yaml

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text

PACKAGE_DIR = Path(__file__).parent  # the scorer's modules, whose source names the tables they read
TABLES_DIR = PACKAGE_DIR  # where the tables are read from
SCORER_ENTRY = "rows_eval"  # judge_generated: the verdicts every eval, and the gate's re-judge, give
CONFIG_NAME = "scoring.yaml"  # the config: hashed as the settings it gives (`scoring_identity.scoring_sha256`)
SCORING_TABLES, SCORING_TABLES_SHA256 = "scoring_tables", "scoring_tables_sha256"  # the report config's fields


def _imported(tree: ast.AST) -> set[str]:
    """The eval-package modules a module's source imports, anywhere in it (a loader imported inside a function counts)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        name = node.module or ""
        if node.level == 1:
            out |= {name.split(".")[0]} if name else {a.name for a in node.names}
        elif (node.level == 2 and name.startswith("eval.")) or name.startswith("picochat_hf.eval."):
            out.add(name.rsplit(".", 1)[1])
        elif (node.level == 2 and name == "eval") or name == "picochat_hf.eval":
            out |= {a.name for a in node.names}
    return {m for m in out if (PACKAGE_DIR / f"{m}.py").is_file()}


def _named_yaml(tree: ast.AST) -> set[str]:
    """The YAML file names a module's source holds as string constants (where its loader reads a table from)."""
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and n.value.endswith((".yaml", ".yml")) and "/" not in n.value and " " not in n.value}


@lru_cache(maxsize=1)
def scorer_modules() -> tuple[str, ...]:
    """The eval-package modules the scorer imports, directly or through each other (from their source)."""
    seen, todo = set(), [SCORER_ENTRY]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += sorted(_imported(ast.parse((PACKAGE_DIR / f"{name}.py").read_text(encoding="utf-8"))))
    return tuple(sorted(seen))


@lru_cache(maxsize=1)
def table_names() -> tuple[str, ...]:
    """The file names of every table the scorer reads: those its modules name, but the config."""
    names: set[str] = set()
    for name in scorer_modules():
        names |= _named_yaml(ast.parse((PACKAGE_DIR / f"{name}.py").read_text(encoding="utf-8")))
    return tuple(sorted(names - {CONFIG_NAME}))


def table_files(folder: Path | None = None) -> list[Path]:
    """Every table the scorer reads, in `folder` (default: where they are read from)."""
    return [(folder or TABLES_DIR) / name for name in table_names()]


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
    gone = (set(recorded) & set(table_names())) - set(now)  # a recorded file the scorer does not read is no table
    said += [f"{n} added" for n in sorted(set(now) - set(recorded))] + [f"{n} removed" for n in sorted(gone)]
    return ", ".join(said) or "the recorded per-table hashes do not give the recorded overall hash"
