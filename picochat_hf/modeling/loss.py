"""The divisor of picochat's causal-LM loss, so a batch whose every label is masked has a defined loss.

Self-contained like the rest of the modeling files: `save_pretrained` copies it next to the weights.
"""

import math
import numbers

import torch


def loss_divisor(labels: torch.Tensor, num_items_in_batch: torch.Tensor | int | float | None,
                 shift_labels: torch.Tensor | None = None, ignore_index: int = -100) -> torch.Tensor | int | float:
    """What the summed token losses are divided by: `num_items_in_batch` when the Trainer passes it, else the
    supervised (shifted) labels of this batch; a count of 0 becomes 1.

    transformers' loss (and Llama's) takes the mean over no token when every label is -100 (a long prompt cut by
    max_length, a packed row of prompts only, a gradient-accumulation window of such rows), i.e. 0/0: a NaN loss
    and NaN gradients, which one optimizer step writes into every weight. The summed loss of such a batch is 0, so
    dividing by 1 gives a loss of 0 that adds nothing to the gradients: TRL's SFTTrainer clamps its fused loss the
    same way, so the dense and fused paths agree. With any supervised token the divisor is the count, so the loss is
    the mean as before. transformers' stock `Trainer.evaluate` averages batch losses and used to drop the NaN: it now
    averages the 0 in, so a token-weighted evaluation (sum of loss x targets) is the one to report. A tensor count
    stays a tensor (no host sync, no graph break).
    """
    if num_items_in_batch is not None:
        num_items_in_batch = checked_count(num_items_in_batch)
    if num_items_in_batch is None:
        targets = shift_labels if shift_labels is not None else labels[..., 1:]
        num_items_in_batch = (targets != ignore_index).sum()
    if torch.is_tensor(num_items_in_batch):
        return torch.where(num_items_in_batch > 0, num_items_in_batch, torch.ones_like(num_items_in_batch))
    return num_items_in_batch if num_items_in_batch > 0 else 1


def checked_count(count: object) -> torch.Tensor | int | float:
    """`num_items_in_batch` as a count: a real number or a one-element tensor (made a scalar, so the loss is one), finite
    and not negative. A negative count became 1 above, so the loss was the plain sum, a plausible number (Llama divides
    by it and reports a negative loss); NaN gave 0; `True` divided by 1; a per-row tensor made the loss a vector. A
    tensor is read once (one host sync per training step), not inside compiled or captured graphs."""
    where = "PicochatForCausalLM.forward: num_items_in_batch must be"
    if isinstance(count, torch.Tensor):
        if count.numel() != 1 or count.dtype == torch.bool or count.is_complex():
            raise ValueError(f"{where} a count (a number or a one-element tensor), got a {count.dtype} tensor of shape "
                             f"{tuple(count.shape)}")
        count = count.reshape(())
        readable = not torch.compiler.is_compiling() and not (count.is_cuda and torch.cuda.is_current_stream_capturing())
        if readable and not (bool(torch.isfinite(count)) and bool(count >= 0)):
            raise ValueError(f"{where} a finite count >= 0 of supervised tokens, got {count.item()!r}")
        return count
    if isinstance(count, bool) or not isinstance(count, numbers.Real):
        raise ValueError(f"{where} a count (a number or a one-element tensor), got {count!r}")
    if not (math.isfinite(count) and count >= 0):
        raise ValueError(f"{where} a finite count >= 0 of supervised tokens, got {count!r}")
    return count
