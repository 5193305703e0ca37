"""A math answer with a gloss of how it was got ("36 (four 9s)", "36 (9 × 4)", "36, that is 9 + 9 + 9 + 9", "The answer
is 12 (7 + 5).") passes when the gloss comes to the answer and names the row's own operands; the same forms with a false
gloss ("36 (five 9s)", "12 (7 + 4)"), a gloss of another sum of the same operation ("12 (6 + 6)" asked 7 + 5, "36 (six
6s)" asked 9 × 4, as a restatement with other operands fails) or a wrong answer under a true-looking gloss ("35 (four
9s)") fail. So do the equation forms of a direct answer ("9 × 4 = 36", "36 = 9 × 4", "nine 4s make 36" pass; "9 × 5 =
36", "36 = 6 × 6", "six 6s make 36" fail). Every eval template of the task-pack generator is used: addition,
subtraction and multiplication with signs and in words, and the removal stories."""

from __future__ import annotations

import random

import pytest

from picochat_hf.data.skills.arithmetic import PROMPTS, STORIES, WORD_PROMPTS, WORDS
from picochat_hf.eval.number_glosses import expression_sum, number_glosses
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
ST = CFG.answers()
SIGNS = {"+": ["+"], "-": ["-"], "*": ["*", "x", "×"]}


def prompts(op: str, a: int, b: int) -> list[str]:
    """Every eval prompt of the generator for `a op b`: each sign template with each sign, each word template with each
    operator word."""
    out = [t.format(a=a, b=b, sym=sym) for t in PROMPTS["eval"] for sym in SIGNS[op]]
    return out + [t.format(a=a, b=b, word=w) for t in WORD_PROMPTS["eval"] for w in WORDS[op]]


def stories(a: int, b: int) -> list[str]:
    return [t.format(name="Pia", obj="buttons", a=a, b=b) for t in STORIES["eval"]]


def row(op: str, a: int, b: int, prompt: str, style: str = "direct") -> dict:
    result = {"+": a + b, "-": a - b, "*": a * b}[op]
    kind = {"+": "math_addition", "-": "math_subtraction", "*": "math_multiplication"}[op]
    return {"id": "m", "skill": "math", "category": kind, "answer_style": style, "reference_answer": str(result),
            "messages": [{"role": "user", "content": prompt}], "problem": {"op": op, "a": a, "b": b, "result": result}}


def failures(op: str, a: int, b: int, prompt: str, reply: str, style: str = "direct") -> list[str]:
    return score_reply(row(op, a, b, prompt, style), reply, prompt, CFG)["failures"]


CASES = {  # (op, a, b, prompts): [(honest reply, its false twin)]
    "mul": (("*", 9, 4, prompts("*", 9, 4)), [
        ("36 (four 9s)", "36 (five 9s)"),
        ("36 (9 × 4)", "36 (9 × 5)"),
        ("36 (nine 4s)", "36 (four 8s)"),
        ("36, that is 9 + 9 + 9 + 9", "36, that is 9 + 9 + 9"),
        ("36 (9 + 9 + 9 + 9)", "36 (9 + 9 + 9 + 9 + 9)"),
        ("36 (4 groups of 9)", "36 (5 groups of 9)"),
        ("36 (9 times 4)", "36 (9 times 5)"),
        ("36 (nine fours)", "36 (nine fives)"),
        ("36 — four 9s.", "36 — five 9s."),
        ("36, i.e. 4 × 9", "36, i.e. 4 × 8"),
        ("The answer is 36 (four 9s).", "The answer is 36 (four 8s)."),
        ("36 apples (9 × 4)", "36 apples (9 × 5)"),
        ("36 (9 × 4 = 36)", "36 (9 × 5 = 45)"),
        ("36 (9 × 4 = 36)", "36 (9 × 5 = 36)"),
        ("36 (9x4)", "36 (9x5)"),
        ("It is 36 (four 9s).", "It is 36 (four 8s)."),
        ("36 (i.e., 9 × 4)", "36 (i.e., 9 × 5)"),
        ("36, which is 9 × 4.", "36, which is 9 × 5."),
        ("Nine times four is thirty-six.", "Nine times five is thirty-six."),
        ("36 = 9 × 4", "36 = 9 × 5"),
        ("9 × 4 = 36", "9 × 5 = 36"),
        ("4 nines make 36", "5 nines make 36"),
        ("nine 4s make 36", "nine 5s make 36"),
        ("36 = four 9s", "36 = five 9s"),
        ("36 (four 9s)", "35 (four 9s)"),
        ("36 (9 × 4)", "35 (9 × 4)"),
    ]),
    "add": (("+", 7, 5, prompts("+", 7, 5)), [
        ("The answer is 12 (7 + 5).", "The answer is 12 (7 + 4)."),
        ("12 (7 + 5)", "12 (7 + 4)"),
        ("12 (5 + 7)", "13 (5 + 7)"),
        ("12, that is 7 + 5", "12, that is 7 + 4"),
        ("12 (seven plus five)", "12 (seven plus four)"),
        ("12 (5 more than 7)", "12 (4 more than 7)"),
        ("7 + 5 = 12", "7 + 4 = 12"),
        ("12 = 7 + 5", "12 = 7 + 4"),
        ("7 and 5 make 12", "7 and 4 make 12"),
    ]),
    "add2": (("+", 36, 44, prompts("+", 36, 44)), [
        ("80 (36 + 44)", "80 (36 + 45)"),
        ("80 (30 + 40 + 6 + 4)", "80 (30 + 40 + 6 + 5)"),
        ("80, that is 36 plus 44.", "80, that is 36 plus 43."),
    ]),
    "sub": (("-", 84, 78, prompts("-", 84, 78)), [
        ("6 (84 - 78)", "6 (84 - 77)"),
        ("6 (84 - 78)", "6 (78 - 84)"),
        ("6 (84 minus 78)", "6 (84 minus 77)"),
        ("6, that is 84 - 78", "6, that is 84 - 77"),
        ("6 (84 - 78)", "7 (84 - 78)"),
        ("84 - 78 = 6", "84 - 77 = 6"),
    ]),
    "story": (("-", 84, 78, stories(84, 78)), [
        ("6 (84 - 78)", "6 (84 - 77)"),
        ("6 buttons (84 - 78)", "6 buttons (84 - 77)"),
        ("6 buttons (84 take away 78).", "6 buttons (84 take away 77)."),
        ("6, that is 84 - 78.", "6, that is 84 - 79."),
        ("6 buttons stay on the shelf (84 take away 78).", "6 buttons stay on the shelf (84 take away 72)."),
    ]),
}
PAIRS = [(key, honest, false) for key, (_, pairs) in CASES.items() for honest, false in pairs]


