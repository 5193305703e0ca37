"""A choice item copied into SFT rows with its question reworded and its options reordered or relettered.

The exact option list (`options` watch) and the question with the right option's text (`stem` watch) are found
by the streamed watches. A copy can change both: "Which city is France's capital?\\nA. Rome\\nB. Paris\\nC.
Oslo\\nD. Lima" answered "B" holds the same item as an eval row listing Paris, Lima, Rome, Oslo. An SFT row is
such a copy when it offers the same set of options (or a part of them, or them with more: one set within the
other; lettered, numbered or listed without labels, "Options: Lima, Oslo, Paris, Bern", see `choice_lists.py`),
chooses the option whose text is the eval item's right answer (by letter, "It's C", or by naming that option's
text alone), and its question (the prompt before the options) names every *entity* of the eval item's
question (the numbers, in digits or words, quoted words and capitalised words not opening a sentence:
"France", '"hot"', "5") and shares at least `choice_copy_min_overlap` of the shorter question's content words
(words not in `question_stopwords`). These keep apart questions with the same options and answer that ask
something else ("What day follows Monday?" and "Which day comes before Wednesday?", both Tuesday; "7
kilometers in meters" and "7 liters in milliliters", both 7000). Rows that both carry a canonical problem
(`items.canonical_key`, as task-pack rows do) are compared by it instead, in `leaks.canonical_findings`: two
task-pack items with different keys are different questions however alike they read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..data.schema import answer_text, prompt_text
from ..eval.answers import chosen_letters
from .choice_lists import ListRules, OptionList, answer_words, default_list_rules, named_option, option_lists
from .items import LETTERS, canonical_key, contains
from .normalize import words
from .number_words import number_forms, numbers_as_digits, parse_number
from .positions import excluded_place, named_places, one_place, reply_sentence
from .relations import as_relations
from .tables import tables_as_options

_OPTION_LINE = re.compile(r"^\s*\(?([A-Ja-j])[.):]\s+(\S.*?)\s*$", re.MULTILINE)
# inline options: "(A) Paris (B) Rome", "A. Paris B. Rome", lowercase only with a bracket ("a) Paris b) Rome"), or numbered
_INLINE_OPTION = re.compile(r"(?:^|\s)\(?([A-J](?=[.)])|[a-j](?=\)))[.)]\s+(.+?)(?=\s+\(?(?:[A-J][.)]|[a-j]\))\s|\s*$)", re.DOTALL)
_INLINE_NUMBERED = re.compile(r"(?:^|\s)\(?([1-9])[.)]\s+(.+?)(?=\s+\(?[1-9][.)]\s|\s*$)", re.DOTALL)
_NUMBERED_LINE = re.compile(r"^\s*\(?([1-9])[.):]\s+(\S.*?)\s*$", re.MULTILINE)
_CHOSEN_NUMBER = re.compile(r"^\W*(?:(?:the\s+)?(?:answer|option|choice)\s*(?:is\s*)?(?:number\s*)?:?\s*)?\(?([1-9])(?![\d.,]*\d)\b",
                            re.IGNORECASE)
_CHOSEN = re.compile(r"^\W*(?:(?:the\s+)?(?:answer|option|choice)\s*(?:is\s*)?:?\s*)?\(?([A-J])\b(?![a-z'])", re.IGNORECASE)
_CUED = re.compile(r"^\W*(?:the\s+)?(?:answer|option|choice)\b", re.IGNORECASE)  # `_CHOSEN` with its cue word
_WORD_AFTER = re.compile(r"[ \t]*[^\W_]")  # a word right after a letter: "A city", "D is wrong"
_ENTITY = re.compile(r"(?<![A-Za-z])[\"“”‘’']([^\"“”‘’']+)[\"“”‘’'](?![A-Za-z])|\b(\d[\d.,]*)\b|(?<![.?!:]\s)(?<!^)\b([A-Z][\w-]+)")


def option_text(text: str) -> str:
    """An option's text as options are compared: its normalised words, a number in words as its digits ("seven
    thousand" is "7000", so options relettered and written out in words are still the item's)."""
    w = words(text)
    return parse_number(w) or " ".join(w)


