"""Claims in spelling working about the letter next to a place another claim has just named, and about the letters that
open or close a word, which must hold for the word the prompt asks about.

"The final letter is r; the one before it is t." places t right before the last letter, so it must be the word's
second-to-last letter; "The last letter is r, preceded by t.", "It ends in r, just after a t.", "The first letter is s;
the next one is c." likewise. The anchor is the nearest letter-place claim before (`letter_positions.position_claims`'
forms); the words that point back or on from it are data (`letter_places.yaml`: `relative_before`, `relative_after`,
`anchor_preceded`, `anchor_followed`). A run the word is said to start or end with ("It ends with \\"er\\".", "It starts
with the letters s, c.", "eighthly ends in -ly", "It has the suffix -ly", "Its prefix is eigh-") must be the word's own
start or end; the verbs, nouns and the bare words that describe rather than spell are data (`run_start_verbs`, ...,
`not_runs`, `run_subjects`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..utils.yaml_text import load_yaml_text

__all__ = ["false_count_places", "false_middle", "false_relative", "false_word_end"]

PLACES_YAML = Path(__file__).with_name("letter_places.yaml")
_CLAIMED = r"[\"“'‘*]*(?P<claimed>[A-Za-z])[\"”'’*]*(?![\w'’])(?![ \t]+(?!(?:and|but|so|then|which|too)\b)[A-Za-z])"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _relative() -> list[tuple[re.Pattern, int, bool]]:
    """(pattern, step from the anchor, whether the claim must follow its anchor's letter straight away)."""
    data = load_yaml_text(PLACES_YAML.read_text(encoding="utf-8"))
    out = []
    for key, step in (("relative_before", -1), ("relative_after", 1)):
        out.append((re.compile(rf"\b(?:{_alt(data[key])})\s*(?:\bis\b|\bwas\b|=|:)\s*(?:the\s+letter\s+|an?\s+)?{_CLAIMED}",
                               re.IGNORECASE), step, False))
    for key, step in (("anchor_preceded", -1), ("anchor_followed", 1)):
        out.append((re.compile(rf"\s*,?\s*(?:(?:and|which\s+is|it\s+is|it\s+comes|coming)\s+)?(?:{_alt(data[key])})\s+"
                               rf"(?:the\s+letter\s+|an?\s+)?{_CLAIMED}", re.IGNORECASE), step, True))
    return out


def _anchors(reply: str, st: Any) -> list[tuple[int, int]]:
    """(end of the claim's letter, place) for each letter-place claim ("The final letter is r" -> place -1)."""
    from .letter_positions import _patterns, _place  # a claim's forms are letter_positions'

    out = []
    for pattern, place in _patterns(st):
        for m in pattern.finditer(reply):
            out.append((m.end("letter"), _place(m, place, st)))
    return sorted(set(out))


def false_relative(reply: str, word: str | None, st: Any) -> str | None:
    """The first claim about the letter next to a just-named place that is false of `word`, None when each holds."""
    if not word:
        return None
    anchors = _anchors(reply, st)
    for pattern, step, glued in _relative():
        for m in (pattern.match(reply, end) for end, _ in anchors) if glued else pattern.finditer(reply):
            if m is None:
                continue
            before = [(end, place) for end, place in anchors if end <= m.start()]
            if not before or re.search(r"[\n]", reply[before[-1][0] : m.start()]) or m.start() - before[-1][0] > 80:
                continue
            place = before[-1][1] % len(word) + step
            claimed = m.group("claimed").lower()
            if not 0 <= place < len(word) or word[place] != claimed:
                return m.group(0).strip(" ,")
    return None


_RUN = (r"(?P<run>[\"“'‘]?-?[A-Za-z]{2,}-?[\"”'’]?|[A-Za-z](?:\s*,\s*|\s+)(?:[A-Za-z](?:\s*,\s*|\s+))*[A-Za-z])"
        r"(?![\w'’])(?<![\"”'’]-)")


@lru_cache(maxsize=1)
def _ends() -> tuple[re.Pattern, frozenset[str], frozenset[str], frozenset[str]]:
    """(the claim pattern, the start words, the bare words that are no run, the subject words that stand for the word)."""
    data = load_yaml_text(PLACES_YAML.read_text(encoding="utf-8"))
    verbs = _alt(data["run_start_verbs"] + data["run_end_verbs"])
    nouns = _alt(data["run_start_nouns"] + data["run_end_nouns"])
    pattern = re.compile(
        rf"(?:(?P<subject>[A-Za-z]+)[\"”'’]?[ \t]+)?\b(?:(?P<verb>{verbs})\s+(?:with|in)"
        rf"|(?:the\s+|its\s+|a\s+)?(?P<noun>{nouns})(?:\s+(?:is|was)|\s*:)?)\s+(?:the\s+letters\s+)?{_RUN}"
        r"(?=\s*(?:[.;!?)]|,\s|$|\n|\band\b|\bso\b))", re.IGNORECASE)
    starts = frozenset(w.lower() for w in data["run_start_verbs"] + data["run_start_nouns"])
    return pattern, starts, frozenset(w.lower() for w in data["not_runs"]), frozenset(w.lower() for w in data["run_subjects"])


def false_word_end(reply: str, word: str | None) -> str | None:
    """A run of letters the word is said to start or end with that it does not ("It ends with \\"tr\\"." about
    "scatter", "eighthly ends in -ky", "It has the prefix ai-"); a bare word that describes rather than spells
    (`not_runs`: "ends in a vowel") is not judged, nor a claim whose subject is another word."""
    if not word:
        return None
    pattern, starts, not_runs, subjects = _ends()
    for m in pattern.finditer(reply):
        raw = m.group("run")
        letters = re.sub(r"[^A-Za-z]", "", raw).lower()
        if re.fullmatch(r"[A-Za-z]{2,}", raw) and letters in not_runs:
            continue
        subject = (m.group("subject") or "").lower()
        if subject and subject not in subjects and subject != word and not m.group("noun"):
            continue  # "slightly, which ends in -tly" is about another word
        where = re.sub(r"\s+", " ", (m.group("verb") or m.group("noun")).lower())
        if not (word.startswith(letters) if where in starts else word.endswith(letters)):
            return m.group(0).strip()
    return None


_PLACE = r"(?:\d+(?:st|nd|rd|th)?)"
# opened by a bracket, a colon, "are at"/"is in" ("The r's are in places 3 and 4") or "at positions" ("o at positions 4 and 8")
_PLACE_LIST = re.compile(rf"(?:[(:]|\b(?:are|is|stand|sit)\s+(?=(?:at|in)\s)|\s(?=(?:at|in)\s+(?:the\s+)?(?:positions?|places?|spots?)\s))\s*(?:at\s+|in\s+)?(?:the\s+)?(?P<noun>(?:positions?|places?|letters?|spots?)\s+)?"
                         rf"(?P<nums>{_PLACE}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){_PLACE})*)"
                         r"(?:\s+(?:letters?|positions?|places?))?\s*(?:\)|[.;]|$)", re.IGNORECASE | re.MULTILINE)


def false_count_places(reply: str, word: str | None, letter: str | None) -> str | None:
    """Places given beside a count of the asked letter, in brackets, after a colon or after "are at" ("two t's (the 3rd
    and 5th letters)", "t appears twice (positions 3 and 5)", "There are 2 t's: letters 4 and 5.", "The t's are in places
    4 and 5"), that do not all hold it; `reply` has its number words as digits."""
    if not word or not isinstance(letter, str) or len(letter) != 1:
        return None
    named = re.compile(rf"(?<![\w'’])[\"“'‘*]*{re.escape(letter)}[\"”'’*]*(?:['’]s\b|(?![\w'’]))", re.IGNORECASE)
    for sentence in re.split(r"(?<=[.!?])\s+|\n", reply):
        for m in _PLACE_LIST.finditer(sentence):
            head = sentence[: m.start()]
            if not named.search(head) or re.search(r"\d\s*$", head) or re.search(r"[a-z]\s*\(\s*$", head, re.IGNORECASE) \
                    and not named.search(head[-8:]):
                continue
            if not m.group("noun") and not re.search(r"\d(?:st|nd|rd|th)\b", m.group("nums")):
                continue  # "o: 2", "o(3)" label a letter with a count or a place, and "(6 letters)" is a length
            places = [int(n) for n in re.findall(r"\d+", m.group("nums"))]
            if any(not 1 <= p <= len(word) or word[p - 1] != letter.lower() for p in places):
                return f"{head.strip()} {m.group(0).strip()}"
    return None


_MIDDLE = re.compile(r"\bmiddle\s+letter(?:\s+of\s+(?:the\s+word\s+)?[\"“'‘]?(?P<word>[A-Za-z]{2,})[\"”'’]?)?\s*(?:\bis\b|\bwas\b|=|:)\s*"
                     r"(?:the\s+letter\s+)?" + _CLAIMED, re.IGNORECASE)


def false_middle(reply: str, word: str | None) -> str | None:
    """A middle letter claimed of a word of odd length ("its middle letter is z" about "vitrina", whose middle is r)
    that is not its middle; a word of even length has no one middle letter and is not judged."""
    if not word or len(word) % 2 == 0:
        return None
    for m in _MIDDLE.finditer(reply):
        named = (m.group("word") or "").lower()
        if named and named not in (word, "it", "word"):
            continue
        if m.group("claimed").lower() != word[len(word) // 2]:
            return m.group(0)
    return None
