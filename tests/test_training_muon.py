"""`muon_learning_rate`: Muon on the decoder blocks' matrices, AdamW on the rest, through the Trainer.

The hybrid must step exactly as torch's own Muon and AdamW would on their parameter sets, let the Trainer's
schedule scale both, resume exactly from a checkpoint, and be recorded in the plan."""

from __future__ import annotations

import copy
import json
import re
import shutil

import pytest
import torch
from train_fixtures import picochat_model, save_model_dir, sft_argv

from picochat_hf.training.callbacks import read_metrics
from picochat_hf.training.config import PicochatSFTConfig, parse_config
from picochat_hf.training.muon import MuonAdamW, build_muon_adamw, muon_parameter_split
from picochat_hf.training.sft import run_sft
from picochat_hf.utils.errors import PicochatInputError


pytestmark = pytest.mark.usefixtures("ready_preflight")


def _fill_grads(model, seed):
    g = torch.Generator().manual_seed(seed)
    for p in model.parameters():
        p.grad = torch.randn(p.shape, generator=g)


def test_split_puts_exactly_the_blocks_linear_weights_on_muon():
    model = picochat_model()
    muon, rest = muon_parameter_split(model)
    names = {id(p): n for n, p in model.named_parameters()}
    muon_names = sorted(names[id(p)] for p in muon)
    per_layer = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.fc1", "mlp.fc2"]
    assert muon_names == sorted(f"model.layers.{i}.{m}.weight" for i in range(len(model.model.layers)) for m in per_layer)
    assert all(p.ndim == 2 for p in muon)
    rest_names = {names[id(p)] for p in rest}
    assert "model.embed_tokens.weight" in rest_names and "lm_head.weight" in rest_names
    assert not rest_names & set(muon_names)
    assert len(muon) + len(rest) == len(list(model.parameters()))


def test_frozen_matrices_are_left_out():
    model = picochat_model()
    frozen = model.model.layers[0].self_attn.q_proj.weight
    frozen.requires_grad_(False)
    muon, rest = muon_parameter_split(model)
    assert all(p is not frozen for p in muon + rest)


def test_hybrid_step_equals_torchs_muon_and_adamw_on_their_own_sets():
    model = picochat_model()
    reference = copy.deepcopy(model)
    opt = build_muon_adamw(model, [], muon_lr=0.02, adamw_lr=3e-3, weight_decay=0.0, betas=(0.9, 0.95), eps=1e-8)
    r_muon, r_rest = muon_parameter_split(reference)
    ref_muon = torch.optim.Muon(r_muon, lr=0.02, weight_decay=0.0, adjust_lr_fn="match_rms_adamw")
    ref_adamw = torch.optim.AdamW(r_rest, lr=3e-3, weight_decay=0.0, betas=(0.9, 0.95), eps=1e-8)
    for step in range(3):
        _fill_grads(model, step)
        _fill_grads(reference, step)
        opt.step()
        ref_muon.step()
        ref_adamw.step()
    for (name, a), (_, b) in zip(model.named_parameters(), reference.named_parameters()):
        assert torch.equal(a, b), name
    # and Muon is not AdamW: the matrices moved differently from an all-AdamW step
    plain = copy.deepcopy(reference)
    _fill_grads(plain, 9)
    before = plain.model.layers[0].self_attn.q_proj.weight.detach().clone()
    torch.optim.AdamW(plain.parameters(), lr=0.02).step()
    _fill_grads(model, 9)
    opt.step()
    assert not torch.allclose(plain.model.layers[0].self_attn.q_proj.weight - before,
                              model.model.layers[0].self_attn.q_proj.weight - reference.model.layers[0].self_attn.q_proj.weight)


def test_scheduler_scales_both_rates_and_the_first_group_is_adamws():
    model = picochat_model()
    opt = build_muon_adamw(model, [], muon_lr=0.02, adamw_lr=3e-3, weight_decay=0.0, betas=(0.9, 0.999), eps=1e-8)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 ** s)
    for _ in range(2):
        _fill_grads(model, 0)
        opt.step()
        sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(3e-3 * 0.25)
    assert sched.get_last_lr()[0] == pytest.approx(3e-3 * 0.25)  # what the Trainer logs as learning_rate
    assert opt.muon.param_groups[0]["lr"] == pytest.approx(0.02 * 0.25)
    assert opt.adamw.param_groups[0]["lr"] == pytest.approx(3e-3 * 0.25)


