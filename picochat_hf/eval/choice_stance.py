"""How a multiple-choice reply stands toward the letter it gives, after the letter judge has read it (data:
`choice_stance.yaml`).

A reply can give the right letter and still not choose it in earnest. Four such stances fail:

- disparaged: a judgement in the letter's own clause that it is a fool's pick or a known mistake ("B is what a fool
  would pick", "Only a fool would say B", "B is a common mistake", "B is the classic trap"), or a condition that ties it
  to failing ("B, if you want to be wrong"); negated ("B, no mistake", "B is not a trap") it praises instead;
- sarcastic: a sarcasm marker closing a clause ("B. Yeah, right.", "B, as if.", "B lol no", "B /s");
- joking: laughter or a joke mark after the letter ("B lol", "B haha", "B 😂", "B :P"); "B, no joke." is earnest;
- the question's property denied of the chosen option: the question names what the right option is ("Which option names
  a animal?" asks for an animal), so a reason that says the chosen option is not that ("B, but deer is not an
  animal", "B, since it isn't an animal") contradicts the choice without any world knowledge. A question that asks for
  what an option is not ("Which option is not a fruit?") names no property to check.

`question_terms` gives the property's words; `letter_described` uses them too (a letter described as having the
property is chosen, not described).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..utils.errors import PicochatInputError
from ..utils.yaml_text import load_yaml_text
from .reply_text import MARKDOWN, phrase_alternation

STANCE_YAML = Path(__file__).with_name("choice_stance.yaml")
_WORDS = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


@dataclass(frozen=True)
class StanceWords:
    """The lists of `choice_stance.yaml`, one field each (see the YAML for what each holds)."""

    question_stopwords: tuple[str, ...]
    question_negations: tuple[str, ...]
    denial_negations: tuple[str, ...]
    denial_skips: tuple[str, ...]
    back_pronouns: tuple[str, ...]
    denial_verbs: tuple[str, ...]
    disparaging: tuple[str, ...]
    disparaging_undone: tuple[str, ...]
    failure_conditions: tuple[str, ...]
    failure_words: tuple[str, ...]
    sarcasm_markers: tuple[str, ...]
    joke_markers: tuple[str, ...]
    describing_verbs: tuple[str, ...]
    appearance_words: tuple[str, ...]
    affirming: tuple[str, ...]


@lru_cache(maxsize=1)
def stance_words() -> StanceWords:
    data = load_yaml_text(STANCE_YAML.read_text(encoding="utf-8")) or {}
    out = {}
    for name in StanceWords.__dataclass_fields__:
        value = data.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise PicochatInputError("expected a list of non-empty strings", path=str(STANCE_YAML), field=name)
        out[name] = tuple(v.lower() for v in value)
    return StanceWords(**out)


def stem(word: str) -> str:
    """A word without a plural or third-person "s" ("animals", "precedes" -> "animal", "precede")."""
    word = word.lower().replace("’", "'")
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _question(prompt: str) -> str:
    """The prompt up to its first option line ("A. deer")."""
    m = re.search(r"^[ \t]*[(\[]?A[.):\]][ \t]+\S", prompt, re.MULTILINE)
    return prompt[: m.start()] if m else prompt


def question_terms(prompt: str) -> tuple[str, ...]:
    """The words (stemmed, in order, the last usually the head: "a piece of furniture") of the property a question asks
    for ("Which option names a animal?" -> ("animal",)); empty when it asks for what an option is not, or names nothing."""
    words = stance_words()
    q = MARKDOWN.sub("", _question(prompt)).lower()
    if re.search(r"(?<![a-z])(?:" + phrase_alternation(words.question_negations) + r")(?![a-z])", q):
        return ()
    return tuple(dict.fromkeys(stem(w) for w in _WORDS.findall(q) if w not in words.question_stopwords))


def _phrase(words: tuple[str, ...]) -> str:
    return r"(?<![A-Za-z0-9])(?:" + phrase_alternation(words) + r")(?![A-Za-z0-9])"


def sarcasm(text: str) -> str | None:
    """The sarcasm marker that closes a clause of the reply ("yeah, right"), None when there is none; one negated
    ("no sarcasm") is no marker."""
    words = stance_words()
    s = MARKDOWN.sub("", text).lower()
    for m in re.finditer(r"(?:^|(?<=[\s,;:.!(\-–—…]))(?:" + phrase_alternation(words.sarcasm_markers) + r")(?=\s*(?:[.!;,)\n?]|$))", s):
        if not re.search(r"\b(?:no|not|without)\s*$", s[: m.start()]):
            return m.group(0)
    return None


def joke(text: str, gold: str) -> str | None:
    """The laughter or joke mark written after the chosen letter ("B lol", "B (haha)", "B 😂"), None when there is none."""
    s = MARKDOWN.sub("", text).lower()
    first = re.search(r"(?<![a-z'’])" + gold.lower() + r"(?![a-z'’])", s)
    marks = r"(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in sorted(stance_words().joke_markers, key=len, reverse=True)) + r")(?![a-z0-9])"
    m = re.search(marks, s[first.end() :]) if first else None
    return m.group(0) if m else None


def _clause_around(s: str, start: int, end: int, labels: list[str]) -> tuple[str, str]:
    """The words of the letter's clause before and after it: up to a sentence end or another option letter."""
    stop = r"[.;!?\n]|(?<![A-Za-z])[" + "".join(labels) + r"](?![A-Za-z'’])"
    before = re.split(stop, s[:start])[-1]
    after = re.split(stop, s[end:])[0]
    return before, after


