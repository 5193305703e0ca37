"""Eval inputs named the TRL way (`--dataset_name`, `--dataset_config`, `--dataset_test_split`,
`--dataset_streaming`): the split is materialised to `inputs/eval_rows.jsonl` (+ `eval_rows.provenance.json`)
and evaluated through the ordinary file path, so the report's `input_sha256` is that file's and the evidence
chain (scan, release gate) hashes the same bytes. The file is staged beside the output folder and moved into
it by `report.write_report` with the rest of the report; on any error the staging folder is removed.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..utils.errors import PicochatInputError
from ..utils.io import ensure_can_write, output_lock

INPUTS_DIR = "inputs"


def add_dataset_flags(p: argparse.ArgumentParser, *, split_flag: str, default_split: str) -> None:
    """The flags `train sft` uses for a named dataset, with the split flag this command reads."""
    p.add_argument("--dataset-name", "--dataset_name", dest="dataset_name",
                   help="rows from a Hub dataset, a save_to_disk folder or a data file (instead of --input)")
    p.add_argument("--dataset-config", "--dataset_config", dest="dataset_config")
    dash = split_flag.replace("_", "-")
    p.add_argument(f"--{dash}", f"--{split_flag}", dest="dataset_split", default=default_split,
                   help=f"split of --dataset_name to read (default {default_split})")
    p.add_argument("--dataset-streaming", "--dataset_streaming", "--streaming", dest="dataset_streaming", action="store_true",
                   help="stream the dataset while writing inputs/eval_rows.jsonl")


def check_one_source(args: argparse.Namespace) -> None:
    """Exactly one of --input and --dataset_name."""
    if (args.input is None) == (args.dataset_name is None):
        raise PicochatInputError("give exactly one of --input and --dataset_name", field="input")


@contextlib.contextmanager
def eval_rows_input(args: argparse.Namespace, *, split_field: str, check: Any = None, file_name: str = "eval_rows.jsonl",
                    row_split: str = "eval", max_rows: int | None = None) -> Iterator[tuple[Path, dict[str, Any] | None]]:
    """(rows file, dataset record or None): `--input` as given, or the materialised `--dataset_name` split (its first
    `max_rows` rows only, when given: a streamed split is then read no further)."""
    check_one_source(args)
    if args.dataset_name is None:
        yield Path(args.input), None
        return
    from ..data.materialise import materialise_rows

    out_dir = Path(args.out_dir)
    ensure_can_write(out_dir, force=args.force)
    parent = out_dir.parent if out_dir.parent.is_dir() else None
    # held (re-entrant) so the report's own lock does not sweep the staging folder away as a stale `.partial`
    with output_lock(out_dir):
        staged = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.inputs.", suffix=".partial", dir=parent))
        try:
            record = materialise_rows(args.dataset_name, staged, file_name, config=args.dataset_config, split=args.dataset_split,
                                      streaming=args.dataset_streaming, row_split=row_split, split_field=split_field, check=check,
                                      max_rows=max_rows)
            record["staged_dir"] = str(staged)
            yield staged / file_name, record
        finally:
            shutil.rmtree(staged, ignore_errors=True)


def place_inputs(report: dict[str, Any], out_dir: Path, tmp: Path) -> dict[str, Any]:
    """Move a staged dataset input into the new output folder `tmp`; the report then names its final path."""
    dataset = (report.get("config") or {}).get("dataset")
    if not dataset or "staged_dir" not in dataset:
        return report
    shutil.copytree(dataset["staged_dir"], tmp / INPUTS_DIR)
    final = Path(out_dir) / INPUTS_DIR / dataset["file"]
    kept = {k: v for k, v in dataset.items() if k != "staged_dir"}
    return {**report, "config": {**report["config"], "input": str(final), "dataset": kept}}
