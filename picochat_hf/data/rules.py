"""The meaning of a row's scoring rules, written once so generators can prove their rows are scoreable.

Task-pack rows carry rule fields; this module is the reference reading of them:

- `must_include`: every phrase must occur in the reply;
- `must_include_any`: for each group, at least one phrase of the group must occur;
- `must_not_include`: no phrase may occur;
- `max_words`: the reply has at most this many whitespace-separated words;
- `normalized_answer`: `normalize_answer(extract_final_answer(reply))` must equal it exactly. The final
  answer is the text after the last "Final answer:" (to the end of that line) when the reply has one,
  otherwise the whole reply; scratchpad rows also list "Final answer:" in `must_include`, so a worked
  reply without a final line fails;
- `correct_choice`: for choice rows the reply, normalised, must be the letter (same rule as above).

A phrase occurs when its `[a-z0-9]+` tokens appear contiguously among the reply's tokens
(case-insensitive), so "4" does not match "14" and "cat" does not match "concatenate"; a phrase with
punctuation that carries meaning (one containing ":") is matched as a case-insensitive substring.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[a-z0-9]+")
_FINAL = re.compile(r"final answer\s*:", re.IGNORECASE)
_STRIP = " \t\r\n\"'`.,;:!?()[]{}*"


def normalize_answer(text: str) -> str:
    """Lowercase, collapse whitespace, drop surrounding quotes/punctuation and digit-group commas."""
    s = re.sub(r"\s+", " ", text.strip().lower())
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)
    return s.strip(_STRIP)


def extract_final_answer(reply: str) -> str:
    """The text after the last "Final answer:" up to the end of its line, or the whole reply."""
    matches = list(_FINAL.finditer(reply))
    if not matches:
        return reply
    rest = reply[matches[-1].end():]
    return rest.strip().split("\n", 1)[0] if rest.strip() else ""


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def phrase_occurs(phrase: str, reply: str) -> bool:
    if ":" in phrase:
        return phrase.lower() in reply.lower()
    p = _tokens(phrase)
    if not p:
        return phrase.lower() in reply.lower()
    r = _tokens(reply)
    n = len(p)
    return any(r[i : i + n] == p for i in range(len(r) - n + 1))


def rule_failures(row: dict, reply: str) -> list[str]:
    """Names of the rules the reply breaks (empty list: the reply passes)."""
    fails: list[str] = []
    for phrase in row.get("must_include") or []:
        if not phrase_occurs(phrase, reply):
            fails.append(f"must_include:{phrase}")
    for k, group in enumerate(row.get("must_include_any") or []):
        if not any(phrase_occurs(p, reply) for p in group):
            fails.append(f"must_include_any[{k}]")
    for phrase in row.get("must_not_include") or []:
        if phrase_occurs(phrase, reply):
            fails.append(f"must_not_include:{phrase}")
    if row.get("max_words") is not None and len(reply.split()) > row["max_words"]:
        fails.append("max_words")
    if row.get("normalized_answer") is not None:
        if normalize_answer(extract_final_answer(reply)) != row["normalized_answer"]:
            fails.append("normalized_answer")
    if row.get("correct_choice"):
        if normalize_answer(extract_final_answer(reply)) != row["correct_choice"].lower():
            fails.append("correct_choice")
    return fails


def reply_passes(row: dict, reply: str) -> bool:
    return not rule_failures(row, reply)
