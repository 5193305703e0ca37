"""HF export: the folder loads with from_pretrained and gives the same logits, the card parses with
huggingface_hub and carries model-index, blocked releases are refused, adapters merge, Hub push is planned
offline and the token never reaches disk."""

from __future__ import annotations

import json
import shutil

import pytest
import torch
import yaml
from huggingface_hub import ModelCard
from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM

from helpers_model import randomize
from picochat_hf import PicochatConfig, PicochatForCausalLM
from picochat_hf.cli import main as cli_main
from picochat_hf.export import check_export, export_hf
from picochat_hf.export import hub as hub_module
from picochat_hf.gates import run_release_gate
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import sha256_file
from gate_fixtures import GOOD_SKILLS, all_pass_but_rerun, build_chain, check_named, edit_json, write_json
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.provenance import weights_sha256


def _picochat(tok, seed=3):
    cfg = PicochatConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=128, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    torch.manual_seed(seed)
    return randomize(PicochatForCausalLM(cfg), seed=seed, std=0.1).eval()


def _checkpoint(tmp_path, model, tok, name="checkpoint"):
    ckpt = tmp_path / "run" / "sft" / name
    model.save_pretrained(ckpt)
    tok.save_pretrained(ckpt)
    return ckpt


def _logits(model, tok):
    ids = tok("Checks match evidence.", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        return model(ids).logits


# 40 eval rows a skill (the gate judges a skill from 20): every GOOD_SKILLS rate, and math's 0.175, is a whole count of them
ROWS_PER_SKILL = 40


def _gated_run(tmp_path, tok, skills=None, profile="skill_release"):
    """A complete evidence chain whose released checkpoint is a real tiny picochat model; (run, ckpt, model)."""
    model = _picochat(tok)
    ckpt = _checkpoint(tmp_path, model, tok)
    run = build_chain(tmp_path, skills, n=ROWS_PER_SKILL, checkpoint=ckpt)
    run_release_gate(run, profile)
    return run, ckpt, model


def _passing(tmp_path, tok):
    run, ckpt, model = _gated_run(tmp_path, tok)
    assert all_pass_but_rerun(json.loads((run / "gates" / "release.json").read_text()))
    return run, ckpt, model


@pytest.fixture(scope="module")
def _built_passing_run(tmp_path_factory, tiny_tokenizer):
    """The passing run built (and gated) once per module under `work/`, and a byte-for-byte copy of it as built
    (`pristine/`, file times kept) to put back before each test."""
    root = tmp_path_factory.mktemp("passing")
    run, ckpt, model = _passing(root / "work", tiny_tokenizer)
    shutil.copytree(root / "work", root / "pristine")
    return root, run, ckpt, model


@pytest.fixture
def passing_run(_built_passing_run):
    """Every check passes; the verdict is warn, not approved, because the fixture's replies were not re-run. The run
    (with its checkpoint) is put back as built before each test, at the path its records name, so a test may edit
    it; exports go to the test's own tmp_path."""
    root, run, ckpt, model = _built_passing_run
    shutil.rmtree(root / "work")
    shutil.copytree(root / "pristine", root / "work")
    return run, ckpt, model


def test_picochat_export_loads_and_card_has_model_index(tmp_path, tiny_tokenizer, passing_run):
    passing_run, ckpt, model = passing_run
    out = export_hf(ckpt, tmp_path / "export", model_name="picochat-test", dataset_summary="Embedded corpus.", eval_summary="Rule-scored.")
    names = {p.name for p in out.iterdir()}
    assert {"model.safetensors", "config.json", "modeling_picochat.py", "configuration_picochat.py", "tokenizer.json",
            "generation_config.json", "README.md", "release_manifest.json"} <= names
    assert not any(n.endswith(".bin") for n in names)
    config = json.loads((out / "config.json").read_text())
    assert config["auto_map"]["AutoModelForCausalLM"] == "modeling_picochat.PicochatForCausalLM"
    gen = json.loads((out / "generation_config.json").read_text())
    assert gen["eos_token_id"] == tiny_tokenizer.convert_tokens_to_ids("<|assistant_end|>")
    reloaded = AutoModelForCausalLM.from_pretrained(out).eval()
    assert torch.equal(_logits(reloaded, tiny_tokenizer), _logits(model, tiny_tokenizer))
    from transformers import AutoTokenizer

    tok2 = AutoTokenizer.from_pretrained(out)
    assert tok2.chat_template == tiny_tokenizer.chat_template

    card = ModelCard.load(out / "README.md")
    data = card.data.to_dict()
    assert data["license"] == "mit" and "model-index" in data
    results = {(r.dataset_type, r.dataset_config, r.metric_name): r.metric_value for r in card.data.eval_results}
    report = json.loads((passing_run / "eval" / "eval_report.json").read_text())
    assert results[("picochat_hf/eval", None, "pass rate")] == round(report["summary"]["pass_rate"], 4)
    assert results[("picochat_hf/eval", "math", "math pass rate")] == round(report["summary"]["by_skill"]["math"]["pass_rate"], 4)
    assert results[("picochat_hf/sft_fit_heldout", None, "pass rate")] == 0.7
    assert any(r.dataset_name == "arc_easy" and r.metric_value == 0.31 for r in card.data.eval_results)
    text = card.text
    assert "**Release gate: warn** (profile `skill_release`)" in text
    for section in ("## Model", "## Data", "## Budget", "## Evaluation", "## Honesty", "## Release"):
        assert section in text
    assert "Embedded corpus." in text and "trust_remote_code=True" in text
    eval_sha = sha256_file(passing_run / "eval" / "eval_report.json")
    assert f"`eval/eval_report.json` ({eval_sha[:12]})" in text  # each number names its file and hash
    assert "matches its evidence" in text

    manifest = json.loads((out / "release_manifest.json").read_text())
    assert manifest["gate"]["status"] == "warn" and manifest["gate"]["state"] == "current"
    assert manifest["run_dir"] == str(passing_run.resolve())
    assert {"path": "eval/eval_report.json", "sha256": eval_sha} in manifest["evidence"]
    assert manifest["source_weights_sha256"] == weights_sha256(ckpt) == manifest["weights_sha256"]
    assert manifest["verification"]["reloaded_max_abs_logit_diff"] == 0.0
    assert {f["path"] for f in manifest["files"]} == names - {"release_manifest.json"}
    assert manifest["packages"]["transformers"] and "git_commit" in manifest
    assert check_export(out)["ok"]
    (out / "README.md").write_text(card.content + "\nextra claim\n")
    assert check_export(out)["altered"] == ["README.md"]


def test_blocked_release_is_refused_unless_allowed(tmp_path, tiny_tokenizer, capsys):
    """--force (overwrite) exported a blocked model too; overriding the gate now takes --allow-blocked alone."""
    run, ckpt, _ = _gated_run(tmp_path, tiny_tokenizer, {**GOOD_SKILLS, "math": 0.175})
    with pytest.raises(PicochatInputError, match="release gate is blocked: Math failed at 17.5%"):
        export_hf(ckpt, tmp_path / "export", model_name="m")
    assert not (tmp_path / "export").exists()
    rc = cli_main(["export", "hf", "--checkpoint", str(ckpt), "--out-dir", str(tmp_path / "export"), "--model-name", "m", "--force"])
    err = capsys.readouterr().err
    assert rc == 2 and "release gate is blocked: Math failed at 17.5%" in err and "Pass --allow-blocked" in err
    assert not (tmp_path / "export").exists()
    rc = cli_main(["export", "hf", "--checkpoint", str(ckpt), "--out-dir", str(tmp_path / "export"), "--model-name", "m",
                   "--allow-blocked"])
    assert rc == 0
    card = ModelCard.load(tmp_path / "export" / "README.md")
    assert "**Release gate: BLOCKED.**" in card.text and "Math failed at 17.5%; release threshold is 30%." in card.text
    assert "exported with an explicit override" in card.text
    assert "release-gate-blocked" in card.data.tags
    manifest = json.loads((tmp_path / "export" / "release_manifest.json").read_text())
    assert manifest["gate"]["exported_despite_block"] is True


def test_llama_export_without_run(tmp_path, tiny_tokenizer):
    cfg = LlamaConfig(vocab_size=len(tiny_tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                      num_key_value_heads=2, max_position_embeddings=128)
    torch.manual_seed(0)
    model = LlamaForCausalLM(cfg).eval()
    ckpt = tmp_path / "llama"
    model.save_pretrained(ckpt)
    tiny_tokenizer.save_pretrained(ckpt)
    out = export_hf(ckpt, tmp_path / "export", model_name="llama-test")
    assert not list(out.glob("*.py"))
    assert "auto_map" not in json.loads((out / "config.json").read_text())
    assert torch.equal(_logits(AutoModelForCausalLM.from_pretrained(out).eval(), tiny_tokenizer), _logits(model, tiny_tokenizer))
    card = ModelCard.load(out / "README.md")
    assert "Release gate: not run" in card.text and "trust_remote_code" not in card.text
    with pytest.raises(PicochatInputError, match="already exists"):
        export_hf(ckpt, out, model_name="llama-test")


def test_lora_adapter_is_merged(tmp_path, tiny_tokenizer):
    from peft import LoraConfig, get_peft_model

    base_dir = tmp_path / "base"
    _picochat(tiny_tokenizer).save_pretrained(base_dir)
    base = PicochatForCausalLM.from_pretrained(base_dir)  # records base_model_name_or_path in the adapter config
    peft_model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "fc1"]))
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:
                p.copy_(torch.randn(p.shape, generator=torch.Generator().manual_seed(1)) * 0.1)
    adapter = tmp_path / "adapter"
    peft_model.save_pretrained(adapter)
    tiny_tokenizer.save_pretrained(adapter)
    expected = _logits(peft_model.eval(), tiny_tokenizer)
    out = export_hf(adapter, tmp_path / "export", model_name="lora-merged")
    assert not (out / "adapter_config.json").exists()
    got = _logits(AutoModelForCausalLM.from_pretrained(out).eval(), tiny_tokenizer)
    assert torch.allclose(got, expected, atol=1e-5)
    assert not torch.allclose(got, _logits(PicochatForCausalLM.from_pretrained(base_dir).eval(), tiny_tokenizer), atol=1e-3)
    assert json.loads((out / "release_manifest.json").read_text())["merged_adapter"].startswith("adapter")


