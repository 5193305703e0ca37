"""Whose count a number in a reply is, and which negated changes name what is left.

A "how many" story asks about one person's things ("How many grapes does Pia have left?") or, naming no one in its
question, about what is left of the story's things. A number whose clause gives it to someone else is that person's
count, not the answer: "Sam has 61 left" and "Pia gave 61 to Sam" count Sam's things. The owner is a name right before a
verb of having or changing ("Sam has", "Sam's", "Sam still keeps") or a label ("Sam: 61") in the number's clause before it, or a name after
"to"/"for"/"with" after it ("61 went to Sam"). With a person in the question, the owner must be that person; without
one, a person the prompt names (who may hold what is left: "Pia has 61 left" on "... Pia sells 30. How many are unsold?").

A change the reply negates after a count names what the change did not touch: "61 grapes were not taken" says 61 are
left, so its "not" is no hedge, unless the question asks about that change ("How many were taken?") or about whom it
gave to ("... gives 30 to Sam. How many does Sam have?").
"""

from __future__ import annotations

import re
from typing import Any

from .number_holders import holdings, movers
from .reply_text import phrase_alternation

_NAME = r"[A-Z][a-z]+"
CLAUSE_CUT = re.compile(r"[.;:!?,\n]|\d|\b(?:and|but|so|then|while)\b")


def question_of(prompt: str) -> str:
    asks = re.findall(r"[^.!?]*\?", prompt)
    return asks[-1] if asks else prompt


def _change_forms(st: Any) -> list[str]:
    return [w for g in st.count_change_verbs for w in g.split()]


def _owners(head: str, tail: str, st: Any) -> set[str]:
    """The names a number's clause gives it to: before it a name with a verb of having or changing, or with "'s"; after
    it a name after "to", "for" or "with", or after "by" past a verb of change ("30 were taken by Pia"). A giver's
    transfer to someone ("Pia gave 30 to Sam") counts the receiver's things, not the giver's."""
    have = phrase_alternation(st.count_owner_verbs)
    change = phrase_alternation(_change_forms(st))
    adverbs = rf"(?:(?:{phrase_alternation(st.count_owner_adverbs)})\s+){{0,2}}"
    holders = {m.group(1) for m in re.finditer(rf"\b({_NAME})(?:['’]s\b|\s+{adverbs}(?:{have})\b)", head)}
    actors = {m.group(1) for m in re.finditer(rf"\b({_NAME})\s+{adverbs}(?:{change})\b", head)} - holders
    receivers = set(re.findall(rf"\b(?:to|for)\s+({_NAME})\b", tail))
    sharers = set(re.findall(rf"\bwith\s+({_NAME})\b", tail))
    takers = set(re.findall(rf"\b(?:{change})\b.*?\bby\s+({_NAME})\b", tail))
    owners = holders | receivers | sharers | takers | (set() if receivers else actors)
    return {name for name in owners if name.lower() not in {p.lower() for p in st.count_owner_pronouns}}


def count_owners(text: str, start: int, end: int, st: Any, prompt: str = "") -> set[str]:
    """Who the reply gives the number at text[start:end] to: a name in its clause (`_owners`), a label ("Sam: 61"), or
    the person a "she"/"he" or a left-out subject stands for ("Finn took 30, and has 61 left", "She has 61 left")."""
    head = CLAUSE_CUT.split(text[:start])[-1]
    owners = _owners(head, CLAUSE_CUT.split(text[end:])[0], st)
    label = re.search(rf"\b({_NAME})\s*[:=\-–—]\s*$", text[:start])  # "Sam: 61"
    if label and _label_names_someone(label.group(1), prompt, st):
        owners.add(label.group(1))
    joined = re.search(rf"\b({_NAME})\s*(?:,|and|&)$", text[: start - len(head)].rstrip())
    plural = re.match(rf"\s*{_NAME}\s+(?:[a-z]+\s+){{0,2}}(?:have|hold|keep|own|get)\b", head)
    if joined and plural and owners:  # "Tom and Ann have 8": both own it
        owners |= {joined.group(1)} - {p for p in st.count_owner_pronouns}
    if not owners and _subjectless(head, st):
        owners |= _referent(text[:start], head, prompt, st)
    return {name for name in owners if _person(name, head, prompt, st)}


def _label_names_someone(label: str, prompt: str, st: Any) -> bool:
    """Whether a label before a number ("Sam: 61") may name a person: a name the prompt gives does, and so does any
    other word unless it names a step of the working ("Start: 91", "Left: 61": `count_working_labels`) or the prompt uses
    it in lower case as an ordinary word ("Jar: 91" on "A jar contains 91 grapes")."""
    if re.search(rf"\b{re.escape(label)}\b", prompt):
        return True
    word = label.lower()
    if word in {p.lower() for p in st.count_owner_pronouns} or word in {w.lower() for w in st.count_working_labels}:
        return False
    return re.search(rf"\b{re.escape(word)}\b", prompt) is None


def _person(name: str, head: str, prompt: str, st: Any) -> bool:
    """Whether a capitalised word that owns a count may be a person: an operation word or a gerund before a verb of
    change ("Subtraction gives 6", "Subtracting gives 6 buttons", "Taking away 78 leaves 6") states the working's result,
    unless the prompt names it as someone; one that has things ("Sterling has 6") is someone."""
    if re.search(rf"\b{re.escape(name)}\b", prompt):
        return True
    if re.search(rf"\b{re.escape(name)}(?:['’]s\b|\s+(?:[a-z]+\s+){{0,2}}(?:{phrase_alternation(st.count_owner_verbs)})\b)", head):
        return True
    if name.lower() in {w.lower() for w in st.count_working_labels}:
        return False  # "After selling 75, Aria has 5": a word of the working, not a person
    return name.lower() not in st.count_result_subjects and not name.lower().endswith("ing")


