"""nanochat's smear (`PicochatConfig.smear`): each position's normed embedding gets its previous token's.

Self-contained like the rest of the modeling files: `save_pretrained` copies it next to the weights.
"""

import torch
import torch.nn as nn
from transformers.cache_utils import Cache

from .configuration_picochat import PicochatConfig
from .init_roles import init_role
from .input_checks import check_token_ids


class PicochatSmear(nn.Module):
    """nanochat's smear: `x[t] += smear_lambda * sigmoid(gate(x[t][:channels])) * x[t-1]` on the normed embeddings
    (karpathy/nanochat `gpt.py`), so every position also carries its previous token: cheap bigram information, and
    one attention layer can then find "the token after X", which induction (copying) otherwise needs two for.

    `x[t-1]` is the previous token's pre-smear embedding. Unlike nanochat, nothing is mixed in at a document start
    (position id 0): a packed row's documents, and a left-padded row's pads, never reach the row's first token, so
    padded, packed and unpadded rows give the same logits.
    """

    def __init__(self, config: PicochatConfig):
        super().__init__()
        self.channels = config.smear_channels
        self.gate = init_role(nn.Linear(self.channels, 1, bias=False), "smear_gate")
        self.smear_lambda = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor, first_previous: torch.Tensor, position_ids: torch.Tensor) -> torch.Tensor:
        """`x` (batch, seq, hidden); `first_previous` (batch, 1, hidden): the normed embedding of the token before
        `x[:, 0]` (zeros when there is none); `position_ids` (batch or 1, seq)."""
        previous = torch.cat([first_previous.to(x.dtype), x[:, :-1]], dim=1)
        continues = (position_ids > 0).unsqueeze(-1).to(x.dtype)
        gate = torch.sigmoid(self.gate(x[..., : self.channels]))
        return x + self.smear_lambda.to(x.dtype) * gate * previous * continues


def smear_first_previous(backbone: nn.Module, hidden: torch.Tensor, prev_ids: torch.LongTensor | None,
                         prev_embeds: torch.Tensor | None, cache: Cache | None) -> torch.Tensor:
    """The normed embedding of the token before the first new one: from `prev_ids`, or zeros at a sequence start.
    New tokens after a cached past need it, and a forward that cannot know it refuses rather than smearing in
    nothing (its logits would differ from the uncached ones)."""
    if prev_ids is not None:
        rows = getattr(backbone.embed_tokens, "num_embeddings", None) or backbone.config.vocab_size
        check_token_ids(prev_ids, rows, "smear_prev_ids", "PicochatModel.forward")
        return backbone.norm(backbone.embed_tokens(prev_ids.reshape(-1, 1).to(hidden.device)))
    if prev_embeds is not None:
        return backbone.norm(prev_embeds.reshape(hidden.shape[0], 1, -1).to(hidden.device, hidden.dtype))
    # a Python check outside compiled graphs only (a static cache's length is a tensor)
    if cache is not None and not torch.compiler.is_compiling() and int(cache.get_seq_length()) > 0:
        raise ValueError(
            "PicochatModel.forward: config.smear needs the token before the new ones when the past is cached; "
            "pass smear_prev_ids or smear_prev_embeds (generate() does)"
        )
    return hidden.new_zeros(hidden.shape[0], 1, hidden.shape[-1])
