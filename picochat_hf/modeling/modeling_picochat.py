"""picochat: a nanochat-style decoder-only chat model as a first-class transformers model.

Notable choices (after karpathy/nanochat `gpt.py`):
- rotary position embeddings, no learned positions, with transformers' RoPE scaling types through
  `config.rope_parameters` (linear, dynamic NTK, YaRN, LongRoPE, Llama 3) for context extension; the frequency
  tables are non-persistent buffers that `_init_weights` rebuilds, so they are right after `from_pretrained`
  (which builds on the meta device);
- QK norm: queries and keys are RMS-normalised after RoPE, which keeps attention logits bounded;
- parameter-free RMSNorm everywhere (no gain, no bias), including right after the token embedding;
- relu^2 MLP (SwiGLU as an option), no biases anywhere;
- untied input embedding and LM head by default;
- logit softcap `cap * tanh(logits / cap)` on the head;
- grouped-query attention through transformers' attention interface (eager, sdpa, flash, flex);
- nanochat's init for new models (zero residual outputs, std-0.001 head; see `_init_weights`);
- nanochat's smear as an option (`config.smear`): the previous token's normed embedding mixed into each token's.

Integration rules this file keeps (see the project's docs/hf_interop.md):
- all logit math lives in `lm_head` plus `config.final_logit_softcapping`, and the final norm lives in the
  backbone: TRL's fused LM head calls `model.model(...)` and projects with `lm_head.weight` itself;
- the KV cache is the transformers 5.x `cache` kwarg (`past_key_values` still works, with transformers'
  deprecation warning, as in the built-in models);
- transformers' shared machinery where it exists: `capture_outputs` records hidden states and attentions
  (`output_hidden_states` / `output_attentions`), `can_return_tuple` honours `return_dict=False`,
  `slice_logits_to_keep` applies `logits_to_keep`;
- packed rows: pass per-document `position_ids` and no `attention_mask`; no token then attends across
  documents (the causal mask is built per segment);
- no data-dependent Python branch in the forward, so `torch.compile(fullgraph=True)` and `torch.export` trace it
  with a static or dynamic cache (`_can_compile_fullgraph`); the exception is transformers' own "dynamic" RoPE
  type, which recomputes its frequencies when a sequence outgrows the original length;
- the file imports nothing from picochat_hf except its sibling modules (configuration, `input_checks.py`,
  `init_roles.py`, `smear.py`, `generation_picochat.py` for `generate`: relative imports, which `save_pretrained`
  copies with it), so an exported folder loads with `trust_remote_code=True` where the
  package is not installed.
"""

import copy
import math
from collections.abc import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F
from transformers import initialization as init
from transformers.cache_utils import Cache, DynamicCache
from transformers.masking_utils import create_causal_mask
from transformers.modeling_layers import GradientCheckpointingLayer
from transformers.modeling_outputs import BaseModelOutputWithPast, CausalLMOutputWithPast
from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS, dynamic_rope_update
from transformers.modeling_utils import ALL_ATTENTION_FUNCTIONS, PreTrainedModel, slice_logits_to_keep
from transformers.processing_utils import Unpack
from transformers.utils import TransformersKwargs
from transformers.utils.deprecation import deprecate_kwarg
from transformers.utils.generic import can_return_tuple
from transformers.utils.output_capturing import capture_outputs

from .configuration_picochat import PicochatConfig
from .init_roles import INIT_ROLE_ATTR, init_role
from .generation_picochat import PicochatGenerationMixin
from .input_checks import (check_attention_mask, check_given_positions, check_inputs, check_labels_shape,
                           check_logits_to_keep, check_token_ids, refuse_cpu_flex_masks, refuse_cpu_offloaded_cache,
                           refuse_both_names, refuse_unknown_kwargs)
from .loss import loss_divisor
from .smear import PicochatSmear, apply_smear, optimizer_param_groups


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


