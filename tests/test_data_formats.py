"""Standard row formats everywhere: TRL conversational (tools), prompt/completion, preference, picochat rows;
datasets by name (save_to_disk folders, parquet, JSON lines, TRL mixtures), all offline."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from train_fixtures import chat_rows, picochat_model, save_model_dir, stub_preflight, tokenizer

from picochat_hf.cli import main as cli_main
from picochat_hf.data import shards as sh
from picochat_hf.data.datasets_source import config_records, load_records
from picochat_hf.data.row_formats import defaults_summary, normalize_row
from picochat_hf.data.schema import read_rows
from picochat_hf.training.dpo import preference_dataset
from picochat_hf.utils.errors import PicochatInputError

TOOL_CHAT = {"messages": [
    {"role": "system", "content": "You can call tools."},
    {"role": "user", "content": "What is 12 times 7?"},
    {"role": "assistant", "content": "", "tool_calls": [
        {"type": "function", "function": {"name": "calculator", "arguments": {"expression": "12*7"}}}]},
    {"role": "tool", "name": "calculator", "content": "84"},
    {"role": "assistant", "content": "It is 84."},
    {"role": "user", "content": "Thanks!"},
    {"role": "assistant", "content": [{"type": "text", "text": "You're welcome."}]},
]}


@pytest.fixture(autouse=True)
def ready_gate(monkeypatch):
    stub_preflight(monkeypatch, "ready")


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_trl_conversation_with_tool_calls_renders_on_picochats_tool_channel():
    used: Counter = Counter()
    row = normalize_row(TOOL_CHAT, path="chats.jsonl", line=3, defaults_used=used)
    call = json.dumps({"name": "calculator", "arguments": {"expression": "12*7"}})
    assert row["messages"] == [
        {"role": "system", "content": "You can call tools."},
        {"role": "user", "content": "What is 12 times 7?"},
        {"role": "assistant", "content": [{"type": "python", "text": call}, {"type": "python_output", "text": "84"},
                                          {"type": "text", "text": "It is 84."}]},
        {"role": "user", "content": "Thanks!"},
        {"role": "assistant", "content": "You're welcome."},
    ]
    assert row["id"] == "chats.jsonl:3" and row["category"] == row["skill"] == "general"
    assert row["split"] == "train" and row["source"] == "chats.jsonl"
    assert row["defaults"] == ["id", "category", "skill", "split", "source"]
    assert defaults_summary(used)["formats"] == {"conversational": 1}
    tok = tokenizer()
    enc = tok.apply_chat_template(row["messages"], tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    supervised = tok.decode([t for t, m in zip(enc["input_ids"], enc["assistant_masks"]) if m])
    # the call and the answers are trained on; the tool's output is not
    assert supervised == f"<|python_start|>{call}<|python_end|>It is 84.<|assistant_end|>You're welcome.<|assistant_end|>"


def test_prompt_completion_preference_and_picochat_rows(tmp_path):
    picochat = chat_rows(0)[0]
    path = _jsonl(tmp_path / "mixed.jsonl", [
        {"prompt": "Say hi.", "completion": "Hi."},
        {"prompt": [{"role": "user", "content": "Say bye."}], "completion": [{"role": "assistant", "content": "Bye."}],
         "category": "manners"},
        {"prompt": "2+2?", "chosen": "4", "rejected": "5"},
        {"chosen": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Blue."}],
         "rejected": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Seven."}]},
        picochat,
    ])
    used: dict = {}
    rows = read_rows(path, split="eval", defaults_used=used)
    assert [r["messages"][-1]["content"] for r in rows] == ["Hi.", "Bye.", "4", "Blue.", picochat["messages"][-1]["content"]]
    assert rows[1]["category"] == "manners" and "category" not in rows[1]["defaults"]
    assert rows[2]["split"] == "eval" and rows[2]["id"] == "mixed.jsonl:3"
    assert rows[4] == picochat and "defaults" not in rows[4]  # complete picochat rows pass unchanged
    summary = defaults_summary(used)
    assert summary["formats"] == {"picochat": 1, "preference": 2, "prompt_completion": 2}
    assert summary["defaulted_fields"] == {"id": 4, "category": 3, "skill": 4, "split": 4, "source": 4}


def test_rows_without_chat_columns_name_file_line_and_field(tmp_path):
    path = _jsonl(tmp_path / "bad.jsonl", [{"prompt": "a", "completion": "b"}, {"question": "q", "answer": "a"}])
    with pytest.raises(PicochatInputError, match=r"bad.jsonl:2, field 'messages': no chat columns.*columns are question, answer"):
        read_rows(path)
    bad_role = _jsonl(tmp_path / "role.jsonl", [{"messages": [{"role": "robot", "content": "x"}]}])
    with pytest.raises(PicochatInputError, match=r"role.jsonl:1, field 'messages\[0\].role'"):
        read_rows(bad_role)
    orphan = _jsonl(tmp_path / "tool.jsonl", [{"messages": [{"role": "user", "content": "x"}, {"role": "tool", "content": "1"}]}])
    with pytest.raises(PicochatInputError, match=r"tool.jsonl:1, field 'messages\[1\].role': a tool message must follow"):
        read_rows(orphan)


def test_token_shards_from_a_trl_messages_file(tmp_path):
    """The issue's first report: a TRL conversational JSONL was refused by `data shards` for lack of 'category'."""
    tok = tokenizer()
    tok.save_pretrained(tmp_path / "tok")
    path = _jsonl(tmp_path / "chats.jsonl", [TOOL_CHAT, {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}])
    assert cli_main(["data", "shards", "--input", str(path), "--tokenizer", str(tmp_path / "tok"), "--out-dir", str(tmp_path / "s")]) == 0
    manifest = json.loads((tmp_path / "s" / "shards.json").read_text())
    assert manifest["input_kind"] == "conversations" and manifest["sequences"] == 2
    assert manifest["row_formats"]["formats"] == {"conversational": 2}
    assert manifest["row_formats"]["defaulted_fields"] == {"id": 2, "category": 2, "skill": 2, "split": 2, "source": 2}


