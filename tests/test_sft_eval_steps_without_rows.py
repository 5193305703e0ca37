"""`train sft --eval-steps N` (or `eval_strategy: steps`) with no rows to evaluate was accepted and evaluated nothing
(the strategy) or failed inside the Trainer; it is refused naming the field before any work."""

from __future__ import annotations

import pytest
from train_fixtures import chat_rows, picochat_model, save_model_dir, stub_preflight, write_rows

from picochat_hf.cli import main as cli_main


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("sft_eval")
    write_rows(d / "train.jsonl", chat_rows(0))
    write_rows(d / "eval.jsonl", chat_rows(1, {"math": 4, "identity": 2}))
    save_model_dir(picochat_model(), d / "base")
    return d


def _argv(d, out, *extra):
    return ["train", "sft", "--input", str(d / "train.jsonl"), "--checkpoint", str(d / "base"), "--out-dir", str(out),
            "--seq-len", "128", "--batch-size", "2", "--device", "cpu", "--steps", "2", *extra]


@pytest.mark.parametrize("extra,field", [(["--eval-steps", "1"], "eval_steps"),
                                         (["--set", "eval_strategy=steps", "--set", "eval_steps=1"], "eval_steps"),
                                         (["--set", "eval_strategy=epoch"], "eval_strategy")])
def test_eval_settings_without_eval_rows_are_refused(workdir, tmp_path, capsys, monkeypatch, extra, field):
    stub_preflight(monkeypatch, "ready")
    assert cli_main(_argv(workdir, tmp_path / "o", *extra)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and field in err[0] and not (tmp_path / "o").exists()


def test_eval_steps_with_eval_rows_run(workdir, tmp_path, monkeypatch):
    stub_preflight(monkeypatch, "ready")
    assert cli_main(_argv(workdir, tmp_path / "o", "--eval-steps", "1", "--eval-input", str(workdir / "eval.jsonl"))) == 0
