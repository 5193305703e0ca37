"""SFT end to end on tiny models: CLI == recipe config, metrics/report, resume determinism, preflight refusal."""

from __future__ import annotations

import json
import shutil

import pytest
import torch
from train_fixtures import CATEGORY_SIZES, chat_rows, gpt2_model, save_model_dir, sft_argv, stub_preflight

from picochat_hf.cli import main as cli_main
from picochat_hf.cli.train import COMMON, SFT, TRAINING, config_argv
from picochat_hf.training.callbacks import read_metrics
from picochat_hf.training.config import PicochatSFTConfig, parse_config
from picochat_hf.training.sft import run_sft
from picochat_hf.utils.errors import PicochatInputError


pytestmark = pytest.mark.usefixtures("ready_preflight")


def test_cli_flags_map_onto_the_recipe_config(sft_workdir, tmp_path):
    yaml_path = tmp_path / "c.yaml"
    yaml_path.write_text(f"input: {sft_workdir / 'train.jsonl'}\nmax_length: 96\nsampling: uniform\nlearning_rate: 0.5\n")
    cli = config_argv(["train", "sft", "--config", str(yaml_path), "--out-dir", str(tmp_path / "o"), "--steps", "7",
                                       "--batch-size", "3", "--grad-accum-steps", "2", "--lr-warmup-steps", "2", "--lr-decay", "linear",
                                       "--min-lr-ratio", "0.2", "--grad-clip", "0.5", "--device", "cpu", "--precision", "fp32",
                                       "--packing", "none", "--learning-rate", "0.01", "--set", "weight_decay=0.1"])
    config = parse_config(PicochatSFTConfig, cli)
    assert (config.max_steps, config.per_device_train_batch_size, config.gradient_accumulation_steps) == (7, 3, 2)
    assert config.max_length == 96 and config.sampling == "uniform"  # from the YAML
    assert config.learning_rate == 0.01  # flag beats YAML
    assert config.lr_scheduler_type == "polynomial" and config.lr_scheduler_kwargs == {"lr_end": pytest.approx(0.002), "power": 1.0}
    assert config.max_grad_norm == 0.5 and config.weight_decay == 0.1 and config.warmup_steps == 2
    assert config.use_cpu and not config.bf16 and config.packing_mode == "none"
    assert set(COMMON) | set(TRAINING) | set(SFT)  # every mapped field exists on the config
    for field in {**COMMON, **TRAINING, **SFT}.values():
        assert hasattr(config, field), field


def test_sft_run_writes_metrics_report_and_checkpoint(sft_workdir, tmp_path):
    out = tmp_path / "run" / "sft"
    rc = cli_main(["train", "sft", "--input", str(sft_workdir / "train.jsonl"), "--eval-input", str(sft_workdir / "eval.jsonl"),
                   "--checkpoint", str(sft_workdir / "base"), "--out-dir", str(out), "--steps", "6", "--batch-size", "2",
                   "--seq-len", "128", "--learning-rate", "0.003", "--lr-warmup-steps", "1", "--eval-steps", "3",
                   "--device", "cpu", "--sampling", "category_sqrt"])
    assert rc == 0
    metrics = read_metrics(out / "metrics.jsonl")
    train = [m for m in metrics if "loss" in m]
    evals = [m for m in metrics if "eval_loss" in m]
    assert [m["step"] for m in train] == [1, 2, 3, 4, 5, 6]
    for m in train:
        assert {"lr", "grad_norm", "real_tokens", "packing_utilisation"} <= set(m)
        assert 0 < m["packing_utilisation"] <= 1
    assert train[-1]["real_tokens"] > train[0]["real_tokens"] > 0
    assert [m["step"] for m in evals] == [3, 6] and all(m["eval_loss"] > 0 for m in evals)
    report = json.loads((out / "train_report.json").read_text())
    assert report["final_eval"]["eval_loss"] == evals[-1]["eval_loss"]  # step 6's eval is the final one: no second pass
    assert report["steps"] == 6 and report["tokens_per_step"] == 2 * 128
    assert report["planned_tokens"] == 6 * 2 * 128
    assert report["real_tokens_seen"] == train[-1]["real_tokens"]  # the plan replays exactly what was trained on
    # SFT trains on the assistant tokens only: the count budgets read is the supervised one, not the real one
    assert report["trained_tokens_seen"] == report["supervised_tokens_seen"] < report["real_tokens_seen"]
    assert set(report["epochs_per_category"]) == set(CATEGORY_SIZES)
    draws = sum(report["epochs_per_category"][c] * n for c, n in CATEGORY_SIZES.items())
    assert draws == pytest.approx(sum(report["category_draws"].values()))
    root = {c: n**0.5 for c, n in CATEGORY_SIZES.items()}
    assert report["category_probability"] == pytest.approx({c: r / sum(root.values()) for c, r in root.items()})
    assert report["tokens_per_parameter"]["planned"] == pytest.approx(report["planned_tokens"] / report["num_parameters"])
    assert report["wall_time_s"] > 0 and report["preflight"]["status"] == "ready"
    assert (out / "checkpoint" / "config.json").exists() and (out / "checkpoint" / "tokenizer.json").exists()


