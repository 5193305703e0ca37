"""lm-eval bridge: offline runs through the shipped YAMLs, agreement with our answer-text scoring, and the
recorded command on an exported picochat folder in a process where picochat_hf cannot be imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from picochat_hf.eval.external import run_external_eval, write_demo_arc_file
from picochat_hf.eval.lm_harness import run_lm_harness

from eval_fixtures import llama_model, save_checkpoint
from helpers_model import randomize, tiny_model


@pytest.fixture(scope="module")
def llama_dir(tiny_tokenizer, tmp_path_factory):
    return save_checkpoint(llama_model(tiny_tokenizer, seed=7), tiny_tokenizer, tmp_path_factory.mktemp("llama"))


@pytest.fixture(scope="module")
def demo_arc(tmp_path_factory):
    return write_demo_arc_file(tmp_path_factory.mktemp("data") / "arc.jsonl")


def test_dry_run_records_the_exact_command(llama_dir, tmp_path):
    rec = run_lm_harness(llama_dir, "picochat_arc_demo,picochat_mmlu_local", tmp_path / "lm", device="cpu", batch_size="auto",
                         model_args=["dtype=bfloat16"], metadata={"mmlu_file": "data/mmlu.jsonl"}, dry_run=True)  # fmt: skip
    on_disk = json.loads((tmp_path / "lm" / "lm_eval_command.json").read_text())
    assert on_disk["command"] == rec["command"] and on_disk["dry_run"] is True
    cmd = rec["command"]
    assert cmd[:4] == ["lm_eval", "run", "--model", "hf"]
    assert cmd[cmd.index("--model_args") + 1] == f"pretrained={llama_dir.resolve()},trust_remote_code=False,dtype=bfloat16"  # no code in the folder
    assert cmd[cmd.index("--tasks") + 1] == "picochat_arc_demo,picochat_mmlu_local"
    assert cmd[cmd.index("--batch_size") + 1] == "auto" and cmd[cmd.index("--device") + 1] == "cpu"
    meta_file = json.loads(cmd[cmd.index("--metadata") + 1])["mmlu_file"]
    assert os.path.isabs(meta_file) and meta_file.endswith("data/mmlu.jsonl")  # resolved: the command runs from any cwd
    assert on_disk["lm_eval_version"] and on_disk["model_args"]["dtype"] == "bfloat16"
    assert (tmp_path / "lm" / "tasks" / "picochat" / "picochat_arc_demo.yaml").exists()
    assert not (tmp_path / "lm" / "lm_eval_results.json").exists()


def test_lm_eval_runs_offline_and_agrees_with_our_answer_text_scoring(llama_dir, demo_arc, tmp_path):
    rec = run_lm_harness(llama_dir, ["picochat_arc_demo"], tmp_path / "lm", batch_size=4, model_args={"dtype": "float32"}, log_samples=True)
    stored = json.loads((tmp_path / "lm" / "lm_eval_results.json").read_text())
    theirs = stored["scores"]["picochat_arc_demo"]
    assert rec["results"]["n-samples"]["picochat_arc_demo"]["effective"] == 30 and "--log_samples" in rec["command"]

    ours = run_external_eval(demo_arc, llama_dir, tmp_path / "ext", fmt="arc", batch_size=5, progress=False)["external"]
    assert ours["acc"] == theirs["acc"] and ours["acc_norm"] == theirs["acc_norm"]

    # Row by row: lm-eval's per-choice log-likelihoods and verdicts equal ours.
    by_id = {json.loads(x)["id"]: json.loads(x) for x in (tmp_path / "ext" / "results.jsonl").read_text().splitlines()}
    samples = [json.loads(x) for x in (tmp_path / "lm" / "lm_eval_samples.jsonl").read_text().splitlines()]
    assert len(samples) == 30
    for s in samples:
        mine = by_id[s["doc"]["id"]]["answer_text"]
        assert mine["loglikelihoods"] == pytest.approx([float(r[0]) for r in s["resps"]], abs=1e-4)
        assert (mine["acc"], mine["acc_norm"]) == (s["acc"], s["acc_norm"])


def test_recorded_command_runs_on_an_export_without_picochat_hf(tiny_tokenizer, demo_arc, tmp_path):
    model = randomize(tiny_model(seed=4, vocab_size=len(tiny_tokenizer), max_position_embeddings=512,
                                 bos_token_id=tiny_tokenizer.bos_token_id, eos_token_id=tiny_tokenizer.eos_token_id,
                                 pad_token_id=tiny_tokenizer.pad_token_id), seed=4, std=0.1)  # fmt: skip
    export = save_checkpoint(model, tiny_tokenizer, tmp_path / "export")
    assert (export / "modeling_picochat.py").exists()
    assert json.loads((export / "config.json").read_text())["auto_map"]["AutoModelForCausalLM"] == "modeling_picochat.PicochatForCausalLM"

    kw = {"batch_size": 4, "limit": 12, "metadata": {"arc_file": str(demo_arc)}}
    inproc = run_lm_harness(export, "picochat_arc_local", tmp_path / "lm", **kw)
    dry = run_lm_harness(export, "picochat_arc_local", tmp_path / "lm_dry", dry_run=True, **kw)
    script = tmp_path / "run_isolated.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.modules["picochat_hf"] = None  # picochat_hf cannot be imported: only the export's own code serves the model
        sys.argv = {dry["command"]!r}
        from lm_eval.__main__ import cli_evaluate
        cli_evaluate()
    """))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf_home"), "TOKENIZERS_PARALLELISM": "false"}  # fmt: skip
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    files = list((tmp_path / "lm_dry" / "lm_eval_output").rglob("results_*.json"))
    assert len(files) == 1
    isolated = json.loads(files[0].read_text())["results"]["picochat_arc_local"]
    assert isolated["acc,none"] == inproc["results"]["scores"]["picochat_arc_local"]["acc"]
    assert isolated["acc_norm,none"] == inproc["results"]["scores"]["picochat_arc_local"]["acc_norm"]


