"""Arithmetic stages: single-digit, no-carry, carry, borrow, small multiplication and removal stories.

Scratchpad answers show the column method (each column's sum or difference, the carry or the borrow)
or skip counting, then `Final answer: N`; every line of the form `a op b = c` is true.
"""

from __future__ import annotations

import random
from functools import lru_cache

from .common import Task, final_answer_rules, split_pool

PROMPTS = {
    "train": [
        "What is {a} {sym} {b}?",
        "Compute {a} {sym} {b}.",
        "Calculate {a} {sym} {b}.",
        "{a} {sym} {b} = ?",
        "Work out {a} {sym} {b}.",
        "Find the value of {a} {sym} {b}.",
        "Please solve {a} {sym} {b}.",
        "What do you get for {a} {sym} {b}?",
        "Tell me the result of {a} {sym} {b}.",
        "Solve: {a} {sym} {b}",
    ],
    "eval": [
        "How much is {a} {sym} {b}?",
        "Evaluate {a} {sym} {b}.",
        "Give the answer to {a} {sym} {b}.",
        "What number equals {a} {sym} {b}?",
        "Determine {a} {sym} {b}.",
        "Can you figure out {a} {sym} {b}?",
    ],
}
WORDS = {"+": ["plus", "added to"], "-": ["minus"], "*": ["times", "multiplied by"]}
WORD_PROMPTS = {
    "train": ["What is {a} {word} {b}?", "Compute {a} {word} {b}.", "Please work out {a} {word} {b}."],
    "eval": ["How much is {a} {word} {b}?", "Evaluate {a} {word} {b}."],
}

NAMES = split_pool(
    "Ava Ben Chloe Dan Ella Finn Grace Hugo Ivy Jack Kara Liam Maya Noah Olive Paul Quinn Rosa Sam Tara Uma Vic Wes "
    "Xena Yara Zack Amir Bea Cole Dina Eli Fay Gus Hana Ian Jade Kai Lena Milo Nora Omar Pia Ravi Sara Theo Una Vera "
    "Will Yuki Zoe Aria Bruno Cleo Dev Emil Flora Gabe Hope Isla Joel Kemal Lola Marco Nina Otto Priya Rhea Sol Tess".split()
)
OBJECTS = split_pool(
    "marbles stickers cookies pencils apples stamps crayons shells buttons cards balloons beads coins candles "
    "grapes lemons ribbons erasers toy cars paper cranes seashells postcards pebbles feathers acorns cherries "
    "books plums keys magnets".replace("toy cars", "toy_cars").replace("paper cranes", "paper_cranes").split()
)
STORIES = {
    "train": [
        "{name} has {a} {obj}. {name} gives away {b} of them. How many {obj} does {name} have left?",
        "{name} had {a} {obj} and lost {b}. How many {obj} are left?",
        "There are {a} {obj} in a box. {name} takes out {b}. How many {obj} remain in the box?",
        "{name} collected {a} {obj} and then used {b}. How many {obj} does {name} still have?",
    ],
    "eval": [
        "A shelf holds {a} {obj}. {name} removes {b} of them. How many {obj} stay on the shelf?",
        "{name} starts the day with {a} {obj} and sells {b}. How many {obj} are unsold?",
        "A jar contains {a} {obj}. {b} are taken away by {name}. How many {obj} are in the jar now?",
    ],
}


def _digits(n: int) -> list[int]:
    return [int(c) for c in str(n)][::-1]  # ones first


PLACES = ["Ones", "Tens", "Hundreds", "Thousands"]


def add_steps(a: int, b: int) -> list[str]:
    da, db = _digits(a), _digits(b)
    carry, lines = 0, []
    for i in range(max(len(da), len(db))):
        x, y = (da[i] if i < len(da) else 0), (db[i] if i < len(db) else 0)
        s = x + y + carry
        expr = f"{x} + {y}" + (f" + {carry}" if carry else "")
        carry = s // 10
        lines.append(f"{PLACES[i]}: {expr} = {s}, write {s % 10}" + (f", carry {carry}." if carry else "."))
    if carry:
        lines.append(f"{PLACES[len(lines)]}: write the carried {carry}.")
    return lines


def sub_steps(a: int, b: int) -> list[str]:
    da, db = _digits(a), _digits(b)
    borrow, lines = 0, []
    for i in range(len(da)):
        x, y = da[i] - borrow, (db[i] if i < len(db) else 0)
        top = f"{da[i]} - {borrow}" if borrow else f"{da[i]}"
        if x < y:
            lines.append(f"{PLACES[i]}: {top} is less than {y}, borrow 1: {x + 10} - {y} = {x + 10 - y}.")
            borrow = 1
        else:
            lines.append(f"{PLACES[i]}: {top + ' = ' + str(x) + ', ' if borrow else ''}{x} - {y} = {x - y}.")
            borrow = 0
    return lines


def _scratch(op: str, a: int, b: int, result: int) -> str:
    sym = {"+": "+", "-": "-", "*": "*"}[op]
    if (op == "+" and a < 10 and b < 10) or (op == "-" and b < 10 and a < 20):
        return f"{a} {sym} {b} = {result}.\nFinal answer: {result}"
    if op == "+":
        body = [f"Add {a} and {b} column by column."] + add_steps(a, b)
    elif op == "-":
        body = [f"Subtract {b} from {a} column by column."] + sub_steps(a, b)
    else:
        seq = ", ".join(str(b * k) for k in range(1, a + 1))
        body = [f"Count by {b}, {a} times: {seq}."]
    body.append(f"So {a} {sym} {b} = {result}.")
    return "\n".join(body) + f"\nFinal answer: {result}"