def test_state_dict_round_trip_resumes_exactly():
    model = picochat_model()
    opt = build_muon_adamw(model, [], muon_lr=0.02, adamw_lr=3e-3, weight_decay=0.1, betas=(0.9, 0.95), eps=1e-8)
    for step in range(2):
        _fill_grads(model, step)
        opt.step()
    state = copy.deepcopy(opt.state_dict())
    resumed_model = copy.deepcopy(model)
    resumed = build_muon_adamw(resumed_model, [], muon_lr=0.02, adamw_lr=3e-3, weight_decay=0.1, betas=(0.9, 0.95), eps=1e-8)
    resumed.load_state_dict(state)
    assert len(opt.state) == len(resumed.state) == len(list(model.parameters()))
    for m, o in ((model, opt), (resumed_model, resumed)):
        _fill_grads(m, 7)
        o.step()
    for (name, a), (_, b) in zip(model.named_parameters(), resumed_model.named_parameters()):
        assert torch.equal(a, b), name
    with pytest.raises(ValueError, match="'muon' and 'adamw'"):
        resumed.load_state_dict(torch.optim.AdamW(model.parameters()).state_dict())


def test_a_model_without_decoder_blocks_is_refused():
    with pytest.raises(ValueError, match="no decoder-block linear layers"):
        build_muon_adamw(torch.nn.Sequential(torch.nn.Linear(4, 4)), [], muon_lr=0.02, adamw_lr=1e-3,
                         weight_decay=0.0, betas=(0.9, 0.999), eps=1e-8)
    with pytest.raises(ValueError, match="no 2-D matrix"):
        MuonAdamW([], [torch.nn.Parameter(torch.zeros(3))], muon_lr=0.02, adamw_lr=1e-3)


def test_sft_with_muon_uses_the_hybrid_records_it_and_differs_from_adamw(sft_workdir, tmp_path):
    from safetensors.torch import load_file

    weights = {}
    for arm, extra in (("adamw", ()), ("muon", ("--muon_learning_rate", "0.02"))):
        out = tmp_path / arm
        run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "3", *extra)))
        plan = json.loads((out / "train_report.json").read_text())["plan"]
        assert plan["muon_learning_rate"] == (0.02 if arm == "muon" else None)
        logged = [m["lr"] for m in read_metrics(out / "metrics.jsonl") if "loss" in m]
        assert max(logged) == pytest.approx(3e-3)  # the AdamW rate's schedule, in both arms
        weights[arm] = load_file(str(out / "checkpoint" / "model.safetensors"))
    q = "model.layers.0.self_attn.q_proj.weight"
    assert not torch.allclose(weights["adamw"][q], weights["muon"][q])
    # the embeddings see the same AdamW rule in both arms, but different gradients after step 1
    assert weights["adamw"].keys() == weights["muon"].keys()


def test_sft_with_muon_resumes_with_the_same_loss_curve(sft_workdir, tmp_path):
    argv = ("--max_steps", "4", "--save_strategy", "steps", "--save_steps", "2", "--muon_learning_rate", "0.02")
    full = tmp_path / "full"
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, full, *argv)))
    cut = tmp_path / "cut"
    cut.mkdir()
    shutil.copytree(full / "checkpoint-2", cut / "checkpoint-2")
    (cut / "metrics.jsonl").write_text("".join(json.dumps(m) + "\n" for m in read_metrics(full / "metrics.jsonl") if m["step"] <= 2))
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, cut, *argv, "--resume_from_checkpoint", str(cut / "checkpoint-2"))))
    a = [(m["step"], m["loss"]) for m in read_metrics(full / "metrics.jsonl") if "loss" in m]
    b = [(m["step"], m["loss"]) for m in read_metrics(cut / "metrics.jsonl") if "loss" in m]
    assert [s for s, _ in b] == [1, 2, 3, 4]
    for (sa, la), (sb, lb) in zip(a, b):
        assert sa == sb and la == pytest.approx(lb, rel=1e-6, abs=1e-7)
    from safetensors.torch import load_file

    full_w, cut_w = (load_file(str(d / "checkpoint" / "model.safetensors")) for d in (full, cut))
    assert all(torch.equal(full_w[k], cut_w[k]) for k in full_w)  # both children's states restored, bitwise on CPU


