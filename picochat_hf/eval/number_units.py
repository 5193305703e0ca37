"""What a number in a reply counts: a plain value, or a multiplier, a money amount or a measure the prompt does not ask for.

"12 times" answers a question about how often a letter or thing occurs, never a sum ("12 times" on "Sam has 7 apples
and the word 'apple' appears ..."); "$12" and "12 dollars" answer a question about money, never one about apples; "12
hours" or "12 kg" answer a question that names that unit; "12 oranges" does not answer "How many apples ...?". The word lists are the scoring YAML's (`scoring.yaml`).
"""

from __future__ import annotations

import re
from typing import Any

from .number_groups import about_group, group_owner
from .number_owners import other_owner, received_by_asked
from .reply_text import phrase_alternation, plural_stem
from .spelling_words import the_asked_word

_LETTER_NAMED = re.compile(r"[\"“‘'][A-Za-z][\"”’']|(?<![\w'’])[A-Za-z]['’]s\b")  # '"t"', "t's"


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def asks(prompt: str, phrases: list[str]) -> bool:
    """Whether the prompt has one of the phrases as whole words."""
    low = _words(prompt)
    return any(_words(p) in low for p in phrases if p.strip())


def asks_occurrences(prompt: str, st: Any) -> bool:
    """A prompt that asks how often something occurs: a frequency phrase ("how many times", "how often"), or a counting
    phrase ("appear", "number of") about a letter (the word "letter" or a letter named: '"t"', "t's")."""
    if asks(prompt, st.occurrence_question_phrases):
        return True
    return asks(prompt, st.occurrence_count_phrases) and (asks(prompt, st.occurrence_letter_words) or _LETTER_NAMED.search(prompt) is not None)


def _about_money(prompt: str, st: Any) -> bool:
    signs = "".join(re.escape(c) for c in st.currency_signs)
    return bool(signs and re.search(r"[" + signs + r"]", prompt)) or asks(prompt, st.money_words + st.money_units_after)


def unit_mismatch(text: str, start: int, end: int, prompt: str, st: Any) -> str | None:
    """Why the number at text[start:end] counts something the prompt does not ask for, None when it may be the value."""
    after = text[end:].lower()
    mult = re.match(r"[\s-]*(" + phrase_alternation(st.multiplier_words_after) + r")(?:\s+([a-z]+))?", after)
    if mult and len(mult.group(1)) == 1 and re.match(r"['’]?s\b", after[mult.end(1) :]) and asks_occurrences(prompt, st):
        mult = None  # "0 x's" counts the letter x (`other_letter` checks it is the one asked about)
    if mult and not (mult.group(1) in st.count_words_after and mult.group(2) not in st.multiplier_continuations
                     and asks_occurrences(prompt, st)):
        return "a multiplier, not a value"
    signs = "".join(re.escape(c) for c in st.currency_signs) or "(?!)"
    before = text[:start].lower()
    # "$12", "12$", "12 €", "12 dollars", "USD 12"
    signed = re.search(r"[" + signs + r"]\s*[-−]?$", before) or re.match(r"\s*[" + signs + "]", after)
    named = re.match(r"[\s-]*(?:" + phrase_alternation(st.money_units_after) + ")", after) or re.search(r"(?:" + phrase_alternation(st.money_units_after) + r")\s*$", before)
    if (signed or named) and not _about_money(prompt, st):
        return "a money amount on a question not about money"
    unit = re.match(r"[\s-]*(" + phrase_alternation(st.measure_units_after) + ")", after)
    if unit and not _names_unit(prompt, unit.group(1), st):
        return f"a measure in {unit.group(1)!r}, which the prompt does not ask for"
    changed = None if received_by_asked(text[end:], prompt) else changed_quantity(text[:start], after, prompt, st)
    return (_other_things(after, prompt, st) or changed
            or start_quantity(text[:start], after, prompt, st) or other_letter(text, start, end, prompt, st)
            or (group_owner if about_group(prompt, st) else other_owner)(text, start, end, prompt, st))