def _render(op: str, a: int, b: int, split: str, rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(WORD_PROMPTS[split]).format(a=a, b=b, word=rng.choice(WORDS[op]))
    return rng.choice(PROMPTS[split]).format(a=a, b=b, sym={"*": rng.choice(["*", "x", "×"])}.get(op, op))


@lru_cache(maxsize=None)
def _pool(stage: str) -> dict[str, list[tuple[int, int]]]:
    if stage == "add1":
        pairs = [(a, b) for a in range(10) for b in range(10)]
    elif stage == "add2":
        pairs = [(a, b) for a in range(10, 100) for b in range(10, 100) if a % 10 + b % 10 < 10 and a // 10 + b // 10 < 10]
    elif stage == "add3":
        pairs = [(a, b) for a in range(10, 1000, 3) for b in range(10, 1000, 7)
                 if any(x + y >= 10 for x, y in zip(_digits(a), _digits(b)))]
    elif stage == "sub1":
        pairs = [(a, b) for a in range(19) for b in range(10) if 0 <= a - b <= 9]
    elif stage == "sub2":
        pairs = [(a, b) for a in range(10, 100) for b in range(10, 100) if a % 10 >= b % 10 and a // 10 >= b // 10]
    elif stage == "sub3":
        pairs = [(a, b) for a in range(20, 1000, 3) for b in range(10, 1000, 7)
                 if a > b and any(x < y for x, y in zip(_digits(a), _digits(b) + [0] * 3))]
    elif stage == "mul":
        pairs = [(a, b) for a in range(2, 13) for b in range(2, 13)]
    elif stage == "story":
        pairs = [(a, b) for a in range(5, 100) for b in range(1, a)]
    else:  # pragma: no cover
        raise KeyError(stage)
    return split_pool(pairs, key=lambda p: f"{stage}:{p[0]}:{p[1]}")


POOL_OPS = {"add1": "+", "add2": "+", "add3": "+", "sub1": "-", "sub2": "-", "sub3": "-", "mul": "*", "story": "-"}


@lru_cache(maxsize=None)
def eval_problems(op: str) -> frozenset[tuple[int, int]]:
    """Operand pairs held out for eval by any stage with this operation (pools are split per stage)."""
    return frozenset(p for stage, o in POOL_OPS.items() if o == op for p in _pool(stage)["eval"])


def draw_pair(rng: random.Random, stage: str, split: str) -> tuple[int, int]:
    """An operand pair of `stage`'s `split` pool; a training pair is never a problem another stage holds out
    for eval (the same `a op b` with its answer would leak it). Eval draws are unchanged by this rule."""
    op = POOL_OPS[stage]
    while True:
        pair = rng.choice(_pool(stage)[split])
        if split == "eval" or pair not in eval_problems(op):
            return pair


def _arith(stage: str, op: str, category: str, name: str):
    def gen(rng: random.Random, split: str, style: str) -> Task:
        a, b = draw_pair(rng, stage, split)
        result = {"+": a + b, "-": a - b, "*": a * b}[op]
        answer = _scratch(op, a, b, result) if style == "scratchpad" else str(result)
        return Task(skill="math", category=category, stage=name, group=f"math:{op}:{a}:{b}",
                    prompt=_render(op, a, b, split, rng), answer=answer, rules=final_answer_rules(str(result), style),
                    problem={"op": op, "a": a, "b": b, "result": result}, answer_style=style)

    return gen


def _story(rng: random.Random, split: str, style: str) -> Task:
    a, b = draw_pair(rng, "story", split)
    name, obj = rng.choice(NAMES[split]), rng.choice(OBJECTS[split]).replace("_", " ")
    prompt = rng.choice(STORIES[split]).format(name=name, obj=obj, a=a, b=b)
    result = a - b
    if style == "scratchpad":  # the same column method as the subtraction stages
        answer = f"Start with {a} {obj} and take away {b}.\n" + _scratch("-", a, b, result)
    else:
        answer = str(result)
    return Task(skill="math", category="math_removal", stage="math_l3_removal_story", group=f"math:story:{a}:{b}",
                prompt=prompt, answer=answer, rules=final_answer_rules(str(result), style),
                problem={"op": "-", "a": a, "b": b, "result": result}, answer_style=style)


MATH_STAGES = {
    "math_l1_addition_single_digit": ("math", _arith("add1", "+", "math_addition", "math_l1_addition_single_digit")),
    "math_l2_addition_no_carry": ("math", _arith("add2", "+", "math_addition", "math_l2_addition_no_carry")),
    "math_l3_addition_carry": ("math", _arith("add3", "+", "math_addition", "math_l3_addition_carry")),
    "math_l1_subtraction_single_digit": ("math", _arith("sub1", "-", "math_subtraction", "math_l1_subtraction_single_digit")),
    "math_l2_subtraction_no_borrow": ("math", _arith("sub2", "-", "math_subtraction", "math_l2_subtraction_no_borrow")),
    "math_l3_subtraction_borrow": ("math", _arith("sub3", "-", "math_subtraction", "math_l3_subtraction_borrow")),
    "math_l2_multiplication_small": ("math", _arith("mul", "*", "math_multiplication", "math_l2_multiplication_small")),
    "math_l3_removal_story": ("math", _story),
}
