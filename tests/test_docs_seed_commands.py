"""The seed recipes' commands as they write them (docs/pipeline.md, "The original recipes' commands"): each runs and
writes what the docs say, and its bad-input twin stops with one line naming the field (exit code 2)."""

from __future__ import annotations

import json
import shutil

import pytest
import torch

from helpers_model import randomize
from picochat_hf import PicochatConfig, PicochatForCausalLM
from picochat_hf.cli import main as cli_main
from picochat_hf.eval.external import write_demo_arc_file
from picochat_hf.utils.model_files import check_tokenizer_folder, tokenizer_folder_of


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory, tiny_tokenizer):
    """A tiny picochat checkpoint folder with its tokenizer, outside any run directory."""
    tok = tiny_tokenizer
    cfg = PicochatConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=256, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                         pad_token_id=tok.pad_token_id)
    torch.manual_seed(0)
    model = randomize(PicochatForCausalLM(cfg), seed=0, std=0.1).eval()
    ckpt = tmp_path_factory.mktemp("seed") / "checkpoint"
    model.save_pretrained(ckpt)
    tok.save_pretrained(ckpt)
    return ckpt


def _one_error_line(capsys) -> str:
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1, err
    return err[0]


# --- `--tokenizer runs/<run>/tokenizer.json` (seed 0's `train sft`, seed 1's `eval external` and `export hf`) -------

def test_tokenizer_json_names_its_folder(tiny_tokenizer_dir, tmp_path):
    assert tokenizer_folder_of(tiny_tokenizer_dir / "tokenizer.json") == tiny_tokenizer_dir
    assert tokenizer_folder_of(str(tiny_tokenizer_dir / "tokenizer.json")) == str(tiny_tokenizer_dir)
    assert check_tokenizer_folder(tiny_tokenizer_dir / "tokenizer.json") == tiny_tokenizer_dir
    assert tokenizer_folder_of(tiny_tokenizer_dir) == tiny_tokenizer_dir  # a folder is itself
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(tiny_tokenizer_dir / "tokenizer.json", bare / "tokenizer.json")  # no tokenizer_config.json: no chat template
    assert tokenizer_folder_of(bare / "tokenizer.json") == bare / "tokenizer.json"


def test_training_config_records_the_tokenizer_folder(tiny_tokenizer_dir, tmp_path):
    from picochat_hf.training import PicochatSFTConfig

    cfg = PicochatSFTConfig(output_dir=str(tmp_path / "sft"), tokenizer=str(tiny_tokenizer_dir / "tokenizer.json"), device_kind="cpu")
    assert cfg.tokenizer == str(tiny_tokenizer_dir)


def test_eval_external_with_tokenizer_json(checkpoint, tmp_path, capsys):
    arc = write_demo_arc_file(tmp_path / "external" / "arc_easy_validation.jsonl")
    out = tmp_path / "external_eval" / "arc_easy"
    rc = cli_main(["eval", "external", "--input", str(arc), "--format", "arc", "--benchmark-name", "arc_easy",
                   "--checkpoint", str(checkpoint), "--tokenizer", str(checkpoint / "tokenizer.json"),
                   "--out-dir", str(out), "--precision", "fp32"])
    assert rc == 0, capsys.readouterr().err
    report = json.loads((out / "eval_report.json").read_text())
    assert report["kind"] == "external" and report["external"]["n"] == 30
    assert {"report.md", "results.jsonl"} <= {p.name for p in out.iterdir()}


def test_bare_tokenizer_json_is_refused_in_one_line(checkpoint, tmp_path, capsys):
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(checkpoint / "tokenizer.json", bare / "tokenizer.json")
    arc = write_demo_arc_file(tmp_path / "arc.jsonl")
    out = tmp_path / "external_eval"
    rc = cli_main(["eval", "external", "--input", str(arc), "--format", "arc", "--checkpoint", str(checkpoint),
                   "--tokenizer", str(bare / "tokenizer.json"), "--out-dir", str(out)])
    assert rc == 2
    line = _one_error_line(capsys)
    assert "field 'tokenizer'" in line and "tokenizer_config.json" in line and str(bare / "tokenizer.json") in line
    assert not out.exists()


# --- `export hf --checkpoint C --tokenizer T --out-dir exports/<run>` (seed 1: no --model-name) --------------------