def _subjectless(head: str, st: Any) -> bool:
    """The clause before a number is a verb of having with "she"/"he" or no subject at all ("and has 61")."""
    adverbs = rf"(?:(?:{phrase_alternation(st.count_owner_adverbs)})\s+){{0,2}}"
    return re.fullmatch(rf"\s*(?:(?:[Ss]he|[Hh]e)\s+)?{adverbs}(?:{phrase_alternation(st.count_owner_verbs)})\s*", head) is not None


_PRONOUN_FORMS = {"she": ("she", "her", "hers", "herself"), "he": ("he", "him", "his", "himself")}


def _referent(before: str, head: str, prompt: str, st: Any) -> set[str]:
    """Whom a "she"/"he" or a left-out subject stands for: the first name of its sentence or, failing that, of the
    nearest sentence before it with one; else whom the prompt's own "she"/"he" stands for; else the one person the
    question asks about; else everyone the prompt names, since a reader cannot tell which of them is meant."""
    skip = {p.lower() for p in st.count_owner_pronouns}
    for sentence in reversed(re.split(r"[.!?\n]", before)):
        names = [n for n in re.findall(rf"\b{_NAME}\b", sentence) if n.lower() not in skip]
        if names:
            return {names[0]}
    people = set(holdings(prompt, st)[0]) if prompt else set()
    if len(people) <= 1:
        return people
    pronoun = next((w for w in re.findall(r"[a-z]+", head.lower()) if w in _PRONOUN_FORMS), None)
    if pronoun:
        meant = _prompt_referents(prompt, _PRONOUN_FORMS[pronoun], skip)
        if meant:
            return meant
    asked = asked_names(prompt) & people
    return asked if len(asked) == 1 else people


def _prompt_referents(prompt: str, forms: tuple[str, ...], skip: set[str]) -> set[str]:
    """The people the prompt's own pronoun stands for: the first name of the sentence it is in, else of the nearest one
    before it ("Pia has 91 grapes. She gives 30 to Sam." -> Pia)."""
    out: set[str] = set()
    sentences = re.split(r"(?<=[.!?])\s+", prompt)
    for k, sentence in enumerate(sentences):
        used = re.search(r"\b(?:" + "|".join(forms) + r")\b", sentence, re.IGNORECASE)
        if used is None:
            continue
        for earlier in [sentence[: used.start()], *reversed(sentences[:k])]:
            names = [n for n in re.findall(rf"\b{_NAME}\b", earlier) if n.lower() not in skip]
            if names:
                out.add(names[0])
                break
    return out


def asked_names(prompt: str) -> set[str]:
    """The people the prompt's question names ("How many grapes does Sam have?" -> Sam)."""
    question = question_of(prompt).strip()
    return set(re.findall(rf"(?<!^)\b{_NAME}\b", question[1:] if question else "")) - {question.split()[0] if question else ""}


def received_by_asked(after: str, prompt: str) -> bool:
    """Whether the clause after a number gives it to a person the question asks about ("gave 30 to Sam" asked what Sam
    has): the change is what that person holds, not a change beside the answer."""
    tail = CLAUSE_CUT.split(after)[0]
    return bool(set(re.findall(rf"\b(?:to|for)\s+({_NAME})\b", tail)) & asked_names(prompt))


def other_owner(text: str, start: int, end: int, prompt: str, st: Any) -> str | None:
    """Why the number at text[start:end] is someone else's count than the question asks about, None when it is not."""
    if not any(p in prompt.lower() for p in st.count_question_phrases):
        return None
    asked = asked_names(prompt)
    allowed = asked or set(re.findall(rf"\b{_NAME}\b", prompt)) - movers(prompt, st)
    stranger = sorted(count_owners(text, start, end, st, prompt) - allowed)
    return f"a count of {stranger[0]}'s, not what the question asks about" if stranger else None


def negated_changes(text: str, prompt: str, st: Any) -> list[tuple[int, int]]:
    """Spans of a negation before a verb of change after a count ("61 grapes were not taken", "61 weren't sold") past the
    prompt's words and auxiliaries only, whose verb the question does not use: the negation says what is left, it hedges
    nothing."""
    if not any(p in prompt.lower() for p in st.count_question_phrases):
        return []
    receivers = set(re.findall(rf"\b(?:to|for)\s+({_NAME})\b", prompt))
    if receivers & set(re.findall(rf"\b{_NAME}\b", question_of(prompt))):
        return []  # asked about who received ("How many does Sam have?"), what was not given is not the answer
    asked = set(re.findall(r"[a-z]+", question_of(prompt).lower()))
    forms = {w for g in st.count_change_verbs if not asked & set(g.split()) for w in g.split()}
    said = set(re.findall(r"[a-z]+", prompt.lower())) | set(st.count_change_fillers)
    low = text.lower()
    out = []
    for m in re.finditer(r"\d[\d,.]*", low):
        words = list(re.finditer(r"[a-z]+?(?=n['’]t\b)|n['’]t\b|[a-z]+|[^\sa-z]", low[m.end():]))
        for k, w in enumerate(words[:6]):
            word = w.group(0)
            if word in ("not", "never") or word[:1] == "n" and word[1:2] in "'’" and len(word) == 3:
                rest = [x.group(0) for x in words[k + 1 : k + 3]]
                verb = rest[1] if rest[:1] in (["been"], ["be"], ["got"], ["get"]) and len(rest) > 1 else (rest[0] if rest else "")
                if verb in forms:
                    out.append((m.end() + w.start(), m.end() + w.end()))
                break
            if word not in said or word.isdigit():
                break
    return out
