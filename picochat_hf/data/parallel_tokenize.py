"""Tokenise a stream of documents in parallel, in order, with bounded memory.

Documents are grouped into batches of `batch_docs`; each batch is one call to the fast (Rust) tokenizer.
With `num_proc > 1` batches go to a process pool, at most `2 * num_proc` in flight, and come back in
submission order, so the output is identical for any `num_proc` and memory holds only the batches in
flight (never the corpus). Each result is a flat array of token ids plus the per-document lengths, which
is cheap to send between processes. Every document starts with BOS (added here when the tokenizer's
post-processor does not).
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

_WORKER_TOKENIZER: Any = None


def encode_batch(tokenizer: Any, texts: list[str], dtype: type = np.uint32) -> tuple[np.ndarray, np.ndarray]:
    """(flat token ids, per-document lengths) for one batch; each document BOS-led."""
    bos = tokenizer.bos_token_id
    encoded = tokenizer(texts, add_special_tokens=True, verbose=False)["input_ids"]
    pieces = []
    for ids in encoded:
        if bos is not None and (not ids or ids[0] != bos):
            ids = [bos, *ids]
        pieces.append(ids)
    lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
    flat = np.fromiter((t for p in pieces for t in p), dtype=dtype, count=int(lengths.sum()))
    return flat, lengths


def _init_worker(tokenizer: Any) -> None:
    global _WORKER_TOKENIZER
    _WORKER_TOKENIZER = tokenizer


def _work(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return encode_batch(_WORKER_TOKENIZER, texts)


def _batches(texts: Iterable[str], batch_docs: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == batch_docs:
            yield batch
            batch = []
    if batch:
        yield batch


def tokenize_stream(texts: Iterable[str], tokenizer: Any, *, num_proc: int = 1,
                    batch_docs: int = 512) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (flat ids, lengths) per batch of documents, in input order, for any `num_proc`."""
    if num_proc < 1:
        raise ValueError("num_proc must be >= 1")
    if num_proc == 1:
        for batch in _batches(texts, batch_docs):
            yield encode_batch(tokenizer, batch)
        return
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    with ctx.Pool(num_proc, initializer=_init_worker, initargs=(tokenizer,)) as pool:
        pending: deque = deque()
        for batch in _batches(texts, batch_docs):
            pending.append(pool.apply_async(_work, (batch,)))
            if len(pending) >= 2 * num_proc:  # bounded: wait for the oldest before reading more input
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
