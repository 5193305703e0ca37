"""Words around a text answer that describe it: where in the word a letter is ("It ends with m"), and a gloss after it
("m (as in mango)", "tac (not act)").

A lead-in or description that places the answer at the other end of the word than the prompt asks ("It ends with m." or
"The last letter is m." asked for the first letter) describes another answer and is no lead-in. A gloss after the
answer is dropped when it only illustrates it: "as in <word>" with a word that starts with the answer letter ("m (as in
mango)"; "n (as in mango)" is no gloss; a word that ends with it when the last letter is asked), or words of the prompt
and of the asked position ("m (the first letter of mango)"). On a prompt that asks for a word reversed
(`answer_reverse_prompt_words`), a trailing phrase of reversal after the answer ("It reads noitcepsni backwards.",
`answer_reverse_trailers`) says what the answer is and is dropped. A gloss in brackets or after a dash or comma that states
a true fact about the answer is dropped too (`without_true_gloss`): the prompt's word reversed ("noitcepsni (inspection
backwards)") or the answer letter's place in the alphabet ("h (the letter after g)", "h (the 8th letter)"); a false one
("h (the letter after f)") is kept, and fails the answer; a denied true fact ("noitcepsni (not inspection backwards)") denies
the answer (`true_fact`, read by `answers`). The word lists are the scoring YAML's (`answer_position_first`,
`answer_position_last`, `answer_gloss_glue`, `answer_alphabet_after`, `answer_alphabet_before`).
"""

from __future__ import annotations

import re
from typing import Any

from .reply_text import phrase_alternation

_GLOSS = re.compile(r"^(?P<keep>.+?)\s*(?:\((?P<inner>[^()]*)\)|[,;:—–-]\s*(?P<tail>(?:as in|like in)\s[^,.;!?]+))[.!]?\s*$", re.IGNORECASE)
_EXAMPLE = re.compile(r"(?:as in|like in|like|as for|for)\s+(?:the\s+word\s+)?[\"'“‘]?([a-z]+)[\"'”’]?", re.IGNORECASE)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def asked_positions(prompt: str, st: Any) -> set[str]:
    """Which ends of a word the prompt asks about: "first", "last", both or neither."""
    said = _words(prompt)
    groups = {"first": st.answer_position_first, "last": st.answer_position_last}
    return {name for name, words in groups.items() if said & {w.lower() for w in words}}


def asked_position_words(prompt: str, st: Any) -> set[str]:
    """The position words of the ends the prompt asks about: "first" describes what "at the start" asks for."""
    groups = {"first": st.answer_position_first, "last": st.answer_position_last}
    return {w.lower() for name in asked_positions(prompt, st) for w in groups[name]}


def position_conflict(text: str, prompt: str, st: Any) -> bool:
    """Whether `text` places the answer at an end of the word the prompt does not ask about ("It ends with m." asked for
    the first letter); "final answer" is the scratchpad marker, no position."""
    asked = asked_positions(prompt, st)
    if not asked:
        return False
    said = asked_positions(re.sub(re.escape(st.final_answer_marker), " ", text, flags=re.IGNORECASE), st)
    return bool(said - asked)


def without_gloss(text: str, want: str, prompt: str, st: Any) -> str:
    """The text without a gloss after the answer that only illustrates it ("m (as in mango)" -> "m"); otherwise as it is."""
    m = _GLOSS.match(text.strip())
    if m is None:
        return text
    gloss = (m.group("inner") if m.group("inner") is not None else m.group("tail")).strip()
    example = _EXAMPLE.fullmatch(gloss)
    ends = (example.group(1).lower()[:1], example.group(1).lower()[-1:] if "last" in asked_positions(prompt, st) else "") if example else ()
    if example and len(want) == 1 and want in ends:
        return m.group("keep")  # "m (as in mango)"; "o (as in mango)" asked for the last letter
    allowed = _words(prompt) | {w.lower() for w in st.answer_first_words} | asked_position_words(prompt, st) | {"of", "in"}
    if gloss and not example and _words(gloss) <= allowed and not position_conflict(gloss, prompt, st):
        return m.group("keep")
    return text


def without_reversal(text: str, prompt: str, st: Any) -> str:
    """The text without a trailing phrase of reversal ("noitcepsni backwards" -> "noitcepsni") when the prompt asks for a
    word reversed; otherwise as it is."""
    low = " ".join(re.findall(r"[a-z0-9]+", prompt.lower()))
    if not any(re.search(rf"\b{re.escape(w.lower())}\b", low) for w in st.answer_reverse_prompt_words):
        return text
    m = re.match(r"^(?P<keep>.+?)[\s,;:—–-]+(?:" + phrase_alternation(st.answer_reverse_trailers) + r")[\s.!*_]*$", text.strip(), re.IGNORECASE)
    return m.group("keep") if m else text


_TRUE_GLOSS = re.compile(r"^(?P<keep>.+?)\s*(?:\((?P<inner>[^()]*)\)|(?:\s[—–-]|[—–]|[,;])\s*(?P<tail>[^()]+?))[.!]?\s*$")


def _reversal_fact(words: list[str], want: str, prompt: str, st: Any) -> bool:
    """"inspection backwards" of the answer "noitcepsni": a word that reverses to it and words of reversal only."""
    low = " ".join(re.findall(r"[a-z0-9]+", prompt.lower()))
    if not any(re.search(rf"\b{re.escape(w.lower())}\b", low) for w in st.answer_reverse_prompt_words):
        return False
    reversal = {w for p in st.answer_reverse_prompt_words + st.answer_reverse_trailers for w in p.lower().split()}
    sources = [w for w in words if len(w) > 1 and w[::-1] == want]
    rest = [w for w in words if w not in sources and w not in reversal and w not in st.answer_gloss_glue]
    return bool(sources) and bool(reversal & set(words)) and not rest


def _alphabet_fact(words: list[str], want: str, st: Any) -> bool:
    """"the letter after g", "just before i", "the 8th letter of the alphabet" of the answer letter "h"."""
    if len(want) != 1 or not want.isalpha():
        return False
    rest = [w for w in words if w not in st.answer_gloss_glue]
    if len(rest) == 1 and re.fullmatch(r"\d+(?:st|nd|rd|th)", rest[0]):
        return int(re.match(r"\d+", rest[0]).group(0)) == ord(want) - ord("a") + 1
    if len(rest) != 2 or len(rest[1]) != 1:
        return False
    step = 1 if rest[0] in st.answer_alphabet_after else -1 if rest[0] in st.answer_alphabet_before else 0
    return step != 0 and ord(rest[1]) + step == ord(want)


def true_fact(gloss: str, want: str, prompt: str, st: Any) -> bool:
    """Whether `gloss` states a true fact about the answer `want` (see `without_true_gloss`): a denial of it ("noitcepsni
    (not inspection backwards)", "h, not the letter after g") denies the answer itself."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"^\s*i\.\s?e\.", " ", gloss.lower()))
    return bool(words) and (_reversal_fact(words, want, prompt, st) or _alphabet_fact(words, want, st))


def without_true_gloss(text: str, want: str, prompt: str, st: Any) -> str:
    """The text without a gloss after the answer that states a true fact about it ("h (the letter after g)"); otherwise
    as it is."""
    m = _TRUE_GLOSS.match(text.strip())
    if m is None:
        return text
    gloss = m.group("inner") if m.group("inner") is not None else m.group("tail")
    if true_fact(gloss, want, prompt, st):  # "i.e." may open it; a lone "i" or "a" is a letter
        return m.group("keep")
    return text
