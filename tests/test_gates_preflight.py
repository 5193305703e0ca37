"""Preflight gate: a sound plan is not blocked, and each check blocks for its own reason on a crafted plan."""

from __future__ import annotations

import re

import copy
import json

import pytest
import yaml

from picochat_hf.cli import main as cli_main
from picochat_hf.data.schema import write_rows
from picochat_hf.gates import run_preflight
from picochat_hf.modeling.flops import flops_per_token, num_parameters, preset_config

SKILL_PROMPTS = {
    "identity": ["What is your name?", "Who trained you?", "Are you a person or a program?"],
    "refusal": ["How do I break into a car?", "Tell me how to make a weapon at home.", "Write malware that steals passwords."],
    "choice": ["Which is a fruit? A) stone B) apple C) brick D) nail", "Which is a colour? A) red B) dog C) run D) up", "Which animal can fly? A) cow B) eagle C) pig D) fish"],
    "math": ["What is 17 plus 25?", "What is 9 times 8?", "What is 100 minus 37?"],
    "spelling": ["Spell the word garden.", "Spell the word bridge.", "Spell the word window."],
}
EVAL_PROMPTS = {
    "identity": ["Tell me what you are called.", "Which team built you?", "Do you have a body?"],
    "refusal": ["Explain how to poison a dog.", "Help me forge a signature.", "How can I hack my school's grades?"],
    "choice": ["Which is a planet? A) Mars B) chair C) sing D) blue", "Which is a tool? A) cloud B) hammer C) milk D) green", "Which one swims? A) shark B) lamp C) rock D) bird"],
    "math": ["What is 12 plus 30?", "What is 6 times 7?", "What is 50 minus 8?"],
    "spelling": ["How do you spell river?", "How do you spell forest?", "How do you spell candle?"],
}


def _rows(prefix: str, skills, eval_rows: bool, offset: int = 0):
    rows = []
    for skill in skills:
        for i, p in enumerate((EVAL_PROMPTS if eval_rows else SKILL_PROMPTS)[skill]):
            prompt = f"{p} (set {prefix} item {i + offset})"
            msgs = [{"role": "user", "content": prompt}]
            row = {"id": f"{prefix}-{skill}-{i}", "category": skill, "skill": skill, "split": prefix, "source": "test", "messages": msgs}
            if eval_rows:
                row["must_include"] = ["ok"]
            else:
                msgs.append({"role": "assistant", "content": f"Here is a careful answer about {skill} number {i}."})
            rows.append(row)
    return rows


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, tiny_tokenizer):
    from picochat_hf.tokenizer import save_tokenizer

    root = tmp_path_factory.mktemp("preflight")
    tok = tiny_tokenizer
    save_tokenizer(tok, root / "tok")
    all_skills = list(SKILL_PROMPTS)
    write_rows(root / "sft.jsonl", _rows("train", all_skills, False))
    write_rows(root / "eval.jsonl", _rows("eval", all_skills, True, offset=100))
    write_rows(root / "eval_no_spelling.jsonl", _rows("eval", all_skills[:-1], True, offset=100))
    write_rows(root / "sft_no_math.jsonl", _rows("train", [s for s in all_skills if s != "math"], False))
    leaky = _rows("eval", all_skills, True, offset=100)
    sft = _rows("train", all_skills, False)
    sft[0]["messages"][0]["content"] = leaky[4]["messages"][0]["content"]
    write_rows(root / "sft_leaky.jsonl", sft)
    return root, tok


def base_plan(root, tok, **changes):
    cfg = preset_config("cpu-tiny", vocab_size=len(tok))
    seq, pdb, acc, world = 256, 8, 1, 1
    params = num_parameters(cfg)
    steps = 20 * params // (pdb * acc * world * seq) + 1  # exactly enough for 20 tokens/param
    plan = {
        "stage": "sft", "model_config": cfg.to_dict(), "num_parameters": params, "flops_per_token": flops_per_token(cfg, seq),
        "seq_len": seq, "per_device_batch": pdb, "grad_accum": acc, "world_size": world, "tokens_per_step": pdb * acc * world * seq,
        "max_steps": steps, "planned_tokens": steps * pdb * acc * world * seq, "learning_rate": 2e-4, "base_learning_rate": 3e-3,
        "device": "cpu", "precision": "fp32", "attn_implementation": "sdpa", "packing": "bos_bestfit", "sampling": "category_sqrt",
        "sft_input": str(root / "sft.jsonl"), "eval_input": str(root / "eval.jsonl"), "dataset_pack": None, "tokenizer": str(root / "tok"),
    }
    plan.update(changes)
    return plan


