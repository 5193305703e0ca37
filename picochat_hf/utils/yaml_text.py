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


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> Any:
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)


def load_yaml_text(text: str) -> Any:
    """`yaml.safe_load(text)`, with libyaml where available; raises `yaml.YAMLError` with its mark as safe_load does."""
    return copy.deepcopy(_parsed(text))


def compose_yaml_text(text: str) -> Any:
    """`yaml.compose(text)` (the node graph, with each node's line), with libyaml where available."""
    return yaml.compose(text, Loader=SAFE_LOADER)