def _dataset_dict(tmp_path):
    from datasets import Dataset, DatasetDict

    rows = [{"prompt": f"What is {a} plus {a}?", "completion": f"{2 * a}."} for a in range(1, 25)]
    folder = tmp_path / "ds"
    DatasetDict({"train": Dataset.from_list(rows[:20]), "test": Dataset.from_list(rows[20:])}).save_to_disk(str(folder))
    return folder, rows


def test_load_records_from_folder_parquet_and_missing_split(tmp_path):
    folder, rows = _dataset_dict(tmp_path)
    assert [r for _, r in load_records(str(folder), split="test")] == rows[20:]
    assert [r for _, r in load_records(str(folder), split="test", streaming=True)] == rows[20:]
    from datasets import Dataset

    Dataset.from_list(rows).to_parquet(str(tmp_path / "rows.parquet"))
    assert [r for _, r in load_records(str(tmp_path / "rows.parquet"))] == rows
    with pytest.raises(PicochatInputError, match=r"ds, field 'dataset_test_split': no split 'validation' \(splits: train, test\)"):
        list(load_records(str(folder), split="validation", split_field="dataset_test_split"))
    with pytest.raises(PicochatInputError, match=r"field 'dataset_name': could not load dataset"):
        list(load_records("no-such-org/no-such-dataset"))


def _sft_args(tmp_path, out):
    base = save_model_dir(picochat_model(), tmp_path / "base")
    return ["--checkpoint", str(base), "--out-dir", str(out), "--steps", "2", "--batch-size", "2", "--seq-len", "64",
            "--device", "cpu", "--learning-rate", "1e-3"]


def test_train_sft_from_a_saved_dataset_folder_with_test_split(tmp_path, capsys):
    folder, _ = _dataset_dict(tmp_path)
    out = tmp_path / "run" / "sft"
    args = _sft_args(tmp_path, out)
    rc = cli_main(["train", "sft", "--dataset_name", str(folder), "--dataset_test_split", "test", "--eval-steps", "1", *args])
    assert rc == 0, capsys.readouterr().err
    report = json.loads((out / "train_report.json").read_text())
    assert report["data"]["train_input"] == str(out / "inputs" / "sft_rows.jsonl") and report["data"]["train_rows"] == 20
    assert report["data"]["train_dataset"]["dataset_name"] == str(folder)  # the split, materialised for the preflight
    assert report["data"]["eval_input"] == str(out / "inputs" / "eval_rows.jsonl") and report["data"]["eval_examples"] == 4
    assert report["data"]["row_formats"]["formats"] == {"prompt_completion": 24}
    assert report["data"]["row_formats"]["defaulted_fields"]["category"] == 24
    bad = tmp_path / "run2" / "sft"
    rc = cli_main(["train", "sft", "--dataset_name", str(folder), "--dataset_test_split", "validation",
                   *_sft_args(tmp_path, bad)[:2], *["--out-dir", str(bad)], *args[4:]])
    assert rc == 2 and "field 'dataset_test_split': no split 'validation'" in capsys.readouterr().err
    assert not bad.exists()


