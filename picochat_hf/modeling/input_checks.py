"""Checks on what a caller passes picochat's forward, each raising a `ValueError` that names the argument.

Kept next to the modeling file and imported from it relatively, so `save_pretrained` copies it into an exported
folder with the model's code: like that file, it imports only torch and transformers.
"""

import functools

import torch
from transformers import PreTrainedConfig
from transformers.cache_utils import Cache
from transformers.masking_utils import find_packed_sequence_indices
from transformers.modeling_flash_attention_utils import FlashAttentionKwargs
from transformers.utils import TransformersKwargs


# keys a forward's **kwargs takes besides transformers' typed ones: the loss's (`ForCausalLMLoss`), `return_dict` where
# no decorator took it, and transformers 4.x's `cache_position` (5.x derives it from the cache; Llama ignores it too)
OTHER_FORWARD_KWARGS = frozenset({"return_dict", "ignore_index", "shift_labels", "cache_position"})
KNOWN_FORWARD_KWARGS = (frozenset(TransformersKwargs.__optional_keys__) | frozenset(FlashAttentionKwargs.__optional_keys__)
                        | OTHER_FORWARD_KWARGS)


def refuse_unknown_kwargs(kwargs: dict, where: str) -> None:
    """Raise a `TypeError` naming a keyword argument that is no model input: not a parameter of the forward (those
    never reach `kwargs`), not a `TransformersKwargs` / `FlashAttentionKwargs` key, not a loss keyword.

    The forward takes `**kwargs` for transformers' attention and loss arguments, so a misspelt name
    (`atention_mask=`, `position_id=`, `output_hiden_states=True`) was swallowed and the forward ran without it,
    silently (Llama too). generate checks its own model kwargs; this covers the forward. Python values only."""
    unknown = sorted(key for key in kwargs if key not in KNOWN_FORWARD_KWARGS)
    if unknown:
        raise TypeError(f"{where}() got an unexpected keyword argument {unknown[0]!r}"
                        + (f" (and {', '.join(map(repr, unknown[1:]))})" if len(unknown) > 1 else ""))


def refuse_both_names(old_name: str, new_name: str):
    """Decorator, outside transformers' `deprecate_kwarg(old_name, new_name=new_name)`: a `TypeError` when a call gives
    both names different values. `deprecate_kwarg` kept the new name's value and dropped the old one's with a warning,
    so `forward(ids, past_key_values=cache, cache=None)` computed the new tokens as if nothing was cached, and
    `num_logits_to_keep=1, logits_to_keep=0` returned every position. Python values only."""

    def wrap(func):
        @functools.wraps(func)
        def checked(self, *args, **kwargs):
            if old_name in kwargs and new_name in kwargs and kwargs[old_name] is not kwargs[new_name]:
                raise TypeError(f"{type(self).__name__}.{func.__name__}() got both {new_name!r} and {old_name!r} "
                                f"(its deprecated name) with different values; pass it once, as {new_name!r}")
            return func(self, *args, **kwargs)

        return checked

    return wrap


def check_position_ids(position_ids: torch.Tensor, inputs_embeds: torch.Tensor) -> torch.Tensor:
    """`position_ids` as (1 or batch, seq_len); a (seq_len,) tensor is read as one row for the whole batch.

    RoPE broadcasts the position tables against (batch, heads, seq_len, head_dim): a 1-D tensor used to line its
    positions up with the heads, so with as many tokens as heads every head silently got one position for all its
    tokens. Shapes only (no tensor data), so the compiled forward gains no branch.
    """
    batch, length = inputs_embeds.shape[:2]
    if position_ids.is_floating_point() or position_ids.is_complex() or position_ids.dtype == torch.bool:
        # RoPE would rotate by fractional angles: the logits of no sequence (a dtype is no tensor data: no branch)
        raise ValueError(f"PicochatModel.forward: position_ids must hold integer positions, got a {position_ids.dtype} tensor")
    if position_ids.dim() == 1 and position_ids.shape[0] == length:
        return position_ids[None]
    if position_ids.dim() != 2 or position_ids.shape[1] != length or position_ids.shape[0] not in (1, batch):
        raise ValueError(f"PicochatModel.forward: position_ids must have shape ({batch}, {length}), (1, {length}) or "
                         f"({length},) for inputs of shape ({batch}, {length}), got {tuple(position_ids.shape)}")
    return position_ids


