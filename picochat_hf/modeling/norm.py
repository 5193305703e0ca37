"""picochat's parameter-free RMSNorm: after the token embedding, before each block's attention and MLP, at the end of
the backbone, and on the queries and keys (QK norm, in `attention.py`).

Self-contained like the rest of the modeling files: `save_pretrained` copies it next to the weights.
"""

import torch
import torch.nn as nn


def rms_norm(x: torch.Tensor, eps: float) -> torch.Tensor:
    # computed in fp32 for stability under bf16, returned in the input dtype
    xf = x.float()
    return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)).type_as(x)


class PicochatRMSNorm(nn.Module):
    """RMSNorm without a learnable gain: nothing to train, nothing to decay."""

    def __init__(self, eps: float = 1e-6):
        super().__init__()
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return rms_norm(x, self.eps)

    def extra_repr(self) -> str:
        return f"eps={self.eps}"

