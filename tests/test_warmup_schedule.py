"""A warmup as long as the run never reaches the peak learning rate the config (and the run's report) states."""

from __future__ import annotations

import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.training.config import PicochatDPOConfig, PicochatPretrainConfig, PicochatSFTConfig, parse_config
from picochat_hf.utils.errors import PicochatInputError

BASE = ["--device_kind", "cpu"]


@pytest.mark.parametrize("cls", [PicochatSFTConfig, PicochatPretrainConfig, PicochatDPOConfig])
@pytest.mark.parametrize("warmup,steps", [("20", "2"), ("2", "2"), ("0.99", "10"), ("0.95", "10"), ("3", "1")])
def test_a_warmup_at_least_as_long_as_the_run_is_refused(tmp_path, cls, warmup, steps):
    with pytest.raises(PicochatInputError) as err:
        parse_config(cls, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", steps, "--warmup_steps", warmup])
    assert err.value.field == "warmup_steps" and "peak" in str(err.value)


@pytest.mark.parametrize("cls", [PicochatSFTConfig, PicochatPretrainConfig, PicochatDPOConfig])
@pytest.mark.parametrize("warmup,steps", [("1", "2"), ("19", "20"), ("0.5", "10"), ("0", "1"), ("0.9", "10")])
def test_a_warmup_shorter_than_the_run_is_accepted(tmp_path, cls, warmup, steps):
    config = parse_config(cls, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", steps, "--warmup_steps", warmup])
    assert config.get_warmup_steps(config.max_steps) < config.max_steps


def test_a_fractional_step_count_is_refused(tmp_path):
    """transformers reads warmup_steps 2.5 as 2 steps (int()), silently; a fraction is only a ratio below 1."""
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", "10", "--warmup_steps", "2.5"])
    assert err.value.field == "warmup_steps"


def test_the_yaml_warmup_is_refused_naming_file_and_line(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("max_steps: 5\nlearning_rate: 0.001\nwarmup_steps: 5\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), *BASE])
    assert (err.value.field, err.value.line, str(err.value.path)) == ("warmup_steps", 3, str(cfg))


def test_a_warmup_ratio_key_is_refused_pointing_at_warmup_steps(tmp_path):
    """transformers 5 has no warmup_ratio; a fraction below 1 in warmup_steps is the ratio."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text("max_steps: 5\nwarmup_ratio: 1.0\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), *BASE])
    assert (err.value.field, err.value.line) == ("warmup_ratio", 2) and "warmup_steps" in str(err.value)
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", "5", "--warmup_ratio", "0.1"])
    assert err.value.field == "warmup_ratio" and "warmup_steps" in str(err.value)


def test_the_seed_flags_with_too_few_steps_exit_2_in_one_line(tmp_path, capsys):
    rc = cli_main(["train", "sft", "--input", str(tmp_path / "rows.jsonl"), "--out-dir", str(tmp_path / "o"),
                   "--device", "cpu", "--steps", "2", "--lr-warmup-steps", "20"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "warmup_steps" in err[0] and not (tmp_path / "o").exists()


@pytest.mark.parametrize("steps,warmup", [("1", 0), ("3", 1), ("7", 3), ("21", 10), ("300", 10), ("-1", 10)])
def test_the_base_default_warmup_fits_a_short_run(tmp_path, steps, warmup):
    """The base config's default (10 steps) is never a warmup the run does not finish: a smoke run of 7 steps
    warms up for 3."""
    config = parse_config(PicochatPretrainConfig, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", steps])
    assert config.warmup_steps == warmup


# -- runs set by epochs: the step count is known once the rows are, and the same check applies ----------------------

def _sft_epoch_argv(tmp_path, *extra):
    from train_fixtures import chat_rows, picochat_model, save_model_dir, write_rows

    rows = write_rows(tmp_path / "rows.jsonl", chat_rows(0, {"math": 6}))
    base = save_model_dir(picochat_model(), tmp_path / "base")
    return ["--input", str(rows), "--checkpoint", str(base), "--output_dir", str(tmp_path / "o"), "--max_length", "128",
            "--per_device_train_batch_size", "2", *BASE, "--num_train_epochs", "1", *extra]


@pytest.mark.parametrize("warmup", ["50", "0.999"])
def test_an_epoch_run_shorter_than_its_warmup_is_refused_before_any_output(tmp_path, monkeypatch, warmup):
    """6 short rows packed two rows a batch are one or two optimizer steps: warmup 50 (or 99.9% of them, which
    rounds up to the whole run) never reaches the peak, with max_steps left at -1 as much as with max_steps set."""
    from train_fixtures import stub_preflight

    from picochat_hf.training.sft import run_sft

    calls = stub_preflight(monkeypatch, "ready")
    config = parse_config(PicochatSFTConfig, _sft_epoch_argv(tmp_path, "--warmup_steps", warmup))
    assert config.max_steps == -1
    with pytest.raises(PicochatInputError) as err:
        run_sft(config)
    assert err.value.field == "warmup_steps" and "num_train_epochs" in str(err.value) and "peak" in str(err.value)
    assert not (tmp_path / "o").exists() and not calls


def test_an_epoch_run_longer_than_its_warmup_trains(tmp_path, monkeypatch):
    from train_fixtures import stub_preflight

    from picochat_hf.training.sft import run_sft

    import json

    calls = stub_preflight(monkeypatch, "ready")
    config = parse_config(PicochatSFTConfig, _sft_epoch_argv(tmp_path, "--warmup_steps", "1", "--num_train_epochs", "3"))
    out = run_sft(config)
    assert (out / "train_report.json").exists()
    # the plan (and the gate judging it) records the steps the Trainer ran, not max_steps -1 as null
    report = json.loads((out / "train_report.json").read_text())
    plan = calls[0][0]
    assert report["steps"] >= 3 and plan["max_steps"] == report["max_steps"] == report["plan"]["max_steps"] == report["steps"]
    assert plan["planned_tokens"] == plan["max_steps"] * plan["tokens_per_step"] and report["status"] == "completed"


def test_an_epoch_dpo_run_shorter_than_its_warmup_is_refused(tmp_path, monkeypatch):
    import json

    from train_fixtures import picochat_model, save_model_dir

    from picochat_hf.training.dpo import run_dpo

    base = save_model_dir(picochat_model(), tmp_path / "policy")
    path = tmp_path / "prefs.jsonl"
    path.write_text("".join(json.dumps({"prompt": f"{a}+{a}?", "chosen": f"{2 * a}.", "rejected": "no."}) + "\n" for a in range(4)))
    config = parse_config(PicochatDPOConfig, ["--input", str(path), "--checkpoint", str(base), "--output_dir", str(tmp_path / "d"),
                                              "--per_device_train_batch_size", "4", *BASE, "--max_length", "32",
                                              "--num_train_epochs", "2", "--warmup_steps", "2"])
    with pytest.raises(PicochatInputError) as err:
        run_dpo(config)
    assert err.value.field == "warmup_steps" and not (tmp_path / "d").exists()


def test_the_base_default_warmup_shrinks_to_fit_a_short_epoch_run(tmp_path, monkeypatch):
    """No warmup given: the default (10) is cut to fit the run's known length, as it is for a short max_steps."""
    import json

    from train_fixtures import stub_preflight, tokenizer

    from picochat_hf.data.default_corpus import iter_default_documents
    from picochat_hf.training.pretrain import run_pretrain

    calls = stub_preflight(monkeypatch, "ready")
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"text": d["text"][:400]}) + "\n" for d in iter_default_documents(max_documents=8)))
    tokenizer().save_pretrained(tmp_path / "tok")
    config = parse_config(PicochatPretrainConfig, ["--documents", str(docs), "--tokenizer", str(tmp_path / "tok"), *BASE,
                                                   "--output_dir", str(tmp_path / "b"), "--depth", "1", "--max_length", "64",
                                                   "--per_device_train_batch_size", "8", "--num_train_epochs", "1",
                                                   "--eval_strategy", "no"])
    assert config.warmup_steps == 10
    out = run_pretrain(config)
    report = json.loads((out / "train_report.json").read_text())
    assert (report["steps"], config.warmup_steps) == (3, 1)  # 8 short documents, batches of 8 rows of 64 tokens
    lrs = [json.loads(line)["lr"] for line in (out / "metrics.jsonl").read_text().splitlines() if "lr" in json.loads(line)]
    assert lrs[:2] == [0.0, pytest.approx(config.learning_rate)]  # the peak rate is reached after the one warmup step
    assert calls[0][0]["max_steps"] == report["max_steps"] == 3 and report["planned_tokens"] == 3 * report["tokens_per_step"]


