"""Rows in the right format but with the wrong content are refused: the conversation order, the preference
prompt, tool speakers, compressed and column-oriented files. Each error names the file, line and field."""

from __future__ import annotations

import json

import pytest
from train_fixtures import tokenizer

from picochat_hf.cli import main as cli_main
from picochat_hf.data.row_formats import normalize_row
from picochat_hf.data.schema import read_rows
from picochat_hf.tokenizer import save_tokenizer
from picochat_hf.utils.errors import PicochatInputError

U, A, S = "user", "assistant", "system"


def _msg(role: str, text: str) -> dict:
    return {"role": role, "content": text}


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("record, field, reason", [
    ({"messages": [_msg(U, "q"), _msg(A, "a"), _msg(A, "b")]}, "messages[2].role", "two assistant messages in a row"),
    ({"messages": [_msg(U, "q"), _msg(U, "q2"), _msg(A, "a")]}, "messages[1].role", "two user messages in a row"),
    ({"messages": [_msg(A, "Hi!"), _msg(U, "q"), _msg(A, "a")]}, "messages[0].role", "expected a user message"),
    ({"messages": [_msg(S, "s"), _msg(A, "a"), _msg(U, "q")]}, "messages[1].role", "expected a user message"),
    ({"messages": [_msg(U, "q"), _msg(A, "a"), _msg(S, "be brief")]}, "messages[2].role", "system message may only open"),
    ({"messages": [_msg(S, "one"), _msg(S, "two"), _msg(U, "q"), _msg(A, "a")]}, "messages[1].role", "system message"),
    ({"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}, {"from": "gpt", "value": "b"}]},
     "messages[2].role", "two assistant messages"),
    # named in the completion itself (it was named as messages[1], a list the file does not hold)
    ({"prompt": "q", "completion": [_msg(U, "not an answer")]}, "completion[0].role", "a user message in the completion"),
    ({"prompt": [_msg(U, "q"), _msg(A, "a")], "completion": "b"}, "messages[2].role", "two assistant messages"),
    ({"id": "r", "category": "c", "skill": "general", "split": "train", "source": "s",
      "messages": [_msg(U, "q"), _msg(A, "a"), _msg(A, "b")]}, "messages[2].role", "two assistant messages"),
])
def test_conversations_out_of_turn_are_refused_naming_the_message(record, field, reason):
    with pytest.raises(PicochatInputError, match=reason) as err:
        normalize_row(record, path="rows.jsonl", line=4)
    assert (err.value.path, err.value.line, err.value.field) == ("rows.jsonl", 4, field)


@pytest.mark.parametrize("messages, split", [
    ([_msg(U, "q")], "eval"),  # a prompt-only eval row (a training row with no answer is refused: test_row_training)
    ([_msg(S, "s"), _msg(U, "q"), _msg(A, "a"), _msg(U, "q2"), _msg(A, "a2")], "train"),
    ([_msg(S, "s"), _msg(U, "q"), _msg(A, "a"), _msg(U, "q2"), _msg(A, "a2")], "eval"),
])
def test_conversations_in_turn_are_kept(messages, split):
    assert normalize_row({"messages": messages}, split=split)["messages"] == messages


def test_data_shards_refuses_a_row_with_two_assistant_turns_with_exit_2(tmp_path, capsys):
    save_tokenizer(tokenizer(), tmp_path / "tok")
    rows = _jsonl(tmp_path / "rows.jsonl", [{"messages": [_msg(U, "q"), _msg(A, "a")]},
                                            {"messages": [_msg(U, "q"), _msg(A, "a"), _msg(A, "again")]}])
    rc = cli_main(["data", "shards", "--input", str(rows), "--tokenizer", str(tmp_path / "tok"), "--out-dir", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and "rows.jsonl:2, field 'messages[2].role': two assistant messages" in err[-1]
    assert not (tmp_path / "o").exists()
    with pytest.raises(PicochatInputError, match=r"rows.jsonl:2, field 'messages\[2\].role'"):
        read_rows(rows)


SKY, BLUE, GREEN = _msg(U, "Sky colour?"), _msg(A, "Blue."), _msg(A, "Green.")


@pytest.mark.parametrize("record, field", [
    ({"prompt": "What is 2+2?", "chosen": [SKY, BLUE], "rejected": [SKY, GREEN]}, "chosen"),  # another prompt inside
    ({"prompt": [_msg(U, "What is 2+2?")], "chosen": [SKY, BLUE], "rejected": [SKY, GREEN]}, "chosen"),
    ({"prompt": "Sky colour?", "chosen": [SKY, BLUE], "rejected": [_msg(U, "Grass colour?"), GREEN]}, "rejected"),
    ({"chosen": [SKY, BLUE], "rejected": [_msg(U, "Grass colour?"), GREEN]}, "rejected"),  # implicit prompts differ
    ({"prompt": "Sky colour?", "chosen": [_msg(U, "Sky colour?")], "rejected": "Green."}, "chosen"),  # no answer
    ({"chosen": "Blue.", "rejected": "Green."}, "prompt"),  # no prompt anywhere
])
def test_a_preference_pair_must_answer_one_prompt(record, field):
    from picochat_hf.training.dpo import preference_dataset

    with pytest.raises(PicochatInputError) as err:
        normalize_row(record, path="prefs.jsonl", line=7)
    assert (err.value.line, err.value.field) == (7, field)
    with pytest.raises(PicochatInputError) as err:
        preference_dataset("prefs.jsonl", [(7, record)])
    assert (err.value.line, err.value.field) == (7, field)


def test_dpo_reads_implicit_prompts_and_sharegpt_speakers_as_sft_does():
    from picochat_hf.training.dpo import preference_dataset

    system = _msg(S, "Answer briefly.")
    implicit = {"chosen": [system, SKY, BLUE], "rejected": [system, SKY, GREEN]}
    ds = preference_dataset("p.jsonl", [(1, implicit), (2, {"prompt": "Sky colour?", **implicit}),
                                        (3, {"prompt": [{"from": "human", "value": "Sky colour?"}],
                                             "chosen": [{"from": "gpt", "value": "Blue."}], "rejected": "Green."})])
    assert ds["prompt"] == [[system, SKY], [system, SKY], [SKY]]
    assert ds["chosen"] == [[BLUE]] * 3 and ds["rejected"] == [[GREEN]] * 3
    assert normalize_row(implicit)["messages"] == normalize_row({"prompt": "Sky colour?", **implicit})["messages"] == [system, SKY, BLUE]
    with pytest.raises(PicochatInputError, match="the prompt must end with a user message") as err:
        preference_dataset("p.jsonl", [(4, {"prompt": [SKY, BLUE], "chosen": "Yes.", "rejected": "No."})])
    assert err.value.field == "prompt"


def test_sharegpt_tool_speakers_read_as_the_same_tool_turn_as_trl_messages():
    call = {"name": "calculator", "arguments": {"expression": "12*7"}}
    trl = {"messages": [_msg(U, "What is 12 times 7?"),
                        {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": call}]},
                        {"role": "tool", "content": "84"}, _msg(A, "It is 84.")]}
    expect = normalize_row(trl)["messages"]
    assert expect[1]["content"] == [{"type": "python", "text": json.dumps(call)}, {"type": "python_output", "text": "84"},
                                    {"type": "text", "text": "It is 84."}]
    for result_speaker in ("observation", "tool"):
        conv = [{"from": "human", "value": "What is 12 times 7?"}, {"from": "function_call", "value": json.dumps(call)},
                {"from": result_speaker, "value": "84"}, {"from": "gpt", "value": "It is 84."}]
        assert normalize_row({"conversations": conv})["messages"] == expect
    orphan = [{"from": "human", "value": "q"}, {"from": "tool", "value": "84"}, {"from": "gpt", "value": "a"}]
    with pytest.raises(PicochatInputError, match="must follow an assistant message with tool_calls") as err:
        normalize_row({"conversations": orphan}, path="s.jsonl", line=2)
    assert err.value.field == "conversations[1].role"
    bad = [{"from": "human", "value": "q"}, {"from": "function_call", "value": "calculator(12*7)"}]
    with pytest.raises(PicochatInputError, match="tool call as JSON") as err:
        normalize_row({"conversations": bad}, path="s.jsonl", line=3)
    assert (err.value.line, err.value.field) == (3, "conversations[1].value")


def _compressed(path, data: bytes):
    import bz2
    import gzip
    import lzma

    codec = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}[path.suffix]
    path.write_bytes(codec(data))
    return path


CHATS = [{"messages": [_msg(U, f"q{i}"), _msg(A, f"a{i}")]} for i in range(3)]


@pytest.mark.parametrize("name", ["rows.jsonl.gz", "rows.ndjson.bz2", "rows.json.xz", "array.json.gz", "rows.csv.gz"])
def test_compressed_row_files_read_as_their_rows(tmp_path, name):
    from picochat_hf.data.datasets_source import iter_dataset_rows

    if name.startswith("array"):
        data = json.dumps(CHATS, indent=1)
    elif ".csv" in name:
        data = "prompt,completion,note\n" + "".join(f"q{i},a{i},\n" for i in range(3))
    else:
        data = "".join(json.dumps(r) + "\n" for r in CHATS)
    path = _compressed(tmp_path / name, data.encode("utf-8"))
    rows = read_rows(path)
    assert [r["messages"] for r in rows] == [c["messages"] for c in CHATS]
    assert [r["messages"] for r in iter_dataset_rows(str(path))] == [c["messages"] for c in CHATS]


def test_a_truncated_or_unreadable_compressed_file_is_one_input_error(tmp_path):
    import gzip

    data = "".join(json.dumps(r) + "\n" for r in CHATS * 200).encode("utf-8")
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(data)[:300])
    with pytest.raises(PicochatInputError, match="not a readable gzip file") as err:
        read_rows(cut)
    assert err.value.path == str(cut)
    (tmp_path / "rows.parquet.gz").write_bytes(gzip.compress(b"PAR1"))
    with pytest.raises(PicochatInputError, match="JSON and CSV optionally .gz"):
        read_rows(tmp_path / "rows.parquet.gz")


def _write_layout(path, records: list[dict]):
    import gzip

    import pyarrow as pa
    import pyarrow.parquet as pq

    name = path.name
    if name.endswith(".parquet"):
        pq.write_table(pa.Table.from_pylist(records), path)
    elif name.endswith(".arrow"):
        table = pa.Table.from_pylist(records)
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
    elif name.endswith(".csv"):
        cols = list(records[0])
        path.write_text(",".join(cols) + "\n" + "".join(",".join(r[c] for c in cols) + "\n" for r in records))
    elif name.endswith(".json"):
        path.write_text(json.dumps(records, indent=2))
    else:
        path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode("utf-8")))
    return path


