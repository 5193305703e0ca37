"""The renamed settings in the Python API and on the command line: a command's functions take the setting's name
(`heldout_fraction`, `dataset_name`, `max_rows`, `checkpoint`, `text_column`); the old keyword still works with the
CLI's one-line note and reaches the same parameter; a call or a command line giving both names is refused naming the
old one, before anything is written."""

from __future__ import annotations

import json

import pytest

from picochat_hf.cli import build_parser, main
from picochat_hf.utils.errors import PicochatInputError


def _rows(n: int = 10) -> list[dict]:
    return [{"id": f"r{i}", "messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]}
            for i in range(n)]


# ---- old keywords of the Python API


def test_split_old_keyword_is_the_same_split_with_a_note(capsys):
    from picochat_hf.eval.splits import split_train_heldout

    rows = _rows(20)
    new = split_train_heldout(rows, heldout_fraction=0.5, seed=3)
    assert "note:" not in capsys.readouterr().err
    old = split_train_heldout(rows, val_fraction=0.5, seed=3)
    assert old == new and len(new[1]) == 10  # the old keyword's 0.5, not the default 0.1 (2 rows)
    assert len(split_train_heldout(rows, seed=3)[1]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("picochat: note: split_train_heldout(): val_fraction= is the old name of heldout_fraction= "
                   "(field 'heldout_fraction'); it still works, but write heldout_fraction=")


@pytest.mark.parametrize("call", [
    lambda f, rows: f(rows, heldout_fraction=0.5, val_fraction=0.2),
    lambda f, rows: f(rows, 0.5, val_fraction=0.2),  # the name given by position
])
def test_split_both_names_are_refused_naming_the_old_one(call):
    from picochat_hf.eval.splits import split_train_heldout

    with pytest.raises(PicochatInputError) as err:
        call(split_train_heldout, _rows())
    assert err.value.field == "val_fraction" and "keep heldout_fraction=" in str(err.value)


def test_an_unknown_keyword_is_still_a_type_error():
    from picochat_hf.eval.splits import split_train_heldout

    with pytest.raises(TypeError, match="fraction_held"):
        split_train_heldout(_rows(), fraction_held=0.5)


def test_split_rows_and_heldout_check_read_the_old_keyword(tmp_path):
    from picochat_hf.eval.sft_fit import heldout_check, split_rows

    rows = _rows(20)
    assert split_rows(rows, "heldout", val_fraction=0.5, seed=0, rows_path="r.jsonl") == \
        split_rows(rows, "heldout", heldout_fraction=0.5, seed=0, rows_path="r.jsonl")
    ckpt = tmp_path / "sft" / "checkpoint"
    ckpt.mkdir(parents=True)
    data = tmp_path / "rows.jsonl"
    data.write_text("")
    (tmp_path / "sft" / "train_report.json").write_text(json.dumps(
        {"data": {"train_input": str(data), "train_rows": 100, "heldout": {"val_fraction": 0.1, "seed": 0}}}))
    assert heldout_check(ckpt, data, 100, 90, val_fraction=0.1, seed=0)["status"] == "held_out"
    assert heldout_check(ckpt, data, 100, 90, val_fraction=0.2, seed=0)["status"] == "trained_on_heldout"


def test_run_sft_fit_both_names_refused_before_writing(tmp_path):
    from picochat_hf.eval.sft_fit import run_sft_fit

    with pytest.raises(PicochatInputError, match="val_fraction= is the old name of heldout_fraction="):
        run_sft_fit(tmp_path / "rows.jsonl", tmp_path / "m", tmp_path / "out", val_fraction=0.1, heldout_fraction=0.2)
    assert not (tmp_path / "out").exists()
    with pytest.raises(PicochatInputError, match="file not found"):  # the old keyword alone is taken; the input is missing
        run_sft_fit(tmp_path / "rows.jsonl", tmp_path / "m", tmp_path / "out", val_fraction=0.1)


def _hub_file(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "hub.jsonl"
    path.write_text("".join(json.dumps({"text": f"document {i} " + "lorem ipsum " * 10}) + "\n" for i in range(9)))
    return path


def test_import_dataset_pack_old_keywords_make_the_same_pack(tmp_path, monkeypatch, capsys):
    from picochat_hf.data.dataset_pack import import_dataset_pack, load_dataset_pack

    path = _hub_file(tmp_path, monkeypatch)
    new = import_dataset_pack(None, tmp_path / "new", dataset_name="json", dataset_train_split="train",
                              dataset_config=None, hf_data_files=str(path), max_rows=4, progress=False)
    assert "note:" not in capsys.readouterr().err
    old = import_dataset_pack(None, tmp_path / "old", hf_dataset="json", split="train", hf_config=None,
                              hf_data_files=str(path), max_rows=4, progress=False)
    err = capsys.readouterr().err
    assert [n in err for n in ("hf_dataset= is the old name of dataset_name=", "split= is the old name of "
                               "dataset_train_split=", "hf_config= is the old name of dataset_config=")] == [True] * 3
    assert load_dataset_pack(old)["inputs"] == load_dataset_pack(new)["inputs"]
    assert load_dataset_pack(old)["counts"]["documents"] == 4


@pytest.mark.parametrize("old, new", [("hf_dataset", "dataset_name"), ("split", "dataset_train_split"),
                                      ("hf_config", "dataset_config")])
def test_import_dataset_pack_both_names_refused_before_writing(old, new, tmp_path, monkeypatch):
    from picochat_hf.data.dataset_pack import import_dataset_pack

    path = _hub_file(tmp_path, monkeypatch)
    kw = {"dataset_name": "json", old: "x", new: "json" if new == "dataset_name" else "train"}
    with pytest.raises(PicochatInputError) as err:
        import_dataset_pack(None, tmp_path / "pack", hf_data_files=str(path), progress=False, **kw)
    assert err.value.field == old and f"keep {new}=" in str(err.value) and not (tmp_path / "pack").exists()


def _traces(tmp_path):
    src = tmp_path / "t.jsonl"
    src.write_text("".join(json.dumps({"question": f"What is {i} plus {i}?", "trace": f"{i} plus {i} is {2 * i}.",
                                       "answer": str(2 * i)}) + "\n" for i in range(1, 7)), encoding="utf-8")
    return src


def test_reasoning_import_rows_keyword_is_max_rows(tmp_path, capsys):
    from picochat_hf.data.reasoning_import import import_reasoning_traces

    src = _traces(tmp_path)
    new = import_reasoning_traces([src], tmp_path / "new", sample="random", max_rows=2, seed=1)
    old = import_reasoning_traces([src], tmp_path / "old", sample="random", rows=2, seed=1)
    assert old["rows"].read_text() == new["rows"].read_text() and len(new["rows"].read_text().splitlines()) == 2
    assert "rows= is the old name of max_rows=" in capsys.readouterr().err
    with pytest.raises(PicochatInputError, match="keep max_rows="):
        import_reasoning_traces([src], tmp_path / "both", rows=2, max_rows=3)
    assert not (tmp_path / "both").exists()
    with pytest.raises(PicochatInputError, match="--sample random needs --max-rows"):
        import_reasoning_traces([src], tmp_path / "none", sample="random")


def test_tokenizer_texts_old_keyword_reads_that_column(tmp_path, capsys):
    from picochat_hf.tokenizer import iter_texts_from_files

    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"text": "the text column", "body": "the body column"}) + "\n")
    assert list(iter_texts_from_files([data], text_field="body")) == ["the body column"]
    assert list(iter_texts_from_files([data], text_column="body")) == ["the body column"]
    assert "text_field= is the old name of text_column=" in capsys.readouterr().err
    with pytest.raises(PicochatInputError, match="keep text_column="):  # at the call, before any file is read
        iter_texts_from_files([tmp_path / "missing.jsonl"], text_column="text", text_field="body")


