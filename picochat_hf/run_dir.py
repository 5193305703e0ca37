"""The run directory: every artifact path of a run, named once.

Stages write, and gates, report, export and bundle read, through `RunDir` rather than path strings, so
the layout below is the one place it is spelled out:

```
run_manifest.json                 commit, versions, tokenizer and data hashes, model, budget
dataset_pack/dataset_pack.json    + import_report.json/.md, shards
tokenizer/                        tokenizer.json, tokenizer_hash.txt
base/  sft/                       checkpoint/, best_checkpoint/ (base), metrics.jsonl, train_report.json
task_pack/                        SFT and eval rows (*.jsonl) with their mixture summaries
gates/preflight.json|.md          the preflight gate (the last training stage's)
sft_fit/ sft_fit_heldout/ eval/   eval_report.json, report.md, results.jsonl (every row)
external_eval/<benchmark>/        eval_report.json, report.md, results.jsonl
lm_eval/                          lm_eval_command.json, lm_eval_results.json
honesty/                          honesty_report.json, report.md
gates/release.json|.md            the release gate, with the sha256 of every evidence file it judged
export/                           the HF folder: weights, README.md (card), release_manifest.json
report.md  report.html  report_assets/
bundle/                           result bundles (tar.gz + .sha256)
demo_config.json demo_state.json  written by `picochat demo`
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .utils.io import read_json, read_json_or_none

STAGES = ("base", "sft", "dpo")
EVAL_KINDS = ("sft_fit", "sft_fit_heldout", "eval")  # rule-scored evals of the released checkpoint
EVAL_LABELS = {"eval": "Visible chat eval", "sft_fit": "SFT fit", "sft_fit_heldout": "Held-out SFT fit"}


class RunDir:
    """Paths (and JSON reads) of one run directory; `rel` turns a path back into its layout name."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"RunDir({str(self.root)!r})"

    # ---- data, tokenizer, manifest ---------------------------------------------------------------
    @property
    def run_manifest(self) -> Path:
        return self.root / "run_manifest.json"

    @property
    def dataset_pack_dir(self) -> Path:
        return self.root / "dataset_pack"

    @property
    def dataset_pack(self) -> Path:
        return self.dataset_pack_dir / "dataset_pack.json"

    @property
    def import_report(self) -> Path:
        return self.dataset_pack_dir / "import_report.json"

    @property
    def tokenizer_dir(self) -> Path:
        return self.root / "tokenizer"

    @property
    def tokenizer_hash(self) -> Path:
        return self.tokenizer_dir / "tokenizer_hash.txt"

    @property
    def task_pack_dir(self) -> Path:
        return self.root / "task_pack"

    # ---- training stages ---------------------------------------------------------------------------
    def stage_dir(self, stage: str) -> Path:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        return self.root / stage

    def train_report(self, stage: str) -> Path:
        return self.stage_dir(stage) / "train_report.json"

    def checkpoint(self, stage: str) -> Path:
        return self.stage_dir(stage) / "checkpoint"

    def best_checkpoint(self, stage: str = "base") -> Path:
        return self.stage_dir(stage) / "best_checkpoint"

    def metrics(self, stage: str) -> Path:
        return self.stage_dir(stage) / "metrics.jsonl"

    @property
    def released_checkpoint(self) -> Path:
        """The checkpoint a release ships: the SFT output."""
        return self.checkpoint("sft")

    def shipped_tokenizer_dir(self, checkpoint: Path) -> Path | None:
        """The folder whose tokenizer.json a release of `checkpoint` ships (`export hf` copies it, the gate judges
        it): the checkpoint's own, else its parent's, else this run's tokenizer/; None when none has one."""
        return shipped_tokenizer_dir(checkpoint, self)

    # ---- gates ------------------------------------------------------------------------------------
    @property
    def gates_dir(self) -> Path:
        return self.root / "gates"

    @property
    def preflight(self) -> Path:
        return self.gates_dir / "preflight.json"

    @property
    def preflight_md(self) -> Path:
        return self.gates_dir / "preflight.md"

    @property
    def release(self) -> Path:
        return self.gates_dir / "release.json"

    @property
    def release_md(self) -> Path:
        return self.gates_dir / "release.md"

    @property
    def release_history(self) -> Path:
        return self.gates_dir / "release_history.jsonl"

    # ---- evaluation and honesty ------------------------------------------------------------------
    def eval_dir(self, kind: str) -> Path:
        if kind not in EVAL_KINDS:
            raise ValueError(f"unknown eval kind {kind!r}")
        return self.root / kind

    def eval_report(self, kind: str) -> Path:
        return self.eval_dir(kind) / "eval_report.json"

    @property
    def external_root(self) -> Path:
        return self.root / "external_eval"

    def external_dir(self, benchmark: str) -> Path:
        return self.external_root / benchmark

    def external_reports(self) -> list[Path]:
        return sorted(self.external_root.glob("*/eval_report.json")) if self.external_root.is_dir() else []

    @property
    def external_data_dir(self) -> Path:
        """Benchmark files a run writes for itself (the demo's ARC-format file)."""
        return self.root / "external"

    @property
    def lm_eval_dir(self) -> Path:
        return self.root / "lm_eval"

    @property
    def lm_eval_results(self) -> Path:
        return self.lm_eval_dir / "lm_eval_results.json"

    @property
    def honesty_dir(self) -> Path:
        return self.root / "honesty"

    @property
    def honesty_report(self) -> Path:
        return self.honesty_dir / "honesty_report.json"

    @staticmethod
    def results_beside(report: Path) -> Path:
        """The per-row `results.jsonl` written next to an `eval_report.json`."""
        return report.parent / "results.jsonl"

    # ---- export, report, bundle ------------------------------------------------------------------
    @property
    def export_dir(self) -> Path:
        return self.root / "export"

    @property
    def release_manifest(self) -> Path:
        return self.export_dir / "release_manifest.json"

    @property
    def model_card(self) -> Path:
        return self.export_dir / "README.md"

    @property
    def report_md(self) -> Path:
        return self.root / "report.md"

    @property
    def report_html(self) -> Path:
        return self.root / "report.html"

    @property
    def report_assets(self) -> Path:
        return self.root / "report_assets"

    @property
    def bundle_dir(self) -> Path:
        return self.root / "bundle"

    @property
    def demo_config(self) -> Path:
        """The demo recipe's settings (written by `picochat demo`)."""
        return self.root / "demo_config.json"

    @property
    def demo_state(self) -> Path:
        return self.root / "demo_state.json"

    # ---- helpers ----------------------------------------------------------------------------------
    def rel(self, path: str | Path) -> str:
        """`path` as its name inside the run directory (posix), e.g. `eval/eval_report.json`."""
        path = Path(path)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.resolve().relative_to(self.root.resolve()).as_posix()

    def path(self, rel: str) -> Path:
        return self.root / rel

    def load(self, path: Path) -> Any | None:
        """A JSON artifact, or None when it is absent (malformed JSON is an error naming the file)."""
        return read_json(path) if path.exists() else None

    def load_lenient(self, path: Path) -> Any | None:
        """A JSON artifact, or None when absent or unparsable (for display-only readers)."""
        return read_json_or_none(path)


def shipped_tokenizer_dir(checkpoint: Path, run: RunDir | None = None) -> Path | None:
    """The folder whose tokenizer.json ships with `checkpoint`: its own, else its parent's, else `run`'s tokenizer/."""
    for cand in (checkpoint, checkpoint.parent, run.tokenizer_dir if run is not None else None):
        if cand is not None and (cand / "tokenizer.json").is_file():
            return cand
    return None