def test_results_record_the_task_data_they_scored(llama_dir, demo_arc, tmp_path):
    """`task_hashes` (lm-eval's hash over each sample's document, prompt and target) tells two files under one
    task name apart, with no samples file written unless asked."""
    other = tmp_path / "other.jsonl"
    rows = [json.loads(x) for x in demo_arc.read_text().splitlines()]
    rows[0]["question"] = rows[0]["question"] + " (reworded)"
    other.write_text("".join(json.dumps(r) + "\n" for r in rows))
    kw = {"batch_size": 4, "limit": 4}
    first = run_lm_harness(llama_dir, "picochat_arc_local", tmp_path / "a", metadata={"arc_file": str(demo_arc)}, **kw)
    second = run_lm_harness(llama_dir, "picochat_arc_local", tmp_path / "b", metadata={"arc_file": str(other)}, **kw)
    stored = json.loads((tmp_path / "a" / "lm_eval_results.json").read_text())["task_hashes"]
    assert stored == first["results"]["task_hashes"] and len(stored["picochat_arc_local"]) == 64
    assert second["results"]["task_hashes"]["picochat_arc_local"] != stored["picochat_arc_local"]
    assert not (tmp_path / "a" / "lm_eval_samples.jsonl").exists()


def test_cli_dry_run_reads_the_local_benchmark_file_and_accepts_a_good_one(llama_dir, demo_arc, tmp_path, capsys):
    """The CLI reads --arc-file before a dry run: a good file writes the command (exit 0); an empty one, in the same
    format, is refused naming it (exit 2) and writes nothing."""
    from picochat_hf.cli import main

    argv = ["eval", "lm-harness", "--checkpoint", str(llama_dir), "--tasks", "picochat_arc_local", "--dry-run"]
    assert main([*argv, "--arc-file", str(demo_arc), "--out-dir", str(tmp_path / "good")]) == 0
    assert (tmp_path / "good" / "lm_eval_command.json").exists()
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert main([*argv, "--arc-file", str(empty), "--out-dir", str(tmp_path / "bad")]) == 2
    assert "empty.jsonl" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()
