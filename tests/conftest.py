"""Shared test setup: everything offline, small deterministic fixtures."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def tiny_tokenizer():
    """A 512-token BPE trained on the embedded corpus (shared, read-only)."""
    from picochat_hf.data.default_corpus import default_texts
    from picochat_hf.tokenizer import train_tokenizer

    return train_tokenizer(default_texts(max_documents=40), vocab_size=512, model_max_length=256)


@pytest.fixture(scope="session")
def tiny_tokenizer_dir(tiny_tokenizer, tmp_path_factory):
    from picochat_hf.tokenizer import save_tokenizer

    return save_tokenizer(tiny_tokenizer, tmp_path_factory.mktemp("tokenizer"))
