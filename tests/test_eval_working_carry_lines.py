"""The column method's own bookkeeping lines are judged: "Hundreds: write the carried 1." where no column carried (45 +
32: it would make 177) or where the carry was another number passed, and so did "Tens: 5 + 6 = 11, write 2", a digit
that is not the sum's last. The task pack's own scratchpads (`add_steps`) pass for every pair below."""

from __future__ import annotations

import pytest

from picochat_hf.data.skills.arithmetic import add_steps
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def verdict(a: int, b: int, lines: list[str]) -> dict:
    prompt = f"Evaluate {a} + {b}."
    reply = f"Add {a} and {b} column by column.\n" + "\n".join(lines) + f"\nSo {a} + {b} = {a + b}.\nFinal answer: {a + b}"
    row = {"id": "m", "skill": "math", "category": "math_addition", "answer_style": "scratchpad", "normalized_answer": str(a + b),
           "messages": [{"role": "user", "content": prompt}], "problem": {"op": "+", "a": a, "b": b, "result": a + b}}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("a, b, lines", [
    (45, 32, ["Ones: 5 + 2 = 7, write 7.", "Tens: 4 + 3 = 7, write 7.", "Hundreds: write the carried 1."]),
    (58, 67, ["Ones: 8 + 7 = 15, write 5, carry 1.", "Tens: 5 + 6 + 1 = 12, write 2, carry 1.", "Hundreds: write the carried 2."]),
    (58, 67, ["Ones: 8 + 7 = 15, write 5, carry 1.", "Tens: 5 + 6 = 11, write 2, carry 1.", "Hundreds: write the carried 1."]),
    (5, 5, ["Ones: 5 + 5 = 10, write 0, carry 1.", "Tens: write the carried 2."]),
])
def test_a_false_carry_line_fails(a, b, lines):
    v = verdict(a, b, lines)
    assert not v["passed"], lines
    assert any("false step" in f for f in v["failures"]), v["failures"]


@pytest.mark.parametrize("a, b", [(58, 67), (958, 167), (45, 32), (99, 1), (5, 5), (999, 999), (120, 880)])
def test_the_task_packs_own_column_working_passes(a, b):
    v = verdict(a, b, add_steps(a, b))
    assert v["passed"], v["failures"]
