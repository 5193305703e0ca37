"""nanochat's smear (`PicochatConfig.smear`): each position's normed embedding gets its previous token's.

Self-contained like the rest of the modeling files: `save_pretrained` copies it next to the weights.
"""

import math

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
    (position id 0; in a packed row, wherever attention starts one: `document_continues`): a packed row's documents,
    and a left-padded row's pads, never reach the row's first token, so padded, packed and unpadded rows give the
    same logits. With a padding mask (`keep`), the previous token is the
    nearest earlier one the mask keeps: a hole's token, or the pads of a row left-padded without position ids, are
    never mixed into the token after them.
    """

    def __init__(self, config: PicochatConfig):
        super().__init__()
        self.channels = config.smear_channels
        self.gate = init_role(nn.Linear(self.channels, 1, bias=False), "smear_gate")
        self.smear_lambda = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor, first_previous: torch.Tensor, position_ids: torch.Tensor,
                keep: torch.Tensor | None = None, packed: bool = False) -> torch.Tensor:
        """`x` (batch, seq, hidden); `first_previous` (batch, 1, hidden): the normed embedding of the token before
        `x[:, 0]` (zeros when there is none); `position_ids` (batch or 1, seq); `keep` (batch, seq), optional: which
        of the new tokens the attention mask keeps; `packed`: the row's documents are found from its positions, as
        transformers' `create_causal_mask` finds them without a mask and a past (see `document_continues`)."""
        previous = torch.cat([first_previous.to(x.dtype), x[:, :-1]], dim=1)
        if keep is not None:
            previous = previous.gather(1, nearest_kept(keep)[..., None].expand_as(previous))
        continues = document_continues(position_ids, packed).unsqueeze(-1).to(x.dtype)
        gate = torch.sigmoid(self.gate(x[..., : self.channels]))
        return x + self.smear_lambda.to(x.dtype) * gate * previous * continues


def document_continues(position_ids: torch.Tensor, packed: bool) -> torch.Tensor:
    """Whether each token continues the document of the token before it: not at position 0, and, for a packed row
    (no attention mask, no past), only where its position is the previous one + 1. transformers' `create_causal_mask`
    starts a document at every other step there (a restart or a jump such as [0, 1, 2, 5, 6, 7]); at position 0 alone,
    a document after a jump got the previous document's last token smeared into its first while attention kept
    them apart. Elementwise, so no branch on the data."""
    continues = position_ids > 0
    if packed:
        step = torch.diff(position_ids, dim=-1, prepend=position_ids[..., :1] - 1)
        continues = continues & (step == 1)
    return continues


def nearest_kept(keep: torch.Tensor) -> torch.Tensor:
    """For each position t, the index into `cat([first_previous, x[:, :-1]])` of the nearest kept token before t:
    index s >= 1 is token s - 1, index 0 the token before the chunk. A running maximum, so no branch on the data."""
    batch, length = keep.shape
    candidate = torch.cat([keep.new_ones(batch, 1), keep[:, :-1]], dim=1).bool()
    index = torch.arange(length, device=keep.device).expand(batch, length)
    return torch.cummax(torch.where(candidate, index, torch.zeros_like(index)), dim=1).values


def smear_keep(attention_mask: object, batch: int, length: int, cache: Cache | None) -> torch.Tensor | None:
    """Which of the `length` new tokens the attention mask keeps, as a (batch, length) bool tensor: a 2-D padding
    mask's columns of the new tokens, or a prepared 4-D mask's diagonal (a token that may not attend to itself is
    padding; `generate` prepares one for a static cache). None without a mask and for a BlockMask. The new tokens
    start after the cache's past, a tensor for a static cache: gathered, so no branch on the data."""
    if not isinstance(attention_mask, torch.Tensor) or attention_mask.dim() not in (2, 4):
        return None
    past = cache.get_seq_length() if cache is not None else 0
    columns = torch.arange(length, device=attention_mask.device) + past
    if attention_mask.dim() == 2:
        seen = attention_mask.gather(1, columns[None].expand(attention_mask.shape[0], length))
    else:
        rows = attention_mask[:, 0, -length:, :]
        seen = rows.gather(2, columns.view(1, length, 1).expand(rows.shape[0], length, 1))[..., 0]
    # boolean and 0/1 masks keep where nonzero; a float 4-D mask is additive (0 keeps, a large negative masks)
    kept = seen == 0 if attention_mask.dim() == 4 and attention_mask.is_floating_point() else seen != 0
    return kept.expand(batch, length)


