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
    held = tmp_path / "held.jsonl"
    held.write_text("".join(json.dumps({"prompt": f"{a}+{a}?", "chosen": f"{2 * a}.", "rejected": "no."}) + "\n"
                            for a in range(5, 8)), encoding="utf-8")
    rc = cli_main(["train", "dpo", "--input", str(dpo_inputs / "prefs.jsonl"), "--eval-input", str(held),
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


# -- a tokenizer that is not the checkpoint's ------------------------------------------------------------------

def _other_tokenizer(path):
    import itertools

    from picochat_hf.data.default_corpus import default_texts
    from picochat_hf.tokenizer import train_tokenizer

    train_tokenizer(itertools.islice(default_texts(), 30), vocab_size=320).save_pretrained(path)
    return path


def test_a_tokenizer_other_than_the_checkpoints_is_refused(dpo_inputs, tmp_path):
    """`train sft --checkpoint C --tokenizer T` with T not C's tokenizer trained C's embeddings on another vocabulary's
    ids (or crashed on an id past the embedding table); the ids now have to be the checkpoint's."""
    from picochat_hf.training.common import load_tokenizer_from
    from picochat_hf.utils.errors import PicochatInputError

    other = _other_tokenizer(tmp_path / "tok")
    with pytest.raises(PicochatInputError) as err:
        load_tokenizer_from(str(other), str(dpo_inputs / "policy"))
    assert err.value.field == "tokenizer" and "checkpoint" in str(err.value)


def test_the_checkpoints_own_tokenizer_or_a_copy_is_accepted(dpo_inputs, tmp_path):
    from train_fixtures import tokenizer

    from picochat_hf.training.common import load_tokenizer_from

    copy = tmp_path / "tok"
    tokenizer().save_pretrained(copy)
    assert len(load_tokenizer_from(str(copy), str(dpo_inputs / "policy"))) == len(tokenizer())
    assert len(load_tokenizer_from(str(dpo_inputs / "policy"), str(dpo_inputs / "policy"))) == len(tokenizer())


def test_the_cli_refuses_the_mismatch_in_one_line_before_any_output(dpo_inputs, tmp_path, capsys):
    other = _other_tokenizer(tmp_path / "tok")
    out = tmp_path / "dpo"
    rc = cli_main(["train", "dpo", "--input", str(dpo_inputs / "prefs.jsonl"), "--checkpoint", str(dpo_inputs / "policy"),
                   "--tokenizer", str(other), "--out-dir", str(out), "--device", "cpu", "--steps", "1", "--batch-size", "4",
                   "--seq-len", "32"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "'tokenizer'" in err[0] and not out.exists(), err


# -- validation rows that are training rows ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def sft_inputs(tmp_path_factory):
    from train_fixtures import chat_rows, write_rows

    d = tmp_path_factory.mktemp("sft_eval_rows")
    save_model_dir(picochat_model(), d / "base")
    write_rows(d / "train.jsonl", chat_rows(0, {"math": 6}))
    return d


def _sft(d, out, eval_path):
    from picochat_hf.training.config import PicochatSFTConfig, parse_config
    from picochat_hf.training.sft import run_sft

    return run_sft(parse_config(PicochatSFTConfig, [
        "--input", str(d / "train.jsonl"), "--eval_input", str(eval_path), "--checkpoint", str(d / "base"),
        "--output_dir", str(out), "--max_length", "128", "--per_device_train_batch_size", "2", "--device_kind", "cpu",
        "--max_steps", "1", "--warmup_steps", "0"]))


@pytest.mark.parametrize("which", ["same_file", "copied_row"])
def test_eval_rows_that_are_training_rows_are_refused(sft_inputs, tmp_path, monkeypatch, which):
    """`--eval-input` naming the training file (or holding one of its conversations) reported the loss on trained rows
    as the validation loss."""
    from train_fixtures import chat_rows, stub_preflight, write_rows

    from picochat_hf.utils.errors import PicochatInputError

    stub_preflight(monkeypatch, "ready")
    train = chat_rows(0, {"math": 6})
    other = chat_rows(7, {"math": 3})
    eval_path = sft_inputs / "train.jsonl" if which == "same_file" else write_rows(
        tmp_path / "eval.jsonl", [other[0], {**train[4], "id": "renamed", "category": "other"}, other[1]])
    with pytest.raises(PicochatInputError) as err:
        _sft(sft_inputs, tmp_path / "o", eval_path)
    assert err.value.field == "eval_input" and "training" in str(err.value)
    if which == "copied_row":
        assert err.value.line == 2
    assert not (tmp_path / "o").exists()


def test_eval_rows_apart_from_training_rows_are_accepted(sft_inputs, tmp_path, monkeypatch):
    from train_fixtures import chat_rows, stub_preflight, write_rows

    stub_preflight(monkeypatch, "ready")
    eval_path = write_rows(tmp_path / "eval.jsonl", chat_rows(7, {"math": 3}))
    assert (_sft(sft_inputs, tmp_path / "o", eval_path) / "train_report.json").exists()


def test_dpo_eval_rows_that_are_training_pairs_are_refused(dpo_inputs, tmp_path, capsys):
    """`train dpo --eval-input` naming the training file measured the reward margin on trained pairs and reported it
    as measured on eval_input."""
    prefs = dpo_inputs / "prefs.jsonl"
    mixed = tmp_path / "eval.jsonl"
    mixed.write_text(json.dumps({"prompt": "9+9?", "chosen": "18.", "rejected": "no."}) + "\n"
                     + prefs.read_text().splitlines()[2] + "\n", encoding="utf-8")
    for eval_path, line in ((prefs, 1), (mixed, 2)):
        out = tmp_path / f"dpo{line}"
        rc = cli_main(["train", "dpo", "--input", str(prefs), "--eval-input", str(eval_path), "--checkpoint",
                       str(dpo_inputs / "policy"), "--out-dir", str(out), "--device", "cpu", "--steps", "1",
                       "--batch-size", "4", "--seq-len", "32"])
        err = capsys.readouterr().err.strip().splitlines()
        assert rc == 2 and len(err) == 1 and "'eval_input'" in err[0] and f"{eval_path}:{line}" in err[0], err
        assert not out.exists()


@pytest.mark.parametrize("argv,field", [(["--lora_rank", "16"], "lora_rank"), (["--lora_alpha", "32"], "lora_alpha"),
                                        (["--lora_dropout", "0.1"], "lora_dropout"),
                                        (["--lora_target_modules", "q_proj,v_proj"], "lora_target_modules")])
def test_lora_settings_without_lora_are_refused(tmp_path, argv, field):
    """`train sft --lora-rank 16` without `--peft lora` fine-tuned every weight and recorded nothing of the rank."""
    from picochat_hf.training.config import PicochatSFTConfig, parse_config
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", *argv])
    assert err.value.field == field and "peft" in str(err.value)
    parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", "--peft", "lora", *argv])


@pytest.mark.parametrize("cls_name,argv,field", [
    ("PicochatSFTConfig", ["--growth_eval_points", "3"], "growth_eval_points"),
    ("PicochatSFTConfig", ["--growth_max_new_tokens", "64"], "growth_max_new_tokens"),
    ("PicochatSFTConfig", ["--input", "r.jsonl", "--dataset_test_split", "test"], "dataset_test_split"),
    ("PicochatSFTConfig", ["--input", "r.jsonl", "--dataset_streaming", "true"], "dataset_streaming"),
    ("PicochatSFTConfig", ["--input", "r.jsonl", "--dataset_config", "main"], "dataset_config"),
    ("PicochatSFTConfig", ["--packing_mode", "none", "--packing_buffer", "50"], "packing_buffer"),
    ("PicochatPretrainConfig", ["--verify_shards", "true"], "verify_shards"),
    ("PicochatDPOConfig", ["--input", "p.jsonl", "--dataset_test_split", "test"], "dataset_test_split"),
])
def test_a_setting_whose_companion_is_missing_is_refused(tmp_path, cls_name, argv, field):
    """Each of these acts only beside another setting (growth evals beside growth_eval_input, dataset_* beside
    dataset_name, the best-fit buffer under bos_bestfit, shard reading beside shards); alone it changed nothing."""
    from picochat_hf.training import config as cfg
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError) as err:
        cfg.parse_config(getattr(cfg, cls_name), ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", *argv])
    assert err.value.field == field, err.value


@pytest.mark.parametrize("cls_name,argv", [
    ("PicochatSFTConfig", ["--growth_eval_input", "g.jsonl", "--growth_eval_points", "3", "--max_steps", "6"]),
    ("PicochatSFTConfig", ["--dataset_name", "d.jsonl", "--dataset_config", "main", "--dataset_streaming", "true"]),
    ("PicochatSFTConfig", ["--packing_buffer", "50"]),
    ("PicochatPretrainConfig", ["--shards", "s", "--max_steps", "3", "--max_eval_tokens", "1000", "--verify_shards", "true"]),
])
def test_a_setting_beside_its_companion_is_accepted(tmp_path, cls_name, argv):
    from picochat_hf.training import config as cfg

    cfg.parse_config(getattr(cfg, cls_name), ["--output_dir", str(tmp_path / "o"), "--device_kind", "cpu", *argv])
