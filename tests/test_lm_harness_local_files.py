"""`eval lm-harness --arc-file/--mmlu-file` feed the picochat_*_local tasks: a file beside tasks that never read it
was accepted without effect (`--tasks arc_easy --arc-file mine.jsonl` scores the Hub's ARC, not the file), and a
local task without its file wrote a command that could only fail inside lm-eval."""

from __future__ import annotations

import json

import pytest

from picochat_hf.cli import main as cli_main


@pytest.fixture()
def model_dir(tmp_path):
    d = tmp_path / "exp"
    d.mkdir()
    (d / "config.json").write_text(json.dumps({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]}))
    return d


@pytest.fixture()
def arc_file(tmp_path):
    assert cli_main(["eval", "write-demo-arc", "--out", str(tmp_path / "arc.jsonl")]) == 0
    return tmp_path / "arc.jsonl"


def _run(model_dir, out, tasks, *extra):
    return cli_main(["eval", "lm-harness", "--checkpoint", str(model_dir), "--tasks", tasks, "--out-dir", str(out),
                     "--dry-run", *extra])


@pytest.mark.parametrize("tasks,flag", [("arc_easy", "--arc-file"), ("arc_easy,hellaswag", "--mmlu-file"),
                                        ("picochat_mmlu_local", "--arc-file")])
def test_a_local_file_no_task_reads_is_refused(tmp_path, capsys, model_dir, arc_file, tasks, flag, monkeypatch):
    monkeypatch.delenv("PICOCHAT_MMLU_FILE", raising=False)
    monkeypatch.delenv("PICOCHAT_ARC_FILE", raising=False)
    extra = [flag, str(arc_file)] + (["--mmlu-file", str(arc_file)] if tasks == "picochat_mmlu_local" else [])
    assert _run(model_dir, tmp_path / "o", tasks, *extra) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and flag.lstrip("-").replace("-", "_") in err[0] and not (tmp_path / "o").exists()


@pytest.mark.parametrize("tasks", ["picochat_mmlu_local", "arc_easy,picochat_arc_local"])
def test_a_local_task_without_its_file_is_refused(tmp_path, capsys, model_dir, tasks, monkeypatch):
    monkeypatch.delenv("PICOCHAT_MMLU_FILE", raising=False)
    monkeypatch.delenv("PICOCHAT_ARC_FILE", raising=False)
    assert _run(model_dir, tmp_path / "o", tasks) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "_file" in err[0] and not (tmp_path / "o").exists()


def test_a_local_task_with_its_file_runs(tmp_path, capsys, model_dir, arc_file, monkeypatch):
    monkeypatch.delenv("PICOCHAT_ARC_FILE", raising=False)
    assert _run(model_dir, tmp_path / "o", "arc_easy,picochat_arc_local", "--arc-file", str(arc_file)) == 0
    record = json.loads((tmp_path / "o" / "lm_eval_command.json").read_text())
    assert "arc_file" in json.dumps(record)


def test_a_local_task_whose_file_comes_from_the_environment_runs(tmp_path, model_dir, arc_file, monkeypatch):
    monkeypatch.setenv("PICOCHAT_ARC_FILE", str(arc_file))
    assert _run(model_dir, tmp_path / "o", "picochat_arc_local") == 0
