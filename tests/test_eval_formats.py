"""External benchmark readers: ARC (letters, numbers, 3-5 choices, AI2 layout), MMLU JSONL/CSV, errors."""

from __future__ import annotations

import json

import pytest

from picochat_hf.cli import main
from picochat_hf.eval.external import read_benchmark, write_demo_arc_file
from picochat_hf.utils.errors import PicochatInputError


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def arc(q, texts, labels, key, **extra):
    return {"id": q, "question": q, "choices": {"text": texts, "label": labels}, "answerKey": key, **extra}


def test_arc_numeric_labels_and_three_to_five_choices(tmp_path):
    p = _jsonl(tmp_path / "arc.jsonl", [
        arc("num", ["a", "b", "c", "d"], ["1", "2", "3", "4"], "3"),
        arc("three", ["x", "y", "z"], ["A", "B", "C"], "C"),
        arc("five", ["p", "q", "r", "s", "t"], list("ABCDE"), "E"),
        {"id": "ai2", "question": {"stem": "Old layout?", "choices": [{"label": "A", "text": "no"}, {"label": "B", "text": "yes"}, {"label": "C", "text": "maybe"}]}, "answerKey": "B"},
    ])  # fmt: skip
    recs = read_benchmark(p, "arc")
    assert [r["gold"] for r in recs] == [2, 2, 4, 1]
    assert [len(r["choices"]) for r in recs] == [4, 3, 5, 3]
    assert recs[0]["labels"] == ["1", "2", "3", "4"] and recs[3]["question"] == "Old layout?"
    assert read_benchmark(p, "auto") == recs


def test_missing_answer_key_names_file_line_and_field(tmp_path, capsys):
    p = _jsonl(tmp_path / "arc.jsonl", [arc("ok", ["a", "b", "c"], list("ABC"), "A"), {"id": "bad", "question": "q?", "choices": {"text": ["a", "b", "c"], "label": list("ABC")}}])
    with pytest.raises(PicochatInputError) as err:
        read_benchmark(p, "arc")
    assert (err.value.path, err.value.line, err.value.field) == (str(p), 2, "answerKey")
    bad_key = _jsonl(tmp_path / "arc2.jsonl", [arc("k", ["a", "b", "c"], list("ABC"), "F")])
    with pytest.raises(PicochatInputError, match="not one of the labels"):
        read_benchmark(bad_key, "arc")
    rc = main(["eval", "external", "--input", str(p), "--format", "arc", "--checkpoint", str(tmp_path), "--out-dir", str(tmp_path / "o")])
    err_line = capsys.readouterr().err.strip()
    assert rc == 2 and err_line.count("\n") == 0 and f"{p}:2" in err_line and "answerKey" in err_line
    assert not (tmp_path / "o").exists()


def test_mmlu_jsonl_int_and_letter_answers(tmp_path):
    p = _jsonl(tmp_path / "mmlu.jsonl", [
        {"question": "2+2?", "choices": ["3", "4", "5", "6"], "answer": 1, "subject": "math"},
        {"question": "Capital of France?", "A": "Rome", "B": "Paris", "C": "Oslo", "D": "Bern", "answer": "B"},
        {"question": "Sky colour?", "choices": ["blue", "red", "green", "black"], "target": "0"},
    ])  # fmt: skip
    recs = read_benchmark(p, "auto")
    assert [r["gold"] for r in recs] == [1, 1, 0]
    assert recs[0]["subject"] == "math" and recs[1]["choices"] == ["Rome", "Paris", "Oslo", "Bern"]
    missing = _jsonl(tmp_path / "m2.jsonl", [{"question": "q", "choices": ["a", "b"]}])
    with pytest.raises(PicochatInputError) as err:
        read_benchmark(missing, "mmlu")
    assert err.value.line == 1 and err.value.field == "answer"


def test_mmlu_csv(tmp_path):
    p = tmp_path / "astronomy_test.csv"
    p.write_text('What orbits Earth?,The Moon,Mars,"Venus, the planet",Jupiter,A\nHow many moons has Mars?,0,1,2,3,C\n')
    recs = read_benchmark(p, "auto")
    assert [r["gold"] for r in recs] == [0, 2] and recs[0]["choices"][2] == "Venus, the planet"
    assert recs[0]["subject"] == "astronomy"
    bad = tmp_path / "bad.csv"
    bad.write_text("q,a,b,c,d\n")
    with pytest.raises(PicochatInputError, match="6 columns"):
        read_benchmark(bad, "mmlu_csv")


