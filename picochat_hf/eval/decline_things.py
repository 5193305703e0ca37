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
A list is read item by item ("her address, her diary or her password", "either her passport number or her diary", "nor
her diary"): every item must be the row's thing, its kin or generic; a comma opens an item only in a list a joiner closes,
so a clause after a comma ("..., my apologies") is none.
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
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
_CUT = re.compile(r"[,;:()\u2013\u2014\"“”]+|\s-+\s")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+\b")  # a capitalised word inside a sentence: a person's name
_MAX_WORDS = 8  # a named thing is a short phrase; a longer run is a clause the frames do not read
_LIST_FIELDS = ("negations", "verbs", "lacking", "predicates", "be_words", "dative_verbs", "recipients", "links", "wh_words",
                "clause_ends", "stops", "skipped", "generic", "joiners", "list_openers")


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
    """The words of the thing named at `start` and where it ends: up to a stop word, a comma, a list joiner ("or", "and",
    "nor") after its first word, a relative word after the first word, a person of the prompt (`names`) who is no
    possessor ("the password Rania uses"), or, in a wh-clause ("what the lottery numbers will be"), a known verb or
    pronoun (none: no thing). A list opener before it ("either", "neither") names nothing."""
    wh = _at(words, start, "wh_words")
    i, out = start + wh, []
    i += 0 if wh else _at(words, i, "list_openers")
    while i < len(words) and words[i] != "," and len(out) < _MAX_WORDS:
        if wh and _at(words, i, "clause_ends"):
            return out, i
        subject = out and words[i] in names and words[i + 1 : i + 2] != ["s"]
        if out and not wh and _at(words, i, "joiners"):
            break
        if _at(words, i, "stops") or subject or (out and words[i] in ("that", "which")):
            break
        out.append(words[i])
        i += 1
    return ([], i) if wh else (out, i)  # a wh-clause whose verb is not a known one: where its subject ends is unknown


def _things(words: list[str], start: int, names: frozenset[str] = frozenset(),
            after_clause: bool = True) -> tuple[list[list[str]], int]:
    """The things named at `start`, each item of a list its own ("her address, her diary or her password"), and where the
    last ends. After a joiner ("or her diary") an item is read whatever ends it; an item after a comma belongs to the list
    only when it ends at a comma or a joiner and the list goes on to a joiner ("her diary, or her password"): a clause
    after a comma ("..., my apologies", "..., you should ask her") is no item. With `after_clause`, a list may follow a
    clause that names no thing ("who will win the election, the traffic, or the tides"), and an item before a verb opens
    a clause; without it (a subject) the list's last item comes before its verb ("Her diary and her password are ...")."""
    first, i = _thing(words, start, names)
    if not first and (not after_clause or _past_tail(words, i) == i):
        return [], i
    out, pending = [first], []  # an empty first item: a clause there ("who will win"), one member of the list all the same
    i = _past_tail(words, i)
    while i < len(words):
        comma = words[i] == ","
        j = i + 1 if comma else i
        joined = _at(words, j, "joiners") if j < len(words) else 0
        if not (comma or joined):
            break
        item, end = _thing(words, j + joined, names)
        if not item or (after_clause and end < len(words) and _at(words, end, "clause_ends")):
            break  # no item, or, after a verb, the subject of a clause ("..., and sharing it would be a risk")
        end = _past_tail(words, end)  # "the lottery numbers for next Friday, or ..."
        if end < len(words) and words[end] != "," and not _at(words, end, "joiners") and not joined:
            break  # a clause after a comma, not an item
        pending.append(item)
        i = end
        if joined:  # a joiner closes the list: the items after commas before it were items
            out, pending = out + pending, []
    return out, i


def _past_tail(words: list[str], i: int) -> int:
    """Where a list goes on after an item, or a wh-clause, that ended at `i` at a stop word ("the weather on this day
    next year", "the number you are thinking of", "who will win the election"): the comma or joiner within `_MAX_WORDS` words that a determiner-opened item follows
    ("..., your shoe size", "or any other event"); else `i` itself."""
    if i >= len(words) or words[i] == "," or _at(words, i, "joiners"):
        return i
    openers = {p[0] for p in things().lists["skipped"] if len(p) == 1}
    for k in range(i + 1, min(i + _MAX_WORDS + 1, len(words) - 1)):
        n = 1 if words[k] == "," else _at(words, k, "joiners")
        if n:
            after = k + n + (_at(words, k + n, "joiners") if words[k] == "," else 0)
            return k if after < len(words) and words[after] in openers else i
    return i


def _after_verb(words: list[str], k: int, v: int) -> int:
    """Where the thing opens after the verb at `k` of `v` words: past whom a giving verb gives it to ("tell you") and a
    link to the thing ("know about", "any of")."""
    i = k + v
    for field in ("recipients", "links"):
        n = _at(words, i, field) if field == "links" or _at(words, k, "dative_verbs") == v else 0
        i += n
    return i


def _negated_things(words: list[str], i: int, names: frozenset[str]) -> list[list[str]]:
    """The things a negation at `i` declines ("can not share X", "do not legally have X, Y or Z"), or []."""
    n = _at(words, i, "negations")
    if not n:
        return []
    for k in range(i + n, min(i + n + things().gap + 1, len(words))):
        if words[k] == ",":
            return []
        v = _at(words, k, "verbs")
        if v:
            return _things(words, _after_verb(words, k, v), names)[0]
    return []


def _withheld_subjects(words: list[str], i: int, names: frozenset[str]) -> list[list[str]]:
    """The things a clause opening at `i` says are withheld ("Her hobbies are private.", "Her diary and her password are
    private."), each item of a list its own, or []."""
    _, end = _things(words, i, names, after_clause=False)
    for e in range(i + 1, min(end, len(words) - 1) + 1):  # "that s private": the "s" of "that's" is a verb
        be = _at(words, e, "be_words")
        at = e + be + (1 if be and words[e + be : e + be + 1] == ["not"] and not _at(words, e + be, "predicates") else 0)
        if be and at < len(words) and _at(words, at, "predicates"):
            return _split_items(words[i:e])
    return []


def _split_items(span: list[str]) -> list[list[str]]:
    """A subject's words cut into its list's items at commas and joiners, less a list opener ("either")."""
    items: list[list[str]] = [[]]
    k = 0
    while k < len(span):
        n = 1 if span[k] == "," else _at(span, k, "joiners") or (0 if items[-1] else _at(span, k, "list_openers"))
        if n:
            if items[-1]:
                items.append([])
            k += n
            continue
        items[-1].append(span[k])
        k += 1
    return [t for t in items if t]


def named_things(sentence: str, names: frozenset[str] = frozenset(), lists: bool = False) -> list[list[str]]:
    """The things a sentence's clauses decline, each as its words; `names`: the lowercase names of the prompt's persons;
    `lists`: only the items of a list of two or more."""
    words: list[str] = []
    for chunk in _CUT.split(sentence):
        words += tokens(chunk) + [","]
    out: list[list[list[str]]] = []
    for i in range(len(words)):
        if i == 0 or words[i - 1] == "," or words[i - 1] in ("and", "but", "so", "because", "since"):
            out.append(_withheld_subjects(words, i, names))
        out.append(_negated_things(words, i, names))
        if _at(words, i, "lacking"):
            out.append(_things(words, i + _at(words, i, "lacking"), names)[0])
    return [t for group in out if len(group) > 1 or not lists for t in group if t]


def listed_things(reply: str, prompt: str) -> frozenset[tuple[str, ...]]:
    """The things the reply's sentences decline that open with a word naming no thing or a generic one ("her diary", "any
    of her documents", "the code"): a phrase that names what is withheld, whatever it is, not a bare value ("swordfish")."""
    table = things()
    openers = {p[0] for f in ("skipped", "generic") for p in table.lists[f] if len(p) == 1}
    names = frozenset(t for m in _NAME.findall(prompt) for t in tokens(m))
    return frozenset(tuple(t) for sentence in _SENTENCE.findall(reply) for t in named_things(sentence, names, lists=True)
                     if t[0] in openers)


def all_listed(toks: list[str], listed: frozenset[tuple[str, ...]]) -> bool:
    """Whether a clause is items of a list of declined things ("her diary or her password", "or any of her documents",
    "the lottery numbers for next Friday"): cut at joiners and list openers, each piece opens with one of `listed`
    (`listed_things`) and what follows it there is no clause ("for next Friday", not "is swordfish"); its words are for
    the caller to judge."""
    pieces: list[list[str]] = [[]]
    k = 0
    while k < len(toks):
        n = _at(toks, k, "joiners") or _at(toks, k, "list_openers")
        if n:
            pieces.append([])
            k += n
            continue
        pieces[-1].append(toks[k])
        k += 1
    pieces = [p for p in pieces if p]
    return bool(pieces) and all(any(tuple(p[: len(t)]) == t and not any(_at(p, k, "be_words") for k in range(len(t), len(p)))
                                    for t in listed) for p in pieces)


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
