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
                   "--sample", "random", "--max-rows", "1"])
    assert rc == 0 and json.loads((tmp_path / "r" / "reasoning_import.json").read_text())["seed"] == 3


# -- a `system` column is the row's system prompt in the column layout as in the messages layout ----------------------

def _column_rows(tmp_path, *rows):
    src = tmp_path / "s.jsonl"
    src.write_text("".join(json.dumps({"question": "What is 2 plus 2?", "trace": "2 plus 2 is 4.", "answer": "4", **r}) + "\n"
                           for r in rows), encoding="utf-8")
    return src


def _imported(src, out, **kw):
    from picochat_hf.data.reasoning_import import import_reasoning_traces
    from picochat_hf.data.schema import read_rows

    return read_rows(import_reasoning_traces([src], out, **kw)["rows"])


def test_a_system_column_beside_the_question_column_opens_the_row(tmp_path):
    """A question/trace/answer row with a `system` column lost it (the messages layout kept it): the answer was
    trained without the instruction it follows."""
    rows = _imported(_column_rows(tmp_path, {"system": "Answer in one word."}), tmp_path / "o")
    assert [m["role"] for m in rows[0]["messages"]] == ["system", "user", "assistant"]
    assert rows[0]["messages"][0]["content"] == "Answer in one word."


@pytest.mark.parametrize("system,prompt,expected", [
    ("Answer in one word.", "Think first.", "Answer in one word."),  # the row's own, as for a messages row
    ("", "Think first.", "Think first."),  # a blank system column says nothing
    (None, None, None),
])
def test_the_system_prompt_flag_fills_in_only_rows_without_their_own(tmp_path, system, prompt, expected):
    rows = _imported(_column_rows(tmp_path, {"system": system}), tmp_path / "o", system_prompt=prompt)
    first = rows[0]["messages"][0]
    assert (first["content"] if first["role"] == "system" else None) == expected
    assert [m["role"] for m in rows[0]["messages"]].count("system") == (1 if expected else 0)


def test_a_system_column_that_is_not_text_is_refused_naming_it(tmp_path, capsys):
    rc = cli_main(["data", "reasoning-import", "--input", str(_column_rows(tmp_path, {"system": 3})), "--out-dir",
                   str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "'system'" in err[0] and ":1" in err[0] and not (tmp_path / "o").exists()


def test_a_system_column_mapped_as_the_question_is_not_read_twice(tmp_path):
    src = tmp_path / "q.jsonl"
    src.write_text(json.dumps({"system": "What is 2 plus 2?", "trace": "2 plus 2 is 4.", "answer": "4"}) + "\n",
                   encoding="utf-8")
    rows = _imported(src, tmp_path / "o", question_column="system")
    assert [m["role"] for m in rows[0]["messages"]] == ["user", "assistant"]