@pytest.mark.parametrize("value", ["0", "-0.01", "nan"])
def test_a_non_positive_muon_rate_is_refused_naming_the_field(sft_workdir, tmp_path, value):
    with pytest.raises(PicochatInputError) as err:
        parse_config(PicochatSFTConfig, sft_argv(sft_workdir, tmp_path / "x", "--max_steps", "2", "--muon_learning_rate", value))
    assert err.value.field == "muon_learning_rate"
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("extra, says", [(("--optim", "sgd"), "optim 'sgd'"), (("--fsdp", "full_shard"), "FSDP")])
def test_muon_beside_another_optimizer_or_fsdp_is_refused(sft_workdir, tmp_path, extra, says):
    with pytest.raises(PicochatInputError, match=says) as err:
        parse_config(PicochatSFTConfig, sft_argv(sft_workdir, tmp_path / "x", "--max_steps", "2", "--muon_learning_rate", "0.02", *extra))
    assert err.value.field == "muon_learning_rate"


def test_the_cli_flag_sets_the_field(sft_workdir, tmp_path):
    from picochat_hf.cli.train import TRAINING, config_argv

    argv = config_argv(["train", "sft", "--input", str(sft_workdir / "train.jsonl"), "--checkpoint", str(sft_workdir / "base"),
                        "--out-dir", str(tmp_path / "o"), "--steps", "2", "--muon-learning-rate", "0.01"])
    config = parse_config(PicochatSFTConfig, argv)
    assert config.muon_learning_rate == 0.01 and TRAINING["muon_learning_rate"] == "muon_learning_rate"


def test_the_report_names_each_stages_optimizer(tmp_path):
    from picochat_hf.report.collect import budget_table

    run = tmp_path / "run"
    for stage, plan in (("base", {"learning_rate": 3e-3, "muon_learning_rate": 0.02}),
                        ("sft", {"learning_rate": 3e-3, "muon_learning_rate": None})):
        (run / stage).mkdir(parents=True)
        (run / stage / "train_report.json").write_text(json.dumps({"steps": 2, "status": "completed", "plan": plan}))
    budget = {f.label: f for f in budget_table(run).facts}
    assert budget["base optimizer"].value == "Muon + AdamW"
    assert budget["base optimizer"].note == "Muon 0.02 on the blocks' matrices, AdamW 0.003 on the rest"
    assert budget["sft optimizer"].value == "AdamW" and budget["sft optimizer"].note == "peak rate 0.003"


def test_linear_decay_scales_both_rates_to_their_floor():
    # lr_decay linear is transformers' polynomial schedule, which reads optimizer.defaults["lr"] (was: KeyError 'lr')
    from transformers import get_scheduler

    model = picochat_model()
    opt = build_muon_adamw(model, [], muon_lr=0.02, adamw_lr=3e-3, weight_decay=0.0, betas=(0.9, 0.999), eps=1e-8)
    sched = get_scheduler("polynomial", opt, num_warmup_steps=1, num_training_steps=3,
                          scheduler_specific_kwargs={"lr_end": 3e-3 * 0.1, "power": 1.0})
    for _ in range(3):
        _fill_grads(model, 0)
        opt.step()
        sched.step()
    assert opt.adamw.param_groups[0]["lr"] == pytest.approx(3e-3 * 0.1)
    assert opt.muon.param_groups[0]["lr"] == pytest.approx(0.02 * 0.1)
    assert sched.get_last_lr()[0] == pytest.approx(3e-3 * 0.1)


@pytest.mark.parametrize("decay", ["linear", "cosine"])
def test_sft_with_muon_runs_each_lr_decay(sft_workdir, tmp_path, decay):
    out = tmp_path / decay
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "3", "--lr_decay", decay,
                                                  "--muon_learning_rate", "0.02")))
    logged = [m["lr"] for m in read_metrics(out / "metrics.jsonl") if "loss" in m]
    assert max(logged) == pytest.approx(3e-3) and logged[-1] < 3e-3


def test_zero_grad_reaches_both_optimizers_parameters():
    model = picochat_model()
    opt = build_muon_adamw(model, [], muon_lr=0.02, adamw_lr=3e-3, weight_decay=0.0, betas=(0.9, 0.999), eps=1e-8)
    _fill_grads(model, 0)
    opt.zero_grad(set_to_none=True)
    assert all(p.grad is None for p in model.parameters())


