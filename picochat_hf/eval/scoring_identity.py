"""Which rules judged an eval: the sha256 of its effective scoring config, recorded in the report.

A report names the scoring YAML it was judged under (`scoring_config`: a user's file, or the shipped one). A name
alone cannot tell a file edited after the eval from the one that judged it, nor a package upgrade's rules from the
ones of the run. `scoring_sha256` hashes the settings the rule engine ran with (the user's file merged over the
shipped defaults, as `load_scoring_config` builds them), so formatting and comments do not count and a key left
out counts as its shipped value. The release gate loads the config a report names and compares its hash. The tables
the scorer reads beside the config are hashed too (`scoring_tables`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from .scoring import SHIPPED_SCORING, ScoringConfig
from .scoring_tables import tables_fields

SCORING_SHA256 = "scoring_config_sha256"  # the report config's field


def scoring_sha256(cfg: ScoringConfig) -> str:
    """sha256 of the settings `cfg` judges with, as canonical JSON (keys sorted)."""
    blob = json.dumps(dataclasses.asdict(cfg), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def scoring_fields(scoring_config: str | Path | None, cfg: ScoringConfig) -> dict[str, Any]:
    """The report config's `scoring_config` (the file named, or the shipped one), the hash of what it gave, and the
    hashes of the scorer's tables (`scoring_tables`)."""
    return {"scoring_config": str(scoring_config) if scoring_config else SHIPPED_SCORING, SCORING_SHA256: scoring_sha256(cfg),
            **tables_fields()}
