"""pytest setup for the vendored transformers common-test harness (picochat_hf's, not transformers').

The harness modules below are libraries (mixins, testers), not test modules, even where their names start
with `test_`; some define `unittest.TestCase` classes of their own (Hub, integration) that must not run here.
The only test modules collected from this folder are the model tests under `models/`. picochat's test is
`tests/test_model_hf_common.py`.
"""

collect_ignore = [
    "causal_lm_tester.py",
    "distributed_testing_utils.py",
    "test_configuration_common.py",
    "test_modeling_common.py",
    "test_pipeline_mixin.py",
    "test_tensor_parallel_mixin.py",
    "test_training_mixin.py",
    "exporters",
    "generation",
    "utils",
]


# The harness's pytest marks are registered in the project's pyproject.toml, for this folder and
# tests/test_model_hf_common.py alike.

import os  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

# The control's slowest tests (about two minutes of a ~3.5 minute run on 2 CPU cores). They run for picochat in
# `pytest -q`; for the NanoChat control only when PICOCHAT_HF_FULL_CONTROL=1, which is how the counts in
# docs/hf_interop.md were taken.
HEAVY_CONTROL_TESTS = (
    "test_training_overfit",
    "test_generate_compilation_all_outputs",
    "test_generate_compile_model_forward_fullgraph",
)


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PICOCHAT_HF_FULL_CONTROL") == "1":
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="heavy NanoChat control test; set PICOCHAT_HF_FULL_CONTROL=1 to run it")
    for item in items:
        if here in Path(str(item.fspath)).parents and item.name.split("[")[0] in HEAVY_CONTROL_TESTS:
            item.add_marker(skip)