def test_foreign_remote_code_is_refused(tmp_path):
    folder = tmp_path / "foreign"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "mystery_lm", "architectures": ["MysteryForCausalLM"],
                                                     "auto_map": {"AutoConfig": "configuration_mystery.MysteryConfig",
                                                                  "AutoModelForCausalLM": "modeling_mystery.MysteryForCausalLM"}}))
    (folder / "configuration_mystery.py").write_text("raise SystemExit('remote code ran')\n")
    with pytest.raises(PicochatInputError, match="will not enable trust_remote_code"):
        export_hf(folder, tmp_path / "export", model_name="x")


class FakeApi:
    calls: list = []

    def __init__(self, token=None, **kwargs):
        FakeApi.calls.append(("init", {"token": token}))

    def create_repo(self, **kwargs):
        FakeApi.calls.append(("create_repo", kwargs))

    def upload_folder(self, **kwargs):
        FakeApi.calls.append(("upload_folder", kwargs))
        return type("Commit", (), {"commit_url": f"https://huggingface.co/{kwargs['repo_id']}/commit/abc"})()


def test_push_to_hub_plan_offline(tmp_path, tiny_tokenizer, passing_run, monkeypatch, capsys):
    FakeApi.calls = []
    monkeypatch.setattr(hub_module, "HfApi", FakeApi)
    secret = "hf_test_secret_token_123"
    monkeypatch.setenv("HF_TOKEN", secret)
    _, ckpt, _ = passing_run
    out = tmp_path / "export"
    rc = cli_main(["export", "hf", "--checkpoint", str(ckpt), "--out-dir", str(out), "--model-name", "pc", "--push-to-hub", "--repo-id", "me/pc"])
    assert rc == 0
    kinds = [c[0] for c in FakeApi.calls]
    assert kinds == ["init", "create_repo", "upload_folder"]
    assert FakeApi.calls[0][1]["token"] == secret
    assert FakeApi.calls[1][1] == {"repo_id": "me/pc", "repo_type": "model", "private": False, "exist_ok": True}
    assert FakeApi.calls[2][1]["folder_path"] == str(out) and "(release gate: warn)" in FakeApi.calls[2][1]["commit_message"]
    printed = capsys.readouterr().out
    assert secret not in printed and "me/pc" in printed
    for f in out.rglob("*"):
        if f.is_file():
            assert secret.encode() not in f.read_bytes()
    plan = hub_module.upload_plan(out, "me/pc")
    assert {f["path"] for f in plan["files"]} >= {"model.safetensors", "README.md", "release_manifest.json"}
    monkeypatch.delenv("HF_TOKEN")
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    with pytest.raises(PicochatInputError, match="no Hub token"):
        hub_module.push_to_hub(out, "me/pc")


