"""Spelling stages over a real English word list (the `english-words` package: web2 ∩ gcide, lowercase,
alphabetic, 3-12 letters): letter count, first letter, last letter, spaced spelling, reversal.

Scratchpad answers spell the word out letter by letter first, then derive the answer from that spelling
(letter counts keep a running tally after each match).
"""

from __future__ import annotations

import random
import string
from functools import lru_cache

from .common import Task, final_answer_rules, split_pool

PROMPTS = {
    "count": {
        "train": ['How many times does the letter "{letter}" appear in "{word}"?',
                  'Count the letter {letter} in the word {word}.',
                  'How many {letter}\'s are in "{word}"?',
                  'In the word "{word}", how often does "{letter}" occur?',
                  'Count how many times "{letter}" shows up in {word}.'],
        "eval": ['What is the number of "{letter}" letters in "{word}"?',
                 'Tell me how many times {letter} is used in the word "{word}".',
                 'How frequently does the letter {letter} occur in "{word}"?'],
    },
    "first": {
        "train": ['What is the first letter of "{word}"?', 'Which letter does the word {word} start with?',
                  'Give the first letter of the word "{word}".', 'The word "{word}" begins with which letter?'],
        "eval": ['Name the opening letter of "{word}".', 'What letter is at the start of the word {word}?',
                 'Which letter comes first in "{word}"?'],
    },
    "last": {
        "train": ['What is the last letter of "{word}"?', 'Which letter does the word {word} end with?',
                  'Give the final letter of the word "{word}".', 'The word "{word}" ends in which letter?'],
        "eval": ['Name the closing letter of "{word}".', 'What letter is at the end of the word {word}?',
                 'Which letter comes last in "{word}"?'],
    },
    "spaced": {
        "train": ['Spell "{word}" with a space between each letter.', 'Write the word {word} letter by letter, separated by spaces.',
                  'Spell out {word} with spaces between the letters.', 'Put a space between every letter of "{word}".'],
        "eval": ['Separate the letters of "{word}" with spaces.', 'Write each letter of the word {word} with a space after it.',
                 'Show "{word}" spelled out with single spaces between letters.'],
    },
    "reverse": {
        "train": ['Write "{word}" backwards.', 'Reverse the letters of the word {word}.', 'Spell {word} in reverse order.',
                  'What is "{word}" spelled backwards?'],
        "eval": ['Give the word "{word}" with its letters reversed.', 'Read the word {word} from right to left and write it down.',
                 'Turn "{word}" around letter by letter.'],
    },
}


@lru_cache(maxsize=1)
def word_pool() -> dict[str, list[str]]:
    from english_words import get_english_words_set

    web2 = get_english_words_set(["web2"], lower=True, alpha=True)
    gcide = get_english_words_set(["gcide"], lower=True, alpha=True)
    words = sorted(w for w in web2 & gcide if 3 <= len(w) <= 12 and w.isascii())
    return split_pool(words)


def _spell(word: str) -> str:
    return ", ".join(word)


def _tally(word: str, letter: str) -> str:
    """The spelling with a running count after each match ("d, i 1, r, i 2, g"): one comparison per letter."""
    seen, out = 0, []
    for c in word:
        if c == letter:
            seen += 1
            out.append(f"{c} {seen}")
        else:
            out.append(c)
    return ", ".join(out)


def _count(rng: random.Random, word: str) -> tuple[str, int]:
    if rng.random() < 0.85:
        letter = rng.choice(word)
    else:
        letter = rng.choice([c for c in string.ascii_lowercase if c not in word])
    return letter, word.count(letter)


def _gen(mode: str, stage: str):
    def gen(rng: random.Random, split: str, style: str) -> Task:
        word = rng.choice(word_pool()[split])
        letter = None
        steps = [f"Spell it out: {_spell(word)}."]
        if mode == "count":
            letter, n = _count(rng, word)
            steps.append(f"Count each {letter}: {_tally(word, letter)}.")
            steps.append(f"Count: {n}.")
            final = str(n)
        elif mode == "first":
            final = word[0]
            steps.append(f"The first letter is {final}.")
        elif mode == "last":
            final = word[-1]
            steps.append(f"The last letter is {final}.")
        elif mode == "spaced":
            final = " ".join(word)
            steps.append(f"With spaces: {final}")
        else:
            final = word[::-1]
            steps.append(f"Reversed: {_spell(final)}.")
        answer = "\n".join(steps) + f"\nFinal answer: {final}" if style == "scratchpad" else final
        prompt = rng.choice(PROMPTS[mode][split]).format(word=word, letter=letter)
        return Task(skill="spelling", category=f"spelling_{mode}", stage=stage, group=f"spelling:{word}",
                    prompt=prompt, answer=answer, rules=final_answer_rules(final, style, scratch_max_words=40 + 2 * len(word)),
                    problem={"mode": mode, "word": word, "letter": letter, "result": final}, answer_style=style)

    return gen


SPELLING_STAGES = {
    "spelling_l1_count": ("spelling", _gen("count", "spelling_l1_count")),
    "spelling_l1_first_letter": ("spelling", _gen("first", "spelling_l1_first_letter")),
    "spelling_l1_last_letter": ("spelling", _gen("last", "spelling_l1_last_letter")),
    "spelling_l2_spaced": ("spelling", _gen("spaced", "spelling_l2_spaced")),
    "spelling_l3_reverse": ("spelling", _gen("reverse", "spelling_l3_reverse")),
}
