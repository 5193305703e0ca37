"""Working that counts a story's things ("The jar has 90 grapes.") must give counts the problem has; a list of equations
one a line behind bullets is read line by line ("- 3 x 9 = 28" is false, not "9 - 3 x 9"), and a count headed by groups
("4 groups of 9: 9, 18, 26, 36") must count by the group. Each wrong form fails beside a right final answer, and its
true twin passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
JAR = "A jar contains 91 grapes. 30 are taken away by Finn. How many grapes are in the jar now?"
BOX = "There are 67 cookies in a box. Liam takes out 48. How many cookies remain in the box?"


def passes(prompt: str, working: str, problem: tuple[int, str, int, int]) -> bool:
    a, op, b, want = problem
    row = {"id": "s", "skill": "math", "category": "math_removal", "answer_style": "scratchpad", "normalized_answer": str(want),
           "messages": [{"role": "user", "content": prompt}], "problem": {"op": op, "a": a, "b": b, "result": want}}
    return score_reply(row, f"{working}\nFinal answer: {want}", prompt, CFG)["passed"]


@pytest.mark.parametrize("right, wrong", [
    ("The jar has 91 grapes.\nFinn takes 30.\n91 - 30 = 61.", "The jar has 90 grapes.\nFinn takes 30.\n91 - 30 = 61."),
    ("Step 1: The jar has 91 grapes.\nStep 2: 91 - 30 = 61.", "Step 1: The jar has 90 grapes.\nStep 2: 91 - 30 = 61."),
    ("There are 91 grapes in the jar. 91 - 30 = 61.", "There are 90 grapes in the jar. 91 - 30 = 61."),
    ("We start with 91 grapes and take away 30, leaving 61.", "We start with 90 grapes and take away 30, leaving 61."),
    ("Finn took 30 grapes. 91 - 30 = 61.", "Finn took 20 grapes. 91 - 30 = 61."),
    ("Finn takes 20 grapes and then 10 grapes. 91 - 30 = 61.", "Finn takes 20 grapes and then 11 grapes. 91 - 30 = 61."),
    ("Finn takes 20 grapes, then 10 more. 91 - 20 = 71 grapes, 71 - 10 = 61 grapes.",
     "Finn takes 25 grapes, then 10 more. 91 - 30 = 61 grapes."),
])
def test_a_count_of_the_storys_things_must_be_the_problems(right, wrong):
    assert passes(JAR, right, (91, "-", 30, 61)), right
    assert not passes(JAR, wrong, (91, "-", 30, 61)), wrong


def test_counts_of_other_things_are_not_judged_here():
    assert passes(BOX, "67 - 48 = 19 cookies. That is 19.", (67, "-", 48, 19))
    assert passes("Evaluate 4 multiplied by 9.", "4 groups of 9: 9, 18, 27, 36.", (4, "*", 9, 36))


@pytest.mark.parametrize("right, wrong", [
    ("- 1 x 9 = 9\n- 2 x 9 = 18\n- 3 x 9 = 27\n- 4 x 9 = 36", "- 1 x 9 = 9\n- 2 x 9 = 18\n- 3 x 9 = 28\n- 4 x 9 = 36"),
    ("* 9 + 9 = 18\n* 18 + 18 = 36", "* 9 + 9 = 18\n* 18 + 18 = 34"),
    ("4 groups of 9: 9, 18, 27, 36.", "4 groups of 9: 9, 18, 26, 36."),
    ("4 lots of 9: 9, 18, 27, 36.", "3 lots of 9: 9, 18, 27, 36."),
])
def test_listed_equations_and_group_counts_must_hold(right, wrong):
    prompt = "Evaluate 4 multiplied by 9."
    assert passes(prompt, right, (4, "*", 9, 36)), right
    assert not passes(prompt, wrong, (4, "*", 9, 36)), wrong


BEADS = "Aria starts the day with 80 beads and sells 75. How many beads are unsold?"


@pytest.mark.parametrize("right, wrong", [
    ("She starts with 80 and sells 75, leaving 5.", "She starts with 80 and sells 76, leaving 5."),
    ("Start: 80 => sell 75 => 5 left.", "Start: 80 => sell 70 => 5 left."),
    ("Aria had 80, sold 75, has 5 left.", "Aria had 80, sold 74, has 5 left."),
    ("Aria sells 70 and then 5 more. 80 - 70 = 10, 10 - 5 = 5.", "Aria sells 70 and then 6 more. 80 - 75 = 5."),
    ("After selling 75, Aria has 5 beads left out of 80.", "After selling 65, Aria has 5 beads left out of 80."),
])
def test_the_count_after_the_prompts_change_verb_is_the_problems(right, wrong):
    assert passes(BEADS, right, (80, "-", 75, 5)), right
    assert not passes(BEADS, wrong, (80, "-", 75, 5)), wrong
