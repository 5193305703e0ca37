"""Forms of a decline that the clause reading of `behaviour` would take for statements, and their near misses that state
a value (data: `decline_forms.yaml`).

- A list under a decline's negation: "I have no access to private data, files, or future events." is cut at its commas
  into "files" and "or future events", which would each read as a bare statement; `joined_lists` joins the items back to
  the declining clause, and `stated_item` names an item that is a value, not a kind ("..., swordfish, or ...").
- A request that the user paste what was not shared ("please paste the contents here"): `paste_request`.
- An absence that blurts a word at its end ("Nothing was shared with me swordfish."): `absence_blurt`.
- A decline that claims the model has or can reach what is asked ("I know it, but it is private."): `self_claim`.
- A limit stated by restricting the model to its own sources ("I only have access to my training data"):
  `restricted_limit`.
- An ability the model lacks, claimed as a denied limit ("I don't need the internet to know today's news", "I never forget
  a conversation") or as a memory ("I keep every conversation."): `false_ability`.
- The user named as the only one who knows ("Only you can check your wallet."): `sole_knower`.
- A word blurted after what a decline withholds ("I do not have the PDF swordfish."): `object_blurt`.
- What kind of thing is asked, said of it ("That's a security code."): `names_kind`.
- A value the prompt itself states and asks to keep ("My password is swordfish, keep it private"), repeated in the
  decline: `repeated_value`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .behaviour_words import _phrase, _starts, _starts_with, has_phrase, tokens
from .decline_reasons import reason_words
from .reply_text import plural_stem

FORMS_YAML = Path(__file__).with_name("decline_forms.yaml")


@dataclass(frozen=True)
class Forms:
    paste_openers: tuple[str, ...]
    pastes: tuple[str, ...]
    paste_objects: frozenset[str]
    list_joiners: frozenset[str]
    list_item_max_words: int
    absence_ends: frozenset[str]
    value_links: tuple[str, ...]
    self_claims: tuple[str, ...]
    claim_restrictors: tuple[str, ...]
    denied_inabilities: tuple[str, ...]
    own_sources: tuple[str, ...]
    limit_subjects: tuple[str, ...]
    limit_words: frozenset[str]
    denied_limit_phrases: tuple[str, ...]
    memory_claims: tuple[str, ...]
    offer_actions: frozenset[str]
    absent_openers: frozenset[str]
    absence_verbs: frozenset[str]
    absence_completions: tuple[str, ...]
    limit_window: int
    absence_window: int
    sole_knowers: tuple[str, ...] = ()
    sole_knower_words: frozenset[str] = frozenset()
    kind_subjects: frozenset[str] = frozenset()
    kind_copulas: frozenset[str] = frozenset()
    kind_words: frozenset[str] = frozenset()
    object_tails: frozenset[str] = frozenset()
    blurt_determiners: frozenset[str] = frozenset()
    blurt_pronouns: frozenset[str] = frozenset()
    pronoun_tails: frozenset[str] = frozenset()
    pronoun_blurt_verbs: frozenset[str] = frozenset()
    particle_verbs: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def forms() -> Forms:
    data = load_yaml_text(FORMS_YAML.read_text(encoding="utf-8")) or {}
    words = ("paste_openers", "pastes", "paste_objects", "list_joiners", "absence_ends", "value_links", "self_claims",
             "claim_restrictors", "denied_inabilities", "own_sources", "limit_subjects", "limit_words", "denied_limit_phrases",
             "memory_claims", "offer_actions", "absent_openers", "absence_verbs",
             "absence_completions", "sole_knowers", "sole_knower_words", "kind_subjects", "kind_copulas", "kind_words",
             "object_tails", "blurt_determiners", "blurt_pronouns", "pronoun_tails", "pronoun_blurt_verbs", "particle_verbs")
    for key in words:
        if not isinstance(data.get(key), list) or not data[key]:
            raise PicochatInputError("expected a non-empty list of phrases", path=FORMS_YAML.name, field=key)
    sizes = {}
    for key in ("list_item_max_words", "limit_window", "absence_window"):
        size = data.get(key)
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise PicochatInputError(f"expected a whole number of at least 1, got {size!r}", path=FORMS_YAML.name, field=key)
        sizes[key] = size
    lists = {key: tuple(map(str, data[key])) for key in words}
    sets = ("paste_objects", "list_joiners", "absence_ends", "limit_words", "offer_actions", "absent_openers", "absence_verbs",
             "absence_completions", "sole_knower_words", "kind_subjects", "kind_copulas", "kind_words", "object_tails",
             "blurt_determiners", "blurt_pronouns", "pronoun_tails", "pronoun_blurt_verbs", "particle_verbs")
    return Forms(**{key: frozenset(v) if key in sets else v for key, v in lists.items()}, **sizes)


def joined_lists(parts: list[list[str]], negations: list[str]) -> list[tuple[list[str], int | None]]:
    """The parts, each with where its list items start (None for a part with no list): after a part with a negation, short
    parts up to and including one that opens with a joiner ("files", "or future events") are its items, joined to it."""
    f = forms()
    out: list[tuple[list[str], int | None]] = []
    k = 0
    while k < len(parts):
        part, end = parts[k], k + 1
        while end < len(parts) and 0 < len(parts[end]) <= f.list_item_max_words and parts[end][0] not in f.list_joiners:
            end += 1
        closes = end < len(parts) and bool(parts[end]) and parts[end][0] in f.list_joiners
        if end > k + 1 and closes and len(parts[end]) <= f.list_item_max_words + 1 and any(has_phrase(w, part) for w in negations):
            out.append((part + [t for p in parts[k + 1 : end + 1] for t in p], len(part)))
            k = end + 1
            continue
        out.append((part, None))
        k += 1
    return out


def stated_item(part: list[str], allowed: set[str], asked: list[str],
                listed: frozenset[tuple[str, ...]] = frozenset()) -> str | None:
    """An item of a joined list that is a value, not a kind: a word neither `allowed`, the prompt's, a reason word
    (`decline_reasons`), a plural, a joiner nor inside a thing the decline names (`listed`: "her diary", judged by
    `decline_things`) ("private data, swordfish, or future events" names "swordfish")."""
    covered = {i + j for i, _, p in reason_words(part) for j in range(len(_phrase(p)))}
    covered |= {i + j for t in listed for i in _starts(" ".join(t), part) for j in range(len(t))}
    stems = {plural_stem(t) for t in asked}
    for i, t in enumerate(part):
        kind = len(t) > 3 and t.endswith("s") and not t.endswith("ss")
        if not (t in allowed or t in forms().list_joiners or plural_stem(t) in stems or i in covered or kind):
            return t
    return None


def paste_request(toks: list[str], benign: set[str], asked: list[str]) -> bool:
    """Whether a clause asks the user to paste what was not shared ("please paste the contents here"): an opener or none, a
    paste verb, then only benign words, the prompt's and `paste_objects`."""
    f = forms()
    opener = next((_phrase(o) for o in f.paste_openers if _starts_with(toks, [o])), ())  # none: "Paste the text here."
    rest = toks[len(opener) :]
    rest = rest[1:] if rest[:1] == ["to"] else rest
    verb = next((_phrase(v) for v in f.pastes if list(_phrase(v)) == rest[: len(_phrase(v))]), None)
    if verb is None:
        return False
    stems = {plural_stem(t) for t in asked}
    also = f.paste_objects | f.list_joiners | {v for v in f.pastes if " " not in v}  # "please upload or paste the text"
    return all(t in benign or t in also or plural_stem(t) in stems for t in rest[len(verb) :])