def test_resume_gives_the_same_loss_curve(sft_workdir, tmp_path):
    full = tmp_path / "full"
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, full, "--max_steps", "6", "--save_strategy", "steps", "--save_steps", "3")))
    # a run "killed" after step 3: keep only its checkpoint-3 and metrics up to there, then resume
    cut = tmp_path / "cut"
    cut.mkdir()
    shutil.copytree(full / "checkpoint-3", cut / "checkpoint-3")
    (cut / "metrics.jsonl").write_text("".join(json.dumps(m) + "\n" for m in read_metrics(full / "metrics.jsonl") if m["step"] <= 3))
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, cut, "--max_steps", "6", "--save_strategy", "steps", "--save_steps", "3",
                                                  "--resume_from_checkpoint", str(cut / "checkpoint-3"))))
    a = [(m["step"], m["loss"], m["real_tokens"]) for m in read_metrics(full / "metrics.jsonl") if "loss" in m]
    b = [(m["step"], m["loss"], m["real_tokens"]) for m in read_metrics(cut / "metrics.jsonl") if "loss" in m]
    assert [s for s, _, _ in b] == [1, 2, 3, 4, 5, 6]
    for (sa, la, ta), (sb, lb, tb) in zip(a, b):
        assert sa == sb and ta == tb
        assert la == pytest.approx(lb, rel=1e-6, abs=1e-7)


def test_blocked_preflight_refuses_unless_overridden(sft_workdir, tmp_path, monkeypatch):
    calls = stub_preflight(monkeypatch, "blocked")
    out = tmp_path / "r" / "sft"
    with pytest.raises(PicochatInputError, match="far too few tokens"):
        run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "2")))
    plan, run_dir, profile = calls[0]
    assert run_dir == tmp_path / "r" and profile == "research"
    assert plan["stage"] == "sft" and plan["planned_tokens"] == 2 * 2 * 128 and plan["packing"] == "bos_bestfit"
    required = {"stage", "model_config", "num_parameters", "flops_per_token", "seq_len", "per_device_batch", "grad_accum",
                "world_size", "tokens_per_step", "max_steps", "planned_tokens", "learning_rate", "base_learning_rate", "device",
                "precision", "attn_implementation", "packing", "sampling", "sft_input", "eval_input", "dataset_pack", "tokenizer"}
    assert required <= set(plan)
    assert not (out / "checkpoint").exists() and not (out / "train_report.json").exists()
    # the CLI turns the refusal into exit code 2
    assert cli_main(["train", "sft", "--input", str(sft_workdir / "train.jsonl"), "--checkpoint", str(sft_workdir / "base"),
                     "--out-dir", str(tmp_path / "r2" / "sft"), "--steps", "1", "--device", "cpu", "--seq-len", "128"]) == 2
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "2", "--allow_blocked_preflight", "true", "--force", "true")))
    report = json.loads((out / "train_report.json").read_text())
    assert report["preflight"]["status"] == "blocked" and report["preflight"]["override"] is True