def test_train_sft_from_a_trl_mixture_yaml(tmp_path):
    from picochat_hf.training.config import PicochatSFTConfig, parse_config
    from picochat_hf.training.sft import run_sft

    a = _jsonl(tmp_path / "a.jsonl", [TOOL_CHAT] * 6)
    b = _jsonl(tmp_path / "b.jsonl", [{"prompt": "Hi", "completion": "Hello"}] * 4)
    (tmp_path / "mix.yaml").write_text(f"datasets:\n  - path: json\n    data_files: {a}\n  - path: json\n    data_files: {b}\n"
                                       "max_steps: 2\nper_device_train_batch_size: 2\nmax_length: 96\ndevice_kind: cpu\n")
    base = save_model_dir(picochat_model(), tmp_path / "base")
    config = parse_config(PicochatSFTConfig, ["--config", str(tmp_path / "mix.yaml"), "--checkpoint", str(base),
                                              "--output_dir", str(tmp_path / "run" / "sft")])
    found = config_records(config)
    assert found[0] == "mixture[json+json]" and len(list(found[1])) == 10
    out = run_sft(config)
    report = json.loads((out / "train_report.json").read_text())
    assert report["data"]["train_rows"] == 10
    assert report["data"]["row_formats"]["formats"] == {"conversational": 6, "prompt_completion": 4}


def test_preference_rows_from_a_dataset_in_trl_formats(tmp_path):
    from datasets import Dataset

    prefs = [{"prompt": [{"role": "user", "content": "2+2?"}], "chosen": [{"role": "assistant", "content": "4"}],
              "rejected": [{"role": "assistant", "content": "5"}]},
             {"prompt": "3+3?", "chosen": "6", "rejected": "7"}]
    folder = tmp_path / "prefs"
    Dataset.from_list(prefs[1:] * 3).save_to_disk(str(folder))
    ds = preference_dataset(str(folder), load_records(str(folder)))
    assert ds[0] == {"prompt": [{"role": "user", "content": "3+3?"}], "chosen": [{"role": "assistant", "content": "6"}],
                     "rejected": [{"role": "assistant", "content": "7"}]}
    path = _jsonl(tmp_path / "conv.jsonl", prefs[:1])
    assert preference_dataset(str(path), load_records(str(path)))[0]["chosen"] == [{"role": "assistant", "content": "4"}]
    bad = _jsonl(tmp_path / "bad.jsonl", [{"prompt": "x", "chosen": [{"role": "user", "content": "no"}], "rejected": "y"}])
    with pytest.raises(PicochatInputError, match=r"bad.jsonl:1, field 'chosen'"):
        preference_dataset(str(bad), load_records(str(bad)))


def test_eval_rows_in_trl_format_still_need_a_scoring_rule(tmp_path):
    from picochat_hf.eval.scoring import read_scored_rows

    ok = _jsonl(tmp_path / "ok.jsonl", [{"messages": [{"role": "user", "content": "2+2?"}], "must_include": ["4"]}])
    (row,) = read_scored_rows(ok)
    assert row["split"] == "eval" and row["defaults"] == ["id", "category", "skill", "split", "source"]
    bad = _jsonl(tmp_path / "norule.jsonl", [{"prompt": "2+2?", "completion": "4"}])
    with pytest.raises(PicochatInputError, match=r"norule.jsonl:1"):
        read_scored_rows(bad)


def test_shards_from_a_named_dataset(tmp_path):
    from datasets import Dataset

    tok = tokenizer()
    tok.save_pretrained(tmp_path / "tok")
    docs = [{"text": f"Document {i}: the fox runs."} for i in range(30)]
    Dataset.from_list(docs).to_parquet(str(tmp_path / "docs.parquet"))
    rc = cli_main(["data", "shards", "--dataset_name", str(tmp_path / "docs.parquet"), "--tokenizer", str(tmp_path / "tok"),
                   "--out-dir", str(tmp_path / "s"), "--val-fraction", "0.2"])
    assert rc == 0
    manifest = sh.load_shard_manifest(tmp_path / "s", verify_sha256=True)
    assert manifest["documents"] == 30 and manifest["splits"]["val"]["sequences"] >= 1
    rc = cli_main(["data", "shards", "--dataset_name", str(tmp_path / "docs.parquet"), "--text-column", "body",
                   "--tokenizer", str(tmp_path / "tok"), "--out-dir", str(tmp_path / "s2")])
    assert rc == 2 and not (tmp_path / "s2").exists()


