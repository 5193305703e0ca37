"""`generate` for picochat: transformers' `GenerationMixin` plus what picochat's checks and its smear need.

- With `config.smear`, each forward after a cached past needs the token before its first new one (the cache holds
  keys and values, not token ids). That token is the nearest earlier one the attention mask keeps, as in the
  uncached forward, so a right-padded row or a row with a hole before its end continues from its last real token.
  A prompt given as `inputs_embeds` is smeared from its embeddings, also when generate holds `input_ids` for its
  columns too (the model never saw those; Llama given both generates what the embeddings alone generate).
- transformers' chunked prefill (`prefill_chunk_size`) feeds the prompt a chunk at a time, each chunk as if it were
  the whole prompt: the whole prompt is kept at hand for the chunks, so the smear finds the token before a chunk and
  the prompt's checks run once, on the whole prompt.
- The quantized cache's missing package is named with the cache that needs it and the backend that needs nothing.
- A caller that wraps `prepare_inputs_for_generation` for the duration of a `generate` call, as peft's prompt
  learning does, may speak transformers 4.x: it reads and replaces the cache as `past_key_values`, where 5.x's
  generate hands it over as `cache`. Unseen, prompt tuning inserted its virtual tokens again at every step and prefix
  tuning's prefix was set aside for generate's empty cache (the forward's mask check refused both; a same-shape Llama
  generated other tokens than its forward gives). Under such a wrapper the wrapper sees the cache under both names,
  and the cache it leaves under the old name is the one the forward gets.

Self-contained like the rest of the modeling files: `save_pretrained` copies it next to the weights.
"""

import torch
from transformers import PreTrainedConfig
from transformers.cache_utils import Cache
from transformers.generation import GenerationConfig, GenerationMixin
from transformers.masking_utils import create_masks_for_generate
from transformers.utils.deprecation import deprecate_kwarg

from .input_checks import check_generation_inputs, refuse_both_names, refuse_cpu_flex_masks

# model_kwargs key under which `_prefill` hands the whole prompt to the chunks' `prepare_inputs_for_generation`
PREFILL_PROMPT = "picochat_prefill_prompt"
# transformers 4.x's name for generate's cache, which a wrapper of `prepare_inputs_for_generation` may read and replace
LEGACY_CACHE = "past_key_values"
QUANTIZED_BACKEND_PACKAGES = {"quanto": "optimum-quanto", "hqq": "hqq"}


def nearest_kept_before(mask: torch.Tensor | None, start: int) -> torch.Tensor | None:
    """(batch,) index of the last of the first `start` columns that `mask` keeps (non-zero); `start - 1` where it keeps
    none (the new token then starts its row at position 0, where nothing is smeared in). None without a mask."""
    if mask is None:
        return None
    columns = torch.arange(start, device=mask.device)
    kept = torch.where(mask[:, :start] != 0, columns, torch.full_like(columns, -1)).max(dim=1).values
    return torch.where(kept < 0, torch.full_like(kept, start - 1), kept)


def previous_kept_token(ids: torch.Tensor, mask: torch.Tensor | None, new: int) -> torch.Tensor | None:
    """The token before the last `new` of `ids` (batch, seq) that `mask` (aligned with `ids`, or None) keeps; None
    when `ids` holds nothing before them."""
    start = ids.shape[1] - new
    if start <= 0:
        return None
    if mask is None or mask.dim() != 2 or mask.shape[1] != ids.shape[1]:
        return ids[:, start - 1]
    return ids.gather(1, nearest_kept_before(mask, start)[:, None].to(ids.device))[:, 0]


def quantized_cache_error(generation_config: GenerationConfig) -> ImportError:
    config = generation_config.cache_config
    backend = config.get("backend", "quanto") if isinstance(config, dict) else getattr(config, "backend", "quanto")
    package = QUANTIZED_BACKEND_PACKAGES.get(backend, "its backend's package")
    return ImportError(
        f"generate: cache_implementation='quantized' builds a QuantizedCache with the {backend!r} backend, which needs "
        f"the {package} package, not installed here; install it, or pass "
        f"cache_config={{'backend': 'fp8'}}, which needs no extra package, or use cache_implementation='dynamic'"
    )


def cache_under_both_names(wrapper):
    """`wrapper` (a `prepare_inputs_for_generation` installed on the model) whose answer's cache is the one it left
    under `past_key_values`, if any, else its `cache`; the model's own method, which it calls, names both."""

    def prepare(*args, **kwargs) -> dict:
        try:
            model_inputs = wrapper(*args, **kwargs)
        except KeyError as exc:
            if exc.args != ("cache_position",):
                raise
            raise ValueError(f"generate: {wrapper_name(wrapper)} wraps prepare_inputs_for_generation and asks for "
                             "transformers 4.x's cache_position, which 5.x's generate no longer makes (it does so with "
                             "a static cache's 4-D mask): drop cache_implementation='static'") from exc
        if kwargs.get(PREFILL_PROMPT) is not None and widened(kwargs.get("attention_mask"), model_inputs):
            raise ValueError(f"generate: {wrapper_name(wrapper)} adds tokens to what prepare_inputs_for_generation "
                             "gives (prompt learning's virtual tokens), which a chunked prefill would add again to each "
                             "chunk: drop prefill_chunk_size")
        refuse_dropped_new_tokens(wrapper, kwargs.get("next_sequence_length"), model_inputs)
        legacy = model_inputs.pop(LEGACY_CACHE, None)
        if legacy is not None:
            model_inputs["cache"] = legacy
        return model_inputs

    prepare.wraps_legacy_caller = wrapper
    return prepare


