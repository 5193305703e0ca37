"""The recipes' refusal: one line on stderr, exit code 2, the last line printed; under `accelerate launch` the launcher
exits 1 whatever the recipe's code (accelerate passes no child's code through), which each recipe's --help says, and
with accelerate's --quiet the recipe's line stays the last one."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RECIPES = ["sft", "pretrain", "dpo"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


@pytest.mark.parametrize("name", RECIPES)
def test_recipe_help_ends_with_the_exit_codes_under_accelerate(name, monkeypatch, capsys):
    from picochat_hf.training.recipe import EXIT_CODES

    monkeypatch.setattr(sys, "argv", [f"recipes/{name}.py", "--help"])
    with pytest.raises(SystemExit) as exc:
        runpy.run_path(str(ROOT / "recipes" / f"{name}.py"), run_name="__main__")
    help_text = " ".join(capsys.readouterr().out.split())
    assert exc.value.code == 0 and help_text.endswith(" ".join(EXIT_CODES.split()))
    assert "accelerate launch --quiet" in help_text and "exits 1 for any failed child" in help_text


@pytest.mark.parametrize("name", RECIPES)
def test_recipe_refusal_is_one_line_and_exit_2(name, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [f"recipes/{name}.py", "--output_dir", str(tmp_path / "o"), "--no_such_field", "1"])
    with pytest.raises(SystemExit) as exc:
        runpy.run_path(str(ROOT / "recipes" / f"{name}.py"), run_name="__main__")
    err = capsys.readouterr().err.strip().splitlines()
    assert exc.value.code == 2 and len(err) == 1 and err[0].startswith(f"{ROOT / 'recipes' / name}.py: error: ")
    assert "no_such_field" in err[0] and not (tmp_path / "o").exists()


def test_the_error_line_comes_after_buffered_stdout(tmp_path):
    """stdout to a pipe is block-buffered: what a run printed before the refusal reached a combined log after the
    error line (at exit) unless it is flushed first."""
    code = ("from picochat_hf.training.config import PicochatSFTConfig\n"
            "from picochat_hf.training.recipe import run_recipe\n"
            "from picochat_hf.utils.errors import PicochatInputError\n"
            "def run(config):\n"
            "    print('step 1 of 3')\n"
            "    raise PicochatInputError('refused', field='input')\n"
            f"run_recipe(PicochatSFTConfig, run, ['--output_dir', {str(tmp_path / 'o')!r}])\n")
    done = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env=_env(), cwd=tmp_path, timeout=300)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 2 and lines[-1] == "-c: error: field 'input': refused" and "step 1 of 3" in lines[:-1]


def test_accelerate_quiet_launch_keeps_the_recipes_line_last(tmp_path):
    """accelerate 1.16 exits 1 for the recipe's 2 (the documented limit); with --quiet it adds nothing after the
    recipe's line. Direct, the same input exits 2."""
    args = [str(ROOT / "recipes" / "sft.py"), "--input", str(tmp_path / "missing.jsonl"), "--output_dir", str(tmp_path / "o")]
    launch = [sys.executable, "-m", "accelerate.commands.launch", "--quiet", "--config_file",
              str(ROOT / "accelerate_configs" / "cpu.yaml")]
    done = subprocess.run([*launch, *args], capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=600)
    last = done.stderr.strip().splitlines()[-1]
    assert done.returncode == 1 and last.startswith(f"{args[0]}: error: ") and "tokenizer" in last
    direct = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=600)
    assert direct.returncode == 2 and direct.stderr.strip().splitlines() == [last]
    assert not (tmp_path / "o").exists()