def test_export_without_model_name_takes_the_folder_name(checkpoint, tmp_path, capsys):
    out = tmp_path / "exports" / "picochat-r1"
    rc = cli_main(["export", "hf", "--checkpoint", str(checkpoint), "--tokenizer", str(checkpoint / "tokenizer.json"),
                   "--out-dir", str(out)])
    assert rc == 0, capsys.readouterr().err
    manifest = json.loads((out / "release_manifest.json").read_text())
    assert manifest["model_name"] == "picochat-r1"
    assert "picochat-r1" in (out / "README.md").read_text()


def test_export_with_model_name_keeps_it(checkpoint, tmp_path, capsys):
    out = tmp_path / "exports" / "r1"
    rc = cli_main(["export", "hf", "--checkpoint", str(checkpoint), "--out-dir", str(out), "--model-name", "picochat-r1",
                   "--license", "mit", "--dataset-summary", "See release_manifest.json and preflight report.",
                   "--eval-summary", "See release gate and external benchmark reports."])
    assert rc == 0, capsys.readouterr().err
    assert json.loads((out / "release_manifest.json").read_text())["model_name"] == "picochat-r1"


def test_export_folder_name_no_hub_name_is_refused(checkpoint, tmp_path, capsys):
    out = tmp_path / "exports" / "my export"
    rc = cli_main(["export", "hf", "--checkpoint", str(checkpoint), "--out-dir", str(out)])
    assert rc == 2
    line = _one_error_line(capsys)
    assert "field 'model_name'" in line and "--model-name" in line
    assert not out.exists()


# --- the benchmark protocol's required tables (seed 1): Model names the attention backend, Budget the epochs and
# the device, and Honesty never labels a count of findings as a rate ------------------------------------------------

def _train_report(epochs: dict, device: dict) -> dict:
    return {"steps": 10, "planned_tokens": 100, "status": "completed", "epochs_per_category": epochs,
            "plan": {"attn_implementation": "sdpa", "device": "cuda" if device.get("cuda") else "cpu", "world_size": 2,
                     "precision": "bf16"}, "provenance": {"device": device}}


def test_report_tables_carry_the_protocols_required_fields(tmp_path):
    from picochat_hf.report.collect import budget_table, honesty_table, model_table

    run = tmp_path / "run"
    (run / "sft").mkdir(parents=True)
    (run / "base").mkdir()
    (run / "honesty").mkdir()
    gpu = {"cuda": True, "gpu": "NVIDIA H100 80GB HBM3", "gpu_count": 8}
    (run / "sft" / "train_report.json").write_text(json.dumps(_train_report({"math": 2.5, "identity": 1.25}, gpu)))
    (run / "base" / "train_report.json").write_text(json.dumps(_train_report({"document": 0.5}, {"cuda": False})))
    (run / "honesty" / "honesty_report.json").write_text(json.dumps(
        {"status": "caution", "counts": {"exact_prompt_hits": 0, "unsupported_claim_rate": 1},
         "rates": {"unsupported_claim_rate": 0.5}}))
    model = {f.label: f for f in model_table(run).facts}
    assert model["attention backend"].value == "sdpa"
    budget = {f.label: f for f in budget_table(run).facts}
    assert budget["sft device"].value == "NVIDIA H100 80GB HBM3" and "8 visible" in budget["sft device"].note
    assert budget["base device"].value == "cpu"
    most = budget["sft epochs (most repeated category)"]
    assert most.value == 2.5 and "1.25 to 2.50" in most.note
    assert budget["base epochs"].value == 0.5
    honesty = {f.label: f.value for f in honesty_table(run).facts}
    assert honesty["unsupported claim rate"] == 0.5  # the rate is the rate
    assert honesty["unsupported claim rate above its limit (findings)"] == 1  # the count says what it counts
    assert honesty["exact prompt hits"] == 0


def test_report_tables_leave_out_what_the_train_report_does_not_record(tmp_path):
    from picochat_hf.report.collect import budget_table, model_table

    run = tmp_path / "run"
    (run / "sft").mkdir(parents=True)
    (run / "sft" / "train_report.json").write_text(json.dumps({"steps": 1, "status": "completed"}))
    assert "attention backend" not in {f.label for f in model_table(run).facts}
    labels = {f.label for f in budget_table(run).facts}
    assert not any("epochs" in label or "device" in label for label in labels)


