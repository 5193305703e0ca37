"""Claims a choice reply makes about its options, checked against the option texts (data: `choice_claims.yaml`).

The right letter comes with a false statement ("B. A is 3 years." when A is 48 months, "D. C comes first." when C is
not first alphabetically, "A. Carrot is a fruit."), or with a statement that another option answers the question ("D.
C comes first." in a row that asks for the first word, whether C comes first or not): either way the reply's reason
does not support its pick, and it fails. True statements about the options pass ("B. A is 4 years.", "B. A (48 months)
is 4 years.", "D. C comes second.").

Every claim is computed from the option texts and the question, never from a list of replies:

- quantities ("A is 3 years", "A = 36 months", "A is 1 year 6 months", "A has 7 letters"): the option's amount in its
  own unit, or in the unit the question asks for when the option is a bare number ("Convert 4 years to months." lists
  months), compared by `choice_amounts`: the task pack's unit table (`data.skills.choice.UNITS`) joins units exactly,
  the YAML's readings join the rest of a dimension (a month is 28 to 31 days); a claim that holds under some readings
  only ("12 months is 365 days") is UNSETTLED: not judged, but read as a claim; a bare number is compared with the
  option's own number;
- comparisons with an amount ("A is more than 3 years", "A has fewer than 6 letters"): the option's amount against it,
  UNSETTLED when the readings disagree;
- ranks ("A comes first", "A is the largest") and orders ("A comes before C", "A is larger than C"): the A-to-Z order of
  the option texts when the claim or the question names it, the options' numbers for sizes, the calendar for days and
  months ("D comes after B", "A comes after May": `choice_relations.calendar_order`);
- first letters ("A starts with c") and parity ("A is even");
- kinds ("apple is a vegetable"): `choice_kinds`' kinds with their hierarchy (a fruit is a plant, a vegetable is not a
  fruit), for options the task pack lists.

A claim's subject is an option letter (upper case: "b comes before c" speaks of letters of the alphabet), its text or
its text with its unit, or a pronoun standing for an option ("B. A is 36 months, and it is 3 years."), opening a
clause. Negated claims ("A is not 3 years") and numbers inside longer phrases ("A is 3
times B") claim nothing checked here; a claim that cannot be computed (a rank in no known order) is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .choice_amounts import NUMBER as _NUMBER
from .choice_amounts import amount_pattern, exceeds, joined, number_value, read_amount, read_option_amount, same_amount, unit_name, unit_scales
from .choice_amounts import units_pattern as _units_pattern
from .choice_kinds import asked_kind, claim_holds, kind_claim_at, under
from .choice_relations import calendar_order, calendar_word_at, relation_claim_at
from .choice_stance import _question, question_terms
from .reply_text import MARKDOWN, phrase_alternation

CLAIMS_YAML = Path(__file__).with_name("choice_claims.yaml")
__all__ = ["claims", "false_claim", "only_claimed", "unclaimed", "same_amount", "unit_scales", "unit_name", "number_value"]


class Unsettled:
    """The truth of a claim that holds under some readings of its words and fails under others ("12 months is 365
    days": a common year, not a leap year; "Sunday comes after Monday": a week from Monday, not one from Sunday). It is
    not judged, but it is read as a claim: its option is described, not chosen."""

    def __repr__(self) -> str:
        return "UNSETTLED"


UNSETTLED = Unsettled()
Truth = bool | None | Unsettled


@dataclass(frozen=True)
class ClaimWords:
    """The lists and tables of `choice_claims.yaml` (see the YAML for what each holds)."""

    subject_openers: tuple[str, ...]
    subject_prefixes: tuple[str, ...]
    subject_pronouns: tuple[str, ...]
    quantity_links: tuple[str, ...]
    quantity_skips: tuple[str, ...]
    claim_ends: tuple[str, ...]
    rank_links: tuple[str, ...]
    order_links: tuple[str, ...]
    alphabetical_before: tuple[str, ...]
    alphabetical_after: tuple[str, ...]
    alphabetical_verbs_before: tuple[str, ...]
    alphabetical_verbs_after: tuple[str, ...]
    numeric_larger: tuple[str, ...]
    numeric_smaller: tuple[str, ...]
    alphabetical_qualifiers: tuple[str, ...]
    alphabetical_questions: tuple[str, ...]
    first_letter_verbs: tuple[str, ...]
    number_words: dict[str, int]
    unit_aliases: dict[str, str]
    alphabetical_ranks: dict[str, int]
    numeric_ranks: dict[str, int]
    parity_words: dict[str, int]
    unit_dimensions: dict[str, str]


_TABLES = {"number_words": int, "unit_aliases": str, "alphabetical_ranks": int, "numeric_ranks": int, "parity_words": int}


def _table(value: object, field: str, kind: type) -> dict:
    if not isinstance(value, dict) or not all(isinstance(v, kind) and not isinstance(v, bool) for v in value.values()):
        raise PicochatInputError(f"expected a mapping of words to {kind.__name__} values", path=str(CLAIMS_YAML), field=field)
    return {str(k).lower(): (v.lower() if isinstance(v, str) else v) for k, v in value.items()}


@lru_cache(maxsize=1)
def claim_words() -> ClaimWords:
    data = load_yaml_text(CLAIMS_YAML.read_text(encoding="utf-8")) or {}
    out: dict[str, object] = {}
    for name in ClaimWords.__dataclass_fields__:
        value = data.get(name)
        if name in _TABLES:
            out[name] = _table(value, name, _TABLES[name])
        elif name == "unit_dimensions":
            dims = {dim: _table(dict.fromkeys(units or [], dim) if isinstance(units, list) else None, f"{name}.{dim}", str)
                    for dim, units in (value.items() if isinstance(value, dict) else [(name, None)])}
            out[name] = {unit: dim for table in dims.values() for unit, dim in table.items()}
        elif isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            out[name] = tuple(v.lower() for v in value)
        else:
            raise PicochatInputError("expected a list of non-empty strings", path=str(CLAIMS_YAML), field=name)
    return ClaimWords(**out)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Row:
    """What the claims are checked against: the option texts and what the question asks."""

    choices: tuple[str, ...]
    question: str
    default_unit: str | None
    asked_amounts: tuple[tuple[float, str], ...]

    def parts(self, k: int) -> tuple[tuple[float, str | None], ...] | None:
        """Option k's amount as parts ("48 months" -> ((48, "months"),); "48" in a row asking for months -> ((48,
        "months"),); "1 year 6 months" -> two parts), None when its text is no amount."""
        return read_option_amount(self.choices[k], self.default_unit)

    def amount(self, k: int) -> tuple[float, str | None] | None:
        """Option k's number and unit when its amount has one part, None otherwise."""
        parts = self.parts(k)
        return parts[0] if parts is not None and len(parts) == 1 else None

    def letters(self, k: int) -> int:
        return sum(ch.isalpha() for ch in self.choices[k])


