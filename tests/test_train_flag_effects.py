"""A training flag the run cannot act on is refused before any work, never accepted without effect."""

from __future__ import annotations

import json

import pytest
from train_fixtures import picochat_model, save_model_dir

from picochat_hf.cli import main as cli_main


@pytest.fixture(scope="module")
def dpo_inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("dpo_flags")
    save_model_dir(picochat_model(), d / "policy")
    (d / "prefs.jsonl").write_text("".join(json.dumps({"prompt": f"{a}+{a}?", "chosen": f"{2 * a}.", "rejected": "no."}) + "\n"
                                           for a in range(4)), encoding="utf-8")
    return d


@pytest.mark.parametrize("extra,field", [(["--eval-steps", "1"], "eval_steps"),
                                         # transformers fills eval_steps from logging_steps under a steps schedule
                                         (["--set", "eval_strategy=steps"], "eval_steps"),
                                         (["--set", "eval_strategy=epoch"], "eval_strategy")])
def test_dpo_evaluation_without_eval_rows_is_refused(dpo_inputs, tmp_path, capsys, extra, field):
    """`train dpo --eval-steps 1` without --eval-input trained and evaluated nothing, without a word (SFT refuses it)."""
    out = tmp_path / "dpo"
    rc = cli_main(["train", "dpo", "--input", str(dpo_inputs / "prefs.jsonl"), "--checkpoint", str(dpo_inputs / "policy"),
                   "--out-dir", str(out), "--device", "cpu", "--steps", "1", "--batch-size", "4", "--seq-len", "32", *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and f"'{field}'" in err[0] and "eval" in err[0], err
    assert not out.exists()


def test_dpo_evaluation_with_eval_rows_runs(dpo_inputs, tmp_path, capsys):
    out = tmp_path / "dpo"
    rc = cli_main(["train", "dpo", "--input", str(dpo_inputs / "prefs.jsonl"), "--eval-input", str(dpo_inputs / "prefs.jsonl"),
                   "--checkpoint", str(dpo_inputs / "policy"), "--out-dir", str(out), "--device", "cpu", "--steps", "2",
                   "--batch-size", "4", "--seq-len", "32", "--eval-steps", "1"])
    assert rc == 0
    metrics = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines() if line.strip()]
    assert any("eval_loss" in m for m in metrics)


# -- base training: one model source and one document source, each setting read ----------------------------------

@pytest.mark.parametrize("argv,field", [
    (["--checkpoint", "m", "--preset", "cpu-tiny"], "preset"),
    (["--checkpoint", "m", "--depth", "2"], "depth"),
    (["--checkpoint", "m", "--model_config", '{"max_position_embeddings": 512}'], "model_config"),
    (["--preset", "cpu-tiny", "--depth", "2"], "depth"),
    (["--dataset_pack", "p/dataset_pack.json", "--documents", "d.jsonl"], "documents"),
    (["--shards", "s", "--max_steps", "5", "--max_documents", "3"], "max_documents"),
    (["--shards", "s", "--max_steps", "5", "--val_fraction", "0.2"], "val_fraction"),
])
def test_a_base_setting_another_one_overrides_is_refused(tmp_path, argv, field):
    """`train base --checkpoint m --preset d8` continued m and dropped the preset without a word; so did a depth beside a
    preset, documents beside a dataset pack, and the in-memory document settings beside token shards."""
    from picochat_hf.training.config import PicochatPretrainConfig, parse_config
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatPretrainConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", *argv])
    assert err.value.field == field, err.value


@pytest.mark.parametrize("argv", [
    ["--checkpoint", "m"],
    ["--preset", "cpu-tiny", "--model_config", '{"max_position_embeddings": 512}'],
    ["--depth", "2"],
    ["--dataset_pack", "p/dataset_pack.json", "--max_documents", "3", "--val_fraction", "0.2"],
    ["--shards", "s", "--max_steps", "5", "--dataset_pack", "p/dataset_pack.json"],
])
def test_base_settings_that_are_all_read_are_accepted(tmp_path, argv):
    from picochat_hf.training.config import PicochatPretrainConfig, parse_config

    parse_config(PicochatPretrainConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", *argv])
