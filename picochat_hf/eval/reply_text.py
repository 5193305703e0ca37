"""Text helpers every answer judge shares: the comparable form of a reply and whether it asks instead of states."""

from __future__ import annotations

import re

STRIP = " \t\r\n\"'`.,;:!?()[]{}*_“”‘’«»"  # typographic quotes as well as ASCII ones
MARKDOWN = re.compile(r"[*_`]+")


def clean(text: str) -> str:
    """Lowercase, no markdown emphasis, collapsed whitespace, no surrounding quotes or punctuation."""
    s = MARKDOWN.sub("", text)
    return re.sub(r"\s+", " ", s.strip().lower()).strip(STRIP)


def asked(text: str) -> bool:
    """The reply ends in a question mark: it asks about an answer instead of stating it ("r?", "Is it B?")."""
    return MARKDOWN.sub("", text).rstrip(" \t\r\n\"'`)]").endswith("?")