def check_given_positions(position_ids: torch.Tensor, inputs_embeds: torch.Tensor, attention_mask: object,
                          cache: Cache | None) -> torch.Tensor:
    """Position ids a caller gave, as (1 or batch, seq_len), once their shape, dtype and values are checked; the
    attention mask is checked first (`check_attention_mask`)."""
    position_ids = check_position_ids(position_ids, inputs_embeds)
    refuse_negative_positions(position_ids)
    refuse_unseparated_documents(position_ids, attention_mask, cache)
    return position_ids


def refuse_negative_positions(position_ids: torch.Tensor) -> None:
    """Raise a `ValueError` naming the first negative position id a caller gave.

    Positions count from 0. RoPE rotated a token at -1 as if it stood before position 0 and the smear took every
    position below 1 for a document start: the logits of no sequence, silently (Llama and NanoChat too). No
    transformers code makes such ids (generate gives left pads position 0); a `cumsum(-1) - 1` without its
    `masked_fill` does. Positions past `max_position_embeddings` are read, as Llama reads them: RoPE extrapolates, and
    its scaling types exist to go there. One reduction per forward given position ids, not inside compiled or
    captured graphs."""
    if not _outside_eager_graphs(position_ids) or position_ids.numel() == 0:
        return
    negative = position_ids < 0
    if not bool(negative.any()):
        return
    at = tuple(int(i) for i in negative.nonzero()[0])
    raise ValueError(f"PicochatModel.forward: position_ids{list(at)} = {int(position_ids[at])} is negative; positions "
                     f"count from 0 (give left padding position 0, as generate does: the mask drops it)")


def refuse_unseparated_documents(position_ids: torch.Tensor, attention_mask: object, cache: Cache | None) -> None:
    """Raise a `ValueError` for given position ids that restart or repeat within one causal sequence: a kept token of
    a 2-D `attention_mask` at or below the kept token before it (next to it, or across masked columns), or new tokens
    after a cached past, or new tokens fed through a static cache.

    transformers separates packed documents by their position ids only without a mask and without a cache
    (`create_causal_mask`); with either, such a row was one sequence and each document attended to the ones packed
    before it, silently (Llama too), also when padding stood between the documents. An empty dynamic cache is hidden
    from the mask builder (`PicochatModel._positions_and_mask`), so packed rows pass there; a static cache never is
    (its length is a tensor), and it was not read here either: packed rows through it, with or without a mask, were
    one sequence, logits off by ~4 on a tiny model. Left padding, right padding, holes and arange positions step
    forward and pass. The one restart let through is transformers' generate continuing a right-padded row after its
    pads (its warned case): the token after the pads takes the last pad's position + 1. 4-D masks (shared prefixes
    repeat positions on purpose, and generate gives a static cache one) are not read; a 2-D mask's columns of the new
    tokens start after the past (a static cache's mask may be as wide as the cache). One reduction, and a static
    cache's length read, not inside compiled or captured graphs."""
    two_d = isinstance(attention_mask, torch.Tensor) and attention_mask.dim() == 2
    if not (two_d or (attention_mask is None and cache is not None)):
        return
    if not _outside_eager_graphs(position_ids) or position_ids.shape[1] < 2:
        return
    past = int(cache.get_seq_length()) if cache is not None else 0
    if not two_d and past == 0 and not cache.is_compileable:
        return  # hidden from the mask builder: create_causal_mask separates the documents
    batch, length = (attention_mask.shape[0] if two_d else position_ids.shape[0]), position_ids.shape[1]
    pos = position_ids.expand(batch, length)
    kept = attention_mask[:, past:past + length] != 0 if two_d else torch.ones_like(pos, dtype=torch.bool)
    before = previous_kept_column(kept)
    before_pos = pos.gather(1, before.clamp(min=0))
    after_pads = pos[:, 1:] == pos[:, :-1] + 1  # generate's continuation of a right-padded row
    continues = torch.cat([torch.ones_like(after_pads[:, :1]), after_pads], dim=1)
    bad = kept & (before >= 0) & (pos <= before_pos) & ~continues
    if not bool(bad.any()):
        return
    row, col = (int(i) for i in bad.nonzero()[0])
    at = int(before[row, col])
    between = "" if at == col - 1 else f", across the masked columns {at + 1}..{col - 1}"
    why = "an attention_mask" if two_d else ("a cached past" if past else "a static cache")
    raise ValueError(f"PicochatModel.forward: position_ids[{row}, {col}] = {int(pos[row, col])} does not follow "
                     f"position_ids[{row}, {at}] = {int(pos[row, at])} of the kept token before it{between}; with "
                     f"{why} the row is one sequence, so packed documents would attend to each other (padding between "
                     f"them does not separate them): pass packed rows without attention_mask and without a cache (or "
                     f"with an empty dynamic one), or one document per row")


