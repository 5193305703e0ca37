"""Did every generated reply come from the generation budget its report records (`max_new_tokens`)?

The evals record, per generated reply, `num_generated_tokens` (the tokens the model generated: the reply's, plus
its stop token when it stopped on one) and `stopped_on_eos`. Under a budget of B tokens a reply generated at most
B tokens, and one that did not stop on EOS generated exactly B (greedy generation only ends early on a stop
token). The counts must agree with the fields derived from them (`hit_token_limit` is `not stopped_on_eos`,
`reply_tokens` leaves the stop token out) and with the reply's text: a reply of c characters needs at least
`ceil(c / (longest token + 1))` tokens (a token decodes to at most its own length, plus a space some decoders
add; one token for any non-empty reply when the shipped vocabulary cannot be read).

Results written before the counts were recorded can only be bounded by that length rule: the budget is unverified,
which `release_config` judges as missing evidence (a block under a release profile). A report that says its results record the
counts (`reply_token_counts`) while a reply lacks them has had them removed, and is judged as edited.
"""

from __future__ import annotations

import math
from typing import Any

COUNT, STOPPED = "num_generated_tokens", "stopped_on_eos"


def _is_count(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _needed(reply: str, longest: int | None) -> int:
    return math.ceil(len(reply) / (longest + 1)) if longest else 1


def _length_problem(res: dict, budget: int, longest: int | None) -> str | None:
    """The old rule, for a reply without counts: its length against the whole budget."""
    rid, reply = res.get("id"), res["reply"]
    need = _needed(reply, longest)
    if need > budget:
        return f"row {rid!r}'s reply ({len(reply)} characters) needs at least {need} tokens, more than max_new_tokens {budget}"
    if need == budget and res.get("hit_token_limit") is False:
        return (f"row {rid!r}'s reply needs at least {need} token{'s' if need != 1 else ''}, all of max_new_tokens "
                f"{budget}, yet records hit_token_limit false")
    return None


def _count_problem(res: dict, budget: int, longest: int | None) -> str | None:
    """Why a reply's recorded counts are not those of a reply generated under `budget`; None when they are."""
    rid, n, stopped = res.get("id"), res.get(COUNT), res.get(STOPPED)
    if not _is_count(n) or n < 1 or not isinstance(stopped, bool):
        return f"row {rid!r} records {COUNT} {n!r} and {STOPPED} {stopped!r}, not a count of generated tokens and a yes/no"
    if n > budget:
        return f"row {rid!r} generated {n} tokens, more than max_new_tokens {budget}"
    if not stopped and n != budget:
        return (f"row {rid!r} did not stop on EOS yet generated {n} tokens: greedy generation under max_new_tokens {budget} "
                f"ends early only on a stop token")
    if "hit_token_limit" in res and res["hit_token_limit"] is not (not stopped):
        return f"row {rid!r} records hit_token_limit {res['hit_token_limit']!r}, but {STOPPED} {stopped!r}"
    own = n - stopped
    if "reply_tokens" in res and res["reply_tokens"] != own:
        return f"row {rid!r} records reply_tokens {res['reply_tokens']!r}, but {n} generated tokens{' less its stop token' if stopped else ''} are {own}"
    need = _needed(res["reply"], longest) if res["reply"] else 0
    if need > own:
        return f"row {rid!r}'s reply ({len(res['reply'])} characters) needs at least {need} tokens, more than the {own} it records generating"
    return None


def budget_problem(results: list[dict], budget: int, longest: int | None, counted: bool) -> tuple[str | None, bool]:
    """(why a reply was not generated within `budget` as recorded, or None; whether any reply lacked its counts).
    `counted`: the report says its results record the counts, so a reply without them was edited."""
    unverified = False
    for res in results:
        if "choice" in res or not isinstance(res.get("reply"), str):
            continue
        if COUNT not in res and STOPPED not in res:
            if counted:
                return f"row {res.get('id')!r} records no {COUNT}, though the report says its results record them", False
            unverified = True
            why = _length_problem(res, budget, longest) if res["reply"] else None
        else:
            why = _count_problem(res, budget, longest)
        if why:
            return why, False
    return None, unverified
