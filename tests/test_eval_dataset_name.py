"""`eval chat|score|sft-fit --dataset_name`: the split is materialised to inputs/*.jsonl, hashed and evaluated
through the file path; bad sources are one line, exit 2, nothing written."""

from __future__ import annotations

import json

import datasets
import pytest
from eval_fixtures import chat_row, llama_model, save_checkpoint, write_jsonl

from picochat_hf.cli import main
from picochat_hf.utils.io import sha256_file

QUESTIONS = [f"Say something about the number {i}." for i in range(4)]


def _rows() -> list[dict]:
    return [chat_row(i, q, must_include=["xylophonequartz"]) if i % 2 else chat_row(i, q, must_include=["the"])
            for i, q in enumerate(QUESTIONS)]


@pytest.fixture(scope="module")
def llama_dir(tiny_tokenizer, tmp_path_factory):
    return save_checkpoint(llama_model(tiny_tokenizer, seed=1), tiny_tokenizer, tmp_path_factory.mktemp("llama"))


def _saved(tmp_path, rows, split="test"):
    folder = tmp_path / "ds"
    datasets.DatasetDict({split: datasets.Dataset.from_list(rows)}).save_to_disk(str(folder))
    return folder


def _verdicts(folder):
    return {r["id"]: r["passed"] for r in map(json.loads, (folder / "results.jsonl").read_text().splitlines())}