def past_keeps_a_token(attention_mask: object, cache: Cache | None) -> torch.Tensor | None:
    """(batch,) bool: whether a 2-D padding mask keeps any of the cached past's columns (True without a past). A row
    whose past is all padding has no token before its new ones: the uncached forward mixes nothing into its first
    token, so neither may `smear_prev_ids` (which can only name a token). None without a cache or a 2-D mask. The
    past's length is a tensor for a static cache: compared, so no branch on the data."""
    if cache is None or not isinstance(attention_mask, torch.Tensor) or attention_mask.dim() != 2:
        return None
    past = cache.get_seq_length()
    columns = torch.arange(attention_mask.shape[1], device=attention_mask.device)
    return ((attention_mask != 0) & (columns < past)).any(dim=-1) | (torch.as_tensor(past, device=columns.device) == 0)


def apply_smear(backbone: nn.Module, hidden: torch.Tensor, attention_mask: object, position_ids: torch.Tensor,
                cache: Cache | None, prev_ids: torch.LongTensor | None, prev_embeds: torch.Tensor | None) -> torch.Tensor:
    """`backbone.smear` on the normed embeddings `hidden`, with the token before them and the padding it skips."""
    first_previous = smear_first_previous(backbone, hidden, prev_ids, prev_embeds, cache)
    has_past = past_keeps_a_token(attention_mask, cache)
    if has_past is not None:
        first_previous = first_previous * has_past.to(first_previous.dtype)[:, None, None]
    keep = smear_keep(attention_mask, *hidden.shape[:2], cache)
    # the test `_positions_and_mask` applies before `create_causal_mask`: Python values only (a static cache, whose
    # length is a tensor, is never read as empty)
    no_past = cache is None or (not cache.is_compileable and cache.get_seq_length() == 0)
    return backbone.smear(hidden, first_previous, position_ids, keep, packed=attention_mask is None and no_past)


def smear_first_previous(backbone: nn.Module, hidden: torch.Tensor, prev_ids: torch.LongTensor | None,
                         prev_embeds: torch.Tensor | None, cache: Cache | None) -> torch.Tensor:
    """The normed embedding of the token before the first new one: from `prev_ids`, or zeros at a sequence start.
    New tokens after a cached past need it, and a forward that cannot know it refuses rather than smearing in
    nothing (its logits would differ from the uncached ones)."""
    batch, width = hidden.shape[0], hidden.shape[-1]
    for name, given, want in (("smear_prev_ids", prev_ids, (batch,)), ("smear_prev_embeds", prev_embeds, (batch, width))):
        # one per row: another count failed in torch.cat naming no argument, or lined rows up with other rows
        if given is not None and not isinstance(given, torch.Tensor):
            raise ValueError(f"PicochatModel.forward: {name} must be a torch.Tensor, got {type(given).__name__}")
        if given is not None and given.numel() != math.prod(want):
            raise ValueError(f"PicochatModel.forward: {name} must have shape {want} (one per row of the batch), "
                             f"got {tuple(given.shape)}")
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


def optimizer_param_groups(model: nn.Module, weight_decay: float = 0.0, smear_lr: float | None = None) -> list[dict]:
    """Parameter groups for a torch optimizer: every trainable parameter at the optimizer's learning rate and
    `weight_decay`, and with `smear_lr` the smear's scalars (`smear_lambda` and the gate) in a group of their own
    at that learning rate, without weight decay, as nanochat trains them (0.2).

    transformers' Trainer has no per-module learning rates; it takes groups through
    `optimizer_cls_and_kwargs=(torch.optim.AdamW, {"params": groups, "lr": ...})`, and its schedulers scale every
    group's rate by the same factor, so the smear keeps its ratio. The smear is found by module, not by name, so
    the groups also work on a PEFT-wrapped model.
    """
    if smear_lr is not None and not (isinstance(smear_lr, (int, float)) and not isinstance(smear_lr, bool)
                                     and math.isfinite(smear_lr) and smear_lr > 0):
        raise ValueError(f"optimizer_param_groups: smear_lr must be a finite number > 0 or None, got {smear_lr!r}")
    smear_ids = {id(p) for m in model.modules() if isinstance(m, PicochatSmear) for p in m.parameters()}
    if smear_lr is not None and not smear_ids:
        raise ValueError("optimizer_param_groups: smear_lr is set but the model has no smear (config.smear is false)")
    trainable = [p for p in model.parameters() if p.requires_grad]
    own = smear_lr is not None
    rest = [p for p in trainable if not (own and id(p) in smear_ids)]
    groups = [{"params": rest, "weight_decay": weight_decay}] if rest else []
    smear_params = [p for p in trainable if own and id(p) in smear_ids]
    if smear_params:
        groups.append({"params": smear_params, "lr": float(smear_lr), "weight_decay": 0.0})
    return groups