@pytest.mark.parametrize("name", ["rows.parquet", "rows.arrow", "rows.csv", "rows.json", "rows.jsonl.gz"])
def test_data_shards_reads_chat_rows_and_documents_in_every_data_file_layout(tmp_path, name):
    from picochat_hf.data import shards as sh

    tok = tokenizer()
    rows = [{"prompt": "What is 3 + 4?", "completion": "7"}, {"prompt": "Name a fruit.", "completion": "Pear"}]
    (tmp_path / "plain.jsonl").write_text("".join(json.dumps({"messages": [_msg(U, r["prompt"]), _msg(A, r["completion"])]}) + "\n"
                                                  for r in rows))
    want = list(sh.iter_shard_pairs(sh.write_token_shards(tmp_path / "plain.jsonl", tok, tmp_path / "want", progress=False)))
    path = _write_layout(tmp_path / name, rows)
    assert sh.input_kind(path) == "conversations"
    got = list(sh.iter_shard_pairs(sh.write_token_shards(path, tok, tmp_path / "got", progress=False)))
    assert [(t.tolist(), m.tolist()) for t, m in got] == [(t.tolist(), m.tolist()) for t, m in want]
    docs = _write_layout(tmp_path / ("docs" + name[4:]), [{"text": "a plain document"}, {"text": "another one"}])
    assert sh.input_kind(docs) == "documents"
    manifest = json.loads(sh.write_token_shards(docs, tok, tmp_path / "docs_out", progress=False, val_fraction=0).read_text())
    assert manifest["input_kind"] == "documents" and manifest["documents"] == 2
    assert manifest["num_tokens"] == sum(len(tok(t)["input_ids"]) for t in ("a plain document", "another one"))