def test_data_import_from_a_saved_dataset_folder(tmp_path, capsys):
    from datasets import Dataset, DatasetDict

    from picochat_hf.data.dataset_pack import iter_pack_documents

    docs = [{"text": f"Document number {i} is about foxes and dogs."} for i in range(12)]
    DatasetDict({"train": Dataset.from_list(docs)}).save_to_disk(str(tmp_path / "dsd"))
    assert cli_main(["data", "import", "--dataset_name", str(tmp_path / "dsd"), "--out-dir", str(tmp_path / "pack")]) == 0
    assert [d["text"] for d in iter_pack_documents(tmp_path / "pack")] == [d["text"] for d in docs]
    assert cli_main(["data", "import", "--dataset_name", str(tmp_path / "dsd"), "--dataset_train_split", "test",
                     "--out-dir", str(tmp_path / "pack2")]) == 2
    assert "field 'dataset_train_split': no split 'test' (splits: train)" in capsys.readouterr().err
    assert not (tmp_path / "pack2").exists()


def test_byte_order_mark_and_crlf_files_read_as_their_rows_and_bad_bytes_name_the_line(tmp_path):
    from picochat_hf.data.readers import iter_file_documents

    chat = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + (json.dumps(chat) + "\r\n").encode() * 2)
    rows = read_rows(bom)
    assert [r["messages"] for r in rows] == [chat["messages"], chat["messages"]]
    docs = tmp_path / "docs.jsonl"
    docs.write_bytes(b"\xef\xbb\xbf" + b'{"text": "first"}\r\n{"text": "second"}\r\n')
    assert [d["text"] for d in iter_file_documents(docs)] == ["first", "second"]
    txt = tmp_path / "doc.txt"
    txt.write_bytes(b"\xef\xbb\xbfTitle\r\n\r\nBody\r\n")
    assert [d["text"] for d in iter_file_documents(txt)] == ["Title\n\nBody"]
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes((json.dumps(chat) + "\n").encode() + '{"messages": [{"role": "user", "content": "caf\u00e9"}]}\n'.encode("latin-1"))
    with pytest.raises(PicochatInputError) as err:
        read_rows(latin)
    assert err.value.line == 2 and "not UTF-8" in err.value.reason
    latin_docs = tmp_path / "latin_docs.jsonl"
    latin_docs.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    with pytest.raises(PicochatInputError) as err:
        list(iter_file_documents(latin_docs))
    assert err.value.line == 2


def test_json_array_csv_and_arrow_files_read_as_their_rows_with_lines(tmp_path):
    import datasets
    import pyarrow as pa

    from picochat_hf.data.datasets_source import iter_dataset_documents

    pairs = [{"prompt": "Capital of France?", "completion": "Paris."}, {"prompt": "2+2?", "completion": "4"}]
    expect = [[{"role": "user", "content": p["prompt"]}, {"role": "assistant", "content": p["completion"]}] for p in pairs]
    arr = tmp_path / "pairs.json"
    arr.write_text(json.dumps(pairs, indent=2), encoding="utf-8")
    rows = read_rows(arr)
    assert [r["messages"] for r in rows] == expect and [r["id"] for r in rows] == ["pairs.json:2", "pairs.json:6"]
    one_line = tmp_path / "one.json"
    datasets.Dataset.from_list(pairs).to_json(str(one_line), lines=False)
    assert [r["messages"] for r in read_rows(one_line)] == expect
    assert [rec for _, rec in load_records(str(one_line))] == pairs
    csv_file = tmp_path / "pairs.csv"
    csv_file.write_text('prompt,completion\r\n"Capital of\nFrance?",Paris.\r\n2+2?,4\r\n', encoding="utf-8")
    got = read_rows(csv_file)
    assert got[0]["messages"][0]["content"] == "Capital of\nFrance?" and [r["id"] for r in got] == ["pairs.csv:2", "pairs.csv:4"]
    table = pa.Table.from_pylist(pairs)
    stream, ipc_file = tmp_path / "pairs.arrow", tmp_path / "file" / "pairs.arrow"
    ipc_file.parent.mkdir()
    with pa.ipc.new_stream(str(stream), table.schema) as w:
        w.write_table(table)
    with pa.ipc.new_file(str(ipc_file), table.schema) as w:
        w.write_table(table)
    assert [r["messages"] for r in read_rows(stream)] == expect == [r["messages"] for r in read_rows(ipc_file)]
    blanks = tmp_path / "blanks.csv"
    blanks.write_text("id,prompt,completion,category\n,2+2?,4,\nq7,3+3?,6,math\n", encoding="utf-8")
    got = read_rows(blanks)
    assert [(r["id"], r["category"]) for r in got] == [("blanks.csv:2", "general"), ("q7", "math")]
    assert got[0]["defaults"] == ["id", "category", "skill", "split", "source"]
    docs = tmp_path / "docs.csv"
    docs.write_text("id,text\nd1,first doc\nd2,second doc\n", encoding="utf-8")
    assert [(d["id"], d["text"]) for d in iter_dataset_documents(str(docs))] == [("d1", "first doc"), ("d2", "second doc")]


