"""Assistant masks that honour a message's weight 0 (OpenAI fine-tuning's "context only") under any chat template."""

from __future__ import annotations

from typing import Any

from ..utils.errors import PicochatInputError


def context_only_spans(tokenizer: Any, messages: list[dict], ids: list[int], source: str, row_id: Any) -> list[tuple[int, int]]:
    """Token spans of the assistant messages with weight 0, found by rendering the conversation up to each of them.

    Works for any chat template whose rendering of a conversation's first k messages is a prefix of the whole
    (picochat's template already leaves such turns out of its generation mask; most others ignore the key)."""
    spans = []
    for i, msg in enumerate(messages):
        if msg.get("weight") != 0:
            continue
        before, upto = (tokenizer.apply_chat_template(messages[:k], tokenize=True, return_dict=True)["input_ids"]
                        for k in (i, i + 1))
        if upto[: len(before)] != before or ids[: len(upto)] != upto:
            raise PicochatInputError(
                f"row {row_id!r}: this chat template does not render the conversation up to message {i} as a prefix of "
                "the whole, so its weight 0 cannot be honoured; drop that turn or use picochat's template",
                path=source, field=f"messages[{i}].weight")
        spans.append((len(before), len(upto)))
    return spans



def without_context_only(tokenizer: Any, messages: list[dict], ids: list[int], mask: list[int], *, source: Any,
                         row_id: Any) -> list[int]:
    """`mask` (the template's generation mask over `ids`) with the spans of weight-0 assistant messages cleared."""
    if not any(m.get("weight") == 0 for m in messages):
        return mask
    mask = list(mask)
    for a, b in context_only_spans(tokenizer, messages, ids, source, row_id):
        mask[a:b] = [0] * (b - a)
    return mask