def _other_things(after: str, prompt: str, st: Any) -> str | None:
    """Why a number followed by a plural noun counts other things than a "how many" prompt asks about ("12 oranges" asked
    "How many apples ...?"): a plural word the prompt does not hold, unless a `count_free_words` word ("12 items", "12
    remains"); a singular or irregular word is left alone ("12 apple", "12 left")."""
    if not asks(prompt, st.count_question_phrases):
        return None
    m = re.match(r"[\s-]*([a-z]+)\b", after)
    word = m.group(1) if m else ""
    plural = len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
    said = {plural_stem(w) for w in _words(prompt).split()}
    if plural and plural_stem(word) not in said and word not in st.count_free_words + st.multiplier_words_after:
        return f"a count of {word!r}, which the prompt does not ask about"
    return None


def _names_unit(prompt: str, unit: str, st: Any) -> bool:
    """Whether the prompt names the unit, in full or shortened ("hrs" is "hours": `measure_unit_aliases`)."""
    aliases = dict(a.split("=", 1) for a in st.measure_unit_aliases if "=" in a)
    said = {plural_stem(w) for w in _words(prompt).split()}
    return plural_stem(unit) in said or plural_stem(aliases.get(unit, unit)) in said


def _question(prompt: str) -> str:
    """The sentence of the prompt that asks: the last one ending in "?", else the whole prompt."""
    asks_ = re.findall(r"[^.!?]*\?", prompt)
    return asks_[-1] if asks_ else prompt


def changed_quantity(before: str, after: str, prompt: str, st: Any) -> str | None:
    """Why a number counts a change the question does not ask about ("61 grapes were taken", "Pia took 61" asked how many
    are left): a verb of change (`count_change_verbs`, one line of forms each) right before the number (after a particle
    only: "took away 61") or after it past words of the prompt and auxiliaries only ("61 grapes were taken"; "61 were not
    taken" and "61 are left after 29 were taken" stop at a word outside those), while the question uses no form of it."""
    if not asks(prompt, st.count_question_phrases):
        return None
    groups = [g.split() for g in st.count_change_verbs]
    asked_words = re.findall(r"[a-z]+|\d+", _question(prompt).lower())
    # a verb beside a number in the question states a change ("left after Pia takes 29?"); one alone asks about it
    question = {w for i, w in enumerate(asked_words) if not any(x.isdigit() for x in asked_words[max(0, i - 3) : i + 4])}
    said = set(re.findall(r"[a-z0-9]+", prompt.lower())) | set(st.count_change_fillers)
    words_after = re.findall(r"[a-z]+|\d+|[^\sa-z]", after.lower())
    verb = None
    for w in words_after[:6]:
        if any(w in g for g in groups):
            verb = w
            break
        if w not in said or w.isdigit():
            break
    words_before = re.findall(r"[a-z]+", before.lower()[-40:])
    while words_before and words_before[-1] in st.count_change_particles:
        words_before.pop()
    if verb is None and words_before and re.search(r"[a-z]\s*$", before.lower()):
        verb = next((words_before[-1] for g in groups if words_before[-1] in g), None)
        if verb is not None and _result_subject(before, st):
            return None  # the working's result: "84 - 78 gives 6.", "That gives 6."
    group = next((g for g in groups if verb in g), None)
    if group is None or question & set(group):
        return None
    return f"tied to {verb!r}, a change the question does not ask about"


def _result_subject(before: str, st: Any) -> bool:
    """Whether the verb that ends `before` follows a number, an operator or a `count_result_subjects` word: it states
    what working comes to ("84 - 78 gives", "That gives"), not what a person did ("Olive gives")."""
    m = re.search(r"(\S+)\s+[a-z]+\s*$", before.lower())
    subject = m.group(1).strip("\"'“”‘’,") if m else ""
    return bool(re.fullmatch(r"\d+|[-+*/×÷=)]", subject)) or subject in st.count_result_subjects


