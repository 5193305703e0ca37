# Copyright 2026 The HuggingFace Team. All rights reserved.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
import copy
import os
import tempfile
from abc import ABC, abstractmethod

from parameterized import parameterized

from transformers import TorchAoConfig, set_seed
from transformers.distributed.configuration_utils import DistributedConfig
from transformers.distributed.parallel_utils import _get_parameter_plan
from transformers.testing_utils import (
    SINGLE_PROCESS_DEVICES,
    is_tensor_parallel_test,
    is_torch_available,
    torch_device,
)
from transformers.utils import is_torch_greater_or_equal, is_torchao_available

from .distributed_testing_utils import run_distributed


if is_torchao_available():
    from torchao.quantization import Float8WeightOnlyConfig


# TODO(3outeille): better guarding
if is_torch_available():
    import torch
    import torch.distributed as dist
    from torch.distributed.tensor import DTensor


# =============================================================================
# Constants
# =============================================================================

# Set to None to run distributed TP tests for every model with a plan.
# Representative MoE and dense model types covered by distributed TP tests.
TP_DISTRIBUTED_TEST_MODEL_TYPES = {
    # Dense
    "qwen3",
    "qwen2",
    "granite_swa",
    # MoE
    "qwen4_exp_text",
    "qwen3_moe",
    "glm_moe_dsa",
    "dots3_note_text",
    "axk1",
    "deepseek_v3",
    "deepseek_v4",
    "glm4_moe_lite",
    "glm4_moe",
    "olmoe",
    "qwen2_moe",
    "cohere2_moe",
    "beam",
    # VLM
    "glm4v_moe",
    # ALM
    "qwen2_audio",
    "voxtral",
}


# =============================================================================
# Distributed helpers (top-level for pickling to the ranks)
# =============================================================================


