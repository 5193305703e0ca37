"""Working must be about the row's own operands. A true equation that relates the answer by the row's operation or its
inverse with numbers the row never gave ("So 6 × 6 = 36." asked 9 × 4, "6 + 6 = 12" asked 7 + 5, "90 - 6 = 84" asked
84 - 78) or single-digit column sums that are no column of the row ("2 + 5 = 7. 3 + 5 = 8." asked 43 + 44) fail a
scratchpad with a right final answer; its honest twin (the row's operands in any order, repeated addition, partial sums
and products, borrowed ones, counting up, make ten) passes. Every math template of the generator is used: addition,
subtraction and multiplication (one and two digits, with and without carry or borrow, signs and words) and the eval
removal stories. A bracketed relation of a direct answer by the inverse operation ("6 (78 + 6 = 84)") is an honest gloss;
its false twins fail; "12 (7 and 5)" is no gloss ("and" is no operator)."""

from __future__ import annotations

import random

import pytest

from picochat_hf.data.skills.arithmetic import MATH_STAGES, STORIES, add_steps, sub_steps
from picochat_hf.eval.number_glosses import number_glosses
from picochat_hf.eval.restated_sums import foreign_numbers
from picochat_hf.eval.scoring import load_scoring_config, score_reply
from picochat_hf.eval.worked_operands import chains

CFG = load_scoring_config()
ST = CFG.answers()
FOREIGN = "the working is about other numbers than the problem's"
OTHER_SUM = "sets out another sum than the one asked"
CATEGORY = {"+": "math_addition", "-": "math_subtraction", "*": "math_multiplication"}
# key: (op, a, b, prompt); one sign and one word prompt of the eval templates per operation
PROBLEMS = {
    "add1": ("+", 7, 5, "Evaluate 7 + 5."), "add1w": ("+", 7, 5, "How much is 7 plus 5?"),
    "add2": ("+", 43, 44, "Give the answer to 43 + 44."), "add3": ("+", 57, 68, "Determine 57 + 68."),
    "add478": ("+", 478, 402, "What is 478 + 402?"),
    "sub1": ("-", 15, 9, "What number equals 15 - 9?"), "sub2": ("-", 47, 41, "Evaluate 47 minus 41."),
    "sub3": ("-", 84, 78, "Can you figure out 84 - 78?"), "mul": ("*", 9, 4, "How much is 9 × 4?"),
    "mulw": ("*", 9, 4, "Evaluate 9 times 4."), "mul12": ("*", 6, 12, "Determine 6 x 12."),
    "mul812": ("*", 8, 12, "Determine 8 x 12."), "sub87": ("-", 8, 7, "Give the answer to 8 - 7."),
    "add66": ("+", 6, 6, "Evaluate 6 + 6."), "sub1514": ("-", 15, 14, "What is 15 - 14?"),
    "mul71": ("*", 7, 1, "What is 7 x 1?"),
}
STORY_PROMPTS = [t.format(name="Pia", obj="buttons", a=84, b=78) for t in STORIES["eval"]]


def result(op: str, a: int, b: int) -> int:
    return {"+": a + b, "-": a - b, "*": a * b}[op]


def failures(key: str, reply: str, style: str = "scratchpad", prompt: str | None = None) -> list[str]:
    op, a, b, asked = ("-", 84, 78, prompt) if key == "story" else PROBLEMS[key]
    want = str(result(op, a, b))
    row = {"id": "m", "skill": "math", "category": "math_removal" if key == "story" else CATEGORY[op],
           "answer_style": style, "normalized_answer": want, "messages": [{"role": "user", "content": asked}],
           "problem": {"op": op, "a": a, "b": b, "result": int(want)}}
    if style == "scratchpad":
        row["must_include"] = ["Final answer:"]
        reply = f"{reply}\nFinal answer: {want}"
    return score_reply(row, reply, asked, CFG)["failures"]


