"""Copy-teaching rows: a curriculum from copying a word to spelling it (the `capability_train_copy` SFT profile).

The default demo's model never spells a held-out word right: its spelled-out words are plausible letter strings,
not the prompt's word. These rows teach the pieces one at a time, on the spelling stages' TRAINING words only
(`spelling.word_pool()["train"]`; an eval word never enters):

- `spelling_copy_repeat`: copy the word ("Repeat: lantern" -> "lantern");
- `spelling_copy_spaced`: the word arrives already spaced, so spelling it is copying letters
  ("Spell: l a n t e r n" -> "Spell it out: l, a, n, t, e, r, n." then the joined word);
- `spelling_copy_spell`: the same answer from the plain word ("Spell: lantern"), the step the eval rows need.

The answers use the spelling scratchpad's first line ("Spell it out: ..."), so what is copied here is the line the
eval's spelling rows are scored on. Templates are data (`spelling_copy.yaml`). There is no eval split: asked for
one, a generator raises.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

from .common import Task, final_answer_rules
from .spelling import _spell, word_pool

COPY_YAML = Path(__file__).with_name("spelling_copy.yaml")
MODES = ("repeat", "spell_spaced", "spell")
# the curriculum's levels; not `spelling_*`, the prefix of the stages that have an eval split
COPY_STAGE_NAMES = {"repeat": "copy_l0_repeat", "spell_spaced": "copy_l1_spell_spaced", "spell": "copy_l2_spell"}


@lru_cache(maxsize=1)
def copy_templates() -> dict[str, list[str]]:
    """The prompt templates of `spelling_copy.yaml`, one non-empty list per mode."""
    from ...utils.errors import PicochatInputError
    from ...utils.io import read_yaml_mapping

    spec = read_yaml_mapping(COPY_YAML, "copy-teaching prompt templates")
    for mode in MODES:
        if not isinstance(spec.get(mode), list) or not spec[mode]:
            raise PicochatInputError("must be a non-empty list of templates", path=COPY_YAML, field=mode)
    return {mode: [str(t) for t in spec[mode]] for mode in MODES}


def copy_task(mode: str, word: str, template: str) -> Task:
    """One copy-teaching row for a training word."""
    prompt = template.format(word=word, spaced=" ".join(word))
    if mode == "repeat":
        answer, final = word, word
        rules = final_answer_rules(word, "direct")
    else:
        final = word
        answer = f"Spell it out: {_spell(word)}.\nFinal answer: {word}"
        rules = final_answer_rules(word, "scratchpad", scratch_max_words=40 + 2 * len(word))
    return Task(skill="spelling", category=f"spelling_copy_{mode}", stage=COPY_STAGE_NAMES[mode],
                group=f"spelling:{word}", prompt=prompt, answer=answer, rules=rules,
                problem={"mode": f"copy_{mode}", "word": word, "letter": None, "result": final},
                answer_style="direct" if mode == "repeat" else "scratchpad")


def _gen(mode: str):
    def gen(rng: random.Random, split: str, style: str) -> Task:  # noqa: ARG001 - the answer form is the mode's
        if split != "train":
            raise ValueError(f"copy-teaching rows are SFT rows only; no {split} split")
        word = rng.choice(word_pool()["train"])
        return copy_task(mode, word, rng.choice(copy_templates()[mode]))

    return gen


COPY_STAGES = {COPY_STAGE_NAMES[mode]: ("spelling_copy", _gen(mode)) for mode in MODES}
