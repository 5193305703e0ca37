"""`--force` on a training run folder replaces only a previous run's own files: a README.md there is the user's (the
trainers write no model card into a run folder), so a previous run with a user's README.md beside it is refused
naming it, with and without --force, for every training command, from the CLI and from a config's output_dir."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from picochat_hf.cli import main
from picochat_hf.utils.errors import PicochatInputError

PREVIOUS_RUN = ["train_report.json", "metrics.jsonl", "checkpoint/config.json", "checkpoint-2/config.json"]
COMMANDS = {
    "sft": ["train", "sft", "--input", "{w}/rows.jsonl", "--device", "cpu"],
    "base": ["train", "base", "--documents", "default", "--device", "cpu"],
    "dpo": ["train", "dpo", "--input", "{w}/prefs.jsonl", "--checkpoint", "{w}/model", "--device", "cpu"],
}


def _run_folder(root: Path, readme: str | None) -> Path:
    out = root / "run"
    for name in PREVIOUS_RUN:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("{}\n")
    if readme is not None:
        (out / "README.md").write_text(readme)
    return out


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("stage", sorted(COMMANDS))
@pytest.mark.parametrize("force", [True, False])
def test_a_users_readme_beside_a_previous_run_is_refused_naming_it(stage, force, tmp_path, capsys):
    out = _run_folder(tmp_path, "# my notes on this run\n")
    before = _snapshot(tmp_path)
    argv = [a.replace("{w}", str(tmp_path)) for a in COMMANDS[stage]] + ["--out-dir", str(out)] + (["--force"] if force else [])
    rc = main(argv)
    lines = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(lines) == 1, lines
    assert "field 'out_dir'" in lines[0] and "README.md" in lines[0] and "did not write" in lines[0]
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("stage", sorted(COMMANDS))
def test_a_config_output_dir_holding_a_users_readme_is_refused_too(stage, tmp_path):
    from picochat_hf.training.common import prepare_output_dir

    out = _run_folder(tmp_path, "# mine\n")
    before = _snapshot(tmp_path)
    with pytest.raises(PicochatInputError) as err:
        prepare_output_dir(out, force=True, resume=None, command=f"train {stage}")
    assert err.value.field == "output_dir" and "README.md" in str(err.value)
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("stage", sorted(COMMANDS))
def test_a_previous_run_alone_is_replaced_with_force(stage, tmp_path):
    from picochat_hf.utils.output_folders import check_output_folder

    out = _run_folder(tmp_path, None)
    check_output_folder(argparse.Namespace(command="train", train_command=stage, out_dir=str(out), force=True))


def test_the_trainers_write_no_model_card_into_the_run_folder(tmp_path):
    """TRL's trainers write README.md into output_dir with each checkpoint; picochat's are told not to."""
    from trl import DPOTrainer, SFTTrainer

    from picochat_hf.training.dpo import RunFolderDPOTrainer
    from picochat_hf.training.stream import ShardPretrainTrainer
    from picochat_hf.training.trainer import PackedSFTTrainer

    for cls, trl_cls in ((PackedSFTTrainer, SFTTrainer), (ShardPretrainTrainer, SFTTrainer), (RunFolderDPOTrainer, DPOTrainer)):
        assert cls.create_model_card is not trl_cls.create_model_card
        assert cls.create_model_card(object(), model_name="run") is None
    assert not list(tmp_path.iterdir())


def test_an_sft_run_with_checkpoints_writes_no_readme_and_keeps_the_users_on_force(tmp_path, monkeypatch):
    """A real run saving step checkpoints (where TRL would write its card): no README.md appears; one the user adds
    afterwards is refused by name by the next --force run, and the old run stays as it was."""
    from train_fixtures import chat_rows, picochat_model, save_model_dir, stub_preflight, write_rows

    from picochat_hf.training.config import PicochatSFTConfig, parse_config
    from picochat_hf.training.sft import run_sft

    stub_preflight(monkeypatch, "ready")
    write_rows(tmp_path / "train.jsonl", chat_rows(0))
    save_model_dir(picochat_model(), tmp_path / "base")
    out = tmp_path / "sft"
    argv = ["--input", str(tmp_path / "train.jsonl"), "--checkpoint", str(tmp_path / "base"), "--output_dir", str(out),
            "--max_length", "128", "--per_device_train_batch_size", "2", "--warmup_steps", "1", "--device_kind", "cpu",
            "--max_steps", "2", "--save_strategy", "steps", "--save_steps", "1"]
    run_sft(parse_config(PicochatSFTConfig, argv))
    assert (out / "checkpoint-1").is_dir() and not (out / "README.md").exists()
    (out / "README.md").write_text("# my notes\n")
    before = _snapshot(out)
    with pytest.raises(PicochatInputError, match="README.md"):
        run_sft(parse_config(PicochatSFTConfig, [*argv, "--force", "true"]))
    assert _snapshot(out) == before


@pytest.mark.parametrize("stage", sorted(COMMANDS))
def test_tensorboard_runs_are_the_runs_own_and_a_users_runs_folder_is_not(stage, tmp_path):
    """`runs/` is report_to tensorboard's log folder inside a run (event files only): a previous run's is replaced
    with --force; a `runs/` holding the user's own files is refused naming it, the folder unchanged."""
    from picochat_hf.utils.output_folders import check_output_folder

    out = _run_folder(tmp_path, None)
    logs = out / "runs" / "Dec03_13-00-00_host"
    logs.mkdir(parents=True)
    (logs / "events.out.tfevents.1764766800.host.1.0").write_bytes(b"\x00")
    args = argparse.Namespace(command="train", train_command=stage, out_dir=str(out), force=True)
    check_output_folder(args)
    (out / "runs" / "experiments.md").write_text("my plans\n")
    before = _snapshot(tmp_path)
    with pytest.raises(PicochatInputError) as err:
        check_output_folder(args)
    assert err.value.field == "out_dir" and "runs" in str(err.value) and "did not write" in str(err.value)
    assert _snapshot(tmp_path) == before