def test_data_shards_reports_a_truncated_compressed_rows_file_in_one_line(tmp_path, capsys):
    import gzip

    data = "".join(json.dumps(r) + "\n" for r in CHATS * 200).encode("utf-8")
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(data)[:300])
    save_tokenizer(tokenizer(), tmp_path / "tok")
    rc = cli_main(["data", "shards", "--input", str(cut), "--tokenizer", str(tmp_path / "tok"), "--out-dir", str(tmp_path / "o")])
    assert rc == 2 and "cut.jsonl.gz: not a readable gzip file" in capsys.readouterr().err.strip().splitlines()[-1]
    assert not (tmp_path / "o").exists()


def test_a_json_file_of_columns_reads_as_its_rows_with_lines(tmp_path):
    """{"prompt": [...], "completion": [...]} spread over lines (pandas' and datasets' column layout) was read as
    one malformed JSON line."""
    from picochat_hf.data.datasets_source import iter_dataset_rows

    path = tmp_path / "cols.json"
    path.write_text(json.dumps({"prompt": ["2+2?", "3+3?"], "completion": ["4", "6"], "id": ["a", "b"]}, indent=2))
    rows = read_rows(path)
    assert [(r["id"], r["messages"]) for r in rows] == [("a", [_msg(U, "2+2?"), _msg(A, "4")]), ("b", [_msg(U, "3+3?"), _msg(A, "6")])]
    assert [r["messages"] for r in iter_dataset_rows(str(path))] == [r["messages"] for r in rows]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"prompt": ["2+2?", "3+3?"], "completion": ["4", ""]}, indent=2))
    with pytest.raises(PicochatInputError, match="empty completion") as err:
        read_rows(bad)
    assert (err.value.line, err.value.field) == (4, "completion")  # the line the row's first value starts on
    ragged = tmp_path / "ragged.json"
    ragged.write_text(json.dumps({"prompt": ["2+2?", "3+3?"], "completion": ["4"]}, indent=2))
    with pytest.raises(PicochatInputError, match="column 'completion' has 1 values, column 'prompt' has 2"):
        read_rows(ragged)