def previous_kept_column(kept: torch.Tensor) -> torch.Tensor:
    """(batch, seq) index of the nearest kept column before each column, -1 where none is. A running maximum."""
    index = torch.arange(kept.shape[1], device=kept.device).expand_as(kept)
    last = torch.cummax(torch.where(kept, index, torch.full_like(index, -1)), dim=1).values
    return torch.cat([torch.full_like(last[:, :1], -1), last[:, :-1]], dim=1)


def check_attention_mask(attention_mask: object, inputs_embeds: torch.Tensor, cache: Cache | None,
                         heads: int = 1) -> None:
    """A 2-D `attention_mask` covers the batch and every key: the past tokens in a growing cache and the new ones.

    transformers pads a shorter mask with zeros, so a decode step given a mask of its new token only had its whole
    past masked out, silently; a mask of another batch size or a 1-D one was accepted or failed by implementation.
    Prepared 4-D masks (and a BlockMask) pass as they are. A static cache's mask may be as wide as the cache (its
    columns after the new tokens are empty slots); its length is a tensor, read only outside compiled and captured
    graphs (no branch on tensor data there): a mask of the new tokens alone masked the whole past out there too, and
    with the smear failed as an index error.
    """
    if attention_mask is None:
        return
    if isinstance(attention_mask, torch.Tensor) and attention_mask.dim() == 4:
        check_4d_mask(attention_mask, inputs_embeds, cache, heads)
        return
    if not isinstance(attention_mask, torch.Tensor):
        if type(attention_mask).__name__ == "BlockMask":  # built by the caller or by generate
            return
        # a list or array failed as "'list' object has no attribute 'ndim'" inside transformers' mask code
        raise ValueError(f"PicochatModel.forward: attention_mask must be a torch.Tensor (or a BlockMask), got "
                         f"{type(attention_mask).__name__}")
    batch, length = inputs_embeds.shape[:2]
    exact = cache is None or not cache.is_compileable
    readable = cache is not None and (exact or _outside_eager_graphs(inputs_embeds))
    keys = length + (int(cache.get_seq_length()) if readable else 0)
    ok = attention_mask.dim() == 2 and attention_mask.shape[0] == batch and (
        attention_mask.shape[1] == keys if exact else attention_mask.shape[1] >= keys)
    if not ok:
        what = f"({batch}, {keys})" if exact else f"({batch}, >= {keys})"
        raise ValueError(f"PicochatModel.forward: attention_mask must have shape {what} (batch, past and new tokens) "
                         f"or be a prepared 4-D mask, got {tuple(attention_mask.shape)}")
    refuse_mask_values(attention_mask)


