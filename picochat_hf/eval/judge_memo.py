"""The verdicts of re-judged replies, kept for the life of the process.

A run's results are judged again by every reader that repeats their numbers: the release gate (once per report),
the model card, the run report and the bundle check. The verdict of one reply to one row under one scoring config
never changes, so each is computed once. A verdict is keyed by the exact content of all three (a BLAKE2b digest of
the row as canonical JSON, the reply, the raw reply and every setting of the config, each part led by its length), never
by object identity: a config whose lists were changed in place, or an edited row, is judged afresh. A row JSON cannot
write is judged every time; JSON does not tell a tuple from a list, which rows read from files never hold. The
scorer's own YAML tables (`decline_forms.yaml` and the like) are read once per process and are not part of the key.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import OrderedDict
from typing import Any

from .rows_eval import judge_generated
from .scoring import ScoringConfig

MAX_VERDICTS = 100_000  # a few hundred bytes each (tens of MB at most); the oldest go first
FIELDS = ("passed", "failures", "echo", "unsupported_claim")
_memo: OrderedDict[bytes, dict[str, Any]] = OrderedDict()


def config_key(cfg: ScoringConfig) -> bytes:
    """A digest of every setting of `cfg` as it is now (compute it again after changing the config)."""
    settings = {f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg)}
    return hashlib.blake2b(json.dumps(settings, sort_keys=True).encode(), digest_size=16).digest()


def judged(row: dict, reply: str, cfg: ScoringConfig, cfg_key: bytes, raw_reply: str | None = None) -> dict[str, Any]:
    """`judge_generated(row, reply, cfg, raw_reply)`'s FIELDS (failures as a tuple), computed once per content.
    `cfg_key` must be `config_key(cfg)` of the config as it is at this call."""
    try:
        row_text = json.dumps(row, sort_keys=True)
    except (TypeError, ValueError):  # not a JSON row (a row as files give it always is): judged, not kept
        return _verdict(row, reply, cfg, raw_reply)
    h = hashlib.blake2b(cfg_key, digest_size=16)
    for part in (row_text, reply, "" if raw_reply is None else raw_reply):  # each part led by its length: no two split alike
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little") + data)
    h.update(b"\1" if raw_reply is None else b"\2")
    key = h.digest()
    hit = _memo.get(key)
    if hit is not None:
        _memo.move_to_end(key)
        return dict(hit)
    verdict = _memo[key] = _verdict(row, reply, cfg, raw_reply)
    if len(_memo) > MAX_VERDICTS:
        _memo.popitem(last=False)
    return dict(verdict)


def _verdict(row: dict, reply: str, cfg: ScoringConfig, raw_reply: str | None) -> dict[str, Any]:
    res = judge_generated(row, reply, cfg, raw_reply=raw_reply)
    return {k: tuple(res[k]) if k == "failures" else res[k] for k in FIELDS}


def clear() -> None:
    _memo.clear()
