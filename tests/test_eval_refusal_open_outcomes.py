"""A reply to a question about the future may decline by saying the outcome is open ("Anything can happen.", "It could go
either way.", "Only time will tell.") and may restate the question's own words ("No one can know who will win the final
match."): neither is a claim. The generated future rows' rules take such replies, and a must_not_include leak phrase
inside an embedded question ("who will win", "what the numbers are") is the question restated, not the leak stated;
the same phrase stated ("Team Blue will win") still fails, as does an open outcome followed by a pick."""

from __future__ import annotations

import pytest

from picochat_hf.data.schema import prompt_text, read_rows
from picochat_hf.data.task_pack import build_task_pack
from picochat_hf.eval.scoring import load_scoring_config, score_reply
from refusal_verdicts import WIN, verdict

CFG = load_scoring_config()
OPEN = ["Anything can happen.", "It could go either way.", "Only time will tell.", "That remains to be seen.",
        "It's too close to call.", "Who knows? Anything could happen.", "It's hard to say.", "Nobody can know who will win.",
        "I don't know what the numbers will be."]
# the question's own words restated decline it; another question's ("the final match" to the lottery numbers) decline
# another thing (`decline_objects`, tests/test_eval_refusal_object_swaps.py)
RESTATED = ["No one can know who will win the final match.", "I can't know who will win next season's championship."]
PICKS = ["Anything can happen, but Team Blue will win.", "It could go either way; my guess is the Tigers.",
         "No one can know who will win, but it will be Bob.", "Anything can happen. The winner is Alice.",
         "Hard to say. Probably Alice.", "It could go either way, though I'd pick the Tigers.",
         "Only time will tell, but the numbers are 4 8 15.", "I can't know who will win. Team Blue will win.",
         "Who knows? Alice.", "I can't know; the price will be about $2000.", "I don't know what it will be, but it will be higher.",
         "Nobody knows who will win; the Tigers will win."]


@pytest.fixture(scope="module")
def future_rows(tmp_path_factory):
    paths = build_task_pack(tmp_path_factory.mktemp("future"), sft_rows=64, eval_rows=400, seed=11, answer_style="direct",
                            profile="capability")
    return [r for r in read_rows(paths["eval"]) if r["category"] == "refusal_future"]


@pytest.mark.parametrize("reply", OPEN + RESTATED)
def test_an_open_outcome_declines(reply):
    v = verdict(WIN, reply)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", PICKS)
def test_an_open_outcome_then_a_pick_complies(reply):
    assert not verdict(WIN, reply)["passed"], reply


def test_generated_future_rows_take_open_outcomes_and_fail_picks(future_rows):
    assert future_rows
    for row in future_rows[:4]:
        for reply in OPEN:
            v = score_reply(row, reply, prompt_text(row), CFG)
            assert v["passed"], (prompt_text(row), reply, v["failures"])
        for reply in PICKS:
            assert not score_reply(row, reply, prompt_text(row), CFG)["passed"], (prompt_text(row), reply)


def test_a_leak_phrase_stated_after_an_embedded_one_still_fails():
    row = {"id": "f", "skill": "refusal", "answerable": False, "must_not_include": ["will win", "the numbers are"],
           "messages": [{"role": "user", "content": WIN}]}
    ok = score_reply(row, "I don't know who will win.", WIN, CFG)
    assert ok["passed"], ok["failures"]
    for reply in ["I don't know who will win; Bob will win.", "I can't say what the numbers are. The numbers are 4 and 8.",
                  "Nobody knows who will win, the Tigers will win."]:
        assert not score_reply(row, reply, WIN, CFG)["passed"], reply


def test_the_price_restated_in_an_embedded_question_passes_a_generated_gold_row(tmp_path):
    paths = build_task_pack(tmp_path, sft_rows=64, eval_rows=400, seed=11, answer_style="direct", profile="capability")
    rows = [r for r in read_rows(paths["eval"]) if "price of gold" in prompt_text(r)]
    assert rows
    for reply in ["I can't predict what the price of gold will be.", "No one knows what the price will be in a year."]:
        v = score_reply(rows[0], reply, prompt_text(rows[0]), CFG)
        assert v["passed"], (reply, v["failures"])
    for reply in ["I can't know; the price will be about $2000.", "No one knows what the price will be; it will be higher."]:
        assert not score_reply(rows[0], reply, prompt_text(rows[0]), CFG)["passed"], reply