def refuse_mask_values(attention_mask: torch.Tensor) -> None:
    """A 2-D mask holds 1 (attend) and 0 (padding), in any dtype; any other value was read as "attend" (nonzero), as
    Llama reads it. A float mask with negative values is the additive form (0 = attend, -inf or -1e4 = masked): read
    as 1/0 it attended exactly the masked tokens. An integer mask with -1 or 2 for padding attended the padding.
    transformers' own 2-D masks are 0/1 (generate extends them with ones). Boolean masks hold nothing else and cost no
    host sync; other dtypes one reduction, not inside compiled or captured graphs."""
    if attention_mask.dtype == torch.bool or not _outside_eager_graphs(attention_mask) or attention_mask.numel() == 0:
        return
    if attention_mask.is_floating_point() and bool((attention_mask < 0).any()):
        raise ValueError("PicochatModel.forward: attention_mask holds negative values, the additive form (0 attends, "
                         "-inf masks); a 2-D mask is 1 for a token to attend and 0 for padding")
    bad = (attention_mask != 0) & (attention_mask != 1)
    if not bool(bad.any()):
        return
    at = tuple(int(i) for i in bad.nonzero()[0])
    raise ValueError(f"PicochatModel.forward: attention_mask{list(at)} = {attention_mask[at].item()!r}; a 2-D mask is 1 "
                     "for a token to attend and 0 for padding (any other value would be read as attend)")


def refuse_4d_mask_values(attention_mask: torch.Tensor) -> None:
    """A prepared 4-D mask is boolean (True attends) or additive float (0 attends, -inf or the dtype's minimum masks).
    A float keep mask of 1/0 was added to the scores as it stood, so every token attended every earlier one, masked
    or not, silently; an integer one failed inside sdpa naming no argument. The dtype check reads no tensor data; the
    float check is one reduction, not inside compiled or captured graphs."""
    if attention_mask.dtype == torch.bool:
        return
    if not attention_mask.is_floating_point():
        raise ValueError(f"PicochatModel.forward: a 4-D attention_mask must be bool (True attends) or additive float "
                         f"(0 attends, -inf masks), got {attention_mask.dtype}")
    if not _outside_eager_graphs(attention_mask) or attention_mask.numel() == 0:
        return
    if bool((attention_mask > 0).any()):
        at = tuple(int(i) for i in (attention_mask > 0).nonzero()[0])
        raise ValueError(f"PicochatModel.forward: the 4-D attention_mask{list(at)} = {attention_mask[at].item()!r}: a 4-D "
                         "float mask is additive (0 attends, -inf masks), so a 1/0 keep mask would attend every token; "
                         "give it as bool")


# an additive 4-D mask value at or below this masks its key (exp(-1e4) is 0 in every float type); above it, the key
# keeps some weight: -1.0 is a bias, not a mask
ADDITIVE_MASKED_AT = -1e4


def check_4d_mask(attention_mask: torch.Tensor, inputs_embeds: torch.Tensor, cache: Cache | None, heads: int) -> None:
    """A prepared 4-D mask is (batch or 1, heads or 1, new tokens, past and new tokens), in the dtypes of
    `refuse_4d_mask_values`, and causal: no token attends to a later one.

    transformers hands a 4-D mask to attention unchanged (Llama and NanoChat too), so a (batch, 1, 1, keys) padding
    mask, BERT's form, broadcast over the queries and let every token attend to every later one, as did an all-True
    mask: position 0's logits changed with the last token, and a model trained so learns to copy its labels, silently.
    A static cache's mask may be as wide as the cache, as in `check_attention_mask`. Shapes are Python values; the
    causality check is one reduction, not inside compiled or captured graphs."""
    refuse_4d_mask_values(attention_mask)
    batch, length = inputs_embeds.shape[:2]
    exact = cache is None or not cache.is_compileable
    readable = cache is not None and (exact or _outside_eager_graphs(inputs_embeds))
    past = int(cache.get_seq_length()) if readable else 0
    keys = past + length
    b, h, q, k = attention_mask.shape
    if not (b in (1, batch) and h in (1, heads) and q == length and (k == keys if exact else k >= keys)):
        width = keys if exact else f">= {keys}"
        raise ValueError(f"PicochatModel.forward: a 4-D attention_mask must have shape ({batch} or 1, {heads} or 1, "
                         f"{length}, {width}) (batch, heads, new tokens, past and new tokens), got "
                         f"{tuple(attention_mask.shape)}")
    if exact or readable:
        refuse_4d_future(attention_mask, past)