def test_a_resume_across_optimizer_kinds_is_refused_naming_the_field(sft_workdir, tmp_path):
    saved = {}
    for arm, extra in (("adamw", ()), ("muon", ("--muon_learning_rate", "0.02"))):
        out = tmp_path / arm
        run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, out, "--max_steps", "1", "--warmup_steps", "0",
                                                      "--save_strategy", "steps", "--save_steps", "1", *extra)))
        saved[arm] = out / "checkpoint-1"
    # AdamW's state resumed with Muon on (was: ValueError mid-train), Muon's resumed without (was: KeyError)
    for arm, extra in (("adamw", ("--muon_learning_rate", "0.02")), ("muon", ())):
        before = sorted(p.name for p in saved[arm].parent.iterdir())
        with pytest.raises(PicochatInputError, match="resume with muon_learning_rate") as err:
            run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, saved[arm].parent, "--max_steps", "2", "--save_strategy", "steps",
                                                          "--save_steps", "1", "--resume_from_checkpoint", str(saved[arm]), *extra)))
        assert err.value.field == "muon_learning_rate" and "\n" not in str(err.value)
        assert sorted(p.name for p in saved[arm].parent.iterdir()) == before
    # the same kind resumes
    run_sft(parse_config(PicochatSFTConfig, sft_argv(sft_workdir, saved["muon"].parent, "--max_steps", "2", "--save_strategy", "steps",
                                                  "--save_steps", "1", "--resume_from_checkpoint", str(saved["muon"]),
                                                  "--muon_learning_rate", "0.02")))


def test_a_gpt2_model_is_refused_before_anything_is_written_and_llama_trains(tmp_path, sft_workdir):
    from train_fixtures import gpt2_model, llama_model

    save_model_dir(gpt2_model(), tmp_path / "gpt2")
    save_model_dir(llama_model(), tmp_path / "llama")
    argv = [*sft_argv(sft_workdir, tmp_path / "g", "--max_steps", "1", "--warmup_steps", "0", "--muon_learning_rate", "0.02")]
    argv[argv.index("--checkpoint") + 1] = str(tmp_path / "gpt2")
    with pytest.raises(PicochatInputError, match="Conv1D") as err:
        run_sft(parse_config(PicochatSFTConfig, argv))
    assert err.value.field == "muon_learning_rate" and not (tmp_path / "g").exists()
    llama = llama_model()
    muon, _ = muon_parameter_split(llama)
    assert len(muon) == 7 * llama.config.num_hidden_layers  # q k v o, gate up down
    argv = [*sft_argv(sft_workdir, tmp_path / "l", "--max_steps", "1", "--warmup_steps", "0", "--muon_learning_rate", "0.02")]
    argv[argv.index("--checkpoint") + 1] = str(tmp_path / "llama")
    run_sft(parse_config(PicochatSFTConfig, argv))


def test_muon_beside_lora_is_refused_and_lora_alone_is_accepted(sft_workdir, tmp_path):
    with pytest.raises(PicochatInputError, match="peft lora") as err:
        parse_config(PicochatSFTConfig, sft_argv(sft_workdir, tmp_path / "x", "--max_steps", "2", "--peft", "lora",
                                              "--muon_learning_rate", "0.02"))
    assert err.value.field == "muon_learning_rate"
    assert parse_config(PicochatSFTConfig, sft_argv(sft_workdir, tmp_path / "x", "--max_steps", "2", "--peft", "lora")).peft == "lora"


def test_tied_embeddings_and_smear_stay_on_adamw():
    from picochat_hf import PicochatConfig, PicochatForCausalLM

    cfg = PicochatConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                         max_position_embeddings=64, tie_word_embeddings=True, smear=True)
    model = PicochatForCausalLM(cfg)
    muon, rest = muon_parameter_split(model)
    names = {id(p): n for n, p in model.named_parameters()}
    assert all(re.fullmatch(r"model\.layers\.\d+\.(self_attn|mlp)\.\w+\.weight", names[id(p)]) for p in muon)
    assert any("smear" in names[id(p)] for p in rest) and model.lm_head.weight is model.model.embed_tokens.weight
    assert len(muon) + len(rest) == len(list(model.parameters()))


@pytest.mark.parametrize("value, says", [('"fast"', "float"), ("0", "> 0"), ("-0.5", "> 0"), (".inf", "finite")])
def test_bad_yaml_rates_are_one_line_naming_file_line_and_field(tmp_path, value, says):
    from picochat_hf.demo import DemoConfig

    (tmp_path / "sft.yaml").write_text(f"max_steps: 2\nmuon_learning_rate: {value}\n")
    with pytest.raises(PicochatInputError, match=says) as err:
        parse_config(PicochatSFTConfig, ["--config", str(tmp_path / "sft.yaml")])
    assert "sft.yaml:2" in str(err.value) and "muon_learning_rate" in str(err.value)
    for name in ("base_muon_learning_rate", "sft_muon_learning_rate"):
        (tmp_path / "demo.yaml").write_text(f"seed: 1\n{name}: {value}\n")
        with pytest.raises(PicochatInputError, match=says) as err:
            DemoConfig.from_yaml(tmp_path / "demo.yaml")
        assert "demo.yaml:2" in str(err.value) and name in str(err.value)
        (tmp_path / "demo.yaml").write_text(f"seed: 1\n{name}: 0.02\n")
        assert getattr(DemoConfig.from_yaml(tmp_path / "demo.yaml"), name) == 0.02


