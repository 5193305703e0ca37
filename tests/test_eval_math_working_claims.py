"""A scratchpad's working that gives another result than its final answer fails: "That gives 16.\nFinal answer: 6"
passed (the answer judge reads the final line only, and the working checks knew only labelled results such as "the sum
is 58"), while the same sentence alone fails a direct row. A restated step, a number of the prompt and a column's place
value are the working's own numbers and pass. A guess, a hope or a doubt about the answer hedges it ("57 is my best
guess.", "57 if my math is right."), while a courtesy closing ("I hope this helps!") does not."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
STORY = "A shelf holds 84 buttons. Olive removes 78 of them. How many buttons stay on the shelf?"
SUM = "How much is 23 + 34?"
PRODUCT = "How much is 7 * 8?"
COLUMNS = "Add 23 and 34 column by column.\nOnes: 3 + 4 = 7, write 7.\nTens: 2 + 3 = 5, write 5.\n"
COUNT = "Count by 8, 7 times: 8, 16, 24, 32, 40, 48, 56.\n"


def verdict(prompt: str, reply: str, want: str, style: str) -> dict:
    row = {"id": "m", "skill": "math", "category": "math", "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("prompt, reply, want", [
    (STORY, "That gives 16.\nFinal answer: 6", "6"), (STORY, "Start with 84 and take away 78.\nThat gives 16 buttons.\nFinal answer: 6", "6"),
    (SUM, COLUMNS + "So it is 58.\nFinal answer: 57", "57"), (SUM, COLUMNS + "So 58.\nFinal answer: 57", "57"),
    (SUM, COLUMNS + "58.\nFinal answer: 57", "57"), (SUM, "I think it is 58.\n" + COLUMNS + "So 23 + 34 = 57.\nFinal answer: 57", "57"),
    (SUM, "Maybe 58?\n" + COLUMNS + "Final answer: 57", "57"), (SUM, COLUMNS + "That makes fifty-eight.\nFinal answer: 57", "57"),
    (SUM, COLUMNS + "Oh wait, we have 58.\nFinal answer: 57", "57"), (SUM, "My first guess was 58.\n" + COLUMNS + "Final answer: 57", "57"),
    (PRODUCT, COUNT + "We get 64.\nFinal answer: 56", "56"), (PRODUCT, COUNT + "The number is 64.\nFinal answer: 56", "56"),
])
def test_working_that_gives_another_result_fails(prompt, reply, want):
    v = verdict(prompt, reply, want, "scratchpad")
    assert not v["passed"], reply
    assert any("another result than its answer" in f for f in v["failures"]), v["failures"]


@pytest.mark.parametrize("prompt, reply, want", [
    (STORY, "84 - 78 gives 6.\nFinal answer: 6", "6"), (STORY, "Start with 84 buttons and take away 78.\nThat gives 6 buttons.\nFinal answer: 6", "6"),
    (STORY, "The shelf starts with 84. That is 84.\n84 - 78 = 6.\nFinal answer: 6", "6"),
    (SUM, COLUMNS + "That gives 57.\nFinal answer: 57", "57"), (SUM, COLUMNS + "So 57.\nFinal answer: 57", "57"),
    (SUM, "Ones: 3 + 4 = 7. That gives 7.\nTens: 2 + 3 = 5.\nFinal answer: 57", "57"),
    (SUM, "Tens: 2 + 3 = 5. That is 50.\nOnes: 3 + 4 = 7.\nFinal answer: 57", "57"),
    (PRODUCT, COUNT + "We get 56.\nFinal answer: 56", "56"), (PRODUCT, COUNT + "So 7 * 8 = 56.\nFinal answer: 56", "56"),
    ("What is 10 / 4?", "10 / 4 = 2.5.\nThat is 2.5.\nFinal answer: 2.5", "2.5"),
])
def test_working_that_restates_its_own_numbers_passes(prompt, reply, want):
    v = verdict(prompt, reply, want, "scratchpad")
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", [
    "57 is my best guess.", "57, though I might have made a mistake.", "57 if my math is right.", "57, if I added right.",
    "57, I hope so.", "57... or is it?", "My guess: 57.", "57, hopefully correct.", "57 (guessing).", "57, I hope.", "Hopefully 57.",
])
def test_a_guess_hope_or_doubt_hedges_the_answer(reply):
    v = verdict(SUM, reply, "57", "direct")
    assert not v["passed"], reply
    assert any("hedged" in f for f in v["failures"]), v["failures"]
    scratch = verdict(SUM, COLUMNS + f"Final answer: {reply}", "57", "scratchpad")
    assert not scratch["passed"], reply


@pytest.mark.parametrize("reply, style", [
    ("57", "direct"), ("The answer is 57.", "direct"), ("57, not 58.", "direct"), ("57. I hope this helps!", "direct"),
    ("57. Hopefully this helps.", "direct"), (COLUMNS + "Final answer: 57\nHopefully this helps!", "scratchpad"),
    (COLUMNS + "Final answer: 57\nI hope this helps!", "scratchpad"), ("57. I hope you have a nice day.", "direct"),
    ("57. Hope that helps!", "direct"),
])
def test_a_courtesy_closing_is_no_hedge(reply, style):
    v = verdict(SUM, reply, "57", style)
    assert v["passed"], (reply, v["failures"])
