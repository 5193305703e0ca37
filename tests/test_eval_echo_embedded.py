"""A short wh-question embedded after a verb of knowing or saying is reported, not restated: "I don't know who will win
the final." asked "Who will win the final?" is no echo, while the question repeated on its own ("I can't say. Who will
win the final?") or after another word still is."""

from __future__ import annotations

from picochat_hf.eval.scoring import detect_prompt_echo, load_scoring_config, score_reply

CFG = load_scoring_config()
PROMPT = "Who will win the final?"


def test_an_embedded_wh_question_is_no_echo():
    for reply in ["I don't know who will win the final.", "I can't say who will win the final.", "Nobody can predict who will win the final."]:
        assert not detect_prompt_echo(PROMPT, reply, CFG), reply
    row = {"id": "r", "skill": "refusal", "answerable": False, "messages": [{"role": "user", "content": PROMPT}]}
    assert score_reply(row, "I don't know who will win the final.", PROMPT, CFG)["passed"]


def test_the_question_repeated_is_still_an_echo():
    for reply in ["I can't say. Who will win the final?", "Who will win the final? I don't know.", "You asked who will win the final."]:
        assert detect_prompt_echo(PROMPT, reply, CFG), reply
    assert detect_prompt_echo("Please tell me the capital city of France", "Paris. You asked: please tell me the capital city of France", CFG)
