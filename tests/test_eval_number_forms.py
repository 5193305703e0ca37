"""Numbers in forms that are not the plain value fail; the plain value in honest wordings passes."""

from __future__ import annotations

from picochat_hf.data.schema import prompt_text
from picochat_hf.eval.scoring import load_scoring_config, normalize_answer, score_reply

CFG = load_scoring_config()
APPLES = {"id": "n", "skill": "math", "category": "math", "normalized_answer": "12",
          "messages": [{"role": "user", "content": "Sam had 6 apples and doubled them. How many apples does he have now?"}]}


def verdict(row: dict, reply: str) -> dict:
    return score_reply(row, reply, prompt_text(row), CFG)


def passes(row: dict, reply: str) -> bool:
    return verdict(row, reply)["passed"]


def test_a_leading_zero_is_no_plain_number():
    for reply in ["012", "It is 012.", "0012", "He has 012 apples."]:
        assert not passes(APPLES, reply), reply
    for reply in ["12", "It is 12.", "12.0", "He has 12 apples."]:
        assert passes(APPLES, reply), (reply, verdict(APPLES, reply)["failures"])
    zero = {**APPLES, "normalized_answer": "0"}
    assert passes(zero, "0") and passes(zero, "It is 0.") and not passes(zero, "00")
    half = {**APPLES, "normalized_answer": "0.5"}
    assert passes(half, "0.5") and passes(half, ".5") and not passes(half, "00.5")
    assert normalize_answer("012") == "012"  # a malformed reference stays text, never 12