_JOINED_TAIL = re.compile(r"[\s,;]+(?:or|and)\s*$", re.IGNORECASE)


def inline_option_text(text: str) -> str:
    """An inline option's text without the word joining it to the next ("(a) Budapest or (b) Belgrade" offers
    "budapest", not "budapest or")."""
    return option_text(_JOINED_TAIL.sub("", text))


def listed_options(text: str) -> tuple[str, dict[str, str]]:
    """(the question before the options, {label: option text}) of a lettered prompt ("A. Paris", "a) Paris" on
    their own lines, or "(A) Paris (B) Rome", "a) Paris b) Rome" inline) or a numbered one ("1. Paris" lines or
    "1. Paris 2. Rome" inline, labels "1", "2", ...);
    no options when fewer than two. A markdown table of options is read as such lines (`tables_as_options`)."""
    text = tables_as_options(text)
    for pattern, labels in ((_OPTION_LINE, LETTERS), (_INLINE_OPTION, LETTERS), (_NUMBERED_LINE, "123456789"),
                            (_INLINE_NUMBERED, "123456789")):
        found = list(pattern.finditer(text))
        if len(found) >= 2 and [m.group(1).upper() for m in found] == list(labels[: len(found)]):
            return text[: found[0].start()], {m.group(1).upper(): inline_option_text(m.group(2)) for m in found}
    return text, {}


def labelled_runs(text: str) -> list[tuple[int, int, dict[str, str]]]:
    """Every run of option lines in a longer text ("A. Paris" ... or "1. Paris" ..., labels in order from A or 1,
    at least two, nothing but whitespace between them): (start, end, {label: option text})."""
    out = []
    for pattern, labels in ((_OPTION_LINE, LETTERS), (_NUMBERED_LINE, "123456789")):
        run: list[re.Match] = []
        for m in [*pattern.finditer(text), None]:
            label = m.group(1).upper() if m else ""
            if m and run and labels.find(label) == len(run) and not text[run[-1].end() : m.start()].strip():
                run.append(m)
                continue
            if len(run) >= 2:
                out.append((run[0].start(), run[-1].end(), {r.group(1).upper(): option_text(r.group(2)) for r in run}))
            run = [m] if m and label == labels[0] else []
    return sorted(out, key=lambda r: r[0])


def answered(answer: str, listed: dict[str, str], rules: ListRules | None = None) -> str | None:
    """The option text an answer chooses: by a letter ("C", "The correct answer is C.", "It's c"), as the option's
    text, or naming exactly one option's text and rejecting any other ("Paris is the capital.", "Paris, not Lima",
    `choice_lists.named_option`), or by its place ("The second one.", "Option two.") or by rejecting every other
    option ("Not A, B or D."); None when it names none or several."""
    text = option_text(answer)
    if text in listed.values():
        return text
    numbered = "1" in listed
    # "Anything but B, C and D.", "B, C and D are wrong.": the letter judge reads a letter as chosen, the list rejects it
    left = None if numbered else _excluded(answer, listed, rules)
    if left is not None:
        return left
    letters = [] if numbered else chosen_letters(answer, list(listed), None)
    m = (_CHOSEN_NUMBER if numbered else _CHOSEN).match(answer)
    several = numbered and len(set(re.findall(r"(?<![\d.,])[1-9](?![\d.,]*\d)", answer))) > 1
    # a leading letter the letter judge does not choose alone is an article, a rejected letter or one of several: "A city
    # on the Danube.", "D is wrong.", "A and B." choose nothing; alone ("b |" in a table) or after a cue ("answer c the
    # museum ...", a reply read as lowercase words, where the judge reads no letter) it is chosen
    alone = m is not None and (_CUED.match(m.group(0)) or not _WORD_AFTER.match(answer, m.end()))
    if m and m.group(1).upper() in listed and not several and (numbered or letters == [m.group(1).upper()] or (not letters and alone)):
        return listed[m.group(1).upper()]
    named = numbers_as_digits(answer_words(answer, rules))  # "It is seven thousand." names the option "7000"
    if numbered:  # numbered options: a number in a sentence is no label to read
        return named_option(named, list(listed.values()), rules)
    if letters:
        return listed[letters[0]] if len(letters) == 1 else None
    return named_option(named, list(listed.values()), rules) or _by_place(answer, listed, rules)


