"""The one count a token budget is judged on: the tokens a run trained on (`trained_tokens_seen` in a train report).

A run on plain text trains on every token it reads, so the count is its real tokens (`real_tokens_seen`, unchanged
for plain-text base runs). A run on conversations (shards with supervision masks, SFT rows) reads user turns as
context only: they are inputs, not targets, so the count is its supervised tokens (labels other than -100). Counting
the user turns made a base run on conversation shards claim 120 tokens trained on where the model was taught 7.

Every reader of a budget (the preflight, the release gate, the run report, the model card, the bundle summary)
reads it through `trained_tokens`, never `real_tokens_seen` itself.
"""

from __future__ import annotations

from typing import Any

FIELD = "trained_tokens_seen"
COUNTED_FIELD = "trained_tokens_counted"


def trained_count(done: dict[str, Any], *, masked: bool) -> tuple[int, str]:
    """(tokens trained on, what they count) of a run's totals: supervised tokens when its data carries supervision
    masks, else real tokens."""
    return (int(done["supervised_tokens"]), "supervised") if masked else (int(done["real_tokens"]), "real")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def trained_tokens(report: dict[str, Any]) -> tuple[int | float | None, str]:
    """(tokens trained on, the report field it was read from) of a train report; (None, FIELD) when it records none.

    A report written before `trained_tokens_seen` existed is read as its real count when it trained on in-memory
    documents (plain text) or records no supervised count; otherwise it cannot say whether its data had masks and is
    read as the smaller of its real and supervised counts (a budget is a floor, so the smaller one never over-claims).
    A recorded count above the real tokens read is no count of tokens trained on: the real count is used instead, so
    an edited report cannot raise the budget past what was read.
    """
    real, supervised, trained = report.get("real_tokens_seen"), report.get("supervised_tokens_seen"), report.get(FIELD)
    if _number(trained):
        if _number(real) and trained > real:
            return real, "real_tokens_seen"
        return trained, FIELD
    data = report.get("data")
    plain = isinstance(data, dict) and data.get("path") == "in_memory"  # pretraining on documents held in memory
    if _number(real) and _number(supervised) and not plain:
        return (supervised, "supervised_tokens_seen") if supervised < real else (real, "real_tokens_seen")
    if _number(real):
        return real, "real_tokens_seen"
    return None, FIELD