def generated(op: str, a: int, b: int) -> str:
    """The generator's scratchpad working for `a op b` (column method or skip counting), without its final line."""
    r = result(op, a, b)
    if op == "+":
        body = [f"Add {a} and {b} column by column."] + add_steps(a, b)
    elif op == "-":
        body = [f"Subtract {b} from {a} column by column."] + sub_steps(a, b)
    else:
        body = [f"Count by {b}, {a} times: " + ", ".join(str(b * k) for k in range(1, a + 1)) + "."]
    return "\n".join(body + [f"So {a} {op} {b} = {r}."])


# (key, honest working, the same working about other numbers)
PAIRS = [
    ("add1", "7 + 5 = 12.", "6 + 6 = 12."), ("add1", "5 + 7 = 12.", "9 + 3 = 12."),
    ("add1", "So 7 + 5 is 12.", "So 6 + 6 is 12."), ("add1", "Adding 7 and 5 gives 12.", "Adding 6 and 6 gives 12."),
    ("add1w", "7 + 5 makes 12.", "4 + 8 makes 12."), ("add1", "12 - 5 = 7, so 7 + 5 = 12.", "12 - 6 = 6, so 6 + 6 = 12."),
    ("add1", "7 + 3 = 10, 10 + 2 = 12.", "So 8 + 4 = 12."),
    ("add2", generated("+", 43, 44), generated("+", 43, 44).replace("So 43 + 44", "So 40 + 47")),
    ("add2", "3 + 4 = 7. 4 + 4 = 8. So the answer is 87.", "2 + 5 = 7. 3 + 5 = 8. So the answer is 87."),
    ("add2", "43 + 40 = 83, 83 + 4 = 87.", "50 + 37 = 87."), ("add2", "44 + 43 = 87.", "45 + 42 = 87."),
    ("add3", generated("+", 57, 68), "Ones: 7 + 8 = 15, write 5, carry 1.\nTens: 5 + 6 + 1 = 12.\nSo 60 + 65 = 125."),
    ("add3", "7 + 8 = 15. 1 + 5 + 6 = 12. So 125.", "6 + 9 = 15. 1 + 4 + 7 = 12. So 125."),
    ("add3", "57 + 3 = 60, 60 + 65 = 125.", "60 + 65 = 125."), ("add3", "57 + 70 = 127, 127 - 2 = 125.", "100 + 25 = 125."),
    ("add478", "400 + 400 = 800, 78 + 2 = 80, 800 + 80 = 880.", "700 + 180 = 880."),
    ("sub1", generated("-", 15, 9), "16 - 10 = 6."), ("sub1", "9 + 6 = 15.", "8 + 6 = 14."),
    ("sub2", generated("-", 47, 41), "8 - 2 = 6. 4 - 4 = 0. So the answer is 6."),
    ("sub2", "41 + 6 = 47.", "40 + 6 = 46."),
    ("sub3", generated("-", 84, 78), generated("-", 84, 78).replace("So 84 - 78 = 6.", "So 90 - 84 = 6.")),
    ("sub3", "78 + 6 = 84.", "90 - 6 = 84."), ("sub3", "84 - 6 = 78.", "16 - 10 = 6."), ("sub3", "84 - 78 = 6.", "17 - 11 = 6."),
    ("sub3", "84 - 80 = 4, 4 + 2 = 6.", "3 + 3 = 6."),
    ("sub3", "78 + 2 = 80, 80 + 4 = 84, so 2 + 4 = 6.", "77 + 6 = 83."),
    ("sub3", "Ones: 4 is less than 8, borrow 1: 14 - 8 = 6.\nTens: 8 - 1 = 7, 7 - 7 = 0.", "15 - 9 = 6."),
    ("mul", generated("*", 9, 4), generated("*", 9, 4).replace("So 9 * 4", "So 6 * 6")),
    ("mul", "So 4 × 9 = 36.", "So 6 × 6 = 36."), ("mul", "9 + 9 + 9 + 9 = 36.", "6 + 6 + 6 + 6 + 6 + 6 = 36."),
    ("mul", "4 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4 = 36.", "12 + 12 + 12 = 36."), ("mul", "36 ÷ 4 = 9.", "36 ÷ 6 = 6."),
    ("mul", "9 × 2 = 18, 18 × 2 = 36.", "So 18 × 2 = 36."), ("mulw", "Nine 4s make 36.", "Six 6s make 36."),
    ("mulw", "9 times 4 is 36.", "3 times 12 is 36."),
    ("mul12", "6 × 10 = 60, 6 × 2 = 12, 60 + 12 = 72.", "8 × 9 = 72."), ("mul12", "12 × 6 = 72.", "24 × 3 = 72."),
    ("mul12", "6 × 6 = 36, 36 + 36 = 72.", "36 + 36 = 72."),
    ("mul12", "6 × 12 = 6 × 10 + 6 × 2 = 60 + 12 = 72.", "6 × 12 = 72, as 9 × 8 = 72."),
]


