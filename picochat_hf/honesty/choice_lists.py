"""Option lists written without labels: "Options: Lima, Oslo, Paris, Bern", "(Lima / Oslo / Paris / Bern)",
"Choose from Lima, Oslo, Paris or Bern.", or short lines ("- Lima", "Oslo", ...).

A choice item copied with its letters dropped is still the item: `choice_copies.py` compares such a list with
an eval item's options exactly as it compares a lettered one (one option set within the other, the right
option chosen, the question naming the item's entities). Where an unlabelled list starts and ends is not
written down, so the parse keeps the list's first and last segments whole ("Choose from Lima", "Bern in your
view") and reads them against one item's options (`OptionList.resolve`): the item option at the segment's
edge is the listed option and the rest is question text; a short segment with no item option at its edge is
an option the item does not have (so the option sets differ, as for a lettered "D. Bern"); a long one
(more than `max_words` words) is question text, not an option. Segments between separators are options when
they have at most `max_words` words. A row that letters or numbers its options is read by
`choice_copies.listed_options` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from .config import ScanConfig, load_scan_config
from .items import contains
from .normalize import joined_spellings, words
from .number_words import numbers_as_digits, parse_number
from .tables import SYNTAX

# a clause ends at ".", "?" or "!" before a space, ":", brackets, a line break or a dash ("1.5" does not end one)
_CLAUSE_END = re.compile(r"[.?!](?=\s|$)|[:()\[\]{}\n—]")
_REACH = 400  # characters a clause is looked for either side of a list hint
# where an inline list may be: a comma, semicolon, slash, bar or "or", then within one clause another or "or"/"and"
# (a scan in C; a list joined only by "and" ("Lima and Oslo and Paris") is not looked for)
_LIST_HINT = re.compile(r"(?:[;/|]|,(?!\d)|\sor\s)(?:[^,;/|.?!:()\[\]{}\n—]|[.?!](?=\S)){1,80}?(?:[,;/|]|\s(?:or|and)\s)", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?:[;/|]|,(?!\d))\s*(?:(?:or|and)\s+)?|\s+(?:or|and)\s+", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]\s+)?(\S.*?)\s*$")
_BULLETED = re.compile(r"\s*[-*•]\s")  # a run of lines is all bulleted or all plain ("- Paris" lines, then "Paris")
_LABEL = re.compile(r"\w:\s")  # "Answer: Paris" is a labelled line, not an option


@dataclass(frozen=True)
class ListRules:
    """How an unlabelled option list is read (`ScanConfig.choice_list_*`)."""

    min_options: int = 3
    max_words: int = 4
    articles: frozenset[str] = field(default_factory=lambda: frozenset({"a", "an", "the"}))
    # an option rejected, not named ("Paris, not Lima", "Lima is wrong"): word runs right before or after it, and
    # the words that carry a rejection on to the next option ("not Lima or Oslo"); `choice_rejected_*` in the YAML
    rejected_before: frozenset[tuple[str, ...]] = frozenset()
    rejected_after: frozenset[tuple[str, ...]] = frozenset()
    rejected_chain: frozenset[str] = frozenset()
    not_rejecting: frozenset[str] = frozenset()  # "Paris is not only the capital ..." rejects nothing
    asked_rejections: tuple[str, ...] = ()  # "Lima? No, Paris." asks about Lima and rejects it
    alternatives: frozenset[str] = frozenset()  # "Paris or Lima": each offered beside the other, neither named
    alternatives_before: frozenset[str] = frozenset()  # "either Paris ...", "whether Paris ..."
    hedges: frozenset[str] = frozenset()  # "Paris, or so I think" offers nothing beside Paris
    retractions: re.Pattern | None = None  # "Some say Lima, but they are wrong": the clause before it names nothing
    attributed: frozenset[tuple[str, ...]] = frozenset()  # "Paris, though some say Lima": Lima reported, Paris named
    retracting_sentences: re.Pattern | None = None  # "Lima. But that is wrong.": the sentence before it names nothing
    alias_similarity: float = 0.0  # "Lisbon/Lisboa": an alternative spelled this like the option is another name of it (0: none)
    # "Lima or Paris?" -> "The first one.": place words and their places, lead-ins and nouns around them (`positions.py`)
    positions: tuple[tuple[str, int], ...] = ()
    position_leads: frozenset[tuple[str, ...]] = frozenset()
    position_nouns: frozenset[str] = frozenset()
    position_numbered: frozenset[str] = frozenset()  # "option two", "number 2": words before a cardinal naming a place
    position_fillers: frozenset[str] = frozenset()  # "of course", "is correct": words beside a place that say nothing else
    position_other_words: int = 0  # other words a reply naming a place may have ("the second city I visited ..." names none)
    position_asking: frozenset[str] = frozenset()  # "Which is X, A or B?": a question opening so offers what follows its comma
    question_openers: frozenset[tuple[str, ...]] = frozenset()  # "Which river ...?": a reply's own question answers nothing
    question_tentative: frozenset[tuple[str, ...]] = frozenset()  # "Is it Belgrade?": a guess, its answer still named
    position_tails: frozenset[tuple[str, ...]] = frozenset()  # "the first one of the two": words after a place naming the set
    tag_questions: re.Pattern | None = None  # "Belgrade, isn't it?": a tag asking to confirm, dropped before reading
    negative_questions: re.Pattern | None = None  # "Isn't Belgrade the capital?": asks to confirm, read without its "not"


@dataclass(frozen=True)
class OptionList:
    """One unlabelled option list in a text: its first and last segments (maybe carrying question words:
    "choose from lima"; empty for a list of lines), the segments between, and where it lies in the text."""

    lead: list[str]
    slots: list[list[str]]
    tail: list[str]
    start: int
    end: int

    def around(self, text: str) -> list[str]:
        """The words of `text` before and after the list (an SFT prompt's question)."""
        return words(text[: self.start]) + words(text[self.end :])

    def keys(self, rules: ListRules) -> set[str]:
        """Every text one of the listed options may have (to find the lists that may offer a given option)."""
        out = {" ".join(s) for s in self.slots} | {" ".join(_bare(s, rules)) for s in self.slots}
        for lead in (self.lead, numbers_as_digits(self.lead)):
            out |= {" ".join(lead[-k:]) for k in range(1, min(len(lead), rules.max_words) + 1)}
        for tail in (_bare(self.tail, rules), numbers_as_digits(_bare(self.tail, rules))):
            out |= {" ".join(tail[:k]) for k in range(1, min(len(tail), rules.max_words) + 1)}
        return out

    def resolve(self, options: set[str], rules: ListRules, context: list[str]) -> tuple[list[str], list[str]]:
        """(question words, listed option texts) of the list read against one item's option texts; the question is
        `context` (the words around the list) with the first and last segments' question words."""
        question, listed = list(context), []
        for s in self.slots:
            bare = " ".join(_bare(s, rules))
            listed.append(bare if bare in options else " ".join(s))
        for seg, at_end in ((self.lead, True), (_bare(self.tail, rules), False)):
            if not seg:
                continue
            edge = _edge(seg, options, at_end)
            if not edge and _edge(numbers_as_digits(seg), options, at_end):  # "... or seventy thousand meters" offers 70000
                seg = numbers_as_digits(seg)
                edge = _edge(seg, options, at_end)
            if edge:
                o = max(edge, key=len)
                n = len(o.split())
                listed.append(o)
                question += seg[: len(seg) - n] if at_end else seg[n:]
            elif len(seg) <= rules.max_words:  # an option the item does not have ("choose from bern")
                listed.append(seg[-1] if at_end else seg[0])
                question += seg[:-1] if at_end else seg[1:]
            else:  # prose around the list, not an option
                question += seg
        return question, listed


def _edge(seg: list[str], options: set[str], at_end: bool) -> list[str]:
    """The options written at a segment's end (`at_end`) or start."""
    return [o for o in options if (seg[len(seg) - len(o.split()):] if at_end else seg[: len(o.split())]) == o.split()]


def _digits(seg: list[str]) -> list[str]:
    """An option segment that is a number in words as its digits ("seven thousand" is ["7000"], as `option_text` reads
    a lettered option), any other segment as it is."""
    number = parse_number(seg)
    return [number] if number else seg


def _bare(seg: list[str], rules: ListRules) -> list[str]:
    """A segment without the article it opens with ("a mars" is "mars")."""
    return seg[1:] if len(seg) > 1 and seg[0] in rules.articles else seg


@lru_cache(maxsize=1)
def default_list_rules() -> ListRules:
    """The list rules of the packaged scan defaults (`scan_defaults.yaml`)."""
    return list_rules(load_scan_config())


def list_rules(cfg: ScanConfig) -> ListRules:
    """The list rules a scan config sets: its own rejection word runs added to the letter judge's (`judge_rejections`)."""
    before, after, keep = judge_rejections(cfg.choice_negated_auxiliaries)
    return ListRules(cfg.choice_list_min_options, cfg.choice_list_max_words, frozenset(w for a in cfg.choice_list_articles for w in words(a)),
                     before | {tuple(words(p)) for p in cfg.choice_rejected_before}, after | {tuple(words(p)) for p in cfg.choice_rejected_after},
                     frozenset(w for p in cfg.choice_rejected_chain for w in words(p)),
                     keep | {w for p in cfg.choice_not_rejecting for w in words(p)}, tuple(cfg.choice_asked_rejections),
                     frozenset(w for p in cfg.choice_alternatives for w in words(p)),
                     frozenset(w for p in cfg.choice_alternatives_before for w in words(p)),
                     frozenset(w for p in cfg.choice_alternative_hedges for w in words(p)),
                     _retraction_pattern(tuple(cfg.choice_retraction_openers), tuple(cfg.choice_retraction_verdicts)),
                     frozenset(tuple(words(p)) for p in cfg.choice_attributed_before if words(p)),
                     _retracting_sentence_pattern(tuple(cfg.choice_retraction_sentence_openers), tuple(cfg.choice_retraction_verdicts),
                                                  tuple(cfg.choice_retraction_sentences)),
                     cfg.choice_alias_similarity, _places(cfg.choice_positions),
                     frozenset(tuple(words(p)) for p in cfg.choice_position_leads if words(p)),
                     frozenset(w for p in cfg.choice_position_nouns for w in words(p)),
                     frozenset(w for p in cfg.choice_position_numbered for w in words(p)),
                     frozenset(w for p in cfg.choice_position_fillers for w in words(p)), cfg.choice_position_other_words,
                     frozenset(w for p in cfg.choice_position_asking for w in words(p)),
                     frozenset(tuple(words(p)) for p in cfg.reply_question_openers if words(p)),
                     frozenset(tuple(words(p)) for p in cfg.reply_question_tentative if words(p)),
                     frozenset(tuple(words(p)) for p in cfg.choice_position_tails if words(p)),
                     _tag_question_pattern(tuple(cfg.choice_tag_questions)),
                     _negative_question_pattern(tuple(cfg.choice_negative_questions)))


@lru_cache(maxsize=4)
def _tag_question_pattern(tags: tuple[str, ...]) -> re.Pattern | None:
    """A comma, one of the `tags` ("isn't it") and a "?": a tag question asking to confirm what precedes it."""
    if not tags:
        return None
    alt = "|".join(r"\s+".join(re.escape(w) for w in t.replace("'", "[’']").split()).replace(r"\[’'\]", "[’']")
                   for t in sorted(tags, key=len, reverse=True))
    return re.compile(rf",\s*(?:{alt})\s*\?", re.IGNORECASE)


@lru_cache(maxsize=4)
def _negative_question_pattern(openers: tuple[str, ...]) -> re.Pattern | None:
    """One of the `openers` ("isn't", "is it not") opening a sentence that ends in "?": a question asking to confirm."""
    if not openers:
        return None
    alt = "|".join(r"\s+".join(re.escape(w) for w in t.split()).replace("'", "['’]") for t in sorted(openers, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[.!?\n]))(\s*)({alt})\b(?=[^.!?\n]*\?)", re.IGNORECASE)


def _places(positions: dict[str, list[str]]) -> tuple[tuple[str, int], ...]:
    """Each place word of `choice_positions` with the place its key names ("first" 0, "last" -1)."""
    from .positions import PLACES

    return tuple((w, PLACES[key]) for key, phrases in positions.items() for p in phrases for w in words(p))


@lru_cache(maxsize=4)
def _retraction_pattern(openers: tuple[str, ...], verdicts: tuple[str, ...]) -> re.Pattern | None:
    """A clause closed by a retraction: an opener ("but they are", "though that's") then a verdict ("wrong", "a myth"),
    the clause back to the last sentence end, comma or dash only ("Belgrade -- many say Budapest, but they are wrong"
    retracts Budapest, not Belgrade); a space in a phrase is any run of spaces, commas or dashes, an apostrophe any
    apostrophe."""
    if not openers or not verdicts:
        return None

    def alt(phrases: tuple[str, ...]) -> str:
        return "|".join(re.escape(p).replace(r"\ ", r"[\s,—-]+").replace("'", "['’]") for p in sorted(phrases, key=len, reverse=True))

    # anchored at a clause start, so a long text is read once per clause, not once per character
    clause = r"(?:(?<=[.?!;:\n,—–-])|^)(?:[^.?!;:\n,—–-]|(?<=[^\W_])-(?=[^\W_]))*?"  # a hyphen inside a word ends nothing
    return re.compile(clause + r"[\s,—–-]*(?<![^\W_])(?:" + alt(openers) + r")[\s,—–-]+(?:" + alt(verdicts) + r")(?![^\W_])",
                      re.IGNORECASE)


@lru_cache(maxsize=4)
def _retracting_sentence_pattern(openers: tuple[str, ...], verdicts: tuple[str, ...], alone: tuple[str, ...]) -> re.Pattern | None:
    """A sentence with words, then a sentence that only takes it back: an opener then a verdict ("But that is wrong.",
    "That's not right.") or a retraction of its own ("Scratch that."); both are matched, so dropping the match drops
    what the first sentence named ("Belgrade. But that is wrong." names nothing; "Budapest. Scratch that. Belgrade." and
    "Budapest. Scratch that, Belgrade." name Belgrade)."""
    def alt(phrases: tuple[str, ...]) -> str:
        return "|".join(re.escape(p).replace(r"\ ", r"[\s,]+").replace("'", "['’]") for p in sorted(phrases, key=len, reverse=True))

    said = [f"(?:{alt(openers)})[\\s,]+(?:{alt(verdicts)})"] if openers and verdicts else []
    said += [f"(?:{alt(alone)})"] if alone else []
    if not said:
        return None
    # anchored at a sentence start and read without backtracking, so a long text is read once per sentence
    return re.compile(r"(?:^|(?<=[.?!\n]))(?=[^.?!\n]*[^\W_])[^.?!\n]++[.?!]++[ \t]++(?:" + "|".join(said)
                      + r")(?![^\W_])[ \t]*[.!,;:—–-]*(?=\s|$)", re.IGNORECASE)


def judge_rejections(negated_auxiliaries: list[str]) -> tuple[frozenset, frozenset, frozenset]:
    """The letter judge's `choice_*` rejection lexicon (`eval/scoring.yaml`, read through `eval.letters`) as the word
    runs this scan compares, so an option is rejected by the same words a letter is: (runs before an option, "not",
    "I would not pick", "I doubt it's"; runs after it, a copula and article then a rejection, "would be the wrong";
    words that undo one, "only"). The judge reads punctuation and a glued "n't"; words have neither, so "n't" runs are
    written out with each of `negated_auxiliaries` ("isn't pick" ... "don't pick") and a bare rejection that also
    rejects what follows it ("not") needs a copula after an option ("Paris, not Lima" names Paris)."""
    from ..eval.letters import default_letter_lexicon

    lex = default_letter_lexicon()
    aux = [tuple(words(a)) for a in negated_auxiliaries]

    def runs(phrase: str) -> set[tuple[str, ...]]:
        w = tuple(words(phrase))
        return {a + w[1:] for a in aux} if w[:1] == ("nt",) else ({w} if w else set())

    raw_before = {tuple(words(p)) for p in lex.rejected_before}
    before = {r for p in lex.rejected_before for r in runs(p)}
    before |= {r for v in lex.rejected_verbs for t in ("", *lex.rejected_that) for r in runs(f"{v} {t}")}
    after = {tuple(words(f"{c} {a} {x}")) for c in lex.rejected_copulas for a in ("", "a", "an", "the") for x in lex.rejected_after}
    after |= {r for x in lex.rejected_after if tuple(words(x)) not in raw_before for r in runs(x)}
    return frozenset(before), frozenset(after - {()}), frozenset(w for p in lex.not_rejecting for w in words(p))


def _clause_around(text: str, pos: int) -> tuple[int, int]:
    """The clause holding `pos` (looking at most `_REACH` characters either way)."""
    lo = max(0, pos - _REACH)
    start = lo
    for m in _CLAUSE_END.finditer(text, lo, pos):
        start = m.end()
    m = _CLAUSE_END.search(text, pos, pos + _REACH)
    return start, m.start() if m else min(len(text), pos + _REACH)


def _inline_lists(text: str, rules: ListRules) -> list[OptionList]:
    """Lists inside one clause: at least `min_options` segments between commas, slashes, semicolons, "or", "and"."""
    out, seen = [], set()
    for hint in _LIST_HINT.finditer(text):
        a, b = _clause_around(text, hint.start())
        if a in seen:
            continue
        seen.add(a)
        parts = _SEPARATOR.split(text[a:b])
        if len(parts) > 2 and SYNTAX.separator in text[a:b]:  # a table row: "| Lima | Oslo | Paris |" has no first or last segment
            parts = parts[1 if not parts[0].strip() else 0 : -1 if not parts[-1].strip() else None]
        if len(parts) < rules.min_options or any(len(p.split()) > rules.max_words for p in parts[1:-1]):
            continue
        segs = [words(p) for p in parts]
        if all(segs) and all(len(s) <= rules.max_words for s in segs[1:-1]):
            out.append(OptionList(segs[0], [_digits(s) for s in segs[1:-1]], segs[-1], a, b))
    return out


def _line_lists(text: str, rules: ListRules) -> list[OptionList]:
    """Runs of at least `min_options` short lines (at most `max_words` words, all after a bullet "-", "*" or "•" or
    all without one; no "label: text" line)."""
    lines = text.split("\n")
    if len(lines) < rules.min_options:
        return []
    cap = rules.max_words + 1  # whitespace pieces, a bullet included: a cheap first test, the words are read after
    ok = [0 < len(ln.split(None, cap)) <= cap and ln.rstrip()[-1:] not in ("?", ":") and not _LABEL.search(ln) for ln in lines]
    out, k, starts = [], 0, None
    while k < len(lines):
        if not ok[k]:
            k += 1
            continue
        j, bulleted = k, _BULLETED.match(lines[k]) is not None
        while j < len(lines) and ok[j] and (_BULLETED.match(lines[j]) is not None) == bulleted:
            j += 1
        if j - k >= rules.min_options:
            starts = starts or _line_starts(lines)
            short = [words(_BULLET.match(ln).group(1)) for ln in lines[k:j]]
            if all(0 < len(w) <= rules.max_words for w in short):
                out.append(OptionList([], [_digits(w) for w in short], [], starts[k], starts[j] - 1))
        k = j
    return out


def _line_starts(lines: list[str]) -> list[int]:
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln) + 1)
    return starts


