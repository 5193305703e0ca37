"""generate with each of transformers' cache implementations: what runs on the CPU gives the uncached tokens, and
what cannot run there says so.

On the CPU: "dynamic" and "static" run (with and without the smear). "offloaded" and "offloaded_static" move keys
and values between a CUDA device and the CPU on CUDA streams: refused on the CPU with a ValueError (before, an
`AssertionError: Torch not compiled with CUDA enabled` from inside transformers), and checked against the dynamic
cache only where CUDA is present. "quantized" needs optimum-quanto (or hqq), which the project does not install:
transformers' ImportError names the package, and the tokens are checked only where it is installed.
"""

from __future__ import annotations

import importlib.util

import pytest
import torch
from transformers import DynamicCache, StaticCache

from helpers_model import tiny_model

G = dict(do_sample=False, eos_token_id=None, pad_token_id=2, max_new_tokens=5)
IDS = torch.tensor([[0, 5, 17, 33], [2, 0, 40, 41]])
MASK = torch.tensor([[1, 1, 1, 1], [0, 1, 1, 1]])
CUDA = torch.cuda.is_available()
QUANTO = importlib.util.find_spec("optimum") is not None and importlib.util.find_spec("optimum.quanto") is not None


def _model(smear: bool, device: str = "cpu"):
    return tiny_model(seed=3, smear=smear, smear_channels=8).to(device)


@pytest.mark.parametrize("smear", [False, True])
@pytest.mark.parametrize("impl", ["dynamic", "static"])
def test_cpu_caches_generate_the_uncached_tokens(impl, smear):
    model = _model(smear)
    with torch.no_grad():
        uncached = model.generate(IDS, attention_mask=MASK, use_cache=False, **G)
        cached = model.generate(IDS, attention_mask=MASK, cache_implementation=impl, **G)
        other = model.generate(IDS.flip(0), attention_mask=MASK.flip(0), cache_implementation=impl, **G)
    assert cached.tolist() == uncached.tolist()
    assert other.tolist() != cached.tolist()


@pytest.mark.skipif(CUDA, reason="the refusal is for the CPU")
@pytest.mark.parametrize("impl", ["offloaded", "offloaded_static"])
def test_offloaded_caches_are_refused_on_the_cpu_naming_the_cache(impl):
    with pytest.raises(ValueError, match="offloaded cache .* needs the model on a CUDA device"):
        _model(False).generate(IDS, attention_mask=MASK, cache_implementation=impl, **G)


@pytest.mark.skipif(CUDA, reason="the refusal is for the CPU")
@pytest.mark.parametrize("make", [lambda c: DynamicCache(config=c, offloading=True),
                                  lambda c: StaticCache(config=c, max_cache_len=16, offloading=True)],
                         ids=["DynamicCache", "StaticCache"])
def test_an_offloaded_cache_object_is_refused_on_the_cpu(make):
    model = _model(False)
    with pytest.raises(ValueError, match="offloaded cache"):
        model(IDS, attention_mask=MASK, cache=make(model.config))


@pytest.mark.skipif(not CUDA, reason="offloaded caches need a CUDA device")
@pytest.mark.parametrize("smear", [False, True])
@pytest.mark.parametrize("impl", ["offloaded", "offloaded_static"])
def test_offloaded_caches_generate_the_dynamic_caches_tokens_on_cuda(impl, smear):
    model = _model(smear, "cuda")
    ids, mask = IDS.cuda(), MASK.cuda()
    with torch.no_grad():
        dynamic = model.generate(ids, attention_mask=mask, **G)
        offloaded = model.generate(ids, attention_mask=mask, cache_implementation=impl, **G)
    assert offloaded.tolist() == dynamic.tolist()


@pytest.mark.skipif(QUANTO, reason="optimum-quanto is installed")
def test_the_quantized_cache_without_optimum_quanto_names_the_package():
    with pytest.raises(ImportError, match="optimum-quanto"):
        _model(False).generate(IDS, attention_mask=MASK, cache_implementation="quantized", **G)


@pytest.mark.skipif(not QUANTO, reason="the quantized cache needs optimum-quanto")
def test_the_quantized_cache_generates_finite_tokens_of_the_vocabulary():
    """A 4-bit cache changes the numbers, so only well-formed output is asserted, not the dynamic cache's tokens."""
    model = _model(False)
    with torch.no_grad():
        out = model.generate(IDS, attention_mask=MASK, cache_implementation="quantized", **G)
    assert out.shape == (2, 9) and int(out.max()) < model.config.vocab_size


HQQ = importlib.util.find_spec("hqq") is not None


@pytest.mark.skipif(QUANTO, reason="optimum-quanto is installed")
@pytest.mark.parametrize("cache_config", [None, {"backend": "quanto", "nbits": 2}])
def test_the_quantized_cache_error_names_the_cache_the_backend_the_package_and_the_way_out(cache_config):
    """Before, transformers' bare ImportError from a cache layer named the package but neither the cache nor what to
    use instead."""
    with pytest.raises(ImportError, match=r"cache_implementation='quantized' builds a QuantizedCache with the 'quanto' "
                                          r"backend, which needs the optimum-quanto package.*'backend': 'fp8'"):
        _model(True).generate(IDS, attention_mask=MASK, cache_implementation="quantized", cache_config=cache_config, **G)


@pytest.mark.skipif(HQQ, reason="hqq is installed")
def test_the_hqq_backend_error_names_the_hqq_package():
    with pytest.raises(ImportError, match=r"QuantizedCache with the 'hqq' backend, which needs the hqq package"):
        _model(False).generate(IDS, attention_mask=MASK, cache_implementation="quantized",
                               cache_config={"backend": "hqq"}, **G)


@pytest.mark.parametrize("smear", [False, True])
def test_the_fp8_quantized_cache_the_error_points_to_runs_on_the_cpu(smear):
    """The way out the message names works: well-formed tokens (an fp8 cache changes the numbers, so not the dynamic
    cache's tokens), and the prompt is kept."""
    model = _model(smear)
    with torch.no_grad():
        out = model.generate(IDS, attention_mask=MASK, cache_implementation="quantized", cache_config={"backend": "fp8"},
                             **G)
    assert out.shape == (2, 9) and int(out.max()) < model.config.vocab_size and torch.equal(out[:, :4], IDS)


def test_a_missing_package_of_another_cache_is_not_renamed_quantized(monkeypatch):
    """Only the quantized cache's ImportError is reworded: any other passes through as transformers raised it."""
    from transformers.generation import GenerationMixin

    def missing(*args, **kwargs):
        raise ImportError("some other package")

    monkeypatch.setattr(GenerationMixin, "_prepare_cache_for_generation", missing)
    with pytest.raises(ImportError, match="^some other package$"):
        _model(False).generate(IDS, attention_mask=MASK, **G)
