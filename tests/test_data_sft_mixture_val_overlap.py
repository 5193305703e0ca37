"""A validation file sharing some conversations with a training file: the shared ones are training rows."""

from __future__ import annotations

import json

from picochat_hf.data.schema import read_rows
from picochat_hf.data.sft_mixture import build_sft_mixture


def _conv(q: str, a: str) -> dict:
    return {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}


def test_validation_rows_that_are_training_rows_are_dropped_and_counted(tmp_path):
    """A SmolTalk val file holding one of the train file's conversations was written whole: its validation loss was
    partly measured on a trained row (a byte-identical file is refused; a partial overlap was not)."""
    train, val, words = tmp_path / "t.jsonl", tmp_path / "v.jsonl", tmp_path / "w.txt"
    train.write_text("".join(json.dumps(r) + "\n" for r in (_conv("Hi", "Hello!"), _conv("Bye", "Goodbye!"))), encoding="utf-8")
    val.write_text("".join(json.dumps(r) + "\n" for r in (_conv("Bye", "Goodbye!"), _conv("Yo", "Hey there!"))), encoding="utf-8")
    words.write_text("apple\n", encoding="utf-8")
    paths = build_sft_mixture(tmp_path / "mix", source="offline", local_files={"smoltalk": train, "smoltalk_val": val,
                                                                               "words": words},
                              simple_spelling_size=1, spelling_bee_size=1, identity_size=1)
    assert [r["messages"][0]["content"] for r in read_rows(paths["val"])] == ["Yo"]
    report = json.loads(paths["report_json"].read_text())
    assert report["status"]["smoltalk:val"]["dropped_training_rows"] == 1 and report["counts"]["val"]["total"] == 1
