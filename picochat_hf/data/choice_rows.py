"""A choice row's own texts must choose its `correct_choice`.

A row with `correct_choice` is trained on its answer and scored on the letter. When the answer (or the row's
`normalized_answer` or `reference_answer`) chooses another option, by letter ("C", "C) 5"), by another option's text
("5", "The answer is 5."), by the right letter with another option's text ("B. 5") or by several letters, the model is
taught one option and credited for another. The texts are read with the letter judge the scorer uses
(`eval.letters`), so "the row chooses X" means what "the reply chooses X" means at scoring time; a text that chooses
no option (a sentence about the question) is left alone. A prompt that shows another option's text under a letter, and
phrase rules that no reply choosing the right option can meet, are refused with it.
"""

from __future__ import annotations

from typing import Any

from ..eval.answers import reasoning_answer
from ..eval.letters import chosen_letters, default_letter_lexicon, other_option_named, prompt_options, stated_options
from ..eval.reply_text import clean
from ..eval.scoring import LETTERS
from .schema import is_blank

OTHER_ANSWER_FIELDS = ("normalized_answer", "reference_answer")


def choices_problem(choices: list) -> tuple[str, str] | None:
    """(field, reason) when `choices` is not 2 to 10 distinct option texts; an empty list is no choices (Arrow writes
    one for a row without them)."""
    if not choices:
        return None
    for k, text in enumerate(choices):
        if not isinstance(text, str) or is_blank(text):
            return f"choices[{k}]", "each option must be non-empty text"
        if clean(text) in [clean(c) for c in choices[:k]]:
            # two options with one text: choosing that text would choose both letters
            return f"choices[{k}]", f"repeats option {LETTERS[[clean(c) for c in choices].index(clean(text))]}'s text"
    if not 2 <= len(choices) <= len(LETTERS):
        return "choices", f"needs 2 to {len(LETTERS)} options, got {len(choices)}"
    return None


def relettered(prompt: str, choices: list[str]) -> tuple[int, int] | None:
    """(k, j) when the prompt lists option k's text under letter j: the model answers the letters it is shown, the
    scorer reads them with `choices`. Only a text that is another option's counts; other wording is left alone."""
    listed = prompt_options(prompt) or []
    texts = [clean(c) for c in choices]
    for j, shown in enumerate(listed[: len(choices)]):
        if clean(shown) != texts[j] and clean(shown) in texts:
            return texts.index(clean(shown)), j
    return None


def _disagreement(text: str, gold: str, labels: list[str], options: list[str] | None) -> str | None:
    """Why `text`, read as a reply, chooses another option than `gold`, or None."""
    letters = chosen_letters(text, labels, options)
    # without known options every capital is a possible letter ("I would say B" reads as I and B): several letters
    # that include the right one are then left alone
    if len(letters) > 1 and (options or gold not in letters):
        return f"chooses several letters ({', '.join(letters)})"
    if len(letters) == 1 and letters[0] != gold:
        return f"names {letters[0]}"
    if not options:
        return None
    if letters == [gold]:
        other = sorted(k for k in stated_options(text, gold, options) if labels[k] != gold)
        if other:
            return f"gives {gold} with the text of option {labels[other[0]]}"
    named = other_option_named(text, gold, labels, options, default_letter_lexicon())
    return None if named is None else f"gives option {labels[named]}'s text as the answer"


def _phrase_rule_problem(row: dict[str, Any], gold: str, labels: list[str], options: list[str] | None) -> tuple[str, str] | None:
    """(field, reason) for a phrase rule that, scored beside `correct_choice`, fails every reply that chooses it: a
    required phrase (or every phrase of a required group) that chooses another option, a forbidden one that chooses
    the right option."""
    texts = [clean(c) for c in options or []]

    def chooses(phrase: Any) -> list[str]:
        # only a phrase that is one letter or one option's text: "vitamin C" is no choice of C
        whole = clean(phrase) if isinstance(phrase, str) else ""
        if len(whole) == 1 and whole.upper() in labels:
            return [whole.upper()]
        return [labels[texts.index(whole)]] if whole and whole in texts else []

    for k, phrase in enumerate(row.get("must_include") or []):
        if chooses(phrase) and chooses(phrase) != [gold]:
            return f"must_include[{k}]", f"{phrase!r} chooses {chooses(phrase)[0]}, the row's correct_choice is {gold}"
    for k, phrase in enumerate(row.get("must_not_include") or []):
        if chooses(phrase) == [gold]:
            return f"must_not_include[{k}]", f"{phrase!r} forbids the row's correct_choice {gold}"
    for k, group in enumerate(row.get("must_include_any") or []):
        if group and all(chooses(p) and chooses(p) != [gold] for p in group):
            return f"must_include_any[{k}]", f"every phrase chooses another option than the row's correct_choice {gold}"
    return None


def choice_row_problem(row: dict[str, Any], answer: str, prompt: str) -> tuple[str, str] | None:
    """(field, reason) when the row's `correct_choice` is no option letter, its prompt letters the choices otherwise,
    its own answer texts choose another option or its phrase rules contradict it, else None. `answer` and `prompt`
    are the row's supervised answer and its prompt."""
    problem = choices_problem(row.get("choices") or [])
    if problem is not None:
        return problem
    # read as the scorer reads a row: its choices, else the options its prompt lists one a line, else any letter
    options = row.get("choices") or prompt_options(prompt)
    labels = list(LETTERS[: len(options)]) if options else list(LETTERS)
    gold = row["correct_choice"].strip().upper()
    where = f"correct_choice (row {row.get('id')})"
    if gold not in labels:
        return where, f"{row['correct_choice']!r} is not one option letter of {', '.join(labels)}"
    moved = relettered(prompt, row["choices"]) if row.get("choices") else None
    if moved is not None:
        return where, (f"the prompt lists option {labels[moved[0]]}'s text ({row['choices'][moved[0]]!r}) under letter "
                       f"{labels[moved[1]]}, so its letters name other options than the row's choices")
    if row.get("answerable") is False:
        return "answerable", "a choice row's right answer is its correct_choice, not a refusal"
    if str(row.get("answer_style") or "").lower() == "reasoning":
        answer = reasoning_answer(answer) or answer
    why = _disagreement(answer, gold, labels, options)
    if why is not None:
        return where, f"the row's answer {why}, its correct_choice is {gold}"
    problem = _phrase_rule_problem(row, gold, labels, options)
    if problem is not None:
        return problem
    for name in OTHER_ANSWER_FIELDS:
        if isinstance(row.get(name), str):
            why = _disagreement(row[name], gold, labels, options)
            if why is not None:
                return name, f"{row[name]!r} {why}, the row's correct_choice is {gold}"
    return None
