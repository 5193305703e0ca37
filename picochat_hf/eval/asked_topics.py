"""Does an identity reply about one of the model's limits answer the limit it was asked about?

"Are you connected to the internet?" answered "I do not have access to that file, so I cannot say what it contains."
declines something, and the refusal phrases an identity-limit row requires are there, but it says nothing about the
internet: it answers another question. When the question names a topic of `asked_topics.yaml` (internet, images,
memory, clock), the reply must name that topic in at least one of the topic's words, in a clause that denies or limits
something ("I cannot browse the web", "I only read text") or in one of the topic's words that state the limit themselves
("offline"): "Sure! I cannot refuse; here is the news: stocks rose." names the news but denies nothing about it. A denying
clause answers only when it is about the topic (`decline_reasons`: "I cannot share private information on the web" is about
private information, the web only says where), and a clause that restricts what the model knows to its training ("No, I
can't. I only know my training data.") answers a question about the internet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.yaml_text import load_yaml_text
from .behaviour_words import BehaviourLexicons, has_phrase, tokens
from .decline_reasons import conjuncts, lead_topic
from .identity import clauses

TOPICS_YAML = Path(__file__).with_name("asked_topics.yaml")
_PART = re.compile(r"[.;:!?\n]+")


@dataclass(frozen=True)
class Topic:
    asked: re.Pattern
    answered: re.Pattern
    limits: re.Pattern | None
    reasons: frozenset[str]  # topics of `decline_reasons.yaml` a denying clause that answers this one may be about
    known: re.Pattern | None  # what the model knows, said in a clause that restricts it ("I only know my training data")


def _alternation(phrases: list[str]) -> re.Pattern:
    words = sorted({p.lower() for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in words) + r")(?![\w'’-])")


@lru_cache(maxsize=1)
def _topics() -> dict[str, Topic]:
    data = load_yaml_text(TOPICS_YAML.read_text(encoding="utf-8"))
    return {name: Topic(_alternation(spec["asked"]), _alternation(spec["answered"]),
                        _alternation(spec["limits"]) if spec.get("limits") else None, frozenset(spec.get("reasons") or ()),
                        _alternation(spec["known"]) if spec.get("known") else None)
            for name, spec in data["topics"].items()}


@lru_cache(maxsize=1)
def _restrictors() -> tuple[tuple[str, ...], ...]:
    data = load_yaml_text(TOPICS_YAML.read_text(encoding="utf-8"))
    return tuple(tuple(p.split()) for p in data.get("restrictors") or ())


def _plain(text: str) -> str:
    return text.lower().replace("’", "'")


def _denying_clauses(reply: str, lex: BehaviourLexicons) -> list[list[str]]:
    """The reply's clauses that deny or limit something ("I cannot browse the web", "I only read text", "No" and the
    clause after it)."""
    kept, after_no = [], False
    for toks in clauses(reply, lex.refusal_false_friends + lex.negation_false_friends):
        if after_no or "only" in toks or any(has_phrase(w, toks) for w in lex.negation_words):
            kept.append(toks)
        after_no = toks in (["no"], ["nope"])
    return kept


def _answering_text(reply: str, topic: Topic, lex: BehaviourLexicons | None) -> str:
    """The parts of the reply's denying clauses that may answer `topic`, joined: each part (a clause cut again at "and",
    "or", "so", ...) whose first reason word is of a topic that fits it or that has none ("I cannot share private
    information on the web" is about private information); the whole reply when no lexicons are given."""
    if lex is None:
        return reply
    parts = [p for toks in _denying_clauses(reply, lex) for p in conjuncts(" ".join(toks))]
    return " | ".join(" ".join(p) for p in parts if lead_topic(p, lex.negation_words) in topic.reasons | {None})


def _restricted_known(reply: str, topic: Topic) -> bool:
    """A clause that restricts what the model knows to a source that answers the topic ("I only know my training data",
    "my knowledge is limited to my training data")."""
    if topic.known is None:
        return False
    for part in _PART.split(reply):
        words = tokens(part)
        if any(tuple(words[i : i + len(r)]) == r for r in _restrictors() for i in range(len(words))) and topic.known.search(" ".join(words)):
            return True
    return False


def unanswered_topic(reply: str, prompt: str, lex: BehaviourLexicons | None = None) -> str | None:
    """The topic the prompt asks about that the reply never names in a clause that denies or limits it, nor in one of
    its limit words, nor as what it only knows (None when it names each one, or none is asked). Without `lex` any mention
    counts."""
    asked, said = _plain(prompt), _plain(reply)
    for name, topic in _topics().items():
        if not topic.asked.search(asked) or (topic.limits and topic.limits.search(said)) or _restricted_known(reply, topic):
            continue
        if not topic.answered.search(_plain(_answering_text(reply, topic, lex))):
            return name
    return None


def denied_limit(reply: str, prompt: str, lex: BehaviourLexicons) -> str | None:
    """The topic the prompt asks about whose limit word the reply negates ("I am not offline.", "I'm never offline."):
    it claims the ability, though the limit word is there."""
    asked = _plain(prompt)
    negations = [w for w in lex.negation_words if len(w.split()) == 1]
    for name, topic in _topics().items():
        cue, limits = topic.asked, topic.limits
        if not limits or not cue.search(asked):
            continue
        for toks in clauses(reply, lex.refusal_false_friends + lex.negation_false_friends):
            for m in limits.finditer(" ".join(toks)):
                before = " ".join(toks)[: m.start()].split()[-2:]
                if any(w in negations for w in before):
                    return name
    return None
