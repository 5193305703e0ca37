"""What identifies one eval item beyond its wording: its answer, its canonical problem, its signature.

For every eval row the scan derives (all as normalised word sequences, `normalize.words`):

- `answers`: what counts as the item's answer when found beside it (the numeric or short answer, also
  spelled out in words, "fifty-seven"; the letter and text of the right option); none for skills whose
  answers are taught verbatim (identity, refusal);
- `canonical`: the row's canonical problem from the `problem` / `group` fields task packs write (math
  `op:a:b`, spelling `mode:word:letter`, choice `family:key`, identity/refusal stems), or None;
- `expressions`: the operand expression in every common spelling ("23 + 34", "23 plus 34", "twenty-three
  plus thirty-four"; the digit form first); for word
  problems the two operands in order (`story`); from `problem` or, for rows without one, from the prompt's
  numbers and operators (its *signature*);
- `spelling`: the item's word (quoted in the prompt, or from `problem`) and what must stand near it;
- `options`: a choice item's option list, plain and lettered;
- `stem`: a choice item's question before its lettered options, watched with the right option's text
  (the question and its answer leak without the distractors, in any order or lettering).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..data.schema import prompt_text
from ..eval.answers import normalize_answer
from .config import load_scan_config
from .normalize import words
from .number_words import number_forms

Phrasings = dict[str, list[list[str]]]  # operator -> phrasings as words, "{a}" and "{b}" standing for the operands
_QUOTED = re.compile(r"[\"“‘'«「]([A-Za-z]{3,})[\"”’'»」]")  # straight, curly, guillemet and corner quotes
LETTERS = "ABCDEFGHIJ"


@dataclass
class EvalItem:
    index: int
    id: str
    skill: str
    prompt: list[str]
    answers: list[list[str]] = field(default_factory=list)
    canonical: str | None = None
    expressions: list[list[str]] = field(default_factory=list)
    story: tuple[str, str] | None = None
    operands: tuple[str, str, str] | None = None  # (a, operator, b) of an operand expression, in digits
    spelling: tuple[str, list[str], list[str]] | None = None  # word, answer seq, extra word required nearby
    options: list[list[str]] = field(default_factory=list)
    stem: list[str] = field(default_factory=list)  # a choice item's question before its lettered options


def canonical_key(row: dict) -> str | None:
    """The row's canonical problem, or None when it carries none."""
    p = row.get("problem")
    if isinstance(p, dict):
        if {"op", "a", "b"} <= p.keys():
            return f"math:{p['op']}:{p['a']}:{p['b']}"
        if {"mode", "word"} <= p.keys():
            return f"spelling:{p['mode']}:{p['word']}:{p.get('letter')}"
        if p.get("key") is not None and p.get("family") is not None:
            return f"choice:{p['family']}:{p['key']}"
    group = row.get("group")
    return str(group) if isinstance(group, str) and group else None


def _answer_text(row: dict) -> str | None:
    for name in ("normalized_answer", "reference_answer"):
        value = row.get(name)
        if isinstance(value, str) and value.strip() and len(value.split()) <= 8:
            return value
    p = row.get("problem")
    if isinstance(p, dict) and p.get("result") is not None:
        return str(p["result"])
    return None


def short_answer(row: dict) -> str | None:
    """The row's short answer (`normalized_answer`, a `reference_answer` of at most 8 words, or the problem's result)."""
    return _answer_text(row)


def _choice_answers(row: dict) -> list[list[str]]:
    gold = str(row["correct_choice"]).strip().upper()
    out = [[gold.lower()]]
    choices = row.get("choices") or []
    k = LETTERS.find(gold)
    text = (row.get("problem") or {}).get("answer_text") if isinstance(row.get("problem"), dict) else None
    if text is None and 0 <= k < len(choices):
        text = choices[k]
    if text:
        out.append(words(str(text)))
    return out


def math_phrasings(table: dict[str, list[str]]) -> Phrasings:
    """`ScanConfig.math_phrasings` as word lists: "sum of {a} and {b}" is ["sum", "of", "{a}", "and", "{b}"]."""
    return {op: [[w for t in p.split() for w in ([t] if t in ("{a}", "{b}") else words(t))] for p in ps] for op, ps in table.items()}


@lru_cache(maxsize=1)
def default_phrasings() -> Phrasings:
    """The operand-expression phrasings of the packaged scan defaults."""
    return math_phrasings(load_scan_config().math_phrasings)


def _fill(phrasing: list[str], a: list[str], b: list[str]) -> list[str]:
    return [w for t in phrasing for w in (a if t == "{a}" else b if t == "{b}" else [t])]


