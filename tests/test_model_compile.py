"""picochat under torch.compile(fullgraph=True) with a KV cache, and through transformers' exporter.

The backbone's mask choice used to branch on the cache's length, a tensor for a static cache, so dynamo could not
trace a cached forward in one graph (and `generate` on a GPU, which compiles a static-cache forward by itself,
crashed). These tests compile with dynamo's `eager` backend: a graph break fails `fullgraph=True` whatever the
backend, and the default inductor backend is exercised by the common suite's
`test_generate_compile_model_forward_fullgraph` (tests/test_model_hf_common.py) and by bench/model_overhead.py.
"""

from __future__ import annotations

import copy

import pytest
import torch
from transformers import DynamicCache, GenerationConfig

from helpers_model import tiny_model

GEN = dict(max_new_tokens=10, do_sample=False, eos_token_id=None, pad_token_id=2)


@pytest.fixture(autouse=True)
def _fresh_dynamo():
    """Every test compiles the same forward code object, and dynamo's recompile limit (8) counts across tests."""
    torch._dynamo.reset()
    yield


def _prompts() -> tuple[torch.Tensor, torch.Tensor]:
    ids = torch.tensor([[0, 5, 17, 33, 8, 9], [2, 2, 0, 40, 41, 3]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])  # the second row is left-padded
    return ids, mask


@pytest.mark.parametrize("smear", [False, True])
def test_compiled_forward_with_static_cache_generates_the_eager_tokens(smear):
    model = tiny_model(seed=21, smear=smear, smear_channels=8)
    ids, mask = _prompts()
    if smear:
        mask[0, 3] = 0  # a hole: the smear reads the mask, also through the static cache's prepared 4-D mask
    with torch.no_grad():
        eager = model.generate(input_ids=ids, attention_mask=mask, **GEN)  # dynamic cache, eager
        model.forward = torch.compile(model.forward, fullgraph=True, backend="eager")
        compiled = model.generate(input_ids=ids, attention_mask=mask, cache_implementation="static", **GEN)
    assert compiled.tolist() == eager.tolist()


@pytest.mark.parametrize("cache_kind", ["static", "dynamic"])
def test_compiled_cached_step_matches_full_forward(cache_kind):
    model = tiny_model(seed=23)
    x = torch.randint(3, 97, (2, 9), generator=torch.Generator().manual_seed(23))
    step = torch.compile(model.forward, fullgraph=True, backend="eager")
    with torch.no_grad():
        full = model(x).logits
        if cache_kind == "static":
            from transformers import StaticCache

            cache = StaticCache(config=model.config, max_cache_len=16)
        else:
            cache = DynamicCache(config=model.config)
        prefill = step(x[:, :6], cache=cache, use_cache=True)
        outs = [prefill.logits]
        for t in range(6, 9):
            outs.append(step(x[:, t : t + 1], cache=prefill.cache, use_cache=True).logits)
    torch.testing.assert_close(torch.cat(outs, dim=1), full, atol=1e-5, rtol=1e-5)


def test_packed_rows_keep_their_documents_under_compile():
    model = tiny_model(seed=24)
    gen = torch.Generator().manual_seed(24)
    doc_a, doc_b = torch.randint(3, 97, (1, 7), generator=gen), torch.randint(3, 97, (1, 5), generator=gen)
    packed = torch.cat([doc_a, doc_b], dim=1)
    position_ids = torch.cat([torch.arange(7), torch.arange(5)])[None]
    forward = torch.compile(model.forward, fullgraph=True, backend="eager")
    with torch.no_grad():
        together = forward(packed, position_ids=position_ids).logits  # eval mode: an empty dynamic cache is built
        alone = model(doc_b).logits
    torch.testing.assert_close(together[:, 7:], alone, atol=1e-5, rtol=1e-5)


def test_export_for_generation_graphs_match_eager():
    from transformers.exporters import DynamoConfig, DynamoExporter
    from transformers.exporters.utils import decompose_for_generation

    model = tiny_model(seed=22)
    ids = torch.tensor([[0, 5, 17, 33, 8, 9]])
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    config = GenerationConfig(cache_implementation="static", max_cache_len=16, **GEN)
    exported = DynamoExporter().export_for_generation(model, inputs, DynamoConfig(), generation_config=config)
    assert set(exported.components) == {"prefill", "decode"}
    # the exported prefill and decode graphs, fed the inputs generate() gives the model, return its logits
    for name, (_, stage_inputs) in decompose_for_generation(model, inputs, generation_config=config).items():
        stage_inputs = {k: v for k, v in stage_inputs.items() if k not in ("use_cache", "return_dict")}
        with torch.no_grad():
            expected = model(**copy.deepcopy(stage_inputs)).logits
        got = exported.components[name].program.module()(**copy.deepcopy(stage_inputs))
        got = got.logits if hasattr(got, "logits") else got
        torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-5, msg=name)
