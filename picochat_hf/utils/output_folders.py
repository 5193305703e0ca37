"""An output folder holds one command's output: a folder holding files the command did not write is refused before
anything is written (one line, exit 2), so two commands' artifacts never mix and `--force` never deletes what the
command did not write. Which files are a command's own is data (`output_folders.yaml`)."""

from __future__ import annotations

import argparse
import functools
import sys
from fnmatch import fnmatchcase
from pathlib import Path

from .errors import PicochatInputError
from .yaml_text import load_yaml_text

SPEC_FILE = Path(__file__).with_name("output_folders.yaml")
SHOWN = 3  # foreign entries named in the refusal


@functools.lru_cache(maxsize=1)
def output_folder_spec() -> dict:
    return load_yaml_text(SPEC_FILE.read_text(encoding="utf-8"))


def command_name(args: argparse.Namespace) -> str:
    """`data shards`, `honesty scan`, `demo`: the command and its subcommand, as typed."""
    sub = getattr(args, f"{args.command}_command", None)
    return f"{args.command} {sub}" if isinstance(sub, str) else str(args.command)


def _matches(name: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(name, p) for p in patterns)


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def check_output_folder(args: argparse.Namespace) -> None:
    """Refuse the CLI's `--out-dir` when it holds entries the command did not write (`check_out_dir`)."""
    if getattr(args, "resume_from_checkpoint", None):  # continues the run in its own folder, which the trainer checks
        return
    check_out_dir(getattr(args, "out_dir", None), command_name(args), force=bool(getattr(args, "force", False)))


def check_out_dir(out: str | Path | None, name: str, *, force: bool, field: str = "out_dir") -> None:
    """Refuse the output folder `out` of the command `name` ("data shards") when it holds entries the command did
    not write (`output_folders.yaml`); a missing or empty folder, or an unlisted command, passes."""
    if not isinstance(out, (str, Path)) or not str(out) or not Path(out).is_dir():
        return
    entries = sorted(p.name for p in Path(out).iterdir())
    if not entries:
        return
    spec = output_folder_spec()
    if name in spec["beside"]:
        _check_beside(out, entries, name, spec["beside"][name], force, field)
    elif name in spec["whole"]:
        _check_whole(out, entries, name, spec["whole"][name], field)


def _check_whole(out: str | Path, entries: list[str], name: str, rule: dict, field: str) -> None:
    """A folder written whole is replaced only when it holds a previous output of the command and nothing else:
    any other entry is refused by name, with or without --force (the replace would delete it)."""
    if not any(_matches(e, rule["marker"]) for e in entries):
        raise PicochatInputError(
            f"holds files that `picochat {name}` did not write ({_listing(entries)}) and no previous output of it "
            f"({' or '.join(rule['marker'])}); write into an empty or new folder (--force replaces only a previous "
            "output of this command, never other files)", path=out, field=field)
    foreign = [e for e in entries if not _matches(e, rule["files"]) or not _holds_only_its_own(Path(out) / e, rule)]
    if foreign:
        raise PicochatInputError(
            f"holds files that `picochat {name}` did not write ({_listing(foreign)}) beside its previous output; move "
            "them out or write into an empty or new folder (--force replaces only a previous output of this command, "
            "never other files)", path=out, field=field)


def _holds_only_its_own(entry: Path, rule: dict) -> bool:
    """Whether a folder named like one the command writes holds only what the command writes there (`contents`: a
    `runs` folder of tensorboard event files, not a user's `runs` of their own); an entry without a rule passes."""
    patterns = (rule.get("contents") or {}).get(entry.name)
    if patterns is None or not entry.is_dir():
        return True
    return all(_matches(str(p.relative_to(entry)), patterns) for p in entry.rglob("*") if not p.is_dir())


def _check_beside(out: str | Path, entries: list[str], name: str, rule: dict, force: bool, field: str) -> None:
    own_output = any(_matches(e, rule["marker"]) for e in entries)
    foreign = [e for e in entries if not (own_output and _matches(e, rule["files"]))]
    if not foreign:
        return  # its own previous output: the command itself refuses replacing a file of it without --force
    clashing = [e for e in foreign if _matches(e, rule["files"])]
    if clashing:  # named like its own, but no previous output of the command beside it
        raise PicochatInputError(
            f"{_listing(clashing)} is not from a previous `picochat {name}` (no {' or '.join(rule['marker'])} beside "
            "it) and would be replaced; write into an empty or new folder (--force replaces only the command's own "
            "files)", path=out, field=field)
    if not force:
        raise PicochatInputError(
            f"holds files that `picochat {name}` did not write ({_listing(foreign)}); write into an empty or new folder, "
            "or pass --force to write its files beside them (only its own files are replaced)", path=out, field=field)
    print(f"picochat: note: {out}: kept {len(foreign)} entries `picochat {name}` did not write ({_listing(foreign)}); "
          "only its own files are replaced", file=sys.stderr)