def read_row(choices: list[str], question: str) -> Row:
    """The row's option texts; the unit a bare-number option counts in (the one unit the question names without a
    number: "Convert 4 years to months." -> months); the amounts the question names (4 years)."""
    q = MARKDOWN.sub("", question)
    amounts, bare = [], []
    number = r"(?<![\w.])(" + _NUMBER + "|" + phrase_alternation(tuple(claim_words().number_words)) + r")[\s-]*"
    for m in re.finditer(r"(?<![A-Za-z])(?:" + number + r")?(" + _units_pattern() + r")", q, re.IGNORECASE):
        unit = unit_name(m.group(2))
        value = number_value(m.group(1)) if m.group(1) else None
        if unit is not None and value is not None:
            amounts.append((value, unit))
        elif unit is not None:
            bare.append(unit)
    default = bare[0] if len(set(bare)) == 1 else None
    return Row(tuple(c.strip() for c in choices), q, default, tuple(amounts))


def _quantity_truth(row: Row, k: int, claimed: tuple[tuple[float, str | None], ...]) -> Truth:
    if len(claimed) == 1 and claimed[0][1] == "letters":
        return row.letters(k) == claimed[0][0]
    own = row.parts(k)
    if own is None:
        return None
    if all(unit is None for _, unit in claimed):  # a bare number: the option's own number
        return own[0][0] == claimed[0][0] if len(own) == 1 and len(claimed) == 1 else None
    truth = same_amount(own, claimed)
    return UNSETTLED if truth is None and joined(own, claimed) else truth