def test_chat_on_saved_dataset_equals_chat_on_jsonl(llama_dir, tmp_path):
    rows = _rows()
    jsonl, folder = write_jsonl(tmp_path / "rows.jsonl", rows), _saved(tmp_path, rows)
    common = ["--checkpoint", str(llama_dir), "--max-new-tokens", "4", "--no-progress"]
    assert main(["eval", "chat", "--input", str(jsonl), "--out-dir", str(tmp_path / "a"), *common]) == 0
    assert main(["eval", "chat", "--dataset_name", str(folder), "--out-dir", str(tmp_path / "b"), *common]) == 0
    assert _verdicts(tmp_path / "a") == _verdicts(tmp_path / "b") and len(_verdicts(tmp_path / "b")) == 4
    materialised = tmp_path / "b" / "inputs" / "eval_rows.jsonl"
    cfg = json.loads((tmp_path / "b" / "eval_report.json").read_text())["config"]
    assert cfg["input"] == str(materialised) and cfg["input_sha256"] == sha256_file(materialised)
    assert cfg["dataset"]["dataset_name"] == str(folder) and cfg["dataset"]["split"] == "test" and cfg["dataset"]["rows"] == 4
    prov = json.loads((tmp_path / "b" / "inputs" / "eval_rows.provenance.json").read_text())
    assert prov["sha256"] == cfg["input_sha256"] and prov["fingerprint"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left behind
    # --max-rows: only the rows scored are materialised (and hashed)
    assert main(["eval", "chat", "--dataset_name", str(folder), "--max-rows", "2", "--out-dir", str(tmp_path / "c"), *common]) == 0
    assert len((tmp_path / "c" / "inputs" / "eval_rows.jsonl").read_text().splitlines()) == 2


def test_sft_fit_reads_the_train_split_by_name(llama_dir, tmp_path):
    rows = [{"id": f"s{i}", "prompt": q, "completion": "the"} for i, q in enumerate(QUESTIONS)]
    folder = tmp_path / "sftds"
    datasets.DatasetDict({"train": datasets.Dataset.from_list(rows)}).save_to_disk(str(folder))
    argv = ["eval", "sft-fit", "--dataset_name", str(folder), "--checkpoint", str(llama_dir), "--max-new-tokens", "4",
            "--no-progress", "--out-dir", str(tmp_path / "fit")]
    assert main(argv) == 0
    cfg = json.loads((tmp_path / "fit" / "eval_report.json").read_text())["config"]
    assert cfg["input"] == str(tmp_path / "fit" / "inputs" / "sft_rows.jsonl") and cfg["dataset"]["split"] == "train"
    assert cfg["input_sha256"] == sha256_file(cfg["input"]) and cfg["n_train_rows"] + cfg["n_heldout_rows"] == 4


@pytest.mark.parametrize("kind", ["parquet", "json"])
def test_score_reads_parquet_and_json_files_by_name(kind, tmp_path):
    rows = _rows()
    src = tmp_path / f"rows.{kind}"
    ds = datasets.Dataset.from_list(rows)
    ds.to_parquet(str(src)) if kind == "parquet" else ds.to_json(str(src))
    replies = write_jsonl(tmp_path / "replies.jsonl", [{"id": r["id"], "reply": "the"} for r in rows])
    assert main(["eval", "score", "--dataset_name", str(src), "--replies", str(replies), "--out-dir", str(tmp_path / "o")]) == 0
    assert _verdicts(tmp_path / "o") == {"r0": True, "r1": False, "r2": True, "r3": False}
    report = json.loads((tmp_path / "o" / "eval_report.json").read_text())
    assert report["config"]["input_sha256"] == sha256_file(tmp_path / "o" / "inputs" / "eval_rows.jsonl")
    # the scan over the materialised file hashes what the eval scored (the release gate's honesty_eval_file check)
    assert main(["honesty", "scan", "--eval", report["config"]["input"], "--out-dir", str(tmp_path / "h")]) == 0
    scan = json.loads((tmp_path / "h" / "honesty_report.json").read_text())
    assert scan["inputs"]["sha256"]["eval"] == report["config"]["input_sha256"]


def _one_line_exit_2(argv, capsys, out):
    capsys.readouterr()  # drop save_to_disk's progress output
    rc = main(argv)
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "\n" not in err and not out.exists()
    return err


def test_bad_sources_are_one_line_exit_2(tmp_path, capsys):
    rows = _rows()
    folder, jsonl = _saved(tmp_path, rows), write_jsonl(tmp_path / "rows.jsonl", rows)
    replies = write_jsonl(tmp_path / "replies.jsonl", [{"id": r["id"], "reply": "x"} for r in rows])
    base = ["eval", "score", "--replies", str(replies), "--out-dir", str(tmp_path / "o")]
    err = _one_line_exit_2([*base, "--dataset_name", str(folder), "--dataset_test_split", "validation"], capsys, tmp_path / "o")
    assert str(folder) in err and "dataset_test_split" in err and "validation" in err
    err = _one_line_exit_2([*base, "--dataset_name", str(folder), "--input", str(jsonl)], capsys, tmp_path / "o")
    assert "exactly one of --input and --dataset_name" in err
    err = _one_line_exit_2(base, capsys, tmp_path / "o")
    assert "exactly one of --input and --dataset_name" in err
    no_rule = tmp_path / "norule"
    datasets.DatasetDict({"test": datasets.Dataset.from_list([{"messages": [{"role": "user", "content": "hi"}]}])}).save_to_disk(str(no_rule))
    err = _one_line_exit_2([*base, "--dataset_name", str(no_rule)], capsys, tmp_path / "o")
    assert f"{no_rule}[test]:1" in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_sft_from_a_dataset_folder_materialises_rows_for_preflight_and_report(tmp_path, capsys):
    from train_fixtures import picochat_model, save_model_dir

    rows = [{"prompt": f"What is {a} plus {a}?", "completion": f"{2 * a}."} for a in range(1, 21)]
    folder = tmp_path / "ds"
    datasets.DatasetDict({"train": datasets.Dataset.from_list(rows[:16]), "test": datasets.Dataset.from_list(rows[16:])}).save_to_disk(str(folder))
    base = save_model_dir(picochat_model(), tmp_path / "base")
    out = tmp_path / "run" / "sft"
    args = ["train", "sft", "--dataset_name", str(folder), "--checkpoint", str(base), "--out-dir", str(out), "--steps", "1",
            "--batch-size", "2", "--seq-len", "64", "--device", "cpu", "--allow-blocked-preflight", "--dataset_test_split", "test"]
    assert main(args) == 0, capsys.readouterr().err
    rows_file = out / "inputs" / "sft_rows.jsonl"
    assert len(rows_file.read_text().splitlines()) == 16
    prov = json.loads((out / "inputs" / "sft_rows.provenance.json").read_text())
    assert prov["sha256"] == sha256_file(rows_file) and prov["rows"] == 16 and prov["split"] == "train"
    preflight = json.loads((tmp_path / "run" / "gates" / "preflight.json").read_text())
    assert [c["value"] for c in preflight["checks"] if c["name"] == "sft_rows"] == [16]
    assert [c["value"] for c in preflight["checks"] if c["name"] == "eval_rows"] == [4]
    report = json.loads((out / "train_report.json").read_text())
    assert report["inputs"]["sft_input"] == str(rows_file) and report["inputs"]["sft_input_sha256"] == prov["sha256"]
    assert report["inputs"]["eval_input_sha256"] == sha256_file(out / "inputs" / "eval_rows.jsonl")
    assert report["data"]["train_dataset"]["dataset_name"] == str(folder)
    # streamed, replacing the old run (--force): the rows are staged beside the folder and moved in
    assert main([*args, "--dataset_streaming", "--force"]) == 0, capsys.readouterr().err
    report = json.loads((out / "train_report.json").read_text())
    assert report["inputs"]["sft_input"] == str(rows_file) and sha256_file(rows_file) == prov["sha256"]
    assert report["data"]["train_dataset"]["streaming"] is True
    assert not [p.name for p in out.parent.iterdir() if p.name.startswith(".")]


def test_heldout_check_knows_a_materialised_copy_of_the_trained_rows_by_sha256(tmp_path):
    from picochat_hf.eval.sft_fit import heldout_check

    for folder in ("run/inputs", "run/checkpoint", "fit"):
        (tmp_path / folder).mkdir(parents=True)
    trained = write_jsonl(tmp_path / "run" / "inputs" / "sft_rows.jsonl", _rows())
    copy = write_jsonl(tmp_path / "fit" / "sft_rows.jsonl", _rows())  # the same rows, materialised again elsewhere
    (tmp_path / "run" / "train_report.json").write_text(json.dumps(
        {"data": {"train_input": str(trained), "train_rows": 4}, "inputs": {"sft_input_sha256": sha256_file(trained)}}))
    assert heldout_check(tmp_path / "run" / "checkpoint", copy, 4, 3, 0.25, 0)["status"] == "trained_on_heldout"