def test_tool_calls_read_through_arrow_carry_only_their_own_arguments(tmp_path):
    """Arrow stores all calls' arguments as one struct: read back from parquet or a saved dataset, a calculator call
    had the weather tool's `city` and `days` as null and was trained as {"expression": .., "city": null, ..}."""
    from datasets import Dataset

    from picochat_hf.data.datasets_source import iter_dataset_rows

    def chat(q, name, args, result, answer):
        return {"messages": [_msg(U, q), {"role": "assistant", "content": "",
                                          "tool_calls": [{"type": "function", "function": {"name": name, "arguments": args}}]},
                             {"role": "tool", "content": result}, _msg(A, answer)]}

    records = [chat("12*7?", "calc", {"expression": "12*7"}, "84", "84."),
               chat("Weather?", "weather", {"city": "Paris", "days": 2}, "sun", "Sunny.")]
    as_json = [normalize_row(r)["messages"] for r in records]
    assert as_json[0][1]["content"][0]["text"] == json.dumps({"name": "calc", "arguments": {"expression": "12*7"}})
    Dataset.from_list(records).save_to_disk(str(tmp_path / "saved"))
    Dataset.from_list(records).to_parquet(str(tmp_path / "calls.parquet"))
    assert [r["messages"] for r in iter_dataset_rows(str(tmp_path / "saved"))] == as_json
    assert [r["messages"] for r in read_rows(tmp_path / "calls.parquet")] == as_json


def test_nan_cells_of_a_pandas_written_file_count_as_missing(tmp_path):
    """pandas writes a gap in a numeric column as NaN: an id column with gaps gave every gap the id "nan" (rows
    keyed by id then collide) and a max_words gap was refused as a float."""
    import pandas as pd

    frame = pd.DataFrame({"prompt": ["2+2?", "3+3?", "4+4?"], "completion": ["4", "6", "8"],
                          "id": [1.0, float("nan"), float("nan")], "max_words": pd.array([3, None, 5], dtype="Int64")})
    frame.to_parquet(tmp_path / "rows.parquet")
    rows = read_rows(tmp_path / "rows.parquet")
    assert [r["id"] for r in rows] == ["1.0", "rows.parquet:2", "rows.parquet:3"]
    assert [r.get("max_words") for r in rows] == [3, None, 5]
    assert "id" in rows[1]["defaults"] and "id" not in rows[0]["defaults"]
    row = normalize_row({"prompt": "2+2?", "completion": "4", "max_words": float("nan")})
    assert "max_words" not in row
    with pytest.raises(PicochatInputError, match="expected int, got float"):  # a value stays strictly typed
        normalize_row({"prompt": "2+2?", "completion": "4", "max_words": 3.0})


def test_a_tool_result_whose_call_id_names_no_waiting_call_is_refused():
    """Two calls with ids c1 and c2, a result for "c9": it was put after the first call, so the model learned
    that c1 returned what no call returned."""
    def call(expr, cid):
        return {"type": "function", "id": cid, "function": {"name": "calc", "arguments": {"expression": expr}}}

    msgs = [_msg(U, "What are 2*3 and 4*5?"), {"role": "assistant", "content": "", "tool_calls": [call("2*3", "c1"), call("4*5", "c2")]},
            {"role": "tool", "tool_call_id": "c9", "content": "6"}, {"role": "tool", "tool_call_id": "c2", "content": "20"},
            _msg(A, "6 and 20.")]
    with pytest.raises(PicochatInputError, match="tool_call_id 'c9' answers none of the calls still waiting") as err:
        normalize_row({"messages": msgs}, path="t.jsonl", line=5)
    assert (err.value.line, err.value.field) == (5, "messages[2].tool_call_id")
    twice = msgs[:2] + [{"role": "tool", "tool_call_id": "c1", "content": "6"}, {"role": "tool", "tool_call_id": "c1", "content": "7"}]
    with pytest.raises(PicochatInputError, match="'c1' answers none of the calls still waiting \\('c2'\\)"):
        normalize_row({"messages": twice + [_msg(A, "6 and 7.")]})


