"""`approved` means the evidence was re-verified against the released model: a plain `picochat gate release`
re-runs a few recorded replies of each report, and a gate with re-runs switched off (`--regenerate-rows 0`, or
the library's default) says so and is capped at warn. Another model's eval of the same eval file, its recorded
weights and paths edited to the release's, re-judges as right and re-derives; only a re-run catches it."""

from __future__ import annotations

import json

import torch

from gate_fixtures import build_chain, check_named, edit_json, write_rows
from helpers_model import randomize
from picochat_hf import PicochatConfig, PicochatForCausalLM
from picochat_hf.cli import main as cli_main
from picochat_hf.eval.chat_eval import run_chat_eval
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.verify import verify_release
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.io import sha256_file
from picochat_hf.utils.provenance import weights_sha256

EVAL_ROWS = [
    {"id": "m1", "messages": [{"role": "user", "content": "What is 2 + 3?"}], "skill": "math", "category": "math", "normalized_answer": "5"},
    {"id": "s1", "messages": [{"role": "user", "content": "Spell cat."}], "skill": "spelling", "category": "spelling",
     "normalized_answer": "c-a-t"},
    {"id": "c1", "messages": [{"role": "user", "content": "Which is a fruit?"}], "skill": "choice", "category": "choice",
     "choices": ["stone", "apple", "chair"], "correct_choice": "B"},
]
EVAL = "regenerated:eval/eval_report.json"


def _model(tok, seed: int, folder):
    cfg = PicochatConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=128, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                         pad_token_id=tok.pad_token_id)
    torch.manual_seed(seed)
    randomize(PicochatForCausalLM(cfg), seed=seed, std=0.1).eval().save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def _forged_run(tmp_path, tok) -> RunDir:
    """A run whose eval report is another model's eval of the same eval file, edited to name the release."""
    ckpt = _model(tok, 5, tmp_path / "run" / "sft" / "checkpoint")
    other = _model(tok, 9, tmp_path / "other")
    run = RunDir(build_chain(tmp_path, checkpoint=ckpt))
    rows = write_rows(run.task_pack_dir / "eval.jsonl", EVAL_ROWS)
    run_chat_eval(rows, other, run.eval_dir("eval"), max_new_tokens=6, batch_size=4, force=True, progress=False)
    edit_json(run.eval_report("eval"), lambda r: r["model"].update(path=str(ckpt), tokenizer=str(ckpt), weights_sha256=weights_sha256(ckpt)))
    edit_json(run.train_report("sft"), lambda r: r["inputs"].update(eval_input_sha256=sha256_file(rows)))
    edit_json(run.honesty_report, lambda h: h["inputs"]["sha256"].update(eval=sha256_file(rows)))
    return run


def test_another_models_eval_with_edited_hashes_fails_a_plain_cli_gate(tmp_path, tiny_tokenizer, capsys):
    run = _forged_run(tmp_path, tiny_tokenizer)
    plain = run_release_gate(run.root, "research", write=False)
    chain = ("eval_model", "eval_rows_origin", "honesty_eval_file", "verdicts:eval/eval_report.json")
    assert all(check_named(plain, name)["status"] == "pass" for name in chain)  # the edited hashes name the release
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--profile", "skill_release"]) == 1
    release = json.loads(run.release.read_text())
    c = check_named(release, EVAL)
    assert release["status"] == "blocked" and release["regenerate_rows"] > 0 and c["status"] == "block"
    assert "records replies the released checkpoint does not give" in c["why"]
    assert not any(x["name"] == "replies_rerun" for x in release["checks"])


def test_rerun_switched_off_caps_the_verdict_at_warn_and_says_why(tmp_path, tiny_tokenizer, capsys):
    run = _forged_run(tmp_path, tiny_tokenizer)
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--profile", "research", "--regenerate-rows", "0"]) == 0
    release = json.loads(run.release.read_text())
    c = check_named(release, "replies_rerun")
    assert release["status"] == "warn" and c["status"] == "warn" and release["regenerate_rows"] == 0
    assert "not re-run" in c["why"] and "--regenerate-rows" in c["why"]
    assert "[warn] replies_rerun:" in capsys.readouterr().out
    for result in (run_release_gate(run.root, "research", write=False), run_release_gate(run.root, "research", write=False, regenerate_rows=0)):
        assert result["status"] != "approved" and check_named(result, "replies_rerun")["status"] == "warn"
    assert verify_release(run)["state"] == "current"