@pytest.mark.parametrize(("key", "honest", "wrong"), PAIRS)
def test_working_about_the_rows_operands_passes_and_its_twin_about_other_numbers_fails(key: str, honest: str, wrong: str) -> None:
    assert failures(key, honest) == [], honest
    found = failures(key, wrong)
    assert any(FOREIGN in f or OTHER_SUM in f for f in found), (wrong, found)


@pytest.mark.parametrize("prompt", STORY_PROMPTS)
def test_every_eval_story_template(prompt: str) -> None:
    start = "Start with 84 buttons and take away 78.\n"
    assert failures("story", start + generated("-", 84, 78), prompt=prompt) == []
    assert failures("story", start + "84 - 80 = 4, 4 + 2 = 6.", prompt=prompt) == []
    for wrong in ("90 - 6 = 84.", "So 80 - 74 = 6 buttons stay.", "Start with 84 buttons and take away 78.\n90 - 84 = 6."):
        assert any(FOREIGN in f for f in failures("story", wrong, prompt=prompt)), (prompt, wrong)


def test_the_reason_names_the_equation_and_the_numbers_the_row_never_gave() -> None:
    assert failures("mul", "So 6 × 6 = 36.") == [
        f"normalized_answer: {FOREIGN}: '6 × 6 = 36' relates the answer 36 to 6, which the problem does not give"]
    assert failures("sub3", "90 - 6 = 84.") == [
        f"normalized_answer: {FOREIGN}: '90 - 6 = 84' relates the answer 6 to 90, which the problem does not give"]
    assert failures("add2", "2 + 5 = 7. 3 + 5 = 8. So the answer is 87.") == [
        f"normalized_answer: {FOREIGN}: '2 + 5 = 7' adds or takes digits that are no column of 43 + 44"]


def test_a_wrong_answer_in_the_honest_format_still_fails() -> None:
    for key, reply, answer in (("mul", "So 4 × 9 = 35.", "35"), ("sub3", "78 + 7 = 85.", "7"), ("add1", "7 + 5 = 13.", "13")):
        op, a, b, prompt = PROBLEMS[key]
        row = {"id": "m", "skill": "math", "category": CATEGORY[op], "answer_style": "scratchpad",
               "must_include": ["Final answer:"], "normalized_answer": str(result(op, a, b)),
               "messages": [{"role": "user", "content": prompt}], "problem": {"op": op, "a": a, "b": b, "result": result(op, a, b)}}
        assert not score_reply(row, f"{reply}\nFinal answer: {answer}", prompt, CFG)["passed"], reply


def test_worded_operators_of_a_word_prompt() -> None:
    # the prompt's own operator word is dropped with its story nouns (`story_items`), so the twin fails as a count the
    # problem does not have rather than as other numbers: it fails either way
    assert failures("add1w", "7 plus 5 makes 12.") == []
    assert failures("add1w", "4 plus 8 makes 12.") != []
    assert failures("sub2", "47 minus 41 is 6.") == []
    assert failures("sub2", "46 minus 40 is 6.") != []


