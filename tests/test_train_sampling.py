"""Category sampling follows its law; the packed batch sampler is deterministic and shards cleanly across ranks."""

from __future__ import annotations

import math
from collections import Counter

import pytest
import torch
from accelerate.data_loader import BatchSamplerShard
from scipy.stats import chisquare

from picochat_hf.training.sampling import PackedBatchSampler, category_probabilities, index_stream, row_weights

SIZES = {"big": 400, "mid": 100, "small": 25}
CATS = [c for c, n in SIZES.items() for _ in range(n)]


@pytest.mark.parametrize("mode", ["category_sqrt", "category_balanced"])
def test_category_frequencies_follow_the_law(mode):
    probs = category_probabilities(CATS, mode)
    if mode == "category_sqrt":
        total = sum(math.sqrt(n) for n in SIZES.values())
        assert probs == pytest.approx({c: math.sqrt(n) / total for c, n in SIZES.items()})
    else:
        assert probs == pytest.approx({c: 1 / 3 for c in SIZES})
    gen = torch.Generator().manual_seed(1234)
    stream = index_stream(len(CATS), mode, gen, row_weights(CATS, mode))
    draws = 20000
    counts = Counter(CATS[next(stream)] for _ in range(draws))
    observed = [counts[c] for c in sorted(SIZES)]
    expected = [probs[c] * draws for c in sorted(SIZES)]
    assert chisquare(observed, expected).pvalue > 0.01
    # and it is clearly not proportional sampling
    proportional = [SIZES[c] / len(CATS) * draws for c in sorted(SIZES)]
    assert chisquare(observed, proportional).pvalue < 1e-6


def test_rows_within_a_category_are_uniform():
    gen = torch.Generator().manual_seed(7)
    stream = index_stream(len(CATS), "category_sqrt", gen, row_weights(CATS, "category_sqrt"))
    small = [i for i in (next(stream) for _ in range(20000)) if CATS[i] == "small"]
    counts = Counter(small)
    observed = [counts[i] for i in range(500, 525)]
    assert chisquare(observed).pvalue > 0.01


def _sampler(seed=0, sampling="category_sqrt", packing="bos_bestfit"):
    g = torch.Generator().manual_seed(99)
    lengths = torch.randint(5, 60, (len(CATS),), generator=g).tolist()
    return PackedBatchSampler(lengths, CATS, seq_len=64, rows_per_batch=4, packing=packing, sampling=sampling, seed=seed)


def test_batches_fit_rows_and_are_seeded_by_seed_plus_epoch():
    s = _sampler()
    first = list(s)
    for batch in first:
        assert len(batch) <= 4
        for row in batch:
            assert sum(s.lengths[i] for i in row) <= 64
    assert list(_sampler()) == first  # same seed, same epoch: identical
    s.set_epoch(1)
    second = list(s)
    assert second != first and len(second) == len(first)  # new order, same number of batches
    k = min(len(second), 20)  # seed 1 at epoch 0 draws what seed 0 draws at epoch 1 (seed + epoch)
    assert list(_sampler(seed=1))[:k] == second[:k]


def test_uniform_sampling_sees_every_row_once_per_pass():
    s = _sampler(sampling="uniform", packing="none")
    seen = [i for batch in s for row in batch for i in row]
    # 525 rows in batches of 4: the last batch tops up from the next pass
    assert len(seen) == 4 * math.ceil(len(CATS) / 4)
    assert sorted(seen[: len(CATS)]) == list(range(len(CATS)))


def test_ddp_shards_are_disjoint_and_cover_the_shared_order():
    world = 2
    full = list(_sampler())
    shards = [list(BatchSamplerShard(_sampler(), num_processes=world, process_index=r, even_batches=False)) for r in range(world)]
    assert shards[0] != shards[1]
    for r in range(world):
        assert shards[r] == full[r::world]  # every rank computes the same order and takes its slice


def test_plan_crosses_epochs_like_the_trainer():
    s = _sampler()
    n = len(s)
    plan = list(s.plan(n + 3))
    assert plan[:n] == list(s)
    s.set_epoch(1)
    assert plan[n:] == list(s)[:3]
    draws = s.category_draws(n)
    assert sum(draws.values()) == sum(len(row) for batch in plan[:n] for row in batch)
