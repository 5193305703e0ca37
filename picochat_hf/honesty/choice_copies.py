"""A choice item copied into SFT rows with its question reworded and its options reordered or relettered.

The exact option list (`options` watch) and the question with the right option's text (`stem` watch) are
found by the streamed watches. A copy can change both: "Which city is France's capital?\\nA. Rome\\nB. Paris
\\nC. Oslo\\nD. Lima" answered "B" holds the same item as an eval row listing Paris, Lima, Rome, Oslo. An SFT
row is such a copy when it offers the same set of options, chooses the option whose text is the eval
item's right answer, and its question (the prompt before the options) names every *entity* of the eval
item's question (the numbers, quoted words and capitalised words not opening a sentence: "France",
'"hot"', "5") and shares at least `choice_copy_min_overlap` of the shorter question's content words (words
not in `question_stopwords`). These keep apart questions with the same options and answer that ask
something else ("What day follows Monday?" and "Which day comes before Wednesday?", both Tuesday; "7
kilometers in meters" and "7 liters in milliliters", both 7000). Rows that both carry a canonical problem
(`items.canonical_key`, as task-pack rows do) are compared by it instead, in `leaks.canonical_findings`:
two task-pack items with different keys are different questions however alike they read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..data.schema import answer_text, prompt_text
from .items import canonical_key
from .normalize import normalized, words

LETTERS = "ABCDEFGHIJ"
_OPTION_LINE = re.compile(r"^\s*\(?([A-J])[.):]\s+(\S.*?)\s*$", re.MULTILINE)
_INLINE_OPTION = re.compile(r"(?:^|\s)\(?([A-J])[.)]\s+(.+?)(?=\s+\(?[A-J][.)]\s|\s*$)", re.DOTALL)
_CHOSEN = re.compile(r"^\W*(?:(?:the\s+)?(?:answer|option|choice)\s*(?:is\s*)?:?\s*)?\(?([A-J])\b(?![a-z'])", re.IGNORECASE)
_ENTITY = re.compile(r"[\"“”‘’']([^\"“”‘’']+)[\"“”‘’']|\b(\d[\d.,]*)\b|(?<![.?!:]\s)(?<!^)\b([A-Z][\w-]+)")


def listed_options(text: str) -> tuple[str, dict[str, str]]:
    """(the question before the options, {letter: option text}) of a lettered prompt; no options when fewer than two."""
    found = _OPTION_LINE.findall(text)
    if len(found) < 2:
        found = _INLINE_OPTION.findall(text)
    letters = [f[0] for f in found]
    if len(found) < 2 or letters != list(LETTERS[: len(found)]):
        return text, {}
    first = re.search(r"\(?" + letters[0] + r"[.)]\s", text)
    return (text[: first.start()] if first else text), {k: normalized(v) for k, v in found}


def chosen_text(row: dict) -> tuple[str, frozenset[str], str] | None:
    """(question, option set, chosen option's text) of a row that answers a lettered choice, else None."""
    choices, gold = row.get("choices"), row.get("correct_choice")
    question, listed = listed_options(prompt_text(row))
    if isinstance(choices, list) and choices and isinstance(gold, str) and gold.strip().upper() in LETTERS[: len(choices)]:
        opts = {LETTERS[k]: normalized(str(c)) for k, c in enumerate(choices)}
        return question, frozenset(opts.values()), opts[gold.strip().upper()]
    if not listed:
        return None
    answer = answer_text(row).strip()
    m = _CHOSEN.match(answer)
    if m and m.group(1).upper() in listed:
        return question, frozenset(listed.values()), listed[m.group(1).upper()]
    text = normalized(answer)
    return (question, frozenset(listed.values()), text) if text in listed.values() else None


def entities(question: str) -> list[list[str]]:
    """The question's numbers, quoted words and capitalised words that do not open a sentence, as word lists."""
    out = []
    for quoted, number, name in _ENTITY.findall(question.strip()):
        w = words(quoted or number or name)
        if w and w not in out:
            out.append(w)
    return out


def _names_all(question_words: list[str], wanted: list[list[str]]) -> bool:
    return all(any(question_words[i : i + len(e)] == e for i in range(len(question_words) - len(e) + 1)) for e in wanted)


def _same_question(a: list[str], b: list[str], wanted: list[list[str]], stop: set[str], min_overlap: float) -> bool:
    ca, cb = set(a) - stop, set(b) - stop
    if not ca or not cb:
        return _names_all(b, wanted)
    return _names_all(b, wanted) and len(ca & cb) >= min_overlap * min(len(ca), len(cb))


def choice_copy_findings(eval_rows: list[dict], sft_rows: list[dict], skip: set[str], add: Callable[..., None], *,
                         stopwords: list[str], min_overlap: float) -> None:
    """`sft_choice_copy_with_answer` for every eval choice item an SFT row copies with its right answer."""
    by_key: dict[tuple[frozenset[str], str], list[tuple[str, list[str], str | None]]] = {}
    for r in sft_rows:
        got = chosen_text(r)
        if got is not None:
            question, options, text = got
            by_key.setdefault((options, text), []).append((r["id"], words(question), canonical_key(r)))
    if not by_key:
        return
    stop = {w for s in stopwords for w in words(s)}
    for row in eval_rows:
        if row["id"] in skip or not row.get("correct_choice"):
            continue
        got = chosen_text(row)
        if got is None:
            continue
        question, options, text = got
        wanted = entities(question)
        asked, key = words(question), canonical_key(row)
        hit = next((rid for rid, q, k in by_key.get((options, text), [])
                    if (key is None or k is None) and _same_question(asked, q, wanted, stop, min_overlap)), None)
        if hit is not None:
            add("sft_choice_copy_with_answer", row["id"], "sft", hit,
                f"SFT row {hit} offers the same options, chooses the right one ({text!r}) and names the question's entities")