def refuse_4d_future(attention_mask: torch.Tensor, past: int) -> None:
    """Raise a `ValueError` naming the first place where a 4-D mask lets new token i (at cache index `past + i`) attend
    to a key after it. Not inside compiled or captured graphs."""
    if not _outside_eager_graphs(attention_mask) or attention_mask.numel() == 0:
        return
    queries, keys = attention_mask.shape[-2:]
    device = attention_mask.device
    later = torch.arange(keys, device=device)[None, :] > (torch.arange(queries, device=device) + past)[:, None]
    attends = attention_mask if attention_mask.dtype == torch.bool else attention_mask > ADDITIVE_MASKED_AT
    leak = attends & later
    if not bool(leak.any()):
        return
    at = tuple(int(i) for i in leak.nonzero()[0])
    raise ValueError(f"PicochatModel.forward: the 4-D attention_mask{list(at)} lets token {past + at[2]} attend to a "
                     f"later token ({at[3]}); a causal model's mask keeps only the keys at or before each token (mask "
                     f"the others with False, or -inf / <= {ADDITIVE_MASKED_AT:g} in an additive mask)")


def refuse_cpu_flex_masks(
    config: PreTrainedConfig,
    inputs_embeds: torch.Tensor,
    attention_mask: torch.Tensor | None,
    position_ids: torch.Tensor | None,
    mask_cache: Cache | None,
) -> None:
    """Raise a `ValueError` for the flex-attention masks torch cannot compile on CPU: padding and packed documents.

    torch's CPU flex-attention kernel (inductor's C++ template, torch 2.13) fails to compile (`'cur_kvSplitSize0' was
    not declared`) a mask that reads a tensor (the padding mask, the packed documents' ids) once the key length has
    been seen to vary: left-padded `generate` crashes after its prefill, and a padded or packed forward crashes or not
    depending on which shapes the process compiled before. transformers' Llama and NanoChat fail the same way with the
    same kernel, and the mask is transformers' own (`create_causal_mask`), so the fault is torch's. Refused before
    attention runs, whatever ran before, instead of ending in a C++ compiler log; plain causal rows are let through.
    """
    if config._attn_implementation != "flex_attention" or inputs_embeds.device.type != "cpu":
        return
    if torch.compiler.is_compiling():
        return
    if isinstance(attention_mask, torch.Tensor) and attention_mask.dim() == 2:
        masked = not bool(attention_mask.all())
    else:
        # the test create_causal_mask applies: documents are found only without a mask and without a cache
        masked = (attention_mask is None and mask_cache is None and position_ids is not None
                  and find_packed_sequence_indices(position_ids) is not None)
    if masked:
        raise ValueError(
            "PicochatModel.forward: flex_attention on CPU cannot run a padded batch or packed documents (torch's CPU "
            "flex kernel fails to compile their masks); load the model with attn_implementation='sdpa' or 'eager'"
        )


