"""Kill tests for multi-file outputs, and the output-folder lock.

Commands run in child processes that SIGKILL themselves at injected points (`PICOCHAT_FAULT`): an output
folder appears under its real name complete or not at all, a task pack replaced with `--force` is never
read as a mix of old and new files, and leftovers of a killed run are cleaned by the next one. Two
commands aimed at one output folder: the second gets one line and exit 2 while the first holds it.

The children are forks of the test process (`_Forked`): each is its own process with its own exit status and
its own locks, killed by a real SIGKILL, without a fresh interpreter's second import of torch and transformers
(a fresh interpreter is not what these tests are about).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from picochat_hf.cli import main as cli_main

ENV = {"HF_HUB_OFFLINE": "1", "TQDM_DISABLE": "1"}
TASK_PACK = ["data", "task-pack", "--profile", "release", "--sft-rows", "40", "--eval-rows", "20"]


class _Forked:
    """`target()` run in a forked child of this process: its return value is the exit code (an exception: 70), stdout
    comes back through a pipe (`stdout`), stderr through a file (`stderr()`); the child leaves by os._exit, never
    back into pytest. `returncode` follows subprocess: -9 for a child that SIGKILLed itself."""

    def __init__(self, target, err_path: Path, env: dict[str, str] | None = None) -> None:
        read_end, write_end = os.pipe()
        self.err_path = err_path
        self.returncode: int | None = None
        self.pid = os.fork()
        if self.pid == 0:  # the child
            code = 70
            try:
                os.close(read_end)
                err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
                os.dup2(write_end, 1)
                os.dup2(err, 2)
                sys.stdout = open(1, "w", closefd=False)
                sys.stderr = open(2, "w", closefd=False)
                os.environ.update({**ENV, **(env or {})})
                code = target()
            except BaseException:  # noqa: BLE001 - the child reports any error as exit 70 with its traceback
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code if isinstance(code, int) else 70)
        os.close(write_end)
        self.stdout = os.fdopen(read_end, "r")

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
            self.stdout.close()
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)

    def stderr(self) -> str:
        return self.err_path.read_text()


def picochat(*argv: str, fault: str | None = None, err_dir: Path) -> _Forked:
    """`picochat *argv` run to its end in a child process (with PICOCHAT_FAULT=`fault`); its stderr goes under `err_dir`."""
    err = err_dir / f"stderr-{len(list(err_dir.glob('stderr-*')))}.txt"
    child = _Forked(lambda: cli_main(list(argv)), err, {"PICOCHAT_FAULT": fault} if fault else None)
    child.wait()
    return child


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_killed_import_leaves_no_folder_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "pack"
    proc = picochat("data", "import", "--default", "--max-rows", "20", "--out-dir", str(out), fault="atomic_dir_before_rename",
                    err_dir=tmp_path)
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()
    leftovers = list(tmp_path.glob(".pack.*.partial"))
    assert len(leftovers) == 1  # the killed run's temp folder, never under the real name
    assert cli_main(["data", "import", "--default", "--max-rows", "20", "--out-dir", str(out)]) == 0
    assert (out / "dataset_pack.json").exists()
    assert not list(tmp_path.glob(".pack.*")), "the stale temp folder is removed once the output lock is held"


def test_replace_killed_between_renames_gets_the_old_version_back(tmp_path, capsys):
    out = tmp_path / "pack"
    assert cli_main(["data", "import", "--default", "--max-rows", "20", "--out-dir", str(out)]) == 0
    old = digest(out)
    proc = picochat("data", "import", "--default", "--max-rows", "30", "--force", "--out-dir", str(out), fault="replace_between_renames",
                    err_dir=tmp_path)
    assert proc.returncode == -signal.SIGKILL and not out.exists()
    assert cli_main(["data", "import", "--default", "--max-rows", "30", "--out-dir", str(out)]) == 2  # no --force: refused...
    assert "already exists" in capsys.readouterr().err
    assert digest(out) == old, "...after the old pack was put back from where the killed replace had set it aside"
    assert not list(tmp_path.glob(".pack.*"))


@pytest.mark.parametrize("fault", ["task_pack_after_sft", "task_pack_after_eval", "task_pack_after_report_md"])
def test_task_pack_killed_mid_replace_is_refused_by_readers(tmp_path, fault, capsys):
    out = tmp_path / "tp"
    assert cli_main([*TASK_PACK, "--seed", "0", "--out-dir", str(out)]) == 0
    old = digest(out)
    proc = picochat(*TASK_PACK, "--seed", "1", "--force", "--out-dir", str(out), fault=fault, err_dir=tmp_path)
    assert proc.returncode == -signal.SIGKILL
    assert digest(out) != old  # some files were replaced, not all: exactly the mix a reader must refuse
    eval_rows = out / "eval_task_mixture_release.jsonl"
    rc = cli_main(["honesty", "scan", "--eval", str(eval_rows), "--sft", str(out / "chat_task_mixture_release.jsonl"),
                   "--out-dir", str(tmp_path / "scan")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "not written completely" in err[0], err
    assert not (tmp_path / "scan").exists()
    # without --force the leftover is not silently replaced; with it the pack is whole again and readable
    assert cli_main([*TASK_PACK, "--seed", "1", "--out-dir", str(out)]) == 2
    assert cli_main([*TASK_PACK, "--seed", "1", "--force", "--out-dir", str(out)]) == 0
    assert not list(out.glob(".task*")), "marker and temp folder are gone"
    report = json.loads((out / "task_mixture_release.json").read_text())
    assert report["seed"] == 1
    capsys.readouterr()
    assert cli_main(["honesty", "scan", "--eval", str(eval_rows), "--out-dir", str(tmp_path / "scan")]) == 0


def _hold(out) -> _Forked:
    """A process that holds the output lock of `out` until killed."""
    def hold() -> int:
        import time

        from picochat_hf.utils.io import output_lock

        with output_lock(out):
            print("held", flush=True)
            time.sleep(120)
        return 0

    return _Forked(hold, Path(str(out) + ".holder-stderr.txt"))


def test_a_held_output_folder_refuses_a_second_command(tmp_path, capsys):
    out = tmp_path / "tp"
    holder = _hold(out)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = sorted(p.name for p in tmp_path.iterdir())
        assert cli_main([*TASK_PACK, "--out-dir", str(out)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "in use by another picochat command" in err[0] and str(out) in err[0]
        assert sorted(p.name for p in tmp_path.iterdir()) == before
        # a training run whose output folder comes from its YAML config is locked the same way
        config = tmp_path / "sft.yaml"
        config.write_text(f"output_dir: {out}\ninput: rows.jsonl\nmax_steps: 2\n")
        assert cli_main(["train", "sft", "--config", str(config)]) == 2
        assert "in use by another picochat command" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert cli_main([*TASK_PACK, "--out-dir", str(out)]) == 0
    assert not list(tmp_path.glob(".*picochat-lock")), "the lock file goes when the command ends"


def test_two_commands_on_one_folder_one_wins(tmp_path):
    out = tmp_path / "tp"
    procs = [_Forked(lambda: cli_main([*TASK_PACK, "--out-dir", str(out)]), tmp_path / f"stderr-{i}.txt") for i in range(2)]
    results = [(p.wait(), p.stderr()) for p in procs]
    codes = sorted(rc for rc, _ in results)
    assert codes == [0, 2], results
    loser = next(err for rc, err in results if rc == 2).strip().splitlines()
    assert len(loser) == 1 and ("in use by another picochat command" in loser[0] or "already exists" in loser[0])
    rows = (out / "chat_task_mixture_release.jsonl").read_text().splitlines()
    assert len(rows) == 40 and len(set(rows)) == 40  # one writer's rows, not interleaved


@pytest.mark.parametrize("alias", ["symlink", "dots"])
def test_an_output_named_another_way_is_the_same_locked_output(tmp_path, capsys, alias):
    out = tmp_path / "tp"
    out.mkdir()
    if alias == "symlink":
        other = tmp_path / "link"
        other.symlink_to(out, target_is_directory=True)
    else:
        (tmp_path / "sub").mkdir()
        other = tmp_path / "sub" / ".." / "tp"
    holder = _hold(out)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert cli_main([*TASK_PACK, "--out-dir", str(other)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "in use by another picochat command" in err[0] and str(other) in err[0]
        assert list(out.iterdir()) == []
    finally:
        holder.kill()
        holder.wait()


def test_a_symlinked_output_folder_is_written_through_the_link(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    assert cli_main([*TASK_PACK, "--out-dir", str(tmp_path / "link")]) == 0
    assert cli_main([*TASK_PACK, "--seed", "1", "--out-dir", str(tmp_path / "link"), "--force"]) == 0
    assert (tmp_path / "link").is_symlink() and (real / "chat_task_mixture_release.jsonl").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"], "no set-aside link or lock is left behind"