def test_lm_harness_model_path_keyword_is_checkpoint(tmp_path, capsys):
    from picochat_hf.eval.lm_harness import decide_trust_remote_code, run_lm_harness

    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "evil.py").write_text("import os\n")
    assert decide_trust_remote_code(model_path=folder, requested=None) == decide_trust_remote_code(folder, None)
    assert decide_trust_remote_code(model_path=folder, requested=None)[0] is False
    assert "model_path= is the old name of checkpoint=" in capsys.readouterr().err
    with pytest.raises(PicochatInputError, match="keep checkpoint="):
        run_lm_harness(folder, "picochat_arc_demo", tmp_path / "lm", model_path=folder, dry_run=True)
    assert not (tmp_path / "lm").exists()


# ---- the command line: the renamed flags, and both names at once


def test_reasoning_import_max_rows_and_its_old_name(tmp_path, capsys):
    src = _traces(tmp_path)
    base = ["data", "reasoning-import", "--input", str(src), "--sample", "random", "--seed", "2"]
    assert main([*base, "--max-rows", "3", "--out-dir", str(tmp_path / "new")]) == 0
    assert "note:" not in capsys.readouterr().err
    assert main([*base, "--rows", "3", "--out-dir", str(tmp_path / "old")]) == 0
    assert "picochat: note: --rows is the old name of --max-rows (field 'max_rows')" in capsys.readouterr().err
    texts = [(tmp_path / d / "reasoning_traces.jsonl").read_text() for d in ("new", "old")]
    assert texts[0] == texts[1] and len(texts[0].splitlines()) == 3
    assert main([*base, "--rows", "3", "--max-rows", "2", "--out-dir", str(tmp_path / "both")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--rows is the old name of --max-rows" in err[0] and not (tmp_path / "both").exists()


def test_lm_harness_checkpoint_and_its_old_name(tmp_path, capsys):
    for flag in ("--checkpoint", "--model-path"):
        args = build_parser().parse_args(["eval", "lm-harness", flag, "m", "--tasks", "t", "--out-dir", "o"])
        assert str(args.checkpoint) == "m" and not hasattr(args, "model_path")
    rc = main(["eval", "lm-harness", "--model-path", str(tmp_path / "a"), "--checkpoint", str(tmp_path / "b"),
               "--tasks", "picochat_arc_demo", "--out-dir", str(tmp_path / "lm")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "field 'model_path': --model-path is the old name of --checkpoint" in err[0]
    assert not (tmp_path / "lm").exists()


@pytest.mark.parametrize("argv, old", [
    (["eval", "sft-fit", "--input", "{t}/rows.jsonl", "--checkpoint", "{t}/m", "--val-fraction", "0.1",
      "--heldout-fraction", "0.2", "--out-dir", "{t}/out"], "--val-fraction"),
    (["data", "import", "--input", "{t}/a.txt", "--split", "train", "--dataset-train-split", "test", "--out-dir", "{t}/out"],
     "--split"),
    (["tokenizer", "train", "--input", "{t}/d.jsonl", "--text-column", "body", "--text-field", "text", "--out-dir", "{t}/out"],
     "--text-field"),
])
def test_a_command_line_giving_both_names_is_refused(argv, old, tmp_path, capsys):
    """argparse kept whichever came last: `--val-fraction 0.1 --heldout-fraction 0.2` scored a 0.2 split silently."""
    rc = main([a.replace("{t}", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and f"{old} is the old name of" in err[0] and "note:" not in err[0]
    assert not (tmp_path / "out").exists()


def test_task_pack_answer_style_is_one_name_and_the_seed_flag_still_works(tmp_path, capsys):
    """`data task-pack --answer-style` is the setting's name (the rows', the report's and the demo config's field); the
    seed recipe's `--skill-answer-style` still works with a note, and both together are refused (exit 2)."""
    common = ["data", "task-pack", "--profile", "capability", "--sft-rows", "40", "--eval-rows", "20", "--no-promote"]
    assert main([*common, "--answer-style", "direct", "--out-dir", str(tmp_path / "new")]) == 0
    assert "note" not in capsys.readouterr().err
    assert main([*common, "--skill-answer-style", "direct", "--out-dir", str(tmp_path / "old")]) == 0
    assert "--skill-answer-style is the old name of --answer-style" in capsys.readouterr().err
    reports = [json.loads((tmp_path / d / "task_mixture_capability.json").read_text()) for d in ("new", "old")]
    assert [r["answer_style"] for r in reports] == ["direct", "direct"]
    assert main([*common, "--skill-answer-style", "direct", "--answer-style", "scratchpad", "--out-dir", str(tmp_path / "both")]) == 2
    assert "keep --answer-style" in capsys.readouterr().err
    assert not (tmp_path / "both").exists()
