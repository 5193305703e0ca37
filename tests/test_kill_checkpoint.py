"""Kill tests for Trainer checkpoints: a save interrupted by SIGKILL is never resumed from.

`picochat train sft` runs in a subprocess with `PICOCHAT_FAULT=checkpoint_before_marker`, so it kills
itself after the Trainer wrote `checkpoint-N` but before the completeness marker; `--resume-from-checkpoint
last` must then skip that folder, say so, and pick the newest complete checkpoint (or refuse with one line
when there is none).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
from train_fixtures import chat_rows, picochat_model, save_model_dir, write_rows

from picochat_hf.cli import main as cli_main
from picochat_hf.training.callbacks import COMPLETE_MARKER, checkpoint_problem, read_metrics


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("kill_ckpt")
    write_rows(d / "train.jsonl", chat_rows(0))
    save_model_dir(picochat_model(), d / "base")
    return d


def _train_argv(d, out, *extra):
    return ["train", "sft", "--input", str(d / "train.jsonl"), "--checkpoint", str(d / "base"), "--out-dir", str(out),
            "--seq-len", "128", "--batch-size", "2", "--learning-rate", "3e-3", "--lr-warmup-steps", "1", "--device", "cpu",
            "--seed", "3", "--save-steps", "2", "--allow-blocked-preflight", *extra]


def _run_killed(argv, fault):
    env = {**os.environ, "PICOCHAT_FAULT": fault, "HF_HUB_OFFLINE": "1", "TQDM_DISABLE": "1"}
    proc = subprocess.run([sys.executable, "-m", "picochat_hf", *argv], env=env, capture_output=True, text=True, timeout=600)
    return proc


def test_interrupted_save_is_skipped_on_resume(workdir, tmp_path, capsys):
    out = tmp_path / "run"
    proc = _run_killed(_train_argv(workdir, out, "--steps", "4"), "checkpoint_before_marker")
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    half = out / "checkpoint-2"
    assert (half / "trainer_state.json").exists() and not (half / COMPLETE_MARKER).exists()
    assert "interrupted save" in checkpoint_problem(half)

    # nothing complete to resume from: one line, exit 2, the run folder untouched
    before = sorted(p.name for p in out.rglob("*"))
    assert cli_main(_train_argv(workdir, out, "--steps", "4", "--resume-from-checkpoint", "last")) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("picochat: error:") and "no complete checkpoint-N to resume from" in err[-1]
    assert any("skipping incomplete checkpoint" in line and "checkpoint-2" in line for line in err)
    assert sorted(p.name for p in out.rglob("*")) == before

    # naming the half-written folder explicitly is refused too
    assert cli_main(_train_argv(workdir, out, "--steps", "4", "--resume-from-checkpoint", str(half))) == 2
    assert "incomplete checkpoint" in capsys.readouterr().err


def test_resume_last_picks_the_newest_complete_checkpoint(workdir, tmp_path, capsys):
    out = tmp_path / "run"
    assert cli_main(_train_argv(workdir, out, "--steps", "4")) == 0
    assert checkpoint_problem(out / "checkpoint-2") is None and checkpoint_problem(out / "checkpoint-4") is None
    # what kills leave behind: a newer checkpoint without its marker, and one with a truncated weights file
    shutil.copytree(out / "checkpoint-4", out / "checkpoint-6")
    (out / "checkpoint-6" / COMPLETE_MARKER).unlink()
    shutil.copytree(out / "checkpoint-4", out / "checkpoint-8")
    weights = out / "checkpoint-8" / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])
    (out / "checkpoint-9").mkdir()
    capsys.readouterr()
    assert cli_main(_train_argv(workdir, out, "--steps", "6", "--resume-from-checkpoint", "last")) == 0
    err = capsys.readouterr().err
    for name in ("checkpoint-9", "checkpoint-8", "checkpoint-6"):
        assert f"skipping incomplete checkpoint {out / name}" in err
    report = json.loads((out / "train_report.json").read_text())
    assert report["resumed_from"] == str(out / "checkpoint-4")
    steps = [m["step"] for m in read_metrics(out / "metrics.jsonl") if "loss" in m]
    assert steps == [1, 2, 3, 4, 5, 6]