def test_push_refuses_blocked_folder(tmp_path, tiny_tokenizer, monkeypatch):
    FakeApi.calls = []
    monkeypatch.setattr(hub_module, "HfApi", FakeApi)
    monkeypatch.setenv("HF_TOKEN", "hf_x")
    model = _picochat(tiny_tokenizer)
    ckpt = _checkpoint(tmp_path, model, tiny_tokenizer)
    run = RunDir(build_chain(tmp_path, n=ROWS_PER_SKILL, checkpoint=ckpt))
    edit_json(run.honesty_report, lambda h: (h.update(status="blocked"), h["counts"].update(eval_prompts_failing=1)))
    run_release_gate(run.root, "skill_release")
    out = export_hf(ckpt, tmp_path / "export", model_name="m", allow_blocked=True)
    with pytest.raises(PicochatInputError, match="blocked"):
        hub_module.push_to_hub(out, "me/m")
    assert FakeApi.calls == []
    hub_module.push_to_hub(out, "me/m", allow_blocked=True)
    assert [c[0] for c in FakeApi.calls] == ["init", "create_repo", "upload_folder"]


def test_cli_export_native(tmp_path, tiny_tokenizer, capsys):
    ckpt = _checkpoint(tmp_path, _picochat(tiny_tokenizer), tiny_tokenizer)
    out = tmp_path / "native"
    assert cli_main(["export", "native", "--checkpoint", str(ckpt), "--out-dir", str(out)]) == 0
    assert json.loads((out / "config.json").read_text())["model_type"] == "nanochat"
    assert cli_main(["export", "native", "--checkpoint", str(ckpt), "--out-dir", str(out)]) == 2  # no --force
    assert "already exists" in capsys.readouterr().err


