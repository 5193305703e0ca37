"""Assistant masks that honour weight 0 (OpenAI fine-tuning's "context only") under any chat template: on a whole
assistant message, and on the parts that open a turn (a prompt's tool call and its result that a completion
continues, `layout_messages._join_turns`). A template that does not render message parts (no `<|python_start|>`) gets
them flattened to text; the parts it must not train there (a tool's output, context-only parts) are masked by
their characters, since the template marks whole turns."""

from __future__ import annotations

from typing import Any

from ..utils.errors import PicochatInputError
from .schema import context_parts, message_text

UNTRAINED_PART_TYPES = ("python_output",)  # written by the tool, not the model


def template_keeps_parts(tokenizer: Any) -> bool:
    """Whether the chat template renders assistant message parts itself (picochat's does)."""
    return "python_start" in (getattr(tokenizer, "chat_template", None) or "")


def messages_for_template(tokenizer: Any, messages: list[dict]) -> list[dict]:
    """The messages as the template reads them: parts flattened to text where it does not render parts."""
    if template_keeps_parts(tokenizer):
        return messages
    return [{"role": m["role"], "content": message_text(m["content"]), **({"weight": m["weight"]} if "weight" in m else {})}
            for m in messages]


def render_ids(tokenizer: Any, messages: list[dict]) -> list[int]:
    """Token ids of `messages` rendered by the tokenizer's chat template."""
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
        if msg.get("role") != "assistant" or msg.get("weight") != 0:  # only an assistant turn is ever trained
            continue
        before, upto = render_ids(tokenizer, messages[:i]), render_ids(tokenizer, messages[: i + 1])
        if upto[: len(before)] != before or ids[: len(upto)] != upto:
            raise _no_prefix(row_id, i, source, ".weight")
        spans.append((len(before), len(upto)))
    return spans


def opening_span(tokenizer: Any, messages: list[dict], i: int, ids: list[int]) -> tuple[int, int] | None:
    """(start, end) token span, within `ids` (the rendering of `messages`), of the context-only parts that open
    assistant message `i`: from the turn's start to where the rendering of the turn cut after those parts stops
    agreeing with the whole. None where the template renders no such prefix. The parts end on a tool result, whose
    closing token no answer text merges with, so the span holds exactly the context."""
    msg = messages[i]
    head = [{key: v for key, v in p.items() if key != "weight"} for p in msg["content"][: context_parts(msg["content"])]]
    before = messages_for_template(tokenizer, messages[:i])
    opened = {**msg, "content": head if template_keeps_parts(tokenizer) else message_text(head)}
    start_ids, cut = render_ids(tokenizer, before), render_ids(tokenizer, [*before, opened])
    start = len(start_ids)
    if ids[:start] != start_ids or cut[:start] != start_ids:
        return None
    end = next((n for n, (a, b) in enumerate(zip(cut, ids)) if a != b), min(len(cut), len(ids)))
    return (start, end) if end > start else None


def context_part_spans(tokenizer: Any, messages: list[dict], ids: list[int], source: str, row_id: Any) -> list[tuple[int, int]]:
    """Token spans of the context-only parts that open a trained assistant turn (`opening_span` of each)."""
    spans = []
    for i, msg in enumerate(messages):
        k = context_parts(msg.get("content", "")) if msg.get("role") == "assistant" and msg.get("weight") != 0 else 0
        if k == 0:
            continue
        span = opening_span(tokenizer, messages, i, ids)
        if span is None:
            raise _no_prefix(row_id, i, source, f".content[{k - 1}].weight")
        spans.append(span)
    return spans


def _untrained_parts(msg: dict) -> list[tuple[int, int]]:
    """Character spans, within the flattened text of an assistant turn, of the parts never trained."""
    spans, at = [], 0
    for part in msg["content"]:
        n = len(part["text"])
        if part.get("type") in UNTRAINED_PART_TYPES or part.get("weight") == 0:
            spans.append((at, at + n))
        at += n
    return spans


def _cannot_flatten(row_id: Any, i: int, source: Any, why: str) -> PicochatInputError:
    return PicochatInputError(
        f"row {row_id!r}: this chat template renders message parts as plain text and {why}, so the tool output and "
        "context parts of this turn cannot be left untrained; use picochat's template", path=source, field=f"messages[{i}].content")


def flattened_part_spans(tokenizer: Any, messages: list[dict], ids: list[int], source: Any, row_id: Any) -> list[tuple[int, int]]:
    """Token spans of the untrained parts (tool output, weight 0) of assistant turns that a template without part
    support renders as one text: every token whose characters overlap such a part is masked."""
    turns = [i for i, m in enumerate(messages) if m.get("role") == "assistant" and isinstance(m.get("content"), list)
             and m.get("weight") != 0 and _untrained_parts(m)]
    if not turns:
        return []
    flat = messages_for_template(tokenizer, messages)
    text = tokenizer.apply_chat_template(flat, tokenize=False)
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True) if getattr(tokenizer, "is_fast", False) else None
    if enc is None or list(enc["input_ids"]) != list(ids):
        raise _cannot_flatten(row_id, turns[0], source, "its tokens cannot be traced back to characters")
    spans = []
    for i in turns:
        marker = "\x00picochat-part-start\x00"
        marked = tokenizer.apply_chat_template([*flat[:i], {**flat[i], "content": marker}, *flat[i + 1:]], tokenize=False)
        start = marked.find(marker)
        content = flat[i]["content"]
        if start < 0 or marked[:start] != text[:start] or text[start:start + len(content)] != content:
            raise _cannot_flatten(row_id, i, source, "does not insert the turn's text as written")
        for a, b in _untrained_parts(messages[i]):
            a, b = start + a, start + b
            hit = [t for t, (s, e) in enumerate(enc["offset_mapping"]) if s < b and e > a]
            if hit:
                spans.append((hit[0], hit[-1] + 1))
    return spans


def has_context_only(messages: list[dict]) -> bool:
    return any(m.get("weight") == 0 or (m.get("role") == "assistant" and context_parts(m.get("content", "")))
               for m in messages)


def without_context_only(tokenizer: Any, messages: list[dict], ids: list[int], mask: list[int], *, source: Any,
                         row_id: Any) -> list[int]:
    """`mask` (the template's generation mask over `ids`) with the spans of weight-0 assistant messages and of the
    context-only parts that open a turn cleared."""
    flattened = not template_keeps_parts(tokenizer)
    if not has_context_only(messages) and not flattened:
        return mask
    mask = list(mask)
    if flattened:  # parts become text here: whole weight-0 turns by rendering, untrained parts by their characters
        spans = (context_only_spans(tokenizer, messages_for_template(tokenizer, messages), ids, source, row_id)
                 + flattened_part_spans(tokenizer, messages, ids, source, row_id))
    else:
        spans = context_only_spans(tokenizer, messages, ids, source, row_id) + context_part_spans(tokenizer, messages, ids, source, row_id)
    for a, b in spans:
        mask[a:b] = [0] * (b - a)
    return mask
