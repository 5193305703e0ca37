"""`picochat` command line: a thin layer over the library.

Each module in this package that defines `register(subparsers)` adds one command group; the group's
handlers set `func` on their parser and return an exit code. The boundary contract, for every command:

- bad input (`PicochatInputError`, a usage error, or a library exception that can only come from the
  user's files, see `utils.errors.as_input_error`) is one line on stderr and exit code 2;
- the output named by `--out-dir` / `--out` is locked for the duration of the command, so a second
  command aimed at it stops at once with one line; an `--out-dir` holding files the command did not write is
  refused before anything is written (`utils.output_folders`);
- any other exception is a bug: one line saying so (exit 1), with the traceback only under `--debug`.
"""

from __future__ import annotations

import argparse
import glob
import importlib
import os
import pkgutil
import sys
import traceback
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from ..utils.errors import BUG_REPORT, PicochatInputError, as_input_error

LOCKED_OUTPUTS = ("out_dir", "out")  # argument names whose path a command writes
RUN_DIR_WRITERS = {"report", "gate"}  # commands that write into --run-dir (lock it too)
# inputs that may live inside the output: a checkpoint of the very run being resumed
INPUTS_INSIDE_OUTPUT_OK = ("resume_from_checkpoint",)
# folders a command's output may not lie inside: a bundle of a run folder is an archive of that folder, so a bundle
# written into it would be part of (or, with --force, replace a file of) the run it archives; a leaderboard writes
# `<out>.json` beside `--out`, which inside a run could be that run's own evidence (eval/eval_report.json)
OUTPUT_OUTSIDE = {"bundle": ("run_dir",), "leaderboard": ("runs",)}
NOT_PATHS = ("command", "func", "debug", "defaults")  # namespace entries that are never file arguments
# flags that always name a path: an empty value is refused, not read as "." or as "not given" (the default)
PATH_FLAGS = ("--out-dir", "--out", "--run-dir", "--checkpoint", "--model-path", "--input", "--config", "--tokenizer",
              "--eval", "--replies", "--dataset-pack", "--plan")


class OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line (`picochat data import: error: ...`) and exit code 2, no usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="picochat", description="An honest small-language-model factory on the HF stack.")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def _empty_path_flag(argv: list[str]) -> str | None:
    """The first path flag given an empty or blank value (`--out-dir ""`, `--out-dir=`), or None."""
    for i, arg in enumerate(argv):
        name, eq, value = arg.partition("=")
        if name in PATH_FLAGS:
            given = value if eq else (argv[i + 1] if i + 1 < len(argv) else None)
            if given is not None and not given.strip():
                return name
    return None


def _input_paths(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(argument name, path) of every argument that names an existing file or folder and is not an output."""
    skip = set(LOCKED_OUTPUTS) | set(INPUTS_INSIDE_OUTPUT_OK) | set(NOT_PATHS) | ({"run_dir"} if args.command in RUN_DIR_WRITERS else set())
    found = []
    for name, value in vars(args).items():
        if name in skip or name.endswith("_command"):
            continue
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, (str, Path)) or not str(item):
                continue
            # a pattern (`--input 'corpus/*.txt'`) names the files the command expands it to
            for path in sorted(glob.glob(str(item))) if glob.has_magic(str(item)) else [str(item)]:
                if os.path.exists(path):
                    found.append((name, path))
    return found


def _check_outputs_apart(args: argparse.Namespace) -> None:
    """Refuse an output that is, or holds, one of the command's inputs: writing it (and `--force` replacing it)
    would delete or change what the command reads."""
    for out_name in LOCKED_OUTPUTS:
        out = getattr(args, out_name, None)
        if not isinstance(out, (str, Path)) or not str(out):
            continue
        real_out = os.path.realpath(out)
        for name, path in _input_paths(args):
            real = os.path.realpath(path)
            if real == real_out or real.startswith(real_out.rstrip(os.sep) + os.sep):
                raise PicochatInputError(f"holds the input --{name.replace('_', '-')} {path}; writing the output there would "
                                         "replace it (choose another output path)", path=out, field=out_name)
            if name in OUTPUT_OUTSIDE.get(args.command, ()) and real_out.startswith(real.rstrip(os.sep) + os.sep):
                raise PicochatInputError(f"is inside the input --{name.replace('_', '-')} {path}; the output would become "
                                         "part of what it is made from (write it outside that folder)", path=out, field=out_name)


def _locks(args: argparse.Namespace, stack: ExitStack) -> None:
    from ..utils.io import output_lock
    from ..utils.output_folders import check_output_folder

    _check_outputs_apart(args)
    names = LOCKED_OUTPUTS + (("run_dir",) if args.command in RUN_DIR_WRITERS else ())
    for name in names:
        value = getattr(args, name, None)
        if isinstance(value, (str, Path)) and str(value):
            path = Path(value)
            if path.exists() and not path.is_dir() and name == "out_dir":
                raise PicochatInputError("exists and is not a directory", path=path, field="out_dir")
            stack.enter_context(output_lock(path))
    check_output_folder(args)  # under the lock: what it finds there is what the command writes beside


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv  # accepted anywhere on the line, not only before the command
    empty = _empty_path_flag(argv)
    if empty is not None:
        print(f"picochat: error: field '{empty.lstrip('-').replace('-', '_')}': {empty} is empty; name a file or folder", file=sys.stderr)
        return 2
    args = parser.parse_args([a for a in argv if a != "--debug"])
    args.debug = debug
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    from ..utils.output_folders import command_name
    from ..utils.setting_names import note_deprecated_flags

    try:
        note_deprecated_flags(argv, command_name(args))  # an old name beside its setting's own is refused here
        with ExitStack() as stack:
            if getattr(args, "defaults", None) is not None:  # defaults that follow other flags (`data task-pack --out-dir`)
                args.defaults(args)
            _locks(args, stack)
            rc = args.func(args)
    except KeyboardInterrupt:
        print("picochat: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the boundary: one line for the user, traceback only when asked
        err = as_input_error(exc)
        if err is not None:
            print(f"picochat: error: {_one_line(str(err))}", file=sys.stderr)
            return 2
        if args.debug:
            traceback.print_exc()
        detail = _one_line(str(exc))
        print(f"picochat: internal error (a bug, please report it at {BUG_REPORT}): {type(exc).__name__}: {detail}"
              + ("" if args.debug else " (rerun with --debug for the traceback)"), file=sys.stderr)
        return 1
    return int(rc or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