class PicochatRotaryEmbedding(nn.Module):
    """cos/sin tables for RoPE from (possibly per-document) position ids, with transformers' RoPE scaling types.

    `config.rope_parameters["rope_type"]` picks the inverse frequencies: "default" is plain RoPE with base
    `rope_theta`; the scaling types ("linear", "dynamic", "yarn", "longrope", "llama3") come from transformers'
    `ROPE_INIT_FUNCTIONS`, and `dynamic_rope_update` recomputes them in the forward for the types that depend on
    the sequence length, as in transformers' Llama-family models.
    """

    inv_freq: torch.Tensor
    original_inv_freq: torch.Tensor

    def __init__(self, config: PicochatConfig, device: torch.device | None = None):
        super().__init__()
        self.config = config
        self.max_seq_len_cached = config.max_position_embeddings
        self.original_max_seq_len = config.max_position_embeddings
        self.rope_type = config.rope_parameters["rope_type"]
        inv_freq, self.attention_scaling = self.rope_init_fn(config, device)
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.register_buffer("original_inv_freq", inv_freq.clone(), persistent=False)

    @property
    def rope_init_fn(self) -> Callable:
        if self.rope_type == "default":
            return self.compute_default_rope_parameters
        return ROPE_INIT_FUNCTIONS[self.rope_type]

    @staticmethod
    def compute_default_rope_parameters(
        config: PicochatConfig, device: torch.device | None = None, seq_len: int | None = None, **kwargs
    ) -> tuple[torch.Tensor, float]:
        """Plain RoPE: inverse frequencies `1 / theta^(2i / head_dim)`, no attention scaling."""
        base = config.rope_parameters["rope_theta"]
        dim = config.head_dim
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).to(device=device, dtype=torch.float) / dim))
        return inv_freq, 1.0

    def _apply(self, fn, recurse: bool = True):
        # `model.to(torch.bfloat16)` / `.half()` would round the inverse frequencies to 8 (bf16) or 11 (fp16) bits,
        # a phase error that grows with the position (~0.4 rad at position 2000 in bf16), so a cast model would
        # not compute what the same weights loaded with `from_pretrained(dtype=...)` compute. As there, the
        # tables stay float32 (only their device follows the module); cos/sin are cast to the input's dtype.
        tables = {name: getattr(self, name) for name in ("inv_freq", "original_inv_freq")}
        super()._apply(fn, recurse)
        for name, before in tables.items():
            after = getattr(self, name)
            if before.dtype == torch.float32 and after.dtype != torch.float32:
                setattr(self, name, before.to(device=after.device))
        return self

    @torch.no_grad()
    @dynamic_rope_update  # recomputes inv_freq for "dynamic" / "longrope" when the sequence outgrows the original
    def forward(self, x: torch.Tensor, position_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        freqs = position_ids[..., None].float() * self.inv_freq.to(device=x.device, dtype=torch.float32)
        emb = torch.cat((freqs, freqs), dim=-1)  # (B, T, head_dim), rotate-half layout
        cos = emb.cos() * self.attention_scaling
        sin = emb.sin() * self.attention_scaling
        return cos.to(x.dtype), sin.to(x.dtype)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    # nanochat's sign convention (y1 = x1 cos + x2 sin, y2 = x2 cos - x1 sin), the mirror of Llama's;
    # keeping it makes picochat weights load unchanged into transformers' NanoChatForCausalLM
    half = x.shape[-1] // 2
    return torch.cat((x[..., half:], -x[..., :half]), dim=-1)


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    # x: (B, H, T, D); cos/sin: (B, T, D) broadcast over heads
    return x * cos.unsqueeze(1) + rotate_half(x) * sin.unsqueeze(1)


def repeat_kv(x: torch.Tensor, n_rep: int) -> torch.Tensor:
    """(B, KV, T, D) -> (B, KV * n_rep, T, D): each kv head serves n_rep query heads."""
    if n_rep == 1:
        return x
    b, kv, t, d = x.shape
    return x[:, :, None].expand(b, kv, n_rep, t, d).reshape(b, kv * n_rep, t, d)


def eager_attention_forward(
    module: nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: torch.Tensor | None,
    scaling: float,
    dropout: float = 0.0,
    **kwargs,
) -> tuple[torch.Tensor, torch.Tensor]:
    key = repeat_kv(key, module.num_key_value_groups)
    value = repeat_kv(value, module.num_key_value_groups)
    scores = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        if attention_mask.dtype == torch.bool:
            scores = scores.masked_fill(~attention_mask, torch.finfo(scores.dtype).min)
        else:
            scores = scores + attention_mask
    probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(query.dtype)
    probs = F.dropout(probs, p=dropout, training=module.training)
    out = torch.matmul(probs, value).transpose(1, 2).contiguous()
    return out, probs


class PicochatAttention(nn.Module):
    def __init__(self, config: PicochatConfig, layer_idx: int):
        super().__init__()
        self.config = config
        self.layer_idx = layer_idx
        self.head_dim = config.head_dim
        self.num_heads = config.num_attention_heads
        self.num_kv_heads = config.num_key_value_heads
        self.num_key_value_groups = self.num_heads // self.num_kv_heads
        self.scaling = self.head_dim**-0.5
        self.is_causal = True
        self.q_proj = init_role(nn.Linear(config.hidden_size, self.num_heads * self.head_dim, bias=False), "input")
        self.k_proj = init_role(nn.Linear(config.hidden_size, self.num_kv_heads * self.head_dim, bias=False), "input")
        self.v_proj = init_role(nn.Linear(config.hidden_size, self.num_kv_heads * self.head_dim, bias=False), "input")
        self.o_proj = init_role(nn.Linear(self.num_heads * self.head_dim, config.hidden_size, bias=False), "residual_out")

    def forward(
        self,
        hidden_states: torch.Tensor,
        position_embeddings: tuple[torch.Tensor, torch.Tensor],
        attention_mask: torch.Tensor | None = None,
        cache: Cache | None = None,
        **kwargs,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        b, t, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(b, t, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(b, t, self.num_kv_heads, self.head_dim).transpose(1, 2)
        cos, sin = position_embeddings
        # RoPE first, then QK norm (nanochat's order): the norm bounds the rotated vectors' logits
        q = rms_norm(apply_rotary(q, cos, sin), self.config.rms_norm_eps)
        k = rms_norm(apply_rotary(k, cos, sin), self.config.rms_norm_eps)
        if cache is not None:
            k, v = cache.update(k, v, self.layer_idx)
        attention_fn: Callable = ALL_ATTENTION_FUNCTIONS.get_interface(self.config._attn_implementation, eager_attention_forward)
        out, weights = attention_fn(
            self,
            q,
            k,
            v,
            attention_mask,
            dropout=self.config.attention_dropout if self.training else 0.0,
            scaling=self.scaling,
            **kwargs,
        )
        return self.o_proj(out.reshape(b, t, -1).contiguous()), weights


class PicochatMLP(nn.Module):
    """relu^2 (nanochat): cheap and sparse; or SwiGLU when `mlp_type="swiglu"`."""

    def __init__(self, config: PicochatConfig):
        super().__init__()
        self.mlp_type = config.mlp_type
        if self.mlp_type == "swiglu":
            self.gate_proj = init_role(nn.Linear(config.hidden_size, config.intermediate_size, bias=False), "input")
        self.fc1 = init_role(nn.Linear(config.hidden_size, config.intermediate_size, bias=False), "input")
        self.fc2 = init_role(nn.Linear(config.intermediate_size, config.hidden_size, bias=False), "residual_out")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.mlp_type == "swiglu":
            return self.fc2(F.silu(self.gate_proj(x)) * self.fc1(x))
        return self.fc2(F.relu(self.fc1(x)).square())


class PicochatDecoderLayer(GradientCheckpointingLayer):
    def __init__(self, config: PicochatConfig, layer_idx: int):
        super().__init__()
        self.self_attn = PicochatAttention(config, layer_idx)
        self.mlp = PicochatMLP(config)
        self.input_layernorm = PicochatRMSNorm(config.rms_norm_eps)
        self.post_attention_layernorm = PicochatRMSNorm(config.rms_norm_eps)

    def forward(
        self,
        hidden_states: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        position_embeddings: tuple[torch.Tensor, torch.Tensor] | None = None,
        cache: Cache | None = None,
        **kwargs,
    ) -> torch.Tensor:
        attn_out, _ = self.self_attn(
            self.input_layernorm(hidden_states),
            position_embeddings=position_embeddings,
            attention_mask=attention_mask,
            cache=cache,
            **kwargs,
        )
        hidden_states = hidden_states + attn_out
        return hidden_states + self.mlp(self.post_attention_layernorm(hidden_states))


class PicochatPreTrainedModel(PreTrainedModel):
    config_class = PicochatConfig
    config: PicochatConfig
    base_model_prefix = "model"  # TRL's fused head and HF loading find the backbone by this name
    supports_gradient_checkpointing = True
    _no_split_modules = ["PicochatDecoderLayer"]  # device_map and FSDP auto-wrap unit
    _supports_sdpa = True
    _supports_flash_attn = True
    _supports_flex_attn = True
    _supports_attention_backend = True
    _can_compile_fullgraph = True
    # forward hooks `capture_outputs` installs: each decoder layer's output is a hidden state, each attention
    # module's second output its attention probabilities (eager attention only; sdpa and flash return none)
    _can_record_outputs = {"hidden_states": PicochatDecoderLayer, "attentions": PicochatAttention}

    def __init__(self, config: PicochatConfig, *inputs, **kwargs):
        # A config's fields can change after it was checked: `from_pretrained(path, field=value)` and
        # `from_config` overrides are set one by one on the built config, and so is `config.field = value`. Checked
        # again here, before any layer is sized or any logit computed from them (an infinite softcap or a negative
        # eps would otherwise give NaN logits without an error).
        config.check_before_building()
        super().__init__(config, *inputs, **kwargs)

    def resize_token_embeddings(
        self, new_num_tokens: int | None = None, pad_to_multiple_of: int | None = None, mean_resizing: bool = True
    ) -> nn.Embedding:
        # transformers shrinks the embedding and `config.vocab_size` past the special tokens without a word; the pad
        # token would then index outside the embedding on the first padded batch. Checked before any weight changes.
        if isinstance(new_num_tokens, int):
            rows = new_num_tokens
            if isinstance(pad_to_multiple_of, int) and pad_to_multiple_of > 0:
                rows = -(-rows // pad_to_multiple_of) * pad_to_multiple_of
            probe = copy.copy(self.config)
            probe.vocab_size = rows
            try:
                probe.validate_architecture()  # sizes first: `resize_token_embeddings(10**12)` would allocate it
                probe.validate_token_ids()
            except ValueError as exc:
                raise ValueError(f"{exc}; resize_token_embeddings({new_num_tokens}) leaves {rows} rows") from None
        return super().resize_token_embeddings(new_num_tokens, pad_to_multiple_of, mean_resizing)

    def optimizer_param_groups(self, weight_decay: float = 0.0, smear_lr: float | None = None) -> list[dict]:
        """Optimizer groups; `smear_lr` gives the smear's scalars their own rate. See `smear.optimizer_param_groups`."""
        return optimizer_param_groups(self, weight_decay, smear_lr)

    @torch.no_grad()
    def _init_weights(self, module: nn.Module) -> None:
        # nanochat's init (karpathy/nanochat `GPT.init_weights`, commit 48abd7d): uniform with std
        # 1/sqrt(hidden_size) for the projections that read the residual stream (q, k, v, fc1, gate), zero for
        # the ones that write into it (o_proj, fc2) so every block starts as the identity, std-1 embedding (a
        # norm follows it), std-0.001 LM head.
        #
        # This acts on the leaf nn.Linear / nn.Embedding modules, which carry their role (`init_role`), and
        # never on the containers: for custom code (ours, or a trust_remote_code export) transformers 5.x
        # marks a module whose own parameters are all initialised as done and skips `_init_weights` on it,
        # so an attention or MLP block, which holds no parameter of its own, is never visited. Leaves are
        # visited by `PicochatForCausalLM(config)`, `from_config`, `init_weights()` (on a model built under
        # `no_init_weights`) and `from_pretrained` (only the missing weights: the `transformers.initialization`
        # functions leave loaded tensors alone).
        cfg = self.config
        role = getattr(module, INIT_ROLE_ATTR, None)
        if isinstance(module, nn.Linear) and role is not None:
            if role == "input":
                bound = math.sqrt(3.0) / math.sqrt(cfg.hidden_size)  # uniform with std 1/sqrt(hidden_size)
                init.uniform_(module.weight, -bound, bound)
            elif role == "residual_out":
                if cfg.residual_init_std > 0:  # an opt-out of nanochat's zeros (config.residual_init_std)
                    init.normal_(module.weight, mean=0.0, std=cfg.residual_init_std)
                else:
                    init.zeros_(module.weight)
            elif role == "lm_head" and not cfg.tie_word_embeddings:  # tied: the embedding's init wins
                init.normal_(module.weight, mean=0.0, std=0.001)
            elif role == "smear_gate":  # nanochat: uniform [0, 0.02]
                init.uniform_(module.weight, 0.0, 0.02)
        elif isinstance(module, PicochatSmear):
            init.zeros_(module.smear_lambda)  # the smear starts switched off and is learned
        elif isinstance(module, nn.Embedding):
            init.normal_(module.weight, mean=0.0, std=1.0)
        elif isinstance(module, PicochatRotaryEmbedding):
            # non-persistent buffers (inv_freq, original_inv_freq): never in the checkpoint, garbage after a
            # meta-device load; transformers' default rebuilds them from `rope_init_fn` for the config's RoPE type
            super()._init_weights(module)
        elif isinstance(module, nn.Linear):
            # a linear layer without a role (e.g. one added to the model by hand): transformers' default
            super()._init_weights(module)


class PicochatModel(PicochatPreTrainedModel):
    """The backbone: embedding, norm, blocks, final norm. Returns the normed last hidden state."""

    def __init__(self, config: PicochatConfig):
        super().__init__(config)
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([PicochatDecoderLayer(config, i) for i in range(config.num_hidden_layers)])
        self.norm = PicochatRMSNorm(config.rms_norm_eps)
        self.rotary_emb = PicochatRotaryEmbedding(config)
        self.smear = PicochatSmear(config) if config.smear else None
        self.gradient_checkpointing = False
        self.post_init()

    def get_input_embeddings(self) -> nn.Embedding:
        return self.embed_tokens

    def set_input_embeddings(self, value: nn.Embedding) -> None:
        self.embed_tokens = value

    def _positions_and_mask(
        self,
        inputs_embeds: torch.Tensor,
        attention_mask: torch.Tensor | None,
        position_ids: torch.LongTensor | None,
        cache: Cache | None,
    ) -> tuple[torch.Tensor, object]:
        """The new tokens' position ids (after the cached past unless given) and the mask the attention layers get,
        once `attention_mask`, `position_ids` and the cache are checked against the inputs."""
        check_attention_mask(attention_mask, inputs_embeds, cache, self.config.num_attention_heads)
        if position_ids is None:
            past_seen = cache.get_seq_length() if cache is not None else 0  # a tensor for a static cache
            position_ids = (torch.arange(inputs_embeds.shape[1], device=inputs_embeds.device) + past_seen)[None]
        else:
            position_ids = check_given_positions(position_ids, inputs_embeds, attention_mask, cache)
        refuse_cpu_offloaded_cache(cache, inputs_embeds)
        # create_causal_mask finds the documents of packed rows (per-document position_ids, no attention_mask) only
        # when it gets no cache. A dynamic cache that holds no past yet changes nothing else in the mask, so it is
        # hidden from the mask builder. The test looks only at Python values: a dynamic cache's length is a Python
        # int, and a compileable (static) cache, whose length is a tensor, is never hidden, so there is no
        # data-dependent branch and `torch.compile(fullgraph=True)` traces the forward with any cache.
        mask_cache = cache
        if cache is not None and not cache.is_compileable and cache.get_seq_length() == 0:
            mask_cache = None
        refuse_cpu_flex_masks(self.config, inputs_embeds, attention_mask, position_ids, mask_cache)
        causal_mask = create_causal_mask(
            config=self.config,
            inputs_embeds=inputs_embeds,
            attention_mask=attention_mask,
            cache=mask_cache,
            position_ids=position_ids,
        )
        return position_ids, causal_mask

    @capture_outputs
    @refuse_both_names("past_key_values", "cache")
    @deprecate_kwarg("past_key_values", "5.40.0", new_name="cache")
    def forward(
        self,
        input_ids: torch.LongTensor | None = None,
        attention_mask: torch.Tensor | None = None,
        position_ids: torch.LongTensor | None = None,
        cache: Cache | None = None,
        inputs_embeds: torch.Tensor | None = None,
        use_cache: bool | None = None,
        smear_prev_ids: torch.LongTensor | None = None,
        smear_prev_embeds: torch.Tensor | None = None,
        **kwargs: Unpack[TransformersKwargs],
    ) -> BaseModelOutputWithPast:
        r"""
        smear_prev_ids (`torch.LongTensor` of shape `(batch_size,)`, *optional*):
            With `config.smear`, the token before the first new one when the past is in `cache` (`generate` passes
            it): with a 2-D padding mask, the last past token the mask keeps (a row whose past is all padding gets
            nothing mixed in, whatever is passed); ignored without the smear.
        smear_prev_embeds (`torch.Tensor` of shape `(batch_size, hidden_size)`, *optional*):
            The same as an input embedding, for a past given as `inputs_embeds`.
        """
        refuse_unknown_kwargs(kwargs, "PicochatModel.forward")
        rows = getattr(self.embed_tokens, "num_embeddings", None) or self.config.vocab_size
        check_inputs(input_ids, inputs_embeds, rows, self.config.hidden_size)
        if use_cache is None:
            # never build a cache while training: a cache object would disable packed-sequence masking
            use_cache = self.config.use_cache and not self.training
        if use_cache and cache is None:
            cache = DynamicCache(config=self.config)
        # a cache the caller passes holds the past tokens and is used whatever `use_cache` says (as in Llama):
        # dropping it would compute the new tokens as if they started the sequence
        if inputs_embeds is None:
            inputs_embeds = self.embed_tokens(input_ids)
        position_ids, causal_mask = self._positions_and_mask(inputs_embeds, attention_mask, position_ids, cache)
        position_embeddings = self.rotary_emb(inputs_embeds, position_ids)
        hidden_states = self.norm(inputs_embeds)
        if self.smear is not None:
            hidden_states = apply_smear(self, hidden_states, attention_mask, position_ids, cache, smear_prev_ids,
                                        smear_prev_embeds)
        for layer in self.layers:
            hidden_states = layer(
                hidden_states,
                attention_mask=causal_mask,
                position_embeddings=position_embeddings,
                cache=cache,
                position_ids=position_ids,
                **kwargs,
            )
        return BaseModelOutputWithPast(last_hidden_state=self.norm(hidden_states), cache=cache)


class PicochatForCausalLM(PicochatPreTrainedModel, PicochatGenerationMixin):
    _tied_weights_keys = {"lm_head.weight": "model.embed_tokens.weight"}
    # the head is sharded on the vocabulary like the embedding (transformers adds `embedding_rowwise` for it),
    # so a tied pair stays sharded together; logits are gathered back to full width
    _tp_plan = {"lm_head": "colwise_gather_output"}
    _pp_plan = {"lm_head": (["hidden_states"], ["logits"])}
    # FSDP2 keeps the head's gathered weight after the forward, as the backward needs it at once (transformers'
    # NanoChat and Llama); with tied weights transformers moves this rule to the embedding, so the pair is one unit
    _fsdp_plan = {"lm_head": "keep_full_weight"}

    def __init__(self, config: PicochatConfig):
        super().__init__(config)
        self.model = PicochatModel(config)
        self.vocab_size = config.vocab_size
        self.lm_head = init_role(nn.Linear(config.hidden_size, config.vocab_size, bias=False), "lm_head")
        self.post_init()

    def get_output_embeddings(self) -> nn.Linear:
        return self.lm_head

    def save_pretrained(self, save_directory, *args, **kwargs):
        # one `_auto_class` per class: add the backbone's entry so AutoModel also loads the folder remotely
        if self._auto_class is not None:
            auto_map = dict(getattr(self.config, "auto_map", None) or {})
            auto_map.setdefault("AutoModel", f"{type(self).__module__.split('.')[-1]}.PicochatModel")
            self.config.auto_map = auto_map
        return super().save_pretrained(save_directory, *args, **kwargs)

    def set_output_embeddings(self, new_embeddings: nn.Linear) -> None:
        self.lm_head = new_embeddings

    def _get_resized_lm_head(self, old_lm_head: nn.Linear, new_num_tokens: int | None = None, transposed: bool = False,
                             mean_resizing: bool = True) -> nn.Linear:
        # transformers builds the resized head as a new nn.Linear and, with `mean_resizing=False`, initialises it
        # before it carries a role, i.e. with `initializer_range` (20x nanochat's head std). The new head keeps the
        # old one's role, and without mean resizing its added rows get nanochat's std-0.001 init.
        old_rows = old_lm_head.weight.shape[1 if transposed else 0]
        new = super()._get_resized_lm_head(old_lm_head, new_num_tokens, transposed, mean_resizing)
        if new is old_lm_head:
            return new
        init_role(new, getattr(old_lm_head, INIT_ROLE_ATTR, None) or "lm_head")
        if not mean_resizing and not self.config.tie_word_embeddings and new.weight.shape[0] > old_rows:
            with torch.no_grad():
                new.weight[old_rows:].normal_(mean=0.0, std=0.001)
        return new

    @can_return_tuple
    @refuse_both_names("past_key_values", "cache")
    @refuse_both_names("num_logits_to_keep", "logits_to_keep")
    @deprecate_kwarg("past_key_values", "5.40.0", new_name="cache")
    # transformers 4.4x's name: unrenamed it fell into **kwargs and every position's logits came back
    @deprecate_kwarg("num_logits_to_keep", "6.0.0", new_name="logits_to_keep")
    def forward(
        self,
        input_ids: torch.LongTensor | None = None,
        attention_mask: torch.Tensor | None = None,
        position_ids: torch.LongTensor | None = None,
        cache: Cache | None = None,
        inputs_embeds: torch.Tensor | None = None,
        labels: torch.LongTensor | None = None,
        use_cache: bool | None = None,
        logits_to_keep: int | torch.Tensor = 0,
        smear_prev_ids: torch.LongTensor | None = None,
        smear_prev_embeds: torch.Tensor | None = None,
        **kwargs: Unpack[TransformersKwargs],
    ) -> CausalLMOutputWithPast:
        r"""`smear_prev_ids` and `smear_prev_embeds`: as in `PicochatModel.forward`."""
        refuse_unknown_kwargs(kwargs, "PicochatForCausalLM.forward")
        check_logits_to_keep(logits_to_keep, labels)
        check_labels_shape(labels, input_ids if input_ids is not None else inputs_embeds)
        outputs: BaseModelOutputWithPast = self.model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            position_ids=position_ids,
            cache=cache,
            inputs_embeds=inputs_embeds,
            use_cache=use_cache,
            smear_prev_ids=smear_prev_ids,
            smear_prev_embeds=smear_prev_embeds,
            **kwargs,
        )
        hidden_states = slice_logits_to_keep(outputs.last_hidden_state, logits_to_keep)
        logits = self.lm_head(hidden_states)
        cap = self.config.final_logit_softcapping
        if cap is not None:
            logits = cap * torch.tanh(logits / cap)
        loss = None
        if labels is not None:
            check_token_ids(labels, logits.shape[-1], "labels", "PicochatForCausalLM.forward",
                            ignore_index=kwargs.get("ignore_index", -100))
            labels = labels.long()  # int32 labels (a collator's choice) failed in cross_entropy's dtype check
            # sums the token losses and divides by num_items_in_batch (the Trainer's, or this batch's, at least 1)
            kwargs["num_items_in_batch"] = loss_divisor(labels, kwargs.get("num_items_in_batch"),
                                                        kwargs.get("shift_labels"), kwargs.get("ignore_index", -100))
            loss = self.loss_function(logits, labels, self.vocab_size, **kwargs)
        return CausalLMOutputWithPast(
            loss=loss,
            logits=logits,
            cache=outputs.cache,
            hidden_states=outputs.hidden_states,
            attentions=outputs.attentions,
        )


__all__ = ["PicochatPreTrainedModel", "PicochatModel", "PicochatForCausalLM"]
