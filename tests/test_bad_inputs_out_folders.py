"""Every `--out-dir` holds one command's output. `honesty scan` and `data task-pack` wrote into a folder that held
other files (two commands' artifacts mixed), and the commands that write their folder whole deleted everything in a
folder with `--force`, files they never wrote included. Now a folder holding files the command did not write is
refused before anything is written (one line naming the folder, field out_dir, exit 2, the folder unchanged);
with `--force` a command replaces only its own files; an empty folder and the command's own previous output are
written as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_bad_inputs import _chat_rows, _jsonl, _write, run_case, snapshot
from train_fixtures import tokenizer

from picochat_hf.tokenizer import save_tokenizer


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    w = tmp_path_factory.mktemp("out_folders")
    _write(w / "rows.jsonl", _jsonl(_chat_rows(12, "train")))
    _write(w / "eval.jsonl", _jsonl(_chat_rows(6, "eval")))
    _write(w / "replies.jsonl", _jsonl([{"id": f"eval-{i}", "reply": str(2 * i + 1)} for i in range(6)]))
    _write(w / "traces.jsonl", _jsonl([{"question": f"q{i}?", "trace": "think", "answer": str(i)} for i in range(3)]))
    _write(w / "corpus.txt", "A corpus paragraph that is long enough to be kept as a document.\n\n" * 20)
    save_tokenizer(tokenizer(), w / "tok")
    return w


# (command, argv without --out-dir/--force, a file the command writes, whether it writes the folder whole)
COMMANDS = {
    "honesty-scan": (["honesty", "scan", "--eval", "{w}/eval.jsonl", "--sft", "{w}/rows.jsonl"], "honesty_report.json", False),
    "task-pack": (["data", "task-pack", "--profile", "release", "--sft-rows", "40", "--eval-rows", "20"],
                  "task_mixture_release.json", False),
    "shards": (["data", "shards", "--input", "{w}/rows.jsonl", "--tokenizer", "{w}/tok"], "shards.json", True),
    "import": (["data", "import", "--input", "{w}/corpus.txt"], "dataset_pack.json", True),
    "reasoning-import": (["data", "reasoning-import", "--input", "{w}/traces.jsonl"], "reasoning_import.json", True),
    "tokenizer-train": (["tokenizer", "train", "--input", "{w}/corpus.txt", "--vocab-size", "300"], "tokenizer.json", True),
    "eval-score": (["eval", "score", "--input", "{w}/eval.jsonl", "--replies", "{w}/replies.jsonl"], "eval_report.json", True),
}


def _run(w: Path, name: str, out: Path, capsys, *extra: str) -> tuple[int, list[str]]:
    argv = [a.replace("{w}", str(w)) for a in COMMANDS[name][0]]
    return run_case([*argv, "--out-dir", str(out), *extra], w, capsys)


def _folder_with_notes(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    _write(out / "notes.txt", "the user's own notes\n")
    _write(out / "sub" / "model.bin", b"\x00\x01")
    return out


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_folder_holding_other_files_is_refused_without_force(name, w, tmp_path, capsys):
    out = _folder_with_notes(tmp_path)
    before = snapshot(tmp_path)
    rc, lines = _run(w, name, out, capsys)
    assert rc == 2 and len(lines) == 1, lines
    assert f"{out}, field 'out_dir'" in lines[0] and "notes.txt" in lines[0] and "did not write" in lines[0]
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", sorted(n for n, (_, _, whole) in COMMANDS.items() if whole))
def test_force_never_deletes_files_a_whole_folder_command_did_not_write(name, w, tmp_path, capsys):
    out = _folder_with_notes(tmp_path)
    before = snapshot(tmp_path)
    rc, lines = _run(w, name, out, capsys, "--force")
    assert rc == 2 and len(lines) == 1, lines
    assert "notes.txt" in lines[0] and "--force replaces only a previous output" in lines[0]
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", sorted(n for n, (_, _, whole) in COMMANDS.items() if not whole))
def test_force_writes_beside_other_files_and_replaces_only_its_own(name, w, tmp_path, capsys):
    out = _folder_with_notes(tmp_path)
    rc, lines = _run(w, name, out, capsys, "--force")
    assert rc == 0, lines
    assert (out / "notes.txt").read_text() == "the user's own notes\n" and (out / "sub" / "model.bin").read_bytes() == b"\x00\x01"
    assert (out / COMMANDS[name][1]).is_file()
    rc, lines = _run(w, name, out, capsys, "--force")  # its own previous output beside them: replaced again
    assert rc == 0, lines
    assert (out / "notes.txt").is_file()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_empty_folder_and_the_commands_own_previous_output_are_written(name, w, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    rc, lines = _run(w, name, out, capsys)
    assert rc == 0 and (out / COMMANDS[name][1]).is_file(), lines
    rc, lines = _run(w, name, out, capsys)  # its own output: replaced only when asked
    assert rc == 2 and len(lines) == 1 and "--force" in lines[0], lines
    rc, lines = _run(w, name, out, capsys, "--force")
    assert rc == 0, lines


def test_task_packs_of_two_profiles_share_a_folder_without_force(w, tmp_path, capsys):
    out = tmp_path / "out"
    assert _run(w, "task-pack", out, capsys)[0] == 0
    argv = [*COMMANDS["task-pack"][0][:3], "capability", *COMMANDS["task-pack"][0][4:]]
    rc, lines = run_case([*argv, "--out-dir", str(out)], w, capsys)
    assert rc == 0, lines
    assert {p.name for p in out.iterdir()} >= {"task_mixture_release.json", "task_mixture_capability.json"}


def test_a_report_md_that_is_not_a_scans_own_is_refused_even_with_force(w, tmp_path, capsys):
    """A run folder's report.md is named like the scan's own report.md; with no honesty_report.json beside it, it
    is not the scan's, and --force does not replace it."""
    out = tmp_path / "run"
    _write(out / "report.md", "# a finished run's report\n")
    before = snapshot(tmp_path)
    for extra in ([], ["--force"]):
        rc, lines = _run(w, "honesty-scan", out, capsys, *extra)
        assert rc == 2 and len(lines) == 1 and "report.md is not from a previous `picochat honesty scan`" in lines[0], lines
        assert snapshot(tmp_path) == before