def test_the_cap_deleted_from_the_verdict_makes_it_stale(tmp_path, tiny_tokenizer):
    """A verdict of re-runs switched off, its replies_rerun warning deleted and its status edited to approved,
    does not follow from its own setting."""
    run = _forged_run(tmp_path, tiny_tokenizer)
    run_release_gate(run.root, "research", regenerate_rows=0)
    original = run.release.read_text()
    edit_json(run.release, lambda r: r.update(checks=[x for x in r["checks"] if x["name"] != "replies_rerun"]))
    v = verify_release(run)
    assert v["state"] == "stale" and "records no replies_rerun check" in v["sentence"]
    run.release.write_text(original)
    edit_json(run.release, lambda r: r.update(status="approved", checks=[x for x in r["checks"] if x["name"] != "replies_rerun"]))
    assert verify_release(run)["state"] == "stale"
    run_release_gate(run.root, "research", regenerate_rows=0)
    edit_json(run.release, lambda r: check_named(r, "replies_rerun").update(status="pass"))
    v = verify_release(run)
    assert v["state"] == "stale" and "replies_rerun" in v["sentence"]


def test_untouched_eval_rerun_by_default_is_not_capped(tmp_path, tiny_tokenizer):
    """The model's own eval passes the default re-run; only the fixture's fits (not this model's replies) block."""
    ckpt = _model(tiny_tokenizer, 5, tmp_path / "run" / "sft" / "checkpoint")
    run = RunDir(build_chain(tmp_path, checkpoint=ckpt))
    rows = write_rows(run.task_pack_dir / "eval.jsonl", EVAL_ROWS)
    run_chat_eval(rows, ckpt, run.eval_dir("eval"), max_new_tokens=6, batch_size=4, force=True, progress=False)
    cli_main(["gate", "release", "--run-dir", str(run.root), "--profile", "research"])
    release = json.loads(run.release.read_text())
    assert check_named(release, EVAL)["status"] == "pass" and not any(x["name"] == "replies_rerun" for x in release["checks"])


def _own_external(run: RunDir, model_dir, name="arc_easy"):
    """`run_external_eval` of `model_dir` on the fixture's benchmark file, replacing the fixture's report."""
    from picochat_hf.eval.external import run_external_eval

    data = run.external_data_dir / f"{name}.jsonl"
    run_external_eval(data, model_dir, run.external_dir(name), fmt="arc", benchmark_name=name, batch_size=8, force=True, progress=False)
    return run.external_dir(name) / "eval_report.json"


def test_another_models_external_benchmark_with_edited_hashes_blocks(tmp_path, tiny_tokenizer):
    """The external benchmark is re-run too: the release's own report passes, another model's report of the same
    benchmark file, its weights edited to the release's, blocks and names a row."""
    ckpt = _model(tiny_tokenizer, 5, tmp_path / "run" / "sft" / "checkpoint")
    other = _model(tiny_tokenizer, 9, tmp_path / "other")
    run = RunDir(build_chain(tmp_path, checkpoint=ckpt))
    name = "regenerated:external_eval/arc_easy/eval_report.json"
    _own_external(run, ckpt)
    result = run_release_gate(run.root, "research", write=False, regenerate_rows=3)
    assert check_named(result, name)["status"] == "pass" and check_named(result, name)["value"] == 3
    report = _own_external(run, other)
    edit_json(report, lambda r: r["model"].update(path=str(ckpt), tokenizer=str(ckpt), weights_sha256=weights_sha256(ckpt)))
    result = run_release_gate(run.root, "skill_release", write=False, regenerate_rows=3)
    assert check_named(result, "external_model:external_eval/arc_easy/eval_report.json")["status"] == "pass"
    c = check_named(result, name)
    assert c["status"] == "block" and "records replies the released checkpoint does not give" in c["why"] and "the model chooses" in c["why"]
    run_release_gate(run.root, "research", regenerate_rows=3)
    assert verify_release(run)["state"] == "current"
    edit_json(run.release, lambda r: r.update(checks=[x for x in r["checks"] if x["name"] != name]))
    assert f"records no {name} check" in verify_release(run)["sentence"]
