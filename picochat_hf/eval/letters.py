"""Reading the option letter a reply chooses ("B", "(B)", "The answer is B", "B) Paris").

Exactly one option letter must be chosen; listing several fails ("A or B"), and so does asking ("B?", "Is it
B?"), and so does hedging ("maybe B", "I think B"). A denied letter ("not B", "B is wrong", "it can't be B", "I doubt it's B") is not chosen, nor is a letter
named in the reason given for the choice ("B, since A is in France"), unless the reason affirms it ("B, since
A is right" chooses both). A letter glossed with its own option's text ("A is Lima") beside another chosen letter explains
the options instead of choosing. A reply that is exactly one option's text chooses that option, and the chosen letter
must not come with another option's text ("B. Lima" when B is Paris).

The word lists (the article "A", rejections, reasons) are data: the `choice_*` lexicons of the scoring YAML
(`scoring.yaml`). A caller without a scoring config (the honesty scan) gets the shipped lexicons.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .reply_text import MARKDOWN, STRIP, asked, clean, phrase_alternation


@dataclass(frozen=True)
class LetterLexicon:
    """The `choice_*` lexicons of `scoring.ScoringConfig` (see `scoring.yaml` for what each holds)."""

    not_after_article: tuple[str, ...]
    rejected_before: tuple[str, ...]
    rejected_verbs: tuple[str, ...]
    rejected_that: tuple[str, ...]
    rejected_copulas: tuple[str, ...]
    rejected_after: tuple[str, ...]
    not_rejecting: tuple[str, ...]
    reason_openers: tuple[str, ...]
    affirmed_after: tuple[str, ...]
    hedge_phrases: tuple[str, ...]


_LIST_REST = re.compile(r"(?:\s*,\s*[A-J](?![A-Za-z]))*,?\s+(?:or|nor|and)\s+(?:(?:option|choice|letter)\s+)?[(\"']?[A-J](?![A-Za-z])")


@functools.lru_cache(maxsize=8)
def _patterns(lex: LetterLexicon) -> dict[str, re.Pattern]:
    keep = r"(?!\s+(?:" + phrase_alternation(lex.not_rejecting) + "))"
    copula = r"(?:(?:" + phrase_alternation(lex.rejected_copulas) + r")\s*)?"
    return {
        # "not B", "rather than B", "I would not pick B", "I doubt it's B", "not option B", "not (B)"
        "before": re.compile(r"(?:" + phrase_alternation(lex.rejected_before) + r"|(?:" + phrase_alternation(lex.rejected_verbs) + r")(?:\s+(?:"
                             + phrase_alternation(lex.rejected_that) + r"))?)\s+(?:(?:option|choice|letter)\s+)?[(\"']?$", re.IGNORECASE),
        # "B is wrong", "B would be wrong", "B is the wrong answer", "B doesn't fit"; "B is not only right" is no rejection
        "after": re.compile(r"[)\"']?\s*" + copula + r"(?:(?:a|an|the)\s+)?(?:" + phrase_alternation(lex.rejected_after) + ")" + keep, re.IGNORECASE),
        "reason": re.compile(r"(?:^|[\s,;(])(?:" + phrase_alternation(lex.reason_openers) + r")\s", re.IGNORECASE),
        "hedge": re.compile(phrase_alternation(lex.hedge_phrases), re.IGNORECASE),
        "affirmed": re.compile(r"[)\"']?\s*" + copula + r"(?:" + phrase_alternation(lex.affirmed_after) + ")", re.IGNORECASE),
    }


@functools.lru_cache(maxsize=1)
def default_letter_lexicon() -> LetterLexicon:
    """The shipped lexicons (`scoring.yaml`), for callers without a scoring config."""
    from .scoring import default_scoring_config

    return default_scoring_config().letters()


def _reason_spans(s: str, pats: dict[str, re.Pattern], labels: list[str]) -> list[tuple[int, int]]:
    """The reasons a reply gives ("since A is in France"): after a chosen letter, from a reason opener to the end of its
    sentence; or to the first comma when the reason opens the sentence ("Since A is in France, B"). An opener before
    any letter is no reason ("I'd go for B", "I would mark it as B")."""
    out = []
    letter = r"(?<![A-Za-z'’])[" + "".join(labels) + r"](?![A-Za-z'’])"
    for m in pats["reason"].finditer(s):
        start = m.start() + (m.group(0)[:1] in " \t\n,;(")
        sentence_start = re.search(r"(?:^|[.!?\n])\s*$", s[:start]) is not None
        if not sentence_start and not re.search(letter, s[:start]):
            continue
        stop = re.search(r"[,;]" if sentence_start else r"[.!?\n](?:\s|$)|;", s[start:])
        out.append((start, start + stop.start() if stop else len(s)))
    return out


def _own_text(nxt: str, letter: str, labels: list[str], choices: list[str] | None) -> bool:
    """The letter is followed by its own option's text ("C) false" where C is "false"): the text is read, not a rejection."""
    if not choices or labels.index(letter) >= len(choices):
        return False
    own = re.escape(clean(choices[labels.index(letter)]))
    return bool(own) and re.match(r"[).:\-–—]?\s*" + own + r"(?![a-z0-9])", nxt.lower()) is not None


