"""The rest of the bad-input contract, beyond the table in test_bad_inputs.py.

`--force` replaces only at the end (the demo and training), remote code runs only when it is picochat's own
or asked for, an unreachable optional Hub source is skipped loudly while a broken local file fails, a failed
Hub push is one line, written files respect the umask, and an unexpected error is called a bug.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.demo import DemoConfig, Stage, run_demo
from picochat_hf.eval.lm_harness import decide_trust_remote_code
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import atomic_output_dir, atomic_write_text, replace_on_success


def _old_run(path: Path) -> dict[str, str]:
    # a demo's earlier run (its config is the first file a demo writes)
    files = {"demo_config.json": "{}\n", "report.md": "# the finished run\n", "eval/eval_report.json": "{}\n"}
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    return files


def _contents(path: Path) -> dict[str, str]:
    return {str(p.relative_to(path)): p.read_text() for p in sorted(path.rglob("*")) if p.is_file()}


def test_demo_force_keeps_the_old_run_until_the_new_one_is_complete(tmp_path):
    run = tmp_path / "run"
    old = _old_run(run)

    def boom(cfg, where, state):
        assert not (where / "report.md").exists()  # the new run starts in an empty folder
        raise RuntimeError("a stage failed")

    with pytest.raises(RuntimeError):
        run_demo(DemoConfig(out_dir=str(run)), force=True, stages=[Stage("boom", "fails", boom)])
    assert _contents(run) == old, "a failed --force run puts the old run back"

    def write(cfg, where, state):
        (where / "new.txt").write_text("new\n")

    run_demo(DemoConfig(out_dir=str(run)), force=True, stages=[Stage("write", "writes", write)])
    assert (run / "new.txt").exists() and not (run / "report.md").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["run"], "nothing set aside is left behind"


def test_demo_refuses_a_bad_config_before_touching_the_run(tmp_path):
    run = tmp_path / "run"
    old = _old_run(run)
    with pytest.raises(PicochatInputError, match="num_key_value_heads"):
        run_demo(DemoConfig(out_dir=str(run), num_key_value_heads=3), force=True, stages=[])
    assert _contents(run) == old


def test_replace_on_success_without_force_failure_keeps_partial_for_resume(tmp_path):
    out = tmp_path / "train"
    with pytest.raises(KeyboardInterrupt), replace_on_success(out, force=False):
        out.mkdir()
        (out / "checkpoint-2").mkdir()
        raise KeyboardInterrupt
    assert (out / "checkpoint-2").is_dir(), "an interrupted training run keeps its checkpoints to resume from"


def test_trust_remote_code_only_for_picochat_code_or_when_asked(tmp_path):
    from picochat_hf import modeling

    installed = Path(modeling.__file__).parent
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "config.json").write_text("{}")
    shutil.copy(installed / "modeling_picochat.py", ours)
    shutil.copy(installed / "configuration_picochat.py", ours)
    assert decide_trust_remote_code(ours, None)[0] is True

    foreign = tmp_path / "foreign"
    shutil.copytree(ours, foreign)
    with open(foreign / "modeling_picochat.py", "a") as fh:
        fh.write("\nimport os  # one changed line is enough to be someone else's code\n")
    trust, why = decide_trust_remote_code(foreign, None)
    assert trust is False and "modeling_picochat.py" in why
    assert decide_trust_remote_code(foreign, True) == (True, "asked for")
    assert decide_trust_remote_code(ours, False)[0] is False
    (foreign / "modeling_picochat.py").unlink()
    (foreign / "evil.py").write_text("import os\n")
    assert decide_trust_remote_code(foreign, None)[0] is False


def test_lm_harness_dry_run_records_why_remote_code_is_off(tmp_path, tiny_tokenizer):
    from picochat_hf.eval.lm_harness import run_lm_harness

    model = tmp_path / "m"
    model.mkdir()
    (model / "config.json").write_text(json.dumps({"model_type": "llama"}))
    (model / "sneaky.py").write_text("print('this must not run')\n")
    rec = run_lm_harness(model, "picochat_arc_demo", tmp_path / "lm", dry_run=True)
    assert rec["model_args"]["trust_remote_code"] == "False"
    assert "sneaky.py is not picochat's own modeling code" in rec["trust_remote_code_reason"]


def test_unreachable_optional_hub_source_is_skipped_loudly(tmp_path, capsys, monkeypatch):
    from picochat_hf.data import sft_mixture

    def offline(*args, **kwargs):
        raise ConnectionError("the Hub cannot be reached")
        yield  # pragma: no cover

    monkeypatch.setattr(sft_mixture, "_iter_hub", offline)
    paths = sft_mixture.build_sft_mixture(tmp_path / "m", source="auto", simple_spelling_size=4, spelling_bee_size=4,
                                          identity_size=4, progress=False)
    report = json.loads(paths["report_json"].read_text())
    assert report["status"]["mmlu:train"]["status"] == "skipped"
    assert "warning: skipped optional source mmlu:train" in capsys.readouterr().err


def test_hub_failure_mid_stream_fails_the_build(tmp_path, monkeypatch):
    from picochat_hf.data import sft_mixture

    def flaky(name, split, seed=None):
        if name == "mmlu":  # one row arrives, then the connection drops: no half source may be kept
            yield "hub", 1, {"question": "q?", "choices": ["a", "b", "c", "d"], "answer": 0, "subject": "x"}
        raise ConnectionError("connection reset")

    monkeypatch.setattr(sft_mixture, "_iter_hub", flaky)
    with pytest.raises(PicochatInputError, match="could not load"):
        sft_mixture.build_sft_mixture(tmp_path / "m", source="auto", simple_spelling_size=4, spelling_bee_size=4,
                                      identity_size=4, progress=False)
    assert not (tmp_path / "m").exists()


def test_failed_hub_push_is_one_line(tmp_path, monkeypatch):
    from picochat_hf.export import hub

    monkeypatch.setenv("HF_TOKEN", "hf_not_a_real_token")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # an export folder's own checks are test_export_hf's business: here only the upload fails
    monkeypatch.setattr(hub, "upload_plan", lambda folder, repo_id, **kw: {"files": [], "repo_id": repo_id, "commit_message": "m"})
    monkeypatch.setattr(hub, "publishable", lambda folder: (True, ""))
    try:
        hub.push_to_hub(tmp_path, "someone/picochat", allow_blocked=True)
    except PicochatInputError as exc:
        assert "Hub push failed" in str(exc) and "\n" not in str(exc)
    else:
        pytest.fail("an offline push must fail")


def test_written_files_respect_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        f = atomic_write_text(tmp_path / "a.txt", "x")
        with atomic_output_dir(tmp_path / "d") as tmp:
            (tmp / "f").write_text("y")
    finally:
        os.umask(old)
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == 0o750


def test_unexpected_error_is_called_a_bug_with_traceback_only_under_debug(monkeypatch, capsys):
    from picochat_hf.cli import report as report_cli

    def broken(args):
        raise ZeroDivisionError("internal")

    monkeypatch.setattr(report_cli, "_report", broken)
    rc = cli_main(["report", "--run-dir", "x"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1 and len(err) == 1 and "internal error (a bug" in err[0] and "--debug" in err[0]
    rc = cli_main(["--debug", "report", "--run-dir", "x"])
    assert rc == 1 and "Traceback" in capsys.readouterr().err