def test_accelerates_wrapper_steps_zeroes_and_saves_both_children():
    from accelerate import Accelerator

    model = picochat_model()
    reference = copy.deepcopy(model)
    opt = build_muon_adamw(model, [], muon_lr=0.02, adamw_lr=3e-3, weight_decay=0.0, betas=(0.9, 0.999), eps=1e-8)
    ref = build_muon_adamw(reference, [], muon_lr=0.02, adamw_lr=3e-3, weight_decay=0.0, betas=(0.9, 0.999), eps=1e-8)
    accelerator = Accelerator(cpu=True)
    model, wrapped = accelerator.prepare(model, opt)
    assert wrapped.param_groups is opt.param_groups
    for m, o in ((model, wrapped), (reference, ref)):
        _fill_grads(m, 4)
        o.step()
    assert not wrapped.step_was_skipped and not accelerator.optimizer_step_was_skipped
    assert all(torch.equal(a, b) for a, b in zip(model.parameters(), reference.parameters()))
    assert set(wrapped.state_dict()) == {"muon", "adamw"}
    wrapped.zero_grad(set_to_none=True)
    assert all(p.grad is None for p in model.parameters())


def test_two_micro_batches_step_as_one_double_batch(sft_workdir, tmp_path):
    """Gradient accumulation: AdamW's parameters end equal to float rounding; Muon's matrices to within the
    bfloat16 rounding of torch's Newton-Schulz (it casts the update to bfloat16, so float-level differences in
    the accumulated gradient can move an update by one bfloat16 step: ~0.4% of the adjusted rate)."""
    from safetensors.torch import load_file

    weights = []
    for name, batch, accum in (("acc", "2", "2"), ("one", "4", "1")):
        out = tmp_path / name
        argv = sft_argv(sft_workdir, out, "--max_steps", "2", "--gradient_accumulation_steps", accum, "--muon_learning_rate", "0.02")
        argv[argv.index("--per_device_train_batch_size") + 1] = batch
        run_sft(parse_config(PicochatSFTConfig, argv))
        weights.append(load_file(str(out / "checkpoint" / "model.safetensors")))
    muon_names = {n for n in weights[0] if re.fullmatch(r"model\.layers\.\d+\.(self_attn|mlp)\.\w+\.weight", n)}
    assert muon_names
    for name, a in weights[0].items():
        b = weights[1][name]
        assert torch.allclose(a, b, rtol=0, atol=1e-3 if name in muon_names else 1e-6), name


@pytest.mark.parametrize("optim, fused", [("adamw_torch_fused", True), ("adamw_torch", None)])
def test_the_hybrids_adamw_is_the_trainers_adamw_fused_or_not(sft_workdir, tmp_path, optim, fused):
    from picochat_hf.training.sft import build_sft_trainer

    config = parse_config(PicochatSFTConfig, sft_argv(sft_workdir, tmp_path / "o", "--max_steps", "2", "--optim", optim,
                                                   "--muon_learning_rate", "0.02"))
    trainer, _ = build_sft_trainer(config, inputs_dir=tmp_path / "inputs")
    opt = trainer.create_optimizer()
    assert isinstance(opt, MuonAdamW) and opt.adamw.defaults["fused"] is fused
    config.muon_learning_rate = None
    plain, _ = build_sft_trainer(config, inputs_dir=tmp_path / "inputs")
    assert plain.create_optimizer().defaults["fused"] is fused  # what the AdamW-only run uses


def test_a_plan_with_a_non_number_muon_rate_is_left_out_of_the_budget_not_a_crash(tmp_path):
    from picochat_hf.report.collect import budget_table

    run = tmp_path / "run"
    for stage, muon in (("base", "fast"), ("sft", 0.01)):
        (run / stage).mkdir(parents=True)
        plan = {"learning_rate": 3e-3, "muon_learning_rate": muon}
        (run / stage / "train_report.json").write_text(json.dumps({"steps": 2, "status": "completed", "plan": plan}))
    budget = {f.label: f for f in budget_table(run).facts}
    assert "base optimizer" not in budget
    assert budget["sft optimizer"].note == "Muon 0.01 on the blocks' matrices, AdamW 0.003 on the rest"
