"""The divisor of picochat's causal-LM loss, so a batch whose every label is masked has a defined loss.

Self-contained like the rest of the modeling files: `save_pretrained` copies it next to the weights.
"""

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
    if num_items_in_batch is None:
        targets = shift_labels if shift_labels is not None else labels[..., 1:]
        num_items_in_batch = (targets != ignore_index).sum()
    if torch.is_tensor(num_items_in_batch):
        return torch.where(num_items_in_batch > 0, num_items_in_batch, torch.ones_like(num_items_in_batch))
    return num_items_in_batch if num_items_in_batch > 0 else 1