def test_trainer_runs_any_causal_lm_gpt2(sft_workdir, tmp_path):
    d = save_model_dir(gpt2_model(), tmp_path / "gpt2")
    out = run_sft(parse_config(PicochatSFTConfig, ["--input", str(sft_workdir / "train.jsonl"), "--checkpoint", str(d),
                                                   "--output_dir", str(tmp_path / "g"), "--max_length", "128",
                                                   "--per_device_train_batch_size", "2", "--max_steps", "3", "--device_kind", "cpu",
                                                   "--learning_rate", "1e-3"]))
    report = json.loads((out / "train_report.json").read_text())
    assert report["steps"] == 3 and report["plan"]["model_config"]["model_type"] == "gpt2"
    assert 0 < report["packing_utilisation"] <= 1


def test_bad_rows_name_file_and_line(sft_workdir, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(chat_rows()[0]) + "\n" + json.dumps({"id": "x"}) + "\n")
    rc = cli_main(["train", "sft", "--input", str(bad), "--checkpoint", str(sft_workdir / "base"), "--out-dir", str(tmp_path / "o"),
                   "--device", "cpu", "--steps", "1"])
    assert rc == 2
    assert not (tmp_path / "o" / "train_report.json").exists()


def test_existing_output_needs_force(sft_workdir, tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "x").write_text("keep")
    with pytest.raises(PicochatInputError, match="--force"):
        run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "1", "--warmup_steps", "0")))
    assert (out / "x").read_text() == "keep"



def test_real_preflight_gate_is_called_and_recorded(sft_workdir, tmp_path):
    pytest.importorskip("picochat_hf.gates.preflight")
    out = tmp_path / "run" / "sft"
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "1", "--warmup_steps", "0", "--allow_blocked_preflight", "true",
                                                  "--eval_input", str(sft_workdir / "eval.jsonl"))))
    gate = json.loads((tmp_path / "run" / "gates" / "preflight.json").read_text())
    report = json.loads((out / "train_report.json").read_text())
    assert gate["status"] in {"ready", "warn", "blocked"}
    assert report["preflight"]["status"] == gate["status"]
    assert report["preflight"]["override"] is (gate["status"] == "blocked")


def test_missing_input_leaves_no_output_folder(sft_workdir, tmp_path):
    out = tmp_path / "never"
    assert cli_main(["train", "sft", "--input", str(tmp_path / "missing.jsonl"), "--checkpoint", str(sft_workdir / "base"),
                     "--out-dir", str(out), "--device", "cpu"]) == 2
    assert not out.exists()


def test_dense_and_fused_lm_head_losses_train_identically(sft_workdir, tmp_path):
    """`lm_head_loss: dense` (the model's logits + transformers' loss, the CPU default) and TRL's fused chunked head
    give the same losses, metrics and weights, including the token-sum normalisation under gradient accumulation."""
    from safetensors.torch import load_file

    runs = {}
    for mode in ("fused", "dense"):
        out = tmp_path / mode
        run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "4", "--gradient_accumulation_steps", "2",
                                                      "--lm_head_loss", mode)))
        metrics = [m for m in read_metrics(out / "metrics.jsonl") if "loss" in m]
        runs[mode] = (metrics, load_file(str(out / "checkpoint" / "model.safetensors")))
        assert json.loads((out / "train_report.json").read_text())["plan"]["lm_head_loss"] == mode
    (fm, fw), (dm, dw) = runs["fused"], runs["dense"]
    assert [m["step"] for m in fm] == [m["step"] for m in dm] == [1, 2, 3, 4]
    for a, b in zip(fm, dm):
        for key in ("loss", "grad_norm", "entropy", "mean_token_accuracy"):
            assert a[key] == pytest.approx(b[key], rel=1e-4, abs=1e-6), key
    assert fw.keys() == dw.keys()
    for name in fw:
        assert torch.allclose(fw[name], dw[name], rtol=1e-4, atol=1e-6), name


def test_lm_head_loss_auto_resolves_by_device_and_rejects_unknown(sft_workdir, tmp_path):
    cfg = parse_config(PicochatSFTConfig, sft_argv(sft_workdir, tmp_path / "a", "--max_steps", "1", "--warmup_steps", "0"))
    assert cfg.lm_head_loss == "dense"  # device_kind cpu
    with pytest.raises(PicochatInputError, match="lm_head_loss"):
        parse_config(PicochatSFTConfig, sft_argv(sft_workdir, tmp_path / "b", "--lm_head_loss", "chunky"))


