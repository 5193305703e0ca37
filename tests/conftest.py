"""Shared test setup: everything offline, small deterministic fixtures."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# pytest-xdist runs one worker per core (`-n auto`): each worker's torch keeps to its share of the cores, instead of
# every worker starting one OpenMP thread per core and the threads of two workers contending for the same cores
# (a 40-test subset of model, generation and gate tests, `-n 2` on 2 idle cores: 39-40 s with one thread per worker, 55-58 s
# with two, alternated). Subprocesses the tests start inherit the setting.
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 0)
if _WORKERS > 1:
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // _WORKERS)))
    import torch

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))

import pytest  # noqa: E402
import train_fixtures  # noqa: E402  (imported here, at start-up, so it captures the embedded corpus reader before any test runs)


@pytest.fixture(scope="session")
def tiny_tokenizer():
    """A 512-token BPE trained on the embedded corpus (shared, read-only). A session fixture is built by the first test
    that asks for it: the corpus is read as it was at collection (`train_fixtures.embedded_texts`), so a test that
    monkeypatches the embedded corpus (tests/test_gates_*_corpus.py) does not become what every later test trains on."""
    from picochat_hf.tokenizer import train_tokenizer

    tok = train_tokenizer(train_fixtures.embedded_texts(40), vocab_size=512, model_max_length=256)
    assert len(tok) == 512, f"tiny_tokenizer has {len(tok)} tokens, not 512: its corpus was too small"
    return tok


@pytest.fixture(scope="session")
def tiny_tokenizer_dir(tiny_tokenizer, tmp_path_factory):
    from picochat_hf.tokenizer import save_tokenizer

    return save_tokenizer(tiny_tokenizer, tmp_path_factory.mktemp("tokenizer"))


# transformers' common-test harness (tests/transformers_common, vendored) comes partly from an older transformers
# revision; these tests disagree with the installed 5.25.0 (and 5.24.0) for every model, and transformers' own NanoChat fails
# them exactly as picochat does (docs/hf_interop.md, "transformers' common model tests"). They are expected
# failures with the error the disagreement raises; strict, so a harness or transformers update that fixes them
# turns them into failures to look at instead of silent passes.
HARNESS_KNOWN_FAILURES = {
    "test_assisted_decoding_matches_greedy_search_0_random": (ValueError, "harness passes cache_implementation='dynamic_full', which transformers 5.24 and 5.25 reject"),
    "test_assisted_decoding_matches_greedy_search_1_same": (ValueError, "harness passes cache_implementation='dynamic_full', which transformers 5.24 and 5.25 reject"),
    "test_assisted_decoding_sample": (ValueError, "harness passes cache_implementation='dynamic_full', which transformers 5.24 and 5.25 reject"),
    "test_generate_compilation_all_outputs": (AttributeError, "harness calls StaticCache.get_max_cache_shape(), gone since 5.24"),
}


@pytest.fixture
def ready_preflight(request, monkeypatch):
    """The preflight gate stubbed to `ready` (train_fixtures.stub_preflight), except in a test named for the real gate
    (`..._real_preflight_gate_...`); the SFT training modules use it for every test (`pytestmark`)."""
    from train_fixtures import stub_preflight

    if "real_preflight_gate" not in request.node.name:
        stub_preflight(monkeypatch, "ready")


@pytest.fixture(scope="module")
def sft_workdir(tmp_path_factory):
    """A folder with train.jsonl (chat_rows(0)), eval.jsonl (a few other rows) and base/ (a fresh picochat model),
    built once per test module (test_train_sft.py, test_training_muon.py; their argv: train_fixtures.sft_argv)."""
    from train_fixtures import chat_rows, picochat_model, save_model_dir, write_rows

    d = tmp_path_factory.mktemp("sft")
    write_rows(d / "train.jsonl", chat_rows(0))
    write_rows(d / "eval.jsonl", chat_rows(1, {"math": 4, "identity": 2}))
    save_model_dir(picochat_model(), d / "base")
    return d


# Modules whose module-scoped fixture or single tests take the longest, collected first: pytest-xdist's loadscope
# hands modules to workers in collection order, and a long module started last leaves the other workers idle.
RUN_FIRST = ("test_demo_pipeline.py", "test_train_pretrain_stream.py", "test_eval_lm_harness.py", "test_gates_history.py",
             "test_data_task_pack.py", "test_model_hf_common.py", "test_gates_regenerate.py", "test_model_flex.py")


def pytest_collection_modifyitems(config, items):
    from pathlib import Path

    def order(item) -> int:
        name = Path(str(item.fspath)).name
        return RUN_FIRST.index(name) if name in RUN_FIRST else len(RUN_FIRST)

    items.sort(key=order)  # stable: the order within a module and among the rest is kept

    here = Path(__file__).parent
    harness_files = {here / "test_model_hf_common.py"}
    harness_dir = here / "transformers_common"
    for item in items:
        path = Path(str(item.fspath))
        known = HARNESS_KNOWN_FAILURES.get(item.name.split("[")[0])
        if known and (path in harness_files or harness_dir in path.parents):
            item.add_marker(pytest.mark.xfail(raises=known[0], reason=known[1], strict=True))