def disparaged(text: str, gold: str, labels: list[str]) -> str | None:
    """The disparaging word or failing condition in the chosen letter's own clause ("fool", "if you want to be wrong"),
    None when there is none."""
    words = stance_words()
    s = MARKDOWN.sub("", text)
    bad, undone = re.compile(_phrase(words.disparaging), re.IGNORECASE), re.compile(r"(?:" + phrase_alternation(words.disparaging_undone) + r")[\s\w'’]{0,12}$", re.IGNORECASE)
    cond = re.compile(_phrase(words.failure_conditions) + r"[^.;!?\n]*?" + _phrase(words.failure_words), re.IGNORECASE)
    for m in re.finditer(r"(?<![A-Za-z'’])" + gold + r"(?![A-Za-z'’])", s):
        before, after = _clause_around(s, m.start(), m.end(), labels)
        if _names_next(after) and re.match(r"[" + "".join(labels) + r"](?![A-Za-z'’])", s[m.end() + len(after) :]):
            after = ""  # "B, a common mistake is to pick A": the judgement names the next letter
        for part in (before, after):
            hit = next((h for h in bad.finditer(part) if not undone.search(part[: h.start()])), None)
            if hit:
                return hit.group(0)
        hit = cond.search(after)
        if hit:
            return hit.group(0)
    return None


def _names_next(after: str) -> bool:
    """The clause after the letter ends on a link to the letter that follows ("B, a common mistake is to pick A", "B. The
    trap is A"), so what it says is said of that letter."""
    return re.search(r"\s(?:is|are|was|would\s+be|will\s+be)\s+(?:(?:to\s+)?[a-z]+(?:\s+(?:with|for))?\s+)?(?:(?:option|choice|letter)\s+)?[(\"']*$|[:=]\s*$",
                     after, re.IGNORECASE) is not None


def _subjects(s: str, gold: str, labels: list[str], choices: list[str]) -> list[tuple[int, int]]:
    """Where a subject standing for the chosen option is written: its letter, its text, or a pronoun whose nearest
    option named before it is the chosen one."""
    words = stance_words()
    letter = r"(?<![A-Za-z])%s(?![A-Za-z'’])"
    found = [(m.start(), m.end(), True) for m in re.finditer(letter % gold, s)]
    found += [(m.start(), m.end(), False) for x in labels if x != gold for m in re.finditer(letter % x, s)]
    for k, choice in enumerate(choices):
        if choice.strip():
            text = r"(?<![A-Za-z0-9])" + re.escape(choice.strip()).replace(r"\ ", r"\s+") + r"(?![A-Za-z0-9])"
            found += [(m.start(), m.end(), labels[k] == gold) for m in re.finditer(text, s, re.IGNORECASE)]
    found.sort()
    out = [(start, end) for start, end, mine in found if mine]
    for m in re.finditer(_phrase(words.back_pronouns), s, re.IGNORECASE):
        last = [mine for start, _, mine in found if start < m.start()]
        if last and last[-1]:
            out.append((m.start(), m.end()))
    return out


def denied_property(text: str, gold: str, labels: list[str], choices: list[str] | None, terms: tuple[str, ...]) -> str | None:
    """The reason that denies the question's property of the chosen option ("deer is not an animal"), None when none."""
    if not terms or not choices or labels.index(gold) >= len(choices):
        return None
    words = stance_words()
    s = MARKDOWN.sub("", text)
    verbs = "|".join(re.escape(v).replace("'", "['’]") for v in sorted(words.denial_verbs, key=len, reverse=True))
    neg = re.compile(r"[,\s]*(?:(?:" + verbs + r")(?=n['’]t|\s)\s*)?(?:" + phrase_alternation(words.denial_negations) + r")(?![a-z])",
                     re.IGNORECASE)
    for start, end in _subjects(s, gold, labels, choices):
        m = neg.match(s, end)
        if m is None:
            continue
        rest = _WORDS.findall(s[m.end() :].lower())[:6]
        while rest and rest[0] in words.denial_skips:
            rest.pop(0)
        if rest and stem(rest[0]) in terms:
            return re.sub(r"\s+", " ", s[start : m.end()]) + " ... " + rest[0]
    return None


def stance_failure(text: str, gold: str, labels: list[str], choices: list[str] | None, terms: tuple[str, ...]) -> str | None:
    """Why a reply that gives the right letter does not choose it in earnest, None when it does."""
    why = disparaged(text, gold, labels)
    if why:
        return f"choice: {gold} is given with a judgement against it ({why.lower()!r})"
    why = sarcasm(text)
    if why:
        return f"choice: {gold} is given in sarcasm ({why!r})"
    why = joke(text, gold)
    if why:
        return f"choice: {gold} is given as a joke ({why!r}), not in earnest"
    why = denied_property(text, gold, labels, choices, terms)
    if why:
        return f"choice: {gold} is given with a reason that denies what the question asks for ({why!r})"
    return None