def option_lists(text: str, rules: ListRules) -> list[OptionList]:
    """Every unlabelled option list of a prompt (see the module docstring)."""
    return _line_lists(text, rules) + _inline_lists(text, rules)


def _mentions(answer: list[str], listed: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, option) for every place an answer writes a listed option's text, in order."""
    found = []
    for o in set(listed):
        n = len(o.split())
        found += [(i, i + n, o) for i in range(len(answer) - n + 1) if answer[i : i + n] == o.split()]
    return sorted(found)


def answer_words(text: str, rules: ListRules | None = None) -> list[str]:
    """An answer's words, an option asked and answered no ("Lima? No, Paris.", `rules.asked_rejections`) read as
    rejected ("Lima is wrong, Paris"), as the letter judge reads "A? No"; a word spelled out letter by letter read whole
    ("P-a-r-i-s" is "paris", `normalize.joined_spellings`)."""
    return words(rejected_offers(joined_spellings(text), rules or default_list_rules()))


def rejected_offers(text: str, rules: ListRules) -> str:
    """`text` with every option offered with a "?" and answered no written as rejected: "Lima? No, Paris." is "Lima is
    wrong , Paris.", one sentence, so a reader taking the first sentence as the reply does not stop at "Lima?"; and
    every clause a retraction closes dropped ("Some say Lima, but they are wrong; Paris." is "; Paris."): what it
    names is attributed and rejected, not given, as is every sentence the next one takes back ("Lima. But that is
    wrong.", `ListRules.retracting_sentences`); and a bracket opening with an alternative word dropped too ("Belgrade
    (or Beograd in Serbian)" names Belgrade: the aside gives another name of it, not another answer)."""
    if rules.tag_questions is not None and "?" in text:  # "Belgrade, isn't it?" names Belgrade
        text = rules.tag_questions.sub(".", text)
    if rules.negative_questions is not None and "?" in text:  # "Isn't Belgrade the capital?" names Belgrade
        text = rules.negative_questions.sub(lambda m: m.group(1) + re.sub(r"n['’]t\b|\s+not\b", "", m.group(2), flags=re.I), text)
    if rules.retracting_sentences is not None and rules.retracting_sentences.search(text):
        text = rules.retracting_sentences.sub(" ", text)
    if rules.retractions is not None and rules.retractions.search(text):
        text = rules.retractions.sub(" ", text)
    if "(" in text and rules.alternatives:
        text = _bracketed_alternative(tuple(sorted(rules.alternatives))).sub(" ", text)
    if not rules.asked_rejections or "?" not in text:
        return text
    return _asked_no(rules.asked_rejections).sub(" is wrong ", text)