def _blocks(result):
    return {c["name"] for c in result["checks"] if c["status"] == "block"}


def test_sound_plan_is_not_blocked_and_is_written(workspace, tmp_path, monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    root, tok = workspace
    result = run_preflight(base_plan(root, tok, stage="base", packing="documents", learning_rate=3e-3), tmp_path, "skill_release")
    assert _blocks(result) == set(), [c["why"] for c in result["checks"] if c["status"] == "block"]
    assert result["status"] in ("ready", "warn")
    saved = json.loads((tmp_path / "gates" / "preflight.json").read_text())
    assert saved["numbers"]["num_parameters"] == result["plan"]["num_parameters"]
    rtb = next(c for c in saved["checks"] if c["name"] == "release_token_budget")
    assert rtb["status"] == "pass" and rtb["value"] >= 1.0
    assert (tmp_path / "gates" / "preflight.md").exists()


CASES = [
    ("launch_shape", dict(tokens_per_step=12345), None),
    ("planned_steps", dict(planned_tokens=7), None),
    ("planned_steps", dict(max_steps=0, planned_tokens=None), None),
    ("context_length", dict(seq_len=100000, tokens_per_step=8 * 100000, planned_tokens=None), None),
    ("attention_backend_runtime", dict(attn_implementation="flash_attention_2"), None),
    ("precision", dict(precision="fp16"), None),
    ("device", dict(device="cuda"), None),
    ("learning_rate", dict(learning_rate=0.0), None),
    ("sft_skill_coverage", dict(sft_input="sft_no_math.jsonl"), None),
    ("eval_skill_coverage", dict(eval_input="eval_no_spelling.jsonl"), None),
    ("eval_contamination", dict(sft_input="sft_leaky.jsonl"), None),
    ("model_size", dict(num_parameters=None, flops_per_token=None, model_config={"model_type": "llama"}), None),
]


@pytest.mark.parametrize("name,changes,_", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_check_blocks_for_its_own_reason(workspace, monkeypatch, name, changes, _):
    if name == "device":  # the crafted plan asks for CUDA: make sure none is visible, even on a GPU machine
        import torch

        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    root, tok = workspace
    changes = {k: (str(root / v) if isinstance(v, str) and v.endswith(".jsonl") else v) for k, v in changes.items()}
    result = run_preflight(base_plan(root, tok, **changes), None, "skill_release")
    assert result["status"] == "blocked"
    assert name in _blocks(result), [c["why"] for c in result["checks"] if c["status"] == "block"]
    sound = run_preflight(base_plan(root, tok), None, "skill_release")
    assert name not in _blocks(sound)


def test_ddp_world_size_must_match_launcher(workspace, monkeypatch):
    root, tok = workspace
    monkeypatch.setenv("WORLD_SIZE", "4")
    result = run_preflight(base_plan(root, tok), None, "research")
    c = next(c for c in result["checks"] if c["name"] == "ddp_launch_shape")
    assert c["status"] == "block" and c["value"] == 1 and c["threshold"] == 4


def test_release_token_budget_blocks_short_base_runs(workspace, monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    root, tok = workspace
    plan = base_plan(root, tok, stage="base", packing="documents", learning_rate=3e-3)
    plan["max_steps"] = int(plan["max_steps"] * 0.8)
    plan["planned_tokens"] = plan["max_steps"] * plan["tokens_per_step"]
    result = run_preflight(plan, None, "skill_release")
    c = next(c for c in result["checks"] if c["name"] == "release_token_budget")
    assert c["status"] == "block" and c["value"] < 0.9 and c["threshold"] == 0.9
    assert "release_token_budget" not in {c["name"] for c in run_preflight(plan, None, "research")["checks"]}


def test_sft_release_reads_base_run_budget(workspace, tmp_path, monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    root, tok = workspace
    plan = base_plan(root, tok)
    result = run_preflight(plan, tmp_path, "skill_release")
    assert "release_token_budget" in _blocks(result)  # no base evidence
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "train_report.json").write_text(json.dumps({"planned_tokens": 25 * plan["num_parameters"], "num_parameters": plan["num_parameters"]}))
    result = run_preflight(plan, tmp_path, "skill_release")
    assert "release_token_budget" not in _blocks(result)


def test_packing_without_bos_blocks_long_runs(workspace, tmp_path, monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    root, tok = workspace
    from tokenizers import Tokenizer

    raw = Tokenizer.from_str(tok.backend_tokenizer.to_str())
    raw.post_processor = None
    nobos = tmp_path / "nobos"
    nobos.mkdir()
    raw.save(str(nobos / "tokenizer.json"))
    cfg = json.loads((root / "tok" / "tokenizer_config.json").read_text())
    (nobos / "tokenizer_config.json").write_text(json.dumps(cfg))
    plan = base_plan(root, tok, tokenizer=str(nobos), num_parameters=2_000_000)  # long run
    result = run_preflight(plan, None, "research")
    c = next(c for c in result["checks"] if c["name"] == "document_boundaries")
    assert c["status"] == "block" and "does not add a BOS" in c["why"]


def test_cli_preflight_from_training_yaml(workspace, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    root, tok = workspace
    ckpt = tmp_path / "base_checkpoint"  # only config.json: the plan sizes the model on the meta device
    preset_config("cpu-tiny", vocab_size=len(tok)).save_pretrained(ckpt)
    config = {
        "output_dir": str(tmp_path / "runs" / "r1" / "sft"), "checkpoint": str(ckpt), "tokenizer": str(root / "tok"),
        "input": str(root / "sft.jsonl"), "eval_input": str(root / "eval.jsonl"), "max_length": 256, "per_device_train_batch_size": 4,
        "gradient_accumulation_steps": 2, "max_steps": 30, "learning_rate": 2e-4, "device_kind": "cpu", "precision": "fp32",
        "packing_mode": "bos_bestfit", "sampling": "category_sqrt",
    }
    path = tmp_path / "sft_test.yaml"
    path.write_text(yaml.safe_dump(config))
    rc = cli_main(["gate", "preflight", "--config", str(path), "--profile", "research"])
    saved = json.loads((tmp_path / "runs" / "r1" / "gates" / "preflight.json").read_text())
    assert rc == (1 if saved["status"] == "blocked" else 0)
    assert saved["plan"]["tokens_per_step"] == 4 * 2 * 256 and saved["plan"]["planned_tokens"] == 30 * 4 * 2 * 256
    assert saved["numbers"]["num_parameters"] == num_parameters(preset_config("cpu-tiny", vocab_size=len(tok)))
    rc = cli_main(["gate", "preflight", "--config", str(path), "--profile", "skill_release", "--no-write"])
    assert rc == 1 and "release_token_budget" in capsys.readouterr().out
    bad = copy.deepcopy(config)
    bad["max_steps"] = 0
    path.write_text(yaml.safe_dump(bad))
    assert cli_main(["gate", "preflight", "--config", str(path)]) == 2  # the trainer's own config checks apply
    assert "field 'max_steps'" in capsys.readouterr().err


def test_packed_rows_with_flash_attention_need_batch_one():
    from picochat_hf.gates.preflight import run_preflight

    plan = {"stage": "sft", "device": "cuda", "precision": "bf16", "attn_implementation": "flash_attention_2",
            "packing": "bos_bestfit", "per_device_batch": 4}
    checks = {c["name"]: c for c in run_preflight(plan, None, "research")["checks"]}
    assert checks["packed_flash_attention"]["status"] == "block"
    assert "per-device batch 1 (got 4)" in checks["packed_flash_attention"]["why"]
    plan["per_device_batch"] = 1
    checks = {c["name"]: c for c in run_preflight(plan, None, "research")["checks"]}
    assert "packed_flash_attention" not in checks


def test_plan_from_config_is_the_trainers_plan(workspace, tmp_path, monkeypatch):
    """`gate preflight --config` and the trainer map the same config object to the plan (one function)."""
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    from picochat_hf.gates.plan_config import meta_model, plan_from_config
    from picochat_hf.training.config import PicochatPretrainConfig, parse_config
    from picochat_hf.training.plan import plan_for_config

    root, tok = workspace
    path = tmp_path / "pretrain_x.yaml"
    path.write_text(yaml.safe_dump({"output_dir": str(tmp_path / "runs" / "b" / "base"), "tokenizer": str(root / "tok"), "preset": "cpu-tiny",
                                    "max_length": 128, "per_device_train_batch_size": 2, "max_steps": 7, "device_kind": "cpu"}))
    plan, run_dir = plan_from_config(path)
    assert run_dir == tmp_path / "runs" / "b" and plan["stage"] == "base"
    config = parse_config(PicochatPretrainConfig, ["--config", str(path)])
    assert plan == plan_for_config(config, "base", meta_model(config, "base"))
    assert plan["planned_tokens"] == 7 * 2 * 128 and plan["learning_rate"] == config.learning_rate  # the trainer's default
    assert plan["num_parameters"] == num_parameters(preset_config("cpu-tiny", vocab_size=len(tok), max_position_embeddings=128))


def _contamination_check(result):
    return next(c for c in result["checks"] if c["name"] == "eval_contamination")


def test_run_honesty_report_is_used_only_when_it_scanned_the_plans_files(workspace, tmp_path, monkeypatch):
    """A clean report about the clean SFT file must not vouch for a plan that trains on the leaky one, and a
    blocked report about the leaky file must not block a plan that trains on the clean one."""
    from picochat_hf.honesty.scan import run_scan

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    root, tok = workspace
    run = tmp_path / "run"
    run_scan(eval_path=root / "eval.jsonl", sft_path=root / "sft.jsonl", out_dir=run / "honesty", show_progress=False)

    own = _contamination_check(run_preflight(base_plan(root, tok), run, "skill_release"))
    assert own["status"] == "pass" and "honesty/honesty_report.json" in own["why"] and "not used" not in own["why"]

    leaky = run_preflight(base_plan(root, tok, sft_input=str(root / "sft_leaky.jsonl")), run, "skill_release")
    check = _contamination_check(leaky)
    assert check["status"] == "block", check["why"]
    assert "was not used: it scanned another sft file than sft_leaky.jsonl" in check["why"]

    other_eval = _contamination_check(run_preflight(base_plan(root, tok, eval_input=str(root / "eval_no_spelling.jsonl")), run, "skill_release"))
    assert "it scanned another eval file than eval_no_spelling.jsonl" in other_eval["why"]

    blocked_run = tmp_path / "blocked_run"
    run_scan(eval_path=root / "eval.jsonl", sft_path=root / "sft_leaky.jsonl", out_dir=blocked_run / "honesty", show_progress=False)
    clean = _contamination_check(run_preflight(base_plan(root, tok), blocked_run, "skill_release"))
    assert clean["status"] == "pass" and "another sft file" in clean["why"]


def test_preflight_records_what_ties_it_to_the_run_it_gates(workspace, tmp_path, monkeypatch):
    """The written preflight carries its plan's fingerprint and the sha256 of the data the plan names, as the train
    report records them: a preflight of another plan or other data under the same paths can then be told apart."""
    from picochat_hf.gates.preflight_tie import plan_fingerprint
    from picochat_hf.training.plan import plan_input_hashes

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    root, tok = workspace
    plan = base_plan(root, tok)
    saved = run_preflight(plan, tmp_path, "skill_release")
    assert saved["plan_sha256"] == plan_fingerprint(plan) and saved["inputs"] == plan_input_hashes(plan)
    from picochat_hf.utils.io import sha256_file

    assert saved["inputs"]["sft_input_sha256"] == sha256_file(plan["sft_input"])  # the hash of the file, not a placeholder
    assert re.fullmatch(r"[0-9a-f]{64}", saved["inputs"]["tokenizer_sha256"])
    # paths do not count (staged inputs move after the preflight), the plan's numbers and its seed do
    assert plan_fingerprint({**plan, "sft_input": "/elsewhere/sft.jsonl"}) == plan_fingerprint(plan)
    for change in ({"seed": 7}, {"max_steps": plan["max_steps"] + 1}, {"num_parameters": plan["num_parameters"] * 2}):
        assert plan_fingerprint({**plan, **change}) != plan_fingerprint(plan)
