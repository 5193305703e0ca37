"""Procedural skill generators for task packs: identity, refusal, choice, math, spelling.

Every generator draws items (an operand pair, a word, a fact, a request) from a pool that is split
once and for all into a train part and a held-out eval part by a stable hash of the item, and renders
them with train-only or eval-only prompt templates, so an eval row never restates a practice row.
`STAGES` maps each curriculum stage to `(skill, generator)`; a generator takes `(rng, split, style)`.
"""

from .arithmetic import MATH_STAGES
from .behavior import BEHAVIOR_STAGES
from .choice import CHOICE_STAGES
from .common import Task
from .spelling import SPELLING_STAGES
from .spelling_copy import COPY_STAGES

STAGES = {**MATH_STAGES, **SPELLING_STAGES, **COPY_STAGES, **CHOICE_STAGES, **BEHAVIOR_STAGES}

__all__ = ["STAGES", "Task"]
