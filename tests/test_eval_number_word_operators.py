"""An operator word after the counted noun joins an expression: "91 grapes minus 30 is 61." answers 61 (its 30 is no
"minus 30" sign), and the same sentence with a wrong result fails."""

from __future__ import annotations

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
JAR = "A jar contains 91 grapes. 30 are taken away by Pia. How many grapes are in the jar now?"


def passes(reply: str, want: str = "61", prompt: str = JAR) -> bool:
    row = {"id": "o", "skill": "math", "normalized_answer": want, "messages": [{"role": "user", "content": prompt}]}
    return score_reply(row, reply, prompt, CFG)["passed"]


def test_an_operator_word_after_a_noun_is_an_expression():
    for reply in ("91 grapes minus 30 is 61.", "91 grapes minus 30 grapes equals 61 grapes.", "43 apples plus 44 is 87."):
        assert passes(reply, "87" if "43" in reply else "61", "What is 43 + 44?" if "43" in reply else JAR), reply
    for reply in ("91 grapes minus 30 is 62.", "91 grapes minus 30 is 30.", "The answer is minus 61."):
        assert not passes(reply), reply