def start_quantity(before: str, after: str, prompt: str, st: Any) -> str | None:
    """Why a number counts what there was at the start, not what a "how many" question asks ("49 were in the jar before",
    "At first there were 49"): a `count_start_phrases` phrase in its clause after it (up to another number) or before it
    (from the clause's start), while the question names no start itself ("How many were there at first?")."""
    if not asks(prompt, st.count_question_phrases) or asks(_question(prompt), st.count_start_phrases):
        return None
    ahead = re.split(r"[.,;:!?\n]|\d", after, maxsplit=1)[0]
    behind = re.split(r"[.,;:!?\n]|\d", before)[-1]
    phrase = next((p for p in st.count_start_phrases if asks(ahead, [p]) or asks(behind, [p])), None)
    return f"what there was {phrase!r}, not what the question asks" if phrase else None


# A letter named: quoted ('"a"'), after "letter", with a plural "'s" ("a's") or alone ("r appears"; "a" and "I" alone are words).
_NAMED_LETTER = re.compile(r"[\"“‘']([a-z])[\"”’']|\bletter\s+([a-z])\b|\b([a-z])['’]s\b|(?<![\w'’])([b-hj-z])(?![\w'’])", re.IGNORECASE)


def _letters_named(text: str, st: Any) -> set[str]:
    """The letters a text names; "a" and "I" too when a counting verb or ":" follows them ("a appears", "A: 2")."""
    out = {next(g for g in m.groups() if g).lower() for m in _NAMED_LETTER.finditer(text)}
    verbs = phrase_alternation(st.occurrence_count_phrases)
    return out | {m.group(1).lower() for m in re.finditer(rf"(?<![\w'’])([ai])(?=\s*:|\s+(?:{verbs}))", text, re.IGNORECASE)}


_COUNT_CLAUSE = re.compile(r"[.;!?,\n]|\d|\b(?:and|but|or|while|whereas|plus)\b")


def asked_letters(prompt: str, st: Any) -> set[str]:
    """The letters a how-often prompt names outside its quoted word ({"t"} for 'How often does "t" occur in "toast"?');
    empty when the prompt asks no letter count."""
    if not asks_occurrences(prompt, st):
        return set()
    return _letters_named(re.sub(r"[\"“][^\"”]{2,}[\"”]", " ", prompt), st)  # not the quoted word itself


def _clause_letters(text: str, start: int, end: int, st: Any) -> set[str]:
    """The letters named in the clause of the number at text[start:end]; another count or a conjunction starts another
    clause ("2 t's and 2 o's" gives its second 2 to o alone). A lone "a" or "i" right after the number that ends the
    clause is a letter too ("2 o's and 1 a."), not an article."""
    head = _COUNT_CLAUSE.split(text[:start])[-1]
    tail = _COUNT_CLAUSE.split(text[end:])[0]
    lone = re.fullmatch(r"[ \t]+([ai])[ \t]*", tail, re.IGNORECASE)
    return _letters_named(head + " # " + tail, st) | ({lone.group(1).lower()} if lone else set())


def other_letter(text: str, start: int, end: int, prompt: str, st: Any) -> str | None:
    """Why a count answers for another letter than the one a how-often prompt asks about ("a appears 2 times" asked about
    r): its clause names letters, and the asked one is not among them."""
    asked = asked_letters(prompt, st)
    if len(asked) != 1:
        return None
    named = _clause_letters(text, start, end, st)
    return f"a count of the letter {sorted(named)[0]!r}, not {next(iter(asked))!r}" if named and not named & asked else None


def letter_aside(text: str, start: int, end: int, value: str | None, prompt: str, st: Any) -> bool:
    """Whether the number at text[start:end] is a true count of another letter than the asked one ("There are 2 t's and
    1 o." asked about t in "toast") or of the word's letters ("5 letters"): a fact beside the answer, not a candidate. A
    false one ("and 2 o's", "6 letters") is no aside."""
    word = the_asked_word(prompt)
    if word is None or value is None:
        return False
    if asked_letters(prompt, st) and re.match(r"\s+letters\b(?!\s+[a-z]\b)", text[end:], re.IGNORECASE):
        return value == str(len(word))  # "hookah has 6 letters and 2 o's": the word's true length beside the answer
    if other_letter(text, start, end, prompt, st) is None:
        return False
    named = _clause_letters(text, start, end, st)
    return len(named) == 1 and value == str(word.count(next(iter(named))))
