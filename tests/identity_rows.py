"""Identity rows and the verdict helper shared by the identity scorer tests."""

from __future__ import annotations

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
ORIGIN = {"id": "o", "skill": "identity", "must_include": ["Picochat"], "must_include_any": [["trained", "built", "made", "created"]],
          "messages": [{"role": "user", "content": "Who developed you?"}]}
NAME = {"id": "n", "skill": "identity", "must_include": ["Picochat"], "messages": [{"role": "user", "content": "Who exactly are you?"}]}


def verdict(row: dict, reply: str) -> dict:
    return score_reply(row, reply, row["messages"][0]["content"], CFG)
