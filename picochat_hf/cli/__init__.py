"""`picochat` command line: a thin layer over the library.

Each module in this package that defines `register(subparsers)` adds one command group; the group's
handlers set `func` on their parser and return an exit code. Bad input (`PicochatInputError`) becomes one
line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from ..utils.errors import PicochatInputError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="picochat", description="An honest small-language-model factory on the HF stack.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        rc = args.func(args)
    except PicochatInputError as exc:
        print(f"picochat: error: {exc}", file=sys.stderr)
        return 2
    return int(rc or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
