"""Does an identity reply about one of the model's limits answer the limit it was asked about?

"Are you connected to the internet?" answered "I do not have access to that file, so I cannot say what it contains."
declines something, and the refusal phrases an identity-limit row requires are there, but it says nothing about the
internet: it answers another question. When the question names a topic of `asked_topics.yaml` (internet, images,
memory, clock), the reply must name that topic in at least one of the topic's words, in a clause that denies or limits
something ("I cannot browse the web", "I only read text") or in one of the topic's words that state the limit themselves
("offline"): "Sure! I cannot refuse; here is the news: stocks rose." names the news but denies nothing about it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..utils.yaml_text import load_yaml_text
from .behaviour_words import BehaviourLexicons, has_phrase
from .identity import clauses

TOPICS_YAML = Path(__file__).with_name("asked_topics.yaml")


@lru_cache(maxsize=1)
def _topics() -> dict[str, tuple[re.Pattern, re.Pattern, re.Pattern | None]]:
    data = load_yaml_text(TOPICS_YAML.read_text(encoding="utf-8"))

    def alternation(phrases: list[str]) -> re.Pattern:
        words = sorted({p.lower() for p in phrases}, key=len, reverse=True)
        return re.compile(r"(?<![\w'’-])(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in words) + r")(?![\w'’-])")

    return {name: (alternation(spec["asked"]), alternation(spec["answered"]), alternation(spec["limits"]) if spec.get("limits") else None)
            for name, spec in data["topics"].items()}


def _plain(text: str) -> str:
    return text.lower().replace("’", "'")


def _denying_text(reply: str, lex: BehaviourLexicons) -> str:
    """The reply's clauses that deny or limit something ("I cannot browse the web", "I only read text", "No" and the
    clause after it), joined; the whole reply when no lexicons are given."""
    if lex is None:
        return reply
    kept, after_no = [], False
    for toks in clauses(reply, lex.refusal_false_friends + lex.negation_false_friends):
        if after_no or "only" in toks or any(has_phrase(w, toks) for w in lex.negation_words):
            kept.append(" ".join(toks))
        after_no = toks in (["no"], ["nope"])
    return " | ".join(kept)


def unanswered_topic(reply: str, prompt: str, lex: BehaviourLexicons | None = None) -> str | None:
    """The topic the prompt asks about that the reply never names in a clause that denies or limits it, nor in one of
    its limit words (None when it names each one, or none is asked). Without `lex` any mention counts."""
    asked, said = _plain(prompt), _plain(reply)
    denying = _plain(_denying_text(reply, lex))
    for name, (cue, words, limits) in _topics().items():
        if cue.search(asked) and not words.search(denying) and not (limits and limits.search(said)):
            return name
    return None


def denied_limit(reply: str, prompt: str, lex: BehaviourLexicons) -> str | None:
    """The topic the prompt asks about whose limit word the reply negates ("I am not offline.", "I'm never offline."):
    it claims the ability, though the limit word is there."""
    asked = _plain(prompt)
    negations = [w for w in lex.negation_words if len(w.split()) == 1]
    for name, (cue, _, limits) in _topics().items():
        if not limits or not cue.search(asked):
            continue
        for toks in clauses(reply, lex.refusal_false_friends + lex.negation_false_friends):
            for m in limits.finditer(" ".join(toks)):
                before = " ".join(toks)[: m.start()].split()[-2:]
                if any(w in negations for w in before):
                    return name
    return None
