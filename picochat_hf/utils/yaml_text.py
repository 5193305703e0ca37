"""YAML parsing for the package's settings files and users' configs.

PyYAML's pure-Python parser takes seconds on the scorer's lexicons (`scoring.yaml`), and the release gate re-reads
them for every report it re-judges. These helpers parse with libyaml's `CSafeLoader` where PyYAML was built with it
(the same safe constructors, about ten times faster) and remember the parse of each text, so a settings file read
once per report costs one parse per process. Callers get a fresh copy of the parsed data: a caller that edits its
copy cannot change what the next caller reads.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import yaml

SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MAX_DEPTH = 100  # nested collections; no settings file or config comes near (copying a parse recurses per level)


class YAMLNestingError(yaml.YAMLError):
    """A text nested deeper than `MAX_DEPTH`: libyaml's composer recurses in C per level, so 50,000 nested `[` crashed
    the process with a segmentation fault, and the pure-Python one raised RecursionError."""

    def __init__(self, mark: Any):
        super().__init__(f"YAML nested more than {MAX_DEPTH} collections deep")
        self.problem, self.problem_mark = str(self), mark


def _check_depth(text: str) -> None:
    """Walk the parser's events (an iterative state machine, in C with libyaml) and refuse a text nested too deeply
    before anything composes it. A malformed text is left to the load, which names its own problem."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YAMLNestingError(event.start_mark)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except YAMLNestingError:
        raise
    except yaml.YAMLError:
        return


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> Any:
    _check_depth(text)
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)


def load_yaml_text(text: str) -> Any:
    """`yaml.safe_load(text)`, with libyaml where available; raises `yaml.YAMLError` with its mark as safe_load does."""
    return copy.deepcopy(_parsed(text))


def compose_yaml_text(text: str) -> Any:
    """`yaml.compose(text)` (the node graph, with each node's line), with libyaml where available."""
    _check_depth(text)
    return yaml.compose(text, Loader=SAFE_LOADER)