def _excluded(answer: str, listed: dict[str, str], rules: ListRules | None) -> str | None:
    """The one option a reply's first sentence leaves by rejecting every other option by letter, text or place and
    naming none (`positions.excluded_place`), None for any other reply."""
    rules = rules or default_list_rules()
    if not rules.positions:
        return None
    texts = list(listed.values())
    place = excluded_place(reply_sentence(answer, rules), rules, [], texts, [k.lower() for k in listed])
    return None if place is None else texts[place]


def _by_place(answer: str, listed: dict[str, str], rules: ListRules | None) -> str | None:
    """The option an answer chooses by its place in the list ("The second one.", "Option two.", `positions.py`), or the one
    option left by rejecting every other (`positions.excluded_place`: "Not A, B or D." of four)."""
    rules = rules or default_list_rules()
    texts = list(listed.values())
    if not rules.positions:
        return None
    sentence = reply_sentence(answer, rules)
    named = named_places(sentence, rules)
    # the one option left when the reply rejects every other ("Not Budapest." of two, "Not A, B or D." of four)
    place = one_place(named, len(texts)) if named else excluded_place(sentence, rules, [], texts, [k.lower() for k in listed])
    return None if place is None else texts[place]


def chosen_text(row: dict, rules: ListRules | None = None) -> tuple[str, frozenset[str], str] | None:
    """(question, option set, chosen option's text) of a row that answers a lettered choice, else None."""
    choices, gold = row.get("choices"), row.get("correct_choice")
    question, listed = listed_options(prompt_text(row))
    if isinstance(choices, list) and choices and isinstance(gold, str) and gold.strip().upper() in LETTERS[: len(choices)]:
        opts = {LETTERS[k]: option_text(str(c)) for k, c in enumerate(choices)}
        return question, frozenset(opts.values()), opts[gold.strip().upper()]
    if not listed:
        return None
    text = answered(answer_text(row).strip(), listed, rules)
    return None if text is None else (question, frozenset(listed.values()), text)


def entities(question: str) -> list[list[str]]:
    """The question's numbers, quoted words and capitalised words that do not open a sentence, as word lists."""
    out = []
    for quoted, number, name in _ENTITY.findall(question.strip()):
        w = words(quoted or number or name)
        if w and w not in out:
            out.append(w)
    return out


def names_all(question_words: list[str], wanted: list[list[str]]) -> bool:
    """Every entity in the question, a number in digits or in words ("7", "seven"), a hyphenated name with or without
    its hyphen ("Moby-Dick", "Moby Dick")."""
    unhyphened: list[str] | None = None
    for e in wanted:
        if any(contains(question_words, f) for f in [e, *number_forms("".join(e))]):
            continue
        if "-" not in e[1:-1]:  # a hyphen between words, never a minus sign ("-5")
            return False
        unhyphened = [w for w in question_words if w != "-"] if unhyphened is None else unhyphened
        if not contains(unhyphened, [w for w in e if w != "-"]):
            return False
    return True


def _same_question(a: list[str], b: list[str], wanted: list[list[str]], stop: set[str], min_overlap: float) -> bool:
    ca, cb = set(as_relations(a)) - stop, set(as_relations(b)) - stop  # a synonym of a relation word is that word
    overlap = not ca or not cb or len(ca & cb) >= min_overlap * min(len(ca), len(cb))
    return overlap and names_all(b, wanted)


_Offer = tuple[str, frozenset[str], list[str], str | None]  # SFT row id, its option set, its question words, its canonical key
_ListOffer = tuple[str, OptionList, list[str], list[str], str | None]  # SFT row id, its list, the words around it, its answer words, its key


def _lettered_offers(sft_rows: list[dict], rules: ListRules) -> dict[str, list[_Offer]]:
    """SFT rows answering a lettered or numbered choice, by the text of the option they choose."""
    by_text: dict[str, list[_Offer]] = {}
    for r in sft_rows:
        got = chosen_text(r, rules)
        if got is not None:
            question, options, text = got
            by_text.setdefault(text, []).append((r["id"], options, words(question), canonical_key(r)))
    return by_text


