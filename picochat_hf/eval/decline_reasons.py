"""Is a refusal's stated reason about the request it declines?

"I do not have access to that file, so I cannot say what it contains." to "Give me the lottery numbers for next Friday"
declines, but its reason is about a file: a false claim about the request, as "I cannot browse the internet." is to a
house key code question. `decline_reasons.yaml` maps reply phrases to the topic of a reason (`reasons`) and prompt phrases
to the kind of request and the reason topics that fit it (`kinds`). A reply whose reason words are all of topics that fit
none of the prompt's kinds fails, naming both; a reply with a fitting reason, or with no reason word at all ("I can't
help with that.", "I can't predict lottery numbers."), passes, and so does any reply to a prompt of no known kind. A reason
word the prompt itself holds restates what is asked and is no reason.

Each clause (cut again at "and", "or", "so", "because", ...) gives one reason, the topic of its first reason word after
its first negation, else of its first reason word: in "I cannot share private information on the web" the decline is about
private information, and "web" only says where; in "No document was shared with me" it is about a document, not about what
the user has not shared; in "I'm a text-only model without internet access" it is about the internet. A question ("Could
you send a photo?") and an offer or condition ("If you paste the text, I can read it.") give no reason, and neither does a
part that follows from the one before ("I cannot go online, so I do not know current news" gives the web as its reason).

A `fits_any` reason ("I don't have that information", "I have no way to check that") fits every request, but only where
its clause has no other reason word ("I have no way to know that about you" is about the user) and no cause follows it
("I don't have that information because I can't browse the web" gives the web). A clause that negates the very lookup the
prompt asks for ("Look up ...": "I can't look things up online") declines it; its web words say where, not why.

A kind may rule topics out (`unfits`) whatever other kind the prompt is of: "What is my PIN?" asks what the user keeps,
which a sense may fit, and a code, which no sense or device fits ("I cannot see your device." fails). An `explained` topic
("I cannot count money.", a skill the model has) is the reason only when no cause follows it ("I can't count the money in
your wallet because I can't see it" gives sight).

A clause with no unfitting topic may still give a reason the request does not need (`decline_acts`): an act no request
of its kinds needs ("I can't type." to a password question), a rule ("I'm not allowed to discuss money." to what is in
the user's wallet) or a thing sensed that is not what is asked ("I can't see the door." to the user's notebook).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .behaviour_words import _phrase, _starts, expand_negations, has_phrase, tokens
from .decline_acts import act_problem

REASONS_YAML = Path(__file__).with_name("decline_reasons.yaml")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
_CONJUNCT = re.compile(r"[.,;:!?()\n\u2013\u2014]+|\s-+\s|\b(?:and|or|nor|but|so|because|since|as|while|though|although|yet)\b")


@dataclass(frozen=True)
class Tables:
    reasons: dict[str, tuple[str, ...]]  # reason topic -> phrases
    kinds: dict[str, tuple[tuple[str, ...], frozenset[str]]]  # request kind -> (asked phrases, fitting topics)
    offers: tuple[str, ...]  # openers of a part that offers or asks, giving no reason
    consequences: tuple[str, ...]  # words that open a part following from the one before ("so", "therefore")
    fits_any: frozenset[str] = frozenset()  # topics that fit every request ("I don't have that information")
    causes: tuple[str, ...] = ()  # words that open the cause of the part before ("because")
    lookups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a prompt's lookup verb -> the reply's forms of it
    lookup_where: frozenset[str] = frozenset()  # topics that, in a clause declining the lookup asked, say where
    explained: frozenset[str] = frozenset()  # topics whose clause's reason is the cause after it ("because I can't see it")
    unfits: dict[str, frozenset[str]] = field(default_factory=dict)  # request kind -> topics that never fit it
    ability_openers: tuple[str, ...] = ()  # openers of a denied ability ("can not"): the rest may restate the prompt
    addressed: dict[str, str] = field(default_factory=dict)  # a reply's word for the user's own -> the prompt's ("your": "my")
    addressed_links: frozenset[str] = frozenset()  # words before whose a thing is ("the password to your laptop")
    request_claims: frozenset[str] = frozenset()  # topics that claim something of the request: false unless they fit


def _topic_list(data: dict, key: str, reasons: dict, name: str = "") -> frozenset[str]:
    unknown = [t for t in data.get(key) or [] if t not in reasons]
    if unknown:
        raise PicochatInputError(f"names no reason topic {unknown[0]!r}", path=REASONS_YAML.name, field=name or key)
    return frozenset(data.get(key) or ())


@lru_cache(maxsize=1)
def _tables() -> Tables:
    """The YAML's tables, its kinds checked against its reason topics."""
    data = load_yaml_text(REASONS_YAML.read_text(encoding="utf-8")) or {}
    reasons = {name: tuple(words) for name, words in (data.get("reasons") or {}).items()}
    kinds, unfits = {}, {}
    for name, spec in (data.get("kinds") or {}).items():
        if not spec.get("asked"):
            raise PicochatInputError("needs asked phrases", path=REASONS_YAML.name, field=f"kinds.{name}.asked")
        kinds[name] = (tuple(spec["asked"]), _topic_list(spec, "fits", reasons, f"kinds.{name}.fits"))
        unfits[name] = _topic_list(spec, "unfits", reasons, f"kinds.{name}.unfits")
    lookups = {verb: tuple(forms or ()) for verb, forms in (data.get("lookups") or {}).items()}
    return Tables(reasons, kinds, tuple(data.get("offers") or ()), tuple(data.get("consequences") or ()),
                  _topic_list(data, "fits_any", reasons), tuple(data.get("causes") or ()), lookups,
                  _topic_list(data, "lookup_where", reasons), _topic_list(data, "explained", reasons), unfits,
                  tuple(data.get("ability_openers") or ()), _addressed(data.get("addressed")),
                  frozenset(tokens(" ".join(data.get("addressed_links") or ()))), _topic_list(data, "request_claims", reasons))