def test_exported_folder_runs_without_picochat_hf(tmp_path, tiny_tokenizer, passing_run):
    from test_export_remote_code import _run_isolated

    _, ckpt, model = passing_run
    out = export_hf(ckpt, tmp_path / "export", model_name="iso")
    got = _run_isolated(
        f"""
        import json, sys, torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        model = AutoModelForCausalLM.from_pretrained({str(out)!r}, trust_remote_code=True).eval()
        tok = AutoTokenizer.from_pretrained({str(out)!r})
        ids = tok("Checks match evidence.", return_tensors="pt")["input_ids"]
        with torch.no_grad():
            logits = model(ids).logits
        open(sys.argv[1], "w").write(json.dumps({{"logits": logits[0, -1].tolist(), "module": type(model).__module__}}))
        """,
        tmp_path,
    )
    assert got["module"].startswith("transformers_modules.")
    assert torch.allclose(torch.tensor(got["logits"]), _logits(model, tiny_tokenizer)[0, -1], atol=1e-5)


def test_stale_verdict_is_refused_and_the_card_says_stale(tmp_path, passing_run, monkeypatch):
    run, ckpt, _ = passing_run
    edit_json(run / "eval" / "eval_report.json", lambda r: r["summary"]["by_skill"]["math"].update(pass_rate=1.0))  # after the gate
    with pytest.raises(PicochatInputError, match=r"is stale: eval/eval_report.json changed after the gate ran"):
        export_hf(ckpt, tmp_path / "export", model_name="m")
    out = export_hf(ckpt, tmp_path / "export", model_name="m", allow_blocked=True)
    card = ModelCard.load(out / "README.md")
    assert "**Release gate: STALE.**" in card.text and "exported with an explicit override" in card.text
    assert "release-gate-stale" in card.data.tags
    monkeypatch.setattr(hub_module, "HfApi", FakeApi)
    monkeypatch.setenv("HF_TOKEN", "hf_x")
    FakeApi.calls = []
    with pytest.raises(PicochatInputError, match="stale"):
        hub_module.push_to_hub(out, "me/m")
    assert FakeApi.calls == []


