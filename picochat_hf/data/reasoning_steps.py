"""Steps of a reasoning trace that are false on their own face (settings: `reasoning_checks.yaml`).

A trace can conclude the right answer through a false step: "11 - 6 = 6" on the way to 5, or "He had 11, gives
away 6, and has 11 left." Supervised, it teaches arithmetic that does not hold. Two kinds of step are checked,
each only where the step itself gives every number it needs:

- an arithmetic step "<expression> = <number>" in digits (`equation`), to the digits the number shows;
- a state step that applies one change to a quantity and states what it leaves, in one sentence or in a sentence
  and the state-marked sentence after it ("He had 11 and gives away 6. He now has 11."): the quantity before the
  change, the change (`change_verbs`, `change_words`) and the stated state (`state_before`, `state_after`).

Where a step leaves a number out (the quantity before the change is in the question, several changes in one
sentence) it is not judged here; the trace's concluding sentence is still compared with the answer
(`reasoning_checks.number_sentence_conflict`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..eval.answers import number_mentions
from ..utils.yaml_text import load_yaml_text
from .reasoning_checks import SETTINGS_FILE, _answer_settings, _sentences, _settings, in_digits
from .sft_mixture import _arithmetic


def _words(words: list[str]) -> str:
    return r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b"


@dataclass(frozen=True)
class StepSettings:
    gain_verbs: re.Pattern
    loss_verbs: re.Pattern
    transfer_verbs: re.Pattern
    buying: frozenset[str]
    money: re.Pattern
    unitless: frozenset[str]
    gain_words: frozenset[str]
    state_before: re.Pattern
    state_after: re.Pattern
    now_before: re.Pattern
    now_after: re.Pattern
    equation: re.Pattern


@lru_cache(maxsize=1)
def step_settings() -> StepSettings:
    raw = load_yaml_text(SETTINGS_FILE.read_text(encoding="utf-8"))
    verbs = raw["change_verbs"]
    return StepSettings(
        gain_verbs=re.compile(_words(verbs["gain"]) + r"((?:\s+[A-Za-z]+){0,2}?)\s+(?=[$\d])", re.IGNORECASE),
        loss_verbs=re.compile(_words(verbs["loss"]) + r"((?:\s+[A-Za-z]+){0,2}?)\s+(?=[$\d])", re.IGNORECASE),
        transfer_verbs=re.compile(_words(verbs["transfer"]) + r"\s+(?=\$?\d[\d,.]*(?:\s+[A-Za-z]+)?\s+(?:to|away)\b)",
                                  re.IGNORECASE),
        unitless=frozenset(str(w).lower() for w in raw["unitless_words"]),
        buying=frozenset(w.lower() for w in verbs["buying"]),
        money=re.compile(r"\$\s*\d|\d[\d,.]*\s+" + _words(raw["money_words"]), re.IGNORECASE),
        gain_words=frozenset(w.lower() for w in raw["gain_words"]),
        state_before=re.compile(_words(raw["state_before"]) + r"(?:\s+[A-Za-z]+){0,2}\s+\$?$", re.IGNORECASE),
        state_after=re.compile(r"^(?:\s+[A-Za-z]+){0,2}?\s+" + _words(raw["state_after"]), re.IGNORECASE),
        now_before=re.compile(r"\bnow\s+(?:[A-Za-z]+\s+)?" + _words(raw["holding_verbs"]) + r"\s+\$?$|"
                              + _words(raw["holding_verbs"]) + r"\s+now\s+\$?$", re.IGNORECASE),
        now_after=re.compile(_words(raw["holding_verbs"]) + r"\s+\$?$", re.IGNORECASE),
        equation=re.compile(raw["equation"]))


def change_verb_changes(sentence: str) -> dict[int, float]:
    """{position: signed amount} of the numbers a change verb applies ("gives away 6": -6, "buys 4 more": +4)."""
    s = step_settings()
    out: dict[int, float] = {}
    for pattern, sign in ((s.gain_verbs, 1.0), (s.loss_verbs, -1.0), (s.transfer_verbs, -1.0)):
        for m in pattern.finditer(sentence):
            value = _number_at(sentence, m.end())
            between = m.group(1) if m.re.groups else ""
            if value is not None and not re.search(r"\b(?:than|of|per|each)\b", between or "", re.IGNORECASE):
                spends = sign > 0 and m.group(0).split()[0].lower() in s.buying and s.money.match(sentence, m.end())
                out[m.end() + re.search(r"\d", sentence[m.end():]).start()] = -value if spends else sign * value
    return out


def _number_at(text: str, pos: int) -> float | None:
    m = re.match(r"\$?\s*(\d[\d,]*(?:\.\d+)?)", text[pos:])
    if m is None:
        return None
    try:
        return float(m.group(1).replace(",", ""))
    except ValueError:
        return None


def _word_changes(sentence: str) -> dict[int, float]:
    """{position: signed amount} of the numbers a change word follows ("6 more": +6, "6 fewer": -6)."""
    st = _answer_settings()
    change = _settings()["change"]
    out = {}
    for m in number_mentions(sentence, st.operator_words, st.negative_words):
        word = change.match(sentence, m.end)
        if word is not None and m.value is not None:
            sign = 1.0 if word.group(0).strip().lower() in step_settings().gain_words else -1.0
            out[m.start] = sign * float(m.value)
    return out


def changes(sentence: str) -> dict[int, float]:
    """Every change a sentence (in digits) applies, by the position of its number, signed."""
    return {**_word_changes(sentence), **change_verb_changes(sentence)}


def state_marked(sentence: str, pos: int, end: int) -> bool:
    """Whether the number at `pos`..`end` is stated as the quantity reached: right after "is left with", "leaving",
    "now has", ... or right before "left", "remaining", "in total", ...; "now" after it only after a verb of holding
    ("has 5 apples now", not "is 5 now")."""
    s = step_settings()
    if s.state_before.search(sentence[:pos]) or s.state_after.match(sentence[end:]) or s.now_before.search(sentence[:pos]):
        return True
    return bool(s.now_after.search(sentence[:pos]) and re.match(r"(?:\s+[A-Za-z]+){0,2}?\s+now\b", sentence[end:], re.I))


def _state_step(sentence: str) -> str | None:
    """A sentence (in digits) stating a quantity, one change to it and the state it leaves, whose arithmetic is
    wrong ("He had 11, gives away 6, and has 11 left."); None when it holds or gives fewer or more numbers."""
    found = changes(sentence)
    if len(found) != 1:
        return None
    (at, amount), = found.items()
    numbers = [(pos, end, v) for pos, end, v in _plain_numbers(sentence) if pos != at and not (pos < at < end)]
    before = [(pos, end, v) for pos, end, v in numbers if end <= at]
    after = [(pos, end, v) for pos, end, v in numbers if pos > at]
    if len(before) != 1 or len(after) != 1:
        return None
    if not (state_marked(sentence, after[0][0], after[0][1]) or _HELD.search(sentence[at:after[0][0]])):
        return None
    start, stated = before[0][2], after[0][2]
    if not _settings()["number_verb"].search(sentence[:before[0][0]]):
        return None  # the quantity before the change is stated as held ("had 11"), not named in passing
    units = {u for u in (_unit(sentence, before[0][0], before[0][1]), _unit(sentence, at, at), _unit(sentence, *after[0][:2]))
             if u is not None}
    if len(units) > 1:
        return None  # "had $50, bought 4 shirts, has $10 left": quantities of two kinds
    expected = start + amount
    if abs(expected - stated) > 1e-9:
        op = "+" if amount > 0 else "-"
        return f"{_show(start)} {op} {_show(abs(amount))} is {_show(expected)}, the step states {_show(stated)}"
    return None


# the quantity a change leaves, stated as held after it ("..., so he has 12")
_HELD = re.compile(r"\b(?:has|have|had|holds|owns)\s+(?:[A-Za-z]+\s+)?\$?$", re.IGNORECASE)


def _unit(sentence: str, pos: int, end: int) -> str | None:
    """The unit of the number at `pos` (`$` before it, else the word after it unless `unitless_words`), singular."""
    if sentence[:pos].rstrip().endswith("$"):
        return "$"
    m = re.match(r"[\d.,]*\s*([A-Za-z]+)", sentence[end:] if end > pos else sentence[pos:])
    word = m.group(1).lower() if m else None
    if word is None or word in step_settings().unitless:
        return None
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _plain_numbers(sentence: str) -> list[tuple[int, int, float]]:
    st = _answer_settings()
    return [(m.start, m.end, float(m.value)) for m in number_mentions(sentence, st.operator_words, st.negative_words)
            if m.value is not None and not m.operand]


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def wrong_equation(text: str) -> str | None:
    """The first arithmetic step "<expression> = <number>" whose expression does not give the number (to the digits
    it shows: "10 / 3 = 3.33" holds, "11 - 6 = 6" does not); None when every checkable step holds."""
    for m in step_settings().equation.finditer(text):
        expr = m.group(1).replace("$", "").replace(",", "").replace("−", "-").replace("×", "*").replace("÷", "/")
        expr = re.sub(r"(?<=[\d)\s])x(?=[\s\d(])", "*", expr)
        shown = m.group(2).replace(",", "").replace("−", "-")
        got = _arithmetic(expr)
        if got is None:
            continue
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        if abs(got - float(shown)) > 0.5 * 10 ** -decimals + 1e-9:
            return f"{m.group(1).strip()} = {m.group(2)}"
    return None


def step_conflict(trace: str) -> str | None:
    """Why a step of the trace is false on its own face (a wrong equation, a state the change before it does not
    leave); None when every step it can judge holds."""
    wrong = wrong_equation(trace)
    if wrong is not None:
        return f"the trace's step {wrong!r} is false"
    sentences = [in_digits(s) for s in _sentences(trace)]
    for k, sentence in enumerate(sentences):
        wrong = _state_step(_step_text(sentences, k))
        if wrong is not None:
            return f"the trace's step {sentence[:60]!r} is false: {wrong}"
    return None


def _step_text(sentences: list[str], k: int) -> str:
    """Sentence `k` with what it leaves out: the quantity the sentence before states as held ("He had 11. He gives
    away 6 and has 5 left.") when it names none before its change, and the state the sentence after states alone
    ("He gives away 6. He now has 5.") when it states none after it."""
    text = sentences[k]
    found = changes(text)
    if len(found) != 1:
        return text
    at = next(iter(found))
    numbers = [(pos, end) for pos, end, _ in _plain_numbers(text) if not pos <= at < end]
    if not any(end <= at for _, end in numbers) and k > 0 and _only_held(sentences[k - 1], text):
        text = sentences[k - 1].rstrip(" .!?") + ", and " + text
    if not any(pos > at for pos, _ in numbers) and k + 1 < len(sentences) and _only_state(sentences[k + 1]):
        text = text.rstrip(" .!?") + ", and " + sentences[k + 1]
    return text


def _only_held(sentence: str, subject_of: str) -> bool:
    """A sentence stating one quantity as held ("He had 11 apples."), with no change, by the subject of the sentence
    it opens (`subject_of`) or a pronoun ("Tom has 3 apples." opens nothing Sam does)."""
    numbers = _plain_numbers(sentence)
    if len(numbers) != 1 or changes(sentence):
        return False
    before = sentence[:numbers[0][0]]
    held = [m for m in _settings()["number_verb"].finditer(before) if not before[m.end():].strip(" $")]
    return bool(held) and _same_subject(before[:held[-1].start()], subject_of)


_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})


def _same_subject(first: str, sentence: str) -> bool:
    """Whether a held quantity's subject (`first`) is who the next sentence is about: the same words, or a pronoun."""
    def words(text: str) -> list[str]:
        found = re.findall(r"[A-Za-z]+", text.split(",")[-1])
        return [w.lower() for w in found if w.lower() not in {"then", "so", "now", "next", "after", "that", "first", "and"}]

    one, two = words(first)[-1:], words(sentence)[:1]  # "Then Tom had" -> tom; "Then he gives away 6" -> he
    return bool(one) and bool(two) and (one[0] in _PRONOUNS or two[0] in _PRONOUNS or one[0] == two[0])


def _only_state(sentence: str) -> bool:
    """A sentence stating one number, marked as the state reached, and no change ("He now has 11.")."""
    numbers = _plain_numbers(sentence)
    return len(numbers) == 1 and not changes(sentence) and state_marked(sentence, numbers[0][0], numbers[0][1])

