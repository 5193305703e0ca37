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
- the file imports nothing from picochat_hf except its sibling modules, by relative imports, which `save_pretrained`
  copies with it (transformers follows them from file to file), so an exported folder loads with
  `trust_remote_code=True` where the package is not installed. The parts live where they do one thing:
  `norm.py` (RMSNorm), `rotary.py` (RoPE), `attention.py`, `decoder_layer.py` (MLP and block), `smear.py`,
  `input_checks.py`, `loss.py`, `init_roles.py`, `generation_picochat.py` (`generate`); this file holds the
  backbone (`PicochatModel`) and the LM head (`PicochatForCausalLM`), which the exported `auto_map` names, and
  re-exports the parts' classes under their old import path.
"""


import copy
import math

import torch
import torch.nn as nn
from transformers import initialization as init
from transformers.cache_utils import Cache, DynamicCache
from transformers.masking_utils import create_causal_mask
from transformers.modeling_outputs import BaseModelOutputWithPast, CausalLMOutputWithPast
from transformers.modeling_utils import PreTrainedModel, slice_logits_to_keep
from transformers.processing_utils import Unpack
from transformers.utils import TransformersKwargs
from transformers.utils.deprecation import deprecate_kwarg
from transformers.utils.generic import can_return_tuple
from transformers.utils.output_capturing import capture_outputs

from .attention import PicochatAttention, eager_attention_forward, repeat_kv  # noqa: F401 (re-exported)
from .configuration_picochat import PicochatConfig
from .decoder_layer import PicochatDecoderLayer, PicochatMLP  # noqa: F401 (re-exported)
from .init_roles import INIT_ROLE_ATTR, init_role
from .generation_picochat import PicochatGenerationMixin
from .input_checks import (check_attention_mask, check_given_positions, check_inputs, check_labels_shape,
                           check_logits_to_keep, check_token_ids, check_token_type_ids, refuse_cpu_flex_masks, refuse_cpu_offloaded_cache,
                           refuse_both_names, refuse_unknown_kwargs)
from .loss import loss_divisor
from .norm import PicochatRMSNorm, rms_norm  # noqa: F401 (re-exported)
from .rotary import PicochatRotaryEmbedding, apply_rotary, rotate_half  # noqa: F401 (re-exported)
from .smear import PicochatSmear, apply_smear, optimizer_param_groups


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
        normal = getattr(cfg, "init_scheme", "nanochat") == "normal"
        if normal and role != "smear_gate" and isinstance(module, (nn.Linear, nn.Embedding)):
            # transformers' default (Llama's): every weight normal with std initializer_range; the smear gate keeps
            # nanochat's rule, and the smear's scalar (below) starts at 0 either way
            init.normal_(module.weight, mean=0.0, std=cfg.initializer_range)
        elif isinstance(module, nn.Linear) and role is not None:
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
        token_type_ids: torch.LongTensor | None = None,
        **kwargs: Unpack[TransformersKwargs],
    ) -> BaseModelOutputWithPast:
        r"""
        smear_prev_ids (`torch.LongTensor` of shape `(batch_size,)`, *optional*):
            With `config.smear`, the token before the first new one when the past is in `cache` (`generate` passes
            it): with a 2-D padding mask, the last past token the mask keeps (a row whose past is all padding gets
            nothing mixed in, whatever is passed); ignored without the smear.
        smear_prev_embeds (`torch.Tensor` of shape `(batch_size, hidden_size)`, *optional*):
            The same as an input embedding, for a past given as `inputs_embeds`.
        token_type_ids (`torch.LongTensor` of shape `(batch_size, sequence_length)`, *optional*):
            What a tokenizer (and `generate`, which extends them) may pass: picochat has no segment embeddings, so
            all zeros (one segment) is accepted and changes nothing, and any other value is refused.
        """
        refuse_unknown_kwargs(kwargs, "PicochatModel.forward")
        rows = getattr(self.embed_tokens, "num_embeddings", None) or self.config.vocab_size
        check_inputs(input_ids, inputs_embeds, rows, self.config.hidden_size)
        check_token_type_ids(token_type_ids, input_ids if input_ids is not None else inputs_embeds)
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
        if self.config.embedding_scale != 1.0:  # a config value: no data-dependent branch
            hidden_states = hidden_states * self.config.embedding_scale
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
        token_type_ids: torch.LongTensor | None = None,
        **kwargs: Unpack[TransformersKwargs],
    ) -> CausalLMOutputWithPast:
        r"""`smear_prev_ids`, `smear_prev_embeds` and `token_type_ids`: as in `PicochatModel.forward`."""
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
            token_type_ids=token_type_ids,
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