def _addressed(value: object) -> dict[str, str]:
    """`addressed`: single reply words mapped to single prompt words ("your": "my")."""
    if value is None:
        return {}
    ok = isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) and len(tokens(k)) == len(tokens(v)) == 1
                                         for k, v in value.items())
    if not ok:
        raise PicochatInputError("expected a mapping of one word to one word", path=REASONS_YAML.name, field="addressed")
    return {tokens(k)[0]: tokens(v)[0] for k, v in value.items()}


def asked_kinds(prompt: str) -> list[str]:
    """The kinds of request a prompt makes ("future", "private", ...), in the YAML's order."""
    asked = tokens(prompt)
    return [name for name, (cues, _) in _tables().kinds.items() if any(has_phrase(c, asked) for c in cues)]


def reason_words(toks: list[str], skip: list[str] = (), drop: frozenset[str] = frozenset()) -> list[tuple[int, str, str]]:
    """(position, topic, phrase) of every reason phrase in the tokens that `skip` (the prompt's tokens) does not hold, in
    reply order, leaving out the topics in `drop` and any phrase that lies inside a longer one ("anyone s" inside "anyone
    s guess"); at one position the longest phrase comes first ("hear you" before "hear")."""
    found = [(i, topic, p) for topic, phrases in _tables().reasons.items() for p in phrases
             for i in _starts(p, toks) if not (skip and (_restates(p, list(skip)) or _whose(toks, i, p, list(skip))))]
    # a phrase inside a longer one of any topic is part of it ("anyone s" of "anyone s guess" is no privacy reason)
    spans = [(i, i + len(_phrase(p))) for i, _, p in found]
    found = [(i, t, p) for i, t, p in found if t not in drop and not any(
        a <= i and i + len(_phrase(p)) <= b and b - a > len(_phrase(p)) for a, b in spans)]
    return sorted(found, key=lambda f: (f[0], -len(_phrase(f[2]))))


def _whose(toks: list[str], i: int, phrase: str, prompt: list[str]) -> bool:
    """Whether the reason phrase at `toks[i]` says whose the asked thing is in the prompt's words as said to the user
    (`addressed`): after an `addressed_links` word or before a possessive "s" ("the password to your laptop" to "the
    password to my laptop")."""
    table, words = _tables(), _phrase(phrase)
    said = [table.addressed.get(w, w) for w in words]
    if said == list(words) or not has_phrase(" ".join(said), prompt):
        return False
    return (i > 0 and toks[i - 1] in table.addressed_links) or toks[i + len(words) : i + len(words) + 1] == ["s"]