def _expressions(a: str, b: str, phrasings: list[list[str]]) -> list[list[str]]:
    """`a op b` in every phrasing with each operand in digits or words (digits-only first, the first phrasing first)."""
    digits = [_fill(p, [a], [b]) for p in phrasings]
    worded = [_fill(p, x, y) for x in number_forms(a) or [[a]] for y in [[b], *number_forms(b)] for p in phrasings]
    worded += [_fill(p, [a], y) for y in number_forms(b) for p in phrasings] if number_forms(a) else []
    return digits + worded


def _operands_in(prompt: list[str], phrasings: Phrasings) -> tuple[str, str, str] | None:
    """(a, operator, b) of the first phrasing written with digit operands in the prompt ("sum of 23 and 34")."""
    for i in range(len(prompt)):
        for op, ps in phrasings.items():
            for p in ps:
                seg = prompt[i : i + len(p)]
                if len(seg) == len(p) and all(w.isdigit() if t in ("{a}", "{b}") else w == t for t, w in zip(p, seg)):
                    return seg[p.index("{a}")], op, seg[p.index("{b}")]
    return None


def _math(row: dict, prompt: list[str], phrasings: Phrasings) -> tuple[list[list[str]], tuple[str, str] | None, tuple[str, str, str] | None]:
    """(operand expressions, a word problem's operands, (a, operator, b))."""
    p = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    if {"op", "a", "b"} <= p.keys():
        a, b, op = str(p["a"]), str(p["b"]), p["op"]
        exprs = _expressions(a, b, phrasings.get(op, [["{a}", *words(op), "{b}"]]))
        story = (a, b) if not any(_contains(prompt, e) for e in exprs) else None
        return exprs, story, (a, str(op), b)
    # a row without a problem: its signature is the prompt's numbers and operators
    found = _operands_in(prompt, phrasings)
    if found is not None:
        a, op, b = found
        return _expressions(a, b, phrasings[op]), None, found
    nums = [t for t in prompt if t.isdigit()]
    return [], (nums[0], nums[1]) if len(nums) == 2 else None, None


def _spelling(row: dict, text: str) -> tuple[str, list[str], list[str]] | None:
    p = row.get("problem") if isinstance(row.get("problem"), dict) else {}
    word = p.get("word")
    if word is None:
        quoted = _QUOTED.findall(text)
        if len(set(quoted)) != 1:
            return None
        word = quoted[0]
    word = str(word).lower()
    mode, letter = p.get("mode"), p.get("letter")
    result = str(p.get("result")) if p.get("result") is not None else _answer_text(row)
    if result is None:
        return None
    if mode == "count" and letter:
        return word, [result], [str(letter)]
    if mode == "spaced" or (mode is None and result.replace(" ", "") == word and " " in result):
        return word, list(word), []
    return word, words(result), []


STEM_MIN_WORDS = 4


def _stem(prompt: list[str], choices: list[str]) -> list[str]:
    """The question before a choice prompt's lettered option list ("which of these is a planet"); empty when
    the prompt does not list its options or the question is shorter than STEM_MIN_WORDS words."""
    if not choices:
        return []
    first = ["a", *words(choices[0])]
    starts = [i for i in range(len(prompt) - len(first) + 1) if prompt[i : i + len(first)] == first]
    stem = prompt[: starts[0]] if starts else []
    return stem if len(stem) >= STEM_MIN_WORDS else []


def _contains(seq: list[str], sub: list[str]) -> bool:
    n = len(sub)
    return n > 0 and any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))


def eval_item(index: int, row: dict, skip_skills: set[str], phrasings: Phrasings | None = None) -> EvalItem:
    text = prompt_text(row)
    item = EvalItem(index=index, id=row["id"], skill=row["skill"], prompt=words(text), canonical=canonical_key(row))
    if row["skill"] in skip_skills:
        return item
    if row.get("correct_choice"):
        item.answers = _choice_answers(row)
        choices = row.get("choices") or []
        if choices and sum(len(words(c)) for c in choices) >= 4:
            item.options = [words(" ".join(choices)), words(" ".join(f"{LETTERS[k]}. {c}" for k, c in enumerate(choices)))]
        item.stem = _stem(item.prompt, choices)
        return item
    answer = _answer_text(row)
    if answer is not None and words(answer):
        item.answers = [words(answer)] + number_forms(normalize_answer(answer))
    if row["skill"] == "math" and item.answers and item.answers[0][0].isdigit():
        item.expressions, item.story, item.operands = _math(row, item.prompt, default_phrasings() if phrasings is None else phrasings)
    elif row["skill"] == "spelling" and item.answers:
        item.spelling = _spelling(row, text)
    return item


def contains(seq: list[str], sub: list[str]) -> bool:
    """`sub` occurs as a contiguous run of `seq`."""
    return _contains(seq, sub)