def get_packed_grad_shard(grad, world_size, rank, dim):
    """Get the correct shard of a packed gradient (matching get_packed_weights interleaved logic).

    Packed weights like gate_up_proj are sharded with interleaving:
    Original: [G0 G1 G2 G3 | U0 U1 U2 U3]  (gate | up)
    Rank 0:   [G0 G1 | U0 U1]
    Rank 1:   [G2 G3 | U2 U3]
    """
    total_size = grad.shape[dim]
    # Packed weights have 2 blocks (gate and up)
    block_size = total_size // 2
    # every shard but the last is ceil(block_size / world_size) long, like DTensor's split
    shard_block_size = -(-block_size // world_size)

    # Build interleaved indices
    indices = []
    for block_idx in range(2):  # gate block, then up block
        block_offset = block_idx * block_size
        start = block_offset + min(rank * shard_block_size, block_size)
        stop = block_offset + min((rank + 1) * shard_block_size, block_size)
        indices.extend(range(start, stop))

    # Select along the sharded dimension
    return grad.index_select(dim, torch.tensor(indices, device=grad.device))


def _get_expert_weight_names(model):
    """The routed experts' weight names in `model`: the projections of every experts module
    (`@use_experts_implementation`, which declares its layout via `has_gate`). Empty for a dense model."""
    params = dict(model.named_parameters())  # a tied tensor once, under its first name
    names = []
    for name, module in model.named_modules():
        if hasattr(module, "has_gate"):
            projections = ("gate_up_proj" if module.has_gate else "up_proj", "down_proj")
            names += [f"{name}.{projection}" for projection in projections if f"{name}.{projection}" in params]
    return names


def _load_tp_and_reference_models(model_path, model_class, tp_plan=None):
    """Load TP model and non-TP reference model for comparison. `tp_plan` overrides rules of the model's plan.

    Returns:
        tuple: (model_tp, model_ref, device)
    """
    model_tp = model_class.from_pretrained(
        model_path,
        distributed_config=DistributedConfig(tp_size=dist.get_world_size(), tp_plan=tp_plan),
    )
    dist.barrier()

    device = model_tp.device
    model_ref = model_class.from_pretrained(model_path)
    model_ref = model_ref.to(device)

    return model_tp, model_ref, device


def _verify_tp_sharding(rank, model_tp, model_ref):
    """Verify TP sharding by comparing parameter shapes between TP and reference models.

    Returns:
        list: Names of sharded parameters
    """
    world_size = dist.get_world_size()
    sharded_params = []

    for (name, param), (_, param_full) in zip(model_tp.named_parameters(), model_ref.named_parameters()):
        if param.shape != param_full.shape:
            sharded_params.append(name)
            if rank == 0:
                print(f"[TP Test Debug] TP sharded: {name} - full: {param_full.shape} -> sharded: {param.shape}")

            # Verify sharding is correct
            for dim in range(param.ndim):
                if param.size(dim) != param_full.size(dim):
                    param_plan = _get_parameter_plan(name, model_tp._tp_plan, is_weight=True)
                    if param_plan in ("packed_colwise", "packed_rowwise"):
                        expected_size = param_full.size(dim) // world_size
                        assert param.size(dim) == expected_size, (
                            f"Packed weight {name} sharding incorrect: expected {expected_size}, got {param.size(dim)}"
                        )
                    else:
                        expected_size = (param_full.size(dim) + world_size - 1) // world_size
                        assert param.size(dim) <= expected_size, (
                            f"Weight {name} sharding incorrect: expected <= {expected_size}, got {param.size(dim)}"
                        )
                    break

    return sharded_params


def _reference_grad_shard(name, grad, local_grad, rank, world_size, tp_plan, expert_weights=()):
    """The slice of the unsharded reference gradient `grad` that this rank holds as `local_grad`."""
    # Expert weights hold this rank's experts along dim 0 (`grouped_gemm`), whatever `_tp_plan` still says for them
    if name in expert_weights:
        return grad.narrow(0, rank * local_grad.size(0), local_grad.size(0))
    for dim in range(grad.ndim):
        if grad.size(dim) != local_grad.size(dim):
            if _get_parameter_plan(name, tp_plan, is_weight=True) in ("packed_colwise", "packed_rowwise"):
                return get_packed_grad_shard(grad, world_size, rank, dim)
            # regular slicing: every shard but the last is ceil(size / world_size) long
            return grad.narrow(dim, rank * -(-grad.size(dim) // world_size), local_grad.size(dim))
    return grad


def _test_tp_forward_impl(_rank, model_path, model_class, atol, rtol, tp_plan=None):
    """Implementation for comparing TP and non-TP model outputs."""
    set_seed(0)

    model_tp, model, device = _load_tp_and_reference_models(model_path, model_class, tp_plan)

    _verify_tp_sharding(_rank, model_tp, model)

    model_tp.eval()
    model.eval()

    vocab_size = model.config.get_text_config().vocab_size
    set_seed(0)
    input_ids = torch.randint(0, vocab_size, (2, 64)).to(device)

    with torch.no_grad():
        logits = model(input_ids).logits
        logits_tp = model_tp(input_ids).logits

    diff = (logits - logits_tp).abs()
    assert torch.allclose(logits, logits_tp, atol=atol, rtol=rtol), (
        f"TP and non-TP model outputs differ. Max diff: {diff.max().item()} | Min diff: {diff.min().item()}"
    )

    dist.barrier()


def _test_tp_backward_impl(rank, model_path, model_class, atol, rtol, tp_plan=None):
    """Implementation for comparing TP and non-TP model backward passes."""
    set_seed(0)

    model_tp, model, device = _load_tp_and_reference_models(model_path, model_class, tp_plan)
    model_tp.train()
    model.train()

    vocab_size = model.config.get_text_config().vocab_size
    set_seed(0)
    input_ids = torch.randint(0, vocab_size, (2, 64)).to(device)
    set_seed(0)
    labels = torch.randint(0, vocab_size, (2, 64)).to(device)

    loss = model(input_ids, labels=labels).loss
    loss.backward()

    loss_tp = model_tp(input_ids, labels=labels).loss
    loss_tp.backward()

    assert torch.allclose(loss, loss_tp, atol=atol, rtol=rtol), (
        f"TP and non-TP model losses differ. "
        f"Non-TP loss: {loss.item()}, TP loss: {loss_tp.item()}, "
        f"Diff: {(loss - loss_tp).abs().item()}"
    )

    # Compare gradients for matching parameters
    world_size = dist.get_world_size()
    failed_grads = {}
    for (name, param), (_, param_tp) in zip(model.named_parameters(), model_tp.named_parameters()):
        if param.grad is not None and param_tp.grad is not None:
            grad = param.grad
            grad_tp = param_tp.grad

            # A sharded param's grad is a DTensor: take this rank's local shard, since a DTensor
            # reports the *global* shape and can't be compared against a plain tensor.
            # Unit styles shard on a 2-D (units, replicas) mesh, where the rank isn't the shard index: gather those.
            if isinstance(grad_tp, DTensor):
                grad_tp = grad_tp.full_tensor() if grad_tp.device_mesh.ndim > 1 else grad_tp.to_local()

            grad = _reference_grad_shard(name, grad, grad_tp, rank, world_size, model_tp._tp_plan)

            if not torch.allclose(grad.cpu(), grad_tp.cpu(), atol=atol, rtol=rtol):
                failed_grads[name] = (grad.cpu() - grad_tp.cpu()).abs().max().item()

    assert not failed_grads, f"Gradients differ for {len(failed_grads)} parameter(s):\n" + "\n".join(
        f"  {name}: max diff = {diff}" for name, diff in failed_grads.items()
    )

    dist.barrier()


def _test_tp_generation_impl(_rank, model_path, model_class, atol, rtol, max_new_tokens):
    """Implementation for comparing TP and non-TP model generation outputs (direct load path)."""
    set_seed(0)

    model_tp, model, device = _load_tp_and_reference_models(model_path, model_class)
    model_tp.eval()
    model.eval()

    set_seed(0)
    vocab_size = model.config.get_text_config().vocab_size
    input_ids = torch.randint(0, vocab_size, (1, 10)).to(device)
    generation_kwargs = {
        "max_new_tokens": max_new_tokens,
        "do_sample": False,
        "num_beams": 1,
        "output_scores": True,
        "return_dict_in_generate": True,
        "use_cache": True,
    }

    with torch.no_grad():
        output = model.generate(input_ids, **generation_kwargs)
        output_tp = model_tp.generate(input_ids, **generation_kwargs)

    # Compare logits/scores at each generation step
    scores = torch.stack(output.scores)
    scores_tp = torch.stack(output_tp.scores)

    diff = (scores - scores_tp).abs()
    assert torch.allclose(scores, scores_tp, atol=atol, rtol=rtol), (
        f"TP and non-TP model generation logits differ (direct load path). "
        f"Max diff: {diff.max().item()} | Mean diff: {diff.mean().item()}"
    )

    # Compare generated token sequences
    assert torch.equal(output.sequences, output_tp.sequences), (
        f"TP and non-TP model generated different token sequences (direct load path). "
        f"Non-TP: {output.sequences.tolist()} | TP: {output_tp.sequences.tolist()}"
    )

    dist.barrier()


def _test_tp_generation_quantized_impl(_rank, model_path, model_class, max_new_tokens):
    """Implementation for comparing TP+quantized and non-TP quantized generation (sequence equality)."""
    set_seed(0)

    quantization_config = TorchAoConfig(Float8WeightOnlyConfig())

    model_tp = model_class.from_pretrained(
        model_path,
        distributed_config=DistributedConfig(tp_size=dist.get_world_size()),
        quantization_config=quantization_config,
    )
    dist.barrier()

    device = model_tp.device
    model = model_class.from_pretrained(model_path, quantization_config=quantization_config)
    model = model.to(device)

    model_tp.eval()
    model.eval()

    vocab_size = model.config.get_text_config().vocab_size
    set_seed(0)
    input_ids = torch.randint(0, vocab_size, (1, 10)).to(device)

    generation_kwargs = {
        "max_new_tokens": max_new_tokens,
        "do_sample": False,
        "num_beams": 1,
        "output_scores": True,
        "return_dict_in_generate": True,
        "use_cache": True,
    }

    with torch.no_grad():
        output = model.generate(input_ids, **generation_kwargs)
        output_tp = model_tp.generate(input_ids, **generation_kwargs)

    print(f"[Rank {_rank}] Non-TP-quantized model tokens: {output.sequences[0].tolist()}")
    print(f"[Rank {_rank}] TP-quantized tokens:     {output_tp.sequences[0].tolist()}")
    print(f"[Rank {_rank}] Sequences match: {torch.equal(output.sequences, output_tp.sequences)}")

    # Compare generated token sequences (allow up to 25% mismatch due to Float8 quantization
    # scale differences between full-weight and sharded-weight quantization)
    # NOTE(3outeille): Some models have no perfect match. Investigate better the discrepancy but for now low priority.
    seq = output.sequences[0]
    seq_tp = output_tp.sequences[0]
    min_len = min(len(seq), len(seq_tp))
    match_count = (seq[:min_len] == seq_tp[:min_len]).sum().item()
    match_ratio = match_count / max(len(seq), len(seq_tp))
    assert match_ratio >= 0.75, (
        f"non-TP-quantized + TP-quantized model generated too many different tokens "
        f"(match ratio: {match_ratio:.2%}, threshold: 75%).\n"
        f"Non-TP+quantized: {output.sequences.tolist()} \n TP+quantized: {output_tp.sequences.tolist()}"
    )

    dist.barrier()


class TensorParallelTesterMixin(ABC):
    """
    Mixin for tensor parallel tests. Add to model test classes alongside ModelTesterMixin.

    The model_tester (e.g., CausalLMModelTester) already provides:
      - get_config() -> tiny model config
      - causal_lm_class (or conditional_generation_class for VLM/ALM testers), base_model_class, etc.

    This mixin adds tensor parallel-specific tests using that infrastructure.
    """

    # ============================================================
    # Configuration (can be overridden per model)
    # ============================================================
    tensor_parallel_size: int = 2
    tensor_parallel_atol: float = 1e-5
    tensor_parallel_rtol: float = 1e-5

    @property
    @abstractmethod
    def model_tester(self):
        """The model tester instance (e.g., CausalLMModelTester)."""
        ...

    # ============================================================
    # Helper methods
    # ============================================================
    def _has_tp_plan(self) -> bool:
        """Check if model has a tensor parallel plan defined."""
        config = self.model_tester.get_config().get_text_config()
        return hasattr(config, "base_model_tp_plan") and config.base_model_tp_plan is not None

    def _skip_if_tp_distributed_not_enabled(self):
        """Skip expensive distributed TP tests for models outside the allowlist."""
        config = self.model_tester.get_config()
        if TP_DISTRIBUTED_TEST_MODEL_TYPES is not None and config.model_type not in TP_DISTRIBUTED_TEST_MODEL_TYPES:
            self.skipTest(
                f"Tensor parallel distributed tests are not enabled for model_type={config.model_type!r} "
                f"(enabled: {sorted(TP_DISTRIBUTED_TEST_MODEL_TYPES)}). "
                "Set TP_DISTRIBUTED_TEST_MODEL_TYPES = None to run all tests."
            )

    def _skip_if_single_process_device(self):
        if torch_device in SINGLE_PROCESS_DEVICES:
            self.skipTest(f"Distributed tests spawn one process per device, which {torch_device!r} doesn't allow")

    def _get_tp_model_class(self):
        """The class the distributed tests run on, through a text-only forward: the tester's `*ForCausalLM`, or a VLM/ALM
        tester's `*ForConditionalGeneration`."""
        return getattr(self.model_tester, "causal_lm_class", None) or getattr(
            self.model_tester, "conditional_generation_class", None
        )

    def _get_tp_config(self, tie_word_embeddings: bool | None = None):
        """The tester's tiny config. Its vocab stays as it is: 99 does not divide by the world size, which is
        the uneven sharding of `lm_head` that real vocabs need."""
        config = self.model_tester.get_config()
        text_config = config.get_text_config()
        if tie_word_embeddings is not None:
            if hasattr(text_config, "tie_word_embeddings"):
                text_config.tie_word_embeddings = tie_word_embeddings
            if hasattr(config, "tie_word_embeddings"):
                config.tie_word_embeddings = tie_word_embeddings
        return config

    def _skip_if_distributed_not_supported(self, parallelism: str = "Tensor"):
        """Skip when the environment can't run the multi-process CPU tests (torch version, device, CPUs, model tester)."""
        if not is_torch_greater_or_equal("2.9"):
            self.skipTest(f"{parallelism} parallel tests require torch >= 2.9")

        if torch.cuda.is_available() or torch.xpu.is_available():
            self.skipTest(f"{parallelism} parallel mixin tests are CPU-only and should not run on GPU or XPU machines")

        self._skip_if_single_process_device()

        if os.cpu_count() < self.tensor_parallel_size:
            self.skipTest(
                f"{parallelism} parallel tests require at least {self.tensor_parallel_size} CPUs, "
                f"but only {os.cpu_count()} available"
            )

        if self._get_tp_model_class() is None:
            self.skipTest("Model tester has neither causal_lm_class nor conditional_generation_class")

    def _skip_if_not_supported(self):
        """Check and skip the test if tensor parallel is not supported for this model/environment."""
        self._skip_if_distributed_not_supported()

        if not self._has_tp_plan():
            self.skipTest("Model does not have a tensor parallel plan (base_model_tp_plan)")

        self._skip_if_tp_distributed_not_enabled()

        # # Skip encoder-decoder models (TP not supported)
        # if getattr(self, "is_encoder_decoder", False):
        #     self.skipTest("TP tests not supported for encoder-decoder models")

        # # Skip VLM models for now
        # config = self.model_tester.get_config()
        # if hasattr(config, "vision_config") and config.vision_config is not None:
        #     self.skipTest("VLM models are not yet supported in TP tests")

    def test_tp_plan_shards_input_embeddings(self):
        """A model whose TP plan shards its decoder must shard its input embeddings too: replicated, they cost
        `vocab x hidden` on every rank, and a tied `lm_head` sharded on the vocabulary would not match the embedding
        weight it shares. A plan that only covers the `lm_head` is not a decoder plan."""
        config, _ = self.model_tester.prepare_config_and_inputs_for_common()
        for model_class in self.all_model_classes:
            model = model_class(copy.deepcopy(config))
            if not any(key.rsplit(".", 1)[-1] != "lm_head" for key in model.tp_plan):
                continue
            embeddings = model.get_input_embeddings()
            if not isinstance(embeddings, torch.nn.Embedding):
                continue
            name = next(name for name, module in model.named_modules() if module is embeddings)
            self.assertIsNotNone(
                _get_parameter_plan(f"{name}.weight", model.tp_plan, is_weight=True),
                f"{model_class.__name__}: the TP plan leaves `{name}` replicated; shard it with `embedding_rowwise`",
            )

    @parameterized.expand([(False,), (True,)])
    @is_tensor_parallel_test
    def test_tp_forward(self, tie_word_embeddings):
        self._skip_if_not_supported()

        config = self._get_tp_config(tie_word_embeddings=tie_word_embeddings)
        model_class = self._get_tp_model_class()
        atol = self.tensor_parallel_atol
        rtol = self.tensor_parallel_rtol

        with tempfile.TemporaryDirectory() as tmp_dir:
            set_seed(42)
            model = model_class(config)
            model.save_pretrained(tmp_dir, save_original_format=True)

            run_distributed(world_size=self.tensor_parallel_size)(_test_tp_forward_impl)(
                tmp_dir, model_class, atol, rtol
            )

    @is_tensor_parallel_test
    def test_tp_backward(self):
        self._skip_if_not_supported()

        config = self._get_tp_config()
        model_class = self._get_tp_model_class()
        atol = self.tensor_parallel_atol
        rtol = self.tensor_parallel_rtol

        with tempfile.TemporaryDirectory() as tmp_dir:
            set_seed(42)
            model = model_class(config)
            model.save_pretrained(tmp_dir, save_original_format=True)

            run_distributed(world_size=self.tensor_parallel_size)(_test_tp_backward_impl)(
                tmp_dir, model_class, atol, rtol
            )

    @is_tensor_parallel_test
    def test_tp_unit_plan_forward_backward(self):
        """`unit_colwise`/`unit_rowwise` on the attention projections must match the unsharded model, outputs and
        gradients, including when ranks replicate heads (fewer KV heads than ranks)."""
        self._skip_if_not_supported()

        config = self._get_tp_config()
        text_config = config.get_text_config()
        head_dim = getattr(text_config, "head_dim", None) or text_config.hidden_size // text_config.num_attention_heads
        if hasattr(text_config, "num_key_value_heads"):
            text_config.num_key_value_heads = 1  # fewer KV heads than ranks: ranks replicate the head
        # Replicate Q heads too so the rowwise output projection hits the 1/replicas scaling path.
        if hasattr(text_config, "num_attention_heads"):
            text_config.num_attention_heads = 1
            # Keep the per-head width: models like Glm4v-MoE derive other config values (mrope) from it.
            text_config.head_dim = head_dim
        model_class = self._get_tp_model_class()
        expected = {"q_proj": "colwise", "k_proj": "colwise", "v_proj": "colwise", "o_proj": "rowwise"}
        model_plan = model_class(config).tp_plan
        attention_styles = {
            key.rsplit(".", 1)[-1]: style
            for key, style in model_plan.items()
            if "self_attn" in key and style in ("colwise", "rowwise")
        }
        # TODO: unit sharding only covers head-aligned Linear weights for now. It does not handle extra
        # per-head parameters such as Beam's `gate_bias` or GraniteSWA's `sinks`, so skip those models.
        if set(attention_styles) != set(expected):
            self.skipTest("Attention has additional head-aligned parameters that unit sharding does not support yet")
        tp_plan = {}
        for key, style in model_plan.items():
            name = key.rsplit(".", 1)[-1]
            if expected.get(name) == style:
                tp_plan[key] = f"unit_{style}"
        if {key.rsplit(".", 1)[-1] for key in tp_plan} != set(expected):
            self.skipTest("Attention is not a plain colwise q/k/v + rowwise o_proj")

        atol = self.tensor_parallel_atol
        rtol = self.tensor_parallel_rtol
        with tempfile.TemporaryDirectory() as tmp_dir:
            set_seed(42)
            model_class(config).save_pretrained(tmp_dir, save_original_format=True)
            for impl in (_test_tp_forward_impl, _test_tp_backward_impl):
                run_distributed(world_size=self.tensor_parallel_size)(impl)(tmp_dir, model_class, atol, rtol, tp_plan)

    @is_tensor_parallel_test
    def test_tp_generation(self):
        # Test TP generation: unfused checkpoint → conversion mapping (if needed) → TP sharding → model → generate
        self._skip_if_not_supported()

        config = self._get_tp_config()

        model_class = self._get_tp_model_class()
        atol = self.tensor_parallel_atol
        rtol = self.tensor_parallel_rtol
        max_new_tokens = 25

        with tempfile.TemporaryDirectory() as tmp_dir:
            set_seed(42)
            model = model_class(config)
            model.save_pretrained(tmp_dir, save_original_format=True)
            run_distributed(world_size=self.tensor_parallel_size)(_test_tp_generation_impl)(
                tmp_dir, model_class, atol, rtol, max_new_tokens
            )

    @is_tensor_parallel_test
    def test_tp_generation_quantized(self):
        self._skip_if_not_supported()

        if not is_torchao_available():
            self.skipTest("Test requires torchao")

        config = self._get_tp_config()
        model_class = self._get_tp_model_class()
        max_new_tokens = 25

        with tempfile.TemporaryDirectory() as tmp_dir:
            set_seed(42)
            model = model_class(config)
            model.save_pretrained(tmp_dir, save_original_format=True)

            run_distributed(world_size=self.tensor_parallel_size)(_test_tp_generation_quantized_impl)(
                tmp_dir, model_class, max_new_tokens
            )
