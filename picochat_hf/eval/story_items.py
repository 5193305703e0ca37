"""A count of a story's things in worked working must be one the problem has.

A story prompt counts one kind of thing ("A jar contains 91 grapes. 30 are taken away by Finn."). Working that counts
those things ("The jar has 90 grapes.", "We start with 90 grapes", "Finn takes 31 grapes") gives a count the story does
not: a false fact beside a right final answer. A count of the story's things must be a number of the prompt, the answer,
a number an equation of the working uses or derives (those are judged as equations), or one of parts that add up to
such a count in one sentence ("Liam takes 40 cookies and then 8 cookies" when he takes 48). Prompts that count no things
("Evaluate 4 multiplied by 9.") are not judged.

Likewise the count after a verb of the prompt's own change ("sells 75" on "... and sells 75.": `count_change_verbs`
forms the prompt uses, less `story_change_skip`) is the problem's second number: "She sells 76", "sold 74", "=> sell 70
=>" fail, and parts in one sentence must add up to it ("sells 40 and then sells 35").
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["false_change_count", "false_item_count", "without_story_nouns"]

_NUM = r"(?<![\w.,])(\d[\d,]*)(?![\d,]*\d|\.\d)"
_SKIP = {"of", "and", "more", "fewer", "less", "times", "are", "is", "were", "was", "in", "on", "to", "from", "left", "each",
         "x", "plus", "minus"}  # signs and operator words ("7 x 1", "7 plus 5") are no counted things


def _nouns(prompt: str) -> set[str]:
    """The things the prompt counts ("91 grapes" -> grapes, grape)."""
    out = set()
    for noun in re.findall(rf"{_NUM}\s+([a-z]+)", prompt.lower()):
        noun = noun if isinstance(noun, str) else noun[1]
        if noun in _SKIP:
            continue
        # "grapes" -> grape, "boxes" -> box: both endings are tried, as a plural may drop either
        out |= {noun, *({noun[:-1], re.sub(r"es$", "", noun)} if noun.endswith("s") else set())}
    return out


def without_story_nouns(reply: str, prompt: str) -> str:
    """`reply` with the story's counted nouns after a number dropped ("1 grape less than 62 grapes is 61 grapes" -> "1
    less than 62 is 61"), so worded steps about the story's things are read as the sums they state."""
    nouns = _nouns(prompt)
    if not nouns:
        return reply
    alternation = "|".join(sorted(map(re.escape, nouns), key=len, reverse=True))
    return re.sub(rf"(?<=\d)[ \t]+(?:{alternation})\b", "", reply, flags=re.IGNORECASE)