@lru_cache(maxsize=4)
def _bracketed_alternative(alternatives: tuple[str, ...]) -> re.Pattern:
    joined = "|".join(re.escape(w) for w in alternatives)
    return re.compile(r"\(\s*(?:" + joined + r")(?![^\W_])[^()\n]*\)", re.IGNORECASE)


@lru_cache(maxsize=4)
def _asked_no(rejections: tuple[str, ...]) -> re.Pattern:
    no = "|".join(re.escape(w) for w in rejections)
    return re.compile(r"\?+\s*(?:" + no + r")\b", re.IGNORECASE)


def _rejected(before: list[str], after: list[str], rules: ListRules) -> bool:
    """Whether the words right before or after an option reject it ("not", "is wrong"; not "is not only")."""
    if any(k <= len(before) and tuple(before[len(before) - k :]) in rules.rejected_before for k in _lengths(rules.rejected_before)):
        return True
    return any(tuple(after[:k]) in rules.rejected_after and not set(after[k : k + 1]) & rules.not_rejecting
               for k in _lengths(rules.rejected_after) if k <= len(after))


def rejection_clause(ws: list[str], rules: ListRules) -> bool:
    """Whether `ws` only rejects an option: a rejection run opening it ("not Budapest", "not Budapest or Lima") or
    closing it ("Budapest is wrong"), with at most `max_words` words of option beside the run."""
    for runs, opening in ((rules.rejected_before, True), (rules.rejected_after, False)):
        for k in _lengths(runs):
            if k < len(ws) <= k + rules.max_words and tuple(ws[:k] if opening else ws[len(ws) - k :]) in runs:
                return True
    return False


