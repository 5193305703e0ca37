"""Configuration for picochat, a nanochat-style decoder-only chat model.

Self-contained on purpose: `save_pretrained` copies this file next to the weights, so it may import only
from transformers and the standard library.
"""

from __future__ import annotations

import math

from transformers import PreTrainedConfig
from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS

_MLP_TYPES = ("relu2", "swiglu")
_INIT_SCHEMES = ("nanochat", "normal")
# Upper bounds on sizes, far above any real model's (largest vocabularies ~262k, widths ~16k, contexts ~10M), so a
# typo (`vocab_size: 10**12`) is refused before allocation instead of exhausting memory. Kept in this file, not in
# YAML, because `save_pretrained` copies it alone next to the weights.
_SIZE_LIMITS = {"vocab_size": 2**22, "hidden_size": 2**16, "intermediate_size": 2**18, "num_hidden_layers": 2**10,
                "num_attention_heads": 2**10, "num_key_value_heads": 2**10, "head_dim": 2**10,
                "max_position_embeddings": 2**24}
# 10x nanochat's largest trained depth (d64, ~13B parameters): fields each within their limit can still multiply
# into a model no machine holds
_MAX_PARAMETERS = 10**11


def _finite_number(value: object) -> bool:
    """A real, finite int or float; `True` is not a number here."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class PicochatConfigError(ValueError):
    """A config value no picochat model can be built with; `field` names it. The command line reports it as bad
    input (one line, exit 2) wherever the value came from: a preset, `--set model_config=...`, a config.json."""

    def __init__(self, message: str):
        super().__init__(message)
        head = message.split(":", 1)[0]
        self.field = head.split(".", 1)[1] if head.startswith("PicochatConfig.") else None


# (lowest, highest) of each float field, each bound (value, inclusive) or None. The upper bounds stop values that
# compute without an error and train nothing: a residual std of 1e300 overflows float32 at init (NaN logits), an
# eps of 1e300 divides every hidden state to 0; 1 is already past any model's (nanochat: eps 1e-6, embedding std 1).
_NUMBER_RANGES = {"final_logit_softcapping": ((0.0, False), None), "rms_norm_eps": ((0.0, False), (1.0, True)),
                  "initializer_range": ((0.0, True), (1.0, True)), "residual_init_std": ((0.0, True), (1.0, True)),
                  "attention_dropout": ((0.0, True), (1.0, False)), "embedding_scale": ((0.0, False), None)}


def _within(value: float, low: tuple[float, bool], high: tuple[float, bool] | None) -> bool:
    above = value >= low[0] if low[1] else value > low[0]
    return above and (high is None or (value <= high[0] if high[1] else value < high[0]))


def _span(low: tuple[float, bool], high: tuple[float, bool] | None) -> str:
    if high is None:
        return f"{'>=' if low[1] else '>'} {low[0]:g}"
    return f"in {'[' if low[1] else '('}{low[0]:g}, {high[0]:g}{']' if high[1] else ')'}"


def _check_switch(name: str, value: object) -> None:
    """A switch is a boolean: the string "false" is true to Python, so a quoted YAML or CSV value flipped it."""
    if not isinstance(value, bool):
        raise PicochatConfigError(f"PicochatConfig.{name}: must be true or false, got {value!r}")


def _resolve_aliases(kwargs: dict, **given: object) -> dict:
    """`given` with the values passed under nanochat's names (`n_embd`, ...: `attribute_map`), popped from `kwargs`.
    Left in `kwargs`, transformers would set them after the checks and after the MLP width and head_dim were derived
    from the default width. A name whose value differs from its alias's, and from its default, is refused."""
    import inspect

    defaults = inspect.signature(PicochatConfig.__init__).parameters
    out = dict(given)
    for alias, name in PicochatConfig.attribute_map.items():
        if alias not in kwargs:
            continue
        value = kwargs.pop(alias)
        if out[name] != value and out[name] != defaults[name].default:
            raise PicochatConfigError(f"PicochatConfig.{name}: given as {out[name]!r} and as {alias}={value!r}; give one")
        out[name] = value
    return out


def _check_given(rope_parameters: object, **sizes: object) -> None:
    """The arguments `__init__` derives other fields from or copies: sizes, and RoPE as a mapping."""
    for name, value in sizes.items():
        _check_size(name, value)
    if rope_parameters is not None and not isinstance(rope_parameters, dict):
        raise PicochatConfigError(f"PicochatConfig.rope_parameters: must be a mapping (rope_type, rope_theta, ...) or "
                                  f"None, got {rope_parameters!r}")


