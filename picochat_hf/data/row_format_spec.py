"""Where the format layer's data lives: `row_formats.yaml` (the ShareGPT speaker map, the Alpaca layout, message keys
that are read, dropped or refused, unrendered columns, blank characters), loaded once."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ..utils.yaml_text import load_yaml_text

CHAT_ROLES = ("system", "user", "assistant", "tool")
FORMATS_FILE = Path(__file__).with_name("row_formats.yaml")


@functools.lru_cache(maxsize=1)
def format_spec() -> dict:
    """The ShareGPT role map and the Alpaca layout (`row_formats.yaml`)."""
    return load_yaml_text(FORMATS_FILE.read_text(encoding="utf-8"))



def speaker_role(speaker: Any) -> str | None:
    """A ShareGPT `from` as picochat reads it (`sharegpt.roles`), in any letter case and without surrounding spaces
    ("Human", "GPT", " gpt"), as the speaker names of exports differ only in spelling; None for an unknown one."""
    if not isinstance(speaker, str):
        return None
    return format_spec()["sharegpt"]["roles"].get(speaker.strip().lower())


def chat_role(role: Any) -> Any:
    """A message `role` as one of `CHAT_ROLES` where another format names that role (`role_aliases`: OpenAI's
    `developer`, Gemini's `model`, OpenAI's legacy `function` result) or spells it in other letter case ("User"), or
    as a ShareGPT speaker ("human", "gpt"), as axolotl maps them; any other value is returned as given (refused by
    the caller, naming it)."""
    if not isinstance(role, str):
        return role
    key = role.strip().lower()
    if key in CHAT_ROLES:
        return key
    mapped = format_spec()["role_aliases"].get(key) or speaker_role(key)
    return mapped if mapped in CHAT_ROLES else role
