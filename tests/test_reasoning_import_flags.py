"""`picochat data reasoning-import` flags that the chosen reading would drop are refused, not accepted silently."""

from __future__ import annotations

import json

import pytest

from picochat_hf.cli import main as cli_main


def _messages_file(tmp_path):
    src = tmp_path / "m.jsonl"
    src.write_text(json.dumps({"messages": [{"role": "user", "content": "What is 2 plus 2?"},
                                            {"role": "assistant", "content": "<think>2 plus 2 is 4.</think>4"}],
                               "prompt": "What is 3 plus 3?"}) + "\n", encoding="utf-8")
    return src


@pytest.mark.parametrize("flag", [["--question-column", "prompt"], ["--trace-column", "response"],
                                  ["--answer-column", "answer"]])
def test_a_column_flag_beside_messages_column_is_refused(tmp_path, capsys, flag):
    """`--messages-column messages --question-column prompt` read the question from the messages and dropped the
    flag without a word."""
    rc = cli_main(["data", "reasoning-import", "--input", str(_messages_file(tmp_path)), "--out-dir", str(tmp_path / "o"),
                   "--messages-column", "messages", *flag])
    err = capsys.readouterr().err.strip().splitlines()
    name = flag[0][2:].replace("-", "_")
    assert rc == 2 and len(err) == 1 and name in err[0] and "--messages-column" in err[0], err
    assert not (tmp_path / "o").exists()


def test_messages_column_alone_and_the_column_defaults_still_import(tmp_path, capsys):
    rc = cli_main(["data", "reasoning-import", "--input", str(_messages_file(tmp_path)), "--out-dir", str(tmp_path / "o"),
                   "--messages-column", "messages"])
    assert rc == 0 and (tmp_path / "o" / "reasoning_traces.jsonl").exists()
    src = tmp_path / "c.jsonl"
    src.write_text(json.dumps({"question": "What is 2 plus 2?", "trace": "2 plus 2 is 4.", "answer": "4"}) + "\n",
                   encoding="utf-8")
    rc = cli_main(["data", "reasoning-import", "--input", str(src), "--out-dir", str(tmp_path / "c")])
    assert rc == 0 and (tmp_path / "c" / "reasoning_traces.jsonl").exists()


def test_a_seed_beside_first_sampling_is_refused(tmp_path, capsys):
    """`--sample first --seed 3` took the first rows whatever the seed, and the report recorded seed 3."""
    src = tmp_path / "c.jsonl"
    src.write_text(json.dumps({"question": "What is 2 plus 2?", "trace": "2 plus 2 is 4.", "answer": "4"}) + "\n",
                   encoding="utf-8")
    rc = cli_main(["data", "reasoning-import", "--input", str(src), "--out-dir", str(tmp_path / "o"), "--seed", "3"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "seed" in err[0] and "first" in err[0] and not (tmp_path / "o").exists()
    rc = cli_main(["data", "reasoning-import", "--input", str(src), "--out-dir", str(tmp_path / "r"), "--seed", "3",
                   "--sample", "random", "--rows", "1"])
    assert rc == 0 and json.loads((tmp_path / "r" / "reasoning_import.json").read_text())["seed"] == 3
