"""Working that is not about the row's own task fails a reply, even when its final answer comes out right.

The working of a reply is its text before the final answer's marker (the whole reply when it has none). A right final
answer after working about something else ("Spell it out: 1, a, a, a, a." before "Final answer: 1" on "9 - 8") is a
lucky guess, not a shown skill. The rule, one per kind of foreign working:

- another skill's scaffold: on a math row, a line or sentence headed by a spelling label ("Spell it out:", "Reversed:",
  "The first letter is") or a list of single letters ("c, c, e, e"; option labels "a, b, c" aside); on a spelling
  row, column arithmetic or counting ("Ones: 8 - 3 = 5.", "Count by 5:", "write 1, carry 1") or an equation that
  cannot count the word's letters (an operator other than "+", or a number larger than the word is long);
- a fragment of the model's identity sentence ("picochat_hf", "a small language model") on either;
- a degenerate loop: the same word, or the same group of up to three words, four times in a row ("a, a, a, a");
  on a spelling row only a loop the asked word does not itself contain ("l, l, l, l" asked about "lantern").

A label whose words the prompt itself uses (a story about "letters") and letters the prompt names ("boxes A, B and C")
are the row's own. On a math row numbers, number words and operator words never make a loop ("Count by 0, 4 times: 0,
0, 0, 0", "nine plus nine plus nine plus nine plus nine"). The labels and limits are data (`foreign_working.yaml`).
Choice rows have no working and are not judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..utils.yaml_text import load_yaml_text
from .spelling_words import prompt_words, the_asked_word

__all__ = ["foreign_working", "working_text"]

FOREIGN_YAML = Path(__file__).with_name("foreign_working.yaml")
_MARKER = re.compile(r"final\s+answer\s*[:：]", re.IGNORECASE)
# where a label heads its line or sentence: the start, a line break, or a sentence's end
_HEAD = r"(?:^|(?<=[\n.;!?])[ \t]*)"
_EQUATION = re.compile(r"(\d+)\s*([-+*/×÷x])\s*(\d+)(?:\s*[-+*/×÷x]\s*\d+)*\s*=\s*\d+")


@dataclass(frozen=True)
class _Lexicon:
    spelling_labels: tuple[str, ...]
    math_labels: tuple[str, ...]
    math_phrases: tuple[str, ...]
    identity_words: tuple[str, ...]
    name_suffix: str
    letter_list_min: int
    loop_min: int
    loop_group_max: int


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_yaml_text(FOREIGN_YAML.read_text(encoding="utf-8"))
    words = lambda key: tuple(str(w).lower() for w in data[key])  # noqa: E731
    return _Lexicon(words("spelling_labels"), words("math_labels"), words("math_phrases"), words("identity_words"),
                    str(data["identity_name_suffix"]).lower(), int(data["letter_list_min"]), int(data["loop_min_repeats"]),
                    int(data["loop_group_max"]))


def working_text(reply: str) -> str:
    """The reply's text before its first final-answer marker; the whole reply when it has none."""
    m = _MARKER.search(reply)
    return reply[: m.start()] if m else reply


def _own_words(label: str, prompt: str) -> bool:
    asked = set(prompt_words(prompt))
    return all(w in asked for w in re.findall(r"[a-z]{2,}", label))


def _headed(working: str, labels: tuple[str, ...], prompt: str, after: str) -> str | None:
    """The first label of `labels` heading a line or sentence of `working` and followed by `after`."""
    for label in labels:
        if _own_words(label, prompt):
            continue
        m = re.search(_HEAD + re.escape(label) + after, working, re.IGNORECASE | re.MULTILINE)
        if m:
            return m.group(0).strip()
    return None


def _identity(working: str, prompt: str, lex: _Lexicon) -> str | None:
    for word in lex.identity_words:
        if _own_words(word, prompt):
            continue
        m = re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", working, re.IGNORECASE)
        if m:
            return m.group(0)
    m = re.search(rf"\b\w+{re.escape(lex.name_suffix)}\b", working, re.IGNORECASE)
    return m.group(0) if m else None


def _items(line: str) -> list[str]:
    return [t.strip(".:!?\"'()").lower() for t in re.split(r"[\s,;]+", line) if t.strip(".:!?\"'()")]


