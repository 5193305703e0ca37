"""A multiple-choice eval row as the task pack writes it, and the scorer's failures for a reply to it."""

from __future__ import annotations

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()


def choice_row(question: str, choices: list[str], key: str,
               instruction: str = "Select the best option and reply with its letter.") -> tuple[dict, str]:
    """(row, prompt): the question, the lettered options and the instruction line."""
    prompt = question + "\n" + "\n".join(f"{'ABCD'[k]}. {c}" for k, c in enumerate(choices)) + "\n" + instruction
    return {"id": "c", "skill": "choice", "correct_choice": key, "choices": choices, "max_words": 30, "must_include": [key],
            "messages": [{"role": "user", "content": prompt}]}, prompt


def failures(row: tuple[dict, str], reply: str) -> list[str]:
    return score_reply(row[0], reply, row[1], CFG)["failures"]