@pytest.mark.parametrize(("key", "honest", "false"), PAIRS)
def test_an_honest_gloss_passes_and_its_false_twin_fails_on_every_template(key: str, honest: str, false: str) -> None:
    (op, a, b, texts), _ = CASES[key]
    assert len(texts) >= 3
    for prompt in texts:
        assert failures(op, a, b, prompt, honest) == [], (prompt, honest)
        assert failures(op, a, b, prompt, false), (prompt, false)


OTHER_OPERANDS = [  # true of the answer, but a sum of the same operation with other operands than the row's
    ("*", 9, 4, "36 (6 × 6)"), ("*", 9, 4, "36 (six 6s)"), ("*", 9, 4, "36 (6 + 6 + 6 + 6 + 6 + 6)"),
    ("*", 9, 4, "36 (twice 18)"), ("*", 9, 4, "6 × 6 = 36"), ("*", 9, 4, "36 = 6 × 6"), ("*", 9, 4, "six 6s make 36"),
    ("*", 9, 4, "The answer is 36 because 6 × 6 = 36."), ("+", 7, 5, "12 (6 + 6)"), ("+", 7, 5, "6 + 6 = 12"),
    ("+", 7, 5, "12, that is 4 + 4 + 4"), ("-", 84, 78, "6 (16 - 10)"), ("-", 84, 78, "80 - 74 = 6"),
]


@pytest.mark.parametrize(("op", "a", "b", "reply"), OTHER_OPERANDS)
def test_a_true_gloss_of_another_sum_of_the_same_operation_fails(op: str, a: int, b: int, reply: str) -> None:
    for prompt in prompts(op, a, b):
        found = failures(op, a, b, prompt, reply)
        assert any("sets out another sum than the one asked" in f for f in found), (prompt, found)


def test_a_gloss_of_another_operation_is_a_check_judged_for_truth_only() -> None:
    # as a restatement of another operation is a check, not the asked sum ("12 (3 × 4)" on 7 + 5 holds, "(3 × 5)" not)
    for prompt in prompts("+", 7, 5):
        assert failures("+", 7, 5, prompt, "12 (3 × 4)") == []
        assert failures("+", 7, 5, prompt, "12 (3 × 5)") == ["reference_answer: the gloss '(3 × 5)' of 12 comes to 15, not 12"]
    for prompt in prompts("*", 9, 4):
        assert failures("*", 9, 4, prompt, "36 (40 - 4)") == []
        assert failures("*", 9, 4, prompt, "36 (40 - 5)") != []


def test_steps_of_a_direct_answer_are_no_gloss_of_it() -> None:
    # two equalities show steps ("make ten"), judged by the working checks, not as the answer's own equation
    for prompt in prompts("+", 7, 5):
        assert failures("+", 7, 5, prompt, "7 + 3 = 10, 10 + 2 = 12") == []
        assert failures("+", 7, 5, prompt, "7 + 3 = 10, 10 + 3 = 12") != []