def _glossed(nxt: str, letter: str, labels: list[str], choices: list[str] | None) -> bool:
    """The letter is followed by "is" (or "=", "means", "stands for") and its own option's text ("A is Lima"): it says
    what the option is, which chooses it only when no other letter is chosen ("B. A is Lima, which is in Peru." chooses B)."""
    if not choices or labels.index(letter) >= len(choices):
        return False
    own = re.escape(clean(choices[labels.index(letter)]))
    link = r"[)\"'’]?\s*(?:is|was|=|means|stands\s+for)\s+(?:the\s+)?(?:option\s+|answer\s+)?[\"'“‘(]?"
    return bool(own) and re.match(link + own + r"(?![a-z0-9])", nxt.lower()) is not None


def _letter_mentions(s: str, labels: list[str], lex: LetterLexicon, choices: list[str] | None = None, *,
                     glosses: bool = False) -> list[tuple]:
    """(letter, rejected) for each option letter written in `s` (with `glosses`, (letter, rejected, glossed): see `_glossed`), skipping the article "A", the pronoun "I" and
    letters in a reason that does not affirm them; a letter is rejected when denied ("not B", "B is wrong", "it
    can't be B", "not A or B") or asked ("B?")."""
    pats = _patterns(lex)
    reasons = _reason_spans(s, pats, labels)
    out: list[tuple[str, bool]] = []
    last = 0
    for m in re.finditer(r"(?<![A-Za-z'’])([A-Ja-j])(?![A-Za-z'’])", s):
        letter, before, nxt = m.group(1).upper(), s[: m.start()], s[m.end() :]
        if letter not in labels:
            continue
        cue = re.search(r"(?:answer|option|choice|letter|\bis|:|\()\s*$", before, re.IGNORECASE)
        if m.group(1).islower() and not (cue and re.match(r"\s*(?:[).,;:!?\n]|$)", nxt)):
            continue  # a lowercase letter is a choice only after a cue and before punctuation ("option b.")
        word = re.match(r"\s+([a-z]+|[A-Z][a-z]+)\b", nxt)
        capital = bool(word) and word.group(1)[0].isupper()
        if capital and letter == "A" and _own_text(nxt, letter, labels, choices):
            word = None  # "A Mercury" where option A is Mercury: the letter with its own text
        if letter in ("A", "I") and word and word.group(1).lower() not in lex.not_after_article and not cue:
            continue  # the article "A cat", "A Mercury is a planet" or the pronoun "I think"
        if any(a <= m.start() < b for a, b in reasons) and not pats["affirmed"].match(nxt):
            continue  # named in a reason ("B, since A is in France"), not chosen
        denied_after = pats["after"].match(nxt) and not _own_text(nxt, letter, labels, choices)
        rejected = bool(pats["before"].search(before) or denied_after) or nxt.lstrip(")\"' ").startswith("?")
        # "not A or B" rejects both; "A? No" asks about A and chooses nothing
        if out and out[-1][1] and re.search(r"[(\s]*\b(?:or|nor)\s+(?:(?:option|choice|letter)\s+)?[(\"']?$", before[last:]):
            rejected = True
        # "not A, C or D" rejects the whole list; "Not A, B." chooses B (no "or" closes a list)
        if out and out[-1][1] and re.fullmatch(r"\s*,\s*", before[last:]) and _LIST_REST.match(nxt):
            rejected = True
        out.append((letter, rejected, _glossed(nxt, letter, labels, choices)) if glosses else (letter, rejected))
        last = m.end()
    return out


