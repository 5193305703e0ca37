"""nanochat SFT mixture on small local files shaped like the Hub datasets."""

from __future__ import annotations

import json
from collections import Counter

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.data.schema import answer_text, read_rows
from picochat_hf.data.sft_mixture import build_sft_mixture, gsm8k_final, gsm8k_parts, render_mc, spelling_bee_row
from picochat_hf.utils.errors import PicochatInputError

# Real rows from openai/gsm8k (main/train), verbatim.
GSM8K = [
    {"question": "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips to her friends "
                 "in May. How many clips did Natalia sell altogether in April and May?",
     "answer": "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in "
               "April and May.\n#### 72"},
    {"question": "Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. How much did she earn?",
     "answer": "Weng earns 12/60 = $<<12/60=0.2>>0.2 per minute.\nWorking 50 minutes, she earned 0.2 x 50 = $<<0.2*50=10>>10.\n#### 10"},
]

# a held-out row: a test row that is also a training row is left out of the validation split
GSM8K_TEST = [{"question": "Tom has 3 apples and buys 4 more. How many apples does he have?",
               "answer": "He has 3+4 = <<3+4=7>>7 apples.\n#### 7"}]


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture()
def local_files(tmp_path):
    smol = [{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": f"Say {i}."},
                          {"role": "assistant", "content": f"{i}."}], "source": "smol-magpie"} for i in range(6)]
    smol_val = [{"messages": [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello."}]}]
    aux = [{"train": {"question": f"Q{i}: which is first?", "subject": "", "choices": ["w", "x", "y", "z"], "answer": i % 4}}
           for i in range(5)]
    test = [{"question": "2+2?", "subject": "elementary_mathematics", "choices": ["3", "4", "5", "6"], "answer": 1}]
    pq.write_table(pa.Table.from_pylist(smol), tmp_path / "smol.parquet")
    ident = [{"messages": [{"role": "user", "content": "Who are you?"}, {"role": "assistant", "content": "I am Picochat."}]}]
    words = tmp_path / "words.txt"
    words.write_text("apple\nbanana\ncherry\nstrawberry\n", encoding="utf-8")
    return {
        "smoltalk": tmp_path / "smol.parquet", "smoltalk_val": _jsonl(tmp_path / "smol_val.jsonl", smol_val),
        "mmlu": _jsonl(tmp_path / "aux.jsonl", aux), "mmlu_val": _jsonl(tmp_path / "test.jsonl", test),
        "gsm8k": _jsonl(tmp_path / "gsm.jsonl", GSM8K), "gsm8k_val": _jsonl(tmp_path / "gsm_test.jsonl", GSM8K_TEST),
        "identity": _jsonl(tmp_path / "identity.jsonl", ident), "words": words,
    }


def test_gsm8k_tool_calls_from_real_rows():
    parts = gsm8k_parts(GSM8K[1]["answer"])
    assert parts[:4] == [{"type": "text", "text": "Weng earns 12/60 = $"}, {"type": "python", "text": "12/60"},
                         {"type": "python_output", "text": "0.2"}, {"type": "text", "text": "0.2 per minute.\nWorking 50 minutes, she earned 0.2 x 50 = $"}]
    assert [p["text"] for p in parts if p["type"] == "python"] == ["12/60", "0.2*50"]
    assert [p["text"] for p in parts if p["type"] == "python_output"] == ["0.2", "10"]
    for p, out in zip([p for p in parts if p["type"] == "python"], [p for p in parts if p["type"] == "python_output"]):
        assert float(eval(p["text"])) == float(out["text"])  # the tool call reproduces its recorded output
    assert parts[-1]["text"].endswith("#### 10") and gsm8k_final(GSM8K[1]["answer"]) == "10"
    # text parts plus the visible results reassemble the original solution without the <<...>> markup
    plain = "".join(p["text"] for p in parts if p["type"] == "text")
    assert plain == "Weng earns 12/60 = $0.2 per minute.\nWorking 50 minutes, she earned 0.2 x 50 = $10.\n#### 10"
    assert gsm8k_parts("a <<x>> b")[1] == {"type": "text", "text": "<<x>>"}  # no "=": left as text


def test_mixture_from_local_files(tmp_path, local_files):
    paths = build_sft_mixture(tmp_path / "mix", source="offline", local_files=local_files, simple_spelling_size=7,
                              spelling_bee_size=5, progress=False)
    train = read_rows(paths["train"], require_provenance=True)
    counts = Counter(r["mixture_component"] for r in train)
    assert counts == {"smoltalk": 6, "mmlu": 15, "gsm8k": 8, "simple_spelling": 7, "spelling_bee": 5, "identity": 2}
    smol = next(r for r in train if r["mixture_component"] == "smoltalk")
    assert smol["messages"][0] == {"role": "user", "content": f"Be brief.\n\n{smol['messages'][0]['content'].split(chr(10))[-1]}"}
    mmlu = next(r for r in train if r["mixture_component"] == "mmlu")
    i = int(mmlu["messages"][0]["content"].split("Q")[1].split(":")[0])
    assert mmlu["messages"][1]["content"] == "ABCD"[i % 4] == mmlu["correct_choice"]
    assert mmlu["messages"][0]["content"] == render_mc(f"Q{i}: which is first?", ["w", "x", "y", "z"])
    assert "- w=A\n- x=B\n- y=C\n- z=D\n" in mmlu["messages"][0]["content"]
    gsm = next(r for r in train if r["mixture_component"] == "gsm8k")
    assert any(p["type"] == "python" for p in gsm["messages"][1]["content"])
    bees = [r for r in train if r["mixture_component"] == "spelling_bee"]
    for bee in bees:
        parts = bee["messages"][1]["content"]
        py = next(p["text"] for p in parts if p["type"] == "python")
        out = next(p["text"] for p in parts if p["type"] == "python_output")
        assert str(eval(py)) == out == bee["normalized_answer"] and answer_text(bee).endswith(f"#### {out}")
    spell = next(r for r in train if r["mixture_component"] == "simple_spelling")
    w = spell["messages"][0]["content"].removeprefix("Spell the word: ")
    assert w in {"apple", "banana", "cherry", "strawberry"} and spell["messages"][1]["content"] == f"{w}:{','.join(w)}"
    val = read_rows(paths["val"])
    assert Counter(r["mixture_component"] for r in val) == {"smoltalk": 1, "mmlu": 1, "gsm8k": 1}
    report = json.loads(paths["report_json"].read_text())
    assert report["counts"]["train"]["total"] == len(train) and report["status"]["gsm8k:train"]["status"] == "ok"


def test_mixture_shuffle_deterministic_and_interleaved(tmp_path, local_files):
    a = build_sft_mixture(tmp_path / "a", source="offline", local_files=local_files, simple_spelling_size=30,
                          spelling_bee_size=30, progress=False)
    b = build_sft_mixture(tmp_path / "b", source="offline", local_files=local_files, simple_spelling_size=30,
                          spelling_bee_size=30, progress=False)
    assert a["train"].read_bytes() == b["train"].read_bytes()
    comps = [r["mixture_component"] for r in read_rows(a["train"])]
    assert comps != sorted(comps) and comps[:10] != [comps[0]] * 10


def test_offline_without_files_skips_hub_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    paths = build_sft_mixture(tmp_path / "m", source="offline", simple_spelling_size=4, spelling_bee_size=4,
                              identity_size=3, progress=False)
    report = json.loads(paths["report_json"].read_text())
    assert report["status"]["smoltalk:train"]["status"] == "skipped" and paths["val"] is None
    rows = read_rows(paths["train"])
    assert Counter(r["mixture_component"] for r in rows) == {"simple_spelling": 4, "spelling_bee": 4, "identity": 6}
    assert all("Picochat" in answer_text(r) or r["category"] != "identity_name" for r in rows)


def test_spelling_bee_counts_are_right():
    words = ["mississippi", "banana", "rhythm"]
    for i in range(50):
        row = spelling_bee_row(words, i)
        text = answer_text(row)
        word = next(w for w in words if f"'{w}'.count(" in text)
        letter = text.split(".count('")[1][0]
        assert row["normalized_answer"] == str(word.count(letter))


@pytest.mark.parametrize(
    "key,content,expect",
    [
        ("gsm8k", '{"question": "q"}\n', "field 'answer': missing field"),
        ("mmlu", '{"question": "q", "choices": ["a", "b"], "answer": 0}\n', "field 'choices': expected 4 string choices"),
        ("mmlu", '{"question": "q", "choices": ["a","b","c","d"], "answer": 7}\n', "field 'answer': answer index 7 out of range"),
        ("smoltalk", '{"messages": [{"role": "robot", "content": "x"}]}\n', "field 'messages[0].role'"),
        ("identity", '{"messages": [}\n', ":1: malformed JSON"),
        ("gsm8k", "", "empty file"),
    ],
)
def test_bad_local_files(tmp_path, capsys, key, content, expect):
    path = tmp_path / f"{key}.jsonl"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "mix"
    rc = cli_main(["data", "sft-mixture", "--out-dir", str(out), "--source", "offline", f"--{key.replace('_', '-')}-file",
                   str(path), "--simple-spelling-size", "2", "--spelling-bee-size", "2"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and err[-1].startswith("picochat: error:") and expect in err[-1]
    assert not out.exists()


def test_unknown_format_and_source(tmp_path):
    bad = tmp_path / "x.tsv"  # CSV is read now (a header-only CSV is refused below, as a file with no rows)
    bad.write_text("a\tb\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match="unknown format"):
        build_sft_mixture(tmp_path / "m", source="offline", local_files={"gsm8k": bad}, progress=False)
    with pytest.raises(PicochatInputError, match="unknown source"):
        build_sft_mixture(tmp_path / "m", source="web", progress=False)


GSM = [{"question": "Tom has 3 apples and buys 4. How many?", "answer": "3 + 4 = <<3+4=7>>7\n#### 7"},
       {"question": "Ann has 9 pens and loses 2. How many?", "answer": "9 - 2 = <<9-2=7>>7\n#### 7"}]


def _write_gsm(path, kind: str) -> None:
    import csv
    import gzip

    if kind == "json-one-line":
        path.write_text(json.dumps(GSM), encoding="utf-8")
    elif kind == "json-pretty":
        path.write_text(json.dumps(GSM, indent=2), encoding="utf-8")
    elif kind == "jsonl.gz":
        path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in GSM).encode("utf-8")))
    elif kind == "json-columns":
        path.write_text(json.dumps({k: [g[k] for g in GSM] for k in GSM[0]}, indent=2), encoding="utf-8")
    elif kind == "csv":
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=["question", "answer"])
            writer.writeheader()
            writer.writerows(GSM)


@pytest.mark.parametrize("kind,suffix", [("json-one-line", ".json"), ("json-pretty", ".json"), ("json-columns", ".json"),
                                         ("jsonl.gz", ".jsonl.gz"), ("csv", ".csv")])
def test_local_files_in_every_data_format_give_the_same_rows(tmp_path, kind, suffix):
    src = tmp_path / f"gsm8k{suffix}"
    _write_gsm(src, kind)
    paths = build_sft_mixture(tmp_path / "m", source="offline", local_files={"gsm8k": src}, simple_spelling_size=1,
                              spelling_bee_size=1, identity_size=1, gsm8k_epochs=1, progress=False)
    rows = [r for r in read_rows(paths["train"]) if r["mixture_component"] == "gsm8k"]
    assert sorted(r["messages"][0]["content"] for r in rows) == sorted(g["question"] for g in GSM)
    assert {r["normalized_answer"] for r in rows} == {"7"}


@pytest.mark.parametrize("name,content,expect", [
    ("gsm8k.json", "[]", "no rows in this file"),
    ("gsm8k.csv", "question,answer\n", "no rows in this file"),
    ("gsm8k.json", json.dumps([GSM[0], {"question": "q"}]), "gsm8k.json:1, field 'answer': missing field"),
    ("gsm8k.json", json.dumps([GSM[0], {"question": "q"}], indent=1), "gsm8k.json:6, field 'answer': missing field"),
    ("gsm8k.csv", "question,answer\nq,\"a #### 1\"\nq2\n", "gsm8k.csv:3, field 'answer'"),
    ("smoltalk.json", json.dumps([{"messages": [{"role": "user", "content": "hi"}]}]), "field 'messages': a conversation with no assistant reply"),
    ("smoltalk.jsonl", json.dumps({"messages": [{"role": "system", "content": [{"type": "text", "text": "be brief"}]},
                                                {"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}) + "\n",
     "smoltalk.jsonl:1, field 'messages[0].content'"),
    ("identity.jsonl", json.dumps([{"role": "user", "content": "who are you?"}]) + "\n", "identity.jsonl:1, field 'messages'"),
])
def test_bad_local_files_in_other_formats(tmp_path, capsys, name, content, expect):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    key = name.split(".")[0]
    out = tmp_path / "mix"
    rc = cli_main(["data", "sft-mixture", "--out-dir", str(out), "--source", "offline", f"--{key}-file", str(path),
                   "--simple-spelling-size", "2", "--spelling-bee-size", "2"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and err[0].startswith("picochat: error:") and expect in err[0], err
    assert not out.exists()


def test_a_csv_field_longer_than_the_csv_module_default_is_read(tmp_path):
    """csv refuses fields over 131072 characters unless told otherwise: a long document or answer is data."""
    import csv

    from picochat_hf.data.readers import iter_data_records

    path = tmp_path / "long.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text"])
        writer.writerow(["a", "word " * 40_000])
        writer.writerow(["b", "short"])
    records = list(iter_data_records(path))
    assert [r["id"] for _, r in records] == ["a", "b"] and len(records[0][1]["text"]) == 200_000
