"""Batched greedy generation: left padding, the KV cache, one progress bar.

Prompts are sorted by length so a batch holds similar lengths (little padding), padded on the left so
every row's next token sits in the last column, and decoded greedily with `model.generate` (which keeps
the KV cache and derives position ids from the attention mask). Each reply is cut at the first
end-of-turn token. `use_cache=False, batch_size=1` is the slow reference path the speed bench compares.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from tqdm.auto import tqdm
from transformers import GenerationConfig

from .model_io import PLAIN_STOP, LoadedModel, eos_ids


@dataclass
class Reply:
    text: str  # special tokens removed: what the rules judge
    raw: str  # special tokens kept: shows a reply that opened a new chat turn
    num_tokens: int  # tokens of the reply itself (the stop token left out)
    num_generated: int = 0  # tokens the model generated for it: the reply's, plus its stop token when it stopped on one
    stopped_on_eos: bool = False  # it ended on a stop token; else it ran to max_new_tokens


def _left_pad(batch: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(ids) for ids in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, ids in enumerate(batch):
        input_ids[i, width - len(ids) :] = torch.tensor(ids, dtype=torch.long)
        mask[i, width - len(ids) :] = 1
    return input_ids, mask


@torch.inference_mode()
def generate_replies(
    loaded: LoadedModel,
    prompts: list[list[int]],
    *,
    max_new_tokens: int = 64,
    batch_size: int = 16,
    use_cache: bool = True,
    desc: str = "generate",
    progress: bool = True,
) -> list[Reply]:
    """Greedy replies to `prompts` (token ids), in the order given."""
    tok, model = loaded.tokenizer, loaded.model
    stop_ids = eos_ids(loaded)
    gen_cfg = GenerationConfig(
        max_new_tokens=max_new_tokens,
        do_sample=False,
        num_beams=1,
        use_cache=use_cache,
        pad_token_id=tok.pad_token_id,
        eos_token_id=stop_ids or None,
    )
    order = sorted(range(len(prompts)), key=lambda i: -len(prompts[i]))
    out: list[Reply | None] = [None] * len(prompts)
    bar = tqdm(total=len(prompts), desc=desc, unit="row", disable=not progress)
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        input_ids, mask = _left_pad([prompts[i] for i in idx], tok.pad_token_id)
        input_ids, mask = input_ids.to(loaded.device), mask.to(loaded.device)
        generated = model.generate(input_ids=input_ids, attention_mask=mask, generation_config=gen_cfg)
        new = generated[:, input_ids.shape[1] :].tolist()
        for row_i, ids in zip(idx, new, strict=True):
            cut = next((k for k, t in enumerate(ids) if t in stop_ids), None)
            stopped = cut is not None
            ids = ids[:cut] if stopped else ids
            text = tok.decode(ids, skip_special_tokens=True)
            raw = tok.decode(ids, skip_special_tokens=False)
            if loaded.prompt_format == "plain" and PLAIN_STOP in text:
                text = text.split(PLAIN_STOP)[0]
            out[row_i] = Reply(text=text.strip(), raw=raw, num_tokens=len(ids), num_generated=len(ids) + stopped, stopped_on_eos=stopped)
        bar.update(len(idx))
    bar.close()
    return [r for r in out if r is not None]