def test_a_scan_into_a_folder_holding_only_its_own_report_pair_needs_force(w, tmp_path, capsys):
    out = tmp_path / "honesty"
    assert _run(w, "honesty-scan", out, capsys)[0] == 0
    report = json.loads((out / "honesty_report.json").read_text())
    assert report["status"]
    rc, lines = _run(w, "honesty-scan", out, capsys)
    assert rc == 2 and "already exists; pass --force" in lines[0], lines


def _out_commands() -> list[tuple[str, str]]:
    """(command, dest) of every subcommand with an --out-dir or --out."""
    import argparse

    from picochat_hf.cli import build_parser

    def walk(parser, prefix):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(sub, [*prefix, name])
        dests = {a.dest for a in parser._actions}
        for dest in ("out_dir", "out"):
            if dest in dests:
                yield " ".join(prefix), dest

    return list(walk(build_parser(), []))


def test_every_out_dir_of_every_subcommand_is_described_in_output_folders_yaml():
    from picochat_hf.utils.output_folders import output_folder_spec

    spec = output_folder_spec()
    found = _out_commands()
    out_dirs = {name for name, dest in found if dest == "out_dir"}
    assert out_dirs == set(spec["beside"]) | set(spec["whole"])
    assert len(out_dirs) >= 17 and {"honesty scan", "data task-pack", "train sft", "demo"} <= out_dirs
    # an --out names one file (bundle, leaderboard, write-demo-arc): never a folder that holds others' files
    assert {name for name, dest in found if dest == "out"} == {"bundle", "eval write-demo-arc", "leaderboard"}


@pytest.mark.parametrize("argv", [
    ["train", "sft", "--input", "{w}/rows.jsonl", "--device", "cpu"],
    ["train", "base", "--documents", "{w}/corpus.txt", "--device", "cpu"],
    ["demo"],
])
def test_force_never_deletes_a_folder_a_training_run_or_the_demo_did_not_write(argv, w, tmp_path, capsys):
    out = _folder_with_notes(tmp_path)
    before = snapshot(tmp_path)
    rc, lines = run_case([*[a.replace("{w}", str(w)) for a in argv], "--out-dir", str(out), "--force"], w, capsys)
    assert rc == 2 and len(lines) == 1 and "notes.txt" in lines[0] and "field 'out_dir'" in lines[0], lines
    assert snapshot(tmp_path) == before


def test_a_killed_training_runs_folder_is_its_own_output(w, tmp_path, capsys):
    """A run killed before its report left metrics and a step checkpoint: --force may replace it (the check lets it
    through; training itself then runs, which this test does not wait for)."""
    from picochat_hf.utils.output_folders import check_output_folder, output_folder_spec
    import argparse

    out = tmp_path / "sft"
    _write(out / "metrics.jsonl", "{}\n")
    _write(out / "checkpoint-2" / "config.json", "{}")
    args = argparse.Namespace(command="train", train_command="sft", out_dir=str(out), force=True)
    check_output_folder(args)
    assert "train sft" in output_folder_spec()["whole"]