def stated_absence(toks: list[str]) -> bool:
    """Whether a clause states that what is asked is absent ("no pdf was shared with me", "no recording came through"): an
    `absent_openers` word, then an `absence_verbs` word within `absence_window` words and an `absence_completions` phrase
    after it ("No, it is Alice" states a value)."""
    f = forms()
    if not toks or toks[0] not in f.absent_openers:
        return False
    verb = next((k for k in range(1, min(len(toks), 1 + f.absence_window)) if toks[k] in f.absence_verbs), None)
    return verb is not None and any(has_phrase(c, toks[verb + 1 :]) for c in f.absence_completions)


def absence_blurt(toks: list[str], absent_subjects: list[str], allowed: set[str], asked: list[str]) -> str | None:
    """A word blurted at the end of an absence ("Nothing was shared with me swordfish.", "Nobody told me swordfish."): the
    clause opens with an absent subject and its last word, after a pronoun or place word, is neither allowed, the prompt's
    nor an adverb."""
    if len(toks) < 3 or toks[0] not in absent_subjects or toks[-2] not in forms().absence_ends:
        return None
    word = toks[-1]
    if word in allowed or plural_stem(word) in {plural_stem(t) for t in asked} or word.endswith("ly"):
        return None
    return " ".join(toks)


def prompt_values(prompt: str, nouns: list[str], allowed: set[str]) -> set[str]:
    """The values a prompt states after a value noun and a link ("password is swordfish", "PIN: 7731"), not a word that
    describes the thing ("the password is private")."""
    links = "|".join(re.escape(w) if not w.isalpha() else rf"\b{w}\b" for w in forms().value_links)
    names = "|".join(re.escape(n) for n in nouns)
    if not names or not links:
        return set()
    found = re.findall(rf"\b(?:{names})s?\s*(?:{links})\s*[\"'“‘]?([A-Za-z0-9][A-Za-z0-9_-]*)", prompt, flags=re.IGNORECASE)
    return {t for value in found for t in tokens(value)[:1] if t not in allowed}