@pytest.mark.parametrize("name,content,line", [
    ("bad.json", '[\n  {"prompt": "a", "completion": "b"},\n  {"prompt": "c" "completion": "d"}\n]', 3),
    ("bad.json", '[\n  {"prompt": "a", "completion": "b"},\n  7\n]', 3),
    ("bad.json", '[\n  {"prompt": "a", "completion": "b"}\n  {"prompt": "c", "completion": "d"}\n]', 3),
    ("bad.csv", "prompt,completion\na,b\nc,d,e\n", 3),
    ("bad.csv", "prompt,completion\na,b\n,\n", 3),
    ("bad.csv", "prompt,completion\na,b\nc,\n", 3),
])
def test_malformed_json_arrays_and_csv_rows_name_their_line(tmp_path, name, content, line):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PicochatInputError) as err:
        read_rows(path)
    assert err.value.line == line and str(path) in str(err.value)


@pytest.mark.parametrize("record,field", [
    ({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": ""}]}, "messages[1].content"),
    ({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "  \n"}]}, "messages[1].content"),
    ({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant"}]}, "messages[1].content"),
    ({"messages": [{"role": "user"}, {"role": "assistant", "content": "x"}]}, "messages[0].content"),
    ({"messages": [{"role": "user", "content": [{"type": "text", "text": ""}]}, {"role": "assistant", "content": "x"}]},
     "messages[0].content"),
    ({"prompt": "hi", "completion": ""}, "completion"),
    ({"prompt": "", "completion": "x"}, "prompt"),
    ({"prompt": 3, "completion": "x"}, "prompt"),
    ({"prompt": "q", "chosen": "  ", "rejected": "b"}, "chosen"),
    ({"messages": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "what is this?"}]},
                   {"role": "assistant", "content": "a cat"}]}, "messages[0].content[0]"),
    ({"messages": [{"role": "user", "content": [{"type": "image_url", "text": "http://x/cat.png"},
                                                {"type": "text", "text": "what is this?"}]},
                   {"role": "assistant", "content": "a cat"}]}, "messages[0].content[0]"),
    ({"id": "r1", "category": "c", "skill": "general", "split": "train", "source": "s",
      "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": ""}]}, "messages[1].content"),
    ({"id": "r1", "category": "c", "skill": "general", "split": "train", "source": "s",
      "messages": [{"role": "user", "content": " "}]}, "messages[0].content"),
])
def test_empty_messages_and_non_text_parts_are_refused_naming_the_field(record, field):
    with pytest.raises(PicochatInputError) as err:
        normalize_row(record, path="rows.jsonl", line=4)
    assert err.value.field == field and err.value.line == 4


def test_empty_system_prompts_are_left_out_and_text_parts_join():
    row = normalize_row({"messages": [{"role": "system", "content": ""},
                                      {"role": "user", "content": [{"type": "text", "text": "Hello "}, {"text": "there"}]},
                                      {"role": "assistant", "content": "Hi."}]}, path="rows.jsonl", line=1)
    assert row["messages"] == [{"role": "user", "content": "Hello there"}, {"role": "assistant", "content": "Hi."}]


def test_preference_prompt_is_not_doubled_and_rejected_is_checked():
    user, blue, green = ({"role": "user", "content": "Sky colour?"}, {"role": "assistant", "content": "Blue."},
                         {"role": "assistant", "content": "Green."})
    expect = [user, blue]
    full = {"chosen": [user, blue], "rejected": [user, green]}
    assert normalize_row({"prompt": "Sky colour?", **full})["messages"] == expect  # ultrafeedback_binarized's shape
    assert normalize_row({"prompt": [user], **full})["messages"] == expect
    assert normalize_row({"prompt": [user], "chosen": [blue], "rejected": [green]})["messages"] == expect
    assert normalize_row({"prompt": "Sky colour?", "chosen": [blue], "rejected": [green]})["messages"] == expect
    assert normalize_row({"prompt": "Sky colour?", "chosen": "Blue.", "rejected": "Green."})["messages"] == expect
    for rejected, field in ((7, "rejected"), ("", "rejected"), ([user, {"role": "assistant", "content": " "}], "rejected[1].content"),
                            ([{"role": "robot", "content": "x"}], "rejected[0].role")):
        with pytest.raises(PicochatInputError) as err:
            normalize_row({"prompt": "Sky colour?", "chosen": "Blue.", "rejected": rejected}, path="p.jsonl", line=2)
        assert err.value.field == field and err.value.line == 2