@pytest.mark.parametrize("stage", ["sft", "base", "dpo"])
def test_a_training_output_dir_from_a_config_or_recipe_is_checked_too(stage, tmp_path):
    """`output_dir` in a YAML config or a recipe's flags never passes the CLI's --out-dir check: the trainers'
    `prepare_output_dir` refuses the same folders (field output_dir), and accepts an earlier run's."""
    from picochat_hf.training.common import prepare_output_dir
    from picochat_hf.utils.errors import PicochatInputError

    out = _folder_with_notes(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(PicochatInputError) as err:
        prepare_output_dir(out, force=True, resume=None, command=f"train {stage}")
    assert err.value.field == "output_dir" and "notes.txt" in str(err.value)
    assert snapshot(tmp_path) == before
    run = tmp_path / "run"
    _write(run / "checkpoint-3" / "config.json", "{}")
    assert prepare_output_dir(run, force=True, resume=None, command=f"train {stage}") == run


def test_the_demo_library_call_refuses_a_folder_that_is_no_demo_run(tmp_path):
    """`run_demo` (the default runs/demo, a --config out_dir) is checked as --out-dir is: --force replaces a run."""
    from picochat_hf.demo import DemoConfig, run_demo
    from picochat_hf.utils.errors import PicochatInputError

    out = _folder_with_notes(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(PicochatInputError) as err:
        run_demo(DemoConfig(out_dir=str(out)), force=True, stages=[])
    assert err.value.field == "out_dir" and "notes.txt" in str(err.value) and snapshot(tmp_path) == before
    run = tmp_path / "demo_run"
    _write(run / "demo_config.json", "{}")  # a demo's own earlier run: replaced
    run_demo(DemoConfig(out_dir=str(run)), force=True, stages=[])
    assert json.loads((run / "demo_config.json").read_text())["out_dir"] == str(run)


@pytest.mark.parametrize("name", sorted(n for n, (_, _, whole) in COMMANDS.items() if whole))
def test_force_on_its_own_previous_output_plus_a_users_files_keeps_them(name, w, tmp_path, capsys):
    """A folder holding the command's previous output and files the user added: `--force` replaced the folder whole
    and deleted the user's files. Now it is refused, naming them, with the folder unchanged; the output alone is still
    replaced, and every entry the command writes is one `output_folders.yaml` lists as its own."""
    out = tmp_path / "out"
    assert _run(w, name, out, capsys)[0] == 0
    from picochat_hf.utils.output_folders import _matches, output_folder_spec

    own = output_folder_spec()["whole"][COMMANDS[name][0][0] + " " + COMMANDS[name][0][1]]["files"]
    assert all(_matches(p.name, own) for p in out.iterdir()), sorted(p.name for p in out.iterdir())
    _write(out / "notes.txt", "the user's own notes\n")
    _write(out / "mine" / "keep.bin", b"\x00")
    before = snapshot(tmp_path)
    rc, lines = _run(w, name, out, capsys, "--force")
    assert rc == 2 and len(lines) == 1, lines
    assert f"{out}, field 'out_dir'" in lines[0] and "mine, notes.txt" in lines[0] and "beside its previous output" in lines[0]
    assert snapshot(tmp_path) == before
    (out / "notes.txt").unlink()
    (out / "mine" / "keep.bin").unlink()
    (out / "mine").rmdir()
    rc, lines = _run(w, name, out, capsys, "--force")  # the same output alone: replaced as before
    assert rc == 0, lines


@pytest.mark.parametrize("command, own", [
    ("train sft", ["train_report.json", "metrics.jsonl", "checkpoint", "checkpoint-4", "inputs", "gates"]),
    ("train base", ["train_report.json", "metrics.jsonl", "checkpoint", "best_checkpoint", "gates", "runs"]),
    ("train dpo", ["metrics.jsonl", "checkpoint-2"]),
    ("demo", ["demo_config.json", "demo_state.json", "run_manifest.json", "tokenizer", "base", "sft", "report.md"]),
    ("export hf", ["release_manifest.json", "config.json", "model.safetensors", "tokenizer.json", "README.md",
                   "modeling_picochat.py", ".eval_results"]),
    ("eval lm-harness", ["lm_eval_command.json", "lm_eval_results.json", "tasks"]),
])
def test_a_previous_run_with_a_users_file_beside_it_is_refused_even_with_force(command, own, tmp_path):
    """The training runs, the demo and the exports write their folder whole too: their own previous output is
    replaced with --force, and the same output with a user's file beside it is refused naming that file."""
    import argparse

    from picochat_hf.utils.errors import PicochatInputError
    from picochat_hf.utils.output_folders import check_output_folder

    out = tmp_path / "out"
    for name in own:
        _write(out / name, "{}")
    parts = command.split()
    args = argparse.Namespace(command=parts[0], out_dir=str(out), force=True)
    if len(parts) > 1:
        setattr(args, f"{parts[0]}_command", parts[1])
    check_output_folder(args)  # its own output only: passes
    _write(out / "my_notes.md", "mine\n")
    with pytest.raises(PicochatInputError) as err:
        check_output_folder(args)
    assert err.value.field == "out_dir" and "my_notes.md" in str(err.value) and "did not write" in str(err.value)


@pytest.mark.parametrize("name", sorted(n for n, (_, _, whole) in COMMANDS.items() if not whole))
def test_force_beside_other_files_says_in_one_line_what_it_kept(name, w, tmp_path, capsys):
    out = _folder_with_notes(tmp_path)
    rc, lines = _run(w, name, out, capsys, "--force")
    assert rc == 0, lines
    kept = [line for line in lines if "kept 2 entries" in line]
    assert len(kept) == 1 and "notes.txt, sub" in kept[0] and str(out) in kept[0], lines


def _whole_commands() -> list[str]:
    from picochat_hf.utils.output_folders import output_folder_spec

    return sorted(output_folder_spec()["whole"])


def _an_output_of(rule: dict) -> list[str]:
    """One entry per pattern of a command's own files (a glob made concrete)."""
    return sorted({p.replace("*", "x").replace("[0-9]", "0") for p in rule["files"]})


@pytest.mark.parametrize("command", _whole_commands())
def test_every_whole_folder_command_replaces_its_own_output_and_refuses_a_users_file_beside_it(command, tmp_path):
    """The rule for every --out-dir written whole: its own previous output (every file it writes) is replaced with
    --force; a user's file or folder beside it is refused by name, with and without --force, the folder unchanged."""
    import argparse

    from picochat_hf.utils.errors import PicochatInputError
    from picochat_hf.utils.output_folders import check_output_folder, output_folder_spec

    rule = output_folder_spec()["whole"][command]
    assert set(rule) - {"contents"} == {"marker", "files"} and set(rule["marker"]) <= set(rule["files"])
    assert set(rule.get("contents") or {}) <= set(rule["files"])
    out = tmp_path / "out"
    for name in _an_output_of(rule):
        _write(out / name, "{}")
    parts = command.split()
    args = argparse.Namespace(command=parts[0], out_dir=str(out), force=True)
    if len(parts) > 1:
        setattr(args, f"{parts[0]}_command", parts[1])
    check_output_folder(args)
    for user_entry in ("notes.txt", "my_run/keep.json", ".env"):
        _write(out / user_entry, "mine\n")
        before = snapshot(tmp_path)
        for force in (True, False):
            args.force = force
            with pytest.raises(PicochatInputError) as err:
                check_output_folder(args)
            assert err.value.field == "out_dir" and user_entry.split("/")[0] in str(err.value), err.value
            assert snapshot(tmp_path) == before
        target = out / user_entry.split("/")[0]
        if target.is_dir():
            (target / "keep.json").unlink()
            target.rmdir()
        else:
            target.unlink()


@pytest.mark.parametrize("name, target", [("eval-score", "picochat_hf.eval.report.render_markdown"),
                                          ("honesty-scan", "picochat_hf.honesty.scan.render_honesty_md"),
                                          ("import", "picochat_hf.data.dataset_pack.render_import_report"),
                                          ("task-pack", "picochat_hf.utils.io.atomic_write_json")])
def test_a_run_that_fails_while_writing_leaves_the_previous_output_as_it_was(name, target, w, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert _run(w, name, out, capsys)[0] == 0
    if not COMMANDS[name][2]:  # a folder it writes beside a user's file: that file stays too
        _write(out / "notes.txt", "mine\n")
    before = snapshot(tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("disk went away")

    import importlib

    module, attr = target.rsplit(".", 1)  # the module itself: `picochat_hf.honesty.scan` is also a function's name
    monkeypatch.setattr(importlib.import_module(module), attr, broken)
    if name == "task-pack":  # its writer imported the function by name
        import picochat_hf.data.task_pack as task_pack

        monkeypatch.setattr(task_pack, "atomic_write_json", broken, raising=False)
    rc, lines = _run(w, name, out, capsys, "--force")
    assert rc != 0, lines
    assert snapshot(tmp_path) == before