def test_push_rechecks_the_run_after_export(tmp_path, tiny_tokenizer, passing_run, monkeypatch):
    run, ckpt, _ = passing_run
    out = export_hf(ckpt, tmp_path / "export", model_name="m")
    edit_json(run / "honesty" / "honesty_report.json", lambda h: h.update(summary="edited"))
    monkeypatch.setattr(hub_module, "HfApi", FakeApi)
    monkeypatch.setenv("HF_TOKEN", "hf_x")
    FakeApi.calls = []
    with pytest.raises(PicochatInputError, match="honesty/honesty_report.json changed after the gate ran"):
        hub_module.push_to_hub(out, "me/m")
    assert FakeApi.calls == []


def test_card_keeps_small_numbers_and_writes_eval_results_for_hub_datasets(tmp_path, tiny_tokenizer):
    from huggingface_hub import parse_eval_result_entries

    model = _picochat(tiny_tokenizer)
    ckpt = _checkpoint(tmp_path, model, tiny_tokenizer)
    run = RunDir(build_chain(tmp_path, n=ROWS_PER_SKILL, checkpoint=ckpt))
    tokens = round(0.032 * model.num_parameters())  # 0.032 tokens per parameter of the model's own count
    edit_json(run.train_report("base"), lambda r: r.update(planned_tokens=tokens, real_tokens_seen=tokens))
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.4, "acc_norm,none": 0.38}}, "model_path": str(ckpt),
                                     "weights_sha256": weights_sha256(ckpt), "n-samples": {"arc_easy": {"effective": 50}},
                                     "configs": {"arc_easy": {"dataset_path": "allenai/ai2_arc"}}})
    run_release_gate(run.root, "research")
    out = export_hf(ckpt, tmp_path / "export", model_name="m")
    text = ModelCard.load(out / "README.md").text
    assert "| planned tokens per parameter | 0.032 |" in text and "| tokens per parameter trained on | 0.032 |" in text
    entries = parse_eval_result_entries(yaml.safe_load((out / ".eval_results" / "ai2_arc.yaml").read_text()))
    assert [(e.dataset_id, e.task_id, e.value) for e in entries] == [("allenai/ai2_arc", "arc_easy", 0.38)]
    assert check_export(out)["ok"]


def test_export_of_another_checkpoint_than_the_gate_judged_is_refused(tmp_path, tiny_tokenizer, passing_run):
    """`--run-dir` of an approved run does not make any checkpoint its release: the card would repeat a verdict
    and numbers about other weights (or another tokenizer), whatever --allow-blocked says."""
    run, ckpt, _ = passing_run
    other = _checkpoint(tmp_path / "o", _picochat(tiny_tokenizer, seed=11), tiny_tokenizer, name="other")
    with pytest.raises(PicochatInputError, match="judged weights .*the card would repeat a verdict about another model"):
        export_hf(other, tmp_path / "export", model_name="x", run_dir=run, allow_blocked=True)
    assert not (tmp_path / "export").exists()
    (ckpt / "tokenizer.json").write_text((ckpt / "tokenizer.json").read_text().replace('"<|bos|>"', '"<|BOS|>"', 1))
    with pytest.raises(PicochatInputError, match="would ship the tokenizer in .* but the release gate of .* judged tokenizer"):
        export_hf(ckpt, tmp_path / "export", model_name="x", run_dir=run, allow_blocked=True)


def test_push_refuses_a_folder_whose_weights_were_swapped_with_its_manifest(tmp_path, tiny_tokenizer, passing_run, monkeypatch):
    """Weights replaced after export, the manifest's file table and hashes rewritten to match (so the folder checks
    out against its manifest): the run's gate judged other weights, and push says so."""
    run, ckpt, _ = passing_run
    out = export_hf(ckpt, tmp_path / "export", model_name="m")
    monkeypatch.setattr(hub_module, "HfApi", FakeApi)
    monkeypatch.setenv("HF_TOKEN", "hf_x")
    assert hub_module.publishable(out) == (True, "")
    _picochat(tiny_tokenizer, seed=11).save_pretrained(out)
    manifest = json.loads((out / "release_manifest.json").read_text())
    for f in manifest["files"]:
        f["sha256"] = sha256_file(out / f["path"])
    manifest["weights_sha256"] = weights_sha256(out)
    (out / "release_manifest.json").write_text(json.dumps(manifest))
    assert check_export(out)["ok"]
    FakeApi.calls = []
    with pytest.raises(PicochatInputError, match=r"weights are not the ones the release gate judged \(.*\): its tensor .* differs"):
        hub_module.push_to_hub(out, "me/m")
    assert FakeApi.calls == []