def _comparison_truth(row: Row, k: int, claimed: tuple[tuple[float, str | None], ...], larger: bool) -> Truth:
    """Whether option k's amount is larger (smaller when not `larger`) than the claimed one: UNSETTLED when that holds
    under some readings only ("A (12 months) is more than 365 days")."""
    if len(claimed) == 1 and claimed[0][1] == "letters":
        return row.letters(k) > claimed[0][0] if larger else row.letters(k) < claimed[0][0]
    own = row.parts(k)
    if own is None:
        return None
    truth = exceeds(own, claimed) if larger else exceeds(claimed, own)
    return UNSETTLED if truth is None and joined(own, claimed) else truth


def _words(words: tuple[str, ...] | list[str]) -> str:
    return r"(?:" + phrase_alternation(tuple(words)) + r")"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    """The regexes of a claim's parts, read at the end of its subject."""
    w = claim_words()
    ends = r"(?=\s*(?:[.,;:!?)\n]|$|" + _words(w.claim_ends) + r"))"
    number = r"(" + _NUMBER + r"|" + _words(tuple(w.number_words)) + r")"
    links = r"\s*(?:" + "|".join((r"\s*" + re.escape(x)) if not x[:1].isalnum() else _words((x,)) for x in w.quantity_links) + r")\s*"
    qualifier = r"(?:\s*,?\s*(?P<qual>" + _words(w.alphabetical_qualifiers) + r"))?"
    thing = r"(?:\s+(?:one|word|number|option|value|choice|item))?"
    return {
        "quantity": re.compile(links + r"(?P<neg>(?:not|never)\s+)?(?:" + _words(w.quantity_skips) + r"\s+)*(?:(?P<cmp>"
                               + _words(w.numeric_larger + w.numeric_smaller) + r")\s+)?(?P<amount>" + amount_pattern() + r")"
                               + r"(?!\s*,?\s*(?:and\s+)?" + number + r")(?:\s+long)?" + ends, re.IGNORECASE),
        "rank": re.compile(r"\s*" + _words(w.rank_links) + r"\s+(?P<neg>not\s+)?(?:the\s+)?(?:very\s+)?(?P<rank>"
                           + _words(tuple(w.alphabetical_ranks) + tuple(w.numeric_ranks)) + r")" + thing + qualifier + ends, re.IGNORECASE),
        "order": re.compile(r"\s*(?:" + _words(w.order_links) + r"\s+)?(" + _words(w.alphabetical_before + w.alphabetical_after + w.numeric_larger
                            + w.numeric_smaller) + r"|" + _words(w.alphabetical_verbs_before + w.alphabetical_verbs_after) + r")\s+", re.IGNORECASE),
        "qualifier": re.compile(qualifier, re.IGNORECASE),
        "first_letter": re.compile(r"\s*(?P<neg>(?:does|do)\s+not\s+)?" + _words(w.first_letter_verbs) + r"\s+(?:(?:the|an?)\s+)?(?:letter\s+)?[\"'“‘]?(?P<letter>[A-Za-z])[\"'”’]?"
                                   + ends, re.IGNORECASE),
        "parity": re.compile(r"\s*(?:is|are)\s+(?P<neg>not\s+)?(?:an?\s+)?(?:" + _words(w.quantity_skips) + r"\s+)*(?P<parity>" + _words(tuple(w.parity_words))
                             + r")(?:\s+number)?" + ends, re.IGNORECASE),
        "opens": re.compile(r"(?:^|[.,;:!?(\[\n—–-]|" + _words(w.subject_openers) + r")\s*(?:" + _words(w.subject_prefixes)
                            + r"\s+)?[\"'“‘(\[]?$", re.IGNORECASE),
        "prefix": re.compile(r"(?:" + _words(w.subject_prefixes) + r"\s+)?", re.IGNORECASE),
    }