def test_dense_lm_head_loss_applies_to_plain_nll_only(sft_workdir, tmp_path):
    """Label smoothing and DFT keep TRL's fused path (which shifts labels and weights tokens), even when dense is asked."""
    from picochat_hf.training.sft import build_sft_trainer

    for extra, dense in (([], True), (["--label_smoothing_factor", "0.1"], False), (["--loss_type", "dft"], False)):
        cfg = parse_config(PicochatSFTConfig, sft_argv(sft_workdir, tmp_path / f"r{len(extra)}{dense}", "--max_steps", "1", "--warmup_steps", "0",
                                                    "--lm_head_loss", "dense", *extra))
        trainer, _ = build_sft_trainer(cfg)
        assert trainer._uses_dense_loss() is dense, extra


def test_torch_compile_trains_like_eager(sft_workdir, tmp_path):
    """`--torch_compile` (TrainingArguments' flag; the demo's default for SFT) changes the speed, not the training:
    the same per-step losses, the plan records it, and the checkpoint's weight names carry no compile wrapper."""
    from safetensors.torch import load_file

    runs = {}
    for compiled in (False, True):
        out = tmp_path / f"compile_{compiled}"
        extra = ["--torch_compile", "true"] if compiled else []
        run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "3", "--max_length", "64", *extra)))
        metrics = [m for m in read_metrics(out / "metrics.jsonl") if "loss" in m]
        runs[compiled] = (metrics, load_file(str(out / "checkpoint" / "model.safetensors")))
        assert json.loads((out / "train_report.json").read_text())["plan"]["torch_compile"] is compiled
    (em, ew), (cm, cw) = runs[False], runs[True]
    assert [m["step"] for m in em] == [m["step"] for m in cm] == [1, 2, 3]
    for a, b in zip(em, cm):
        assert a["loss"] == pytest.approx(b["loss"], rel=1e-3), (a["step"], a["loss"], b["loss"])
    assert ew.keys() == cw.keys()
    for name in ew:
        assert torch.allclose(ew[name], cw[name], rtol=1e-3, atol=1e-5), name


def test_final_eval_runs_when_the_schedule_misses_the_last_step(sft_workdir, tmp_path):
    """eval every 4 steps of 6: the report's final eval is one more pass over the final weights, logged at step 6."""
    out = tmp_path / "sft"
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "6", "--eval_input", str(sft_workdir / "eval.jsonl"),
                                                  "--eval_strategy", "steps", "--eval_steps", "4")))
    evals = [m for m in read_metrics(out / "metrics.jsonl") if "eval_loss" in m]
    assert [m["step"] for m in evals] == [4, 6]
    assert evals[0]["eval_loss"] != evals[1]["eval_loss"]
    report = json.loads((out / "train_report.json").read_text())
    assert report["final_eval"]["eval_loss"] == evals[1]["eval_loss"]


def test_force_retrains_over_its_own_run_folder_and_refuses_a_users_file_beside_it(sft_workdir, tmp_path, monkeypatch):
    """Every entry an SFT run writes is its own (`output_folders.yaml`): a second run with --force replaces the
    first; a file the user added beside the run is refused by name (the replace deleted it), the folder unchanged."""
    from fnmatch import fnmatchcase

    from picochat_hf.utils.output_folders import output_folder_spec

    stub_preflight(monkeypatch)
    out = tmp_path / "sft"
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "2", "--save_strategy", "steps", "--save_steps", "1")))
    own = output_folder_spec()["whole"]["train sft"]["files"]
    assert all(any(fnmatchcase(p.name, g) for g in own) for p in out.iterdir()), sorted(p.name for p in out.iterdir())
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "2", "--force", "true")))
    (out / "notes.txt").write_text("mine\n")
    with pytest.raises(PicochatInputError, match="notes.txt"):
        run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "2", "--force", "true")))
    assert (out / "notes.txt").read_text() == "mine\n" and (out / "train_report.json").is_file()