@lru_cache(maxsize=16)
def _lengths(runs: frozenset[tuple[str, ...]]) -> tuple[int, ...]:
    return tuple(sorted({len(p) for p in runs}))


def named_options(answer: list[str], listed: list[str], rules: ListRules | None = None) -> set[str]:
    """The listed options an answer names and does not reject: "Paris, not Lima", "Lima is wrong; Paris" and
    "Paris, not Lima or Oslo" name Paris alone (as the letter judge does not choose "not A"); "Paris or Lima" names
    both. A rejection cue is a word run right before the option (`rules.rejected_before`: "not", "can't be") or
    right after it (`rules.rejected_after`: "is wrong", but not "Paris is not only the capital", `rules.not_rejecting`), or "or"/"nor" (`rules.rejected_chain`) after a rejected
    option ("not Lima or Oslo"). An option reported as others' view ("Paris, though some say Lima",
    `rules.attributed`) counts only when the answer names no option of its own ("Some say Paris." names Paris)."""
    rules = rules or default_list_rules()
    if not any("*" in o.split() for o in listed):
        answer = [w for w in answer if w != "*"]  # markdown emphasis: "**Paris**, not *Lima*"
    named: set[str] = set()
    attributed: set[str] = set()
    last_end, last_rejected = -1, False
    reach = max(_lengths(rules.rejected_before) + _lengths(rules.rejected_after), default=0)
    for start, end, o in _mentions(answer, listed):
        rejected = (_rejected(answer[max(0, start - reach) : start], answer[end : end + reach + 1], rules)
                    or (last_rejected and 0 < start - last_end <= 1 and answer[last_end] in rules.rejected_chain))
        if not rejected and not _offered(answer, start, end, rules, listed):
            reported = any(k <= start and tuple(answer[start - k : start]) in rules.attributed for k in _lengths(rules.attributed))
            (attributed if reported else named).add(o)
        last_end, last_rejected = end, rejected
    return named or attributed