def _mentions(s: str, labels: list[str], choices: tuple[str, ...]) -> list[tuple[int, int, int]]:
    """(start, end, option) of each option letter (upper case) and option text (with its unit, a plural "s" and a
    bracket after it: "A (48 months)", "48 months", "apples")."""
    found = []
    for k, label in enumerate(labels[: len(choices)]):
        found += [(m.start(), m.end(), k) for m in re.finditer(_letter(label), s)]
        text = choices[k]
        if not text:
            continue
        tail = r"(?:[\s-]*" + _units_pattern() + r")?" if re.fullmatch(_NUMBER, text) else r"(?:s|es)?"
        found += [(m.start(), m.end(), k) for m in re.finditer(_text(text, tail), s, re.IGNORECASE)]
    out = []
    for start, end, k in sorted(found):
        bracket = re.match(r"\s*\([^()\n]{0,40}\)", s[end:])
        out.append((start, end + (bracket.end() if bracket else 0), k))
    return out


_SENTENCE_END = re.compile(r"[.!?](?=[\s\"'”’)]|$)|\n")


def _pronoun_subjects(s: str, mentions: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, option) of each pronoun of `subject_pronouns` ("it", "that one") that stands for an option: the one
    named last before it in its sentence, or, when its sentence names none before it, the one option the sentence
    before names ("B. A is 36 months. It is 3 years.")."""
    out = []
    pronouns = re.compile(r"(?<![\w'’])" + _words(claim_words().subject_pronouns) + r"(?![\w'’])", re.IGNORECASE)
    for m in pronouns.finditer(s):
        ends = [e.end() for e in _SENTENCE_END.finditer(s, 0, m.start())]
        here = ends[-1] if ends else 0
        before = [k for start, end, k in mentions if here <= start and end <= m.start()]
        if not before and ends:
            before = sorted({k for start, _, k in mentions if (ends[-2] if len(ends) > 1 else 0) <= start < here})
            before = before if len(before) == 1 else []
        if before:
            out.append((m.start(), m.end(), before[-1]))
    return out


def _letter(label: str) -> str:
    return r"(?<![A-Za-z0-9'’])" + re.escape(label) + r"(?![A-Za-z0-9'’])"


def _text(choice: str, tail: str = "") -> str:
    return r"(?<![\w'’.-])" + re.escape(choice).replace(r"\ ", r"\s+") + tail + r"(?![\w'’])"


def _object_at(s: str, pos: int, mentions: list[tuple[int, int, int]]) -> tuple[int, int, int] | None:
    """(end, option, start) of the option named right at `pos`, maybe after "option" or "the"."""
    m = _patterns()["prefix"].match(s, pos)
    at = m.end() if m else pos
    return next(((end, k, start) for start, end, k in mentions if start in (pos, at)), None)


def _value(row: Row, k: int) -> tuple[str, float] | None:
    """Option k's amount in its unit table's own count ("", number for a bare number of no known unit)."""
    amount = row.amount(k)
    if amount is None:
        return None
    if amount[1] is None:
        return "", amount[0]
    base, scale = unit_scales()[amount[1]]
    return base, amount[0] * scale


def _numeric_order(row: Row) -> list[int] | None:
    """The options from the smallest amount to the largest, None unless all are amounts of one count."""
    values = [_value(row, k) for k in range(len(row.choices))]
    if any(v is None for v in values) or len({v[0] for v in values if v}) != 1:
        return None
    return sorted(range(len(values)), key=lambda k: values[k][1])  # type: ignore[index]


def _alphabetical(row: Row, qualified: bool) -> list[int] | None:
    """The options in A-to-Z order, when the claim or the question speaks of that order."""
    if not qualified and not re.search(_words(claim_words().alphabetical_questions), row.question, re.IGNORECASE):
        return None
    return sorted(range(len(row.choices)), key=lambda k: row.choices[k].lower())


def _asks_word(row: Row, table: dict[str, int], value: int) -> bool:
    return any(re.search(_words((w,)), row.question, re.IGNORECASE) for w, v in table.items() if v == value)


def _rank(row: Row, k: int, word: str, qualified: bool) -> tuple[bool | None, bool]:
    """(whether option k holds the rank `word` names, whether that rank is the one the question asks for)."""
    w = claim_words()
    alphabetical = word in w.alphabetical_ranks
    table = w.alphabetical_ranks if alphabetical else w.numeric_ranks
    order = _alphabetical(row, qualified) if alphabetical else _numeric_order(row)
    if order is None:
        return None, False
    place = table[word]
    if not -len(order) <= place < len(order):
        return False, False
    asked = _asks_word(row, table, place) and (not alphabetical or _alphabetical(row, False) is not None)
    return order[place] == k, asked


def _order(row: Row, k: int, word: str, other: int, qualified: bool) -> Truth:
    """Whether option k stands in the order `word` names to option `other` ("before", "larger than")."""
    w = claim_words()
    word = re.sub(r"\s+", " ", word.lower())
    if word in w.numeric_larger + w.numeric_smaller:
        order = _numeric_order(row)
        if order is None:
            return None
        return (order.index(k) > order.index(other)) == (word in w.numeric_larger)
    order = _alphabetical(row, qualified)
    if order is None:
        return _calendar_claim(row.choices[k], row.choices[other], word)
    return (order.index(k) < order.index(other)) == (word in w.alphabetical_before + w.alphabetical_verbs_before)


def _calendar_claim(x: str, y: str, word: str) -> Truth:
    """Whether x stands in the order `word` names to y in the calendar (`choice_relations.calendar_order`): None unless
    x and y are days, or months, of one sequence; UNSETTLED when it depends on where the week or year starts."""
    w = claim_words()
    word = re.sub(r"\s+", " ", word.lower())
    verbs = w.alphabetical_verbs_before + w.alphabetical_verbs_after
    if word not in w.alphabetical_before + w.alphabetical_after + verbs:
        return None
    same, truth = calendar_order(x, y, word in w.alphabetical_after + w.alphabetical_verbs_after, word in verbs)
    return UNSETTLED if same and truth is None else truth


def _negated(m: re.Match, claim: tuple[int, Truth, bool, int | None]) -> tuple[int, Truth, bool, int | None]:
    """A claim read with "not" before its predicate ("A is not 3 years"): true when the predicate is false, and it says
    nothing answers the question."""
    if not m.group("neg"):
        return claim
    return claim[0], claim[1] if claim[1] is None or claim[1] is UNSETTLED else not claim[1], False, claim[3]


def _plain(text: str) -> str:
    """The reply without markdown, its negated copulas spelled out ("isn't" -> "is not")."""
    return re.sub(r"\b(is|are|was|were|does|do|did)n['’]t\b", r"\1 not", MARKDOWN.sub("", text), flags=re.IGNORECASE)


def _claim_at(s: str, end: int, k: int, row: Row, mentions: list[tuple[int, int, int]], key: int,
              asked_kind: str | None) -> tuple[int, Truth, bool, int | None] | None:
    """(where the claim ends, whether it is true, whether it says option k answers the question, where the other
    option it compares k with is named) for a claim about option k read right after its subject, None when none is
    there."""
    p, w = _patterns(), claim_words()
    m = p["quantity"].match(s, end)
    claimed = read_amount(m.group("amount")) if m else None  # None for no amount ("3 years, 36 months" restates one)
    if m and claimed and m.group("cmp") and claimed[0][1] is not None:  # "A is more than 3 years"; "than C": an order
        larger = re.sub(r"\s+", " ", m.group("cmp").lower()) in w.numeric_larger
        return _negated(m, (m.end(), _comparison_truth(row, k, claimed, larger), False, None))
    if m and claimed and not m.group("cmp"):
        asked = claimed[0][1] is not None and any(same_amount(claimed, a) is True for a in row.asked_amounts)
        return _negated(m, (m.end(), _quantity_truth(row, k, claimed), asked, None))
    m = p["rank"].match(s, end)
    if m:
        return _negated(m, (m.end(), *_rank(row, k, re.sub(r"\s+", " ", m.group("rank").lower()), m.group("qual") is not None), None))
    relation = relation_claim_at(s, end, row.choices[k], row.question)
    if relation:
        return (*relation, None)
    m = p["order"].match(s, end)
    target = _object_at(s, m.end(), mentions) if m else None
    if m and target:
        qualified = p["qualifier"].match(s, target[0])
        stop = qualified.end() if qualified and qualified.group("qual") else target[0]
        return stop, (None if target[1] == k else _order(row, k, m.group(1), target[1], stop != target[0])), False, target[2]
    day = calendar_word_at(s, m.end(), row.choices[k]) if m and not _alphabetical(row, False) else None
    if m and day and not (p["qualifier"].match(s, day[0]) or m).group("qual"):  # "D comes after May": the calendar's order
        return day[0], _calendar_claim(row.choices[k], day[1], m.group(1)), False, None
    m = p["first_letter"].match(s, end)
    if m:
        letter = re.search(r"[\"“'‘]([A-Za-z])[\"”'’]", row.question)
        asked = letter is not None and letter.group(1).lower() == m.group("letter").lower()
        return _negated(m, (m.end(), row.choices[k].lower().startswith(m.group("letter").lower()), asked, None))
    m = p["parity"].match(s, end)
    if m:
        amount, parity = row.amount(k), w.parity_words[m.group("parity").lower()]
        truth = None if amount is None or amount[0] != int(amount[0]) else int(amount[0]) % 2 == parity
        return _negated(m, (m.end(), truth, _asks_word(row, w.parity_words, parity), None))
    found = kind_claim_at(s, end) if k != key else None  # the key's own kind: `choice_kinds.misplaced_kind`
    if found:
        truth = claim_holds(row.choices[k], found[1], asked_kind, False)
        return found[0], truth, asked_kind is not None and under(found[1], asked_kind), None
    return None


@dataclass(frozen=True)
class Claim:
    """A claim about option `option` written from `start` to `stop`; `truth` None when it cannot be computed, UNSETTLED
    when it depends on the reading."""

    start: int
    stop: int
    option: int
    truth: Truth
    answers: bool
    other_at: int | None
    said: str


def claims(text: str, labels: list[str], choices: list[str] | None, gold: str, prompt: str) -> list[Claim]:
    """The claims the reply makes about its options, in order (see the module docstring)."""
    if not choices or gold not in labels or labels.index(gold) >= len(choices):
        return []
    question = _question(prompt) if prompt else ""
    row, s, key = read_row(choices, question), _plain(text), labels.index(gold)
    asked = asked_kind(question_terms(prompt)) if prompt else None
    mentions = _mentions(s, labels, row.choices)
    out = []
    for start, end, k in sorted(mentions + _pronoun_subjects(s, mentions)):
        if not _patterns()["opens"].search(s[:start]):
            continue
        found = _claim_at(s, end, k, row, mentions, key, asked)
        if found is not None:
            out.append(Claim(start, found[0], k, found[1], found[2], found[3], re.sub(r"\s+", " ", s[start : found[0]]).strip()))
    return out


def false_claim(text: str, gold: str, labels: list[str], choices: list[str] | None, prompt: str) -> str | None:
    """Why the reply's claims about the options do not support choosing `gold`: a false claim about an option, or one
    that says another option answers the question; None when there is none."""
    for claim in claims(text, labels, choices, gold, prompt):
        if claim.truth is False:
            return f"choice: {gold} is given with a false claim about option {labels[claim.option]} ({claim.said!r})"
        if claim.answers and labels[claim.option] != gold:
            return f"choice: {gold} is given, but the reply says option {labels[claim.option]} answers the question ({claim.said!r})"
    return None


def only_claimed(text: str, labels: list[str], choices: list[str] | None, gold: str, prompt: str) -> tuple[set[str], set[int]]:
    """(the letters, the option indices) the reply names only as the subjects or compared options of claims it can
    compute ("B. A is 4 years.", "A. D is larger than B."): they describe their options and are judged by `false_claim`,
    not read as chosen or stated."""
    s = _plain(text)
    known = [c for c in claims(text, labels, choices, gold, prompt) if c.truth is not None or c.answers]
    spots = {c.start for c in known} | {c.other_at for c in known if c.other_at is not None}
    letters = {x for x in labels[: len(choices or [])] if x != gold and (at := [m.start() for m in re.finditer(_letter(x), s)])
               and set(at) <= spots}
    texts = {k for k, c in enumerate(choices or []) if labels[k] != gold and c.strip()
             and (at := [m.start() for m in re.finditer(_text(c.strip()), s, re.IGNORECASE)]) and set(at) <= spots}
    return letters, texts


def unclaimed(letters: list[str], text: str, labels: list[str], choices: list[str] | None, gold: str, prompt: str) -> list[str]:
    """`letters` (read as chosen) without those named only in claims `false_claim` judges; all of them when that would
    leave none ("A is 4 years." alone chooses A)."""
    if len(letters) < 2:
        return letters
    claimed = only_claimed(text, labels, choices, gold, prompt)[0]
    return [x for x in letters if x not in claimed] or letters