def test_sharegpt_and_alpaca_rows_read_as_their_conversations(tmp_path):
    import datasets

    sharegpt = {"conversations": [{"from": "system", "value": ""}, {"from": "human", "value": "Capital of France?"},
                                  {"from": "gpt", "value": "Paris."}, {"from": "human", "value": "And Spain?"},
                                  {"from": "gpt", "value": "Madrid."}], "source": "sg"}
    alpaca = [{"instruction": "Translate to French.", "input": "cat", "output": "chat", "system": None, "history": None},
              {"instruction": "Name a colour.", "input": "", "output": "Blue.", "system": "", "history": []},
              {"instruction": "And another?", "input": None, "output": "Red.", "system": "Be brief.",
               "history": [["Name a colour.", "Blue."]]}]
    used: Counter = Counter()
    row = normalize_row(sharegpt, path="sg.jsonl", line=1, defaults_used=used)
    assert row["messages"] == [{"role": "user", "content": "Capital of France?"}, {"role": "assistant", "content": "Paris."},
                               {"role": "user", "content": "And Spain?"}, {"role": "assistant", "content": "Madrid."}]
    assert "conversations" not in row and row["source"] == "sg"
    folder = tmp_path / "alpaca_ds"
    datasets.DatasetDict({"train": datasets.Dataset.from_list(alpaca)}).save_to_disk(str(folder))
    got = [r["messages"] for _, r in _dataset_rows(folder, used)]
    assert got == [
        [{"role": "user", "content": "Translate to French.\n\ncat"}, {"role": "assistant", "content": "chat"}],
        [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Blue."}],
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Name a colour."},
         {"role": "assistant", "content": "Blue."}, {"role": "user", "content": "And another?"},
         {"role": "assistant", "content": "Red."}]]
    assert defaults_summary(used)["formats"] == {"alpaca": 3, "sharegpt": 1}


def _dataset_rows(folder, used):
    from picochat_hf.data.datasets_source import iter_dataset_rows

    return enumerate(iter_dataset_rows(str(folder), defaults_used=used))


@pytest.mark.parametrize("record,field", [
    ({"conversations": [{"from": "human", "value": "hi"}, {"from": "bard", "value": "yo"}]}, "conversations[1].from"),
    ({"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": ""}]}, "conversations[1].content"),
    ({"conversations": [{"from": "human", "value": 5}, {"from": "gpt", "value": "x"}]}, "conversations[0].content"),
    ({"conversations": []}, "conversations"),
    ({"instruction": "Say hi.", "input": "", "output": ""}, "output"),
    ({"instruction": " ", "output": "hi"}, "instruction"),
    ({"instruction": "Say hi.", "input": 3, "output": "hi"}, "input"),
    ({"instruction": "Say hi.", "output": ["hi"]}, "output"),
    ({"instruction": "Say hi.", "output": "hi", "history": [["q"]]}, "history[0]"),
])
def test_malformed_sharegpt_and_alpaca_rows_name_the_field(record, field):
    with pytest.raises(PicochatInputError) as err:
        normalize_row(record, path="rows.jsonl", line=3)
    assert err.value.field == field and err.value.line == 3


def test_a_saved_single_split_is_not_read_as_another_split(tmp_path):
    import datasets

    rows = [{"prompt": f"q{i}", "completion": f"a{i}"} for i in range(3)]
    folder = tmp_path / "train_only"
    datasets.Dataset.from_list(rows, split=datasets.Split.TRAIN).save_to_disk(str(folder))
    assert [r for _, r in load_records(str(folder), split="train")] == rows
    with pytest.raises(PicochatInputError) as err:
        list(load_records(str(folder), split="test", split_field="dataset_test_split"))
    assert err.value.field == "dataset_test_split" and "holds the 'train' split" in err.value.reason
    unnamed = tmp_path / "unnamed"
    datasets.Dataset.from_list(rows).save_to_disk(str(unnamed))  # no split recorded: the folder is the split asked for
    assert [r for _, r in load_records(str(unnamed), split="test")] == rows


