"""Letters labelled with numbers in spelling working must be true of the asked word: places ("1: s, 2: c", "s(1) c(2)",
"s-1, c-2", a position table), counts ("o x2", "o ×2", a count table) and labels that may be either ("s: 1, c: 2") that
put a wrong letter at a place or give a wrong count fail even when the final answer is right; the same layouts with the
word's true letters pass, and a label that is a true count though not a true place ("s: 1, o: 2") passes too."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
COUNT = 'How many o\'s are in "scorpionidea"?'  # s c o r p i o n i d e a
FIRST = 'What is the first letter of "canopy"?'  # c a n o p y
PROBLEMS = {COUNT: ("count", "scorpionidea", "o", "2"), FIRST: ("first", "canopy", None, "c")}


def passes(prompt: str, working: str) -> bool:
    mode, word, letter, want = PROBLEMS[prompt]
    row = {"id": "s", "skill": "spelling", "category": f"spelling_{mode}", "answer_style": "scratchpad",
           "normalized_answer": want, "must_include": ["Final answer:"], "messages": [{"role": "user", "content": prompt}],
           "problem": {"mode": mode, "word": word, "letter": letter, "result": want}}
    reply = f"{working}\nFinal answer: {want}"
    return score_reply(row, reply, prompt, CFG)["passed"]


WRONG = [
    (COUNT, "s: 1, c: 2, r: 3, o: 4.\nCount: 2."),
    (COUNT, "s: 1, c: 2, o: 3, r: 4, p: 5, i: 6, o: 8.\nCount: 2."),
    (COUNT, "1: s, 2: c, 3: r, 4: o.\nCount: 2."),
    (COUNT, "1: s, 2: c, 3: o, 4: r, 5: p, 6: i, 7: n."),
    (COUNT, "s(1) c(2) o(3) r(4) p(5) i(6) n(7)"),
    (COUNT, "s-1, c-2, r-3, o-4"),
    (COUNT, "o x3"), (COUNT, "o ×3"), (COUNT, "s x1, c x1, o x3"), (COUNT, "The o's: (x3)."),
    (COUNT, "| letter | count |\n|---|---|\n| s | 1 |\n| o | 3 |"),
    (COUNT, "| position | letter |\n|---|---|\n| 1 | s |\n| 2 | o |"),
    (COUNT, "o=4, s=1"), (COUNT, "o - 3 times"),
    (COUNT, "The 4th and 8th letters are o."), (COUNT, "o is the fourth and eighth letter."), (COUNT, "Letters 4 and 8 are o."),
    (COUNT, "The o's are at 4 and 8."), (COUNT, "Found o at 4, o at 8."),
    (FIRST, "1: c, 2: n, 3: a"), (FIRST, "c: 1, n: 2, a: 3, o: 4, p: 5, y: 6\nThe first letter is c."),
]
HONEST = [
    (COUNT, "s: 1, c: 2, o: 3, r: 4, p: 5, i: 6, o: 7, n: 8, i: 9, d: 10, e: 11, a: 12.\nCount: 2."),
    (COUNT, "1: s, 2: c, 3: o, 4: r.\nCount: 2."),
    (COUNT, "1: s, 2: c, 3: o, 4: r, 5: p, 6: i, 7: o."),
    (COUNT, "s(1) c(2) o(3) r(4) p(5) i(6) o(7)"),
    (COUNT, "s-1, c-2, o-3, r-4"),
    (COUNT, "o x2"), (COUNT, "o ×2"), (COUNT, "s x1, c x1, o x2"), (COUNT, "The o's: (x2)."),
    (COUNT, "| letter | count |\n|---|---|\n| s | 1 |\n| o | 2 |"),
    (COUNT, "| position | letter |\n|---|---|\n| 1 | s |\n| 3 | o |"),
    (COUNT, "o=2, s=1"),
    (COUNT, "s: 1, o: 2"),  # true counts, though o is not letter 2
    (COUNT, "o - 2 times"),
    (COUNT, "The 3rd and 7th letters are o."), (COUNT, "o is the third and seventh letter."), (COUNT, "Letters 3 and 7 are o."),
    (COUNT, "The o's are at 3 and 7."), (COUNT, "Found o at 3, o at 7."), (COUNT, "The first and third letters are s and o."),
    (FIRST, "1: c, 2: a, 3: n"), (FIRST, "c: 1, a: 2, n: 3, o: 4, p: 5, y: 6\nThe first letter is c."),
]


@pytest.mark.parametrize("prompt, working", WRONG)
def test_labels_false_of_the_word_fail(prompt, working):
    assert not passes(prompt, working), working


@pytest.mark.parametrize("prompt, working", HONEST)
def test_labels_true_of_the_word_pass(prompt, working):
    assert passes(prompt, working), working
