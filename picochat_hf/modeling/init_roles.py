"""The role each leaf layer plays in nanochat's init (`PicochatPreTrainedModel._init_weights` reads it).

Self-contained like the rest of the modeling files: `save_pretrained` copies it next to the weights.
"""

import torch.nn as nn


INIT_ROLE_ATTR = "picochat_init_role"


def init_role(module: nn.Module, role: str) -> nn.Module:
    """Tag a leaf layer with its role in nanochat's init ("input", "residual_out", "lm_head", "smear_gate")."""
    setattr(module, INIT_ROLE_ATTR, role)
    return module
