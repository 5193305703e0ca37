"""One name per setting: the other names a command still accepts (`setting_names.yaml`), and the one-line note a
deprecated one prints, on the command line (`note_deprecated_flags`) and in a YAML section (`rename_deprecated_keys`)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .yaml_text import load_yaml_text

SPEC_FILE = Path(__file__).with_name("setting_names.yaml")


@functools.lru_cache(maxsize=1)
def setting_names() -> dict[str, Any]:
    return load_yaml_text(SPEC_FILE.read_text(encoding="utf-8"))


def deprecated_flags(command: str) -> dict[str, str]:
    """alias -> the setting's name, for the command `command` ("eval sft-fit")."""
    table = setting_names()["deprecated"]["flags"]
    return {**table.get("*", {}), **table.get(command, {})}


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _given(argv: Sequence[str], alias: str) -> bool:
    spellings = {_flag(alias), f"--{alias}"}
    return any(a in spellings or a.split("=", 1)[0] in spellings for a in argv)


def note_deprecated_flags(argv: Sequence[str], command: str) -> None:
    """One note on stderr per deprecated flag name given on the command line: the flag still works."""
    for alias, name in deprecated_flags(command).items():
        if _given(argv, alias):
            print(f"picochat: note: {_flag(alias)} is the old name of {_flag(name)} (field '{name}'); it still works, "
                  f"but write {_flag(name)}", file=sys.stderr)


def rename_deprecated_keys(section: Any, where: str, source: str) -> Any:
    """`section` (the mapping at `where` in a YAML file, "preflight.compute_optimal") with each deprecated key renamed
    to the setting's name, noting it once on stderr; a section giving both names is refused naming the alias."""
    from .errors import PicochatInputError

    aliases = setting_names()["deprecated"]["keys"].get(where, {})
    if not isinstance(section, dict) or not aliases.keys() & section.keys():
        return section
    out = dict(section)
    for alias, name in aliases.items():
        if alias not in out:
            continue
        if name in out:
            raise PicochatInputError(f"is the old name of {name}, which the file also gives; keep {name}", path=source,
                                     field=f"{where}.{alias}")
        out[name] = out.pop(alias)
        print(f"picochat: note: {source}: {where}.{alias} is the old name of {where}.{name}; it still works, but "
              f"write {name}", file=sys.stderr)
    return out


def sibling_hint(key: str, known: set[str]) -> str:
    """"; this config's setting is `other` (...)" for a key that `distinct` sets apart from a field `known` has (a
    pretraining `val_fraction` in an SFT config, whose held-out share is heldout_fraction), else ""."""
    for entry in setting_names()["distinct"]:
        names = entry["names"]
        if key in names:
            other = next((name for name in names if name != key and name in known), None)
            if other is not None:
                return f"; this config's setting is {other} ({' '.join(str(entry['why']).split())})"
    return ""