def _numeric_words(st: Any) -> frozenset[str]:
    """Number words and operator words: a repeated group holding one is a sum written out ("nine plus nine plus ...")."""
    keys = ("number_words_units", "number_words_tens", "number_words_scales", "number_words_times", "operator_words")
    return frozenset(w.lower() for key in keys for phrase in getattr(st, key, []) for w in str(phrase).split())


def _loop(line: str, lex: _Lexicon, numeric: frozenset[str]) -> list[str] | None:
    """The first group of one to `loop_group_max` words repeated `loop_min` times in a row in `line`; a group holding a
    number, a number word or an operator is a sum or a count written out, not a loop."""
    items = _items(line)
    for size in range(1, lex.loop_group_max + 1):
        for start in range(len(items) - size * lex.loop_min + 1):
            unit = items[start : start + size]
            if any(re.fullmatch(r"-?\d[\d.,]*|[-+*/×÷=x]", u) or u in numeric for u in unit) or (size > 1 and len(set(unit)) == 1):
                continue
            if all(items[start + k * size : start + (k + 1) * size] == unit for k in range(lex.loop_min)):
                return unit
    return None


def _letter_list(working: str, prompt: str, lex: _Lexicon) -> str | None:
    """A list of single letters, unless the prompt itself names each of them ("Boxes A, B and C hold ...") or it is a
    run of option labels from "a" ("options a, b, c"), which a choice among answers may list."""
    n = lex.letter_list_min - 1
    named = {w.lower() for w in re.findall(r"(?<![\w'’])[A-Za-z](?![\w'’])", prompt)}
    for m in re.finditer(rf"(?<![\w'’])[a-z](?:\s*,\s*[a-z](?![\w'’])){{{n},}}", working, re.IGNORECASE):
        letters = re.findall(r"[a-z]", m.group(0).lower())
        if letters != list("abcdefghij"[: len(letters)]) and not set(letters) <= named:
            return m.group(0)
    return None


def _math_foreign(working: str, prompt: str, lex: _Lexicon) -> str | None:
    label = _headed(working, lex.spelling_labels, prompt, r"(?:\s+[a-z])?\s*(?::|\bis\b)")
    if label:
        return f"another skill's scaffold ({label!r})"
    letters = _letter_list(working, prompt, lex)
    if letters:
        return f"a list of single letters ({letters!r})"
    return None


def _spelling_foreign(working: str, prompt: str, word: str | None, lex: _Lexicon) -> str | None:
    label = _headed(working, lex.math_labels, prompt, r"\s*(?::|\d)")
    for phrase in lex.math_phrases:
        if label is None and not _own_words(phrase, prompt):
            m = re.search(rf"\b{re.escape(phrase)}\b", working, re.IGNORECASE)
            label = m.group(0) if m else None
    if label:
        return f"another skill's scaffold ({label!r})"
    for m in _EQUATION.finditer(working):
        big = word is not None and max(int(m.group(1)), int(m.group(3))) > len(word)
        if m.group(2) != "+" or big:
            return f"arithmetic that counts no letter of the word ({m.group(0)!r})"
    return None


def _foreign_loop(working: str, word: str | None, spelling: bool, lex: _Lexicon, st: Any) -> str | None:
    numeric = frozenset() if spelling else _numeric_words(st)  # a spelling row's loop is of letters, judged against the word
    for line in working.splitlines():
        unit = _loop(line, lex, numeric)
        if unit is None:
            continue
        run = "".join(unit) * lex.loop_min
        if spelling and word is not None and (run in word or run in word[::-1]):
            continue
        return f"a loop ({', '.join(unit)!r} {lex.loop_min} times or more)"
    return None


def foreign_working(row: dict, reply: str, prompt: str, spelling: bool, st: Any = None) -> str | None:
    """Why the working of `reply` is not about the row's own task (see the module docstring); None when it is."""
    if row.get("correct_choice"):
        return None
    lex = _lexicon()
    working = working_text(reply)
    word = the_asked_word(prompt, row) if spelling else None
    scaffold = _spelling_foreign(working, prompt, word, lex) if spelling else _math_foreign(working, prompt, lex)
    if scaffold:
        return scaffold
    identity = _identity(working, prompt, lex)
    if identity:
        return f"a fragment of the model's identity sentence ({identity!r})"
    return _foreign_loop(working, word, spelling, lex, st)
