"""A result named as another number right after it is false working: "7 - 1 = 6. That is 7." passed before, because with
an expression in the reply the 7 was read as the prompt's number restated; "that" is the result just worked out, and
the reply says it is 7. The same holds in scratchpad working before a right final answer. A short reply's claim may
carry the word the prompt counts with ("6. That is 7 apples." gives 7 apples as the answer too), while a word that
relates the number ("That is 5 more.") still makes no claim. Each false form has a true twin that passes."""

from __future__ import annotations

import pytest

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "What is 7 - 1?"
STORY = "Mia has 7 apples. She eats 1. How many apples does Mia have now?"
MORE = "Mia has 1 shell. She finds 5 more shells. How many shells does she have?"
TENS = "What is 23 + 34?"


def verdict(prompt: str, reply: str, want: str, style: str = "direct") -> dict:
    row = {"id": "m", "skill": "math", "category": "math", "normalized_answer": want, "answer_style": style,
           "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)


@pytest.mark.parametrize("prompt, reply, want", [
    (PROMPT, "7 - 1 = 6. That is 7.", "6"), (PROMPT, "7 - 1 = 6, which is 7.", "6"), (PROMPT, "7 - 1 = 6. So that is 7.", "6"),
    (PROMPT, "7 - 1 = 6.\nThat is 7.", "6"), (PROMPT, "7 minus 1 is 6. That is seven.", "6"),
    (PROMPT, "7 - 1 = 6. Oh wait, that is 7.", "6"), (PROMPT, "7 - 1 = 6. That’s 7!", "6"), (PROMPT, "7 - 1 = 6. It is 1.", "6"),
    (STORY, "7 - 1 = 6. That is 7 apples.", "6"), (STORY, "She has 7 - 1 = 6 apples. That is 7.", "6"),
    (TENS, "Ones: 3 + 4 = 7. That is 8. Tens: 2 + 3 = 5. So 57.", "57"),
])
def test_a_result_named_as_another_number_fails(prompt, reply, want):
    v = verdict(prompt, reply, want)
    assert not v["passed"], reply
    assert any("false step" in f for f in v["failures"]), v["failures"]


@pytest.mark.parametrize("prompt, reply, want", [
    (PROMPT, "7 - 1 = 6. That is 7.\nFinal answer: 6", "6"),
    (STORY, "Start with 7 apples.\nTake away 1: 7 - 1 = 6, which is 7 apples.\nFinal answer: 6", "6"),
    (TENS, "Ones: 3 + 4 = 7, that is 8.\nTens: 2 + 3 = 5.\nFinal answer: 57", "57"), (TENS, "3 + 4 = 7 = 8.\n20 + 30 = 50.\nFinal answer: 57", "57"),
])
def test_a_renamed_result_fails_scratchpad_working_with_a_right_final_answer(prompt, reply, want):
    v = verdict(prompt, reply, want, "scratchpad")
    assert not v["passed"], reply
    assert any("false step" in f for f in v["failures"]), v["failures"]


@pytest.mark.parametrize("prompt, reply, want", [
    (PROMPT, "7 - 1 = 6. That is 6.", "6"), (PROMPT, "7 - 1 = 6, which is 6.", "6"), (PROMPT, "6 + 1 = 7. That is 7. So 6.", "6"),
    (PROMPT, "7 - 1 = 6. That is 7 - 1.", "6"), (PROMPT, "7 - 1 = 6. That is 1 less than 7.", "6"),
    (STORY, "7 - 1 = 6. That is 6 apples.", "6"), (STORY, "7 - 1 = 6. That is 7 apples minus 1.", "6"),
    # a column's place value and a rounded result are no renaming
    (TENS, "Tens: 2 + 3 = 5. That is 50.\nOnes: 3 + 4 = 7.\nFinal answer: 57", "57"),
    (TENS, "20 + 30 = 50, which is 5.\nFinal answer: 57", "57"), (TENS, "20 + 30 = 50. That is 5 tens.\nFinal answer: 57", "57"),
    ("What is 10 / 4?", "10 / 4 = 2.5. That is 2.5.", "2.5"),
    (PROMPT, "7 - 1 = 6. That is 7 take away 1.\nFinal answer: 6", "6"),
])
def test_a_result_named_as_itself_or_related_to_another_number_passes(prompt, reply, want):
    style = "scratchpad" if "Final answer" in reply else "direct"
    v = verdict(prompt, reply, want, style)
    assert v["passed"], (reply, v["failures"])


@pytest.mark.parametrize("reply", ["6. That is 7 apples.", "6. It is 7 apples!", "6 apples. That is 7 apples.",
                                   "6. That is 7 apple.", "6. The answer is 7 apples, sorry."])
def test_a_short_claim_with_the_prompts_counted_word_is_a_second_answer(reply):
    v = verdict(STORY, reply, "6")
    assert not v["passed"], reply
    assert any("several candidates" in f for f in v["failures"]), v["failures"]


@pytest.mark.parametrize("prompt, reply, want", [
    (STORY, "6 apples. She had 7 apples.", "6"), (STORY, "6. That is 7 apples less 1.", "6"), (STORY, "6. That is 6 apples.", "6"),
    (MORE, "6. That is 5 more.", "6"), (MORE, "6 shells. That is 5 more than 1.", "6"), (MORE, "She has 6 shells. It is 5 more shells.", "6"),
])
def test_a_prompt_number_with_a_relating_word_or_after_more_words_is_no_claim(prompt, reply, want):
    v = verdict(prompt, reply, want)
    assert v["passed"], (reply, v["failures"])
