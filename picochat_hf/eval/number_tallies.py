"""A running tally of a letter written as numbers only, judged against the word the prompt asks about.

"Tally of o: 1, 2" about "autogiro" holds: it numbers each o once, in order, up to the word's count of o. A tally
that skips or repeats a number ("Tally of o: 1, 3", "1, 1"), runs out of order ("2, 1"), or stops short of or runs
past the count ("1", "1, 2, 3") is false. A tally that marks letters ("Count each o: a, u, t, o 1") is
`false_spelling.false_tally`'s. The heading words are data (`number_tallies.yaml`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..utils.yaml_text import load_yaml_text

__all__ = ["false_number_tally", "number_tally_patterns", "without_number_tallies"]

TALLIES_YAML = Path(__file__).with_name("number_tallies.yaml")
_LETTER = r"[\"“'‘*]*(?P<letter>[A-Za-z])[\"”'’*]*(?:['’]?s)?"
# the numbers, ending the tally: no sum goes on after them, nor a letter that they would label
_NUMS = (r"(?P<nums>\d+(?:[ \t]*,[ \t]*(?:and[ \t]+)?\d+|[ \t]+and[ \t]+\d+)*)(?![\d.]*\d)"
         r"(?![ \t]*[-+*/×÷=%]|[ \t]*[A-Za-z](?![\w'’]))")


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def number_tally_patterns() -> tuple[re.Pattern, ...]:
    """The patterns of a number tally, headed before or after its letter or with no letter: the counted letter
    (`letter`, empty when none is named) and its numbers (`nums`)."""
    data = load_yaml_text(TALLIES_YAML.read_text(encoding="utf-8"))
    several = r"(?=\d+(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)\d)"  # two numbers or more
    forms = []
    for heads, ahead in ((data["heads"], ""), (data["count_heads"], several)):
        alt = _alt(heads)
        forms += [rf"\b(?:{alt})\s+(?:(?:of|for)\s+)?(?:(?:each|every|the|all)\s+)?(?:letter\s+)?{_LETTER}[ \t]*:[ \t]*{ahead}{_NUMS}",
                  rf"(?<![\w'’]){_LETTER}\s+(?:{alt})[ \t]*:[ \t]*{ahead}{_NUMS}"]
    # no letter named: the asked letter's, with two numbers or more ("Count: 2" states a count)
    forms.append(rf"(?<![\w'’])(?:{_alt(data['heads'] + data['count_heads'])})[ \t]*:[ \t]*{several}(?P<letter>){_NUMS}")
    return tuple(re.compile(form, re.IGNORECASE) for form in forms)


def false_number_tally(reply: str, word: str | None, asked: str | None = None) -> str | None:
    """Why a tally of numbers in `reply` is false of `word` (see the module docstring); a tally that names no letter
    ("Tally: 1, 2") counts the `asked` one. None when each holds."""
    if not word:
        return None
    for m in (m for pattern in number_tally_patterns() for m in pattern.finditer(reply)):
        letter = m.group("letter").lower() or (asked or "")
        if not letter:
            continue
        marks = [int(n) for n in re.findall(r"\d+", m.group("nums"))]
        want = list(range(1, word.count(letter) + 1))
        if marks != want:
            return f"its tally of {letter!r} runs {', '.join(map(str, marks))}; {word!r} holds {len(want)}"
    return None


def without_number_tallies(text: str) -> str:
    """`text` with each number tally blanked, for readers of other letter labels."""
    for pattern in number_tally_patterns():
        text = pattern.sub(" ", text)
    return text