def test_another_operation_is_a_check_judged_for_truth_only() -> None:
    # as its gloss is ("12 (3 × 4)" asked 7 + 5): another operation does not restate the asked sum
    assert failures("add1", "3 × 4 = 12, and 7 + 5 = 12.") == []
    assert failures("mul", "40 - 4 = 36.") == []
    assert failures("mul", "40 - 5 = 36.") != []


def test_a_direct_answer_with_another_sums_equation_fails() -> None:
    assert failures("add1", "9 + 3 = 12", "direct") != []
    assert failures("sub3", "90 - 84 = 6", "direct") != []
    assert failures("add1", "7 + 3 = 10, 10 + 2 = 12", "direct") == []


@pytest.mark.parametrize(("key", "honest", "false", "why"), [
    ("sub3", "6 (78 + 6 = 84)", "6 (78 + 7 = 84)", "the gloss '(78 + 7 = 84)' of 6 comes to 85, not 84"),
    ("sub3", "6 (84 - 6 = 78)", "6 (77 + 6 = 83)", f"the gloss '(77 + 6 = 83)' of the answer {OTHER_SUM}"),
    ("sub3", "6 (6 + 78 = 84)", "6 (2 + 3 = 5)", "the gloss '(2 + 3 = 5)' of 6 does not use 6"),
    ("sub3", "6 (14 - 8)", "6 (3 + 3)", f"the gloss '(3 + 3)' of the answer {OTHER_SUM}"),
    ("add1", "12 (12 - 5 = 7)", "12 (12 - 6 = 6)", f"the gloss '(12 - 6 = 6)' of the answer {OTHER_SUM}"),
    ("mul", "36 (36 ÷ 4 = 9)", "36 (36 ÷ 6 = 6)", f"the gloss '(36 ÷ 6 = 6)' of the answer {OTHER_SUM}"),
])
def test_a_gloss_restating_the_relation_by_the_inverse_operation(key: str, honest: str, false: str, why: str) -> None:
    assert failures(key, honest, "direct") == [], honest
    assert f"normalized_answer: {why}" in failures(key, false, "direct"), false


@pytest.mark.parametrize("prompt", STORY_PROMPTS)
def test_a_relation_gloss_on_every_story_and_on_a_final_line(prompt: str) -> None:
    assert failures("story", "6 buttons (78 + 6 = 84)", "direct", prompt) == []
    assert failures("story", "6 buttons (77 + 6 = 83)", "direct", prompt) != []
    assert failures("story", "Start with 84 buttons and take away 78.\nLeft: 6 (78 + 6 = 84).", prompt=prompt) == []


def test_two_numbers_joined_by_and_are_no_gloss() -> None:
    # "and" is no operator: "12 (7 and 5)" names the row's operands, which are prompt numbers and no answer candidates;
    # other numbers so named are candidates beside the answer and fail it
    assert number_glosses("12 (7 and 5)", ST) == []
    assert failures("add1", "12 (7 and 5)", "direct") == []
    assert failures("mul", "36 (9 and 4)", "direct") == []
    assert failures("add1", "12 (6 and 6)", "direct") == ["normalized_answer: several candidates ['12', '6']"]
    assert failures("add1", "12 (8 and 4)", "direct") != []


def test_chains_read_the_first_expression_and_the_lone_value() -> None:
    assert chains("43 + 44 = 80 + 7 = 87.") == [("43 + 44 = 80 + 7 = 87", "43 + 44", 87.0)]
    assert chains("So 36 = 6 × 6") == [("36 = 6 × 6", "6 × 6", 36.0)]
    assert chains("9x4 = 36") == [("9 × 4 = 36", "9 × 4", 36.0)]
    assert chains("1 = 2, and 3 + 4 = 7 = 8") == []


