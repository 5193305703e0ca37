"""Claims in spelling working about the letter at a place in a word, which must hold for the word the prompt asks about.

A place is the first or last letter (`answer_position_first`, `answer_position_last`), an ordinal after first
(`letter_position_ordinals`: "the second letter"), a numbered one ("the 2nd letter", "letter 2"). The claim may be a
sentence ("The first letter is s.", "s is the first letter of hookah", "It begins with s", "... and ends with k"), a label
("First: s.", "Letter 1: s.", "Position 2: k", "Starts with: s."), a bare "the last is s" after a first-letter claim, or
a letter's places ("The letter o is at positions 2, 3.", "The o's are letters 2 and 3."). A claim about a
word the prompt does not hold ("the first letter of the alphabet is a") is not judged. The word lists are the scoring
YAML's (`scoring.yaml`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..utils.yaml_text import load_yaml_text
from .letter_neighbours import false_neighbour
from .spelling_words import asked_words, prompt_words, the_asked_word

__all__ = ["false_position", "position_claims", "without_true_claims"]

# One letter claimed, in quotes or bold or not; a letter followed by another word is an article or a pronoun ("The first
# letter is a capital D"), not a claim, and one followed by more letters begins a run ("ends in i, n, g").
_CLAIMED = (r"[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*(?![\w'’])"
            r"(?![ \t]+(?!(?:and|but|so|then|while|which|because|since|in|of|too)\b)[A-Za-z])"
            r"(?!\s*[,\-–—]\s*[\"“'‘]?[A-Za-z](?![\w'’]))")
_WORD_NAMED = r"(?:the\s+word\s+|the\s+|its\s+)?[\"“'‘]?(?P<word>[A-Za-z]{2,})[\"”'’]?"
_OF_WORD = rf"(?:\s+(?:of|in)\s+{_WORD_NAMED})?"
_LINK = r"\s*(?:\bis\b|\bwas\b|=|:)\s*(?:the\s+letter\s+)?"
_NUMBERED = r"(?P<num>\d+)(?:st|nd|rd|th)"
# A letter said to stand at numbered places ("The letter o is at positions 2, 3.", "The o's are letters 2 and 3.", "h
# appears at position 1 and 6"): each place named must hold the letter (a list may name only some of its places).
_LISTED = re.compile(
    r"(?<![\w'’])(?:the\s+letter\s+|the\s+)?[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*(?:['’]?s)?"
    r"\s+(?:is|are|appears?|occurs?|shows\s+up|stands?|sits?|comes?)\s+(?:(?:once|twice|thrice|\d+\s+times)\s*,?\s+)?"
    r"(?:(?:at|in|on)\s+)?(?:the\s+)?"
    r"(?:positions?|places?|spots?|letters?)\s+(?:#\s*|no\.?\s*|numbers?\s+)?"
    r"(?P<nums>\d+(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)\d+)*)\b", re.IGNORECASE)
# Words that, where a claim's subject stands, stand for the word asked about ("It begins with h and ends with k").
_ASKED_WORD = {"it", "word", "this", "that", "and", "but", "so", "then", "also", "which", "while", "thus", "hence", "too"}


PLACES_YAML = Path(__file__).with_name("letter_places.yaml")
_ONE_LETTER = r"[\"“'‘*]*[A-Za-z][\"”'’*]*"
_LIST_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"
# the end of a claim: a letter that goes on with a word ("is the third letter", "the third one is") is not this form
_CLAIM_END = r"(?=\s*(?:[,;.!?)]|$|\band\b|\bso\b|\bthen\b))"


@lru_cache(maxsize=1)
def _places_data() -> dict:
    return load_yaml_text(PLACES_YAML.read_text(encoding="utf-8"))


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _patterns(st: Any) -> tuple[tuple[re.Pattern, int | None], ...]:
    """(pattern, place) for each claim form; a place of None is read from the pattern's `num` or `ord` group."""
    return _claim_patterns(tuple(st.answer_position_first), tuple(st.answer_position_last),
                           tuple(getattr(st, "letter_position_ordinals", [])))


