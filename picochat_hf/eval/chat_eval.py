"""`picochat eval chat`: score a model on eval rows (task-pack eval mixtures or any rows with rules)."""

from __future__ import annotations

from pathlib import Path

from ..utils.io import ensure_can_write, sha256_file
from .model_io import load_model
from .report import select_examples, write_report
from .rows_eval import check_generation_budget, evaluate_rows, summarize
from .scoring import load_scoring_config, read_scored_rows
from .scoring_identity import scoring_fields


def run_chat_eval(
    rows_path: str | Path,
    checkpoint: str | Path,
    out_dir: str | Path,
    *,
    tokenizer: str | Path | None = None,
    max_new_tokens: int = 64,
    batch_size: int = 16,
    device: str = "cpu",
    precision: str = "fp32",
    max_rows: int | None = None,
    scoring_config: str | Path | None = None,
    trust_remote_code: bool = False,
    force: bool = False,
    dataset: dict | None = None,
    progress: bool = True,
) -> dict:
    """Generate greedy replies for every row, judge them by the row's rules, write the report; return it."""
    ensure_can_write(out_dir, force=force)
    rows = read_scored_rows(rows_path)  # any accepted row format (data.row_formats), each with a scoring rule
    if max_rows is not None:
        rows = rows[:max_rows]
    cfg = load_scoring_config(scoring_config)
    loaded = load_model(checkpoint, tokenizer=tokenizer, device=device, precision=precision, trust_remote_code=trust_remote_code)
    check_generation_budget(loaded, max_new_tokens)
    results = evaluate_rows(loaded, rows, cfg, max_new_tokens=max_new_tokens, batch_size=batch_size, progress=progress)
    report = {
        "kind": "chat",
        "config": {
            "input": str(rows_path),
            "input_sha256": sha256_file(rows_path),
            "dataset": dataset,
            "max_rows": max_rows,
            "max_new_tokens": max_new_tokens,
            "batch_size": batch_size,
            "decoding": "greedy",
            "reply_token_counts": True,  # each generated result records num_generated_tokens and stopped_on_eos
            **scoring_fields(scoring_config, cfg),
        },
        "model": loaded.describe(),
        "summary": summarize(results),
        "examples": select_examples(results),
    }
    write_report(out_dir, report, results, force=force)
    return report
