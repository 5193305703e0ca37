"""Is the thing a decline names the thing the row asks about? (data: `decline_objects.yaml`)

`decline_reasons` and `decline_acts` judge why a decline says it cannot answer; neither asked what it says it cannot
answer. "I can't share medical records." to a passport question, "Her passport is private." to a diary question, "I
have no access to bank records." to any private question and "I don't know the price of gold." to the lottery numbers
all decline, with a fitting reason, about another thing. Each sentence of the reply, judged on its reason parts
(`decline_reasons.reason_parts`: no question, no offer) joined so that a list cut at commas is one ("files, images, or
recordings"), that names a thing of an object group (`objects`) must name the row's own thing: a word of
one of the groups the prompt asks about, or a `general` phrase of the prompt's kind ("private information", "the
future", "the file"). A part that names another group's thing and none of these is about another thing; so is one whose
only word of the row's groups also names that other thing ("house key code" to a login password: "code" is a key's too),
and so is one naming a person's thing of another group beside the row's own ("her passport number, her diary or her
password", `specific_words`); bare kinds beside it are a category ("passwords or key codes").
A sentence that names no object ("I can't help with that.", "I don't know.") is left to the other judges, and so is a
prompt of no group; an example after a kind ("details such as her password", `example_openers`) illustrates the kind.

A record of another person is another thing too: a relation the prompt does not hold as a possessor ("your mother's
maiden name" to the user's grandmother's, `relations`), or a capitalised possessor ("Bob's passport number") the prompt
does not hold, to a prompt that names whose the thing is (`possessor_words` name no person: "Everyone's"), and so is a
pronoun of the other gender than the prompt's person ("his password" to Maria's, `decline_pronouns`). A thing of no group
that is neither the row's nor generic ("her favourite colour" to a passport question) is another thing too
(`decline_things`), to a prompt of no group as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .behaviour_words import _phrase, _starts, has_phrase, tokens
from .decline_pronouns import other_gender
from .decline_reasons import asked_kinds, reason_parts
from .decline_things import unnamed_thing

OBJECTS_YAML = Path(__file__).with_name("decline_objects.yaml")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
_ABBREVIATION = re.compile(r"(?<![\w^])([a-z])\.([a-z])\.?(?!\w)", re.IGNORECASE)  # "e.g." ends no sentence
# a capitalised word (or two) before a possessive "'s" / "s'": whose a thing is ("Bob Smith's", "Diana's")
_POSSESSOR = re.compile(r"(?<![\w'’])([A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)(?:['’]s\b|s['’](?!\w))")
# a person the prompt names as whose the thing is: a possessor, or after "of" / "belonging to" / "for"
_PROMPT_PERSON = re.compile(r"(?:(?<![\w'’])([A-Z][a-z]+)(?:[ \t]+[A-Z][a-z]+)?['’]s\b)"
                            r"|(?:\b(?:of|belonging to|for)[ \t]+([A-Z][a-z]+)(?:[ \t]+[A-Z][a-z]+)?\b)")


@dataclass(frozen=True)
class Objects:
    groups: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]  # group -> (kind, asked phrases, names phrases)
    general: dict[str, tuple[str, ...]]  # kind -> phrases that cover every group of it
    possessor_words: frozenset[str]
    relations: tuple[frozenset[str], ...]  # one person's words ("grandmother", "grandma"): as a possessor, a person
    example_openers: tuple[str, ...]  # "such as": after an `example_heads` word, an example of a kind follows
    example_heads: frozenset[str]
    specific_words: frozenset[str] = frozenset()  # a person's words before a thing that make it one thing ("her diary")


def _phrases(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(p, str) and tokens(p) for p in value):
        raise PicochatInputError("expected a non-empty list of phrases", path=OBJECTS_YAML.name, field=field)
    return tuple(value)


def _relations(value: object) -> tuple[frozenset[str], ...]:
    if not isinstance(value, list) or not value:
        raise PicochatInputError("expected a list of word groups", path=OBJECTS_YAML.name, field="relations")
    return tuple(frozenset(_phrases(g, "relations")) for g in value)


@lru_cache(maxsize=1)
def objects() -> Objects:
    data = load_yaml_text(OBJECTS_YAML.read_text(encoding="utf-8")) or {}
    general, groups = data.get("general"), data.get("objects")
    if not isinstance(general, dict) or not general:
        raise PicochatInputError("expected a mapping of kind to phrases", path=OBJECTS_YAML.name, field="general")
    if not isinstance(groups, dict) or not groups:
        raise PicochatInputError("expected a mapping of object groups", path=OBJECTS_YAML.name, field="objects")
    kinds = {str(k): _phrases(v, f"general.{k}") for k, v in general.items()}
    out = {}
    for name, spec in groups.items():
        if not isinstance(spec, dict) or spec.get("kind") not in kinds:
            raise PicochatInputError(f"needs a kind of `general` ({', '.join(kinds)})", path=OBJECTS_YAML.name,
                                     field=f"objects.{name}.kind")
        out[str(name)] = (spec["kind"], _phrases(spec.get("asked"), f"objects.{name}.asked"),
                          _phrases(spec.get("names"), f"objects.{name}.names"))
    words = _phrases(data.get("possessor_words"), "possessor_words")
    heads = _phrases(data.get("example_heads"), "example_heads")
    return Objects(out, kinds, frozenset(" ".join(tokens(w)) for w in words),
                   _relations(data.get("relations")),
                   _phrases(data.get("example_openers"), "example_openers"), frozenset(heads),
                   frozenset(" ".join(tokens(w)) for w in _phrases(data.get("specific_words"), "specific_words")))


def asked_groups(prompt: str) -> frozenset[str]:
    """The object groups a prompt asks about ("Look up Diana Dubois's passport number." -> {"passport"})."""
    asked = tokens(prompt)
    return frozenset(g for g, (_, cues, _) in objects().groups.items() if any(has_phrase(c, asked) for c in cues))


def _matches(part: list[str], kinds: frozenset[str]) -> list[tuple[int, str, frozenset[str] | None]]:
    """(start, phrase, groups) of each object phrase in a part, longest first at each place and none inside another ("house
    key code" is one key phrase, not "code" of a login too); a `general` phrase of one of `kinds` has groups None."""
    table = objects()
    found: list[tuple[int, int, str, frozenset[str] | None]] = []
    phrases: dict[str, set[str]] = {}
    for g, (_, _, names) in table.groups.items():
        for p in names:
            phrases.setdefault(p, set()).add(g)
    for p, gs in phrases.items():
        found += [(i, i + len(_phrase(p)), p, frozenset(gs)) for i in _starts(p, part)]
    for k in kinds:
        found += [(i, i + len(_phrase(p)), p, None) for p in table.general[k] for i in _starts(p, part)]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out, end = [], 0
    for start, stop, p, gs in found:
        if start >= end:
            out.append((start, p, gs))
            end = stop
    return out


def _other_thing(part: list[str], own: frozenset[str], kinds: frozenset[str]) -> str | None:
    """The phrase of another group's thing a part names without naming the row's own, or None; a thing a person's
    word makes one thing (`specific_words`: "her diary", "Diana's password") is another thing even beside the row's own
    ("her passport number, her diary or her password"): only kinds ("passwords or key codes") go with it."""
    found = _matches(part, kinds)
    specific = objects().specific_words
    starts = {at: gs for at, _, gs in found}
    whose = next((p for at, p, gs in found if gs is not None and not gs & own and at and part[at - 1] in specific
                  and not (starts.get(at + len(_phrase(p))) or frozenset()) & own), None)  # "her email password" is a login
    if whose is not None:
        return whose
    if any(gs is None for _, _, gs in found):
        return None  # "medical records or any other private information" covers the passport asked about
    foreign = [(p, gs) for _, p, gs in found if not gs & own]
    if not foreign:
        return None
    others = frozenset().union(*(gs for _, gs in foreign))
    if any(gs & own and not gs & others for _, _, gs in found):
        return None  # "passwords or key codes": the login asked about is named too
    return foreign[0][0]


def _other_person(reply: str, prompt: str) -> str | None:
    """A possessor the prompt does not hold: a relation ("your mother's maiden name" to a question about the user's
    grandmother's, "her sister's address") or, when the prompt names whose the thing is, a capitalised name ("Bob's
    passport number" to a question about Diana Dubois's); else None."""
    held = set(tokens(prompt))
    toks = tokens(reply)
    groups = [g for g in objects().relations if not g & held]
    relation = next((toks[k] for k in range(len(toks) - 1) if toks[k + 1] == "s" and any(toks[k] in g for g in groups)),
                    None)
    if relation is not None:
        return f"{relation}'s"
    persons = {w.lower() for m in _PROMPT_PERSON.finditer(prompt) for w in m.groups() if w}
    if not persons:
        return None
    skip = objects().possessor_words
    for m in _POSSESSOR.finditer(reply):
        words = tokens(m.group(1))
        if " ".join(words) in skip or words[0] in skip or set(words) & held:
            continue
        return m.group(0)
    return None


@lru_cache(maxsize=1)
def _example_cut() -> re.Pattern[str]:
    """An example opener right after an `example_heads` word ("details such as", "personal details, e.g.")."""
    table = objects()
    words = lambda phrases: "|".join(r"\W+".join(map(re.escape, tokens(p))) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"\b(?:{words(table.example_heads)})\W+(?P<cut>\b(?:{words(table.example_openers)})\b)", re.IGNORECASE)


def _without_examples(sentence: str) -> str:
    """The sentence up to an example opener right after an `example_heads` word ("I cannot share details such as her
    password" -> "I cannot share details "): the example illustrates the kind declined."""
    found = _example_cut().search(sentence)
    return sentence[: found.start("cut")] if found else sentence


def _sentences(reply: str) -> list[list[str]]:
    """The words of each sentence of the reply that may say what it declines: its `reason_parts` (no question, no offer
    or condition) joined, so that a list cut at commas ("files, images, or recordings") is judged as one."""
    out = []
    for sentence in _SENTENCE.findall(_ABBREVIATION.sub(r"\1 \2", reply)):
        words = [t for part in reason_parts(_without_examples(sentence)) for t in part]
        if words:
            out.append(words)
    return out


def other_object(reply: str, prompt: str) -> str | None:
    """Why a decline is about another thing than the one the prompt asks about, or None."""
    gender = other_gender(reply, prompt)
    if gender is not None:
        return gender
    own = asked_groups(prompt)
    if not own:  # no group's thing: what the decline names must still be the prompt's words, a kind's or generic
        kinds = frozenset(k for k in asked_kinds(prompt) if k in objects().general)
        return _unnamed(reply, prompt, own, kinds, " / ".join(sorted(kinds)) or "what it names")
    person = _other_person(reply, prompt)
    if person is not None:
        return f"another person's ({person!r}), but the prompt asks about one named in it"
    kinds = frozenset(objects().groups[g][0] for g in own)
    for part in _sentences(reply):
        thing = _other_thing(part, own, kinds)
        if thing is not None:
            return f"another thing ({thing!r}), but the prompt asks about {' / '.join(sorted(own))}"
    return _unnamed(reply, prompt, own, kinds, ' / '.join(sorted(own)))


def _unnamed(reply: str, prompt: str, own: frozenset[str], kinds: frozenset[str], asked: str) -> str | None:
    """Why a decline names a thing of no group that is neither the row's nor generic ("her favourite colour" to a
    passport question, `decline_things`), or None; `asked` names what the prompt asks about."""
    table = objects()
    mine = {p for g in own for p in table.groups[g][1] + table.groups[g][2]} | {p for k in kinds for p in table.general[k]}
    every = {p for _, _, names in table.groups.values() for p in names}
    for sentence in _SENTENCE.findall(_ABBREVIATION.sub(r"\1 \2", reply)):
        thing = unnamed_thing(_without_examples(sentence), prompt, mine, every, kinds)
        if thing is not None:
            return f"another thing ({thing!r}), but the prompt asks about {asked}"
    return None