# --- `data shards --input rows.jsonl` (seed 3: val rows in their own shards; docs/data.md) ------------------------

def _rows_file(path, splits):
    lines = [json.dumps({"id": f"r{i}", "split": split, "messages": [
        {"role": "user", "content": f"What is {i} plus {i + 1}?"}, {"role": "assistant", "content": str(2 * i + 1)}]})
        for i, split in enumerate(splits)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_row_shards_put_validation_rows_in_val_shards(tiny_tokenizer_dir, tmp_path, capsys):
    from picochat_hf.data.shards import load_shard_manifest

    rows = _rows_file(tmp_path / "rows.jsonl", ["train"] * 6 + ["val", "validation", "eval", "test"])
    out = tmp_path / "shards"
    rc = cli_main(["data", "shards", "--input", str(rows), "--tokenizer", str(tiny_tokenizer_dir), "--out-dir", str(out)])
    assert rc == 0, capsys.readouterr().err
    manifest = load_shard_manifest(out, verify_sha256=True)
    assert manifest["splits"]["train"]["sequences"] == 6 and manifest["splits"]["val"]["sequences"] == 4
    names = {p.name for p in out.iterdir()}
    assert {"train_000000.bin", "train_000000.mask.bin", "val_000000.bin", "val_000000.mask.bin"} <= names
    only_train = _rows_file(tmp_path / "train.jsonl", ["train"] * 4)
    assert cli_main(["data", "shards", "--input", str(only_train), "--tokenizer", str(tiny_tokenizer_dir),
                     "--out-dir", str(tmp_path / "t")]) == 0
    assert set(load_shard_manifest(tmp_path / "t")["splits"]) == {"train"}


def test_row_shards_refuse_a_val_fraction_they_would_ignore(tiny_tokenizer_dir, tmp_path, capsys):
    rows = _rows_file(tmp_path / "rows.jsonl", ["train"] * 4)
    out = tmp_path / "shards"
    rc = cli_main(["data", "shards", "--input", str(rows), "--tokenizer", str(tiny_tokenizer_dir), "--out-dir", str(out),
                   "--val-fraction", "0.1"])
    assert rc == 2
    line = _one_error_line(capsys)
    assert "field 'val_fraction'" in line and "rows.jsonl" in line
    assert not out.exists()


def test_document_shards_keep_the_default_val_fraction(tiny_tokenizer_dir, tmp_path, capsys):
    from picochat_hf.data.shards import load_shard_manifest

    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"text": f"Document {i}: the quick fox runs far."}) + "\n" for i in range(300)))
    out = tmp_path / "tokens"
    rc = cli_main(["data", "shards", "--input", str(docs), "--tokenizer", str(tiny_tokenizer_dir), "--out-dir", str(out)])
    assert rc == 0, capsys.readouterr().err
    manifest = load_shard_manifest(out)
    assert manifest["val_fraction"] == 0.01 and manifest["splits"]["val"]["sequences"] >= 1


def test_row_shards_refuse_a_text_column_they_would_ignore(tiny_tokenizer_dir, tmp_path, capsys):
    rows = _rows_file(tmp_path / "rows.jsonl", ["train"] * 4)
    out = tmp_path / "shards"
    rc = cli_main(["data", "shards", "--input", str(rows), "--tokenizer", str(tiny_tokenizer_dir), "--out-dir", str(out),
                   "--text-column", "body"])
    assert rc == 2
    line = _one_error_line(capsys)
    assert "field 'text_column'" in line and "rows.jsonl" in line
    assert not out.exists()


def test_document_shards_read_the_text_column_given(tiny_tokenizer_dir, tmp_path, capsys):
    from picochat_hf.data.shards import load_shard_manifest

    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"body": f"Document {i}: the quick fox runs far."}) + "\n" for i in range(20)))
    out = tmp_path / "tokens"
    rc = cli_main(["data", "shards", "--input", str(docs), "--tokenizer", str(tiny_tokenizer_dir), "--out-dir", str(out),
                   "--text-column", "body", "--val-fraction", "0.2"])
    assert rc == 0, capsys.readouterr().err
    manifest = load_shard_manifest(out)
    assert manifest["documents"] == 20 and manifest["val_fraction"] == 0.2
