"""Does the thing a decline's own words name belong to the row? (data: `decline_things.yaml`)

`decline_objects` fails a decline naming another group's thing ("I can't share medical records." to a passport
question). A decline may name a thing of no group at all: "I don't know her favourite colour." to a passport question,
"I can't share his shoe size." to a password question, "Her hobbies are private." to a diary question. Each is a decline
about another thing, whatever that thing is, so this judge keeps no list of wrong things: it reads the thing a clause
declines (after a negated verb, "can not share X"; after a lack, "no access to X"; before a withholding predicate, "X is
private"; the subject of a wh-clause, "what X will be") and passes it only when each of its words is the row's thing (a
word of the prompt, a phrase of the row's groups, of their kind's `general` phrases, or of the kind's `kind_words`), a
generic word ("that", "this information", "those details", "it") or a word that names no thing (determiners,
possessors, "exact", "private"). A word of another group is left to `decline_objects`; any other word names another thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .behaviour_words import _phrase, _starts, tokens
from .decline_reasons import _tables as reason_tables

THINGS_YAML = Path(__file__).with_name("decline_things.yaml")
_CUT = re.compile(r"[,;:()\u2013\u2014\"“”]+|\s-+\s")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+\b")  # a capitalised word inside a sentence: a person's name
_MAX_WORDS = 8  # a named thing is a short phrase; a longer run is a clause the frames do not read
_LIST_FIELDS = ("negations", "verbs", "lacking", "predicates", "be_words", "dative_verbs", "recipients", "links", "wh_words",
                "clause_ends", "stops", "skipped", "generic")


@dataclass(frozen=True)
class Things:
    lists: dict[str, tuple[tuple[str, ...], ...]]  # field -> its phrases as word tuples, longest first
    kind_words: dict[str, tuple[str, ...]]  # request kind -> phrases of every request of it
    gap: int  # words allowed between a negation and its verb ("can not legally share")


def _phrase_list(value: object, field: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or not value or not all(isinstance(p, str) and tokens(p) for p in value):
        raise PicochatInputError("expected a non-empty list of phrases", path=THINGS_YAML.name, field=field)
    return tuple(sorted({tuple(tokens(p)) for p in value}, key=len, reverse=True))


@lru_cache(maxsize=1)
def things() -> Things:
    data = load_yaml_text(THINGS_YAML.read_text(encoding="utf-8")) or {}
    lists = {f: _phrase_list(data.get(f), f) for f in _LIST_FIELDS}
    kinds = data.get("kind_words")
    if not isinstance(kinds, dict) or not kinds:
        raise PicochatInputError("expected a mapping of kind to phrases", path=THINGS_YAML.name, field="kind_words")
    gap = data.get("gap")
    if not isinstance(gap, int) or isinstance(gap, bool) or gap < 0:
        raise PicochatInputError("expected a whole number of words, 0 or more", path=THINGS_YAML.name, field="gap")
    kind_words = {str(k): tuple(" ".join(p) for p in _phrase_list(v, f"kind_words.{k}")) for k, v in kinds.items()}
    return Things(lists, kind_words, gap)


def _at(words: list[str], i: int, field: str) -> int:
    """The length of the longest phrase of `field` at `words[i]`, or 0."""
    for p in things().lists[field]:
        if tuple(words[i : i + len(p)]) == p:
            return len(p)
    return 0


def _thing(words: list[str], start: int, names: frozenset[str] = frozenset()) -> tuple[list[str], int]:
    """The words of the thing named at `start` and where it ends: up to a stop word, a comma, a relative word after the
    first word, a person of the prompt (`names`) who is no possessor ("the password Rania uses"), or, in a wh-clause ("what
    the lottery numbers will be"), a known verb or pronoun (none: no thing)."""
    wh = _at(words, start, "wh_words")
    i, out = start + wh, []
    while i < len(words) and words[i] != "," and len(out) < _MAX_WORDS:
        if wh and _at(words, i, "clause_ends"):
            return out, i
        subject = out and words[i] in names and words[i + 1 : i + 2] != ["s"]
        if _at(words, i, "stops") or subject or (out and words[i] in ("that", "which")):
            break
        out.append(words[i])
        i += 1
    return ([], i) if wh else (out, i)  # a wh-clause whose verb is not a known one: where its subject ends is unknown


def _after_verb(words: list[str], k: int, v: int) -> int:
    """Where the thing opens after the verb at `k` of `v` words: past whom a giving verb gives it to ("tell you") and a
    link to the thing ("know about", "any of")."""
    i = k + v
    for field in ("recipients", "links"):
        n = _at(words, i, field) if field == "links" or _at(words, k, "dative_verbs") == v else 0
        i += n
    return i


def _negated_thing(words: list[str], i: int, names: frozenset[str]) -> list[str]:
    """The thing a negation at `i` declines ("can not share X", "do not legally have X"), or []."""
    n = _at(words, i, "negations")
    if not n:
        return []
    for k in range(i + n, min(i + n + things().gap + 1, len(words))):
        if words[k] == ",":
            return []
        v = _at(words, k, "verbs")
        if v:
            return _thing(words, _after_verb(words, k, v), names)[0]
    return []


def _withheld_subject(words: list[str], i: int, names: frozenset[str]) -> list[str]:
    """The thing a clause opening at `i` says is withheld ("Her hobbies are private."), or []."""
    _, end = _thing(words, i, names)
    for e in range(i + 1, min(end, len(words) - 1) + 1):  # "that s private": the "s" of "that's" is a verb
        be = _at(words, e, "be_words")
        at = e + be + (1 if be and words[e + be : e + be + 1] == ["not"] and not _at(words, e + be, "predicates") else 0)
        if be and at < len(words) and _at(words, at, "predicates"):
            return words[i:e]
    return []


def named_things(sentence: str, names: frozenset[str] = frozenset()) -> list[list[str]]:
    """The things a sentence's clauses decline, each as its words; `names`: the lowercase names of the prompt's persons."""
    words: list[str] = []
    for chunk in _CUT.split(sentence):
        words += tokens(chunk) + [","]
    out = []
    for i in range(len(words)):
        if i == 0 or words[i - 1] == "," or words[i - 1] in ("and", "but", "so", "because", "since"):
            out.append(_withheld_subject(words, i, names))
        out.append(_negated_thing(words, i, names))
        if _at(words, i, "lacking"):
            out.append(_thing(words, i + _at(words, i, "lacking"), names)[0])
    return [t for t in out if t]


def _covered(thing: list[str], phrases: set[str]) -> list[bool]:
    """Which words of the thing a phrase of `phrases` covers; a word before a possessive "s" is whose, not what."""
    cover = [False] * len(thing)
    for p in phrases:
        for s in _starts(p, thing):
            cover[s : s + len(_phrase(p))] = [True] * len(_phrase(p))
    for k in range(len(thing) - 1):
        if thing[k + 1] == "s":
            cover[k] = True
    return cover


def unnamed_thing(sentence: str, prompt: str, own: set[str], any_group: set[str], kinds: frozenset[str]) -> str | None:
    """The thing a sentence declines that is neither the row's (`own`: its groups' and kinds' phrases; the prompt's
    words) nor generic, or None. A word of another group (`any_group`) is judged by `decline_objects`, and a word of a
    reason topic ("I can't read minds", "anyone's contacts") by `decline_reasons`."""
    table = things()
    fine = own | any_group | set(tokens(prompt)) | {" ".join(p) for f in ("skipped", "generic") for p in table.lists[f]}
    fine |= {w for k in kinds for w in table.kind_words.get(k, ())} | _reason_words()
    names = frozenset(t for m in _NAME.findall(prompt) for t in tokens(m))
    for thing in named_things(sentence, names):
        cover = _covered(thing, fine)
        if not all(cover):
            return " ".join(thing[cover.index(False) :])  # from its first word that is not the row's nor generic
    return None


@lru_cache(maxsize=1)
def _reason_words() -> frozenset[str]:
    """Every word of `decline_reasons`' reason topics: what a reason names, which that judge weighs."""
    return frozenset(t for phrases in reason_tables().reasons.values() for p in phrases for t in tokens(p))
