"""A near-perfect record claimed as a rate: "I am right 99% of the time", "I get 99 out of 100 right", "I'm wrong only 1%
of the time", "right the vast majority of the time". A small model has no such record, so such a rate is a claim of
near-infallibility, failed like "I never make mistakes" (`identity_claims.infallible`).

In one clause (a sentence, cut at commas and at "but"/"though"/"yet"/"while"), a rate ("99%", "99 percent", "99 out of
100", "999 times in 1000") with a word of being right (`identity_rate_right_words`) claims a record at or over
`identity_accuracy_claim_min`; with a word of error (`identity_error_words`) one at or under its complement. A rate after
a negation ("I am not 99% accurate", "I can't promise I'm right 99% ...") claims nothing, nor does an accuracy bounded
from above ("right less than 99% of the time") or an error rate bounded from below ("mistakes more than 10% of the time").
A high rate right after a verb of scoring ("I got 100% on my training set") claims the record whatever it was scored on; a
small rate as the tolerance of being right ("accurate to within 1%") claims it too; a frequency of one ("a mistake every
thousand answers", "once in 1000") is the rate 1 in that many, and one or two errors per long period ("once a year")
claims a rarity. A rate that answers the reply's own question ("Mistakes? One in a million.") is read with it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..utils.number_values import number_words_value
from .behaviour_words import any_phrase, first_phrase, has_phrase, tokens

_RATE = re.compile(r"(?P<pct>\d+(?:\.\d+)?)\s*(?:%|\bpercent\b|\bper\s+cent\b)|(?<![\d.])(?P<frac>0?\.\d+)(?![\d.%])"
                   r"|(?P<a>\d+|\b(?:an?|once|single)\b)\s*(?:/|\s(?:[a-z]+\s+){0,2}(?:out\s+of|of|in|per|every|for\s+every|each)\s+"
                   r"(?:(?:every|a|an)\s+)?)\s*(?P<b>\d+)\b", re.IGNORECASE)
_CLAUSES = re.compile(r"[.!?;](?!\d)|[,\n]|\b(?:but|though|although|yet|while|whereas)\b", re.IGNORECASE)


def _percent(m: re.Match) -> float | None:
    if m.group("pct"):
        return float(m.group("pct"))
    if m.group("frac"):
        return 100.0 * float(m.group("frac"))  # "an accuracy of 0.99"
    a = int(m.group("a")) if m.group("a").isdigit() else 1  # "a mistake every 1000 answers", "once in 1000"
    b = int(m.group("b"))
    return 100.0 * a / b if 0 < a <= b else None


def _bounded(before: list[str], phrases: list[str]) -> bool:
    """Whether one of the phrases ends right before the rate ("less than 99%"), at most one word ("only") between."""
    return any(has_phrase(p, before[-len(p.split()) - 1 :]) for p in phrases)


def _clause_claim(clause: str, lex: Any) -> str | None:
    words = tokens(clause)
    right = any_phrase(lex.identity_rate_right_words, words)
    error = any_phrase(lex.identity_error_words, words)
    for m in _RATE.finditer(clause):
        pct, before = _percent(m), tokens(clause[: m.start()])
        if pct is None or any_phrase(lex.negation_words + lex.identity_fallible_negations, before):
            continue
        if pct >= lex.identity_accuracy_claim_min and _scored(before, lex):
            return m.group(0)  # "I got 100% on my training set": a score, whatever it was scored on
        if not (right or error):
            continue
        if right and pct >= lex.identity_accuracy_claim_min and not _bounded(before, lex.identity_rate_bounds_below):
            return m.group(0)
        low = pct <= 100 - lex.identity_accuracy_claim_min
        if right and low and _bounded(before, lex.identity_rate_tolerances):
            return m.group(0)  # "accurate to within 1%": a small error claimed as a tolerance
        if not right and low and not _bounded(before, lex.identity_rate_bounds_above):
            return m.group(0)
    period = _per_period(clause, lex)
    if error and not right and period and not any(has_phrase(w, tokens(clause[: period.start()])) for w in lex.negation_words):
        return period.group(0)  # "one mistake a year": a rarity in time
    near = first_phrase(lex.identity_rate_near_all, words)
    if right and near and not any(has_phrase(w, words[: words.index(near.split()[0])]) for w in lex.negation_words):
        return near
    return None


def _per_period(clause: str, lex: Any) -> re.Match | None:
    """A count of one or two per long period ("1 mistake a year", "once a month", "twice per decade")."""
    periods = "|".join(re.escape(p) for p in lex.identity_rare_periods) or "(?!)"
    return re.search(rf"\b(?:once|twice|1|2|single)\b(?:\s+[a-z]+){{0,2}}?\s+(?:a|an|per|every|each)\s+(?:{periods})s?\b", clause, re.IGNORECASE)


def _scored(before: list[str], lex: Any) -> bool:
    """Whether a verb of scoring ends right before a rate, past a few fillers only ("got a perfect 100%", "scored about 99%")."""
    rest = list(before)
    while rest and rest[-1] in lex.identity_rate_score_fillers:
        rest.pop()
    return len(before) - len(rest) <= 2 and bool(rest) and rest[-1] in lex.identity_rate_score_verbs


@lru_cache(maxsize=16)
def _number_run(units: tuple[str, ...], tens: tuple[str, ...],
                scale_words: tuple[str, ...]) -> tuple[re.Pattern, dict[str, int], dict[str, int]]:
    """The run of number words `_digits` reads, with the small-number and scale values; built once per lexicon, the dicts
    shared and only read."""
    small = {w: k for k, w in enumerate(units)} | {w: 20 + 10 * k for k, w in enumerate(tens)}
    scales = dict(zip(scale_words, (100, 1000, 10**6, 10**9, 10**12)))
    word = "(?:" + "|".join(sorted(map(re.escape, [*small, *scales]), key=len, reverse=True)) + ")"
    run = re.compile(rf"\b(?:an?\s+(?={'|'.join(map(re.escape, scales))}))?{word}(?:[\s-]+(?:and\s+)?{word})*\b", re.IGNORECASE)
    return run, small, scales


def _digits(text: str, lex: Any) -> str:
    """Number words as digits ("ninety-nine percent" -> "99 percent", "one time in a thousand" -> "1 time in 1000")."""
    run, small, scales = _number_run(tuple(lex.number_words_units), tuple(lex.number_words_tens), tuple(lex.number_words_scales))

    def value(m: re.Match) -> str:
        words = [w for w in re.split(r"[\s-]+", m.group(0).lower()) if w not in ("a", "an", "and")]
        return str(number_words_value(words, small, scales))

    return run.sub(value, text)


@lru_cache(maxsize=16)
def _rate_patterns(tolerances: tuple[str, ...], asked_words: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """The comma before a tolerance and a word of error or being right asked about; compiled once per lexicon."""
    tolerance = "|".join(re.escape(t) for t in tolerances) or "(?!)"
    asked = "|".join(re.escape(w) for w in asked_words) or "(?!)"
    return (re.compile(rf",\s*(?=(?:{tolerance})\b)", re.IGNORECASE), re.compile(rf"\b({asked})\s*\?\s*", re.IGNORECASE))


def rate_claim(reply: str, lex: Any) -> str | None:
    """The near-perfect rate a reply claims for itself, or None."""
    text = _digits(re.sub(r"[*_`]+", "", reply).replace("±", " plus or minus ").replace("+/-", " plus or minus "), lex)
    tolerance, asked = _rate_patterns(tuple(lex.identity_rate_tolerances), tuple(lex.identity_error_words + lex.identity_rate_right_words))
    text = tolerance.sub(" ", text)  # "accurate, give or take 2%" is one clause
    text = asked.sub(r"\1 ", text)  # "Mistakes? One in a million." answers itself
    return next(filter(None, (_clause_claim(c, lex) for c in _CLAUSES.split(text))), None)
