"""A choice item copied into a corpus document with its options reordered, relettered or unlabelled and its right
answer next to them (`corpus_choice_copy_with_answer`).

The streamed watches find a corpus document holding the item's whole option list in order (`corpus_options`) or
its question followed by the right option's text (`stem`). A quiz page can change both: "Which city is France's
capital?\\nA. Lima\\nB. Oslo\\nC. Paris\\nD. Rome\\nAnswer: C" or "Capital of France: Bern, Paris, Lima or Oslo?
Paris." The corpus stream passes through `CorpusChoiceCopies.tap`, which reads every option list of a document
(lettered or numbered lines, `choice_copies.labelled_runs`; unlabelled lists, `choice_lists.option_lists`) with
the same rules as an SFT row (`choice_copies.py`): one option set within the other, the right option chosen, the
question naming the item's entities and sharing `choice_copy_min_overlap` of its content words. A document has
no question or answer field, so both are read locally: the question is at most `corpus_choice_question_words`
words before the list, in its paragraph and not reaching back past the previous list (so one quiz item's question
is not read as another's),
the answer the first line with words after the list, cut to `corpus_choice_answer_words` words ("Answer: C",
"Paris.", "The answer is Paris").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from ..data.schema import answer_text
from .choice_copies import ChoiceItem, answered, choice_items, labelled_runs, offers_item, same_question, stop_words
from .choice_lists import ListRules, OptionList, answer_words, list_rules, named_option, option_lists
from .config import ScanConfig
from .items import canonical_key
from .normalize import decode_escapes, words
from .number_words import numbers_as_digits
from .tables import tables_as_options

_FIRST_WORDS = r"\W*(?:\w+\W*){{1,{n}}}"
# an inline option label in running text: "(A) Oslo (B) Paris" or "a) Oslo b) Paris" (a closing bracket; "A." is not read inline)
_INLINE_LABEL = re.compile(r"(?<![\w(])\(?([A-Ja-j])\)[ \t]+")
_LABEL_CLOSE = re.compile(r"(?<=[A-Ja-j])\)[ \t]")
_PARAGRAPH = re.compile(r"\n\s*\n")
_LINE = re.compile(r"[^\n]+")
_CHARS_PER_WORD = 20  # the question is read in at most this many characters per word before the list ...
_ANSWER_REACH = 2000  # ... and the answer line within this many characters after it


def corpus_choice_copies(eval_rows: list[dict], cfg: ScanConfig) -> CorpusChoiceCopies:
    """The corpus choice-copy check a scan config sets, for every eval choice item (none when it is turned off)."""
    return _reader(choice_items(eval_rows, set()) if cfg.corpus_choice_copies else [], cfg)


def _reader(items: list[ChoiceItem], cfg: ScanConfig) -> CorpusChoiceCopies:
    return CorpusChoiceCopies(items, list_rules(cfg), stop_words(cfg.question_stopwords), cfg.choice_copy_min_overlap,
                              question_words=cfg.corpus_choice_question_words, answer_words=cfg.corpus_choice_answer_words)


def answer_copy_findings(eval_rows: list[dict], sft_rows: list[dict], skip: set[str], add: Callable[..., None], cfg: ScanConfig) -> None:
    """`sft_choice_copy_with_answer` for a choice item written out, with its answer, inside an SFT row's *answer*
    ("Here is a quiz question: ... Options: Lima, Oslo, Paris, Bern. Answer: Paris"), read as a corpus document is;
    rows carrying a canonical problem and items in `skip` (already found) are left out."""
    items = choice_items(eval_rows, skip)
    if not items:
        return
    reader = _reader(items, cfg)
    for _ in reader.tap((r["id"], answer_text(r)) for r in sft_rows if canonical_key(r) is None):
        pass  # the reader records its hits as the answers pass through
    for item_id, row_id in reader.hits.items():
        add("sft_choice_copy_with_answer", item_id, "sft", row_id,
            f"the answer of SFT row {row_id} writes out the item's options, the right one after them, and a question naming its entities")


class CorpusChoiceCopies:
    """Collects, while the corpus streams, the first document copying each eval choice item with its answer."""

    def __init__(self, items: list[ChoiceItem], rules: ListRules, stop: set[str], min_overlap: float, *, question_words: int,
                 answer_words: int):
        self.by_text: dict[str, list[ChoiceItem]] = {}
        for it in items:
            self.by_text.setdefault(it.text, []).append(it)
        self.rules, self.stop, self.min_overlap = rules, stop, min_overlap
        self.labelled_rules = replace(rules, min_options=2)  # as in an SFT row: two lettered options are a list
        self.question_words = question_words
        self.first_words = re.compile(_FIRST_WORDS.format(n=max(answer_words, 1)))
        self.answer_words = max(answer_words, 1)
        self.hits: dict[str, str] = {}
        self.total = len(items)

    def tap(self, docs: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """Pass the documents on unchanged, reading each one's option lists on the way."""
        for name, text in docs:
            if len(self.hits) < self.total:
                self._read(str(name), text)
            yield name, text

    def findings(self, add: Callable[..., None]) -> None:
        for item_id, doc in self.hits.items():
            add("corpus_choice_copy_with_answer", item_id, "corpus", doc,
                f"corpus document {doc} offers the item's options, the right one next to them, and a question naming its entities")

    def _read(self, name: str, text: str) -> None:
        text = tables_as_options(decode_escapes(text))  # a quiz inside a JSON string: "...\\nA. Lima\\nB. Oslo...", or a table
        labelled = [(OptionList([], [t.split() for t in opts.values()], [], a, b), list(opts)) for a, b, opts in labelled_runs(text)]
        labelled += [run for run in inline_runs(text) if not any(run[0].start < b and a < run[0].end for a, b in
                                                                 ((lst.start, lst.end) for lst, _ in labelled))]
        spans = [(lst.start, lst.end) for lst, _ in labelled]
        unlabelled = [(lst, None) for lst in option_lists(text, self.rules)
                      if not any(lst.start < b and a < lst.end for a, b in spans)]  # "A. Paris" lines are not an unlabelled list
        previous = 0
        for lst, labels in sorted(labelled + unlabelled, key=lambda x: x[0].start):
            lo = max(previous, lst.start - _CHARS_PER_WORD * self.question_words)
            breaks = [m.end() for m in _PARAGRAPH.finditer(text, lo, lst.start)]
            context = words(text[max([lo, *breaks]) : lst.start])[-self.question_words :]
            previous = max(previous, lst.end)
            reply = self._answer_after(text, lst.end)
            if reply or lst.tail:
                self._match(name, lst, labels, context, reply)

    def _answer_after(self, text: str, end: int) -> str:
        """The first line with words after a list (the rest of the list's own line first), cut to its first words."""
        for line in _LINE.finditer(text, end, end + _ANSWER_REACH):
            if words(line.group(0)):
                m = self.first_words.match(line.group(0))
                return m.group(0).strip() if m else line.group(0).strip()
        return ""

    def _match(self, name: str, lst: OptionList, labels: list[str] | None, context: list[str], reply: str) -> None:
        """Record every eval item this list copies with its answer."""
        keys = lst.keys(self.rules)
        for it in (it for t in keys for it in self.by_text.get(t, [])):
            if it.id in self.hits:
                continue
            question, listed = lst.resolve(set(it.options), self.rules, context)
            if labels is not None:
                chosen = answered(_inline_reply(lst, listed, self.answer_words) or reply, dict(zip(labels, listed)), self.rules)
            else:
                chosen = named_option(numbers_as_digits(answer_words(reply, self.rules)), listed, self.rules)
            if (chosen == it.text and offers_item(listed, it, self.rules if labels is None else self.labelled_rules)
                    and same_question(it, question, self.stop, self.min_overlap)):
                self.hits[it.id] = name