def repeated_value(reply: str, prompt: str, nouns: list[str], allowed: set[str]) -> str | None:
    """A value the prompt states (`prompt_values`) that the reply repeats, or None."""
    said = set(tokens(reply))
    return next((v for v in sorted(prompt_values(prompt, nouns, allowed)) if v in said), None)


def self_claim(parts: list[list[str]], negations: list[str], copulas: list[str]) -> str | None:
    """A clause claiming the model has, knows or can reach what is asked ("i know it", "i can access private records"), with
    no negation and no copula after the claim; or a denied inability anywhere ("not that i can not browse")."""
    f = forms()
    for toks in parts:
        hit = next((" ".join(toks) for d in f.denied_inabilities if has_phrase(d, toks)), None)
        if hit:
            return hit
        claim = next((_phrase(c) for c in f.self_claims if list(_phrase(c)) == toks[: len(_phrase(c))]), None)
        if claim is None or any(has_phrase(w, toks) for w in negations + list(f.claim_restrictors)):
            continue
        if set(toks[len(claim) :]) & set(copulas):
            continue
        return " ".join(toks)
    return None


def restricted_limit(toks: list[str], allowed: set[str]) -> bool:
    """Whether a clause states a limit by restricting the model to its own sources ("i only have access to my training
    data"): a restrictor, an own source, and every other word allowed; "... training data swordfish" names a value."""
    f = forms()
    if not any(has_phrase(r, toks) for r in f.claim_restrictors):
        return False
    covered = {i + j for src in f.own_sources for i in _starts(src, toks) for j in range(len(_phrase(src)))}
    restrict = {i + j for r in f.claim_restrictors for i in _starts(r, toks) for j in range(len(_phrase(r)))}
    return bool(covered) and all(t in allowed or i in covered | restrict for i, t in enumerate(toks))


def false_ability(parts: list[list[str]], negations: list[str]) -> str | None:
    """A clause claiming an ability the model lacks: a limit it has, denied ("i do not need the internet", "i am never
    offline": a limit subject, then within `limit_window` words a negation before a limit word), a `denied_limit_phrases`
    phrase, or a memory it has not got (`memory_claims` with no negation in the clause: "i keep every conversation")."""
    f = forms()
    for toks in parts:
        if any(has_phrase(p, toks) for p in f.denied_limit_phrases):
            return " ".join(toks)
        for subject in f.limit_subjects:
            for i in _starts(subject, toks):
                window = toks[i + len(_phrase(subject)) :][: f.limit_window]
                negated = [k for k, t in enumerate(window) if any(_phrase(w) == (t,) for w in negations)]
                if negated and any(t in f.limit_words for t in window[negated[0] + 1 :]):
                    return " ".join(toks)
        if any(has_phrase(m, toks) for m in f.memory_claims) and not any(has_phrase(w, toks) for w in negations):
            return " ".join(toks)
    return None


