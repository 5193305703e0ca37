"""An eval item's question reworded or cut to its key span in an SFT row, without its options, with its answer.

"Capital of Serbia?" answered "Belgrade." copies the choice item "The capital of Serbia is which city? A. Budapest
B. Baghdad C. Belgrade D. New Delhi"; "Which author wrote Moby-Dick, the story of the Pequod?" answered "Herman
Melville wrote it." copies the free-form item "Who wrote the novel Moby-Dick about the whaling ship Pequod?". An SFT
row is such a copy (`sft_signature_with_answer`) when its prompt names every entity of the item's question (at least
one: numbers, quoted words, capitalised words not opening a sentence; `choice_copies.entities`), shares
`choice_copy_min_overlap` of the content words of *each* question (stricter than a choice copy: no option list ties
the two together, so "Use "lose" in a sentence" does not ask for the antonym of "lose"), and its answer gives the
item's answer: a choice item's right option's text alone among its options, a free-form item's short answer (not a
bare number or letter; operand expressions and spelling words are watched for those). Rows that both carry a
canonical problem are compared by it (`leaks.canonical_findings`), rows offering options by `choice_copies.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..data.schema import message_text, prompt_text
from .choice_copies import ChoiceItem, answered, names_all, choice_items, entities, listed_options, stop_words
from .answer_keys import numbered_pairs
from .choice_lists import ListRules, answer_words, default_list_rules, named_option, named_options, option_lists
from .items import canonical_key, short_answer
from .normalize import words
from .number_words import joined_digits, numbers_as_digits
from .positions import another_option_set, chosen_by_position, offered_alternatives, offered_texts, reply_sentence, without_offers
from .reply_questions import without_own_questions
from .relations import as_relations, asks_person, labelled_otherwise, other_relation, relations


def assistant_text(row: dict) -> str:
    """Every assistant turn of a row, in order (a conversation may answer the question before its last turn)."""
    return "\n".join(message_text(m["content"]) for m in row["messages"] if m["role"] == "assistant")


def asks_the_same(item: ChoiceItem, question: list[str], stop: set[str], min_overlap: float, named: list[list[str]], *,
                  reply: list[str], shared_words: int) -> bool:
    """The question reworded (it names every entity of the item's and shares `min_overlap` of each one's content
    words) or cut to a key span ("Moby-Dick author?": it names some of the item's entities and no other
    (`named`: the row's own entities), and `min_overlap` of its own content words are the item's); for a number
    answer, its numbers are the item's in the item's order and the question with its `reply` says what is asked
    (`says_what`). Relation words count as their relation ("opposite" is "antonym"), and a question asking only
    another relation of the entities ("Largest city of Serbia?"), or a `reply` labelling the answer only so ("Largest
    city: Belgrade."), is not the item's (`relations.py`)."""
    if item.text.isdigit():  # its numbers compared as digits: "Seven km in m?" names the 7 of "7 kilometers"
        question = numbers_as_digits(question)
    ca, cb = set(as_relations(item.asked)) - stop, set(as_relations(question)) - stop
    if not item.wanted or not ca & cb or other_relation(item.asked, question):
        return False
    if labelled_otherwise(item.asked, question, reply, [item.text.split(), *([[item.surname]] if item.surname else [])]):
        return False
    if item.text.isdigit() and not (_in_order(question, item.asked) and says_what(item, [*question, *reply], stop, shared_words)):
        return False
    if item.text.isdigit() and not _names_numbers(question, item.asked) and not _said_words(item, stop) & set(as_relations(question)):
        return False  # "-7, -8" in a list of numbers does not ask "15 - 7?": a bare expression is asked with all its numbers
    if names_all(question, item.wanted) and len(ca & cb) >= min_overlap * max(len(ca), len(cb), 1):
        return True
    # a number is a weak answer: its cut question shares the share of the item's content words too (a story told
    # without one of its numbers, not a stray "22 ... have? 98")
    whole = max(len(ca), len(cb)) if item.text.isdigit() else len(cb)
    return (any(names_all(question, [e]) for e in item.wanted) and names_all(item.asked, named)
            and len(ca & cb) >= min_overlap * whole)


def turned_over(item: ChoiceItem, said: list[str], asked: str, stop: set[str], min_overlap: float, shared_words: int) -> bool:
    """A flash card turned over: `said` is the item's text answer alone (with question words at most: "What is
    Belgrade?") and `asked` asks the item's question ("The capital of Serbia."); an item asking a relation is asked
    only by that relation ("A city on the Danube in Serbia" describes Belgrade). Prose naming the answer first states
    a fact, and a number alone names nothing."""
    content = [w for w in said if w not in stop]
    if item.text.isdigit() or content != item.text.split() or len(said) > len(content) + 3:
        return False
    question, mine = words(asked), relations(item.asked)
    return ((not mine or bool(mine & relations(question))) and says_more(item, question, stop)
            and asks_the_same(item, question, stop, min_overlap, entities(asked), reply=content, shared_words=shared_words))


def confirmed(item: ChoiceItem, asked: list[str], reply: list[str], stop: set[str], min_overlap: float, shared_words: int,
              affirmations: frozenset[tuple[str, ...]]) -> bool:
    """The item's text answer named in a question that the reply confirms ("Is Belgrade the capital of Serbia?" -> "Yes.",
    a reply opening with one of `affirmations`), or that asks the item the other way round, the reply naming the item's
    entities the question leaves out ("Belgrade is the capital of which country?" -> "Serbia."): the question without the answer, with the reply
    in the second case, asks the item's question (`asks_the_same`). A number names nothing by itself."""
    answer = item.text.split()
    at = next((k for k in range(len(asked) - len(answer) + 1) if asked[k : k + len(answer)] == answer), None)
    if item.text.isdigit() or at is None or not reply:
        return False
    rest = asked[:at] + asked[at + len(answer) :]
    if _offered_beside(asked, at, at + len(answer)):  # "Capital of Serbia — Belgrade or Budapest?" -> "Yes." confirms neither
        return False
    if any(tuple(reply[: len(a)]) == a for a in affirmations):
        return asks_the_same(item, rest, stop, min_overlap, item.wanted, reply=[], shared_words=shared_words)
    mine = relations(item.asked)  # the question itself asks what the item asks: "What is Belgrade?" -> "A city in Serbia." does not
    return (not names_all(rest, item.wanted) and names_all(rest + reply, item.wanted) and says_more(item, rest, stop)
            and (not mine or bool(mine & relations(rest)))
            and asks_the_same(item, rest + reply, stop, min_overlap, item.wanted, reply=[], shared_words=shared_words))


def _offered_beside(asked: list[str], start: int, end: int) -> bool:
    """Whether the answer at `asked[start:end]` is offered beside another (an alternative word next to it)."""
    rules = default_list_rules()
    joining = rules.alternatives | rules.alternatives_before
    return bool({*asked[max(0, start - 1) : start], *asked[end : end + 1]} & joining)


def says_what(item: ChoiceItem, exchange: list[str], stop: set[str], shared_words: int) -> bool:
    """Whether a question and its number reply share `shared_words` of the item's content words that are not its
    entities (all of them when it has fewer). A number is a weak answer and the entities only say what a question is
    about: "7 kilometers is a long walk; how long?" answered "About 7000 steps." names the item's 7 kilometers, not
    its meters, and 7000 answers another question; "How far is 7 kilometers?" answered "7000 meters." asks it."""
    core = _core_words(item, stop)
    return len(core & set(as_relations(exchange))) >= min(shared_words, len(core))


def _core_words(item: ChoiceItem, stop: set[str]) -> set[str]:
    """The content words of the item's question that are not its entities ("buttons", "removes"; none in "15 - 7?")."""
    named = {w for e in item.wanted for w in e}
    return set(as_relations(item.asked)) - stop - named


def _said_words(item: ChoiceItem, stop: set[str]) -> set[str]:
    """The core words that are words, not arithmetic symbols: a "-" shared with a list of negative numbers says nothing."""
    return {w for w in _core_words(item, stop) if w.isalnum()}


def _names_numbers(question: list[str], asked: list[str]) -> bool:
    """Whether the question names every number of the item's question (a story may leave one out and still say what
    it asks; a bare expression cut to one operand asks nothing)."""
    return not {w for w in asked if w.isdigit()} - set(question)


def says_more(item: ChoiceItem, question: list[str], stop: set[str]) -> bool:
    """Whether a question asked without a "?" (a table cell, a key before its value) shares a content word of the
    item's question that is not one of its entities: "| Capital of Serbia | Belgrade |" asks the item about the
    capital of Serbia, "| Serbia | Belgrade |" in a table of countries only names its entity (a fact table)."""
    named = {w for e in item.wanted for w in e}
    return bool((set(as_relations(item.asked)) - stop - named) & set(as_relations(question)))


def _in_order(question: list[str], asked: list[str]) -> bool:
    """The question's numbers are the item's in the item's order ("4 + 7" is not the item "7 + 4", as elsewhere)."""
    it = iter(w for w in asked if w.isdigit())
    return all(n in it for n in (w for w in question if w.isdigit()))


def free_items(eval_rows: list[dict], skip: set[str], skip_skills: set[str]) -> list[ChoiceItem]:
    """Eval rows without choices whose short answer is text (at least 4 letters) or a whole number, as items with no
    options."""
    out = []
    for row in eval_rows:
        if row["id"] in skip or row["skill"] in skip_skills or row.get("correct_choice"):
            continue
        answer = short_answer(row)
        text = " ".join(words(answer)) if answer else ""
        question = prompt_text(row)
        named = entities(question)
        # a number counts as the answer to a question naming its entities ("A shelf holds 84 buttons and Olive removes
        # most. How many stay?" -> "6" for the item about 84 - 78), as a name does
        if sum(c.isalpha() for c in text) >= 4 or text.isdigit():
            surname = _surname(answer) if asks_person(words(question)) else None  # "York" does not name "New York"
            out.append(ChoiceItem(row["id"], frozenset(), text, words(question), named, canonical_key(row), surname))
    return out


def _surname(answer: str | None) -> str | None:
    """The last name of an answer written as a person's name (two or more capitalised words, "Herman Melville"), when
    it has at least 4 letters: a reply naming only it ("Melville.", "Melville, Herman") gives the answer."""
    parts = (answer or "").split()
    if len(parts) < 2 or not all(p[:1].isupper() and p.replace("-", "").replace("'", "").replace(".", "").isalpha() for p in parts):
        return None
    last = words(parts[-1])
    return last[0] if len(last) == 1 and len(last[0]) >= 4 else None


def by_answer_word(items: list[ChoiceItem]) -> dict[str, list[ChoiceItem]]:
    """Items by the first word of their answer, and by the last name of a person's name answer."""
    out: dict[str, list[ChoiceItem]] = {}
    for it in items:
        if it.wanted and it.text:
            for w in dict.fromkeys([it.text.split()[0], *([it.surname] if it.surname else [])]):
                out.setdefault(w, []).append(it)
    return out


def gives(item: ChoiceItem, answer: list[str], rules: ListRules) -> bool:
    """Whether an answer gives the item's answer: a choice item's right option's text alone among its options, a
    free-form item's short answer, named and not rejected ("Not Belgrade." gives nothing); a number in words as its
    digits ("Seven thousand." gives 7000)."""
    digits = joined_digits(numbers_as_digits(answer))  # "5 7" and "five seven" give 57
    if item.options:  # number words read as digits only against number options ("No one says Lima" rejects, "no 1" would not)
        numeric = any(c.isdigit() for o in item.options for c in o)
        return named_option(digits if numeric else answer, sorted(item.options), rules) == item.text
    # named and not rejected ("Not Belgrade." gives no answer), as for an option
    return (bool(named_options(answer, [item.text], rules)) or (item.text.isdigit() and bool(named_options(digits, [item.text], rules)))
            or (item.surname is not None and bool(named_options(answer, [item.surname], rules))))


def candidates(by_first: dict[str, list[ChoiceItem]], answer: list[str], found: set[str] | dict[str, str]) -> dict[str, ChoiceItem]:
    """The items (not yet `found`) whose answer's first word an answer holds, in words or in digits."""
    heard = set(answer) | set(joined_digits(numbers_as_digits(answer)))
    return {it.id: it for w in heard for it in by_first.get(w, []) if it.id not in found}


def reworded_copy_findings(eval_rows: list[dict], sft_rows: list[dict], skip: set[str], add: Callable[..., None], *,
                           stopwords: list[str], min_overlap: float, skip_skills: set[str], rules: ListRules | None = None,
                           shared_words: int, affirmations: frozenset[tuple[str, ...]] = frozenset()) -> None:
    """`sft_signature_with_answer` for every eval item (not in `skip`) an SFT row asks reworded, without options, and
    answers (see the module docstring)."""
    rules = rules or default_list_rules()
    stop = stop_words(stopwords)
    by_first = by_answer_word([*choice_items(eval_rows, skip), *free_items(eval_rows, skip, skip_skills)])
    found: set[str] = set()
    all_keyed = all(it.key is not None for its in by_first.values() for it in its)
    for r in sft_rows if by_first else []:
        if all_keyed and canonical_key(r) is not None:
            continue  # task-pack rows against task-pack items: compared by canonical problem
        if r.get("choices"):
            continue
        stale = superseded(r)
        for asked, reply in exchanges(r, affirmations):
            said = words(asked)
            for it in candidates(by_first, said, found).values():
                if (it.key is None or canonical_key(r) is None) and turned_over(it, said, reply, stop, min_overlap, shared_words):
                    found.add(it.id)
                    add("sft_signature_with_answer", it.id, "sft", r["id"],
                        f"SFT row {r['id']} names the item's answer {it.text!r} and is answered with the item's question (a flash card turned over)")
            for it in candidates(by_first, said, found).values():
                if (it.key is None or canonical_key(r) is None) and confirmed(it, said, words(reply), stop, min_overlap, shared_words, affirmations):
                    found.add(it.id)
                    add("sft_signature_with_answer", it.id, "sft", r["id"],
                        f"SFT row {r['id']} names the item's answer {it.text!r} in its question and its answer confirms it or names the item's entities")
            chosen = _by_place(asked, reply, stale, rules)  # "Belgrade or Budapest?" -> "The first one."
            asked, reply = chosen if chosen is not None else (asked, reply)
            stem, listed = listed_options(asked)
            if listed:  # a quiz's own options: the one its reply chooses is its answer, for a free-form item ("A) Budapest B) Belgrade" -> "B")
                chosen = answered(reply.strip(), listed, rules)
                answer, asked = (chosen.split(), stem) if chosen else ([], asked)
            else:  # a question the reply asks of its own names no answer ("Which river flows through Belgrade?")
                answer = answer_words(without_own_questions(reply, rules, frozenset(said) - stop), rules)
            heard = candidates(by_first, answer, found)
            if listed:  # a choice item asked with another option set is no copy of it (`choice_copies.py`)
                heard = {k: it for k, it in heard.items() if not it.options}
            if not heard:
                continue
            # a question offering its answers ("— Budapest, Baghdad or Belgrade?") is also read without them, and its
            # reply gives the one offered answer it names alone ("Belgrade is lovely, but Budapest is the answer.": Budapest)
            questions, alternatives = without_offers([asked], rules), offered_texts([asked], rules)
            # the question inside a longer prompt, on its own; not where the prompt offers options or alternatives (a
            # choice item asked with another option set is no copy of it, `choice_copies.py`)
            if not alternatives and not option_lists(asked, rules):
                questions += [q for q in asked_sentences(asked) if q not in questions]
            for it in heard.values():
                if it.text in alternatives and named_option(answer, alternatives, rules) != it.text:
                    continue
                asks = questions[:1] if another_option_set(it.options, alternatives, rules) else questions  # another set: no copy
                if ((it.key is None or canonical_key(r) is None) and gives(it, answer, rules)
                        and any(asks_the_same(it, words(q), stop, min_overlap, entities(q), reply=answer, shared_words=shared_words)
                                for q in asks)):
                    found.add(it.id)
                    add("sft_signature_with_answer", it.id, "sft", r["id"],
                        f"SFT row {r['id']} asks the item's question reworded, without options (naming its entities), and answers {it.text!r}")


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n")  # a sentence end before a space ("1.5" ends none) or a line end


def asked_sentences(asked: str) -> list[str]:
    """The sentences or lines of a prompt that ask ("Capital of Serbia?"), when it says more than one of them: the item's
    question inside a longer prompt ("Quick geography check before Friday's exam.\nCapital of Serbia?") is compared on
    its own, as the lead-in's words and names are no part of it."""
    found = [p.strip() for p in _SENTENCE_BREAK.split(asked) if p.strip().endswith("?") and any(c.isalnum() for c in p)]
    return found if found and (len(found) > 1 or found[0] != asked.strip().rstrip()) else []


def exchanges(row: dict, affirmations: frozenset[tuple[str, ...]] = frozenset()) -> list[tuple[str, str]]:
    """(question, answer) pairs of a row: its prompt and every assistant turn, and in a conversation each user or
    system turn with every assistant turn after it ("Capital of Serbia?" -> "Belgrade." before other turns, or after
    a wrong guess and "No, think again."), and the user and system turns before an assistant turn joined, with that
    turn (a question split over turns: "I have a question about Serbia." / "Sure." / "What is its capital city?"), and
    a last turn asking a relation and naming no entity (its offered alternatives aside) with the entities of the turns
    before it ("Its seat of government?" or "Its capital — Belgrade or Budapest?" after "Let's talk about Serbia."); an
    assistant quizzing the user (`quizzed`); and a prompt's numbered questions each with the reply's entry of that
    number ("1. Capital of Peru? 2. Capital of Serbia?" -> "1. Lima 2. Belgrade", `answer_keys.numbered_pairs`)."""
    msgs = row["messages"]
    out = [(prompt_text(row), assistant_text(row))]
    if len(msgs) > 2:
        asked: list[str] = []
        for m in msgs:
            if m["role"] != "assistant":
                asked.append(message_text(m["content"]))
                continue
            answer = message_text(m["content"])
            out += [(a, answer) for a in asked] + ([("\n".join(asked), answer)] if len(asked) > 1 else [])
            out += _follow_up(asked, answer)
        out += quizzed(msgs, affirmations)
    out += [pair for asked_text, answer in list(out) for pair in numbered_pairs(asked_text, answer)]  # a quiz answered by number
    return list(dict.fromkeys(out))


def _follow_up(asked: list[str], answer: str) -> list[tuple[str, str]]:
    """A follow-up asking a relation and naming no entity of its own ("Its seat of government?"; alternatives it offers
    are not its own: "Its capital — Belgrade or Budapest?") asks it of the entities named before it ("And which city
    does it flow through?" asks no relation: left as it is)."""
    offered = offered_alternatives(asked[-1]) if asked else None
    stem = offered[0] if offered else (asked[-1] if asked else "")
    if len(asked) < 2 or entities(stem) or not relations(words(stem)):
        return []
    named = " ".join(w for a in asked[:-1] for e in entities(a) for w in e)
    if not named:
        return []
    return [(f"{named}\n{asked[-1]}" if offered else f"{asked[-1]}\n{named}", answer)]


def superseded(row: dict) -> dict[str, str | None]:
    """For each assistant turn of a conversation, the text a question must hold for the turn to choose by place among its
    alternatives: the last turn before it offering alternatives ("Belgrade or Budapest?" ... "Novi Sad or Nis, which is
    bigger?" -> "The first one." chooses Novi Sad, not Belgrade); every assistant turn joined (the whole prompt's reply)
    chooses nothing by place when there are several (None: each turn is read with its own question)."""
    msgs = row["messages"]
    if len(msgs) <= 2:
        return {}
    texts = [message_text(m["content"]) for m in msgs]
    offering = [offered_alternatives(t) is not None for t in texts]
    out: dict[str, str | None] = {}
    for j, m in enumerate(msgs):
        last = max((k for k in range(j) if offering[k]), default=None) if m["role"] == "assistant" else None
        if last is not None:
            out[texts[j]] = texts[last]
    if sum(m["role"] == "assistant" for m in msgs) > 1:
        out[assistant_text(row)] = None
    return out


def _by_place(asked: str, reply: str, stale: dict[str, str | None], rules: ListRules) -> tuple[str, str] | None:
    """`positions.chosen_by_position` for a question and reply of a row, unless the reply answers a later offer (`superseded`)."""
    if reply in stale and (stale[reply] is None or stale[reply] not in asked):
        return None
    return chosen_by_position(asked, reply_sentence(reply, rules), rules)


def quizzed(msgs: list[dict], affirmations: frozenset[tuple[str, ...]]) -> list[tuple[str, str]]:
    """An assistant quizzing the user: an assistant turn asking ("Capital of Serbia — Belgrade or Budapest?") with the
    assistant turn reacting to the user's reply ("No, it's the first one."), and with the user's reply ("The first
    one.") when that reaction opens with one of `affirmations` ("Correct!"): the confirmed reply is the row's answer. A
    reply rejected or left unjudged teaches nothing. Alternatives offered without the item's entities ("Budapest or
    Belgrade — which do you think?") answer the turn before them ("Capital of Serbia?")."""
    out = []
    for k in range(len(msgs) - 2):
        quiz, reply, verdict = msgs[k : k + 3]
        if (quiz["role"], reply["role"], verdict["role"]) != ("assistant", "user", "assistant"):
            continue
        question, judged = message_text(quiz["content"]), message_text(verdict["content"])
        if "?" not in question:
            continue
        offered = offered_alternatives(question)
        if k and offered is not None and not entities(offered[0]):  # "Budapest or Belgrade — which?" offers for the turn before
            question = f"{message_text(msgs[k - 1]['content'])}\n{question}"
        out.append((question, judged))
        said = words(judged)
        if any(tuple(said[: len(a)]) == a for a in affirmations):
            out.append((question, message_text(reply["content"])))
    return out