def test_skill_growth_of_an_epoch_run_is_scored_at_its_known_steps(tmp_path, monkeypatch):
    """growth_eval_input with num_train_epochs (max_steps -1) spread its points over 'no steps' and wrote an empty
    skill_growth.jsonl without a word; the points now fall on the run's own steps, the last one included."""
    import json

    from train_fixtures import stub_preflight, write_rows

    from picochat_hf.training.sft import run_sft
    from picochat_hf.training.skill_growth import read_growth

    stub_preflight(monkeypatch, "ready")
    growth = write_rows(tmp_path / "growth.jsonl", [
        {"id": f"g{i}", "category": "math", "skill": "math", "split": "eval", "source": "t", "normalized_answer": str(2 * i),
         "messages": [{"role": "user", "content": f"What is {i} plus {i}?"}, {"role": "assistant", "content": str(2 * i)}]}
        for i in range(2)])
    config = parse_config(PicochatSFTConfig, _sft_epoch_argv(tmp_path, "--warmup_steps", "0", "--num_train_epochs", "2",
                                                             "--growth_eval_input", str(growth), "--growth_eval_points", "2",
                                                             "--growth_max_new_tokens", "2"))
    out = run_sft(config)
    steps = json.loads((out / "train_report.json").read_text())["steps"]
    assert steps >= 2 and [line["step"] for line in read_growth(out / "skill_growth.jsonl")] == [round(steps / 2), steps]


@pytest.mark.parametrize("cls", [PicochatSFTConfig, PicochatPretrainConfig, PicochatDPOConfig])
def test_epochs_beside_a_step_budget_are_refused(tmp_path, cls):
    """transformers runs max_steps and drops num_train_epochs without a word when both are given."""
    with pytest.raises(PicochatInputError) as err:
        parse_config(cls, ["--output_dir", str(tmp_path / "o"), *BASE, "--max_steps", "10", "--num_train_epochs", "1"])
    assert err.value.field == "num_train_epochs" and "max_steps" in str(err.value)


def test_epochs_beside_a_step_budget_in_yaml_name_the_line(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("max_steps: 10\nnum_train_epochs: 2\n", encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, ["--config", str(cfg), "--output_dir", str(tmp_path / "o"), *BASE])
    assert (err.value.field, err.value.line) == ("num_train_epochs", 2)


@pytest.mark.parametrize("argv", [["--max_steps", "10"], ["--num_train_epochs", "2"], ["--max_steps", "-1", "--num_train_epochs", "2"]])
def test_steps_or_epochs_alone_are_accepted(tmp_path, argv):
    parse_config(PicochatSFTConfig, ["--output_dir", str(tmp_path / "o"), *BASE, *argv])
