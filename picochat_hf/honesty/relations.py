"""What a question asks about its entities: its relation words read as one relation (`relations.yaml`).

Two questions naming the same entity ask the same thing only when they ask the same relation of it. The question
reader compares content words; a synonym would count as a different word ('Opposite of "lose"' for the item asking
the antonym of "lose", "Moby-Dick author" for "Who wrote Moby-Dick?"), so each relation phrase is read as its
relation's name on both sides. A question naming only relations the item does not ask ("Largest city of Serbia?"
for "The capital of Serbia is which city?") asks something else, whatever its answer: the same answer text for
another relation is a fact about the entity, not a copy of the item; so is a reply labelling the answer with another
relation only ("Serbia facts?" -> "Largest city: Belgrade."). Other synonyms ("km" for "kilometers") are read
as one word too, without that rule.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .normalize import words
from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text

_FILE = "relations.yaml"
_SECTIONS = {"relations", "synonyms", "person_questions", "inflections", "inflection_min_stem", "unit_abbreviations",
             "unit_abbreviation_after", "reply_label_words"}


@lru_cache(maxsize=1)
def _phrases() -> dict[tuple[str, ...], str]:
    """Every relation phrase as normalised words with its relation's name ("<antonym>"), and every synonym with its
    word's ("~kilometer")."""
    data = load_yaml_text(resources.files(__package__).joinpath(_FILE).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or set(data) - _SECTIONS:
        raise PicochatInputError(f"expected only the sections {sorted(_SECTIONS)}", path=_FILE)
    out: dict[tuple[str, ...], str] = {}
    for section, mark in (("synonyms", "~{}"), ("relations", "<{}>")):
        for name, phrases in (data.get(section) or {}).items():
            if not isinstance(phrases, list) or not all(isinstance(p, str) and words(p) for p in phrases):
                raise PicochatInputError("expected a list of phrases", path=_FILE, field=f"{section}.{name}")
            out.update({tuple(words(p)): mark.format(name) for p in phrases})
    return out


@lru_cache(maxsize=1)
def _inflections() -> tuple[tuple[str, ...], dict[str, str]]:
    """(the endings, {stem: relation name}) for the one-word relation phrases (`inflections` in the YAML)."""
    data = load_yaml_text(resources.files(__package__).joinpath(_FILE).read_text(encoding="utf-8")) or {}
    endings, least = data.get("inflections") or [], data.get("inflection_min_stem", 5)
    if not isinstance(endings, list) or not all(isinstance(e, str) and e.isalpha() for e in endings):
        raise PicochatInputError("expected a list of word endings", path=_FILE, field="inflections")
    if not isinstance(least, int) or isinstance(least, bool) or least < 3:
        raise PicochatInputError("expected a whole number of at least 3", path=_FILE, field="inflection_min_stem")
    endings = tuple(sorted({e.casefold() for e in endings}, key=len, reverse=True))
    stems: dict[str, str] = {}
    for phrase, name in _phrases().items():
        if len(phrase) == 1 and name.startswith("<"):  # relations only: "literal" is no "liter"
            for stem in {phrase[0], *_stems(phrase[0], endings)}:
                if len(stem) >= least:
                    stems.setdefault(stem, name)
    return endings, stems


def _stems(word: str, endings: tuple[str, ...]) -> list[str]:
    return [word[: -len(e)] for e in endings if word.endswith(e) and len(word) > len(e)]


def _inflected(word: str) -> str | None:
    """The relation name of a word sharing a one-word relation phrase's stem through an ending ("antonymous")."""
    endings, stems = _inflections()
    return next((stems[s] for s in _stems(word, endings) if s in stems), None)


@lru_cache(maxsize=1)
def _units() -> tuple[dict[str, str], frozenset[str]]:
    """({one-letter abbreviation: "~unit"}, the words after which one is read as its unit)."""
    data = load_yaml_text(resources.files(__package__).joinpath(_FILE).read_text(encoding="utf-8")) or {}
    units, after = data.get("unit_abbreviations") or {}, data.get("unit_abbreviation_after") or []
    out: dict[str, str] = {}
    for name, marks in units.items():
        if not isinstance(marks, list) or not all(isinstance(m, str) and len(words(m)) == 1 for m in marks):
            raise PicochatInputError("expected a list of one-word abbreviations", path=_FILE, field=f"unit_abbreviations.{name}")
        out.update({words(m)[0]: f"~{name}" for m in marks})
    if not isinstance(after, list) or not all(isinstance(w, str) and len(words(w)) == 1 for w in after):
        raise PicochatInputError("expected a list of words", path=_FILE, field="unit_abbreviation_after")
    return out, frozenset(words(w)[0] for w in after)


def _unit(ws: tuple[str, ...], i: int) -> str | None:
    """The unit a one-letter abbreviation names after a number or a conversion word ("7 km in m"), else None."""
    units, after = _units()
    return units.get(ws[i]) if i and (ws[i - 1].isdigit() or ws[i - 1] in after) else None


@lru_cache(maxsize=1)
def _person_marks() -> frozenset[str]:
    """The question words and relation names ("<author>") that ask for a person."""
    data = load_yaml_text(resources.files(__package__).joinpath(_FILE).read_text(encoding="utf-8")) or {}
    marks = data.get("person_questions") or []
    if not isinstance(marks, list) or not all(isinstance(m, str) and m.strip() for m in marks):
        raise PicochatInputError("expected a list of words and relation names", path=_FILE, field="person_questions")
    return frozenset(m.strip() if m.strip().startswith("<") else " ".join(words(m)) for m in marks)


def asks_person(ws: list[str] | tuple[str, ...]) -> bool:
    """Whether a question's words ask for a person ("Who wrote ...", "Moby-Dick author?")."""
    return bool(_person_marks() & set(as_relations(ws)))


@lru_cache(maxsize=1)
def _longest() -> int:
    return max((len(p) for p in _phrases()), default=1)


def as_relations(ws: list[str] | tuple[str, ...]) -> list[str]:
    """`ws` with each relation phrase or synonym (longest first, left to right) replaced by its name ("<antonym>",
    "~kilometer"), and a word sharing a one-word phrase's stem through an ending too ("antonymous", `_inflected`)."""
    return list(_as_relations(tuple(ws)))


# the scan asks this of the same item questions and corpus replies many thousand times
@lru_cache(maxsize=1 << 16)
def _as_relations(ws: tuple[str, ...]) -> tuple[str, ...]:
    phrases, out, i = _phrases(), [], 0
    while i < len(ws):
        for n in range(min(_longest(), len(ws) - i), 0, -1):
            name = phrases.get(tuple(ws[i : i + n]))
            if name is not None:
                out.append(name)
                i += n
                break
        else:
            out.append(_unit(ws, i) or _inflected(ws[i]) or ws[i])
            i += 1
    return tuple(out)


def relations(ws: list[str] | tuple[str, ...]) -> set[str]:
    """The relations a question's words name."""
    return {w for w in as_relations(ws) if w.startswith("<")}


def other_relation(item_words: list[str], question: list[str]) -> bool:
    """Whether the question asks only relations the item does not ask (both naming some): another question."""
    mine, theirs = relations(item_words), relations(question)
    return bool(mine and theirs and not mine & theirs)


@lru_cache(maxsize=1)
def _label_words() -> int:
    """How many words either side of an answer in a reply are read as its label (`reply_label_words`)."""
    data = load_yaml_text(resources.files(__package__).joinpath(_FILE).read_text(encoding="utf-8")) or {}
    reach = data.get("reply_label_words", 4)
    if not isinstance(reach, int) or isinstance(reach, bool) or reach < 1:
        raise PicochatInputError("expected a whole number of at least 1", path=_FILE, field="reply_label_words")
    return reach


def labelled_otherwise(item_words: list[str], question: list[str], reply: list[str], forms: list[list[str]]) -> bool:
    """Whether a reply to a question naming none of the item's relations labels every mention of the answer (any of
    its `forms`) with another relation and never the item's ("Serbia facts?" -> "Largest city: Belgrade." or "Belgrade is
    its largest city." for the item asking the capital): it answers another question about the same entity. A mention
    without a label, or a reply naming the item's relation anywhere ("Belgrade, its largest city and capital"), is the
    answer."""
    mine = relations(item_words)
    if not mine or relations(question) & mine or relations(reply) & mine:
        return False
    reach, seen = _label_words(), False
    for form in (f for f in forms if f):
        n = len(form)
        for k in (k for k in range(len(reply) - n + 1) if reply[k : k + n] == form):
            near = relations(reply[max(0, k - reach) : k]) | relations(reply[k + n : k + n + reach])
            if not near or near & mine:
                return False
            seen = True
    return seen