def false_item_count(reply: str, row: dict, prompt: str, signed: str = "", st: Any = None) -> str | None:
    """The first count of the story's things the problem does not have (see the module docstring), else None. `signed`
    is the reply with worded steps written as equations ("1 grape less than 62 grapes is 61" -> "62 - 1 = 61"): the
    numbers of its equations are the working's own; `st` gives the change verbs whose counts may split the change."""
    problem = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    if not all(isinstance(problem.get(k), (int, float)) for k in ("a", "b", "result")):
        return None
    nouns = _nouns(prompt)
    if not nouns:
        return None
    allowed = {float(problem[k]) for k in ("a", "b", "result")}
    allowed |= {float(n.replace(",", "")) for n in re.findall(_NUM, prompt)}
    for eq in re.finditer(r"[\d.,]+(?:[ \t]*[-+−*/×÷x][ \t]*[\d.,]+)*[ \t]*=[ \t]*[\d.,]+", f"{reply}\n{signed}"):
        allowed |= {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", eq.group(0)) if n.replace(",", "")}
    allowed |= _split_change(reply, problem, st)
    alternation = "|".join(sorted(map(re.escape, nouns), key=len, reverse=True))
    for sentence in re.split(r"(?<=[.!?])\s+|\n", reply):
        told = [(m.group(0), float(m.group(1).replace(",", ""))) for m in
                re.finditer(rf"{_NUM}\s+(?:(?:more|fewer|less|other|of\s+the)\s+)?(?:{alternation})\b", sentence, re.IGNORECASE)]
        if _steady_chain([value for _, value in told], allowed):
            continue
        unknown = [(text, value) for text, value in told if value not in allowed]
        if unknown and sum(value for _, value in unknown) not in allowed:
            return unknown[0][0]
    return None


def _steady_chain(values: list[float], allowed: set[float]) -> bool:
    """Whether a sentence's counts step by one amount from a count of the problem to another ("91 grapes, 81 grapes, 71
    grapes, 61 grapes" taking away 10 three times)."""
    steps = {b - a for a, b in zip(values, values[1:])}
    return len(values) >= 3 and len(steps) == 1 and 0 not in steps and values[0] in allowed and values[-1] in allowed


def _split_change(reply: str, problem: dict, st: Any) -> set[float]:
    """The parts of the problem's change when the working makes it in moves told by change verbs ("take 20 grapes ...
    then take 10 grapes" for 30) that add up to it, with the count after each move (71, then 61 from 91)."""
    if st is None or problem.get("op") not in ("+", "-"):
        return set()
    forms = "|".join(sorted({re.escape(w) for g in st.count_change_verbs for w in g.split()}, key=len, reverse=True))
    moves: list[float] = []
    for m in re.finditer(rf"\b(?:{forms})\s+(?:away\s+|out\s+|off\s+|up\s+)?{_NUM}", reply, re.IGNORECASE):
        times = re.match(r"\s+(\w+)\s+times\b", reply[m.end():], re.IGNORECASE)
        words = [w.lower() for w in st.number_words_units]
        count = (words.index(times.group(1).lower()) if times.group(1).lower() in words else int(times.group(1))
                 if times.group(1).isdigit() else 1) if times else 1
        moves.extend([float(m.group(1).replace(",", ""))] * count)
        end = m.end()
        while part := re.match(r"[a-z ,]*?\b(?:and|then|plus|another)\b[a-z ,]*?(\d+)(?=\s+more\b)", reply[end:], re.IGNORECASE):
            moves.append(float(part.group(1)))
            end += part.end()
    sign = -1.0 if problem["op"] == "-" else 1.0
    for i in range(len(moves)):
        for j in range(i + 2, len(moves) + 1):
            if sum(moves[i:j]) == float(problem["b"]):
                states = [float(problem["a"]) + sign * sum(moves[i:k]) for k in range(i + 1, j + 1)]
                return set(moves[i:j]) | set(states)
    return set()


def false_change_count(reply: str, row: dict, prompt: str, st: Any) -> str | None:
    """The first count after a verb of the prompt's change that is not the problem's second number (see the module
    docstring), else None; a number the working's equations use, or one taken "from the tens", is a step, not the change."""
    problem = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    if problem.get("op") not in ("+", "-") or not isinstance(problem.get("b"), (int, float)):
        return None
    said = set(re.findall(r"[a-z]+", prompt.lower()))
    skip = {w.lower() for w in st.story_change_skip}
    groups = [g.split() for g in st.count_change_verbs if said & set(g.split()) and not skip & set(g.split())]
    if not groups:
        return None
    forms = "|".join(sorted({re.escape(w) for g in groups for w in g}, key=len, reverse=True))
    stepped = {float(n.replace(",", "")) for eq in re.finditer(r"[\d.,]+(?:[ \t]*[-+−*/×÷x][ \t]*[\d.,]+)*[ \t]*=[ \t]*[\d.,]+", reply)
               for n in re.findall(r"\d[\d,]*", eq.group(0))}
    change = re.compile(rf"\b(?:{forms})\s+(?:away\s+|out\s+|off\s+|up\s+)?{_NUM}(?!\s*(?:from\s+the\s+)?(?:ones|tens|hundreds|thousands)\b)"
                        rf"(?!\s*(?:[-+*/×÷]|=(?!>)|more\b|fewer\b|less\b))", re.IGNORECASE)
    split = _split_change(reply, problem, st)
    for sentence in re.split(r"(?<=[.!?])\s+|\n", reply):
        for m in change.finditer(sentence):
            value = float(m.group(1).replace(",", ""))
            if value == float(problem["b"]) or value in stepped or value in split:
                continue
            if _with_parts(sentence, m.end(), value) != float(problem["b"]):
                return m.group(0)
    return None


def _with_parts(sentence: str, end: int, value: float) -> float:
    """`value` plus the parts that go on with the same move after it ("40 cookies and then 8 more", "10, then 10")."""
    while part := re.match(r"[a-z ,]*?\b(?:and|then|plus|another)\b[a-z ,]*?(\d+)", sentence[end:], re.IGNORECASE):
        value += float(part.group(1))
        end += part.end()
    return value
