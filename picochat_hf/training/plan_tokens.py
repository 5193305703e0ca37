"""The tokens a run plans to train on, counted the way its train report will count them.

`planned_tokens` is steps x tokens per step: packed slots, padding included. The release gate judges the base run on
the tokens it trained on (`utils.trained_tokens`: real tokens for plain text, supervised tokens for data with masks),
so a preflight judging slots passed plans whose run the release gate then blocked (a 10-token document packed into a
64-token row counted 64). The plan now also carries `planned_trained_tokens`: the sampler (or the shard stream)
replayed over the planned steps, exactly as `build_train_report` replays it after the run, and the preflight's token
budget reads that count. Base runs only: an SFT run's budget is its base run's trained tokens (its train report).
"""

from __future__ import annotations

from typing import Any

from ..utils.trained_tokens import trained_count
from .common import plan_totals, supervised_counts

PLANNED_FIELD = "planned_trained_tokens"
PLANNED_COUNTED_FIELD = "planned_trained_counted"


def _batches(trainer: Any, steps: int) -> int:
    args = trainer.args
    return steps * int(args.gradient_accumulation_steps) * int(args.world_size)


def planned_rows(trainer: Any, steps: int | None) -> int:
    """Rows a run of `steps` optimizer steps reads (every rank together)."""
    return _batches(trainer, steps) * int(trainer._train_batch_size) if steps else 0


def planned_in_memory(trainer: Any, steps: int | None, *, sampling: str, masked: bool) -> dict[str, Any]:
    """{planned_trained_tokens, planned_trained_counted} of a run on an in-memory dataset: the batch sampler the
    report replays, replayed over the planned steps; nothing when the step count is unknown."""
    if not steps:
        return {}
    sampler = trainer.make_batch_sampler(trainer.train_dataset, trainer.train_categories, rows=trainer._train_batch_size,
                                         sampling=sampling)
    done = plan_totals(sampler, _batches(trainer, steps), supervised_counts(trainer.train_dataset))
    tokens, counted = trained_count(done, masked=masked)
    return {PLANNED_FIELD: tokens, PLANNED_COUNTED_FIELD: counted}


def planned_streamed(stream: Any, rows: int) -> dict[str, Any]:
    """The same for a shard stream: its plan replayed over the planned `rows` (offsets only), as `_streamed_done`
    does; nothing when no rows are planned."""
    from .stream import stream_totals

    if rows <= 0:
        return {}
    totals = stream_totals(stream, rows)
    done = {"real_tokens": totals["real_tokens"], "supervised_tokens": totals["supervised_tokens"]}
    tokens, counted = trained_count(done, masked=any(stream.is_conversation(k) for k in range(len(stream.shards))))
    return {PLANNED_FIELD: tokens, PLANNED_COUNTED_FIELD: counted}