def _check_size(name: str, value: object) -> None:
    """A size is a positive integer within `_SIZE_LIMITS`; `true` is no width, 64.0 no count."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise PicochatConfigError(f"PicochatConfig.{name}: must be a positive integer, got {value!r}")
    if value > _SIZE_LIMITS[name]:
        raise PicochatConfigError(f"PicochatConfig.{name}: {value} is too large (at most {_SIZE_LIMITS[name]})")


class PicochatConfig(PreTrainedConfig):
    r"""
    Configuration of a [`PicochatForCausalLM`]. Field names follow transformers conventions so that
    `from_pretrained`, TRL, PEFT and lm-eval read them without adapters.

    Args:
        vocab_size (`int`): tokenizer vocabulary size.
        hidden_size (`int`): model width.
        intermediate_size (`int`, *optional*): MLP width; defaults to 4 x hidden_size (relu2) or
            the SwiGLU equivalent 8/3 x hidden_size rounded up to a multiple of 64.
        num_hidden_layers (`int`): number of transformer blocks.
        num_attention_heads (`int`): query heads.
        num_key_value_heads (`int`, *optional*): key/value heads (GQA); defaults to num_attention_heads.
        head_dim (`int`, *optional*): per-head width; defaults to hidden_size // num_attention_heads.
        max_position_embeddings (`int`): the context length the model is trained for; RoPE scaling types that
            extend the context (`dynamic`, `yarn`, `llama3`, `longrope`) take it as the original length.
        rope_parameters (`dict`, *optional*): RoPE as transformers 5.x models take it: `rope_theta` (the base,
            default 10000) and `rope_type` (`"default"`, or a scaling type of transformers' `ROPE_INIT_FUNCTIONS`:
            `"linear"`, `"dynamic"`, `"yarn"`, `"longrope"`, `"llama3"`) with that type's fields (`factor`, ...).
            A `rope_theta` keyword (older configs) is folded in.
        rms_norm_eps (`float`): epsilon of the parameter-free RMSNorm.
        mlp_type (`str`): `"relu2"` (nanochat) or `"swiglu"`.
        final_logit_softcapping (`float`, *optional*): logits become `cap * tanh(logits / cap)`; None disables.
        initializer_range (`float`): std of a linear layer that has no nanochat init rule (none by default).
        residual_init_std (`float`): std of the normal init of the projections that write into the residual
            stream (`o_proj`, `fc2`). 0 (nanochat) makes them zero, so every block starts as the identity.
        init_scheme (`str`): `"nanochat"` (the rules of `_init_weights`: std-1 embedding, uniform inputs with std
            1/sqrt(hidden_size), zero residual outputs unless `residual_init_std`, std-0.001 head) or `"normal"`
            (transformers' default, as in Llama: every linear and embedding weight normal with std
            `initializer_range`). Only new weights are affected; a checkpoint's weights load as saved.
        embedding_scale (`float`): the normed token embedding is multiplied by this before the first block (1.0 in
            nanochat: the residual stream starts at RMS 1). A small value (0.02, the RMS of Llama's std-0.02
            embedding) lets the blocks' first writes (a previous-token head's output, which copying from the
            context needs) weigh as much as the token itself; see docs/demo_research.md. Not expressible as
            transformers' NanoChat, so the native export refuses a value other than 1.
        attention_dropout (`float`): dropout on attention probabilities (0 in nanochat).
        smear (`bool`): nanochat's smear: each token's normed embedding gets the previous token's added, scaled by a
            learned scalar (0 at init) and a per-token sigmoid gate read from its first `smear_channels` channels.
            Cheap bigram information: an attention layer can then match "the token after X" in one step, which
            copying and induction otherwise need two layers for. Off by default (and in checkpoints saved without it).
            It never reaches across a document start (a position id of 0), so left padding and packed rows do not
            leak into a row's first token.
        smear_channels (`int`): channels the smear gate reads (24 in nanochat; at most hidden_size).
        tie_word_embeddings (`bool`): share the input embedding and the LM head (False in nanochat).
    """

    model_type = "picochat"
    keys_to_ignore_at_inference = ["cache"]
    attribute_map = {"n_embd": "hidden_size", "n_layer": "num_hidden_layers", "n_head": "num_attention_heads", "n_kv_head": "num_key_value_heads"}
    base_model_tp_plan = {
        "layers.*.self_attn.q_proj": "colwise",
        "layers.*.self_attn.k_proj": "colwise",
        "layers.*.self_attn.v_proj": "colwise",
        "layers.*.self_attn.o_proj": "rowwise",
        "layers.*.mlp.fc1": "colwise",
        "layers.*.mlp.fc2": "rowwise",
    }

    def __init__(
        self,
        vocab_size: int = 32768,
        hidden_size: int = 256,
        intermediate_size: int | None = None,
        num_hidden_layers: int = 4,
        num_attention_heads: int = 2,
        num_key_value_heads: int | None = None,
        head_dim: int | None = None,
        max_position_embeddings: int = 2048,
        rope_parameters: dict | None = None,
        rms_norm_eps: float = 1e-6,
        mlp_type: str = "relu2",
        final_logit_softcapping: float | None = 15.0,
        initializer_range: float = 0.02,
        residual_init_std: float = 0.0,
        init_scheme: str = "nanochat",
        embedding_scale: float = 1.0,
        attention_dropout: float = 0.0,
        smear: bool = False,
        smear_channels: int = 24,
        use_cache: bool = True,
        tie_word_embeddings: bool = False,
        bos_token_id: int | None = 0,
        eos_token_id: int | None = None,
        pad_token_id: int | None = None,
        **kwargs,
    ):
        hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads = _resolve_aliases(
            kwargs, hidden_size=hidden_size, num_hidden_layers=num_hidden_layers, num_attention_heads=num_attention_heads,
            num_key_value_heads=num_key_value_heads).values()
        # the sizes the defaults below are derived from are checked first, so a string or None is named as such
        _check_given(rope_parameters, vocab_size=vocab_size, hidden_size=hidden_size, num_hidden_layers=num_hidden_layers,
                     num_attention_heads=num_attention_heads, max_position_embeddings=max_position_embeddings)
        self._assign_shape(vocab_size=vocab_size, hidden_size=hidden_size, intermediate_size=intermediate_size,
                           num_hidden_layers=num_hidden_layers, num_attention_heads=num_attention_heads,
                           num_key_value_heads=num_key_value_heads, head_dim=head_dim, mlp_type=mlp_type,
                           max_position_embeddings=max_position_embeddings)
        # transformers standardises it in `super().__init__`: `rope_type` defaults to "default", and `rope_theta`
        # comes from the dict, a `rope_theta` keyword (configs saved before rope_parameters), or 10000
        self.rope_parameters = dict(rope_parameters) if rope_parameters is not None else None
        self.rms_norm_eps = rms_norm_eps
        self.final_logit_softcapping, self.initializer_range = final_logit_softcapping, initializer_range
        self.residual_init_std, self.init_scheme, self.embedding_scale = residual_init_std, init_scheme, embedding_scale
        self.attention_dropout, self.smear, self.smear_channels = attention_dropout, smear, smear_channels
        self.use_cache = use_cache
        # the shape first: transformers' own validators, run by `super().__init__` (RoPE among them), assume one
        self.validate_architecture()
        _check_switch("tie_word_embeddings", tie_word_embeddings)
        self._init_transformers_config(bos_token_id=bos_token_id, eos_token_id=eos_token_id, pad_token_id=pad_token_id,
                                       tie_word_embeddings=tie_word_embeddings, **kwargs)
        self.validate_rope_support()
        self.validate_token_ids()
        if self.mlp_type == "swiglu":
            # the gate reads the residual stream as fc1 does and is sharded the same way: unsharded, its full width
            # would meet fc1's shard in `silu(gate) * fc1` (a rule for it in a relu2 model would be a rule that matches
            # nothing). Not serialised: transformers drops `base_model_tp_plan` from config.json.
            self.base_model_tp_plan = {**type(self).base_model_tp_plan, "layers.*.mlp.gate_proj": "colwise"}

    def _assign_shape(self, *, vocab_size: int, hidden_size: int, intermediate_size: int | None, num_hidden_layers: int,
                      num_attention_heads: int, num_key_value_heads: int | None, head_dim: int | None, mlp_type: str,
                      max_position_embeddings: int) -> None:
        """The model's sizes, with the defaults derived from the width and head count (see the class docstring)."""
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.num_key_value_heads = num_attention_heads if num_key_value_heads is None else num_key_value_heads
        self.head_dim = head_dim if head_dim is not None else (hidden_size // num_attention_heads if num_attention_heads else 0)
        self.mlp_type = mlp_type
        if intermediate_size is None:
            intermediate_size = 4 * hidden_size if mlp_type == "relu2" else 64 * -(-(8 * hidden_size // 3) // 64)
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings

    def _init_transformers_config(self, **kwargs) -> None:
        """`PreTrainedConfig.__init__`, whose RoPE check names a missing field with a bare KeyError: named here."""
        try:
            super().__init__(**kwargs)
        except KeyError as exc:  # transformers' RoPE check names missing fields with a KeyError
            if "rope_parameters" not in str(exc):
                raise
            raise PicochatConfigError(f"PicochatConfig.rope_parameters: {exc.args[0]}") from None

    def check_before_building(self) -> None:
        """Every check again, for a model about to be built from this config: fields set after it was made
        (`from_pretrained(path, field=value)`, `config.field = value`) have passed none of them."""
        self.validate_architecture()
        try:
            self.validate_rope()  # transformers': the fields each RoPE type needs
        except KeyError as exc:
            raise PicochatConfigError(f"PicochatConfig.rope_parameters: {exc.args[0]}") from None
        self.validate_rope_support()
        self.validate_token_ids()

    def validate_token_ids(self) -> None:
        """Every `*_token_id` field is None or a row of the embedding (`eos_token_id` may list several).

        transformers only logs a warning here (Hub configs carry `pad_token_id=-1`), and skips lists and booleans. A
        pad id past the vocabulary fails deep in the embedding on the first padded batch, -1 silently embeds the last
        token, and a stop token the head cannot emit never stops generation: refused at construction instead.
        """
        for name in sorted(vars(self)):
            value = getattr(self, name)
            if not name.endswith("_token_id") or value is None:
                continue
            ids = list(value) if name == "eos_token_id" and isinstance(value, (list, tuple)) else [value]
            ok = bool(ids) and all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < self.vocab_size for i in ids)
            if not ok:
                what = "a token id or a non-empty list of them" if name == "eos_token_id" else "a token id"
                raise PicochatConfigError(f"PicochatConfig.{name}: must be None or {what} in [0, {self.vocab_size}) "
                                 f"(vocab_size), got {value!r}")

    def validate_architecture(self) -> None:
        """Raise a `ValueError` naming the field when the shape cannot work."""

        def bad(field: str, msg: str) -> PicochatConfigError:
            return PicochatConfigError(f"PicochatConfig.{field}: {msg}")

        for name in _SIZE_LIMITS:
            _check_size(name, getattr(self, name))
        self._check_parameter_count()
        if self.hidden_size % self.num_attention_heads != 0 and self.head_dim * self.num_attention_heads != self.hidden_size:
            raise bad("num_attention_heads", f"{self.num_attention_heads} heads do not divide hidden_size {self.hidden_size}")
        if self.num_attention_heads % self.num_key_value_heads != 0:
            raise bad("num_key_value_heads", f"{self.num_key_value_heads} kv heads do not divide {self.num_attention_heads} attention heads")
        if self.head_dim % 2 != 0:
            raise bad("head_dim", f"RoPE needs an even head_dim, got {self.head_dim}")
        if not isinstance(self.smear, bool):
            raise bad("smear", f"must be true or false, got {self.smear!r}")
        if not isinstance(self.smear_channels, int) or isinstance(self.smear_channels, bool) or not 0 < self.smear_channels <= self.hidden_size:
            raise bad("smear_channels", f"must be an integer in [1, hidden_size {self.hidden_size}], got {self.smear_channels!r}")
        if self.mlp_type not in _MLP_TYPES:
            raise bad("mlp_type", f"must be one of {_MLP_TYPES}, got {self.mlp_type!r}")
        if getattr(self, "init_scheme", "nanochat") not in _INIT_SCHEMES:
            raise bad("init_scheme", f"must be one of {_INIT_SCHEMES}, got {self.init_scheme!r}")
        # real, finite numbers: a `true` eps or cap would silently be 1, an infinite cap turns every logit into NaN
        # (inf * tanh(x / inf)), and a string would fail later as a TypeError that names no field
        for name, (low, high) in _NUMBER_RANGES.items():
            value = getattr(self, name)
            if value is None and name == "final_logit_softcapping":
                continue
            ok = _finite_number(value) and _within(value, low, high)
            if not ok:
                extra = " or None" if name == "final_logit_softcapping" else ""
                raise bad(name, f"must be a finite number {_span(low, high)}{extra}, got {value!r}")
        for name in ("use_cache", "tie_word_embeddings"):
            _check_switch(name, getattr(self, name, False))  # set by transformers after this first check
        if self.rope_parameters is not None and not isinstance(self.rope_parameters, dict):
            raise bad("rope_parameters", f"must be a mapping (rope_type, rope_theta, ...) or None, got {self.rope_parameters!r}")

    def _check_parameter_count(self) -> None:
        """Refuse, before allocation, sizes that together make more than `_MAX_PARAMETERS` parameters, naming the
        field of the largest term (the embeddings' `vocab_size` or the blocks' `num_hidden_layers`)."""
        d, q, kv = self.hidden_size, self.num_attention_heads * self.head_dim, self.num_key_value_heads * self.head_dim
        block = d * (2 * q + 2 * kv) + (3 if self.mlp_type == "swiglu" else 2) * d * self.intermediate_size
        terms = {"vocab_size": 2 * self.vocab_size * d, "num_hidden_layers": self.num_hidden_layers * block}
        if sum(terms.values()) > _MAX_PARAMETERS:
            name = max(terms, key=terms.get)
            raise PicochatConfigError(f"PicochatConfig.{name}: these sizes make about {sum(terms.values()):.3g} parameters; "
                             f"at most {_MAX_PARAMETERS:.0e} are built (check vocab_size, hidden_size, "
                             "intermediate_size, num_hidden_layers, head_dim)")

    def validate_rope_support(self) -> None:
        """After transformers has standardised and validated `rope_parameters`: what picochat's RoPE cannot do.

        transformers only logs a warning for an unknown `rope_type` (the model then fails with a KeyError) and for a
        scaling `factor` below 1 or an `attention_factor` of 0 or less; here they are errors, as are non-finite
        values (an infinite `factor` puts every token at position 0, an infinite `rope_theta` stops the rotation).
        """
        rope = self.rope_parameters or {}

        def bad(msg: str) -> PicochatConfigError:
            return PicochatConfigError(f"PicochatConfig.rope_parameters: {msg}")

        rope_type = rope.get("rope_type", "default")
        if rope_type != "default" and rope_type not in ROPE_INIT_FUNCTIONS:
            known = ", ".join(["default", *ROPE_INIT_FUNCTIONS])
            raise bad(f"unknown rope_type {rope_type!r} (one of {known})")
        theta = rope.get("rope_theta")
        if not _finite_number(theta) or not theta > 0:
            raise bad(f"rope_theta must be a positive number, got {theta!r}")
        if rope.get("partial_rotary_factor", 1.0) != 1.0:
            raise bad("partial_rotary_factor is not supported (RoPE rotates the whole head)")
        factor = rope.get("factor")
        if factor is not None and not (_finite_number(factor) and factor >= 1):
            raise bad(f"factor must be a finite number >= 1, got {factor!r}")
        attention_factor = rope.get("attention_factor")
        if attention_factor is not None and not (_finite_number(attention_factor) and attention_factor > 0):
            raise bad(f"attention_factor must be a finite number > 0, got {attention_factor!r}")

    @classmethod
    def from_depth(
        cls,
        depth: int,
        *,
        vocab_size: int = 32768,
        max_position_embeddings: int = 2048,
        aspect_ratio: int = 64,
        head_dim: int = 128,
        num_key_value_heads: int | None = None,
        **kwargs,
    ) -> PicochatConfig:
        """nanochat's sizing rule: width = depth x aspect_ratio, heads of `head_dim` (at least one).

        `from_depth(20)` is nanochat's d20 (1280 wide, 10 heads of 128).
        """
        for name, value in (("depth", depth), ("aspect_ratio", aspect_ratio), ("head_dim", head_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:  # `true` is no depth
                raise PicochatConfigError(f"PicochatConfig.from_depth: {name} must be a positive integer, got {value!r}")
        # the depth is the layer count; an explicit width or head count wins over the derived one (as a preset's
        # overrides do), the heads re-derived from an explicit width
        layers = kwargs.pop("num_hidden_layers", depth)
        if layers != depth:
            raise PicochatConfigError(f"PicochatConfig.num_hidden_layers: {layers!r} contradicts depth {depth}, which is the layer count")
        hidden = kwargs.pop("hidden_size", depth * aspect_ratio)
        if not isinstance(hidden, int) or isinstance(hidden, bool) or hidden <= 0:
            raise PicochatConfigError(f"PicochatConfig.hidden_size: must be a positive integer, got {hidden!r}")
        heads = kwargs.pop("num_attention_heads", max(1, -(-hidden // head_dim)))
        if isinstance(heads, int) and not isinstance(heads, bool) and heads > 0 and hidden % heads != 0:
            raise PicochatConfigError(f"PicochatConfig.from_depth: width {hidden} is not divisible into {heads} heads of ~{head_dim}")
        return cls(
            vocab_size=vocab_size,
            hidden_size=hidden,
            num_hidden_layers=depth,
            num_attention_heads=heads,
            num_key_value_heads=num_key_value_heads if num_key_value_heads is not None else heads,
            max_position_embeddings=max_position_embeddings,
            **kwargs,
        )


__all__ = ["PicochatConfig", "PicochatConfigError"]
