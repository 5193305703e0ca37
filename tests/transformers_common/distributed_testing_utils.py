# VENDORING NOTE (picochat_hf): stand-in, not transformers code.
#
# `test_tensor_parallel_mixin.py` (5.24.0) imports `run_distributed` from `tests/distributed_testing_utils.py`,
# which the 5.24.0 source distribution does not ship. It is only called by the multi-process tensor-parallel tests,
# which the mixin runs for an allow-list of model types (nanochat and picochat are not on it) and only when
# RUN_TENSOR_PARALLEL_TESTS is set; anything that reaches it fails loudly.


def run_distributed(world_size: int):
    def decorator(fn):
        def wrapper(*args, **kwargs):
            raise NotImplementedError(
                "run_distributed is not vendored (tests/transformers_common/distributed_testing_utils.py)"
            )

        return wrapper

    return decorator
