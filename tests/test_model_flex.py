"""picochat under flex attention on CPU.

torch's CPU flex-attention kernel (inductor's C++ template, torch 2.13) fails to compile a mask that reads a tensor
(padding, packed documents) once it has seen the key length vary (`'cur_kvSplitSize0' was not declared`): left-padded
`generate` crashed after its prefill, and a padded or packed forward crashed or not depending on what the process
had compiled before. transformers' own Llama and NanoChat fail with the same kernel, so picochat's mask handling is not
the cause; those masks are refused before attention runs, and plain causal rows run and match eager attention.
"""

from __future__ import annotations

import pytest
import torch
from transformers import DynamicCache

from helpers_model import tiny_model

GREEDY = dict(do_sample=False, eos_token_id=None, pad_token_id=2, max_new_tokens=4)
IDS = torch.tensor([[0, 5, 17, 33, 8, 9], [2, 2, 0, 40, 41, 3]])
PADDED = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])  # the second row is left-padded
REFUSAL = "flex_attention on CPU cannot run a padded batch or packed documents"
PACKED = torch.cat([torch.arange(7), torch.arange(5)])[None]  # two documents in one row


def _filled_cache(model, past: int) -> DynamicCache:
    cfg = model.config
    cache = DynamicCache(config=cfg)
    for layer in range(cfg.num_hidden_layers):
        kv = torch.randn(2, cfg.num_key_value_heads, past, cfg.head_dim)
        cache.update(kv, kv.clone(), layer)
    return cache


def _refused_calls(model) -> dict:
    step_mask = torch.cat([PADDED, torch.ones(2, 1, dtype=torch.long)], dim=1)
    return {
        "left-padded generate": lambda: model.generate(IDS, attention_mask=PADDED, **GREEDY),
        "padded generate, static cache": lambda: model.generate(IDS, attention_mask=PADDED, cache_implementation="static", **GREEDY),
        "padded forward": lambda: model(IDS, attention_mask=PADDED),
        "padded forward, no cache": lambda: model(IDS, attention_mask=PADDED, use_cache=False),
        "right-padded forward": lambda: model(IDS.flip(1), attention_mask=PADDED.flip(1)),
        "cached step over a padded batch": lambda: model(torch.tensor([[7], [8]]), attention_mask=step_mask,
                                                         cache=_filled_cache(model, 6)),
        "packed documents": lambda: model(torch.randint(3, 97, (1, 12)), position_ids=PACKED),
        "packed documents in training": lambda: model.train()(torch.randint(3, 97, (1, 12)), position_ids=PACKED),
    }


@pytest.mark.parametrize("case", list(_refused_calls(None)))
def test_padding_and_packing_under_flex_on_cpu_are_refused_before_attention_runs(case):
    model = tiny_model(seed=41, attn="flex_attention")
    with torch.no_grad(), pytest.raises(ValueError, match=f"^PicochatModel.forward: {REFUSAL}"):
        _refused_calls(model)[case]()


@pytest.mark.parametrize("attn", ["eager", "sdpa"])
def test_the_same_calls_run_under_the_other_attention_implementations(attn):
    model = tiny_model(seed=41, attn=attn)
    with torch.no_grad():
        for case, call in _refused_calls(model).items():
            assert call() is not None, case
            model.eval()


def test_flex_gives_the_eager_logits_and_tokens_for_unpadded_rows():
    flex, eager = tiny_model(seed=33, attn="flex_attention"), tiny_model(seed=33, attn="eager")
    rows = torch.tensor([[0, 5, 17, 33, 8, 9], [6, 7, 0, 40, 41, 3]])
    full = torch.ones_like(rows)
    one_document = torch.arange(6)[None].expand(2, -1)  # position ids of a single document are no packing
    with torch.no_grad():
        torch.testing.assert_close(flex(rows, attention_mask=full).logits, eager(rows).logits, atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(flex(rows, position_ids=one_document).logits, eager(rows).logits, atol=1e-5, rtol=1e-5)
        got = flex.generate(rows, attention_mask=full, return_dict_in_generate=True, output_scores=True, **GREEDY)
        want = eager.generate(rows, attention_mask=full, return_dict_in_generate=True, output_scores=True, **GREEDY)
    assert got.sequences.tolist() == want.sequences.tolist()
    for a, b in zip(got.scores, want.scores, strict=True):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)
