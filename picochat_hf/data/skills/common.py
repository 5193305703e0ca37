"""Shared pieces of the skill generators: the train/eval item split and the task record."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import xxhash

EVAL_SHARE = 5  # one item in five is held out for eval


def item_split(key: str) -> str:
    """'eval' or 'train' for an item, fixed by a stable hash of its key (independent of seeds)."""
    return "eval" if xxhash.xxh64_intdigest(key.encode("utf-8")) % EVAL_SHARE == 0 else "train"


def split_pool(items, key=str) -> dict[str, list]:
    out: dict[str, list] = {"train": [], "eval": []}
    for item in items:
        out[item_split(key(item))].append(item)
    return out


def pick_template(rng: random.Random, templates: dict[str, list[str]], split: str) -> str:
    return rng.choice(templates[split])


@dataclass
class Task:
    """One generated exchange plus everything a scorer and a report need."""

    skill: str
    category: str
    stage: str
    group: str
    prompt: str
    answer: str
    rules: dict[str, Any] = field(default_factory=dict)
    problem: dict[str, Any] = field(default_factory=dict)
    answer_style: str = "direct"
    answerable: bool = True


def final_answer_rules(answer: str, style: str, *, direct_max_words: int = 24, scratch_max_words: int = 90) -> dict:
    """Rules for skills with one exact final answer (math, spelling)."""
    from ...eval.answers import normalize_answer

    if style == "scratchpad":
        return {"must_include": ["Final answer:"], "normalized_answer": normalize_answer(answer),
                "max_words": scratch_max_words, "reference_answer": answer}
    return {"normalized_answer": normalize_answer(answer), "max_words": direct_max_words, "reference_answer": answer}
