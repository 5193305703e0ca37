"""Where the format layer's data lives: `row_formats.yaml` (the ShareGPT speaker map, the Alpaca layout, message keys
that are read, dropped or refused, unrendered columns, blank characters), loaded once."""

from __future__ import annotations

import functools
from pathlib import Path

from ..utils.yaml_text import load_yaml_text

CHAT_ROLES = ("system", "user", "assistant", "tool")
FORMATS_FILE = Path(__file__).with_name("row_formats.yaml")


@functools.lru_cache(maxsize=1)
def format_spec() -> dict:
    """The ShareGPT role map and the Alpaca layout (`row_formats.yaml`)."""
    return load_yaml_text(FORMATS_FILE.read_text(encoding="utf-8"))

