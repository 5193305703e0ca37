"""Does an identity reply about one of the model's limits answer the limit it was asked about?

"Are you connected to the internet?" answered "I do not have access to that file, so I cannot say what it contains."
declines something, and the refusal phrases an identity-limit row requires are there, but it says nothing about the
internet: it answers another question. When the question names a topic of `asked_topics.yaml` (internet, images,
memory, clock), the reply must name that topic in at least one of the topic's words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..utils.yaml_text import load_yaml_text

TOPICS_YAML = Path(__file__).with_name("asked_topics.yaml")


@lru_cache(maxsize=1)
def _topics() -> dict[str, tuple[re.Pattern, re.Pattern]]:
    data = load_yaml_text(TOPICS_YAML.read_text(encoding="utf-8"))

    def alternation(phrases: list[str]) -> re.Pattern:
        words = sorted({p.lower() for p in phrases}, key=len, reverse=True)
        return re.compile(r"(?<![\w'’-])(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in words) + r")(?![\w'’-])")

    return {name: (alternation(spec["asked"]), alternation(spec["answered"])) for name, spec in data["topics"].items()}


def _plain(text: str) -> str:
    return text.lower().replace("’", "'")


def unanswered_topic(reply: str, prompt: str) -> str | None:
    """The topic the prompt asks about that the reply never names (None when it names each one, or none is asked)."""
    asked, said = _plain(prompt), _plain(reply)
    for name, (cue, words) in _topics().items():
        if cue.search(asked) and not words.search(said):
            return name
    return None
