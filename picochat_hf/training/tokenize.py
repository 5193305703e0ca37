"""Pre-tokenise chat rows and documents for the trainers.

Conversations go through the tokenizer's own chat template with `return_assistant_tokens_mask=True`, so
the supervised span is whatever the template marks with `{% generation %}` (for picochat: assistant text,
python calls and `<|assistant_end|>`); everything else is labelled -100. A template without generation
markers gives an all-zero mask; that is an error here, never a silent "train on nothing".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from datasets import Dataset

from ..data.chat_masks import messages_for_template, without_context_only
from ..data.schema import message_text
from ..utils.errors import PicochatInputError
from .packing import IGNORE_INDEX, OverlongStats, apply_overlong_policy


@dataclass
class TokenizedSet:
    """A pre-tokenised split: the dataset the Trainer sees plus what the sampler and reports need."""

    dataset: Dataset  # columns: input_ids, labels
    categories: list[str]
    lengths: list[int]
    stats: OverlongStats
    row_ids: list[str] = field(default_factory=list)

    @property
    def num_tokens(self) -> int:
        return sum(self.lengths)

    @property
    def num_supervised_tokens(self) -> int:
        return sum(sum(1 for x in labels[1:] if x != IGNORE_INDEX) for labels in self.dataset["labels"])


def tokenize_conversations(
    rows: Sequence[dict],
    tokenizer: Any,
    *,
    seq_len: int,
    overlong: str = "truncate",
    batch_size: int = 256,
    source: str = "<rows>",
) -> TokenizedSet:
    """Render and tokenise chat rows; labels only on the template's assistant (generation) tokens."""
    if not getattr(tokenizer, "chat_template", None):
        raise PicochatInputError("tokenizer has no chat template", field="chat_template")
    stats = OverlongStats(policy=overlong, seq_len=seq_len)
    ids_out: list[list[int]] = []
    labels_out: list[list[int]] = []
    cats: list[str] = []
    row_ids: list[str] = []
    any_mask = False
    any_assistant = False
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        enc = tokenizer.apply_chat_template(
            [messages_for_template(tokenizer, r["messages"]) for r in chunk],
            tokenize=True,
            return_dict=True,
            return_assistant_tokens_mask=True,
        )
        for row, ids, mask in zip(chunk, enc["input_ids"], enc["assistant_masks"], strict=True):
            mask = without_context_only(tokenizer, row["messages"], ids, mask, source=source, row_id=row.get("id"))
            any_mask = any_mask or any(mask)
            any_assistant = any_assistant or any(m["role"] == "assistant" and message_text(m["content"]) for m in row["messages"])
            labels = [t if m else IGNORE_INDEX for t, m in zip(ids, mask, strict=True)]
            kept = apply_overlong_policy(ids, labels, seq_len, overlong, stats)
            if kept is None:
                continue
            ids_out.append(kept[0])
            labels_out.append(kept[1])
            cats.append(str(row.get("category", "all")))
            row_ids.append(str(row.get("id", start)))
    if any_assistant and not any_mask:
        raise PicochatInputError(
            "the chat template marks no assistant tokens (wrap assistant turns in {% generation %}...{% endgeneration %})",
            path=source,
            field="chat_template",
        )
    if not ids_out:
        raise PicochatInputError(f"no example left after the '{overlong}' overlong policy at seq_len={seq_len}", path=source)
    ds = Dataset.from_dict({"input_ids": ids_out, "labels": labels_out})
    return TokenizedSet(ds, cats, [len(x) for x in ids_out], stats, row_ids)


def tokenize_documents(
    texts: Iterable[str],
    tokenizer: Any,
    *,
    seq_len: int,
    batch_size: int = 512,
) -> TokenizedSet:
    """Tokenise plain documents for pretraining; every document starts at BOS.

    Documents longer than a row are split into row-sized pieces (the first keeps its BOS), so no text is
    thrown away; the split count is recorded as `truncated` / `tokens_cropped` in the stats (cropped from
    one piece, carried into the next). Every token is a target except each piece's first.
    """
    stats = OverlongStats(policy="split", seq_len=seq_len)
    bos = tokenizer.bos_token_id
    ids_out: list[list[int]] = []
    batch: list[str] = []

    def flush() -> None:
        if not batch:
            return
        enc = tokenizer(batch, add_special_tokens=True)["input_ids"]
        for ids in enc:
            if bos is not None and (not ids or ids[0] != bos):
                ids = [bos, *ids]  # tokenizers without a BOS post-processor
            stats.seen += 1
            stats.tokens_seen += len(ids)
            if len(ids) < 2:
                stats.dropped_no_supervised += 1
                stats.tokens_dropped += len(ids)
                continue
            if len(ids) > seq_len:
                stats.truncated += 1
                stats.tokens_cropped += len(ids) - seq_len
            for k in range(0, len(ids), seq_len):
                piece = ids[k : k + seq_len]
                if len(piece) >= 2:
                    ids_out.append(piece)
            stats.kept += 1
        batch.clear()

    for text in texts:
        batch.append(text)
        if len(batch) >= batch_size:
            flush()
    flush()
    if not ids_out:
        raise PicochatInputError("no documents to train on")
    ds = Dataset.from_dict({"input_ids": ids_out, "labels": ids_out})
    return TokenizedSet(ds, ["document"] * len(ids_out), [len(x) for x in ids_out], stats)
