"""`picochat eval sft-fit`: does the model reproduce what it was fine-tuned on, and what it was not?

Each SFT row becomes an eval row judged by the same rule engine (`scoring.py`) as the chat eval:

- a row that carries its own content rules (task-pack rows: `normalized_answer`, `must_include`, ...),
  a choice row (`choices` + `correct_choice`, judged by letter logits) or a reasoning-trace row (judged by
  its `<answer>` part) keeps its rules;
- a row that expects a refusal keeps that expectation when its supervised answer itself declines;
- any other row with a short supervised answer (at most `sft_exact_answer_max_words` words, set in the
  scoring YAML) must give exactly that answer (`reference_answer`, judged on the whole reply: "41, 42 or
  43" does not answer "42"); a longer answer must be contained whole, word-aware and case-insensitive,
  within `max_words = max(12, answer_words + 8)`.

`split="train"` scores the rows training saw; `split="heldout"` scores the validation split made by
`split_train_heldout` (the function training should use to hold rows out), so the gap between the two
is memorisation. `heldout_check` reads the training report and says whether training really left those
rows out; the report states it either way.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..data.schema import answer_text, read_rows
from ..utils.errors import PicochatInputError
from ..utils.io import ensure_can_write, sha256_file
from ..utils.setting_names import old_keywords
from .model_io import load_model
from .report import select_examples, write_report
from .rows_eval import check_generation_budget, evaluate_rows, is_choice_row, summarize
from .behaviour import declines
from .scoring import CONTENT_RULES, ScoringConfig, expects_refusal, is_reasoning, load_scoring_config
from .scoring_identity import scoring_fields
from .splits import DEFAULT_SPLIT_SEED, DEFAULT_VAL_FRACTION, split_key, split_train_heldout

__all__ = ["run_sft_fit", "sft_row_to_eval_row", "split_train_heldout"]


def sft_row_to_eval_row(row: dict, cfg: ScoringConfig) -> dict:
    """The eval row that checks a model against one supervised SFT row (see the module docstring)."""
    answer = answer_text(row)
    out = dict(row)
    if is_choice_row(row) or is_reasoning(row) or any(out.get(k) for k in CONTENT_RULES):
        return out
    if expects_refusal(row):
        if declines(answer, cfg.lexicons()):
            return out
        out["answerable"] = True
    words = len(answer.split())
    if words <= cfg.sft_exact_answer_max_words:
        out["reference_answer"] = answer
    else:
        out["must_include"] = [answer]
        out["max_words"] = max(12, words + 8)
    return out


@old_keywords("eval sft-fit")
def heldout_check(checkpoint: str | Path, rows_path: str | Path, n_rows: int, n_train: int, heldout_fraction: float, seed: int) -> dict:
    """Did the training run behind `checkpoint` really leave the held-out rows out?

    Reads the SFT `train_report.json` next to the checkpoint. `held_out` when it records the same split
    (`data.heldout = {val_fraction, seed}`, the field heldout_fraction recorded under its report key) or trained on exactly the train split's row count;
    `trained_on_heldout` when it trained on every row of this file (then held-out fit measures recall, not
    generalisation); `unknown` when there is no report to tell."""
    checkpoint = Path(checkpoint)
    report_path = next((p for p in (checkpoint / "train_report.json", checkpoint.parent / "train_report.json") if p.exists()), None)
    if report_path is None:
        return {"status": "unknown", "why": "no train_report.json next to the checkpoint"}
    try:
        train_report = json.loads(report_path.read_text(encoding="utf-8")) or {}
        data = train_report.get("data") or {}
        trained_sha = (train_report.get("inputs") or {}).get("sft_input_sha256")
    except (json.JSONDecodeError, AttributeError):
        return {"status": "unknown", "why": f"{report_path} is not a training report"}
    split = data.get("heldout")
    if isinstance(split, dict) and split.get("val_fraction") == heldout_fraction and split.get("seed") == seed:
        return {"status": "held_out", "why": f"{report_path.name} records the same split (val_fraction={heldout_fraction}, seed={seed})"}
    same_file = data.get("train_input") is not None and Path(str(data["train_input"])).resolve() == Path(rows_path).resolve()
    same_file = same_file or (trained_sha is not None and trained_sha == sha256_file(rows_path))  # e.g. a materialised dataset
    if same_file and data.get("train_rows") == n_rows:
        return {"status": "trained_on_heldout", "why": f"training used all {n_rows} rows of this file, held-out rows included"}
    if data.get("train_rows") == n_train:
        return {"status": "held_out", "why": f"training used {n_train} rows, the size of the train split"}
    return {"status": "unknown", "why": f"training used {data.get('train_rows')} rows of {data.get('train_input')}"}


def answered_rows(rows_path: str | Path) -> tuple[list[dict], list[dict]]:
    """All rows of the file, and those with an assistant answer to fit (at least one)."""
    all_rows = read_rows(rows_path)
    rows = [r for r in all_rows if answer_text(r).strip()]
    if not rows:
        raise PicochatInputError("no row has an assistant answer to fit", path=rows_path)
    return all_rows, rows


@old_keywords("eval sft-fit")
def split_rows(rows: list[dict], split: str, heldout_fraction: float, seed: int,
                rows_path: str | Path) -> tuple[list[dict], list[dict], list[dict]]:
    """The train rows, the held-out rows and the (non-empty) rows of `split`."""
    train, heldout = split_train_heldout(rows, heldout_fraction, seed)
    chosen = train if split == "train" else heldout
    if not chosen:
        raise PicochatInputError(f"the {split} split is empty (heldout_fraction={heldout_fraction}, {len(rows)} rows)", path=rows_path)
    return train, heldout, chosen


@old_keywords("eval sft-fit")
def run_sft_fit(
    rows_path: str | Path,
    checkpoint: str | Path,
    out_dir: str | Path,
    *,
    split: str = "train",
    heldout_fraction: float = DEFAULT_VAL_FRACTION,
    seed: int = DEFAULT_SPLIT_SEED,
    max_rows: int | None = None,
    tokenizer: str | Path | None = None,
    max_new_tokens: int = 128,
    batch_size: int = 16,
    device: str = "cpu",
    precision: str = "fp32",
    scoring_config: str | Path | None = None,
    trust_remote_code: bool = False,
    force: bool = False,
    dataset: dict | None = None,
    progress: bool = True,
) -> dict:
    """Score greedy replies to the SFT rows of `split` ("train" or "heldout"); write and return the report."""
    if split not in ("train", "heldout"):
        raise PicochatInputError(f"split must be 'train' or 'heldout', got {split!r}", field="split")
    ensure_can_write(out_dir, force=force)
    all_rows, rows = answered_rows(rows_path)
    train, heldout, chosen = split_rows(rows, split, heldout_fraction, seed, rows_path)
    if max_rows is not None:
        chosen = chosen[:max_rows]
    cfg = load_scoring_config(scoring_config)
    eval_rows = [sft_row_to_eval_row(r, cfg) for r in chosen]
    loaded = load_model(checkpoint, tokenizer=tokenizer, device=device, precision=precision, trust_remote_code=trust_remote_code)
    check_generation_budget(loaded, max_new_tokens)
    results = evaluate_rows(loaded, eval_rows, cfg, max_new_tokens=max_new_tokens, batch_size=batch_size, progress=progress)
    report = {
        "kind": "sft_fit" if split == "train" else "sft_fit_heldout",
        "config": {
            "input": str(rows_path),
            "input_sha256": sha256_file(rows_path),
            "dataset": dataset,
            "split": split,
            "split_key": split_key(rows),
            "val_fraction": heldout_fraction,
            "seed": seed,
            "n_train_rows": len(train),
            "n_heldout_rows": len(heldout),
            "max_rows": max_rows,
            "max_new_tokens": max_new_tokens,
            "batch_size": batch_size,
            "decoding": "greedy",
            "reply_token_counts": True,  # each generated result records num_generated_tokens and stopped_on_eos
            **scoring_fields(scoring_config, cfg),
            "heldout_check": heldout_check(checkpoint, rows_path, len(all_rows), len(train), heldout_fraction, seed) if split == "heldout" else None,
        },
        "model": loaded.describe(),
        "summary": summarize(results),
        "examples": select_examples(results),
    }
    write_report(out_dir, report, results, force=force)
    return report