def wrapper_name(wrapper) -> str:
    owner = getattr(wrapper, "__self__", None)
    return type(owner).__name__ if owner is not None else getattr(wrapper, "__qualname__", repr(wrapper))


def widened(mask: object, model_inputs: dict) -> bool:
    """Whether the 2-D mask a wrapper answers with is wider than the one generate gave it."""
    out = model_inputs.get("attention_mask")
    return (isinstance(mask, torch.Tensor) and isinstance(out, torch.Tensor) and mask.dim() == out.dim() == 2
            and out.shape[1] != mask.shape[1])


def refuse_dropped_new_tokens(wrapper, asked: int | None, model_inputs: dict) -> None:
    """A step that checks several new tokens (assisted decoding's candidates, a prompt continued from a cache) and
    gets back fewer from the wrapper would compute the rest as if they were never there (peft keeps the last one)."""
    new = model_inputs.get("inputs_embeds")
    new = model_inputs.get("input_ids") if new is None else new
    if asked is None or not isinstance(new, torch.Tensor) or new.shape[1] >= asked:
        return
    raise ValueError(f"generate: {wrapper_name(wrapper)} wraps prepare_inputs_for_generation and keeps {new.shape[1]} "
                     f"of the {asked} new tokens this step must compute (assisted decoding or prompt lookup checks "
                     "several at once; a cache passed to generate leaves several): drop assistant_model and "
                     "prompt_lookup_num_tokens, and pass no cache")


