"""bench/scratchpad_steps.py: step-level agreement of scratchpad replies with their references."""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "scratchpad_steps.py"


@pytest.fixture(scope="module")
def steps():
    spec = importlib.util.spec_from_file_location("scratchpad_steps", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(category: str, reply: str, reference: str, passed: bool) -> dict:
    return {"category": category, "answer_style": "scratchpad", "reply": reply, "passed": passed,
            "expected": {"reference_answer": reference}}


MARKET = "Spell it out: m, a, r, k, e, t.\nThe last letter is t.\nFinal answer: t"
ADD = "Add 40 and 21 column by column.\nOnes: 0 + 1 = 1, write 1.\nTens: 4 + 2 = 6, write 6.\nSo 40 + 21 = 61.\nFinal answer: 61"


def test_exact_reply_reproduces_every_step(steps):
    table = steps.category_table([_row("math_addition", ADD, ADD, True), _row("spelling_last", MARKET, MARKET, True)])
    assert table["math_addition"]["first_step_exact"] == 1 and table["math_addition"]["steps_share"] == 1.0
    assert table["spelling_last"]["spelled_exact"] == 1 and table["spelling_last"]["spelled_length"] == 1


def test_wrong_steps_in_the_right_format_are_counted_as_wrong(steps):
    wrong_add = ADD.replace("Tens: 4 + 2 = 6, write 6.", "Tens: 4 + 2 = 3, write 3.").replace("61", "31")
    wrong_spell = "Spell it out: m, a, r, c, h, e, t.\nThe last letter is t.\nFinal answer: t"
    table = steps.category_table([_row("math_addition", wrong_add, ADD, False),
                                  _row("spelling_last", wrong_spell, MARKET, True)])
    add = table["math_addition"]
    assert add["first_step_exact"] == 1 and add["steps_share"] == pytest.approx(2 / 4) and add["passed"] == 0
    spell = table["spelling_last"]
    # right first and last letter, wrong length and spelling, even though the final answer passed
    assert (spell["spelled_first_letter"], spell["spelled_last_letter"]) == (1, 1)
    assert (spell["spelled_length"], spell["spelled_exact"], spell["first_step_exact"]) == (0, 0, 0)


def test_command_line_reads_a_results_file(steps, tmp_path, capsys, monkeypatch):
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps(_row("math_addition", "Final answer: 61", ADD, True)) + "\n")
    monkeypatch.setattr("sys.argv", ["scratchpad_steps.py", str(path)])
    steps.main()
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("math_addition"))
    assert line.split()[1:4] == ["1", "100%", "0%"]
