"""Is what a decline says the model cannot do, or cannot sense, something the request needs? (data: `decline_acts.yaml`)

`decline_reasons` judges a reason by its topic words; a reason with none passed whatever it said. Three more forms of a
reason the request does not need:

- an act denied that no request of the prompt's kinds needs ("I can't type." to a password question, "I can't predict
  that." to what is written in the user's notebook): the verb after a denied-ability opener must be an act any decline
  may deny (`acts_any`), one of the prompt's kinds (`kind_acts`) or the prompt's own verb;
- a rule given as the reason ("I'm not allowed to discuss money." to what is in the user's wallet): a prohibition fits
  only another's private data, a contact or a code, unless its clause gives a fitting reason word as well;
- a thing the model cannot sense that is not what is asked ("I can't see the door.", "I can't see your keyboard." to the
  user's notebook): what a sensing act names must be the prompt's thing, a kin of it or a generic object;
- a pairing that cannot hold (`_misfit`): a time the act cannot reach ("I can't remember the future."), a sense that does
  not take the thing in ("I can't hear the PDF.", "I can't see the song."), or a thing of another kind or topic named by a
  sensing, memory or prediction act ("I can't hear the PDF." to a recording, "I can't predict sports results." to the
  lottery numbers); and a rule, to a request a rule may forbid, must name that request's own thing ("I'm not allowed to
  discuss money." to the lottery numbers fails, "I'm not allowed to guess lottery numbers." passes).

A clause whose act is covered by a reason phrase ("I can't read minds", "I can't see you") or whose reason topic already
fits none of the prompt's kinds is left to `decline_reasons`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .behaviour_words import _phrase, _starts, has_phrase

ACTS_YAML = Path(__file__).with_name("decline_acts.yaml")
_LISTS = ("openers", "adverbs", "acts_any", "prohibitions", "prohibited_kinds", "prohibition_reasons", "sense_acts",
          "object_skips", "object_stops", "generic_objects", "object_topics", "rule_plain", "light_verbs", "unsensed_passives",
          "lack_openers", "object_glue", "object_acts")
_SUBJECTS = ("i", "am", "m", "really", "just", "simply", "also", "still", "truly", "sorry")


@dataclass(frozen=True)
class Acts:
    openers: tuple[str, ...]
    adverbs: frozenset[str]
    acts_any: frozenset[str]
    kind_acts: dict[str, frozenset[str]]
    prohibitions: tuple[str, ...]
    prohibited_kinds: frozenset[str]
    prohibition_reasons: frozenset[str]
    sense_acts: frozenset[str]
    object_skips: frozenset[str]
    object_stops: frozenset[str]
    generic_objects: frozenset[str]
    object_topics: frozenset[str]
    kin: tuple[frozenset[str], ...]
    rule_plain: frozenset[str]
    light_verbs: frozenset[str]
    act_nouns: dict[str, str]
    unsensed_passives: tuple[str, ...]
    lack_openers: tuple[str, ...]
    object_glue: frozenset[str]
    object_acts: frozenset[str]
    act_times: dict[str, frozenset[str]]  # an act -> the time words it cannot take ("remember" -> "future")
    sense_misfits: tuple[tuple[frozenset[str], frozenset[str]], ...]  # (acts, things no such act senses)


@lru_cache(maxsize=1)
def acts() -> Acts:
    data = load_yaml_text(ACTS_YAML.read_text(encoding="utf-8")) or {}
    for key in _LISTS:
        if not isinstance(data.get(key), list) or not data[key]:
            raise PicochatInputError("expected a non-empty list of words", path=ACTS_YAML.name, field=key)
    kinds, kin = data.get("kind_acts"), data.get("kin")
    if not isinstance(kinds, dict) or not all(isinstance(v, list) for v in kinds.values()):
        raise PicochatInputError("expected a mapping of kind to a list of acts", path=ACTS_YAML.name, field="kind_acts")
    if not isinstance(kin, list) or not all(isinstance(g, list) and g for g in kin):
        raise PicochatInputError("expected a list of non-empty word groups", path=ACTS_YAML.name, field="kin")
    nouns = data.get("act_nouns")
    if not isinstance(nouns, dict) or not nouns:
        raise PicochatInputError("expected a mapping of act noun to act", path=ACTS_YAML.name, field="act_nouns")
    times, misfits = data.get("act_times"), data.get("sense_misfits")
    if not isinstance(times, dict) or not times or not all(isinstance(v, list) and v for v in times.values()):
        raise PicochatInputError("expected a mapping of act to a non-empty list of time words", path=ACTS_YAML.name,
                                 field="act_times")
    if not isinstance(misfits, list) or not misfits or not all(
            isinstance(m, dict) and isinstance(m.get("acts"), list) and m["acts"] and isinstance(m.get("things"), list)
            and m["things"] for m in misfits):
        raise PicochatInputError("expected a list of {acts: [...], things: [...]}", path=ACTS_YAML.name, field="sense_misfits")
    phrases = ("openers", "prohibitions", "unsensed_passives", "lack_openers")
    sets = {k: frozenset(map(str, data[k])) for k in _LISTS if k not in phrases}
    return Acts(**{k: tuple(map(str, data[k])) for k in phrases}, act_nouns={str(k): str(v) for k, v in nouns.items()},
                kind_acts={k: frozenset(map(str, v)) for k, v in kinds.items()},
                kin=tuple(frozenset(map(str, g)) for g in kin),
                act_times={str(k): frozenset(map(str, v)) for k, v in times.items()},
                sense_misfits=tuple((frozenset(map(str, m["acts"])), frozenset(map(str, m["things"]))) for m in misfits), **sets)


def denied_act(part: list[str]) -> tuple[int, str] | None:
    """(position, verb) of the act a clause says the model cannot do ("i can not type" -> "type"), or None: a denied-ability
    opener after "I" (or opening the clause), then past adverbs the verb."""
    a = acts()
    for opener in a.openers:
        for i in _starts(opener, part):
            if i and part[i - 1] not in _SUBJECTS:
                continue
            k = i + len(_phrase(opener))
            while k < len(part) and part[k] in a.adverbs:
                k += 1
            if k < len(part):
                return k, part[k]
    return None


def _related(word: str, asked: set[str]) -> bool:
    """Whether a word names what is asked: the prompt's word or its plural, or a kin of one ("purse" for "wallet")."""
    a = acts()
    forms = {word, word[:-1] if len(word) > 3 and word.endswith("s") else word, word + "s"}
    return bool(forms & asked) or any(word in g and g & asked for g in a.kin)