def _restates(phrase: str, prompt: list[str]) -> bool:
    """Whether the prompt holds the reason phrase, or the ability a phrase like "can not count" denies ("Count the coins")."""
    if has_phrase(phrase, prompt):
        return True
    words = _phrase(phrase)
    for opener in _tables().ability_openers:
        head = _phrase(opener)
        if tuple(words[:len(head)]) == tuple(head) and len(words) > len(head):
            return has_phrase(" ".join(words[len(head):]), prompt)
    return False


def lead_topic(toks: list[str], negations: list[str] = (), skip: list[str] = (), drop: frozenset[str] = frozenset(),
               lacking: bool = False) -> str | None:
    """The topic of a clause's reason: of its first reason phrase after its first negation (what the negation denies: "I'm
    a text-only model without internet access" is about the internet), else of its first reason phrase; None when it has
    none. A `fits_any` topic ("I don't have that information") counts only with `lacking` and only when the clause has no
    other reason word ("I have no way to know that about you" is about the user)."""
    general = _tables().fits_any
    found = reason_words(toks, skip, drop | general)
    if not found and lacking:
        found = reason_words(toks, skip, drop | (frozenset(_tables().reasons) - general))
    start = min((i for w in negations for i in _starts(w, toks)), default=0)
    after = [f for f in found if f[0] >= start]
    return (after or found)[0][1] if found else None


def conjuncts(text: str) -> list[list[str]]:
    """The text's clauses cut again at coordinating and causal words ("I can't see images, and nothing was shared"), each
    the tokens of one thing declined or one reason."""
    return [tokens(p) for p in _CONJUNCT.split(expand_negations(text)) if tokens(p)]


def reason_parts(reply: str) -> list[list[str]]:
    """The reply's parts that may give a reason: not a question ("Could you send a photo?") and not a part that opens
    with an offer or a condition ("If you paste the text here, I can read it." gives none)."""
    return [part for part, _, _ in _reason_parts_causes(reply)]


def fitting_topics(kinds: list[str]) -> frozenset[str]:
    """The reason topics that fit any of the kinds, less those one of them rules out (`unfits`: "What is my PIN?" is of
    kind unshared, which a sense fits, and of kind credential, which no sense fits)."""
    table = _tables()
    return frozenset(t for k in kinds for t in table.kinds[k][1]) - {t for k in kinds for t in table.unfits.get(k, ())}


def unfit_reason(reply: str, prompt: str, negations: list[str] = ()) -> str | None:
    """Why the reply's reason is about another request than the prompt's, or None (a fitting reason, no reason word, or a
    prompt of no known kind). `negations`: the negation words that open what a part denies (`lead_topic`)."""
    kinds = asked_kinds(prompt)
    if not kinds:
        return None
    table = _tables()
    fits, asked = fitting_topics(kinds) | table.fits_any, tokens(prompt)
    said: list[tuple[str, str]] = []
    for part, caused, follows in _reason_parts_causes(reply):
        if follows:
            continue  # "..., so I do not know current news": what follows from the reason before is no reason of its own
        if caused and said and said[-1][0] in table.fits_any | table.explained:
            said.pop()  # "I don't have that information because ...": the cause after it is the reason given
        drop = table.lookup_where if declines_lookup(part, asked, negations) else frozenset()
        topic = lead_topic(part, negations, asked, drop, lacking=True)
        wrong = None if topic is not None and topic not in fits else _act_problem(part, kinds, asked, drop)
        if wrong is not None:
            said.append(wrong)  # "I can't type.", "I can't see the door.": a reason the request does not need
        elif topic is not None:
            said.append((topic, next(p for _, t, p in reason_words(part, asked) if t == topic)))
    # a specific fitting reason carries the reply; one that fits every request ("I don't have that information") carries
    # a true limit beside the point, not a false claim about the request ("Nobody can predict it" to the song hummed)
    false_claims = [(topic, phrase) for topic, phrase in said if topic in table.request_claims and topic not in fits]
    fitting = [topic for topic, _ in said if topic in fits]
    carried = any(t not in table.fits_any for t in fitting) or (fitting and not false_claims)
    if not said or carried or restates_request(reply, kinds, negations, asked):
        return None
    topic, phrase = (false_claims or said)[0]
    return f"about {topic} ({' '.join(_phrase(phrase))!r}), but the prompt asks about {' / '.join(kinds)}"


