"""An eval item's question asked in a document and answered right after it, reworded or cut to its key span
("... Capital of Serbia? Belgrade. ...", "Moby-Dick author? Herman Melville."), or turned over: the text answer alone,
then the question ("Belgrade: capital of Serbia").

Ordinary prose states facts ("Belgrade is the capital of Serbia"); a leak of an item is phrased as the item: a
question, then its answer. The reader takes every sentence ending in "?" (at most `corpus_choice_question_words`
words, back to the previous sentence end or line break) and the words after it (the rest of its line, else the next
line with words, cut to `corpus_choice_answer_words` words), and applies the rules of an SFT row asking the item
without its options (`reworded.py`): the question names the item's entities and shares its content words, the reply
gives the item's answer (a choice item's right option's text alone among its options, a free-form item's short text
answer). Found in a corpus document it is `corpus_signature_with_answer`; in an SFT row's answer,
`sft_signature_with_answer`.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from ..data.schema import message_text
from .choice_copies import ChoiceItem, choice_items, entities, stop_words
from .choice_lists import ListRules, answer_words, list_rules, named_option, rejected_offers, rejection_clause
from .config import ScanConfig, affirmations, phrase_runs
from .answer_keys import AnswerKeys
from .items import canonical_key
from .lettered_quizzes import options_ahead, quiz_answers
from .normalize import ascii_marks, decode_escapes, joined_spellings, words
from .tables import csv_pairs, table_pairs
from .number_words import number_forms, numbers_as_digits
from .positions import (another_option_set, chosen_by_position, offer_then_reply, offered_texts, offers_list, reply_sentence,
                        without_offers)
from .relations import as_relations
from .reworded import asks_the_same, by_answer_word, candidates, confirmed, free_items, gives, says_more, turned_over

_QUESTION = re.compile(r"\?+")
_SENTENCE_MARK = re.compile(r"[.?!](?=\s)|[(\[{]")  # a key opens after a sentence's end or an opening bracket ...
# a thousands separator ("7,000") is no clause mark
_CLAUSE_MARK = re.compile(r"[;{}()\[\]|]|(?<!\d),|,(?!\d{3}(?!\d))")  # ... or, read shorter, after a clause mark
_VALUE_END = re.compile(r"[.?!](?=\s|$)|[;{}\[\]|\n]|(?<!\d),|,(?!\d{3}(?!\d))")  # ... and its value ends at one of these
_SENTENCE_END = re.compile(r"[.?!:](?=\s)|\n")
_STOP = re.compile(r"[.?!](?=\s)")
_STOP_OR_LINE = re.compile(r"[.?!](?=\s)|\n")
_CLOSING = (")", "]")
_ARITHMETIC = frozenset("+-*/×÷^")
_TRAILER = re.compile(r"[ \t]*[(\[]([^()\[\]\n]*[^\W_][^()\[\]\n]*)[)\]][ \t.!]*$")
_REACH_CHARS = 20  # characters per word looked back for the question and ahead for the reply
# the per-string work of a reader (the fast test, a reply's words, a question's content words) is kept for this many
# strings: a document is read up to three times (as written, its markup as lines, its identifiers as words), and its
# keys, cells and replies repeat within it and across documents
_MEMO_SIZE = 1 << 16
# a line standing alone (a heading, a flash card's front) and the next line with words: "## Capital of Serbia\n\nBelgrade"
_HEADING = re.compile(r"^[ \t#>*_•-]*([^\n]*?[^\W_][^\n]*?)[ \t*_#]*\n(?=(?:[ \t]*\n)*(?:[ \t]*[-*•>][ \t]+)?([^\n]*[^\W_][^\n]*)$)",
                      re.MULTILINE)
_HEADING_END = re.compile(r"[.?!;,]$")  # a line ending so is a sentence or a question, read as such; a key's ":" is kept
_HEADING_STOP = re.compile(r"(?<![.])\.$")  # ... but a short key's full stop ("Capital of Serbia.") over the answer alone is a card
# a blank to fill in ("The capital of Serbia is ____."), its sentence around it, and an answer in brackets right after it
_BLANK = re.compile(r"_{3,}")
# a short line ending in its value in brackets: "Capital of Serbia (Belgrade)"
_BRACKET_VALUE = re.compile(r"^[ \t#>*_•-]*([^\n()\[\]]*[^\W_][^\n()\[\]]*?)[ \t]*[(\[]([^()\[\]\n]+)[)\]][ \t.!]*$", re.MULTILINE)
# a key written as an identifier reads as its words: "CapitalOfSerbia" is "capital of serbia" (snake and kebab case already
# are), lowercase, as its capitals mark word starts, not names ("MobyDickAuthor" names no entity "Author")
_CAMEL = re.compile(r"(?<![^\W_])[A-Za-z][a-z\d]*(?:[A-Z][a-z\d]+)+(?![^\W_])")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z\d]+")
_MARKUP_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>\n]*)?/?>")
_BLANK_SENTENCE = re.compile(r"[.?!](?=\s|$)|\n")
_LABELLED_CLAUSE = re.compile(r"[;|]|(?<!\d),|,(?!\d{3}(?!\d))")  # a key's clauses ("largest city Belgrade, capital Belgrade")
_BRACKETED = re.compile(r"[ \t]*[(\[]([^)\]\n]+)[)\]]")
# a reply's first sentence ends at one of these, unless the word before a "." is an initial or a short abbreviation
_REPLY_END = re.compile(r"[.?!]+(?=\s|$)")
# ("H. Melville", "St. Petersburg", "see p. 4": a capital and at most one more letter, or one lowercase letter), nor a
# list label alone ("A1. Belgrade", "2. Belgrade")
_ABBREVIATION = re.compile(r"(?<![^\W_])(?:[^\W\d_]|[A-Z][a-z])\.$|^\W*[^\W_]?\d*\.$")


def _first_pattern(word: str) -> str:
    """A first answer word as the fast test looks for it in raw text: a number also with thousands separators ("7,000")
    or its digits spaced ("5 7")."""
    if not word.isdigit():
        return re.escape(word)
    return "[ \t,'_]?".join(word)  # "57" also as "5 7", "4600" as "4 600" or "4,600" (`number_words.digit_forms`)


def _trailer(value: str) -> tuple[str, str]:
    """A key's value and the bracket right after it, which says what the key asks ("win (antonyms)" after "lose ↔" is
    the value "win" and the trailer " antonyms")."""
    m = _TRAILER.search(value)
    return (value[: m.start()], " " + m.group(1)) if m else (value, "")


def _bracket_ending(line: str) -> bool:
    """Whether `_BRACKET_VALUE` may match a line: it holds one opening and one closing bracket, the closing one ending
    it but for spaces and full stops (the pattern allows no other bracket)."""
    return line.rstrip(" \t.!")[-1:] in (")", "]") and sum(map(line.count, "()[]")) == 2


def _first_sentence_end(line: str) -> int:
    """Where the first sentence with words of `line` ends (the line's end when it has no sentence end)."""
    for m in _REPLY_END.finditer(line):
        if words(line[: m.start()]) and not (line[m.start()] == "." and _ABBREVIATION.search(line, 0, m.start() + 1)):
            return m.end()
    return len(line)


class AskedQuestions:
    """Collects, while documents stream, the first document asking each eval item's question with its answer."""

    def __init__(self, items: list[ChoiceItem], rules: ListRules, stop: set[str], min_overlap: float, *, question_words: int,
                 answer_words: int, labels: list[str] = (), shared_words: int, separators: list[str] = (), sentences: int = 1,
                 heading_words: int = 0, imperatives: list[str] = (), affirmations: frozenset[tuple[str, ...]] = frozenset(),
                 fillers: frozenset[tuple[str, ...]] = frozenset(), key_labels: list[str] = (), aside_words: int = 0):
        self.by_first = by_answer_word(items)
        self.rules, self.stop, self.min_overlap, self.shared_words = rules, stop, min_overlap, shared_words
        self.question_words, self.answer_words, self.sentences = max(question_words, 1), max(answer_words, 1), max(sentences, 1)
        self.hits: dict[str, str] = {}
        self.content: dict[str, set[str]] = {}
        self._spans: dict[tuple[str, str, int], list[str]] = {}  # one document's keys and questions by where they end
        self.heading_words, self.affirmations, self.fillers = heading_words, affirmations, fillers
        self.aside_words = aside_words
        self.answer_keys = AnswerKeys(list(key_labels), list(labels))  # "Answers: 1. Budapest 2. Belgrade" under numbered questions
        # an answer label inside a line ends a lettered quiz's last option: "C) Lima Answer: B" (a one-letter label is a word)
        named = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(key_labels, key=len, reverse=True) if len(k) > 1)
        self.answer_label = re.compile(r"(?<![^\W_])(?:" + named + r")(?![^\W_])", re.IGNORECASE) if named else re.compile(r"(?!)")
        verbs = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(imperatives, key=len, reverse=True))
        # an instruction asking the item's question, to its sentence's end: "Name Serbia's capital. Belgrade."
        self.imperative = re.compile(r"(?:^|(?<=[.!?:]\s))[ \t>*_•-]*(?:" + verbs + r")\b[^.?!\n]*[.!:]",
                                     re.IGNORECASE | re.MULTILINE) if verbs else None
        # ... which an ASCII text holds only if it holds a verb's first word in lower case (None: no such test)
        self.imperative_firsts = (tuple({v.split(" ")[0].lower() for v in imperatives})
                                  if all(v.isascii() for v in imperatives) else None)
        alt = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
        # a labelled question line, "Q: Capital of Serbia", with its answer on the next line ("A: Belgrade")
        # a key and its value on one line, "Capital of Serbia: Belgrade" (a space in a separator is any run of spaces)
        seps = "|".join(re.escape(sep).replace(r"\ ", r"[ \t]+") for sep in sorted(separators, key=len, reverse=True))
        # each separator opens with one of these characters (a space also as a tab): the lookahead skips every other
        # position at once instead of trying each separator there; the matches are the same
        opening = "".join(sorted({c for sep in separators if sep for c in (" \t" if sep[0] == " " else sep[0])}))
        self.key_value = re.compile(f"(?=[{re.escape(opening)}])(?:{seps})") if seps else None
        # "- q: ..." in a YAML list, "Question 1: ...", "**Q:** ..." too
        self.labelled = re.compile(r"^[ \t]*(?:[-*•][ \t]+)?[*_]*(?:" + alt + r")[ \t]*\d*[ \t]*[:.)][*_]*[ \t]*(\S[^\n]*)$",
                                   re.IGNORECASE | re.MULTILINE) if alt else None
        # a fast first test on ASCII text: a reply can only give an item's answer if its first word is there, a number
        # in digits or in words ("seven thousand" gives 7000)
        firsts = sorted({*self.by_first, *(f[0] for w in self.by_first for f in number_forms(w))}, key=len, reverse=True)
        self.ascii_firsts = all(w.isascii() for w in firsts)
        self.first_re = re.compile(r"(?<![^\W_])(?:" + "|".join(map(_first_pattern, firsts)) + r")(?![^\W_])", re.IGNORECASE) if firsts else None
        # a label's value in a key's clause ("capital Belgrade"): text answers only (a number beside a label is the watches')
        named = sorted((w for w in self.by_first if not w.isdigit()), key=len, reverse=True)
        self.named_re = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, named)) + r")(?![^\W_])", re.IGNORECASE) if named else None
        # pure functions of one string, kept per string (`_MEMO_SIZE`)
        self._may_answer = lru_cache(maxsize=_MEMO_SIZE)(self._first_word_in)
        self._replies = lru_cache(maxsize=_MEMO_SIZE)(self._read_replies)
        self._first_reply = lru_cache(maxsize=_MEMO_SIZE)(self._read_reply)
        self._asked_words = lru_cache(maxsize=_MEMO_SIZE)(self._read_asked)
        self._key_words = lru_cache(maxsize=_MEMO_SIZE)(self._read_key_words)
        self._offers_list = lru_cache(maxsize=_MEMO_SIZE)(self._read_offers_list)

    def _first_word_in(self, text: str) -> bool:
        """The fast first test (`_may_answer`): whether `text` may hold an item answer's first word (an apostrophe
        inside a word is dropped as the words are read: "O'Neill" is "oneill")."""
        return not (self.ascii_firsts and text.isascii()) or self.first_re.search(text.replace("'", "")) is not None

    def _read_key_words(self, key: str) -> tuple[str, ...]:
        return tuple(answer_words(key, self.rules))

    def _read_offers_list(self, value: str) -> bool:
        return offers_list(value, self.rules)

    def _may_instruct(self, text: str) -> bool:
        """Whether `text` may hold an instruction asking a question (`imperative`): an ASCII text without any of its
        verbs' first words holds none."""
        if self.imperative is None:
            return False
        return self.imperative_firsts is None or not text.isascii() or any(v in text.lower() for v in self.imperative_firsts)

    def tap(self, docs: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """Pass the documents on unchanged, reading each one's questions on the way."""
        for name, text in docs:
            if self.by_first:  # questions, labelled lines, keys and tables: `read` skips a document without an answer
                self.read(str(name), text)
            yield name, text

    def read(self, name: str, text: str) -> None:
        text = joined_spellings(decode_escapes(text))  # "B-e-l-g-r-a-d-e" is read as "Belgrade", before the fast test
        if not self._first_word_in(text):  # not kept: a whole document is no string to hold on to
            return  # no reply in this document can give an item's answer: most documents end here
        text = ascii_marks(text)  # "Capital of Serbia？ Belgrade。" asks as "Capital of Serbia? Belgrade." does
        self._read(name, text)
        if "</" in text:  # markup: each element also read as a line of its own ("<q>Capital of Serbia</q><a>Belgrade</a>")
            self._read(name, _MARKUP_TAG.sub("\n", text))
        split = _CAMEL.sub(lambda m: " ".join(_CAMEL_PART.findall(m.group(0))).lower(), text)
        if split != text:
            self._read(name, split)

    def _read(self, name: str, text: str) -> None:
        reach = _REACH_CHARS * self.answer_words
        self._spans = {}  # each key and question is read once, however many checks ask for it
        for m in self.imperative.finditer(text) if self._may_instruct(text) else ():  # "Name the capital of Serbia."
            self._check(name, text[m.end() : m.end() + reach], lambda: [m.group(0)])
        for m in _BLANK.finditer(text):
            self._blank(name, text, m)
        for m in _QUESTION.finditer(text):
            self._check(name, text[m.end() : m.end() + reach], lambda: self._questions(text, m.start()))
            self._reverse(name, lambda: self._questions(text, m.start())[0], self._value_after(text, m.end()))
            for asked in self._asked_back(text, m.start()):  # "Belgrade: capital of which country? Serbia"
                self._confirmed(name, asked, text[m.end() : m.end() + reach])
            self._by_position(name, text, m)
        for m in self.labelled.finditer(text) if self.labelled is not None else ():
            self._check(name, text[m.end() : m.end() + reach], lambda: [m.group(1)])
        for m in self.key_value.finditer(text) if self.key_value is not None else ():
            value = _VALUE_END.search(text, m.end(), m.end() + reach)
            # "Capital of Serbia: Belgrade or Budapest?" and "... — Belgrade, Budapest or Baghdad?" ask, not answer
            if (value is None or value.group(0) != "?") and not self._offers_list(text[m.end() : m.end() + reach]):
                said, trailer = _trailer(text[m.end() : value.start() if value else m.end() + reach])
                self._check(name, said, lambda: [k + trailer for k in self._keys(text, m.start())], keyed=True)
                self._reverse(name, lambda: self._keys(text, m.start())[0], said + trailer)
                self._labelled_values(name, text, m)
        heads = list(_HEADING.finditer(text)) if self.heading_words else []  # read once for `_headings` and `_stopped_headings`
        for question, answer in [*table_pairs(text), *csv_pairs(text), *self._headings(text, heads)]:
            self._check(name, answer, lambda: [question], keyed=True)
            self._reverse(name, lambda: question, answer)
        for question, answer, keyed in self.answer_keys.pairs(text):  # a question without a "?" says what it asks
            self._check(name, answer, lambda: [question], keyed=keyed)
        for question, answer, offered in quiz_answers(text, self.answer_keys, self.rules, self.answer_label):  # "A) ... B) ... Answer: B"
            self._check(name, answer, lambda: [question], keyed="?" not in question, offered=offered)
            self._confirmed(name, question, answer, offered)  # "Belgrade is the capital of which country? A) Hungary B) Serbia" -> "B"
        for question, answer in self._stopped_headings(text, heads):
            self._check(name, answer, lambda: [question], keyed=True, alone=True)

    def _blank(self, name: str, text: str, m: re.Match) -> None:
        """A sentence with a blank to fill in, answered in brackets right after the blank or after the sentence
        ("The capital of Serbia is ____ (Belgrade).", "The capital of Serbia is ____.\nAnswer: Belgrade")."""
        reach = _REACH_CHARS * self.answer_words
        lo = max([0, *(e.end() for e in _BLANK_SENTENCE.finditer(text, max(0, m.start() - reach), m.start()))])
        inside = _BRACKETED.match(text, m.end())
        after = inside.end() if inside else m.end()
        end = _BLANK_SENTENCE.search(text, after)
        hi = end.start() if end else len(text)
        asked = text[lo : m.start()] + " " + text[after:hi]
        if inside:
            self._check(name, inside.group(1), lambda: [asked])
        self._check(name, text[hi + 1 : hi + 1 + reach], lambda: [asked])

    def _by_position(self, name: str, text: str, m: re.Match) -> None:
        """A question offering alternatives answered by a place: "Belgrade or Budapest?" -> "The first one." gives
        the first (`positions.py`); alternatives asked without the item's entities ("Is it Budapest or Belgrade?") are
        read with the sentences before them, across a line break."""
        question = self._asked_back(text, m.start())[-1]  # over a key's ":" ("Capital of Serbia: Belgrade or Budapest?")
        chunk = text[m.end() : m.end() + _REACH_CHARS * self.answer_words]
        if " or " not in question and "/" not in question:  # the fast test first: most questions offer no alternatives
            offers = offer_then_reply(chunk, self.rules)  # "Capital of Serbia? Is it Belgrade or Budapest\nThe first"
            for offer, reply in offers if offers and self._may_answer(offers[-1][0]) else ():
                got = chosen_by_position(f"{question}? {offer}", reply_sentence(reply, self.rules), self.rules)
                if got is not None:
                    self._check(name, got[1], lambda got=got: [got[0]])
            return
        if not self._may_answer(question):
            return
        replies = (self._reply(chunk), reply_sentence(chunk, self.rules))  # past fillers ("Hmm."), past a label ("Answer:")
        chosen = next((c for c in (chosen_by_position(question, r, self.rules) for r in replies) if c is not None), None)
        if chosen is None:
            return
        self._check(name, chosen[1], lambda: [chosen[0]])
        if not entities(chosen[0]):  # "Capital of Serbia?\nIs it Budapest or Belgrade?" asks it in the sentence before
            longer = self._questions(text.replace("\n", " "), m.start())[1:]
            before = next((c for q in longer for r in replies for c in [chosen_by_position(q, r, self.rules)] if c), None)
            if before is not None:
                self._check(name, before[1], lambda: [before[0]])

    def _labelled_values(self, name: str, text: str, sep: re.Match) -> None:
        """The clauses after a key's separator, to its sentence's end, each a short label then its value: "Serbia:
        largest city Belgrade, capital Belgrade." asks "Serbia capital" in its second clause, as "Serbia - capital:
        Belgrade" does (the first clause labels another relation: `asks_the_same` leaves it out). A label is the words
        before a text answer's first word, within `heading_words` words of clause (a number's label is the watches')."""
        end = _BLANK_SENTENCE.search(text, sep.end(), sep.end() + _REACH_CHARS * self.question_words)
        region = text[sep.end() : end.start() if end else sep.end() + _REACH_CHARS * self.question_words]
        if self.named_re is None or self.named_re.search(region.replace("'", "")) is None:
            return  # the fast test first: most keys' values name no text answer
        keys = None
        for clause in _LABELLED_CLAUSE.split(region):
            ws = words(clause)
            for j in (j for j in range(1, len(ws)) if ws[j] in self.by_first and not ws[j].isdigit()) if len(ws) <= self.heading_words else ():
                keys = keys if keys is not None else self._keys(text, sep.start())
                label = " ".join(ws[:j])
                self._check(name, clause, lambda: [f"{k} {label}" for k in keys], keyed=True)  # "capital not Belgrade" rejects

    def _value_after(self, text: str, start: int) -> str:
        """The value after a question mark at `start`, to its end mark, past values of fillers only ("Belgrade? Hmm. The
        capital of Serbia." asks "The capital of Serbia")."""
        lo, hi = start, start + _REACH_CHARS * self.answer_words
        while True:
            value = _VALUE_END.search(text, lo, hi)
            said = text[lo : value.start() if value else hi]
            ws = words(said)
            if value is None or not ws or not _only_fillers(ws, self.fillers):
                return said
            lo = value.end()

    def _reverse(self, name: str, said: Callable[[], str], asked: str) -> None:
        """A flash card turned over: an item's text answer alone as a key, a question or a cell (`said()`), and the
        item's question right after it ("Belgrade: capital of Serbia", "Belgrade? The capital of Serbia.", "| Belgrade
        | Capital of Serbia |"; `reworded.turned_over`)."""
        key = said()
        if not self._may_answer(key):
            return
        answer = list(self._key_words(key))
        for it in candidates(self.by_first, answer, self.hits).values():
            if turned_over(it, list(answer), asked, self.stop, self.min_overlap, self.shared_words):
                self.hits[it.id] = name

    def _other_options(self, item: ChoiceItem, offered: frozenset[str] | None) -> bool:
        """Whether a quiz's `offered` options are another option set than a choice item's (neither set within the other):
        such a quiz is no copy of the choice item, in a corpus document as in an SFT row (as `choice_copies.py` and
        `choice_corpus.py` read a copy), though its answer may still leak the free-form item asking the same."""
        return (offered is not None and bool(item.options)
                and not (offered <= item.options or item.options <= offered))

    def _confirmed(self, name: str, asked: str, ahead: str, offered: frozenset[str] | None = None) -> None:
        """A question naming an item's text answer, confirmed by the reply or asked the other way round
        ("Is Belgrade the capital of Serbia? Yes.", "Belgrade is the capital of which country? Serbia.";
        `reworded.confirmed`), also after a short aside (`_after_aside`)."""
        if not self._may_answer(asked):
            return
        question, asides = words(asked), None
        for it in candidates(self.by_first, question, self.hits).values():
            if self._other_options(it, offered):
                continue
            if confirmed(it, question, self._reply(ahead), self.stop, self.min_overlap, self.shared_words, self.affirmations):
                self.hits[it.id] = name
                continue
            # after a short aside, a reply of the item's entities or an affirmation alone ("Tough call, mate. Serbia.")
            asides = self._after_aside(ahead, any_reply=True) if asides is None else asides
            alone = {w for e in it.wanted for w in e} | {w for a in self.affirmations for w in a}
            if any(set(r) - self.stop <= alone and confirmed(it, question, r, self.stop, self.min_overlap, self.shared_words,
                                                             self.affirmations) for r in asides):
                self.hits[it.id] = name

    def _headings(self, text: str, heads: list[re.Match]) -> list[tuple[str, str]]:
        """(a line standing alone, the next line with words) where the first is a key, not a sentence, of at most
        `question_words` words and the second at most `heading_words` words: a heading over its answer, "Capital of
        Serbia" over "Belgrade" (a heading over a paragraph states facts in prose, not the item's question); and a key of
        at most `heading_words` words with its value in brackets ending its line ("Capital of Serbia (Belgrade)").
        `heads`: the `_HEADING` matches of `text`."""
        out = []
        for m in heads:
            key, value = m.group(1).strip().removesuffix(":"), m.group(2)
            if not _HEADING_END.search(key) and len(words(key)) <= self.question_words and len(words(value)) <= self.heading_words:
                out.append((key, value))
        # a key of a few words with its value in brackets at the line's end (in prose the sentence runs longer:
        # "He moved to the capital of Serbia (Belgrade).")
        # line by line, and only lines the pattern can match (`_bracket_ending`): on a long line the pattern backtracks for long
        for line in text.split("\n") if self.heading_words and ("(" in text or "[" in text) else ():
            m = _BRACKET_VALUE.match(line) if _bracket_ending(line) else None
            if m is not None and len(words(m.group(1))) <= self.heading_words:
                out.append((m.group(1), m.group(2)))
        return out

    def _stopped_headings(self, text: str, heads: list[re.Match]) -> list[tuple[str, str]]:
        """(a short line ending in a full stop, the next line): "Capital of Serbia." over "Belgrade", a flash card whose
        front is written as a sentence. A sentence over a line of prose is not one: the key has at most
        `heading_words` words and the next line is read as the answer alone (`_check`'s `alone`). `heads`: the
        `_HEADING` matches of `text`."""
        out = []
        for m in heads if "." in text else ():
            key = m.group(1).strip()
            if _HEADING_STOP.search(key) and len(words(key)) <= self.heading_words:
                out.append((key[:-1], m.group(2)))
        return out

    def _check(self, name: str, ahead: str, asked_texts: Callable[[], list[str]], keyed: bool = False, alone: bool = False,
               offered: frozenset[str] | None = None) -> None:
        """Record the items whose question is one of `asked_texts()` and whose answer the words of `ahead` (the text
        after the question) give; a `keyed` question (a table cell or a key before its value, asked without a "?")
        also says what the item asks (`says_more`); an answer read `alone` is the reply's only content word run, a
        rejected option beside it at most ("Belgrade.", "Belgrade, not Budapest.", not "Belgrade was busy."; `_alone`), as
        is an answer after a short aside (`_after_aside`). `offered`: the options of the quiz asking it, if any."""
        for k, reply in enumerate(self._replies(ahead)):  # the reply, then each one after a short aside, read alone
            self._check_reply(name, list(reply), asked_texts, keyed, alone or k > 0, offered)

    def _read_replies(self, ahead: str) -> tuple[tuple[str, ...], ...]:
        """The replies `_check` reads in `ahead`: none when it names no answer's first word or opens with a quiz's options
        (those are no answer, `lettered_quizzes.py`), else its first reply and those after a short aside."""
        if not self._may_answer(ahead) or options_ahead(ahead):
            return ()
        return (self._first_reply(ahead), *map(tuple, self._after_aside(ahead)))

    def _check_reply(self, name: str, reply: list[str], asked_texts: Callable[[], list[str]], keyed: bool, alone: bool,
                     offered: frozenset[str] | None = None) -> None:
        heard = {k: it for k, it in candidates(self.by_first, reply, self.hits).items() if not self._other_options(it, offered)}
        if not heard:
            return
        asked_list = asked_texts()
        # also read without the answers it offers ("Capital of Serbia — Budapest, Baghdad or Belgrade?"), and the reply
        # gives the one offered answer it names alone ("Belgrade is nice, but Budapest is the answer." names Budapest)
        bare, alternatives = without_offers(asked_list, self.rules)[len(asked_list) :], offered_texts(asked_list, self.rules)
        for asked in [*asked_list, *bare]:
            question, theirs = self._asked_words(asked)
            question = list(question)
            for it in heard.values():
                if not self._content(it) & theirs:  # `asks_the_same` needs a shared content word: skip the rest early
                    continue
                if it.text in alternatives and named_option(reply, alternatives, self.rules) != it.text:
                    continue
                if asked in bare and another_option_set(it.options, alternatives, self.rules):
                    continue  # a choice item asked with another option set is no copy of it (`choice_copies.py`)
                if alone and not _alone(reply, [it.text.split(), *([[it.surname]] if it.surname else [])], self.rules, self.stop):
                    continue
                if (gives(it, reply, self.rules) and (not keyed or says_more(it, question, self.stop))
                        and asks_the_same(it, question, self.stop, self.min_overlap, entities(asked), reply=reply,
                                          shared_words=self.shared_words)):
                    self.hits[it.id] = name

    def _read_asked(self, asked: str) -> tuple[tuple[str, ...], frozenset[str]]:
        """A question's words and its content words, as `asks_the_same` reads them: relation words as their relation, a
        number item's with number words as digits."""
        question = words(asked)
        return tuple(question), frozenset((set(as_relations(question)) | set(as_relations(numbers_as_digits(question)))) - self.stop)

    def _content(self, item: ChoiceItem) -> set[str]:
        """The content words of an item's question, relation words as their relation (as `asks_the_same` reads them)."""
        if item.id not in self.content:
            self.content[item.id] = set(as_relations(item.asked)) - self.stop
        return self.content[item.id]

    def _keys(self, text: str, end: int) -> list[str]:
        if ("k", text, end) not in self._spans:
            self._spans[("k", text, end)] = self._read_keys(text, end)
        return list(self._spans[("k", text, end)])

    def _read_keys(self, text: str, end: int) -> list[str]:
        """The key before a key-value separator at `end`: back to the last clause mark ("Peru: Lima; Capital of
        Serbia: Belgrade") and back to the sentence's start, never past another separator or an opening bracket
        ("Country: Serbia. Capital: Belgrade" and "Serbia (capital: Belgrade)" have the key "capital"); and a key
        nested under the key before it, back over one separator within its clause ("Serbia — capital: Belgrade" has
        the key "Serbia — capital"); a key ending in a closing bracket reaches back to its sentence's start ("Capital (Serbia):
        Belgrade" has the key "Capital (Serbia)")."""
        lo = max(0, end - _REACH_CHARS * self.question_words, text.rfind("\n", 0, end) + 1)
        sentence = max([lo, *(m.end() for m in _SENTENCE_MARK.finditer(text, lo, end))])
        seps = [m for m in self.key_value.finditer(text, sentence, end) if m.end() <= end]
        key = seps[-1].end() if seps else sentence
        clause = max([key, *(m.end() for m in _CLAUSE_MARK.finditer(text, key, end))])
        starts = [clause, key]
        if text[:end].rstrip().endswith(_CLOSING):  # "Capital (Serbia): Belgrade": the bracket is part of the key
            starts.append(max([lo, *(m.end() for m in _STOP.finditer(text, lo, end))]))
        if seps:
            outer = seps[-2].end() if len(seps) > 1 else sentence
            starts.append(max([outer, *(m.end() for m in _CLAUSE_MARK.finditer(text, outer, seps[-1].start()))]))
        return list(dict.fromkeys(text[a:end] for a in starts))

    def _questions(self, text: str, end: int) -> list[str]:
        if ("q", text, end) not in self._spans:
            self._spans[("q", text, end)] = self._read_questions(text, end)
        return list(self._spans[("q", text, end)])

    def _read_questions(self, text: str, end: int) -> list[str]:
        """The question sentence before `end`, and with the sentences before it on its line up to `sentences` in all (a
        word problem's story: "A shelf holds 84 buttons and Olive removes most. How many stay?")."""
        lo = max(0, end - _REACH_CHARS * self.question_words)
        starts = [lo]
        for e in _SENTENCE_END.finditer(text, lo, end):
            starts = [e.end()] if text[e.start()] == "\n" else [*starts, e.end()]
        return [text[a:end] for a in reversed(starts[-self.sentences :])]

    def _asked_back(self, text: str, end: int) -> list[str]:
        """The question sentence before `end`, and the same read back over a key's ":" to its sentence's start: an
        answer written as a key before the question asked the other way round ("Belgrade: capital of which country?")."""
        first = self._questions(text, end)[0]
        lo = max(0, end - _REACH_CHARS * self.question_words)
        start = max([lo, *(m.end() for m in _STOP_OR_LINE.finditer(text, lo, end))])
        return [first] if start >= end - len(first) else [first, text[start:end]]

    def _reply(self, chunk: str) -> list[str]:
        """`_read_reply`'s words, a new list each call."""
        return list(self._first_reply(chunk))

    def _read_reply(self, chunk: str) -> tuple[str, ...]:
        """The first words of the first sentence with words in `chunk` (the text after a question mark), within its
        line: "Capital of Serbia? See page 4. Belgrade is on page 5." replies "See page 4", naming no answer. A
        sentence of fillers only is no reply: the reply is the sentence after it ("Hmm. Belgrade.", "Good question.\n
        Belgrade."; `corpus_reply_fillers`)."""
        for line in rejected_offers(chunk, self.rules).split("\n"):  # "Belgrade? No, Budapest." is one sentence
            while line:
                end = _first_sentence_end(line)
                got = answer_words(line[:end], self.rules)
                if got and not _only_fillers(got, self.fillers):
                    return tuple(got[: self.answer_words])
                line = line[end:] if got else ""
        return ()

    def _after_aside(self, chunk: str, *, any_reply: bool = False) -> list[list[str]]:
        """The sentences after a short aside in `chunk`, each read as a reply giving the answer alone: "Tough call, mate.
        Belgrade." and "Is it Budapest? No. Belgrade." answer as "Hmm. Belgrade." does, whatever the aside's words (no
        list of fillers holds them all). The aside is the reply's first sentences, at most `corpus_reply_aside_words`
        words together and no number ("See page 4. Belgrade." points elsewhere); a longer one is a reply of its own.
        Only sentences that may hold an item's answer are read as replies, unless `any_reply` (a confirmation: "Yes.")."""
        aside, out = 0, []
        for line in rejected_offers(chunk, self.rules).split("\n") if self.aside_words else ():
            while line:
                end = _first_sentence_end(line)
                sentence, line = line[:end], line[end:]
                ws = words(sentence)
                if not ws:
                    break
                if _only_fillers(ws, self.fillers):
                    continue
                if aside and (any_reply or self._may_answer(sentence)):  # the fast test first: most name no answer
                    out.append(answer_words(sentence, self.rules)[: self.answer_words])
                aside += len(ws)
                if aside > self.aside_words or any(c.isdigit() for c in sentence):
                    return out
        return out

    def findings(self, add: Callable[..., None], side: str = "corpus") -> None:
        where = "corpus document" if side == "corpus" else "the answer of SFT row"
        for item_id, doc in self.hits.items():
            add(f"{side}_signature_with_answer", item_id, side, doc,
                f"{where} {doc} asks the item's question (naming its entities) and answers it right after")


def _only_fillers(ws: list[str], fillers: frozenset[tuple[str, ...]]) -> bool:
    """Whether `ws` is one or more filler phrases and nothing else ("hmm", "good question", "well let me think")."""
    if not fillers:
        return False
    longest = max(map(len, fillers))
    reach = [True] + [False] * len(ws)  # reach[k]: the first k words are fillers
    for k in range(len(ws)):
        if reach[k]:
            for n in range(1, min(longest, len(ws) - k) + 1):
                reach[k + n] = reach[k + n] or tuple(ws[k : k + n]) in fillers
    return reach[-1]


def _alone(reply: list[str], forms: list[list[str]], rules: ListRules, stop: set[str]) -> bool:
    """Whether a reply is one of an answer's `forms` alone, beside at most a rejected option on either side: "Belgrade.",
    "Belgrade, not Budapest.", "Not Budapest, Belgrade.", "Budapest is wrong; Belgrade." (a quiz's way of answering),
    but not "Belgrade was busy." (a statement naming it)."""
    if [w for w in reply if w not in stop] in forms:
        return True
    reply = [w for w in reply if any(c.isalnum() for c in w)]  # "Belgrade -- not Budapest": a dash is no word
    for form in (f for f in forms if f and f[0] in reply):
        n = len(form)
        for at in (k for k in range(len(reply) - n + 1) if reply[k : k + n] == form):
            before, after = reply[:at], reply[at + n :]
            if (before or after) and all(not side or rejection_clause(side, rules) for side in (before, after)):
                return True
    return False


def _sum_like(item: ChoiceItem) -> bool:
    """Whether a number item is a sum any text may hold: an operation on two or more numbers ("7 + 4", "had 5 and lost
    2"); a question about one quantity ("How many weeks are in 7 days?", "Legs of a spider?") asks a fact of its own."""
    numbers = [w for w in numbers_as_digits(item.asked) if w.isdigit()]
    return len(numbers) >= 2 or (item.key or "").startswith("math:") or bool(set(item.asked) & _ARITHMETIC)


def asked_questions(eval_rows: list[dict], cfg: ScanConfig, skip: set[str] = frozenset(), *, weak: bool = False) -> AskedQuestions:
    """The question-and-answer reader for every eval item with options or a short text answer (not in `skip`); a
    number answering a sum (`_sum_like`) whose numbers have fewer than `signature_min_digits` digits together only with
    `weak` (in SFT rows: "What is 7 + 4? 11" in a corpus is a fact any corpus holds, as for the signatures); a lettered
    quiz with another option set than a choice item's is no copy of it (`AskedQuestions._other_options`)."""
    items = [*choice_items(eval_rows, set(skip)), *free_items(eval_rows, set(skip), set(cfg.support_skip_skills))]
    if not weak:
        items = [it for it in items if not (it.text.isdigit() and _sum_like(it))
                 or sum(len(w) for w in it.asked if w.isdigit()) >= cfg.signature_min_digits]
    return AskedQuestions(items, list_rules(cfg), stop_words(cfg.question_stopwords), cfg.choice_copy_min_overlap,
                          question_words=cfg.corpus_choice_question_words, answer_words=cfg.corpus_choice_answer_words,
                          labels=cfg.corpus_question_labels, shared_words=cfg.number_answer_shared_words,
                          separators=cfg.corpus_key_separators, sentences=cfg.corpus_question_sentences,
                          heading_words=cfg.corpus_heading_answer_words, imperatives=cfg.corpus_question_imperatives,
                          affirmations=affirmations(cfg), fillers=phrase_runs(cfg.corpus_reply_fillers),
                          key_labels=cfg.corpus_answer_key_labels, aside_words=cfg.corpus_reply_aside_words)


def answer_question_findings(eval_rows: list[dict], sft_rows: list[dict], skip: set[str], add: Callable[..., None], cfg: ScanConfig) -> None:
    """`sft_signature_with_answer` for an item's question asked and answered inside one message of an SFT row, its
    answer or a system or user turn ("Quiz: Capital of Serbia? Belgrade."); rows carrying a canonical problem and
    items in `skip` are left out."""
    reader = asked_questions(eval_rows, cfg, skip, weak=True)
    deque(reader.tap((r["id"], message_text(m["content"])) for r in sft_rows if canonical_key(r) is None for m in r["messages"]),
          maxlen=0)  # read every message on the way, keep nothing
    reader.findings(add, side="sft")