@pytest.mark.parametrize("value", [True, False, 2.0, "3"])
def test_max_words_must_be_an_integer_not_a_boolean(value):
    row = {"messages": [{"role": "user", "content": "Name a colour."}], "must_include": ["blue"], "max_words": value}
    with pytest.raises(PicochatInputError) as err:
        normalize_row(row, path="eval.jsonl", line=5, split="eval")
    assert err.value.field == "max_words" and err.value.line == 5
    assert normalize_row({**row, "max_words": 3}, path="eval.jsonl", line=5)["max_words"] == 3


@pytest.mark.parametrize("row_id", ["", "  "])
def test_an_empty_row_id_is_refused(row_id):
    row = {"id": row_id, "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}
    with pytest.raises(PicochatInputError) as err:
        normalize_row(row, path="rows.jsonl", line=2)
    assert err.value.field == "id" and err.value.line == 2
    with pytest.raises(PicochatInputError):
        normalize_row({**row, "category": "c", "skill": "general", "split": "train", "source": "s"}, path="rows.jsonl", line=2)


def _call(name: str, expr: str, call_id: str | None = None) -> dict:
    call = {"type": "function", "function": {"name": name, "arguments": {"expression": expr}}}
    return {**call, "id": call_id} if call_id else call


def test_parallel_tool_calls_put_each_result_after_its_call():
    def py(expr):
        return {"type": "python", "text": json.dumps({"name": "calc", "arguments": {"expression": expr}})}

    def out(text):
        return {"type": "python_output", "text": text}

    user = {"role": "user", "content": "What are 2*3 and 4*5?"}
    by_order = [user, {"role": "assistant", "content": None, "tool_calls": [_call("calc", "2*3"), _call("calc", "4*5")]},
                {"role": "tool", "content": "6"}, {"role": "tool", "content": "20"},
                {"role": "assistant", "content": "6 and 20."}]
    expect = [user, {"role": "assistant", "content": [py("2*3"), out("6"), py("4*5"), out("20"), {"type": "text", "text": "6 and 20."}]}]
    assert normalize_row({"messages": by_order})["messages"] == expect
    by_id = [user, {"role": "assistant", "content": "", "tool_calls": [_call("calc", "2*3", "c1"), _call("calc", "4*5", "c2")]},
             {"role": "tool", "tool_call_id": "c2", "content": "20"}, {"role": "tool", "tool_call_id": "c1", "content": "6"},
             {"role": "assistant", "content": "6 and 20."}]
    assert normalize_row({"messages": by_id})["messages"] == expect
    extra = by_order[:4] + [{"role": "tool", "content": "99"}] + by_order[4:]
    with pytest.raises(PicochatInputError) as err:
        normalize_row({"messages": extra}, path="t.jsonl", line=1)
    assert err.value.field == "messages[4].role" and "more tool results" in err.value.reason


def test_eval_input_and_a_dataset_test_split_together_are_refused(tmp_path):
    from types import SimpleNamespace

    folder, _ = _dataset_dict(tmp_path)
    held = _jsonl(tmp_path / "held.jsonl", [{"prompt": "q", "completion": "a"}])
    cfg = SimpleNamespace(input=None, dataset_name=str(folder), datasets=None, dataset_config=None, dataset_streaming=False,
                          dataset_train_split="train", dataset_test_split="test", eval_input=str(held))
    with pytest.raises(PicochatInputError) as err:
        config_records(cfg, which="eval")
    assert err.value.field == "dataset_test_split"
    cfg.dataset_test_split = None
    where, records = config_records(cfg, which="eval")
    assert where == str(held) and [r for _, r in records] == [{"prompt": "q", "completion": "a"}]


def test_a_data_file_read_as_train_and_test_split_is_refused(tmp_path, capsys):
    from picochat_hf.data.materialise import materialise_rows

    _, rows = _dataset_dict(tmp_path)
    data = _jsonl(tmp_path / "rows.jsonl", rows)
    out = tmp_path / "run" / "sft"
    rc = cli_main(["train", "sft", "--dataset_name", str(data), "--dataset_test_split", "test", *_sft_args(tmp_path, out)])
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert rc == 2 and "field 'dataset_test_split'" in err and "exactly the conversations of split 'train'" in err
    assert not out.exists()
    inputs = tmp_path / "inputs"  # the same conversations under another split name, defaults aside, are caught too
    first = materialise_rows(str(data), inputs, "sft_rows.jsonl")
    assert first["rows"] == 24 and len(first["messages_sha256"]) == 64
    with pytest.raises(PicochatInputError):
        materialise_rows(str(data), inputs, "eval_rows.jsonl", split="validation", row_split="eval",
                         split_field="dataset_test_split")
    assert not (inputs / "eval_rows.jsonl").exists() and not (inputs / "eval_rows.provenance.json").exists()


def test_tool_calling_prompt_completion_continues_the_assistant_turn():
    prompt = [{"role": "user", "content": "What is 12 times 7?"},
              {"role": "assistant", "content": "", "tool_calls": [_call("calc", "12*7")]},
              {"role": "tool", "content": "84"}]
    answer = [{"role": "assistant", "content": "It is 84."}]
    as_messages = normalize_row({"messages": prompt + answer})["messages"]
    assert len(as_messages) == 2 and as_messages[1]["content"][-1] == {"type": "text", "text": "It is 84."}
    # the same turn, with the prompt's call and result as context (weight-0 parts): TRL trains the completion only
    for record in ({"prompt": prompt, "completion": answer}, {"prompt": prompt, "completion": "It is 84."},
                   {"prompt": prompt, "chosen": answer, "rejected": [{"role": "assistant", "content": "85"}]}):
        joined = normalize_row(record)["messages"]
        assert [p.get("weight") for p in joined[1]["content"]] == [0, 0, None]
        assert [{**m, "content": [{k: v for k, v in p.items() if k != "weight"} for p in m["content"]]}
                if isinstance(m["content"], list) else m for m in joined] == as_messages
    with pytest.raises(PicochatInputError, match="two assistant messages in a row") as err:  # no tool turn open
        normalize_row({"prompt": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "Hello."}],
                       "completion": [{"role": "assistant", "content": "How can I help?"}]}, path="r.jsonl", line=3)
    assert err.value.line == 3 and err.value.field == "messages[2].role"


