"""The one train / held-out split of an SFT curriculum, shared by training and held-out fit.

Rows are split by `group` when every row has one (so paraphrases of one item never straddle the split),
otherwise by `id`. Keys are sorted, shuffled with `random.Random(seed)` and the first
`round(heldout_fraction * n_keys)` keys (at least one when there are two or more) go to held-out. The result
depends only on the set of keys, the fraction and the seed, never on row order.
"""

from __future__ import annotations

import random

from ..utils.setting_names import old_keywords

DEFAULT_VAL_FRACTION = 0.1
DEFAULT_SPLIT_SEED = 0


def split_key(rows: list[dict]) -> str:
    """'group' when every row has a non-empty group, else 'id'."""
    return "group" if rows and all(isinstance(r.get("group"), str) and r["group"] for r in rows) else "id"


@old_keywords("eval sft-fit")
def split_train_heldout(
    rows: list[dict], heldout_fraction: float = DEFAULT_VAL_FRACTION, seed: int = DEFAULT_SPLIT_SEED
) -> tuple[list[dict], list[dict]]:
    """Deterministic (train, heldout) split; both keep the input order."""
    if not 0.0 <= heldout_fraction < 1.0:
        raise ValueError(f"heldout_fraction must be in [0, 1), got {heldout_fraction}")
    key = split_key(rows)
    keys = sorted({str(r[key]) for r in rows})
    n_val = round(heldout_fraction * len(keys))
    if heldout_fraction > 0 and n_val == 0 and len(keys) >= 2:
        n_val = 1
    rng = random.Random(seed)
    rng.shuffle(keys)
    heldout_keys = set(keys[:n_val])
    train = [r for r in rows if str(r[key]) not in heldout_keys]
    heldout = [r for r in rows if str(r[key]) in heldout_keys]
    return train, heldout
