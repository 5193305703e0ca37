"""What users try first: `data task-pack` without --out-dir writes to the documented default folder, a tokenizer
whose input cannot form the merges --vocab-size asks for says so naming the field, and `data shards --num-proc N` on
chat rows is refused in one line (rows are tokenised in one process) while documents honour it."""

from __future__ import annotations

import json

import pytest

from picochat_hf.cli import main
from picochat_hf.data.dataset_pack import import_dataset_pack
from picochat_hf.tokenizer import save_tokenizer, train_tokenizer
from picochat_hf.utils.checks import usable_cpus

SMALL = ["--profile", "release", "--sft-rows", "64", "--eval-rows", "32", "--answer-style", "direct"]


def _pack(folder):
    docs = [{"id": str(i), "text": f"Document {i}. " + "Some text here. " * 10, "source": "t"} for i in range(5)]
    return import_dataset_pack(None, folder, documents=docs, progress=False)


@pytest.mark.parametrize("as_folder", [False, True])
def test_task_pack_without_out_dir_writes_task_pack_of_the_run(tmp_path, capsys, as_folder):
    pack_json = _pack(tmp_path / "runs" / "my" / "dataset_pack")
    pack = pack_json.parent if as_folder else pack_json
    assert main(["data", "task-pack", "--dataset-pack", str(pack), *SMALL, "--no-promote"]) == 0
    out = tmp_path / "runs" / "my" / "task_pack"
    assert (out / "eval_task_mixture_release.jsonl").is_file() and (out / "task_mixture_release.json").is_file()
    assert str(out / "chat_task_mixture_release.jsonl") in capsys.readouterr().out


def test_task_pack_without_out_dir_or_run_layout_writes_task_pack_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["data", "task-pack", *SMALL]) == 0
    assert (tmp_path / "task_pack" / "chat_task_mixture_release.jsonl").is_file()
    pack_json = _pack(tmp_path / "pack-v1")  # a pack outside the run layout: ./task_pack too, never inside the pack
    assert main(["data", "task-pack", "--dataset-pack", str(pack_json), *SMALL, "--no-promote", "--profile", "capability"]) == 0
    assert (tmp_path / "task_pack" / "chat_task_mixture_capability.jsonl").is_file()
    assert sorted(p.name for p in (tmp_path / "pack-v1").iterdir()) == ["dataset_pack.json", "import_report.json",
                                                                       "import_report.md", "shards"]


def test_task_pack_default_folder_holding_other_files_is_refused_in_one_line(tmp_path, capsys):
    pack_json = _pack(tmp_path / "run" / "dataset_pack")
    (tmp_path / "run" / "task_pack").mkdir()
    (tmp_path / "run" / "task_pack" / "notes.txt").write_text("mine")
    rc = main(["data", "task-pack", "--dataset-pack", str(pack_json), *SMALL])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "field 'out_dir'" in err[0] and "notes.txt" in err[0]
    assert sorted(p.name for p in (tmp_path / "run" / "task_pack").iterdir()) == ["notes.txt"]


def _docs(path, n=40):
    path.write_text("\n".join(json.dumps({"text": f"the quick brown fox jumps over the lazy dog {i}"}) for i in range(n)) + "\n")
    return path


def test_tokenizer_vocab_beyond_the_merges_warns_naming_vocab_size(tmp_path, capsys):
    data = _docs(tmp_path / "docs.jsonl")
    assert main(["tokenizer", "train", "--input", str(data), "--vocab-size", "4096", "--out-dir", str(tmp_path / "t")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("picochat: warning: field 'vocab_size': 4096 asked for, but the input formed only")
    assert (tmp_path / "t" / "tokenizer.json").is_file()


def test_tokenizer_with_no_merges_warns_bytes_only(tmp_path, capsys):
    data = tmp_path / "one.txt"
    data.write_text("abc\n")
    assert main(["tokenizer", "train", "--input", str(data), "--vocab-size", "300", "--out-dir", str(tmp_path / "t")]) == 0
    err = capsys.readouterr().err
    assert "field 'vocab_size'" in err and "no merges formed, so it encodes bytes only" in err and "--vocab-size 266" not in err


def test_tokenizer_vocab_the_input_reaches_has_no_warning(tmp_path, capsys):
    data = _docs(tmp_path / "docs.jsonl", n=200)
    assert main(["tokenizer", "train", "--input", str(data), "--vocab-size", "270", "--out-dir", str(tmp_path / "t")]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize("size", ["1", "200", "266"])
def test_tokenizer_vocab_within_bytes_and_specials_is_refused_naming_it(tmp_path, capsys, size):
    data = _docs(tmp_path / "docs.jsonl")
    rc = main(["tokenizer", "train", "--input", str(data), "--vocab-size", size, "--out-dir", str(tmp_path / "t")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "field 'vocab_size'" in err[0] and not (tmp_path / "t").exists()


@pytest.fixture(scope="module")
def tok_dir(tmp_path_factory):
    texts = [f"Document {i}: the quick brown fox jumps over the lazy dog {i} times. What is 3 + 4?" for i in range(100)]
    return save_tokenizer(train_tokenizer(texts, vocab_size=320), tmp_path_factory.mktemp("tok"))


def _rows(path):
    row = {"messages": [{"role": "user", "content": "What is 3 + 4?"}, {"role": "assistant", "content": "7"}]}
    path.write_text("\n".join(json.dumps({**row, "id": f"r{i}"}) for i in range(6)) + "\n")
    return path


@pytest.mark.skipif(usable_cpus() < 2, reason="needs two CPUs for --num-proc 2")
@pytest.mark.parametrize("source", ["--input", "--dataset-name"])
def test_shards_num_proc_on_rows_is_refused_in_one_line(tmp_path, tok_dir, capsys, source):
    rows = _rows(tmp_path / "rows.jsonl")
    rc = main(["data", "shards", source, str(rows), "--tokenizer", str(tok_dir), "--num-proc", "2",
               "--out-dir", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "field 'num_proc'" in err[0] and "--num-proc 2" in err[0]
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(usable_cpus() < 2, reason="needs two CPUs for --num-proc 2")
def test_shards_num_proc_on_documents_and_one_process_on_rows_run(tmp_path, tok_dir):
    rows = _rows(tmp_path / "rows.jsonl")
    assert main(["data", "shards", "--input", str(rows), "--tokenizer", str(tok_dir), "--out-dir", str(tmp_path / "r")]) == 0
    assert main(["data", "shards", "--input", str(rows), "--tokenizer", str(tok_dir), "--num-proc", "1",
                 "--out-dir", str(tmp_path / "r1")]) == 0
    docs = _docs(tmp_path / "docs.jsonl")
    assert main(["data", "shards", "--input", str(docs), "--tokenizer", str(tok_dir), "--num-proc", "2",
                 "--out-dir", str(tmp_path / "d")]) == 0
    assert json.loads((tmp_path / "r" / "shards.json").read_text())["input_kind"] == "conversations"
    assert (tmp_path / "d" / "shards.json").is_file()