def test_an_answer_after_a_tool_call_without_its_result_is_refused():
    """[user, assistant(call), assistant "It is 84."] was read as one turn: call, then the answer, as if the
    tool had returned 84 (the model learns to answer without waiting for the result)."""
    call = {"type": "function", "function": {"name": "calc", "arguments": {"expression": "12*7"}}}
    msgs = [_msg(U, "12*7?"), {"role": "assistant", "content": "", "tool_calls": [call]}, _msg(A, "It is 84.")]
    with pytest.raises(PicochatInputError, match="1 tool call\\(s\\) before it have no result") as err:
        normalize_row({"messages": msgs}, path="t.jsonl", line=2)
    assert (err.value.line, err.value.field) == (2, "messages[2].role")
    ends_on_call = msgs[:2]  # a row that teaches the call itself stays accepted
    assert normalize_row({"messages": ends_on_call})["messages"][1]["content"][0]["type"] == "python"


def test_data_shards_of_a_named_chat_dataset_holds_its_conversations(tmp_path):
    """--dataset_name with chat rows (a saved DatasetDict of TRL messages) was read as documents and refused for
    lack of a text column; it now gives the same tokens and masks as the rows in a file."""
    from datasets import Dataset, DatasetDict

    from picochat_hf.data import shards as sh

    tok = tokenizer()
    tok.save_pretrained(tmp_path / "tok")
    DatasetDict({"train": Dataset.from_list(CHATS), "test": Dataset.from_list(CHATS[:1])}).save_to_disk(str(tmp_path / "chats"))
    _jsonl(tmp_path / "chats.jsonl", CHATS)
    want = list(sh.iter_shard_pairs(sh.write_token_shards(tmp_path / "chats.jsonl", tok, tmp_path / "want", progress=False)))
    rc = cli_main(["data", "shards", "--dataset_name", str(tmp_path / "chats"), "--tokenizer", str(tmp_path / "tok"),
                   "--out-dir", str(tmp_path / "got")])
    assert rc == 0
    manifest = sh.load_shard_manifest(tmp_path / "got", verify_sha256=True)
    assert manifest["input_kind"] == "conversations" and manifest["sequences"] == 3
    assert manifest["row_formats"]["formats"] == {"conversational": 3}
    got = list(sh.iter_shard_pairs(tmp_path / "got"))
    assert [(t.tolist(), m.tolist()) for t, m in got] == [(t.tolist(), m.tolist()) for t, m in want]


def test_a_tool_call_naming_a_key_twice_is_refused():
    """A call given as JSON text (ShareGPT `function_call`, or TRL arguments as a string) that names a key twice would
    train the model on one value while a reader shows the other: refused with the row's line and field; the same
    call with each key once is read."""
    twice = '{"name": "calculator", "arguments": {"expression": "12*7", "expression": "99*99"}}'
    conv = [{"from": "human", "value": "What is 12 times 7?"}, {"from": "function_call", "value": twice},
            {"from": "tool", "value": "84"}, {"from": "gpt", "value": "It is 84."}]
    with pytest.raises(PicochatInputError, match="'expression' twice") as err:
        normalize_row({"conversations": conv}, path="s.jsonl", line=4)
    assert (err.value.line, err.value.field) == (4, "conversations[1].value")
    args = '{"expression": "12*7", "expression": "99*99"}'
    trl = {"messages": [_msg(U, "What is 12 times 7?"),
                        {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function":
                                                                             {"name": "calculator", "arguments": args}}]},
                        {"role": "tool", "content": "84"}, _msg(A, "It is 84.")]}
    with pytest.raises(PicochatInputError, match="arguments name 'expression' twice"):
        normalize_row(trl, path="s.jsonl", line=5)
    once = json.loads(json.dumps(trl))
    once["messages"][1]["tool_calls"][0]["function"]["arguments"] = '{"expression": "12*7"}'
    assert '"12*7"' in normalize_row(once)["messages"][1]["content"][0]["text"]