@lru_cache(maxsize=16)
def _claim_patterns(first_words: tuple[str, ...], last_words: tuple[str, ...],
                    ordinal_words: tuple[str, ...]) -> tuple[tuple[re.Pattern, int | None], ...]:
    """`_patterns` built and compiled once per lexicon."""
    first, last, ordinals = list(first_words), list(last_words), list(ordinal_words)
    out: list[tuple[str, int | None]] = []
    ordinal = rf"(?:{_NUMBERED}|(?P<ord>{_alternation(ordinals)}))" if ordinals else _NUMBERED
    verbs = {0: r"begins|starts|opens|start|begin", -1: r"ends|finishes|closes|end|finish"}
    for place, words in ((0, first), (-1, last)):
        alt = _alternation(words)
        out += [
            (rf"\b(?:{alt})\s+letter{_OF_WORD}{_LINK}{_CLAIMED}", place),
            # "The last letter, e, comes first": the letter set off by commas after its place
            (rf"\b(?:{alt})\s+letter{_OF_WORD}\s*,\s*{_CLAIMED}\s*,", place),
            (rf"(?<![\w'’])[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*\s+is\s+the\s+(?:{alt})\s+letter{_OF_WORD}", place),
            (rf"(?:\b{_WORD_NAMED}\s+)?\b(?:{verbs[place]})\s+(?:with|in)\s*:?\s*(?:the\s+letter\s+|an?\s+)?{_CLAIMED}", place),
        ]
    # a label or a bare "the last is": first, last and final only, as the other words are verbs or nouns ("the end is near")
    out.append((rf"(?:^|[\n.;,(]|\band\b|\bthe\b)\s*(?:the\s+)?(?P<end>first|1st|last|final)(?:\s+one)?\s*(?:\bis\b|\bwas\b|=|:)\s*{_CLAIMED}",
                None))
    back = _back_place(ordinals)
    out += [
        (rf"\b{back}\s+letter{_OF_WORD}{_LINK}{_CLAIMED}", None),
        (rf"\b(?P<back>{_alternation(ordinals)}|\d+(?:st|nd|rd|th))\s+letter\s+from\s+the\s+(?:end|back|right){_OF_WORD}{_LINK}{_CLAIMED}"
         if ordinals else r"(?!)", None),
        (rf"(?<![\w'’])[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*\s+is\s+the\s+{back}\s+letter{_OF_WORD}", None),
        (rf"(?:^|[\n.;,(]|\band\b|\bthe\b)\s*(?:the\s+)?{back}(?:\s+one)?\s*(?:\bis\b|=|:)\s*{_CLAIMED}", None),
        # "... and c is the third", "h is 1st, o is 2nd": the noun left out after an earlier claim
        (rf"(?<![\w'’])[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*\s+is\s+(?:the\s+)?(?:(?P<end>first|last|final)|(?P<ord>{_alternation(ordinals)})|{_NUMBERED})"
         rf"(?:\s+one)?{_CLAIM_END}" if ordinals else r"(?!)", None),
        (rf"\b{ordinal}\s+letter{_OF_WORD}{_LINK}{_CLAIMED}", None),
        (rf"(?<![\w'’])[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*\s+is\s+the\s+{ordinal}\s+letter{_OF_WORD}", None),
        # a place set beside the letter: "t, the 5th letter", "t (5th letter)", "t, letter 5", "t, at position 5"
        (rf"(?<![\w'’])[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*\s*[,(]\s*(?:at\s+)?(?:the\s+)?(?:{ordinal}\s+(?:letter|place|position)"
         rf"|(?:letter|position|place)\s+(?P<num2>\d+)){_OF_WORD}{_CLAIM_END}", None),
        # "the second is o", "the 2nd is o": the noun left out after an earlier claim
        (rf"(?:^|[\n.;,(]|\band\b)\s*(?:the\s+)?{ordinal}(?:\s+one)?\s*(?:\bis\b|=|:)\s*{_CLAIMED}", None),
        (rf"\bletter\s+(?:#|no\.?\s*|number\s+)?(?P<num>\d+){_OF_WORD}{_LINK}{_CLAIMED}", None),
        # "Position 2: k", "the letter at position 2 is k", "at index 2 is k" (counted from 1, as "letter 2" is)
        (rf"\b(?:position|place|spot)\s+(?:#|no\.?\s*|number\s+)?(?P<num>\d+){_OF_WORD}{_LINK}{_CLAIMED}", None),
    ]
    return tuple((re.compile(p, re.IGNORECASE), place) for p, place in out)