def inline_runs(text: str) -> list[tuple[OptionList, list[str]]]:
    """Inline lettered options in one line of running text, "(A) Oslo (B) Paris (C) Lima Answer: (B)" (labels in
    order from A or a, at least two): (the list, its labels). The last option runs to the end of its line; which of
    its words are the option is read against each item (`OptionList.resolve`), the words after it are the reply."""
    out: list[tuple[OptionList, list[str]]] = []
    if len(_LABEL_CLOSE.findall(text)) < 2:  # most documents: no inline list at all (a fast scan for ")")
        return out
    hits = [m.start() for m in _INLINE_LABEL.finditer(text)]
    for line in _LINE.finditer(text):
        if not any(line.start() <= h < line.end() for h in hits):
            continue
        marks = list(_INLINE_LABEL.finditer(line.group(0)))
        k = 0
        while k < len(marks):
            first = marks[k].group(1)
            if first not in "Aa":
                k += 1
                continue
            letters = "ABCDEFGHIJ" if first == "A" else "abcdefghij"
            j = k + 1
            while j < len(marks) and marks[j].group(1) == letters[j - k]:
                j += 1
            run = marks[k:j]
            segs = [words(line.group(0)[m.end() : (run[i + 1].start() if i + 1 < len(run) else len(line.group(0)))]) for i, m in enumerate(run)]
            if len(run) >= 2 and all(segs):
                start = line.start() + run[0].start()
                out.append((OptionList([], segs[:-1], segs[-1], start, line.end()), list(letters[: len(run)].upper())))
            k = j
    return out


def _inline_reply(lst: OptionList, listed: list[str], limit: int) -> str:
    """The first `limit` words after an inline list's last option, on its own line ("(D) Lima Answer: (B)" replies
    "answer b")."""
    if not lst.tail or not listed:
        return ""
    last = listed[-1].split()
    return " ".join(lst.tail[len(last) : len(last) + limit]) if lst.tail[: len(last)] == last else ""
