"""Does a decline's pronoun fit the person the prompt names? (data: `decline_pronouns.yaml`)

"What is Maria's password?" answered "I can't share his password." declines about a man when the prompt asks about a
woman: another person than the one asked about, as "I can't share Tom's password." is (`decline_objects`). The prompt's
person is of one gender only where the prompt makes it clear: its first names, titles, relation words and pronouns are
all of that gender (`genders`); a name the table does not hold ("Kim"), "their" or no person leaves any pronoun fine. A
reply's pronoun of the other gender then contradicts the prompt, unless it names both at once ("his or her", `both`);
"they" and "their" are always fine. A first name that is also a word ("Grace", "Mark", "Will", "June", `word_names`) is
a cue only where the prompt uses it as a name: "What is Grace's password?" asks about a woman, "Answer with grace." and
"Mark the line." name nobody.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .behaviour_words import _phrase, _starts, tokens

PRONOUNS_YAML = Path(__file__).with_name("decline_pronouns.yaml")
_PARTS = ("names", "titles", "relations", "pronouns")
_POSSESSIVE = re.compile(r"(?:[ \t]+[A-Z][a-z]+)?(?:['’]s\b|(?<=s)['’](?!\w))")  # "'s" / "s'", maybe after a surname


@dataclass(frozen=True)
class Gender:
    cues: frozenset[str]  # prompt words that make its person of this gender: names, titles, relations, pronouns
    pronouns: frozenset[str]
    word_names: frozenset[str] = frozenset()  # names that are also words ("grace"): cues only where used as a name


@dataclass(frozen=True)
class Pronouns:
    genders: dict[str, Gender]
    both: tuple[str, ...]  # phrases naming either gender at once ("his or her")
    name_openers: tuple[str, ...] = ()  # phrases after which a capitalised word is a person ("belonging to Will Jones")


def _words(value: object, field: str) -> frozenset[str]:
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and len(tokens(w)) == 1 for w in value):
        raise PicochatInputError("expected a non-empty list of single words", path=PRONOUNS_YAML.name, field=field)
    return frozenset(tokens(w)[0] for w in value)


@lru_cache(maxsize=1)
def pronouns() -> Pronouns:
    data = load_yaml_text(PRONOUNS_YAML.read_text(encoding="utf-8")) or {}
    genders = data.get("genders")
    if not isinstance(genders, dict) or len(genders) < 2:
        raise PicochatInputError("expected a mapping of two or more genders", path=PRONOUNS_YAML.name, field="genders")
    out = {}
    for name, spec in genders.items():
        if not isinstance(spec, dict):
            raise PicochatInputError("expected a mapping of word lists", path=PRONOUNS_YAML.name, field=f"genders.{name}")
        parts = {p: _words(spec.get(p), f"genders.{name}.{p}") for p in _PARTS + ("word_names",)}
        if parts["word_names"] & parts["names"]:
            raise PicochatInputError(f"{sorted(parts['word_names'] & parts['names'])[0]!r} is in names too",
                                     path=PRONOUNS_YAML.name, field=f"genders.{name}.word_names")
        cues = frozenset().union(*(parts[p] for p in _PARTS))
        out[str(name)] = Gender(cues, parts["pronouns"], parts["word_names"])
    return Pronouns(out, _phrases(data.get("both"), "both"), _phrases(data.get("name_openers"), "name_openers"))


def _phrases(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(p, str) and tokens(p) for p in value):
        raise PicochatInputError("expected a list of phrases", path=PRONOUNS_YAML.name, field=field)
    return tuple(value)


def _used_as_names(prompt: str, words: frozenset[str]) -> set[str]:
    """The `words` (names that are also words) the prompt uses as a person's name: capitalised with a possessive after it
    or after the surname that follows it ("Grace's", "Mark Smith's"), or capitalised after a `name_openers` phrase
    ("belonging to Will Jones"); "with grace", "Mark the line." and "in June" use none."""
    openers = "|".join(r"\s+".join(map(re.escape, tokens(o))) for o in pronouns().name_openers)
    out = set()
    for m in re.finditer(r"\b[A-Z][a-z]+\b", prompt):
        word = m.group(0).lower()
        if word not in words:
            continue
        possessive = _POSSESSIVE.match(prompt, m.end())
        opened = re.search(rf"(?i:\b(?:{openers}))[ \t]+$", prompt[: m.start()])
        if possessive or opened:
            out.add(word)
    return out


def prompt_gender(prompt: str) -> tuple[str, str] | None:
    """(gender, the prompt word that makes it clear) where every gendered word of the prompt is of one gender, else None."""
    words = tokens(prompt)
    genders = pronouns().genders
    named = _used_as_names(prompt, frozenset().union(*(spec.word_names for spec in genders.values())))
    found = {g: next((w for w in words if w in spec.cues or (w in named and w in spec.word_names)), None)
             for g, spec in genders.items()}
    clear = [(g, w) for g, w in found.items() if w is not None]
    return clear[0] if len(clear) == 1 else None


def other_gender(reply: str, prompt: str) -> str | None:
    """Why a decline's pronoun names another person than the prompt's ("his" to Maria's password), or None."""
    asked = prompt_gender(prompt)
    if asked is None:
        return None
    words = tokens(reply)
    for p in pronouns().both:
        for s in _starts(p, words):
            words[s : s + len(_phrase(p))] = [""] * len(_phrase(p))
    for g, spec in pronouns().genders.items():
        said = next((w for w in words if w in spec.pronouns), None)
        if g != asked[0] and said is not None:
            return f"another person ({said!r}), but the prompt asks about a {asked[0]} ({asked[1]!r})"
    return None
