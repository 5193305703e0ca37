"""Task text for base pretraining: spelled-out words, letter tallies, reversals and column-method sums drawn from
the TRAINING pools of the spelling and math stages (`DemoConfig.base_task_text`).

At this model size the base stage reads the Python docs and learns nothing about the letters inside its BPE tokens,
so SFT must teach them and the answer formats at once. Mixing these lines into pretraining shows the model each
training word's letters and the scratchpads' working first. Eval items never enter: words come from
`spelling.word_pool()["train"]`, operand pairs from each math stage's train pool minus `eval_problems` (a pair
another stage holds out), and the lines never state a held-out word or problem: a training sum whose working
has a held-out problem in a column ("borrow 1: 15 - 8 = 7" for 755 - 283, with 15 - 8 held out) is left out, since
the honesty scan blocks on a held-out expression with its answer anywhere in the corpus (SFT scratchpads keep them).
Line kinds, their weights and formats are data (`task_text.yaml`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from .arithmetic import POOL_OPS, _pool, _scratch, eval_problems
from .spelling import _count, _spell, _tally, word_pool

TASK_TEXT_YAML = Path(__file__).with_name("task_text.yaml")


@lru_cache(maxsize=1)
def task_text_spec() -> dict[str, Any]:
    """The line kinds, weights and formats of `task_text.yaml` (read and checked once)."""
    from ...utils.errors import PicochatInputError
    from ...utils.io import read_yaml_mapping

    spec = read_yaml_mapping(TASK_TEXT_YAML, "task-text kinds and formats")
    for key in ("lines_per_document", "kinds", "formats", "math_stages"):
        if key not in spec:
            raise PicochatInputError("missing", path=TASK_TEXT_YAML, field=key)
    for kind in spec["kinds"]:
        if kind not in spec["formats"]:
            raise PicochatInputError(f"kind {kind!r} has no format", path=TASK_TEXT_YAML, field=f"formats.{kind}")
    for stage in spec["math_stages"]:
        if stage not in POOL_OPS or stage == "story":
            raise PicochatInputError(f"unknown math pool {stage!r}; known: {', '.join(p for p in POOL_OPS if p != 'story')}",
                                     path=TASK_TEXT_YAML, field=f"math_stages.{stage}")
    return spec


@lru_cache(maxsize=None)
def train_pairs(stage: str) -> tuple[tuple[int, int], ...]:
    """`stage`'s training operand pairs that no stage holds out for eval (what SFT rows may draw)."""
    held = eval_problems(POOL_OPS[stage])
    return tuple(p for p in _pool(stage)["train"] if p not in held)


def _spelling_line(kind: str, fmt: str, rng: random.Random) -> str:
    word = rng.choice(word_pool()["train"])
    letter, count = _count(rng, word)
    return fmt.format(word=word, comma=_spell(word), spaced=" ".join(word), reversed=_spell(word[::-1]),
                      first=word[0], last=word[-1], letter=letter, tally=_tally(word, letter), count=count)


EXPRESSION = re.compile(r"(?=(?<!\d)(\d+) ([+*-]) (\d+)(?!\d))")  # every "x op y", overlapping ones too


def states_held_out(text: str) -> bool:
    """Whether any "x op y" in `text` is a problem some stage holds out for eval."""
    return any((int(x), int(y)) in eval_problems(op) for x, op, y in EXPRESSION.findall(text))


def _math_line(fmt: str, rng: random.Random, stages: dict[str, float]) -> str:
    while True:
        stage = rng.choices(list(stages), weights=list(stages.values()))[0]
        a, b = rng.choice(train_pairs(stage))
        op = POOL_OPS[stage]
        result = {"+": a + b, "-": a - b, "*": a * b}[op]
        line = fmt.format(a=a, sym=op, b=b, working=" ".join(_scratch(op, a, b, result).splitlines()))
        if not states_held_out(line):
            return line


def task_text_lines(rng: random.Random) -> Iterator[str]:
    """An endless stream of task-text lines, kinds drawn by their weights."""
    spec = task_text_spec()
    kinds, weights = list(spec["kinds"]), list(spec["kinds"].values())
    while True:
        kind = rng.choices(kinds, weights=weights)[0]
        fmt = spec["formats"][kind]
        yield _math_line(fmt, rng, spec["math_stages"]) if kind == "math" else _spelling_line(kind, fmt, rng)


def task_text_documents(target_tokens: int, count_tokens: Callable[[str], int], seed: int) -> list[str]:
    """Documents of `lines_per_document` task-text lines until they hold `target_tokens` tokens (as `count_tokens`
    counts them); deterministic for a seed."""
    per_doc = int(task_text_spec()["lines_per_document"])
    lines = task_text_lines(random.Random(f"task_text:{seed}"))
    docs: list[str] = []
    total = 0
    while total < target_tokens:
        doc = "\n".join(next(lines) for _ in range(per_doc))
        docs.append(doc)
        total += count_tokens(doc)
    return docs
