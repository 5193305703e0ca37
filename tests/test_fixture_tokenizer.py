"""The shared test tokenizer (`train_fixtures.tokenizer`) is the same whichever test builds it first: a test that
monkeypatches the embedded corpus to one document or none (as the embedded-corpus gate tests do) and is the first of
its worker to ask for it does not make every later test on that worker train, pack and plan with a byte-level
tokenizer."""

from __future__ import annotations

from train_fixtures import VOCAB_SIZE, chat_rows, tokenizer

from picochat_hf.training.tokenize import tokenize_conversations


def test_the_shared_tokenizer_is_built_from_the_real_corpus_under_a_patched_one(monkeypatch):
    want = tokenizer().get_vocab()
    lengths = tokenize_conversations(chat_rows(), tokenizer(), seq_len=128).lengths
    monkeypatch.setattr("picochat_hf.data.default_corpus.iter_default_documents", lambda *a, **k: iter([]))
    tokenizer.cache_clear()
    try:
        again = tokenizer()
        assert len(again) == VOCAB_SIZE and again.get_vocab() == want
        assert tokenize_conversations(chat_rows(), again, seq_len=128).lengths == lengths
    finally:
        tokenizer.cache_clear()
