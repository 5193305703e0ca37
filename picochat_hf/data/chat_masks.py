"""Assistant masks that honour weight 0 (OpenAI fine-tuning's "context only") under any chat template: on a whole
assistant message, and on the parts that open a turn (a prompt's tool call and its result that a completion
continues, `row_formats._join_turns`)."""

from __future__ import annotations

from typing import Any

from ..utils.errors import PicochatInputError
from .schema import context_parts


def _render(tokenizer: Any, messages: list[dict]) -> list[int]:
    return list(tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True)["input_ids"])


def _no_prefix(row_id: Any, i: int, source: Any, field: str) -> PicochatInputError:
    return PicochatInputError(
        f"row {row_id!r}: this chat template does not render the conversation up to message {i} as a prefix of "
        "the whole, so its weight 0 cannot be honoured; drop that turn or use picochat's template",
        path=source, field=f"messages[{i}]{field}")


def context_only_spans(tokenizer: Any, messages: list[dict], ids: list[int], source: str, row_id: Any) -> list[tuple[int, int]]:
    """Token spans of the assistant messages with weight 0, found by rendering the conversation up to each of them.

    Works for any chat template whose rendering of a conversation's first k messages is a prefix of the whole
    (picochat's template already leaves such turns out of its generation mask; most others ignore the key)."""
    spans = []
    for i, msg in enumerate(messages):
        if msg.get("weight") != 0:
            continue
        before, upto = _render(tokenizer, messages[:i]), _render(tokenizer, messages[: i + 1])
        if upto[: len(before)] != before or ids[: len(upto)] != upto:
            raise _no_prefix(row_id, i, source, ".weight")
        spans.append((len(before), len(upto)))
    return spans


def context_part_spans(tokenizer: Any, messages: list[dict], ids: list[int], source: str, row_id: Any) -> list[tuple[int, int]]:
    """Token spans of the context-only parts that open a trained assistant turn: from the turn's start to where the
    rendering of the turn cut after those parts stops agreeing with the whole. They end on a tool result, whose
    closing token no answer text merges with, so the span holds exactly the context."""
    spans = []
    for i, msg in enumerate(messages):
        k = context_parts(msg.get("content", "")) if msg.get("role") == "assistant" and msg.get("weight") != 0 else 0
        if k == 0:
            continue
        head = [{key: v for key, v in p.items() if key != "weight"} for p in msg["content"][:k]]
        before, cut = _render(tokenizer, messages[:i]), _render(tokenizer, [*messages[:i], {**msg, "content": head}])
        if ids[: len(before)] != before or cut[: len(before)] != before:
            raise _no_prefix(row_id, i, source, f".content[{k - 1}].weight")
        end = next((n for n, (a, b) in enumerate(zip(cut, ids)) if a != b), min(len(cut), len(ids)))
        if end <= len(before):
            raise _no_prefix(row_id, i, source, f".content[{k - 1}].weight")
        spans.append((len(before), end))
    return spans


def has_context_only(messages: list[dict]) -> bool:
    return any(m.get("weight") == 0 or (m.get("role") == "assistant" and context_parts(m.get("content", "")))
               for m in messages)


def without_context_only(tokenizer: Any, messages: list[dict], ids: list[int], mask: list[int], *, source: Any,
                         row_id: Any) -> list[int]:
    """`mask` (the template's generation mask over `ids`) with the spans of weight-0 assistant messages and of the
    context-only parts that open a turn cleared."""
    if not has_context_only(messages):
        return mask
    mask = list(mask)
    spans = context_only_spans(tokenizer, messages, ids, source, row_id) + context_part_spans(tokenizer, messages, ids, source, row_id)
    for a, b in spans:
        mask[a:b] = [0] * (b - a)
    return mask
