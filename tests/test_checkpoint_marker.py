"""The completion marker of a checkpoint is read strictly: a marker naming a file twice (two sizes, Python keeps the
last), listing no weights or no trainer state, or of the wrong shape is no proof the save finished, so the folder
is reported incomplete (resume then takes an older one) instead of trusted, or crashing on `.items()`."""

from __future__ import annotations

import json

import pytest

from picochat_hf.training.callbacks import COMPLETE_MARKER, checkpoint_problem


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "trainer_state.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"x" * 100)
    return tmp_path


def _marker(folder, text: str) -> None:
    (folder / COMPLETE_MARKER).write_text(text, encoding="utf-8")


def test_an_honest_marker_passes_and_a_truncated_file_fails(folder):
    _marker(folder, json.dumps({"step": 2, "files": {"model.safetensors": 100, "trainer_state.json": 2}}))
    assert checkpoint_problem(folder) is None
    (folder / "model.safetensors").write_bytes(b"x" * 50)
    assert "truncated" in checkpoint_problem(folder)


def test_a_marker_that_names_a_file_twice_is_not_trusted(folder):
    (folder / "model.safetensors").write_bytes(b"x" * 50)  # truncated; the marker's last size says 50
    _marker(folder, '{"step": 2, "files": {"model.safetensors": 100, "trainer_state.json": 2,\n'
                    ' "model.safetensors": 50}}')
    assert "unreadable" in checkpoint_problem(folder) and "twice" in checkpoint_problem(folder)


@pytest.mark.parametrize("files", [{}, {"trainer_state.json": 2}, {"model.safetensors": 100}])
def test_a_marker_that_lists_no_weights_or_no_trainer_state_is_not_trusted(folder, files):
    _marker(folder, json.dumps({"step": 2, "files": files}))
    assert checkpoint_problem(folder) == "unreadable picochat_checkpoint_complete.json (it lists no weights or no trainer_state.json)"


@pytest.mark.parametrize("text", ['{"step": 2, "files": ["model.safetensors"]}', "[1]", '{"files": {"model.safetensors": "100"}}',
                                  '{"files": {"model.safetensors": true, "trainer_state.json": 2}}', "\xff"])
def test_a_marker_of_the_wrong_shape_is_reported_not_raised(folder, text):
    _marker(folder, text)
    assert "unreadable" in checkpoint_problem(folder)
