"""One name per setting: the other names a command still accepts (`setting_names.yaml`), and the one-line note a
deprecated one prints, on the command line (`note_deprecated_flags`), in a YAML section (`rename_deprecated_keys`) and
as a keyword of the command's Python function (`old_keywords`); giving an old name beside its setting's is refused."""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .yaml_text import load_yaml_text

SPEC_FILE = Path(__file__).with_name("setting_names.yaml")
F = TypeVar("F", bound=Callable[..., Any])


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
    """One note on stderr per deprecated flag name given on the command line: the flag still works. A line giving an
    old name beside its setting's own (`--val-fraction 0.1 --heldout-fraction 0.2`) is refused naming the old one:
    argparse would keep whichever came last."""
    from .errors import PicochatInputError

    for alias, name in deprecated_flags(command).items():
        if not _given(argv, alias):
            continue
        if _given(argv, name):
            raise PicochatInputError(f"{_flag(alias)} is the old name of {_flag(name)}, which the command line also "
                                     f"gives; keep {_flag(name)}", field=alias)
        print(f"picochat: note: {_flag(alias)} is the old name of {_flag(name)} (field '{name}'); it still works, "
              f"but write {_flag(name)}", file=sys.stderr)


def old_keywords(command: str) -> Callable[[F], F]:
    """Decorator of the Python function that runs `command` ("eval sft-fit") or a public step of it: its parameters
    carry the settings' names, and each old name the command's flag table lists for one of them is still accepted as
    a keyword, with the CLI's note on stderr; a call giving both names is refused naming the old one."""

    def decorate(func: F) -> F:
        params = list(inspect.signature(func).parameters)

        @functools.wraps(func)
        def call(*args: Any, **kwargs: Any) -> Any:
            aliases = {alias: name for alias, name in deprecated_flags(command).items()
                       if name in params and alias not in params}
            if aliases.keys() & kwargs.keys():
                kwargs = _renamed_keywords(func.__name__, kwargs, aliases, set(params[:len(args)]))
            return func(*args, **kwargs)

        call.__setting_command__ = command  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return decorate


def _renamed_keywords(function: str, kwargs: dict[str, Any], aliases: dict[str, str], positional: set[str]) -> dict[str, Any]:
    from .errors import PicochatInputError

    out = dict(kwargs)
    for alias, name in aliases.items():
        if alias not in out:
            continue
        if name in out or name in positional:
            raise PicochatInputError(f"{function}(): {alias}= is the old name of {name}=, which the call also gives; "
                                     f"keep {name}=", field=alias)
        out[name] = out.pop(alias)
        print(f"picochat: note: {function}(): {alias}= is the old name of {name}= (field '{name}'); it still works, "
              f"but write {name}=", file=sys.stderr)
    return out


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