def test_card_and_gate_report_say_what_the_verdict_cannot_check(tmp_path, tiny_tokenizer, passing_run):
    """A run directory rewritten consistently throughout cannot be caught from its files: the gate report and the
    card say where a verdict rests on the run's own records, worded from the verdict's settings (an edited list in
    gates/release.json does not drop a limit from the card)."""
    run, ckpt, _ = passing_run
    md = (run / "gates" / "release.md").read_text()
    assert "## What this verdict cannot check" in md and "rewritten consistently throughout" in md
    assert "No recorded reply was re-run on the released checkpoint" in md and "not re-run (--rescan)" in md
    release = json.loads((run / "gates" / "release.json").read_text())
    assert any("cannot be told from a real run" in why for why in release["unverified"])
    edit_json(run / "gates" / "release.json", lambda r: r.update(unverified=[]))
    out = export_hf(ckpt, tmp_path / "export", model_name="m")
    text = ModelCard.load(out / "README.md").text
    assert "The verdict rests partly on the run's own records" in text and "### What this verdict cannot check" in text
    assert "(reports, rows and hashes together) cannot be told from a real run by its files alone" in text
    assert "No recorded reply was re-run on the released checkpoint" in text


def test_card_divides_the_budget_by_the_models_own_parameter_count(tmp_path, tiny_tokenizer):
    """A base report whose parameter count was edited down (tokens per parameter looks 4x better): the gate blocks,
    and the card of an overridden export divides by the exported model's count and shows the report's apart."""
    model = _picochat(tiny_tokenizer)
    ckpt = _checkpoint(tmp_path, model, tiny_tokenizer)
    run = RunDir(build_chain(tmp_path, n=ROWS_PER_SKILL, checkpoint=ckpt))
    n = model.num_parameters()
    edit_json(run.train_report("base"), lambda r: r.update(num_parameters=n // 4, planned_tokens=n, real_tokens_seen=n))
    result = run_release_gate(run.root, "research")
    assert check_named(result, "released_parameters")["status"] == "warn"
    out = export_hf(ckpt, tmp_path / "export", model_name="m", allow_blocked=True)
    text = ModelCard.load(out / "README.md").text
    assert "| tokens per parameter trained on | 1 |" in text and "| planned tokens per parameter | 1 |" in text
    assert "| tokens per parameter trained on | 4 |" not in text
    assert f"| parameters the base report records (not the model's) | {n // 4:,} |" in text


def test_force_replaces_an_export_alone_and_refuses_a_users_file_beside_it(tmp_path, tiny_tokenizer, passing_run, capsys):
    """Every file `export hf` and `export native` write is their own (`output_folders.yaml`): --force replaces the
    export; a file the user added beside it is refused by name (the replace deleted it), the folder unchanged."""
    from fnmatch import fnmatchcase

    from picochat_hf.utils.output_folders import output_folder_spec

    _, ckpt, _ = passing_run
    for kind, extra in (("hf", ["--model-name", "m"]), ("native", [])):
        out = tmp_path / kind
        argv = ["export", kind, "--checkpoint", str(ckpt), "--out-dir", str(out), *extra]
        assert cli_main(argv) == 0
        own = output_folder_spec()["whole"][f"export {kind}"]["files"]
        assert all(any(fnmatchcase(p.name, g) for g in own) for p in out.iterdir()), sorted(p.name for p in out.iterdir())
        assert cli_main([*argv, "--force"]) == 0
        (out / "my_eval_notes.md").write_text("mine\n")
        capsys.readouterr()
        assert cli_main([*argv, "--force"]) == 2
        err = capsys.readouterr().err
        assert "my_eval_notes.md" in err and "did not write" in err and (out / "my_eval_notes.md").read_text() == "mine\n"