def _back_place(ordinals: list[str]) -> str:
    """A place counted from the end: "second-to-last", "3rd from the end" (group `back`), "penultimate" (group `pen`)."""
    data = _places_data()
    count = rf"(?:{_alternation(ordinals)}|\d+(?:st|nd|rd|th))" if ordinals else r"\d+(?:st|nd|rd|th)"
    return (rf"(?:(?P<back>{count})(?:{_alternation(data['back_joins'])})(?:{_alternation(data['back_ends'])})\b"
            rf"|(?P<pen>\b(?:{_alternation(data['penultimate'])})\b))")


def _place(m: re.Match, place: int | None, st: Any) -> int:
    groups = m.groupdict()
    if place is not None:
        return place
    if groups.get("pen"):
        return -2
    if groups.get("back"):
        back = groups["back"].lower()
        digits = re.match(r"\d+", back)
        return -int(digits.group(0)) if digits else -([w.lower() for w in st.letter_position_ordinals].index(back) + 2)
    if groups.get("end"):
        return 0 if groups["end"].lower() in ("first", "1st") else -1
    if groups.get("num") or groups.get("num2"):
        return int(groups.get("num") or groups["num2"]) - 1
    ordinals = [w.lower() for w in st.letter_position_ordinals]
    return ordinals.index(groups["ord"].lower()) + 1


def position_claims(reply: str, st: Any) -> list[tuple[int, str | None, str]]:
    """(place: 0 first, -1 last, k the (k+1)th; the word named or None; the letter) for each claim the reply states."""
    claims = {}
    backs = set()
    for pattern, place in _patterns(st):
        for m in pattern.finditer(reply):
            named = m.groupdict().get("word")
            claims[(m.start("letter"), _place(m, place, st))] = (named.lower() if named else None, m.group("letter").lower())
            if m.groupdict().get("back") or m.groupdict().get("pen"):
                backs.add(m.start("letter"))
    # "the second-to-last letter is e" is no claim about the last letter
    claims = {key: v for key, v in claims.items() if not (key[1] == -1 and key[0] in backs)}
    for m in (m for p in _paired_lists(st) for m in p.finditer(reply)):
        letters = re.findall(r"(?<![\w'’])[A-Za-z](?![\w'’])", m.group("lets"))
        places = _listed_places(m.group("nums"), st) if m.groupdict().get("nums") else _run_places(m, len(letters), st)
        letters = re.findall(r"(?<![\w'’])[A-Za-z](?![\w'’])", m.group("lets"))
        named = m.groupdict().get("word")
        if len(places) == len(letters):
            for k, (num, letter) in enumerate(zip(places, letters)):
                claims[(m.start("lets") + k * 10**7, num - 1 if num > 0 else num if num < 0 else 10**6)] = (named.lower() if named else None, letter.lower())
    for m in [*_LISTED.finditer(reply), *(m for p in _place_lists(st) for m in p.finditer(reply))]:
        for k, num in enumerate(_listed_places(m.group("nums"), st)):
            # a place before the first is no place of the word: a length past any word's end says so
            claims[(m.start("letter") + k * 10**7, num - 1 if num > 0 else num if num < 0 else 10**6)] = (None, m.group("letter").lower())
    for start, place, letter in _numbered_letters(reply):
        claims[(start, place)] = (None, letter)
    return [(place, named, letter) for (_, place), (named, letter) in sorted(claims.items())]


# "1. s 2. c 3. a", "1) s, 2) c, 3) a": a letter numbered by its place, on one line or one a line
_NUMBERED_LETTER = re.compile(r"(?<![\w.])(\d+)[.):]\s*[\"“'‘*]*([A-Za-z])[\"”'’*]*(?![\w'’])(?=\s*(?:[,;]|\d+[.):]|$))",
                              re.MULTILINE)


def _numbered_letters(reply: str) -> list[tuple[int, int, str]]:
    """(where, place, letter) of each letter in a list that numbers three or more letters 1, 2, 3, ... in order."""
    out, run = [], []
    for m in [*_NUMBERED_LETTER.finditer(reply), None]:
        if m is not None and int(m.group(1)) == len(run) + 1 and (not run or not reply[run[-1].end() : m.start()].strip(" \t\n,;")):
            run.append(m)
            continue
        if len(run) >= 3:
            out += [(r.start(2), int(r.group(1)) - 1, r.group(2).lower()) for r in run]
        run = [m] if m is not None and m.group(1) == "1" else []
    return out