def rejected_options(answer: list[str], listed: list[str], rules: ListRules | None = None) -> set[str]:
    """The listed options an answer rejects ("not Budapest", "Budapest is wrong", "not Lima or Oslo"), as
    `named_options` reads the rejection cues; an option offered beside another ("Lima or Oslo") is not rejected."""
    rules = rules or default_list_rules()
    out: set[str] = set()
    last_end, last_rejected = -1, False
    reach = max(_lengths(rules.rejected_before) + _lengths(rules.rejected_after), default=0)
    for start, end, o in _mentions(answer, listed):
        rejected = (_rejected(answer[max(0, start - reach) : start], answer[end : end + reach + 1], rules)
                    or (last_rejected and 0 < start - last_end <= 1 and answer[last_end] in rules.rejected_chain))
        if rejected:
            out.add(o)
        last_end, last_rejected = end, rejected
    return out


def _offered(answer: list[str], start: int, end: int, rules: ListRules, listed: list[str] = ()) -> bool:
    """Whether an option not rejected is offered beside another rather than named: an alternative word right after
    it ("Paris or Lima", not a hedge "Paris, or so I think") or right before it ("Lima or Paris", "either Paris"). A
    reply offering two answers chooses neither, as the letter judge does not choose "A or C"; another name of the same
    answer beside it offers nothing else ("Lisbon, or Lisboa", "Lisboa/Lisbon"; `_alias`)."""
    option = answer[start:end]
    if (end + 1 < len(answer) and answer[end] in rules.alternatives and answer[end + 1] not in rules.hedges
            and not _alias(option, answer[end + 1 :], listed, rules)):
        return True
    if start > 0 and answer[start - 1] in rules.alternatives_before:
        return True
    before = answer[: start - 1][::-1]
    return (start > 0 and answer[start - 1] in rules.alternatives
            and not (_alias(option, before, listed, rules) and not set(before[1:2]) & (rules.alternatives | rules.alternatives_before)))


def _alias(option: list[str], beside: list[str], listed: list[str], rules: ListRules) -> bool:
    """Whether the word right `beside` an option, across an alternative word, is another name of it, not another answer:
    spelled at least `rules.alias_similarity` like it (difflib's ratio: "Belgrade" and "Beograd" 0.8, "Belgrade" and
    "Budapest" 0.25), not a listed option, and not offered beside a further one ("Belgrade/Beograd or Budapest")."""
    if not rules.alias_similarity or len(option) != 1 or not beside or not beside[0].isalpha() or beside[0] in listed:
        return False
    if set(beside[1:2]) & rules.alternatives:
        return False
    return SequenceMatcher(None, option[0], beside[0]).ratio() >= rules.alias_similarity


def named_option(answer: list[str], listed: list[str], rules: ListRules | None = None) -> str | None:
    """The one listed option an answer names and does not reject ("Paris", "It is Paris.", "Paris, not Lima");
    None when it names none or several."""
    named = named_options(answer, listed, rules)
    named = {o for o in named if not any(o != p and contains(p.split(), o.split()) for p in named)}  # "delhi" in "new delhi"
    return named.pop() if len(named) == 1 else None
