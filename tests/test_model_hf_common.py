"""transformers' own model test suite, run on picochat exactly as transformers runs it on its built-in NanoChat.

`CausalLMModelTest` (ModelTesterMixin + GenerationTesterMixin + the pipeline, training and tensor-parallel
mixins) comes from the vendored harness in `tests/transformers_common/` (see its README for versions and
sources); `tests/transformers_common/models/nanochat/test_modeling_nanochat.py` is transformers' own NanoChat
test in the same harness, the control. Every test that passes for NanoChat passes here; the remaining skips and
failures, each with its reason, are listed in docs/hf_interop.md.
"""

from __future__ import annotations

import unittest

from transformers.models.auto import modeling_auto
from transformers.testing_utils import require_torch

from picochat_hf import PicochatConfig, PicochatForCausalLM, PicochatModel
from transformers_common.causal_lm_tester import CausalLMModelTest, CausalLMModelTester

# Harness adaptation for an out-of-tree model: the common tests pick each class's inputs and expectations by
# looking its name up in transformers' static name tables (`get_values(MODEL_MAPPING_NAMES)` for base models,
# `get_values(MODEL_FOR_CAUSAL_LM_MAPPING_NAMES)` for LM heads, e.g. in the training and `_prepare_for_class`
# tests). `import picochat_hf` registers picochat with the Auto classes, which is what users need, but those
# registrations do not reach the static tables, so the two entries are added here.
modeling_auto.MODEL_MAPPING_NAMES.setdefault("picochat", "PicochatModel")
modeling_auto.MODEL_FOR_CAUSAL_LM_MAPPING_NAMES.setdefault("picochat", "PicochatForCausalLM")


class PicochatModelTester(CausalLMModelTester):
    config_class = PicochatConfig
    base_model_class = PicochatModel
    causal_lm_class = PicochatForCausalLM
    # Harness adaptation: nanochat's init zeroes `o_proj` and `fc2`, so a fresh model's blocks are the identity and
    # its outputs do not depend on attention at all: the equivalence tests (eager vs sdpa, padding, batching, cache,
    # compile, RoPE scaling) would compare outputs that attention cannot change, and pass whatever it does. The
    # tester's models start those projections small and random instead (`residual_init_std`, a config field whose
    # default 0 is nanochat's zeros), like NanoChat's own init (std 0.02 / sqrt(2 x layers) for `o_proj`).
    residual_init_std = 0.02


@require_torch
class PicochatModelTest(CausalLMModelTest, unittest.TestCase):
    model_tester_class = PicochatModelTester
    # Harness adaptation: `test_can_init_all_missing_weights` dates a model by the "# Copyright <year>" line atop its
    # configuration file and exempts those older than 2023; picochat's files carry no such line (it would read as
    # year 0), so the test is opted in explicitly, as it runs for NanoChat (2025).
    test_can_init_all_missing_weights_before_2023 = True
