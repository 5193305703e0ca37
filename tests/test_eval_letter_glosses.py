"""A letter glossed with its own option's text ("A is Lima") explains the options; it chooses only when nothing else is chosen."""

from __future__ import annotations

from picochat_hf.data.schema import prompt_text
from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
CAPITAL = {"id": "c", "skill": "choice", "category": "choice", "correct_choice": "B", "choices": ["Lima", "Paris", "Rome"],
           "messages": [{"role": "user", "content": "What is the capital of France?\n\nA. Lima\nB. Paris\nC. Rome"}]}


def passes(row: dict, reply: str) -> bool:
    return score_reply(row, reply, prompt_text(row), CFG)["passed"]


def test_a_glossed_other_letter_beside_the_choice_is_an_explanation():
    for reply in ["B. A is Lima, which is in Peru.", "B. A is Lima and C is Rome.", "A is Lima, so the answer is B.",
                  "The answer is B. A = Lima is in Peru.", "B is Paris.", "B", "B) Paris"]:
        assert passes(CAPITAL, reply), (reply, score_reply(CAPITAL, reply, prompt_text(CAPITAL), CFG)["failures"])
    for reply in ["A. B is Paris.", "B is Paris. A.", "B. A is Paris.", "A is Lima. B is Paris.", "A is Lima.", "B. A is Lima, or C.",
                  "B. A is Rome.", "B. A is Lima. C."]:
        assert not passes(CAPITAL, reply), reply
    gold_a = {**CAPITAL, "correct_choice": "A", "messages": [{"role": "user", "content": "What is the capital of Peru?\n\nA. Lima\nB. Paris\nC. Rome"}]}
    assert passes(gold_a, "A is Lima.") and passes(gold_a, "A. B is Paris, in France.") and not passes(gold_a, "B. A is Lima.")