def chosen_letters(text: str, labels: list[str], choices: list[str] | None, lex: LetterLexicon | None = None) -> list[str]:
    """The option letters a reply chooses, in order of first mention; a rejected letter ("not B", "B is wrong")
    is not chosen."""
    lex = lex or default_letter_lexicon()
    s = MARKDOWN.sub("", text).strip()
    whole = s.strip(STRIP)
    if len(whole) == 1 and whole.upper() in labels:
        return [whole.upper()]
    found: list[str] = []
    glossed: list[str] = []
    for letter, rejected, gloss in _letter_mentions(s, labels, lex, choices, glosses=True):
        if not rejected and letter not in (glossed if gloss else found):
            (glossed if gloss else found).append(letter)
    if not found:
        found = glossed
    if not found and choices:
        matches = [labels[k] for k, c in enumerate(choices) if clean(c) == clean(s)]
        if len(matches) == 1:
            return matches
    return found


_LINK = r"(?:[).:;,=…\-–—→>]|\s)*"  # what may join a letter and an option text: "B) Lima", "B — Lima", "B → Lima"
_SAYING = r"(?:(?:(?:which|that|it|this)\s*)?(?:is|['’]s|was|equals|means)\s+)?(?:the\s+[a-z]+\s+is\s+)?"


def _option_at(segment: str, choices: list[str]) -> int | None:
    """The option whose text `segment` is or starts with, as whole words (the longest such text), None when none."""
    seg = clean(segment)
    hits = [(len(clean(c)), k) for k, c in enumerate(choices) if clean(c) and re.match(re.escape(clean(c)) + r"(?![a-z0-9])", seg)]
    return max(hits)[1] if hits else None


def _option_before(before: str, choices: list[str]) -> int | None:
    """The option whose text ends `before`, joined to the letter after it by a bracket, comma, colon, "=" or "is"
    ("Lima (B)", "Lima, B", "Lima is B"), None when none."""
    m = re.search(r"(?:\(|,|:|=|\bis\b|\s)+$", before, re.IGNORECASE)
    if m is None or not m.group(0).strip():
        return None
    head = clean(before[: m.start()])
    hits = [(len(clean(c)), k) for k, c in enumerate(choices) if clean(c) and re.search(r"(?<![a-z0-9])" + re.escape(clean(c)) + "$", head)]
    return max(hits)[1] if hits else None


def stated_options(text: str, letter: str, choices: list[str]) -> set[int]:
    """The options whose text is written beside `letter`: after it ("B) Paris", "Option B: Rome", "B — Rome", "B, which
    is Rome", "B. It's Rome.") or before it ("Rome (B)", "Rome, B", "Rome is B")."""
    s = MARKDOWN.sub("", text)
    out = set()
    for m in re.finditer(r"(?<![A-Za-z'])" + letter + r"(?![A-Za-z'])", s):
        after = re.match(_LINK + _SAYING + r"([^\n]*)", s[m.end() :], re.IGNORECASE)
        for k in (_option_at(after.group(1), choices) if after else None, _option_before(s[: m.start()], choices)):
            if k is not None:
                out.add(k)
    return out


# Where an option's text stands as an answer: after a clause or sentence start, a colon, "is", a correction or an
# alternative ("B. Actually, bed.", "B, or rather bed", "B; the animal is the bed"), maybe after an article.
_AS_ANSWER = re.compile(r"(?:^|[.,;:!?(\n\-–—…]|\b(?:no|nope|or|nor|actually|rather|wait|hmm|mean|instead|final|answer|is|are|was|"
                        r"i\.?e|namely|meaning|so|then|maybe|correction|oops|sorry|make\s+that))\s*(?:(?:the|a|an)\s+)?$", re.IGNORECASE)