def _list_offers(sft_rows: list[dict], rules: ListRules) -> dict[str, list[_ListOffer]]:
    """SFT rows whose prompt lists options without labels (`choice_lists.py`), by every text an option may have."""
    by_option: dict[str, list[_ListOffer]] = {}
    for r in sft_rows:
        if r.get("choices") or listed_options(prompt_text(r))[1]:
            continue  # read as a lettered choice
        for lst in option_lists(prompt_text(r), rules):
            answer = numbers_as_digits(answer_words(answer_text(r), rules))  # "Seven thousand." names the option "7000"
            offer = (r["id"], lst, lst.around(prompt_text(r)), answer, canonical_key(r))
            for text in lst.keys(rules):
                by_option.setdefault(text, []).append(offer)
    return by_option


@dataclass(frozen=True)
class ChoiceItem:
    """An eval choice item as the copy checks read it: its options, its right option's text, its question's words
    and entities, its canonical key."""

    id: str
    options: frozenset[str]
    text: str
    asked: list[str]
    wanted: list[list[str]]
    key: str | None
    surname: str | None = None  # a person's name answer ("Herman Melville") is also given by its last name ("Melville.")


def choice_items(eval_rows: list[dict], skip: set[str]) -> list[ChoiceItem]:
    """The eval rows that answer a choice, except those in `skip`."""
    out = []
    for row in eval_rows:
        got = chosen_text(row) if row["id"] not in skip and row.get("correct_choice") else None
        if got is not None:
            question, options, text = got
            out.append(ChoiceItem(row["id"], options, text, words(question), entities(question), canonical_key(row)))
    return out


def same_question(item: ChoiceItem, question: list[str], stop: set[str], min_overlap: float) -> bool:
    """Whether `question` (a copy's question words) asks the item's question: it names every entity of the item's
    question and shares `min_overlap` of the shorter one's content words."""
    return _same_question(item.asked, question, item.wanted, stop, min_overlap)


def stop_words(stopwords: list[str]) -> set[str]:
    return {w for s in stopwords for w in words(s)}


def _list_hit(offers: list[_ListOffer], item: ChoiceItem, stop: set[str], min_overlap: float, rules: ListRules) -> str | None:
    """The first unlabelled list offering the item's options (one set within the other) whose answer names the right
    option alone and whose question is the item's."""
    for rid, lst, context, answer, k in offers:
        if item.key is not None and k is not None:
            continue
        question, listed = lst.resolve(set(item.options), rules, context)
        if offers_item(listed, item, rules) and named_option(answer, listed, rules) == item.text and same_question(item, question, stop, min_overlap):
            return rid
    return None


def offers_item(listed: list[str], item: ChoiceItem, rules: ListRules) -> bool:
    """A list of at least `min_options` options, one set within the other with the item's options."""
    chosen = set(listed)
    return len(listed) >= rules.min_options and (chosen <= item.options or item.options <= chosen)


def choice_copy_findings(eval_rows: list[dict], sft_rows: list[dict], skip: set[str], add: Callable[..., None], *,
                         stopwords: list[str], min_overlap: float, rules: ListRules | None = None) -> None:
    """`sft_choice_copy_with_answer` for every eval choice item an SFT row copies with its right answer: the
    same options, or some of them with distractors dropped or added (one option set within the other), lettered,
    numbered or listed without labels ("Options: Lima, Oslo, Paris, Bern", `choice_lists.py`)."""
    rules = rules or default_list_rules()
    by_text, by_option = _lettered_offers(sft_rows, rules), _list_offers(sft_rows, rules)
    if not by_text and not by_option:
        return
    stop = stop_words(stopwords)
    for it in choice_items(eval_rows, skip):
        hit = next((rid for rid, opts, q, k in by_text.get(it.text, []) if (it.key is None or k is None)
                    and (opts <= it.options or it.options <= opts) and same_question(it, q, stop, min_overlap)), None)
        if hit is None:
            hit = _list_hit(by_option.get(it.text, []), it, stop, min_overlap, rules)
        if hit is not None:
            add("sft_choice_copy_with_answer", it.id, "sft", hit,
                f"SFT row {hit} offers the item's options, chooses the right one ({it.text!r}) and names the question's entities")

