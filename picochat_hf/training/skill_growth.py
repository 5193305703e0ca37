"""Skill growth during SFT: a small fixed subset of eval rows, scored at several optimizer steps.

`SkillGrowthCallback` takes the first `rows_per_skill` rows of each skill from an eval-rows file (the file
order is fixed by the task pack's seed, so the subset is the same for every run of a recipe), and at each
of `points` evenly spaced steps (the last step included) puts the model in eval mode, judges greedy
replies with the same rule engine as the chat eval (`eval.rows_eval.evaluate_rows`: letter logits for
choice rows, generation + rules for the rest), and appends one JSON line to `skill_growth.jsonl`:

    {"step": 120, "n": 40, "passed": 17, "pass_rate": 0.425, "seconds": 3.1,
     "by_skill": {"math": {"n": 8, "passed": 3, "pass_rate": 0.375}, ...}}

The scores only observe training: nothing is selected or stopped by them, and the rows never enter the
training data. The lines are what the run report plots next to the loss curves.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

GROWTH_FILE = "skill_growth.jsonl"


def growth_subset(rows: list[dict], rows_per_skill: int) -> list[dict]:
    """The first `rows_per_skill` rows of every skill, in file order."""
    taken: dict[str, int] = {}
    out = []
    for row in rows:
        skill = str(row.get("skill") or "unspecified")
        if taken.get(skill, 0) < rows_per_skill:
            taken[skill] = taken.get(skill, 0) + 1
            out.append(row)
    return out


def growth_steps(max_steps: int, points: int) -> list[int]:
    """`points` evenly spaced optimizer steps in 1..max_steps, the last one included."""
    if max_steps < 1 or points < 1:
        return []
    return sorted({max(1, round(max_steps * k / points)) for k in range(1, points + 1)})


class SkillGrowthCallback(TrainerCallback):
    """Scores `rows` at `steps` and appends one line per step to `path` (see the module docstring)."""

    def __init__(self, rows: list[dict], tokenizer: Any, path: str | Path, steps: list[int], *,
                 max_new_tokens: int = 160, batch_size: int = 32, context: int | None = None,
                 source: str | None = None, points: int | None = None) -> None:
        from ..eval.model_io import encode_row_prompt
        from ..eval.rows_eval import check_reply_room, is_choice_row
        from ..eval.scoring import check_row_rules

        for i, row in enumerate(rows):
            check_row_rules(row, path="skill-growth rows", line=i + 1)
        # checked before training starts, not at the first growth step after minutes of training
        generated = [r for r in rows if not is_choice_row(r)]
        check_reply_room(context, [encode_row_prompt(tokenizer, r) for r in generated], generated, max_new_tokens,
                         field="growth_max_new_tokens", path=source)
        self.rows, self.tokenizer, self.path = rows, tokenizer, Path(path)
        self.steps = set(steps)
        self.points = points  # a run set by epochs learns its length at train begin (`on_train_begin`)
        self.max_new_tokens, self.batch_size = max_new_tokens, batch_size
        self.scored: set[int] = set()

    @classmethod
    def from_file(cls, rows_path: str | Path, tokenizer: Any, out_dir: str | Path, max_steps: int, *, points: int = 5,
                  rows_per_skill: int = 8, max_new_tokens: int = 160, batch_size: int = 32,
                  context: int | None = None) -> SkillGrowthCallback:
        from ..data.schema import read_rows

        rows = growth_subset(read_rows(rows_path, split="eval"), rows_per_skill)
        return cls(rows, tokenizer, Path(out_dir) / GROWTH_FILE, growth_steps(max_steps, points),
                   max_new_tokens=max_new_tokens, batch_size=batch_size, context=context, source=str(rows_path),
                   points=points)

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not self.steps and self.points and getattr(state, "max_steps", 0) > 0:
            self.steps = set(growth_steps(int(state.max_steps), self.points))  # num_train_epochs: now counted
        if state.is_world_process_zero and state.global_step == 0:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text("", encoding="utf-8")

    def on_step_end(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        step = int(state.global_step)
        if state.is_world_process_zero and model is not None and step in self.steps and step not in self.scored:
            self.score(model, step)

    def score(self, model: Any, step: int) -> dict[str, Any]:
        """Judge the subset with `model` now; append and return the line."""
        from ..eval.model_io import LoadedModel
        from ..eval.rows_eval import evaluate_rows
        from ..eval.scoring import default_scoring_config

        start = time.perf_counter()
        was_training = model.training
        model.eval()
        try:
            device = str(next(model.parameters()).device)
            loaded = LoadedModel(model, self.tokenizer, "<training>", "<training>", device, "as trained")
            results = evaluate_rows(loaded, self.rows, default_scoring_config(), max_new_tokens=self.max_new_tokens,
                                    batch_size=self.batch_size, progress=False)
        finally:
            model.train(was_training)
        by_skill: dict[str, dict[str, Any]] = {}
        for res in results:
            s = by_skill.setdefault(res["skill"], {"n": 0, "passed": 0})
            s["n"] += 1
            s["passed"] += int(res["passed"])
        for s in by_skill.values():
            s["pass_rate"] = s["passed"] / s["n"]
        passed = sum(s["passed"] for s in by_skill.values())
        line = {"step": step, "n": len(results), "passed": passed, "pass_rate": passed / max(1, len(results)),
                "seconds": round(time.perf_counter() - start, 2), "by_skill": dict(sorted(by_skill.items()))}
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")
        self.scored.add(step)
        return line


def read_growth(path: str | Path) -> list[dict]:
    """The lines of a `skill_growth.jsonl` (empty when the file is missing)."""
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
