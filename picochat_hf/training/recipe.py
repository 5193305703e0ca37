"""The recipes' entry (`recipes/sft.py`, `pretrain.py`, `dpo.py`): parse the config, run, and turn bad input into one
line on stderr and exit code 2, printed last; the --help epilog says what `accelerate launch` does with that code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from ..utils.errors import PicochatInputError
from .config import parse_config

EXIT_CODES = (
    "Exit codes: 0 done; 2 bad input or a blocked preflight, as one line on stderr, the last line printed; 1 a bug. "
    "accelerate launch passes no script's exit code through (accelerate 1.16 exits 1 for any failed child, in the "
    "single-process, multi-GPU and DeepSpeed launches alike) and, without its --quiet, prints its own traceback after "
    "that line: launch one process with `accelerate launch --quiet ...` to keep the line last (a multi-process launch "
    "adds torch's failure summary after it), or run `python recipes/<name>.py` (or `picochat train ...`) for exit code 2."
)


def run_recipe(config_cls: type, run: Callable[[Any], Any], argv: list[str] | None = None) -> None:
    """`run(parse_config(config_cls, argv))`; a `PicochatInputError` exits 2 after one line on stderr (stdout flushed
    first, so nothing buffered lands after that line in a combined log)."""
    try:
        run(parse_config(config_cls, argv, epilog=EXIT_CODES))
    except PicochatInputError as exc:  # bad input or a blocked preflight
        sys.stdout.flush()
        print(f"{sys.argv[0]}: error: {exc}", file=sys.stderr)
        sys.stderr.flush()
        sys.exit(2)