@pytest.mark.parametrize(("reply", "ok"), [
    ("Count by 4, 9 times: 4, 8, 12, 16, 20, 24, 28, 32, 36.\nSo 9 × 4 = 36 (nine 4s).\nFinal answer: 36", True),
    ("Count by 4, 9 times: 4, 8, 12, 16, 20, 24, 28, 32, 36.\nSo 9 × 4 = 36 (eight 4s).\nFinal answer: 36", False),
    ("Count by 4, 9 times: 4, 8, 12, 16, 20, 24, 28, 32, 36.\nSo 9 × 4 = 36.\nFinal answer: 36 (four 9s)", True),
    ("Count by 4, 9 times: 4, 8, 12, 16, 20, 24, 28, 32, 36.\nSo 9 × 4 = 36.\nFinal answer: 36 (four 8s)", False),
    ("Count by 4, 9 times: 4, 8, 12, 16, 20, 24, 28, 32, 36.\nSo 9 × 4 = 36.\nFinal answer: 6 × 6 = 36", False),
])
def test_a_gloss_in_scratchpad_working_or_its_final_line(reply: str, ok: bool) -> None:
    for prompt in prompts("*", 9, 4):
        assert (failures("*", 9, 4, prompt, reply, "scratchpad") == []) is ok, (prompt, reply)


def test_a_false_gloss_in_the_working_fails_with_its_reason() -> None:
    reply = "Add 7 and 5.\nThe total is 12 (7 + 4).\nFinal answer: 12"
    found = failures("+", 7, 5, "How much is 7 + 5?", reply, "scratchpad")
    assert "reference_answer: the working glosses a number falsely: '(7 + 4)' of 12 comes to 11, not 12" in found


@pytest.mark.parametrize(("text", "number", "expression", "value"), [
    ("36 (4 9s)", "36", "(4 * 9)", 36.0), ("36, that is 9 + 9 + 9", "36", "9 + 9 + 9", 27.0),
    ("12 (5 more than 7)", "12", "(7 + 5)", 12.0), ("6 apples (84 take away 78).", "6", "84 - 78", 6.0),
    ("36 (9 × 4 = 36)", "36", "9 * 4", 36.0),
    ("6 (78 + 6 = 84)", "6", "78 + 6", 84.0),  # a relation the number is an operand of (was read as no gloss)
])
def test_a_gloss_is_read_with_its_number_and_value(text: str, number: str, expression: str, value: float) -> None:
    (gloss,) = number_glosses(text, ST)
    assert (gloss.number, gloss.expression, gloss.value) == (number, expression, value)


@pytest.mark.parametrize("text", [
    "Count by 4, 9 times: 4, 8, 12, 16.", "9 + 9 = 18, 18 + 9 = 27.", "4, 8, 12, 16", "36 (9)", "36, 9 × 4 of them",
    "Ones: 4 is less than 8, borrow 1: 14 - 8 = 6.", "36 (the product)",
])
def test_lists_steps_and_words_are_no_gloss(text: str) -> None:
    assert number_glosses(text, ST) == []


@pytest.mark.parametrize(("expression", "op", "shape"), [
    ("9 + 9 + 9 + 9", "*", ("*", (4.0, 9.0))), ("9 + 9 + 9 + 9", "+", ("+", (9.0, 9.0, 9.0, 9.0))),
    ("(4 * 9)", "*", ("*", (4.0, 9.0))), ("84 - 78", "-", ("-", (84.0, 78.0))), ("10 * 4 - 4", "*", (None, ())),
])
def test_the_sum_a_gloss_sets_out(expression: str, op: str, shape: tuple) -> None:
    assert expression_sum(expression, op) == shape


def test_glossed_references_of_a_generated_pack_pass() -> None:
    # every generated eval row of each math template, answered with its reference and a true gloss, passes
    from picochat_hf.data.skills.arithmetic import MATH_STAGES

    for name, (_, gen) in MATH_STAGES.items():
        task = gen(random.Random(7), "eval", "direct")
        p = task.problem
        sign = {"+": "+", "-": "-", "*": "×"}[p["op"]]
        r = row(p["op"], p["a"], p["b"], task.prompt)
        for reply in (task.answer, f"{task.answer} ({p['a']} {sign} {p['b']})", f"{p['a']} {sign} {p['b']} = {task.answer}"):
            assert score_reply(r, reply, task.prompt, CFG)["failures"] == [], (name, task.prompt, reply)
        wrong = f"{task.answer} ({p['a']} {sign} {p['b'] + 1})"
        assert score_reply(r, wrong, task.prompt, CFG)["failures"] != [], (name, task.prompt, wrong)