def _place_lists(st: Any) -> list[re.Pattern]:
    """Claims that one letter stands at several places: "The 4th and 8th letters are o.", "o is the third and seventh
    letter.", "Letters 3 and 7 are o.", "The o's are at 3 and 7.", "o at 3, o at 7"."""
    ordinals = list(getattr(st, "letter_position_ordinals", [])) + list(st.answer_position_first) + ["last", "final"]
    place = rf"(?:\d+(?:st|nd|rd|th)?|{_alternation(ordinals)})"
    places = rf"(?P<nums>{place}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){place})+)"
    # one letter: "are s and o" names a letter for each place, which is not read
    letter = r"[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*(?!\s*(?:,|\band\b|&)\s*[\"“'‘*]*[A-Za-z](?![\w'’]))"
    return [re.compile(p, re.IGNORECASE) for p in (
        rf"\b(?:the\s+)?{places}\s+letters\s+(?:of\s+\S+\s+)?(?:are|were)\s+(?:both\s+|all\s+)?(?:the\s+letter\s+)?{letter}(?![\w'’])",
        rf"\bletters\s+(?:#\s*|numbers?\s+)?{places}\s+(?:are|were)\s+(?:both\s+|all\s+)?{letter}(?![\w'’])",
        # "The 7th and last letter is r." names one letter at both places
        rf"\b(?:the\s+)?{places}\s+letter\s+(?:of\s+\S+\s+)?(?:is|was)\s+(?:the\s+letter\s+)?{letter}(?![\w'’])",
        # the last of a list of letters ("s and a are the first and third letters") pairs them with the places
        rf"(?<![\w'’])(?<![A-Za-z]\sand\s)(?<![A-Za-z],\s)(?<![A-Za-z]\s&\s)(?:the\s+letter\s+)?{letter}(?:['’]?s)?\s+(?:is|are)\s+"
        rf"(?:both\s+)?the\s+{places}\s+letters?\b",
        rf"(?<![\w'’])(?:the\s+)?{letter}['’]?s\s+are\s+(?:at|in)\s+(?:positions?\s+|places?\s+)?{places}\b",
        # a label: "The t's: 4th and 5th letters."
        rf"(?<![\w'’])(?:the\s+)?{letter}['’]?s\s*:\s*(?:the\s+)?{places}\s+letters\b",
        rf"(?<![\w'’]){letter}\s+(?:is\s+)?at\s+(?:position\s+|place\s+)?(?P<nums>\d+)\b(?!\s*[-+*/×÷=:]\s*\d)",
    )]


def _paired_lists(st: Any) -> list[re.Pattern]:
    """Claims that pair places with letters in order: "The first and third letters are s and a.", "Letters 2 and 4 are
    c and t.", "s and a are the first and third letters."; "last" is the word's last place."""
    ordinals = list(getattr(st, "letter_position_ordinals", [])) + list(st.answer_position_first) + ["last", "final"]
    place = rf"(?:\d+(?:st|nd|rd|th)?|{_alternation(ordinals)})"
    places = rf"(?P<nums>{place}(?:{_LIST_SEP}{place})+)"
    letters = rf"(?P<lets>{_ONE_LETTER}(?:{_LIST_SEP}{_ONE_LETTER})+)(?![\w'’]){_CLAIM_END}"
    return [re.compile(p, re.IGNORECASE) for p in (
        # "The first two letters are s and c.", "The last 2 letters are e and r."
        rf"\b(?:the\s+)?(?P<run>{_alternation(['first', 'last', 'final'])})\s+(?P<size>\d+|{_alternation(list(st.number_words_units))})"
        rf"\s+letters{_OF_WORD}\s+(?:are|were)\s+(?:the\s+letters\s+)?{letters}",
        rf"\b(?:the\s+)?{places}\s+letters{_OF_WORD}\s+(?:are|were)\s+(?:the\s+letters\s+)?{letters}",
        rf"\bletters\s+(?:#\s*|numbers?\s+)?{places}{_OF_WORD}\s+(?:are|were)\s+(?:the\s+letters\s+)?{letters}",
        rf"(?<![\w'’])(?P<lets>{_ONE_LETTER}(?:{_LIST_SEP}{_ONE_LETTER})+)\s+are\s+the\s+{places}\s+letters{_OF_WORD}",
    )]


