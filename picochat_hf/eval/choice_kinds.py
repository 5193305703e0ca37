"""A reason that puts the chosen option among another kind than the one the question asks for (data: `choice_kinds.yaml`).

"Which option names a animal?" asks for an animal; "B, but deer is a plant.", "B because deer are planets", "B: a deer is
a kind of furniture", "B. It's a vehicle." and "B (a plant)." give the right letter with a reason that calls its option a
thing of another kind: a false claim, so the letter is not chosen for the asked reason. The kinds a question asks for are
the task pack's own categories (`data.skills.choice.CATEGORIES`), named as `choice_kinds.yaml` groups them. Kinds form a
hierarchy (`parents`): a thing of a kind is a thing of its parent ("apple is a plant"), and no thing of a kind beside it
("apple is a vegetable", "deer is a bird"). A claim stands when the pack lists the option's text under the claimed kind
or a kind below it ("orange" is a fruit and a color), or the YAML's `members` and `overlaps` do ("kiwi" is a bird too).

Only the first kind after the link is read: "deer is an animal, not a plant" claims an animal. A negated claim ("deer is
not a plant") or a kind word inside a longer phrase ("a plant-eating animal", "a plant eater") claims no kind.
`claim_holds` and `kind_claim_at` check the same claims about the other options (`choice_claims`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .choice_stance import _subjects, stem
from .reply_text import MARKDOWN, phrase_alternation

KINDS_YAML = Path(__file__).with_name("choice_kinds.yaml")


@dataclass(frozen=True)
class KindWords:
    """`choice_kinds.yaml`, with the pack's categories: `names` maps each name to its kind, `members` each kind to the
    option texts listed under it."""

    names: dict[str, str]
    members: dict[str, frozenset[str]]
    parents: dict[str, str]
    links: tuple[str, ...]
    skips: tuple[str, ...]
    ends: tuple[str, ...]


def _strings(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PicochatInputError("expected a list of non-empty strings", path=str(KINDS_YAML), field=field)
    return tuple(v.lower() for v in value)


def _mapping(value: object, field: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise PicochatInputError("expected a mapping of names to lists of strings", path=str(KINDS_YAML), field=field)
    return {str(k).lower(): _strings(v, f"{field}.{k}") for k, v in value.items()}


@lru_cache(maxsize=1)
def kind_words() -> KindWords:
    from ..data.skills.choice import CATEGORIES  # the pack's categories: the kinds its questions ask for

    data = load_yaml_text(KINDS_YAML.read_text(encoding="utf-8")) or {}
    kinds = _mapping(data.get("kinds"), "kinds")
    names = {name: kind for kind, phrases in kinds.items() for name in phrases + (kind,)}
    members: dict[str, set[str]] = {}
    for category, words in CATEGORIES.items():
        kind = names.setdefault(category.lower(), category.lower())
        members.setdefault(kind, set()).update(w.lower() for w in words)
    for kind, words_of in _mapping(data.get("members", {}), "members").items():
        members.setdefault(names.get(kind, kind), set()).update(words_of)
    for word, claimed in _mapping(data.get("overlaps"), "overlaps").items():
        for name in claimed:
            members.setdefault(names.get(name, name), set()).add(word)
    parents = _parents(data.get("parents", {}), set(names.values()))
    for kind in list(members):  # a thing of a kind is a thing of every kind above it
        for above in _chain(kind, parents)[1:]:
            members.setdefault(above, set()).update(members[kind])
    return KindWords(names, {k: frozenset(v) for k, v in members.items()}, parents, _strings(data.get("claim_links"), "claim_links"),
                     _strings(data.get("claim_skips"), "claim_skips"), _strings(data.get("claim_ends"), "claim_ends"))


def _parents(value: object, kinds: set[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise PicochatInputError("expected a mapping of kinds to their parent kinds", path=str(KINDS_YAML), field="parents")
    out = {str(k).lower(): str(v).lower() for k, v in value.items()}
    for kind, parent in out.items():
        if kind not in kinds or parent not in kinds:
            raise PicochatInputError(f"{kind!r} or {parent!r} is no kind named under kinds", path=str(KINDS_YAML), field=f"parents.{kind}")
        if kind in _chain(parent, out):
            raise PicochatInputError(f"{kind!r} is its own parent's ancestor", path=str(KINDS_YAML), field=f"parents.{kind}")
    return out


def _chain(kind: str, parents: dict[str, str]) -> list[str]:
    """The kind and the kinds above it, nearest first."""
    out = [kind]
    while parents.get(out[-1]) and parents[out[-1]] not in out:
        out.append(parents[out[-1]])
    return out


def claim_holds(text: str, kind: str, asked: str | None, is_key: bool) -> bool | None:
    """Whether calling option `text` a thing of `kind` is true: the pack lists it there (or below), or it is the key
    and `kind` is the asked kind or above it. False when it is the key and `kind` is beside the asked kind, or the pack
    knows the text but not under `kind`; None when nothing says (an unlisted text)."""
    words, own = kind_words(), text.strip().lower()
    if own in words.members.get(kind, frozenset()):
        return True
    if is_key and asked is not None:
        if kind in _chain(asked, words.parents):
            return True
        if asked not in _chain(kind, words.parents):
            return False
    return False if any(own in m for m in words.members.values()) else None


def under(kind: str, asked: str) -> bool:
    """Whether `kind` is the asked kind or a kind below it: calling an option so says it answers the question."""
    return asked in _chain(kind, kind_words().parents)


def kind_claim_at(s: str, end: int) -> tuple[int, str] | None:
    """(where the claim ends, the kind claimed) for a kind claimed right after a subject ending at `end`."""
    m = _claim_pattern().match(s, end)
    if m is None:
        return None
    words = kind_words()
    name = re.sub(r"\s+", " ", m.group(1).lower())
    kind = words.names.get(name) or next((k for n, k in words.names.items() if re.fullmatch(_plural_of(n), name)), None)
    return (m.end(), kind) if kind else None


def asked_kind(terms: tuple[str, ...]) -> str | None:
    """The kind a question asks for: the one with the longest name whose words are all among its `terms`."""
    have = set(terms)
    hits = [(len(name), kind) for name, kind in kind_words().names.items()
            if {stem(w) for w in name.split() if w != "of"} <= have]
    return max(hits)[1] if hits else None


@lru_cache(maxsize=1)
def _claim_pattern() -> re.Pattern:
    words = kind_words()
    kinds = "|".join(_plural_of(n) for n in sorted(words.names, key=len, reverse=True))
    links = "|".join(r"\s*" + re.escape(w) if not w[:1].isalnum() else r"\s+" + phrase_alternation((w,)) for w in words.links)
    return re.compile(r"[)\"'’]*(?:" + links.replace("'", "['’]") + r")\s*(?:(?:" + phrase_alternation(words.skips) + r")\s+)*(" + kinds
                      + r")(?![\w'’\-])(?=\s*(?:[.,;:!)\n]|$|(?:" + phrase_alternation(words.ends) + r")))", re.IGNORECASE)


def misplaced_kind(text: str, gold: str, labels: list[str], choices: list[str] | None, terms: tuple[str, ...]) -> tuple[str, str, str] | None:
    """(the claim, the kind claimed, the kind asked) for a reason that calls the chosen option a thing of another kind
    ("deer is a plant" asked for an animal), None when there is none."""
    asked = asked_kind(terms) if terms else None
    if asked is None or not choices or labels.index(gold) >= len(choices):
        return None
    own = choices[labels.index(gold)].strip().lower()
    s = MARKDOWN.sub("", text)
    plural = r"(?<![A-Za-z0-9])" + re.escape(own).replace(r"\ ", r"\s+") + r"(?:s|es)(?![A-Za-z0-9])"  # "flutes are vehicles"
    subjects = _subjects(s, gold, labels, choices) + [m.span() for m in re.finditer(plural, s, re.IGNORECASE)]
    for start, end in sorted(subjects):
        claim = kind_claim_at(s, end)
        if claim and claim_holds(own, claim[1], asked, True) is False:
            return re.sub(r"\s+", " ", s[start : claim[0]]), claim[1], asked
    return None


def _plural_of(name: str) -> str:
    """A kind's name with each word maybe plural ("planets", "pieces of furniture")."""
    return r"\s+".join(re.escape(w) + r"(?:s|es)?" for w in name.split())