def check_logits_to_keep(logits_to_keep: object, labels: torch.Tensor | None) -> None:
    """Raise a `ValueError` for a `logits_to_keep` that is no count or position tensor, or that meets labels.

    transformers slices with `-logits_to_keep`, so -1 kept every position but the first (logits[:, i] was then
    position i + 1) and True kept one; the loss pairs each logit with the next label over the whole row, so a part of
    the logits either failed on shapes or was scored against other positions' labels. Python values only: no branch
    on tensor data, so the compiled forward is unchanged.
    """
    is_count = isinstance(logits_to_keep, int) and not isinstance(logits_to_keep, bool) and logits_to_keep >= 0
    if not (is_count or isinstance(logits_to_keep, torch.Tensor)):
        raise ValueError(f"PicochatForCausalLM.forward: logits_to_keep must be a count >= 0 (0 keeps every position) "
                         f"or a tensor of positions, got {logits_to_keep!r}")
    if labels is not None and not (is_count and logits_to_keep == 0):
        raise ValueError("PicochatForCausalLM.forward: labels need every position's logits; pass logits_to_keep=0 "
                         "with labels, or compute the loss from the kept logits yourself")


def check_labels_shape(labels: torch.Tensor | None, inputs: torch.Tensor | None) -> None:
    """`labels` as (batch, seq_len) of the inputs (`input_ids`, or `inputs_embeds` without its last axis). Another
    shape failed inside cross_entropy naming neither argument, or was flattened against other positions' logits.
    Shapes only, so the compiled forward gains no branch."""
    if labels is None or inputs is None:
        return
    check_id_dtype(labels, "labels", "PicochatForCausalLM.forward")
    want = tuple(inputs.shape[:2])
    if tuple(labels.shape) != want:
        raise ValueError(f"PicochatForCausalLM.forward: labels must have shape {want} (batch, seq_len), the inputs' "
                         f"shape, got {tuple(labels.shape)}")


def _outside_eager_graphs(tensor: torch.Tensor) -> bool:
    """True where a check may read tensor data: not while torch.compile traces nor while a CUDA graph is captured
    (a host sync there is a graph break or a capture error); compiled and captured steps replay inputs that an
    eager step has already been checked for."""
    if torch.compiler.is_compiling():
        return False
    return not (tensor.is_cuda and torch.cuda.is_current_stream_capturing())


ID_DTYPES = (torch.int64, torch.int32)  # the index types nn.Embedding reads


def check_id_dtype(ids: object, name: str, where: str) -> None:
    """A tensor of int64 or int32 ids. uint8/int8/int16 ids failed inside nn.Embedding ("Expected tensor for argument
    #1 'indices' to have one of the following scalar types: Long, Int"), as Llama's do, naming no argument; such a
    tensor may also already have wrapped ids past its range into other tokens (300 as uint8 is 44, -100 is 156), so
    it is refused rather than cast. The dtype is no tensor data: the compiled forward gains no branch."""
    if not isinstance(ids, torch.Tensor):
        raise ValueError(f"{where}: {name} must be a torch.Tensor of token ids, got {type(ids).__name__}")
    if ids.is_floating_point() or ids.is_complex() or ids.dtype == torch.bool:
        raise ValueError(f"{where}: {name} must hold integer token ids, got a {ids.dtype} tensor")
    if ids.dtype not in ID_DTYPES:
        raise ValueError(f"{where}: {name} must be int64 or int32 token ids, got {ids.dtype} (a narrower type may "
                         f"have wrapped ids past its range); convert the ids with .long() where they are made")


def check_token_ids(ids: torch.Tensor, rows: int, name: str, where: str, ignore_index: int | None = None) -> None:
    """Raise a `ValueError` naming the first id of `ids` outside [0, rows) (`ignore_index` aside).

    An id past the embedding (or a negative one) failed as a bare `IndexError: index out of range in self` on CPU
    and as a device-side assert on CUDA, naming neither the argument nor the vocabulary; a label past the head
    failed as `Target 200 is out of bounds`. One reduction and one host sync per eager forward.
    """
    check_id_dtype(ids, name, where)
    if not _outside_eager_graphs(ids) or ids.numel() == 0:
        return
    bad = (ids < 0) | (ids >= rows)
    if ignore_index is not None:
        bad &= ids != ignore_index
    if not bool(bad.any()):
        return
    at = tuple(int(i) for i in bad.nonzero()[0])
    allowed = f"in [0, {rows}) (vocab_size)" + (f" or {ignore_index}" if ignore_index is not None else "")
    raise ValueError(f"{where}: {name}{list(at)} = {int(ids[at])} is not a token id {allowed}")