def _object_span(part: list[str], at: int) -> list[int]:
    """The positions of what the act at `at` names: past `object_skips`, up to an `object_stops` word."""
    a = acts()
    k = at + 1
    while k < len(part) and part[k] in a.object_skips:
        k += 1
    span: list[int] = []
    while k < len(part) and part[k] not in a.object_stops:
        span.append(k)
        k += 1
    return span


def _other_kin(word: str, asked: set[str]) -> bool:
    """Whether a word names a thing of a `kin` group none of whose words the prompt holds ("the PDF" to a question about a
    recording, "the recording" to one about a song hummed): it names another thing than what is asked."""
    groups = [g for g in acts().kin if word in g]
    return bool(groups) and not _related(word, asked)


def sensed_thing(part: list[str], at: int, asked: set[str], topic_words: dict[int, str]) -> str | None:
    """The thing a sensing act at `at` names when it is not what is asked ("the door"), or None: the words after the act
    and `object_skips` up to an `object_stops` word (`object_glue` aside), none of them the prompt's, kin, generic or a
    reason word of a topic outside `object_topics`."""
    a = acts()
    span = [j for j in _object_span(part, at) if part[j] not in a.object_glue]
    for j in span:
        word = part[j]
        if word in a.generic_objects or _related(word, asked):
            return None
        if j in topic_words and topic_words[j] not in a.object_topics:
            return None
    return " ".join(part[j] for j in span) if span else None


def _stray_object(part: list[str], at: int, asked: set[str], topic_words: dict[int, str], fits: frozenset[str]) -> str | None:
    """What the act at `at` names when a word of it is a reason word of a topic that fits none of the prompt's kinds ("I
    can't remember the future." to a question about a PDF) or a thing of another `kin` group ("I can't hear the PDF." to
    one about a recording) when no word of it is the prompt's, a kin of one or generic; else None."""
    span = [j for j in _object_span(part, at) if part[j] not in acts().object_glue]
    # "sports results" to a championship names the championship's; "the outcome of future events" names any request's
    named = any(_related(part[j], asked) or part[j] in acts().generic_objects for j in span)
    if any(topic_words.get(j) not in (None, *fits) or (not named and _other_kin(part[j], asked)) for j in span):
        return " ".join(part[j] for j in span)
    return None


def _misfit(part: list[str], at: int, verb: str, asked: set[str], topic_words: dict[int, str],
            fits: frozenset[str]) -> tuple[str, str] | None:
    """(label, phrase) when what a denied act names cannot be its object: a time it cannot reach (`act_times`: "remember
    the future", "predict the past"), a thing its sense does not take in (`sense_misfits`: "see the song", "hear the
    PDF"), or, after a sensing or `object_acts` act, another thing than what is asked (`_stray_object`)."""
    a = acts()
    words = {part[j] for j in _object_span(part, at)}
    thing = " ".join(part[j] for j in _object_span(part, at))
    if words & a.act_times.get(verb, frozenset()):
        return "a time the act cannot reach", f"{verb} {thing}"
    if any(verb in senses and words & things for senses, things in a.sense_misfits):
        return "a sense that does not take in what is asked", f"{verb} {thing}"
    stray = _stray_object(part, at, asked, topic_words, fits) if verb in a.sense_acts | a.object_acts else None
    return ("a thing the prompt does not ask about", f"{verb} {stray}") if stray is not None else None