class PicochatGenerationMixin(GenerationMixin):
    @refuse_both_names("past_key_values", "cache")  # transformers kept `cache` and dropped the other with a warning
    def generate(self, *args, **kwargs):
        wrapper = self.__dict__.get("prepare_inputs_for_generation")
        if wrapper is None or getattr(wrapper, "__func__", None) is type(self).prepare_inputs_for_generation:
            return super().generate(*args, **kwargs)
        self.prepare_inputs_for_generation = cache_under_both_names(wrapper)
        try:
            return super().generate(*args, **kwargs)
        finally:
            self.prepare_inputs_for_generation = wrapper

    def create_masks_for_generate(
        self,
        config: PreTrainedConfig,
        inputs_embeds: torch.Tensor,
        attention_mask: torch.Tensor | None,
        cache: Cache | None,
        position_ids: torch.Tensor | None = None,
        **kwargs,
    ):
        # with a static cache `generate` builds the mask itself and the forward only sees the result (a BlockMask
        # under flex), so the padding the forward would refuse is checked here, on the 2D mask
        refuse_cpu_flex_masks(config, inputs_embeds, attention_mask, position_ids, cache)
        return create_masks_for_generate(config, inputs_embeds, attention_mask, cache, position_ids, **kwargs)

    def _prepare_cache_for_generation(self, generation_config: GenerationConfig, model_kwargs: dict, *args, **kwargs):
        try:
            return super()._prepare_cache_for_generation(generation_config, model_kwargs, *args, **kwargs)
        except ImportError as exc:
            if generation_config.cache_implementation != "quantized":
                raise
            raise quantized_cache_error(generation_config) from exc

    def _prefill(self, input_ids: torch.LongTensor, generation_config: GenerationConfig, model_kwargs: dict, *args,
                 **kwargs):
        if generation_config.prefill_chunk_size is None:
            return super()._prefill(input_ids, generation_config, model_kwargs, *args, **kwargs)
        if kwargs.get("is_first_iteration", args[0] if args else True):
            if model_kwargs.get("inputs_embeds") is not None:
                # transformers splits `input_ids`, which a prompt of embeddings leaves empty: its NanoChat and Llama
                # fail on shapes there, and picochat's forward named only the position ids
                raise ValueError("generate: prefill_chunk_size feeds the prompt's input_ids in chunks and cannot split "
                                 "a prompt given as inputs_embeds; pass input_ids, or drop prefill_chunk_size")
            check_generation_inputs(model_kwargs.get("attention_mask"), input_ids, model_kwargs.get("cache"))
        mask = model_kwargs.get("attention_mask")
        width = mask.shape[1] if isinstance(mask, torch.Tensor) and mask.dim() == 2 else input_ids.shape[1]
        model_kwargs[PREFILL_PROMPT] = (input_ids, width)
        try:
            return super()._prefill(input_ids, generation_config, model_kwargs, *args, **kwargs)
        finally:
            model_kwargs.pop(PREFILL_PROMPT, None)

    @deprecate_kwarg("past_key_values", "5.40.0", new_name="cache")
    def prepare_inputs_for_generation(
        self,
        input_ids: torch.LongTensor,
        next_sequence_length: int | None = None,
        cache: Cache | None = None,
        attention_mask: torch.LongTensor | None = None,
        inputs_embeds: torch.Tensor | None = None,
        is_first_iteration: bool | None = False,
        **kwargs,
    ) -> dict:
        """transformers' inputs for the next step, plus, with `config.smear`, the token before the new ones (generate's
        `input_ids` are already reordered for beams). The parameters are transformers' own, by name: generate looks
        for `inputs_embeds` in this signature."""
        prompt = kwargs.pop(PREFILL_PROMPT, None)
        if is_first_iteration and prompt is None:  # a chunked prefill checked the whole prompt in `_prefill`
            check_generation_inputs(attention_mask, input_ids, cache, inputs_embeds)
        model_inputs = super().prepare_inputs_for_generation(
            input_ids, next_sequence_length=next_sequence_length, cache=cache, attention_mask=attention_mask,
            inputs_embeds=inputs_embeds, is_first_iteration=is_first_iteration, **kwargs,
        )
        if self.config.smear and inputs_embeds is not None:
            new = model_inputs.get("inputs_embeds", model_inputs.get("input_ids"))
            previous = previous_after_embeds(self.get_input_embeddings(), input_ids, new.shape[1], attention_mask,
                                             inputs_embeds, cache)
            if previous is not None:
                model_inputs["smear_prev_embeds"] = previous
        elif self.config.smear and model_inputs.get("input_ids") is not None:
            model_inputs.update(self._smear_previous(input_ids, model_inputs["input_ids"].shape[1], attention_mask,
                                                     prompt, cache))
        if cache is not None and hasattr(self.__dict__.get("prepare_inputs_for_generation"), "wraps_legacy_caller"):
            model_inputs[LEGACY_CACHE] = cache
        return model_inputs

    def _smear_previous(self, input_ids: torch.Tensor, new: int, attention_mask: torch.Tensor | None,
                        prompt: tuple[torch.Tensor, int] | None, cache: Cache | None) -> dict:
        """`smear_prev_ids` for `new` tokens at the end of `input_ids` (a prompt of ids): also on a first iteration,
        as a cache passed to generate already holds part of the prompt."""
        mask = attention_mask if isinstance(attention_mask, torch.Tensor) and attention_mask.dim() == 2 else None
        if prompt is not None and cache is not None:
            # a chunk: the prompt's ids are the whole mask's columns from `width - ids.shape[1]` on (all of them unless
            # generate was given only the new tokens); the chunk ends after the cache's past, as the mask passed here
            ids, width = prompt
            end = int(cache.get_seq_length()) + new - (width - ids.shape[1])
            input_ids, mask = ids[:, :max(end, 0)], (mask[:, -end:] if mask is not None and end > 0 else None)
        elif mask is not None and mask.shape[1] >= input_ids.shape[1]:
            mask = mask[:, mask.shape[1] - input_ids.shape[1]:]  # the columns of `input_ids`
        previous = previous_kept_token(input_ids, mask, new)
        return {} if previous is None else {"smear_prev_ids": previous}


def previous_after_embeds(embed: torch.nn.Module, input_ids: torch.Tensor, new: int, attention_mask: torch.Tensor | None,
                          inputs_embeds: torch.Tensor, cache: Cache | None) -> torch.Tensor | None:
    """(batch, hidden) input embedding of the token before the last `new` of a sequence whose prompt was given as
    `inputs_embeds`, or None when nothing precedes them.

    The model saw the prompt's embeddings, never the `input_ids` generate may also hold for its columns (those only
    start the returned sequences): the previous token is the nearest earlier one the mask keeps, an embedding of the
    prompt where it falls in the prompt, else the embedding of a generated id (`input_ids` ends with those). The
    sequence's length is the 2-D mask's width (generate grows it each step) or, without one, the cache's.
    """
    mask = attention_mask if isinstance(attention_mask, torch.Tensor) and attention_mask.dim() == 2 else None
    if mask is not None:
        total = mask.shape[1]
    elif cache is not None:
        total = int(cache.get_seq_length()) + new
    else:
        return None
    start, width = total - new, inputs_embeds.shape[1]
    if start <= 0:
        return None
    kept = nearest_kept_before(mask, start)
    if kept is None:
        kept = torch.full((inputs_embeds.shape[0],), start - 1, dtype=torch.long)
    kept = kept.to(inputs_embeds.device)
    rows = torch.arange(inputs_embeds.shape[0], device=inputs_embeds.device)
    previous = inputs_embeds[rows, kept.clamp(max=width - 1)]
    generated = input_ids[:, input_ids.shape[1] - max(total - width, 0):]
    if generated.shape[1] > 0:
        ids = generated.to(inputs_embeds.device)[rows, (kept - width).clamp(min=0, max=generated.shape[1] - 1)]
        previous = torch.where((kept < width)[:, None], previous, embed(ids).to(previous.dtype))
    return previous