_DENIED = re.compile(r"\b(?:not|n['’]t|unlike|than|instead\s+of|except|no\s+longer|never)\b[^.;!?\n]*$", re.IGNORECASE)


def other_option_named(text: str, gold: str, labels: list[str], choices: list[str] | None, lex: LetterLexicon) -> int | None:
    """Another option whose text the reply gives as an answer beside the chosen letter ("B. Actually, bed.", "B, or rather
    bed", "B; the animal is the bed"): its text where an answer stands, not the subject of a sentence ("Mercury is a
    planet"), not asked ("Saturn? No, B."), not denied ("not bed", "unlike bed"), not in the reason for the choice ("since bed is furniture") and not
    one of several other options listed together ("the others (Mercury, Saturn, bed) are not")."""
    if not choices:
        return None
    s = MARKDOWN.sub("", text)
    reasons = _reason_spans(s, _patterns(lex), labels)
    hits = []
    for k, choice in enumerate(choices):
        own = clean(choice)
        if not own or labels[k] == gold or own == clean(choices[labels.index(gold)]):
            continue
        for m in re.finditer(r"(?<![A-Za-z0-9])" + re.escape(own) + r"(?![A-Za-z0-9])", s, re.IGNORECASE):
            before, after = s[: m.start()], s[m.end() :]
            sentence = re.split(r"[.;!?\n]", before)[-1]
            if (_AS_ANSWER.search(before) and not re.match(r"\s*(?:(?:is|are|was|were|isn['’]t|['’]s|has|have)\b|\?)", after, re.IGNORECASE)
                    and not _DENIED.search(sentence) and not any(a <= m.start() < b for a, b in reasons)
                    and not re.search(r"(?<![A-Za-z])[A-J][)\"'’]?\s*(?:is|=|means)\s*$", before)):  # "A is Lima" glosses A
                hits.append((k, m.start(), len(before) - len(sentence)))
    sentences = [h[2] for h in hits]
    listed = {h[2] for h in hits if sentences.count(h[2]) > 1}
    named = [k for k, _, at in hits if at not in listed]
    return named[0] if named else None


_OPTION_LINE = re.compile(r"^[ \t]*[(\[]?([A-J])[.):\]][ \t]+(\S.*?)[ \t]*$", re.MULTILINE)


def prompt_options(prompt: str) -> list[str] | None:
    """The option texts a prompt lists one a line ("A. deer", "(B) bed"), when the letters run from A without a gap and
    there are at least two; None otherwise."""
    found = _OPTION_LINE.findall(prompt)
    letters = "".join(letter for letter, _ in found)
    if len(found) < 2 or letters != "ABCDEFGHIJ"[: len(found)]:
        return None
    return [text for _, text in found]


def judge_letter(text: str, gold: str, labels: list[str], choices: list[str] | None, lex: LetterLexicon | None = None) -> tuple[bool, str]:
    lex = lex or default_letter_lexicon()
    letters = chosen_letters(text, labels, choices, lex)
    hedge = _patterns(lex)["hedge"].search(MARKDOWN.sub("", text))
    if letters and hedge:
        return False, f"choice: hedged ({hedge.group(0).lower()!r})"
    if not letters:
        rejected = [x for x, no in _letter_mentions(MARKDOWN.sub("", text), labels, lex) if no]
        return False, f"choice: rejects {rejected[0]} and chooses none" if rejected else "choice: no option letter"
    if asked(text):
        return False, "choice: the letter is asked, not chosen"
    if len(letters) > 1:
        return False, f"choice: several letters {', '.join(letters)}"
    if letters[0] != gold:
        return False, f"choice: chose {letters[0]} not {gold}"
    other = sorted(k for k in stated_options(text, gold, choices or []) if labels[k] != gold)
    if other:
        return False, f"choice: letter {gold} given with the text of option {labels[other[0]]}"
    named = other_option_named(text, gold, labels, choices, lex)
    if named is not None:
        return False, f"choice: letter {gold} chosen, then the text of option {labels[named]} given as the answer"
    return True, ""
