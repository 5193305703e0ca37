"""A number answers a "how many are left" question only when it counts what is left: the right number tied to a verb of
change the question does not ask about ("61 grapes were taken", "Pia took 61") counts the change, not the rest, and fails; so does one tied to the start ("90 were in the jar before").
The same number tied to what remains ("61 grapes are left", "61 remain after taking 29") or a prompt's own number restated as
working beside the answer ("29 were taken, so 61 are left") passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
JAR = "A jar contains 90 grapes. 29 are taken away by Pia. How many grapes are in the jar now?"
SHELF = "A shelf holds 84 buttons. Olive removes 78 of them. How many buttons stay on the shelf?"
SOLD = "Aria starts the day with 80 beads and sells 75. How many beads are unsold?"
ASKS_SOLD = "Aria starts the day with 80 beads and has 5 left. How many beads did she sell?"


def verdict(prompt: str, want: str, reply: str, style: str = "direct") -> dict:
    row = {"id": "c", "skill": "math", "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("prompt, want, reply", [
    (JAR, "61", "61 grapes were taken"), (JAR, "61", "61 were taken away."), (JAR, "61", "Pia took 61 grapes."),
    (JAR, "61", "61 taken"), (JAR, "61", "Pia has taken 61 of them."), (JAR, "61", "sixty-one grapes were taken"),
    (SHELF, "6", "Olive removed 6 buttons."), (SHELF, "6", "6 buttons were removed from the shelf."),
    (SOLD, "5", "Aria sold 5 beads."), (SOLD, "5", "5 beads were sold."), (SOLD, "5", "She sells 5."),
    (JAR, "61", "61 grapes were eaten."), (JAR, "61", "61 grapes got taken away"),
    (JAR, "90", "90 grapes were in the jar before."), (JAR, "90", "At first there were 90 grapes."),
    (SOLD, "80", "Aria started with 80 beads."), (JAR, "90", "The jar initially held 90."),
])
def test_the_right_number_for_the_change_fails(prompt, want, reply):
    assert not verdict(prompt, want, reply)["passed"], reply
    assert not verdict(prompt, want, f"90 - 29 = 61\nFinal answer: {reply}", "scratchpad")["passed"], reply


@pytest.mark.parametrize("prompt, want, reply", [
    (JAR, "61", "61"), (JAR, "61", "61 grapes are left."), (JAR, "61", "61 grapes remain in the jar."),
    (JAR, "61", "29 were taken, so 61 are left."), (JAR, "61", "Pia took 29, leaving 61."),
    (JAR, "61", "61 are left after 29 were taken away."),
    (JAR, "61", "61 remain after taking 29."), (SHELF, "6", "6 buttons stay on the shelf."),
    (SOLD, "5", "5 beads are unsold."), (SOLD, "5", "Aria sold 75, so 5 are unsold."), (ASKS_SOLD, "75", "She sold 75 beads."),
    (ASKS_SOLD, "75", "75 beads were sold."), (JAR, "61", "There are **61** grapes in the jar now."),
    (JAR, "61", "61 now, versus 90 before."), (JAR, "61", "There were 90 at first, so 61 are left."),
    ("A jar had some grapes. Pia took 29 and 61 are left. How many grapes were in the jar at first?", "90", "There were 90 at first."),
])
def test_the_number_for_what_is_asked_passes(prompt, want, reply):
    v = verdict(prompt, want, reply)
    assert v["passed"], (reply, v["failures"])