def _run_places(m: re.Match, count: int, st: Any) -> list[int]:
    """The places, counted from 1 (-1 and back from the end), of "the first two" / "the last 2" letters; [] when the run's
    size is not the number of letters given."""
    units = [w.lower() for w in st.number_words_units]
    size_text = m.group("size").lower()
    size = int(size_text) if size_text.isdigit() else units.index(size_text)
    if size != count:
        return []
    return list(range(1, size + 1)) if m.group("run").lower() == "first" else list(range(-size, 0))


def _listed_places(nums: str, st: Any) -> list[int]:
    """The places, counted from 1, a list names ("4th and 8th", "third and 7"; "first" is 1)."""
    ordinals = [w.lower() for w in getattr(st, "letter_position_ordinals", [])]
    first = [w.lower() for w in st.answer_position_first]
    out = []
    for w in re.findall(r"\d+|[a-z]+", nums.lower()):
        if w.isdigit():
            out.append(int(w))
        elif w in ordinals:
            out.append(ordinals.index(w) + 2)
        elif w in first:
            out.append(1)
        elif w in ("last", "final"):
            out.append(-1)  # the word's last place
    return out


def _holds(word: str, place: int, letter: str) -> bool:
    return -len(word) <= place < len(word) and word[place] == letter


def _described(place: int) -> str:
    return {0: "the first letter", -1: "the last letter"}.get(place, f"letter {place + 1}" if place >= 0 else f"letter {-place} from the end")


def false_position(reply: str, prompt: str, st: Any, row: dict | None = None) -> str | None:
    """A claim about the letter at a place in a word that is false of the word it names, or of the word the prompt asks
    about ("The first letter is s." about "earthliness", "Letter 2: k." about "hookah"); None when every claim holds or no
    word can be told (a claim about another word, "the first letter of the alphabet is a", is not judged)."""
    asked = asked_words(prompt, row)
    for place, named, letter in position_claims(reply, st):
        if named and named not in _ASKED_WORD:
            if named not in prompt_words(prompt):
                continue
            targets = [named]
        else:
            targets = asked
        if targets and not any(_holds(w, place, letter) for w in targets):
            return f"{_described(place)} is {letter!r}"
    return false_neighbour(reply, asked)


_CLAUSE_BREAK = re.compile(r"\s*(?:[;.!]|,?\s+and\b|,\s+(?=the\b|it\b|its\b))\s*", re.IGNORECASE)


def _true_claim(part: str, word: str, st: Any) -> list[int] | None:
    """The places a clause claims, when it is one letter-place claim (maybe with "also" or "too") true of `word`; None
    when it is anything else."""
    claim = re.sub(r"^(?:also|and)\s+|\s+(?:too|also|as\s+well)$", "", part.strip(" ,.!"), flags=re.IGNORECASE)
    for text in (claim, re.sub(r"^the\s+", "", claim, flags=re.IGNORECASE)):
        whole = [(m, place) for pattern, place in _patterns(st) if (m := pattern.fullmatch(text)) is not None]
        if whole:
            break
    if not whole or any(not _holds(word, _place(m, place, st), m.group("letter").lower())
                        or (m.groupdict().get("word") or "it").lower() not in (word, *_ASKED_WORD) for m, place in whole):
        return None
    return [_place(m, place, st) for m, place in whole]


def without_true_claims(text: str, prompt: str, st: Any) -> str:
    """The clause of `text` that answers, when each other clause states a true letter-place claim about the word the
    prompt asks about ("The first letter is h; the last is h." about "hookah" -> "The first letter is h", and asked for
    the last letter -> "the last is h"); `text` as it is otherwise."""
    word = the_asked_word(prompt)
    parts = [p for p in _CLAUSE_BREAK.split(text.strip()) if p.strip()]
    if word is None or len(parts) < 2:
        return text
    places = [_true_claim(p, word, st) for p in parts]
    asked = {0 if w in [x.lower() for x in st.answer_position_first] else -1
             for w in re.findall(r"[a-z]+", prompt.lower()) if w in [x.lower() for x in st.answer_position_first + st.answer_position_last]}
    chosen = next((k for k, p in enumerate(places) if p and set(p) & asked), 0)
    if any(p is None for k, p in enumerate(places) if k != chosen):
        return text
    return parts[chosen]