def test_a_training_configs_test_split_of_a_file_without_splits_is_refused(tmp_path):
    import datasets
    from types import SimpleNamespace

    _, rows = _dataset_dict(tmp_path)
    data = _jsonl(tmp_path / "rows.jsonl", rows)
    saved = tmp_path / "saved"
    datasets.Dataset.from_list(rows).save_to_disk(str(saved))
    for name in (data, saved):
        cfg = SimpleNamespace(input=None, dataset_name=str(name), datasets=None, dataset_config=None, dataset_streaming=False,
                              dataset_train_split="train", dataset_test_split="test", eval_input=None)
        assert len(list(config_records(cfg, which="train")[1])) == 24
        with pytest.raises(PicochatInputError) as err:
            config_records(cfg, which="eval")
        assert err.value.field == "dataset_test_split" and str(name) in str(err.value)


def test_a_leak_copied_into_an_earlier_assistant_turn_of_an_sft_row_is_found(tmp_path):
    from picochat_hf.data.schema import prompt_text

    question = "What is the capital city of the land of Freedonia on the northern coast? Answer in one word."
    evals = _jsonl(tmp_path / "eval.jsonl", [{"id": "e1", "messages": [{"role": "user", "content": question}],
                                              "must_include": ["Fredville"]}])
    turns = [{"role": "user", "content": "Tell me a fact."}, {"role": "assistant", "content": f"{question} It is Fredville."},
             {"role": "user", "content": "Thanks"}, {"role": "assistant", "content": "You're welcome."}]
    assert prompt_text({"messages": turns}) == f"Tell me a fact.\n{question} It is Fredville.\nThanks"
    sft = _jsonl(tmp_path / "sft.jsonl", [{"id": "s1", "messages": turns}])
    assert cli_main(["honesty", "scan", "--eval", str(evals), "--sft", str(sft), "--out-dir", str(tmp_path / "scan")]) == 0
    report = json.loads((tmp_path / "scan" / "honesty_report.json").read_text())
    assert report["status"] == "blocked"


def test_cr_only_line_ends_read_as_lines(tmp_path):
    chat = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}
    path = tmp_path / "mac.jsonl"
    path.write_bytes((json.dumps(chat) + "\r").encode() * 2 + b'{"messages": 5}\r')
    with pytest.raises(PicochatInputError) as err:
        read_rows(path)
    assert err.value.line == 3 and err.value.field == "messages"
    path.write_bytes((json.dumps(chat) + "\r").encode() * 2)
    assert [r["id"] for r in read_rows(path)] == ["mac.jsonl:1", "mac.jsonl:2"]


@pytest.mark.parametrize("name", ["rows.parquet", "rows.arrow"])
def test_a_corrupt_parquet_or_arrow_file_is_one_input_error(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"PAR1 this is not a table")
    with pytest.raises(PicochatInputError) as err:
        read_rows(path)
    assert str(path) in str(err.value) and "not a readable" in err.value.reason