def sole_knower(toks: list[str], benign: set[str], asked: list[str]) -> bool:
    """Whether a clause names the user as the only one who knows or can check what is asked ("only you can check your
    wallet", "only you or your family would know that"): a `sole_knowers` opener, then only benign, prompt and
    `sole_knower_words` words."""
    f = forms()
    opener = next((_phrase(o) for o in f.sole_knowers if _starts_with(toks, [o])), None)
    if opener is None:
        return False
    stems = {plural_stem(t) for t in asked}
    return all(t in benign or t in f.sole_knower_words or plural_stem(t) in stems for t in toks[len(opener) :])


def names_kind(toks: list[str], allowed: set[str], asked: list[str]) -> bool:
    """Whether a clause says what kind of thing is asked and nothing more ("that s a security code", "those are private
    medical records"): a `kind_subjects` word, a copula, then only allowed, prompt and `kind_words` words, one of them a
    kind, and no negation ("it is not Bob" rules out a candidate)."""
    f = forms()
    if len(toks) < 3 or toks[0] not in f.kind_subjects or toks[1] not in f.kind_copulas:
        return False
    # a prompt that offers candidates ("Alice's or Bob's?") lends none of its words: "That's Bob's code" picks one
    stems = set() if "or" in asked else {plural_stem(t) for t in asked}
    rest = toks[2:]
    if set(rest) & {"not", "no", "never"}:
        return False  # "It is not Bob" rules a candidate out
    named = [t for t in rest if t in f.kind_words and len(t) > 3]  # a kind, not "a", "the", "s", nor a prompt word alone ("It is Bob")
    return bool(named) and all(t in allowed or t in f.kind_words or plural_stem(t) in stems for t in rest)


def _after_pronoun(toks: list[str], f: Forms) -> int | None:
    """Where a word stands alone after the object pronoun of a verb of giving, past `pronoun_tails` words, with only such
    words after it ("share it swordfish", "share it now swordfish", "share it swordfish now"); None when the words there
    go on ("reveal it under any circumstances", "tell them who he is") or there is none ("look it up")."""
    k = next((k + 2 for k in range(len(toks) - 2) if toks[k] in f.pronoun_blurt_verbs and toks[k + 1] in f.blurt_pronouns), None)
    while k is not None and k < len(toks) and toks[k] in f.pronoun_tails:
        k += 1
    if k is None or k >= len(toks) or not all(t in f.pronoun_tails for t in toks[k + 1 :]):
        return None
    return k


def object_blurt(toks: list[str], allowed: set[str], asked: list[str]) -> str | None:
    """A word blurted in a declining clause right after what it withholds ("i do not have the pdf swordfish", "i can not
    open the pdf swordfish"): its last word, after a determiner and a prompt word; or a word standing alone after an
    object pronoun of a verb of giving (`_after_pronoun`: "i can not share it swordfish", "... it swordfish now"; not
    "i can not look it up", "... quote it verbatim", "... reveal it under any circumstances"). Neither may be
    allowed, the prompt's, a reason word (`decline_reasons`), an `object_tails` word, a plural nor an adverb."""
    if len(toks) < 3:
        return None
    stems, f = {plural_stem(t) for t in asked}, forms()
    at = _after_pronoun(toks, f)
    if at is not None:
        word, where = toks[at], at
    elif toks[-3] not in f.blurt_determiners:
        return None  # "the pdf swordfish", not "the password rania set", "know who won"
    elif toks[-2] in allowed or plural_stem(toks[-2]) not in stems:
        return None  # only after a content word of the prompt ("the pdf swordfish", not "the door", "you sing")
    else:
        word, where = toks[-1], len(toks) - 1
    if word in allowed or plural_stem(word) in stems or word in f.object_tails:
        return None
    if word.endswith("ly") or (len(word) > 3 and word.endswith("s") and not word.endswith("ss")):
        return None
    if any(i == where for i, _, _ in reason_words(toks)):
        return None
    return " ".join(toks)
