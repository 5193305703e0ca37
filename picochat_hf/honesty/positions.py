"""An answer chosen by its place among the alternatives its question offers: "Capital of Serbia — Belgrade or
Budapest?" answered "The first one." gives Belgrade as "Capital of Serbia? Belgrade." does, and "Is the capital of
Serbia Budapest or Belgrade?" answered "The latter." gives Belgrade too.

The alternatives are the question's last clause (after a dash, colon, semicolon or bracket; the whole question without
one) split at its alternative words and commas; without a clause mark the first reaches back as many words as the longest
other one ("Is the capital of Serbia Budapest" offers "Budapest"). The reply is read in its first sentence: every place it
mentions, by a place word ("the first one", "the latter", `choice_positions` before a `choice_position_nouns` noun) or by
number ("option two", "number 2": a `choice_position_numbered` word before a cardinal), is named or not as an option
would be (`choice_lists.named_options`): "The first one, not the second." and "The first one? No, the second." name one
place, "The first one or the second." and "Neither the first nor the second." none. The sentence names a place only
when its other words are few (at most `choice_position_other_words` besides lead-ins, `choice_position_fillers`, the
question's own words and the rejection cues): "The second one is correct." chooses, "The second city I visited was Novi
Sad." does not. Lead-ins may follow one another ("If I had to pick, I would go with the ...") and a place may be followed
by words naming the alternatives it is among (`choice_position_tails`: "the first one of the two"). A reply rejecting
all alternatives but one and naming none chooses that one ("Not Budapest." of two, "Not Budapest, Baghdad or New Delhi."
and, with letters, "Not A, B or D." of four; `excluded_place`); one rejection among four chooses nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .choice_lists import ListRules, answer_words, named_options, rejected_offers, rejected_options
from .normalize import words

_CLAUSE_MARK = re.compile(r"[—–:;(\[]|\s-\s")
_ALTERNATIVE = re.compile(r"\s*,\s*(?:or\s+)?|\s+or\s+|\s*/\s*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.?!]+(?=\s|$)|\n")
PLACES = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}  # the places `choice_positions` may name
_CARDINALS = {"one": 0, "1": 0, "two": 1, "2": 1, "three": 2, "3": 2, "four": 3, "4": 3}
_WRAPPED = re.compile(r"(?<=[^\W_])[ \t]*\r?\n[ \t]*(?=[a-z])")  # "The\nsecond one.": a sentence wrapped over two lines
_MARK = "#"  # a place mention read as one token ("#1"); `words` never yields a "#"


def offered_alternatives(question: str, asking: frozenset[str] = frozenset(),
                         openers: frozenset[tuple[str, ...]] = frozenset()) -> tuple[str, list[str]] | None:
    """(the question without its alternatives, the alternatives in order) of a question offering "X or Y", None for one
    offering fewer than two. The alternatives are the last clause holding an alternative word, its own clause mark before
    it ("Capital of Serbia — Belgrade or Budapest?") or none ("Budapest or Belgrade — which do you think?"); the rest is
    the question. Without a clause mark before them, a question opening with one of the `asking` words ("Which is the
    capital of Serbia, Budapest or Belgrade?") offers what follows its first comma; another ("Is the capital of Serbia
    Budapest, Belgrade or Baghdad?") offers its last words before it too; a comma before a clause opening with one of the
    `openers` ends the question before it ("Capital of Serbia, is it Belgrade or Budapest" offers Belgrade and Budapest)."""
    asked = question.rstrip().rstrip("?").rstrip()
    if " or " not in asked.lower() and "/" not in asked:
        return None
    marks = [(m.start(), m.end()) for m in _CLAUSE_MARK.finditer(asked)]
    bounds = [(0, 0), *marks, (len(asked), len(asked))]
    clauses = [(bounds[k][1], bounds[k + 1][0]) for k in range(len(bounds) - 1)]
    offering = [c for c in clauses if " or " in f" {asked[c[0] : c[1]].lower()} " or "/" in asked[c[0] : c[1]]]
    if not offering:
        return None
    start, end = offering[-1]
    rest = asked[end:]
    opening = asked.split(",", 1)[0]  # "Which is X, A or B": the asking word opens the sentence holding the comma
    if not start and "," in asked[:end] and asking & set(words(opening)[:1]) and not _SENTENCE_END.search(opening):
        start = asked.index(",") + 1
    base = 0 if start else _asking_clause(asked[:end], openers)
    parts = [p.strip() for p in _ALTERNATIVE.split(asked[start or base : end])]
    if len(parts) < 2 or not all(words(p) for p in parts):
        return None
    if start:  # the clause holds the alternatives alone
        return asked[:start] + rest, parts
    reach = max(len(words(p)) for p in parts[1:])
    first, head = words(parts[0]), parts[0].split()
    # the question as written (its names keep their capitals), without the first alternative's words
    return asked[:base] + " ".join(head[: max(len(head) - reach, 0)]) + rest, [" ".join(first[-reach:]), *parts[1:]]


def _asking_clause(asked: str, openers: frozenset[tuple[str, ...]]) -> int:
    """Where the last clause after a comma opening with one of `openers` starts ("Capital of Serbia, is it Belgrade or
    Budapest": at "is"), 0 without one."""
    for m in reversed(list(re.finditer(",", asked))):
        ws = words(asked[m.end() : m.end() + 40])
        if any(tuple(ws[: len(o)]) == o for o in openers):
            return m.end()
    return 0


_VALUE_SENTENCE_END = re.compile(r"[.!](?=\s|$)|\?|\n")


def offers_list(value: str, rules: ListRules) -> bool:
    """Whether the text after a key's separator, to its sentence's end, offers alternatives rather than a value: short
    parts joined by commas and an alternative word, or asked with a "?" ("Capital of Serbia — Belgrade, Budapest or
    Baghdad?" offers three answers and gives none; "Capital of Serbia: Belgrade, a city on the Danube." gives one)."""
    end = _VALUE_SENTENCE_END.search(value)
    asked = bool(end) and end.group(0) == "?"
    parts = [words(p) for p in _ALTERNATIVE.split(value[: end.start() if end else len(value)])]
    if len(parts) < 2 or not all(0 < len(p) <= rules.max_words for p in parts):
        return False
    said = words(value[: end.start() if end else len(value)])  # "Belgrade, or so I think" offers nothing beside it
    return asked or any(w in rules.alternatives and k + 1 < len(said) and said[k + 1] not in rules.hedges for k, w in enumerate(said))


def reply_sentence(reply: str, rules: ListRules) -> list[str]:
    """The words of a reply's first sentence with words, an option asked and answered no read as rejected ("The first
    one? No, the second." is one sentence rejecting the first place, `choice_lists.answer_words`)."""
    text = _WRAPPED.sub(" ", rejected_offers(reply, rules))
    for part in _SENTENCE_END.split(text):
        got = answer_words(part, rules)
        if got and not set(got) <= rules.position_fillers:  # "Answer:" or "Hmm." alone before the reply says nothing
            return got
    return []


def _mentions(ws: list[str], rules: ListRules) -> tuple[list[str], list[int]]:
    """`ws` with every place mention as one token ("#0", "#-1") and the places in order: "the first one" and "option
    two" are "#0" and "#1"."""
    places, numbered = dict(rules.positions), rules.position_numbered
    out: list[str] = []
    found: list[int] = []
    i = 0
    while i < len(ws):
        j = i + 1 if ws[i] == "the" and i + 1 < len(ws) and ws[i + 1] in places else i
        if ws[j] in places:
            place, end = places[ws[j]], j + 1
            end += 1 if end < len(ws) and ws[end] in rules.position_nouns else 0
        elif ws[j] in numbered and j + 1 < len(ws) and ws[j + 1] in _CARDINALS:
            place, end = _CARDINALS[ws[j + 1]], j + 2
        else:
            out.append(ws[i])
            i += 1
            continue
        out.append(f"{_MARK}{place}")
        found.append(place)
        i = end
    return out, found


def _without_leads(reply: list[str], rules: ListRules) -> list[str]:
    """`reply` without the lead-ins it opens with, several in a row ("If I had to pick, I would go with the ...")."""
    ws = list(reply)
    leads = sorted(rules.position_leads, key=len, reverse=True)
    while lead := next((lead for lead in leads if tuple(ws[: len(lead)]) == lead), None):
        ws = ws[len(lead) :]
    return ws


def _without_tails(tokens: list[str], rules: ListRules) -> list[str]:
    """`tokens` without the words right after a place mention that only name the alternatives ("#0 of the two")."""
    tails = sorted(rules.position_tails, key=len, reverse=True)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        out.append(tokens[i])
        tail = next((t for t in tails if tokens[i].startswith(_MARK) and tuple(tokens[i + 1 : i + 1 + len(t)]) == t), ())
        i += 1 + len(tail)
    return out


def _few_other_words(tokens: list[str], rules: ListRules, question: list[str]) -> bool:
    """Whether the words beside the place mentions are few: at most `rules.position_other_words` of them that are not
    fillers, nouns, articles, rejection or alternative cues or the question's own words."""
    cues = {w for run in (*rules.rejected_before, *rules.rejected_after) for w in run} | rules.alternatives | rules.alternatives_before
    spare = rules.position_fillers | rules.position_nouns | rules.articles | cues | set(question)
    return sum(not t.startswith(_MARK) and t not in spare for t in tokens) <= rules.position_other_words


def named_places(reply: list[str], rules: ListRules, question: list[str] = ()) -> set[int]:
    """The places a reply's words name and do not reject ("the first one, not the second" is {0}); none when the reply
    says more than `rules.position_other_words` other words (see the module docstring)."""
    tokens, found = _mentions(_without_leads(reply, rules), rules)
    if not found:
        return set()
    tokens = _without_tails(tokens, rules)
    if not _few_other_words(tokens, rules, question):
        return set()
    marks = sorted({f"{_MARK}{p}" for p in found})
    return {int(m[len(_MARK) :]) for m in named_options(tokens, marks, rules)}


def excluded_place(reply: list[str], rules: ListRules, question: list[str], alternatives: list[str],
                   letters: list[str] = ()) -> int | None:
    """The one alternative a reply leaves by rejecting every other and naming none: of two, "Not Budapest.", "The one
    that is not Budapest.", "Not the second one."; of four, "Not Budapest, Baghdad or New Delhi.", "Not the first,
    second or fourth." and, with the options' `letters` ("a", "b", ...), "Not A, B or D." or "Anything but A, B and D."
    (a rejected list runs on over "or", "nor", "and" and commas, `_rejected_list`). "Not the first or the second." of
    two, a reply with more than `rules.position_other_words` other words, a place beyond the alternatives and a reply
    rejecting fewer than all but one choose nothing. A single rejection among three or more alternatives ("Not A." of
    four) is not read as an answer at all: it leaves several candidates, so a row trained on it cannot give the item's
    key (a guess goes from one in four to one in three), and reporting it would flag every explanation that dismisses
    a distractor; the scan reports answers, not hints."""
    n = len(alternatives)
    if n < 2:
        return None
    ws = _without_leads(reply, rules)
    texts = [words(a) for a in alternatives]
    for k, text in enumerate(texts):  # an alternative named by its text is a place mention too ("not budapest" is "not #1")
        ws = _replaced(ws, text, f"{_MARK}{k}") if text else ws
    ws = _lettered(ws, list(letters), rules) if letters else ws
    tokens, _ = _mentions(ws, rules)
    tokens = _without_tails(tokens, rules)
    # a noun before a place says what it is, so "not option #1" rejects #1 as "not #1" does
    tokens = [t for i, t in enumerate(tokens) if not (t in rules.position_nouns and tokens[i + 1 : i + 2] and tokens[i + 1].startswith(_MARK))]
    marks = sorted({t for t in tokens if t.startswith(_MARK)})
    if not marks or not _few_other_words(tokens, rules, question):
        return None
    places = {int(m[len(_MARK) :]) for m in marks}
    rejected = _rejected_list(tokens, marks, rules)
    if (named_options(tokens, marks, rules) - rejected or any(not -n <= p < n for p in places)
            or {int(m[len(_MARK) :]) % n for m in rejected} != {p % n for p in places} or len(places) != len(rejected)):
        return None
    left = set(range(n)) - {p % n for p in places}
    return left.pop() if len(left) == 1 else None


_LIST_JOINS = frozenset({",", "or", "nor", "and", "not"})  # words between the rejected places of one list ("not #0, #1 or #3")


def _rejected_list(tokens: list[str], marks: list[str], rules: ListRules) -> set[str]:
    """The place marks `tokens` reject (`choice_lists.rejected_options`) and each mark continuing a rejected list: after a
    rejected mark across list words only ("not #0 #1 or #3", "anything but #0 #1 and #3") and itself followed by nothing,
    another mark or list words ("Not Budapest, Baghdad is the capital." names Baghdad, it rejects only Budapest)."""
    rejected = set(rejected_options(tokens, marks, rules))
    last: str | None = None
    for i, t in enumerate(tokens):
        if not t.startswith(_MARK):
            if t not in _LIST_JOINS:
                last = None
            continue
        rest = tokens[i + 1 :]
        closes = next((w for w in rest if w not in _LIST_JOINS), None)
        joined = i > 0 and tokens[i - 1] in _LIST_JOINS
        # a place right after another (their comma dropped) is in the list only before its closing "or" ("not #0 #1 or
        # #3"); after it the list has ended ("Neither Lima nor Oslo: Paris." names Paris)
        if last in rejected and (closes is None or closes.startswith(_MARK)) and (joined or _closed_later(rest)):
            rejected.add(t)
        last = t
    # a list closed by a rejection after it ("#1 #2 and #3 are wrong"): each mark before the last across list words
    after = [i for i, t in enumerate(tokens) if t in rejected and _rejected_after(tokens[i + 1 :], rules)]
    for i in after:
        k = i - 1
        while k >= 0 and (tokens[k].startswith(_MARK) or tokens[k] in _LIST_JOINS - {"not"}):
            if tokens[k].startswith(_MARK):
                rejected.add(tokens[k])
            k -= 1
    return rejected


def _closed_later(rest: list[str]) -> bool:
    """Whether the list run going on in `rest` still has a conjunction before a later place ("#1 or #3")."""
    for k, w in enumerate(rest):
        if w in ("or", "nor", "and") and rest[k + 1 : k + 2] and rest[k + 1].startswith(_MARK):
            return True
        if not w.startswith(_MARK) and w not in _LIST_JOINS:
            return False
    return False


def _rejected_after(rest: list[str], rules: ListRules) -> bool:
    """Whether `rest` opens with one of `rules.rejected_after` ("is wrong", "are wrong")."""
    return any(tuple(rest[: len(p)]) == p for p in rules.rejected_after)


def _lettered(ws: list[str], letters: list[str], rules: ListRules) -> list[str]:
    """`ws` with each option letter ("a", "b") standing as a place where it ends the reply or is followed by another
    letter, a list word or a rejection after it ("not a b or d", "b is wrong"); an article before a word ("not a
    capital") stays a word."""
    after = {p[0] for p in rules.rejected_after}
    out = list(ws)
    for i, w in enumerate(ws):
        nxt = ws[i + 1] if i + 1 < len(ws) else None
        if w in letters and (nxt is None or nxt in letters or nxt in _LIST_JOINS or nxt in after):
            out[i] = f"{_MARK}{letters.index(w)}"
    return out


def _replaced(ws: list[str], run: list[str], token: str) -> list[str]:
    """`ws` with every occurrence of the word run `run` as the one `token`."""
    out: list[str] = []
    i = 0
    while i < len(ws):
        if ws[i : i + len(run)] == run:
            out.append(token)
            i += len(run)
        else:
            out.append(ws[i])
            i += 1
    return out


def chosen_place(reply: list[str], rules: ListRules) -> int | None:
    """The one place a reply's words name ("the first one" is 0, "the latter" -1), None for any other reply."""
    named = named_places(reply, rules)
    return named.pop() if len(named) == 1 else None


def chosen_by_position(question: str, reply: list[str], rules: ListRules) -> tuple[str, str] | None:
    """(the question without its alternatives, the alternative the reply's words choose by place), None unless the
    question offers alternatives and the reply names one place among them (the second of two is also the last)."""
    if not rules.positions:
        return None
    offered = offered_alternatives(question, rules.position_asking, rules.question_openers)
    if offered is None:
        return None
    asked = words(question)
    named = named_places(reply, rules, asked)
    place = one_place(named, len(offered[1])) if named else excluded_place(reply, rules, asked, offered[1])
    return None if place is None else (offered[0], offered[1][place])


def one_place(named: set[int], count: int) -> int | None:
    """The one place among `count` alternatives that the `named` places denote (the second of two is also the last), None
    for none, several, or one beyond the alternatives."""
    chosen = {p % count for p in named} if count else set()
    if len(chosen) != 1 or any(not -count <= p < count for p in named):
        return None
    return chosen.pop()


def offer_then_reply(chunk: str, rules: ListRules) -> list[tuple[str, str]]:
    """Alternatives offered after a question without a "?" of their own, and the reply after them: on the next line ("Is it
    Belgrade or Budapest\nThe first") or run on from a place word in the same line ("Is it Belgrade or Budapest The
    first"); (the offer, the reply) for each reading, none when the chunk's first line offers no alternatives or asks
    with a "?" (then it is a question of its own)."""
    line, _, after = chunk.lstrip(" \t").partition("\n")
    low = line.lower()
    if "?" in line or not rules.positions or (" or " not in low and "/" not in line):
        return []
    out = [(line, after)] if after.strip() else []
    at = max(low.rfind(" or "), line.rfind("/"))
    m = _place_word(tuple(w for w, _ in rules.positions), tuple(sorted(rules.position_numbered))).search(line, at + 1)
    if m:
        out.append((line[: m.start()], line[m.start() :]))
    return out


@lru_cache(maxsize=4)
def _place_word(places: tuple[str, ...], numbered: tuple[str, ...]) -> re.Pattern:
    """A place mention as raw text: "the first", "latter", "option two" (`_mentions` reads the same words)."""
    place = "|".join(re.escape(w) for w in sorted(places, key=len, reverse=True))
    cardinal = "|".join(_CARDINALS)
    number = "|".join(re.escape(w) for w in numbered) or "(?!)"
    return re.compile(rf"(?<![^\W_])(?:(?:the\s+)?(?:{place})|(?:{number})\s+(?:{cardinal}))(?![^\W_])", re.IGNORECASE)


def without_offers(questions: list[str], rules: ListRules) -> list[str]:
    """`questions`, each also without the alternatives it offers ("Capital of Serbia — Budapest, Baghdad or Belgrade" also
    as "Capital of Serbia"): a reply naming one of them answers the question itself, whatever the number of options."""
    out = list(questions)
    for q in questions:
        offered = offered_alternatives(q, rules.position_asking, rules.question_openers) if " or " in q or "/" in q else None
        if offered is not None and offered[0].strip() not in out:
            out.append(offered[0].strip())
    return out


def offered_texts(questions: list[str], rules: ListRules) -> list[str]:
    """The normalised texts of every alternative the `questions` offer ("Budapest or Belgrade?" offers "budapest" and
    "belgrade"): a reply answers such a question with the one of them it names alone."""
    out: list[str] = []
    for q in questions:
        offered = offered_alternatives(q, rules.position_asking, rules.question_openers) if " or " in q or "/" in q else None
        out += [" ".join(words(a)) for a in (offered[1] if offered else []) if " ".join(words(a)) not in out]
    return out


def another_option_set(options: frozenset[str], alternatives: list[str], rules: ListRules) -> bool:
    """Whether a question's offered `alternatives` are a list (at least `rules.min_options`) of another option set than a
    choice item's `options` (neither set within the other): such a question is no copy of the choice item."""
    offered = set(alternatives)
    return bool(options) and len(offered) >= rules.min_options and not (offered <= options or options <= offered)