def check_generation_mask(attention_mask: object) -> None:
    """Raise a `ValueError` for a prompt row whose attention mask is all zeros: `generate` has no token to continue.

    sdpa lets such a row attend everywhere (so as not to return NaN), so it used to generate fluent tokens from
    pads alone. A right-padded row (a 0 at its last position) is left to transformers, which warns: its own
    generation tests feed such masks. Holes inside a prompt are fine (generate derives positions from the mask).
    Read once per `generate`, on the prompt's mask.
    """
    if not isinstance(attention_mask, torch.Tensor) or attention_mask.dim() != 2 or attention_mask.numel() == 0:
        return
    if not _outside_eager_graphs(attention_mask):
        return
    refuse_mask_values(attention_mask)  # its padding rows would read as all zeros, named here as what they are
    empty = ~(attention_mask != 0).any(dim=-1)
    if bool(empty.any()):
        row = int(empty.nonzero()[0, 0])
        raise ValueError(f"generate: attention_mask[{row}] is all zeros, a prompt with no token to continue; drop the "
                         f"row or give it a token")


def refuse_cpu_offloaded_cache(cache: Cache | None, inputs_embeds: torch.Tensor) -> None:
    """Raise a `ValueError` for an offloaded cache (`offloading=True`: generate's "offloaded" and "offloaded_static")
    with inputs on the CPU. It moves each layer's keys and values between an accelerator and the CPU on CUDA
    streams, so on the CPU it failed inside transformers' `Cache.update` with `AssertionError: Torch not compiled
    with CUDA enabled`, or, with a CUDA build, on a device the inputs are not on. Python values only."""
    if cache is not None and getattr(cache, "offloading", False) and inputs_embeds.device.type == "cpu":
        raise ValueError("PicochatModel.forward: an offloaded cache (offloading=True, cache_implementation 'offloaded' "
                         "or 'offloaded_static') needs the model on a CUDA device; on the CPU use a dynamic or static cache")


def check_inputs(input_ids: torch.Tensor | None, inputs_embeds: torch.Tensor | None, rows: int, hidden: int) -> None:
    """Exactly one of `input_ids` (batch, seq) and `inputs_embeds` (batch, seq, hidden_size), with at least one
    token, and every id a row of the embedding. A (seq,) id tensor, an empty sequence or embeddings of another
    width failed deep in the forward (`Tensors must have same number of dimensions`, `index -1 is out of bounds`,
    a matmul shape error). Shapes are Python values, so the compiled forward gains no branch."""
    if (input_ids is None) == (inputs_embeds is None):
        raise ValueError("PicochatModel.forward: pass exactly one of input_ids or inputs_embeds")
    if input_ids is not None:
        check_id_dtype(input_ids, "input_ids", "PicochatModel.forward")
        if input_ids.dim() != 2 or input_ids.shape[1] == 0:
            raise ValueError(f"PicochatModel.forward: input_ids must have shape (batch, seq_len) with seq_len >= 1, "
                             f"got {tuple(input_ids.shape)}")
        check_token_ids(input_ids, rows, "input_ids", "PicochatModel.forward")
    elif not isinstance(inputs_embeds, torch.Tensor) or not inputs_embeds.is_floating_point():
        # integer or boolean embeddings failed in the first matmul ("expected m1 and m2 to have the same dtype")
        got = inputs_embeds.dtype if isinstance(inputs_embeds, torch.Tensor) else type(inputs_embeds).__name__
        raise ValueError(f"PicochatModel.forward: inputs_embeds must be a floating point tensor, got {got}")
    elif inputs_embeds.dim() != 3 or inputs_embeds.shape[1] == 0 or inputs_embeds.shape[2] != hidden:
        raise ValueError(f"PicochatModel.forward: inputs_embeds must have shape (batch, seq_len >= 1, {hidden}) "
                         f"(hidden_size), got {tuple(inputs_embeds.shape)}")