def test_foreign_numbers_of_an_equation() -> None:
    assert foreign_numbers((6.0, 6.0), "*", 36.0, ("*", 9.0, 4.0), 36.0, set()) == [6.0, 6.0]
    assert foreign_numbers((4.0, 9.0), "*", 36.0, ("*", 9.0, 4.0), 36.0, set()) == []
    assert foreign_numbers((90.0, 6.0), "-", 84.0, ("-", 84.0, 78.0), 6.0, {80.0}) == [90.0]
    assert foreign_numbers((3.0, 4.0), "*", 12.0, ("+", 7.0, 5.0), 12.0, set()) == []  # another operation
    assert foreign_numbers((6.0, 6.0), "+", 12.0, ("+", 7.0, 5.0), 13.0, set()) == []  # not about the answer
    assert foreign_numbers((12.0, 12.0, 12.0), "+", 36.0, (None, 3.0, 12.0), 36.0, set()) == []  # operation not known


def test_a_story_without_a_recorded_problem_is_not_judged_by_its_relations() -> None:
    prompt = "Tom has 3 boxes with 12 pencils in each. How many pencils does Tom have?"
    row = {"id": "s", "skill": "math", "answer_style": "scratchpad", "must_include": ["Final answer:"],
           "normalized_answer": "36", "messages": [{"role": "user", "content": prompt}]}
    assert score_reply(row, "12 + 12 + 12 = 36.\nFinal answer: 36", prompt, CFG)["failures"] == []


def test_generated_scratchpads_of_every_math_stage_pass() -> None:
    for name, (_, gen) in MATH_STAGES.items():
        for seed in range(4):
            task = gen(random.Random(seed), "eval", "scratchpad")
            row = {"id": name, "skill": "math", "category": task.category, "answer_style": "scratchpad", **task.rules,
                   "problem": task.problem, "messages": [{"role": "user", "content": task.prompt}]}
            assert score_reply(row, task.answer, task.prompt, CFG)["failures"] == [], (name, task.answer)


@pytest.mark.parametrize(("key", "honest", "foreign"), [
    # a check by another operation standing alone must use numbers the row gives: partial products on a multiplication
    ("mul812", "8 x 10 = 80, 8 x 2 = 16, 80 + 16 = 96.",
     "Add 81 and 15 column by column.\nOnes: 1 + 5 = 6, write 6.\nTens: 8 + 1 = 9, write 9.\nSo 81 + 15 = 96."),
    ("mul812", "80 + 16 = 96.", "90 + 6 = 96."),
    ("mul812", "120 - 24 = 96.", "100 - 4 = 96."),
    ("mul12", "60 + 12 = 72.", "70 + 2 = 72."),
    ("mul", "40 - 4 = 36.", "30 + 6 = 36."),
    ("mul", "4 × 9 = 36.", "36 - 0 = 36."),
    # ... and the row's operands (doubles) or derived numbers on an addition
    ("add66", "2 × 6 = 12.", "3 × 4 = 12."),
    ("add1", "3 × 4 = 12, and 7 + 5 = 12.", "3 × 4 = 12."),
    # the answer restating itself computes nothing, whether or not its value is also a carry's 0 or 1
    ("sub87", "8 - 7 = 1.", "1 - 0 = 1."),
    ("sub87", "7 + 1 = 8.", "1 × 1 = 1."),
    ("add1", "7 + 5 = 12.", "12 × 1 = 12."),
    ("sub1514", generated("-", 15, 14), "1 + 0 = 1."),
])
def test_a_check_standing_alone_or_the_answer_restated_is_foreign_working(key, honest, foreign) -> None:
    assert failures(key, honest) == [], honest
    found = failures(key, foreign)
    assert found and FOREIGN in found[0], (foreign, found)


def test_a_product_by_one_or_plus_zero_beside_the_row_own_sum_is_a_check() -> None:
    assert failures("mul71", "7 x 1 = 7.") == []
    assert failures("mul71", "7 x 1 = 7, 7 + 0 = 7.") == []
    assert failures("mul812", "8 * 12 = 96. Check: 90 + 6 = 96.") == []
