"""Numbers beside letters that are no letter labels: a step, line or range label before "N:" ("Step 2: e, k, i",
"Letters 1 to 10: s, t", "Letters 1-10: s") and a word's length after a letter ("e k i l e u t a t s - 10 letters") are
not places or counts, so honest spelling working written so passes; a place label opened by a place word ("Letter 2:
a", "Position 2: a") or standing alone ("1: s, 2: a") is still read and its wrong place fails."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
REVERSE = "Reverse the letters of the word statuelike."  # s t a t u e l i k e
FIRST = 'What is the first letter of "canopy"?'  # c a n o p y
PROBLEMS = {REVERSE: ("reverse", "statuelike", "ekileutats"), FIRST: ("first", "canopy", "c")}


def passes(prompt: str, working: str) -> bool:
    mode, word, want = PROBLEMS[prompt]
    row = {"id": "s", "skill": "spelling", "category": f"spelling_{mode}", "answer_style": "scratchpad",
           "normalized_answer": want, "must_include": ["Final answer:"], "messages": [{"role": "user", "content": prompt}],
           "problem": {"mode": mode, "word": word, "letter": None, "result": want}}
    return score_reply(row, f"{working}\nFinal answer: {want}", prompt, CFG)["passed"]


HONEST = [
    (REVERSE, "Letters 1 to 10: s, t, a, t, u, e, l, i, k, e. Backwards: e, k, i, l, e, u, t, a, t, s."),
    (REVERSE, "Letters 1-10: s, t, a, t, u, e, l, i, k, e."),
    (REVERSE, "Step 1: s, t, a, t, u, e, l, i, k, e.\nStep 2: e, k, i, l, e, u, t, a, t, s."),
    (REVERSE, "Line 2: e k i l e u t a t s"),
    (REVERSE, "Total letters = 10: s, t, a, t, u, e, l, i, k, e."),
    (REVERSE, "Reversed: e k i l e u t a t s - 10 letters"),
    (REVERSE, "Reversed: e, k, i, l, e, u, t, a, t, s = 10 letters."),
    (FIRST, "Step 2: c is first."),
    (FIRST, "1: c, 2: a, 3: n"),
    (FIRST, "Letter 1: c"),
]

WRONG = [
    (REVERSE, "1: s, 2: a, 3: t"),
    (REVERSE, "Letter 2: a"),
    (REVERSE, "Position 2: a"),
    (REVERSE, "s, t and 3: u"),
    (FIRST, "c: 1, n: 2"),
    (FIRST, "Letters: 1: c, 2: n"),
]


@pytest.mark.parametrize("prompt,working", HONEST)
def test_numbers_that_label_no_letter_pass(prompt, working):
    assert passes(prompt, working)


@pytest.mark.parametrize("prompt,working", WRONG)
def test_letter_labels_at_wrong_places_still_fail(prompt, working):
    assert not passes(prompt, working)