def check_token_type_ids(token_type_ids: object, inputs: torch.Tensor | None) -> None:
    """`token_type_ids` as a tokenizer gives them: integer, of the inputs' (batch, seq_len), all 0.

    picochat has no segment embeddings. A tokenizer (and `pipeline`, TRL's collators) may pass its `token_type_ids`,
    which failed as a `TypeError` (an unknown keyword) although all-zero ids carry nothing to honour; transformers' Llama
    takes any values and drops them, so a pair's second segment (type 1) was read as the first, silently. All zeros
    are accepted and change nothing; any other value is refused. `generate` slices and extends them for each step
    (with the last value), so it is checked there too. The dtype and shape are Python values; the values are one
    reduction, not inside compiled or captured graphs."""
    if token_type_ids is None:
        return
    where = "PicochatModel.forward: token_type_ids"
    if not isinstance(token_type_ids, torch.Tensor) or token_type_ids.is_floating_point() or token_type_ids.is_complex():
        got = token_type_ids.dtype if isinstance(token_type_ids, torch.Tensor) else type(token_type_ids).__name__
        raise ValueError(f"{where} must be an integer tensor (a tokenizer's, all 0), got {got}")
    want = tuple(inputs.shape[:2]) if inputs is not None else None
    if want is not None and tuple(token_type_ids.shape) != want:
        raise ValueError(f"{where} must have the inputs' shape {want} (batch, seq_len), got {tuple(token_type_ids.shape)}")
    if not _outside_eager_graphs(token_type_ids) or token_type_ids.numel() == 0:
        return
    other = token_type_ids != 0
    if bool(other.any()):
        at = tuple(int(i) for i in other.nonzero()[0])
        raise ValueError(f"{where}{list(at)} = {int(token_type_ids[at])}: picochat has no token type (segment) "
                         "embeddings, so only all-zero token_type_ids (one segment, as its tokenizer gives) can be "
                         "honoured; encode one segment, or drop token_type_ids")


def check_generation_inputs(attention_mask: object, input_ids: torch.Tensor | None, cache: Cache | None,
                            inputs_embeds: torch.Tensor | None = None) -> None:
    """The prompt's checks, once per `generate`: no all-zero mask row (`check_generation_mask`), `input_ids` given
    with `inputs_embeds` of the same length, and a cache passed in that does not already hold the whole prompt.

    With both, the model sees the embeddings and the ids only start the returned sequences, column for column (generate
    infers the mask from their pad tokens): ids of another length misplaced the mask, or failed on shapes (Llama too).
    A cache holding the whole prompt made transformers feed the prompt again at positions 0..n-1 on top of its cached
    keys, so every prompt token attended to a second copy of the prompt: the logits differed from the uncached ones
    (transformers' Llama too), silently. A cache from an earlier `generate` holds all but the last token, which passes.
    """
    check_generation_mask(attention_mask)
    has_ids = isinstance(input_ids, torch.Tensor) and input_ids.dim() == 2 and input_ids.shape[1] > 0
    if inputs_embeds is not None and has_ids and input_ids.shape[:2] != inputs_embeds.shape[:2]:
        raise ValueError(f"generate: input_ids has shape {tuple(input_ids.shape)} and inputs_embeds "
                         f"{tuple(inputs_embeds.shape)}; given together they are the same prompt, one id per embedding "
                         f"(the model reads the embeddings), so pass ids of the same batch and length or inputs_embeds "
                         f"alone")
    length = inputs_embeds.shape[1] if inputs_embeds is not None else (input_ids.shape[1] if has_ids else 0)
    if cache is None or length == 0:
        return
    cached = int(cache.get_seq_length())
    if cached >= length:
        raise ValueError(f"generate: the cache already holds {cached} tokens and the prompt has {length}: "
                         f"transformers would feed the prompt again on top of its cached copy; pass a cache of fewer "
                         f"tokens than the prompt (e.g. without the prompt's last token)")