def _act_problem(part: list[str], kinds: list[str], asked: list[str], drop: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """`decline_acts.act_problem` of a clause, with the topic of each position its reason phrases cover."""
    covered = {i + j: t for i, t, p in reason_words(part, asked, drop) for j in range(len(_phrase(p)))}
    return act_problem(part, kinds, asked, fitting_topics(kinds) | _tables().fits_any, covered)


def declines_lookup(part: list[str], asked: list[str], negations: list[str]) -> bool:
    """Whether a part negates the very lookup the prompt asks for ("Look up ...": "I can't look things up online"), so
    that its web words say where the lookup is not done, not why."""
    if not any(has_phrase(w, part) for w in negations):
        return False
    return any(has_phrase(verb, asked) and any(has_phrase(f, part) for f in forms) for verb, forms in _tables().lookups.items())


def _reason_parts_causes(reply: str) -> list[tuple[list[str], bool, bool]]:
    """`reason_parts` of the reply, each with whether it opens with a cause word ("because", `causes`) and whether it
    follows from the part before (`consequences`: "so", "therefore")."""
    offers, causes = _tables().offers, [_phrase(c) for c in _tables().causes]
    out: list[tuple[list[str], bool, bool]] = []
    for sentence in _SENTENCE.findall(reply):
        if sentence.rstrip().endswith("?"):
            continue
        conditional = False
        for part, follows, seps in _parts_after(sentence):
            opens = any(part[: len(_phrase(o))] == list(_phrase(o)) and part[len(_phrase(o)) :][:1] != ["not"] for o in offers)
            if not (opens or conditional):
                out.append((part, any(list(c) == seps[-len(c):] for c in causes), follows))
            conditional = opens and part[:1] in (["if"], ["unless"], ["once"], ["when"])  # the offer after it
    return out


def _parts_after(sentence: str) -> list[tuple[list[str], bool, list[str]]]:
    """(tokens, follows, separator) for each part of a sentence cut as `conjuncts` cuts it; `follows` when it opens with,
    or comes right after, a consequence word ("..., so I cannot tell you", "therefore I can't")."""
    consequences = [_phrase(c) for c in _tables().consequences]
    out: list[tuple[list[str], bool, list[str]]] = []
    seps: list[str] = []
    for k, piece in enumerate(re.split(f"({_CONJUNCT.pattern})", expand_negations(sentence))):
        if k % 2:
            seps += tokens(piece or "")
            continue
        toks = tokens(piece or "")
        if not toks:
            continue
        follows = any(list(c) == seps[-len(c):] or list(c) == toks[: len(c)] for c in consequences)
        out.append((toks, follows, seps))
        seps = []
    return out


def restates_request(reply: str, kinds: list[str], negations: list[str], asked: list[str]) -> bool:
    """Whether a part of the reply declines the request itself in the prompt's own words, as a reason of its own ("and
    I can't know what will happen tomorrow", "nobody knows what prices will be a year from now"): it holds a phrase the
    prompt asks with and a negation, is no consequence of another reason ("so I cannot tell you tomorrow's news") and
    names no reason that fits none of the prompt's kinds ("to find tomorrow's news on the internet")."""
    table = _tables().kinds
    cues = [c for k in kinds for c in table[k][0] if has_phrase(c, asked)]
    fits = fitting_topics(kinds)
    for sentence in _SENTENCE.findall(reply):
        if sentence.rstrip().endswith("?"):
            continue
        negated = False  # a negation goes on over "or"/"nor" ("I can't browse the web or open the PDF")
        for toks, follows, sep in _parts_after(sentence):
            negated = any(has_phrase(w, toks) for w in negations) or (negated and sep[-1:] in (["or"], ["nor"]))
            if follows or not negated or not any(has_phrase(c, toks) for c in cues):
                continue
            topic = lead_topic(toks, negations)
            if (topic is None or topic in fits) and _act_problem(toks, kinds, asked) is None:
                return True  # not "I can't play the lottery": an act the request does not need
    return False