def test_demo_arc_file(tmp_path):
    path = write_demo_arc_file(tmp_path / "demo.jsonl")
    recs = read_benchmark(path, "arc")
    assert len(recs) == 30 and all(r["labels"] == list("ABCD") for r in recs)
    assert len({r["gold"] for r in recs}) == 4  # the key is spread over A-D
    assert len({r["question"] for r in recs}) == 30
    with pytest.raises(PicochatInputError, match="--force"):
        write_demo_arc_file(path)


def test_arc_integer_answer_key_goes_through_the_labels(tmp_path):
    """labels 1-4 with the integer key 2 mean the second option (index 1), in picochat's reader and in the
    shipped lm-eval task's loader alike; an MMLU integer stays a 0-based index."""
    from picochat_hf.eval.lm_eval_tasks.picochat_formats import load_local

    p = _jsonl(tmp_path / "arc.jsonl", [arc("int", ["a", "b", "c", "d"], ["1", "2", "3", "4"], 2),
                                        arc("str", ["a", "b", "c", "d"], ["1", "2", "3", "4"], "4"),
                                        arc("zero", ["a", "b", "c"], ["0", "1", "2"], 0),
                                        arc("letter", ["a", "b", "c", "d"], ["1", "2", "3", "4"], "B")])
    assert [r["gold"] for r in read_benchmark(p, "arc")] == [1, 3, 0, 1]
    assert load_local(fmt="arc", data_file=str(p))["test"]["gold"] == [1, 3, 0, 1]
    bad = _jsonl(tmp_path / "bad.jsonl", [arc("int", ["a", "b", "c", "d"], ["1", "2", "3", "4"], 5)])
    with pytest.raises(PicochatInputError) as err:
        read_benchmark(bad, "arc")
    assert err.value.field == "answerKey" and err.value.line == 1
    mmlu = _jsonl(tmp_path / "mmlu.jsonl", [{"question": "q", "choices": ["a", "b", "c", "d"], "answer": 2}])
    assert read_benchmark(mmlu, "mmlu")[0]["gold"] == 2


class _Tok:
    """Each letter is one token (its ordinal); no chat template, so labels are encoded with a leading space."""

    pad_token_id = 0
    chat_template = None

    def encode(self, text, add_special_tokens=False):
        return [ord(text.strip())]


class _ConstantModel:
    """Every position gives the same logits except the ones in `bumps` {token id: logit}."""

    def __init__(self, bumps):
        self.bumps = bumps

    def __call__(self, input_ids, attention_mask=None, use_cache=False):
        import torch

        logits = torch.zeros(input_ids.shape[0], input_ids.shape[1], 128)
        for tok, value in self.bumps.items():
            logits[:, :, tok] = value
        return type("Out", (), {"logits": logits})()


def _loaded(bumps):
    from picochat_hf.eval.model_io import LoadedModel

    return LoadedModel(model=_ConstantModel(bumps), tokenizer=_Tok(), path="m", tokenizer_path="m", device="cpu", precision="fp32")


def test_letter_logits_tied_at_the_top_are_no_answer():
    """A model that does not tell the options apart must not be credited with the first letter (argmax picks "A")."""
    from picochat_hf.eval.choice import score_letters

    tied = score_letters(_loaded({}), [[5, 6, 7]], [["A", "B", "C", "D"]], progress=False)[0]
    assert tied["pred"] not in {"A", "B", "C", "D"} and tied["pred"] == "tie: A/B/C/D"
    two = score_letters(_loaded({ord("A"): 2.0, ord("C"): 2.0}), [[5, 6]], [["A", "B", "C"]], progress=False)[0]
    assert two["pred"] == "tie: A/C"
    clear = score_letters(_loaded({ord("B"): 1.0}), [[5]], [["A", "B", "C"]], progress=False)[0]
    assert clear["pred"] == "B" and clear["letter_logits"] == {"A": 0.0, "B": 1.0, "C": 0.0}
