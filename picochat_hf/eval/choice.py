"""Multiple-choice scoring, two ways.

1. **Letter logits** (nanochat's categorical eval): the question and its lettered options go through the
   chat template, one forward pass gives the logits at the position where the assistant's answer starts,
   and only the letter tokens' logits are compared ("A" vs "B" vs ...). Nothing is generated, so a model
   that would ramble still gets a clean prediction, and the random baseline is exactly 1/n_choices. Letters
   tied at the top logit are no answer (the prediction reads "tie: A/B" and matches no gold letter).
2. **Answer-text log-likelihood** (lm-eval's `multiple_choice`): each option's text is scored as a
   continuation of `Question: ...\\nAnswer:` by summed log-probability. `acc` takes the argmax of the sums;
   `acc_norm` divides each sum by the option's length in characters, `acc_bytes` by its UTF-8 byte length,
   exactly as `lm_eval.api.task.ConfigurableTask.process_results` does. Context and continuation are
   tokenised like `lm_eval.api.model.TemplateLM._encode_pair` (trailing context spaces move to the
   continuation; the pair is encoded whole and split at the context length), so on the same rows the
   accuracies agree with lm-eval's.
"""

from __future__ import annotations

import numpy as np
import torch
from tqdm.auto import tqdm

from .model_io import LoadedModel


def letter_token_ids(loaded: LoadedModel, labels: list[str]) -> list[int]:
    """One token id per label: the token the assistant would start its answer with."""
    prefix = "" if loaded.prompt_format == "chat_template" else " "
    ids = []
    for label in labels:
        enc = loaded.tokenizer.encode(prefix + label, add_special_tokens=False)
        if len(enc) != 1:
            raise ValueError(
                f"label {label!r} is {len(enc)} tokens for tokenizer {loaded.tokenizer_path}; letter scoring needs one token per label"
            )
        ids.append(enc[0])
    if len(set(ids)) != len(ids):
        raise ValueError(f"labels {labels} do not map to distinct tokens for tokenizer {loaded.tokenizer_path}")
    return ids


def _right_pad(batch: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(ids) for ids in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, ids in enumerate(batch):
        input_ids[i, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        mask[i, : len(ids)] = 1
    return input_ids, mask


@torch.inference_mode()
def _forward_logits(loaded: LoadedModel, batch: list[list[int]]) -> torch.Tensor:
    # Right padding: real tokens never attend to the pads after them, and positions start at 0 for every
    # row, so each row's logits equal those of an unpadded forward pass.
    input_ids, mask = _right_pad(batch, loaded.tokenizer.pad_token_id)
    out = loaded.model(input_ids=input_ids.to(loaded.device), attention_mask=mask.to(loaded.device), use_cache=False)
    return out.logits.float()


def score_letters(
    loaded: LoadedModel,
    prompts: list[list[int]],
    labels: list[list[str]],
    *,
    batch_size: int = 16,
    progress: bool = True,
) -> list[dict]:
    """For each prompt, `{"pred": label, "letter_logits": {label: logit}}` from the last prompt position."""
    results: list[dict | None] = [None] * len(prompts)
    order = sorted(range(len(prompts)), key=lambda i: -len(prompts[i]))
    bar = tqdm(total=len(prompts), desc="letter logits", unit="row", disable=not progress)
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        logits = _forward_logits(loaded, [prompts[i] for i in idx])
        for j, i in enumerate(idx):
            last = logits[j, len(prompts[i]) - 1]
            ids = letter_token_ids(loaded, labels[i])
            vals = last[ids].tolist()
            results[i] = {"pred": _letter_pred(labels[i], vals), "letter_logits": dict(zip(labels[i], vals, strict=True))}
        bar.update(len(idx))
    bar.close()
    return [r for r in results if r is not None]


def _letter_pred(labels: list[str], vals: list[float]) -> str:
    """The label with the highest logit; when several share it the model chose none of them, and the prediction
    reads "tie: A/B" (it matches no gold letter), so a model that cannot tell the options apart is not credited
    with whichever letter comes first."""
    top = max(vals)
    tied = [label for label, v in zip(labels, vals, strict=True) if v == top]
    return tied[0] if len(tied) == 1 else "tie: " + "/".join(tied)


def _tok_encode(loaded: LoadedModel, text: str) -> list[int]:
    tok = loaded.tokenizer
    # lm-eval's HFLM.tok_encode: the tokenizer's own special tokens, unless the text already starts with BOS.
    if tok.bos_token and text.startswith(tok.bos_token):
        return list(tok.encode(text, add_special_tokens=False))
    return list(tok.encode(text))


def encode_pair(loaded: LoadedModel, context: str, continuation: str) -> tuple[list[int], list[int]]:
    """lm-eval's `_encode_pair` for causal models."""
    n_spaces = len(context) - len(context.rstrip())
    if n_spaces > 0:
        continuation = context[-n_spaces:] + continuation
        context = context[:-n_spaces]
    whole = _tok_encode(loaded, context + continuation)
    ctx = _tok_encode(loaded, context)
    return ctx, whole[len(ctx) :]


@torch.inference_mode()
def loglikelihoods(
    loaded: LoadedModel,
    requests: list[tuple[str, str]],
    *,
    batch_size: int = 16,
    progress: bool = True,
) -> list[float]:
    """Summed log-probability of each continuation given its context."""
    pairs = [encode_pair(loaded, c, x) for c, x in requests]
    for (ctx, cont), (c, x) in zip(pairs, requests, strict=True):
        if not ctx or not cont:
            raise ValueError(f"empty context or continuation after tokenisation: {c!r} / {x!r}")
    inputs = [(ctx + cont)[:-1] for ctx, cont in pairs]
    out: list[float | None] = [None] * len(requests)
    order = sorted(range(len(inputs)), key=lambda i: -len(inputs[i]))
    bar = tqdm(total=len(inputs), desc="answer log-likelihood", unit="choice", disable=not progress)
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        logprobs = torch.log_softmax(_forward_logits(loaded, [inputs[i] for i in idx]), dim=-1)
        for j, i in enumerate(idx):
            cont = pairs[i][1]
            n_in = len(inputs[i])
            positions = torch.arange(n_in - len(cont), n_in)
            target = torch.tensor(cont)
            out[i] = float(logprobs[j, positions, target].sum())
        bar.update(len(idx))
    bar.close()
    return [v for v in out if v is not None]


def answer_text_predictions(lls: list[float], choices: list[str]) -> dict:
    """lm-eval's multiple_choice predictions from per-choice log-likelihoods (np.argmax: first max wins)."""
    arr = np.array(lls)
    chars = np.array([float(len(c)) for c in choices])
    nbytes = np.array([float(len(c.encode("utf-8"))) for c in choices])
    return {"pred": int(np.argmax(arr)), "pred_norm": int(np.argmax(arr / chars)), "pred_bytes": int(np.argmax(arr / nbytes))}