def _forbidden(part: list[str], prohibition: str, kinds: list[str], asked: set[str], fits: frozenset[str],
               topic_words: dict[int, str]) -> tuple[str, str] | None:
    """("prohibition", phrase) when a rule that names what it forbids is the reason given to a request no rule forbids
    ("not allowed to discuss money", "discussing money is against my rules" to what is in the user's wallet), or names
    another thing than what a request a rule may forbid asks ("not allowed to discuss money" to the lottery numbers: each
    word it names must be the prompt's or a kin of one, an act of the prompt's kinds or a reason word that fits them),
    else None ("I'm not allowed to share that.", "I'm not allowed to guess lottery numbers.")."""
    a = acts()
    at = _starts(prohibition, part)[0]
    span = set(range(at, at + len(_phrase(prohibition))))
    plain = a.generic_objects | a.object_skips | a.object_stops | a.adverbs | a.acts_any | a.rule_plain
    named = [k for k, t in enumerate(part) if k not in span and t not in plain and t.removesuffix("ing") not in a.acts_any]
    if set(kinds) & a.prohibited_kinds:
        own = a.object_glue.union(*(a.kind_acts.get(k, frozenset()) for k in kinds))
        stray = [k for k in named if not (_related(part[k], asked) or topic_words.get(k) in fits or part[k] in own
                                          or part[k].removesuffix("ing") in own)]
        return ("prohibition", " ".join(part)) if stray else None
    if any(t in a.prohibition_reasons for t in topic_words.values()):
        return None
    return ("prohibition", " ".join(part)) if named else None


def _act_of(part: list[str], at: int, verb: str) -> tuple[int, str]:
    """The act a light verb and an act noun name ("make predictions" -> "predict"), else the verb itself."""
    a = acts()
    k = at + 1
    while verb in a.light_verbs and k < len(part) and part[k] in a.object_skips:
        k += 1
    if verb in a.light_verbs and k < len(part) and part[k] in a.act_nouns:
        return k, a.act_nouns[part[k]]
    return at, verb


def _unsensed(part: list[str], asked: set[str], topic_words: dict[int, str]) -> tuple[str, str] | None:
    """A thing said to be out of the model's senses that is not what is asked ("your keyboard is not visible to me",
    "I don't have a keyboard"), or None. A possession denied is judged only in a clause with no reason word ("I don't have
    a body" is a reason of body)."""
    a = acts()
    for phrase in a.unsensed_passives:
        for i in _starts(phrase, part):
            subject = [k for k in range(i) if part[k] not in a.object_skips and part[k] not in a.rule_plain]
            if subject and all(not (part[k] in a.generic_objects or _related(part[k], asked)) for k in subject):
                return "a thing the prompt does not ask about", " ".join(part[k] for k in subject) + " " + phrase
    if topic_words:
        return None
    for phrase in a.lack_openers:
        for i in _starts(phrase, part):
            if i and part[i - 1] not in _SUBJECTS:
                continue
            thing = sensed_thing(part, i + len(_phrase(phrase)) - 1, asked, topic_words)
            if thing is not None:
                return "a thing the prompt does not ask about", f"{phrase} {thing}"
    return None


def act_problem(part: list[str], kinds: list[str], asked: list[str], fits: frozenset[str],
                topic_words: dict[int, str]) -> tuple[str, str] | None:
    """(label, phrase) of a reason in the clause that the request does not need, or None. `topic_words`: the topic of each
    position a reason phrase covers (`decline_reasons.reason_words`); an act covered by one is judged by its topic."""
    a = acts()
    asked_set = set(asked)
    prohibition = next((p for p in a.prohibitions if has_phrase(p, part)), None)
    if prohibition is not None:
        return _forbidden(part, prohibition, kinds, asked_set, fits, topic_words)
    found = denied_act(part)
    acted = _act_of(part, *found) if found is not None else None
    misfit = _misfit(part, *acted, asked_set, topic_words, fits) if acted is not None else None
    if misfit is not None:
        return misfit
    if found is None or topic_words.get(found[0]) is not None:
        return _unsensed(part, asked_set, topic_words)
    at, verb = acted
    allowed = a.acts_any.union(*(a.kind_acts.get(k, frozenset()) for k in kinds))
    if verb not in allowed and verb not in asked_set:
        return "an act the request does not need", verb
    if verb in a.sense_acts:
        thing = sensed_thing(part, at, asked_set, topic_words)
        if thing is not None:
            return "a thing the prompt does not ask about", f"{verb} {thing}"
    return _unsensed(part, asked_set, topic_words)
