"""Token shards: llm.c header, round trip with exact masks, shard cuts, vocab limit, letter-choice evals."""

from __future__ import annotations

import json

import numpy as np
import pytest

from picochat_hf.cli import main as cli_main
from picochat_hf.data import shards as sh
from picochat_hf.data.dataset_pack import import_dataset_pack, iter_pack_documents
from picochat_hf.data.schema import read_rows, write_rows
from picochat_hf.data.task_pack import build_task_pack
from picochat_hf.tokenizer import save_tokenizer, train_tokenizer
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import sha256_file


@pytest.fixture(scope="module")
def tok():
    texts = [f"Document {i}: the quick brown fox jumps over the lazy dog {i} times. What is 3 + 4? A B C D" for i in range(200)]
    return train_tokenizer(texts, vocab_size=400)


def _rows():
    return [
        {"id": "r0", "messages": [{"role": "user", "content": "What is 3 + 4?"}, {"role": "assistant", "content": "7"}],
         "category": "math", "skill": "math", "split": "train", "source": "t"},
        {"id": "r1", "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Add."},
                                  {"role": "assistant", "content": [{"type": "text", "text": "Using python: "},
                                                                    {"type": "python", "text": "3+4"},
                                                                    {"type": "python_output", "text": "7"},
                                                                    {"type": "text", "text": " so 7."}]}],
         "category": "gsm8k", "skill": "math", "split": "train", "source": "t"},
    ] * 5


def test_header_is_llm_c(tmp_path):
    path = sh.write_shard(tmp_path / "x.bin", np.array([1, 2, 65535], dtype=np.uint16), vocab_size=65536)
    raw = path.read_bytes()
    header = np.frombuffer(raw[:1024], dtype=np.int32)
    assert header[0] == 20240520 and header[1] == 1 and header[2] == 3 and len(raw) == 1024 + 6
    assert np.frombuffer(raw[1024:], dtype=np.uint16).tolist() == [1, 2, 65535]
    assert sh.read_shard(path).tolist() == [1, 2, 65535]


def test_conversation_round_trip_with_exact_masks(tmp_path, tok):
    rows_path = write_rows(tmp_path / "rows.jsonl", _rows())
    manifest_path = sh.write_token_shards(rows_path, tok, tmp_path / "shards", shard_tokens=60, progress=False)
    manifest = json.loads(manifest_path.read_text())
    assert len(manifest["shards"]) > 1 and manifest["sequences"] == 10
    pairs = list(sh.iter_shard_pairs(manifest_path))
    tokens = np.concatenate([t for t, _ in pairs]).tolist()
    masks = np.concatenate([m for _, m in pairs]).tolist()
    expected_t, expected_m = [], []
    for row in _rows():
        enc = tok.apply_chat_template(row["messages"], tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
        expected_t += list(enc["input_ids"])
        expected_m += list(enc["assistant_masks"])
    assert tokens == expected_t and masks == expected_m
    # shards are cut between conversations: each starts with <|bos|>
    bos = tok.convert_tokens_to_ids("<|bos|>")
    assert all(t[0] == bos for t, _ in pairs)
    # what is supervised: "7<|assistant_end|>" for row 0; python call yes, python output no
    first = tokens[: tokens.index(bos, 1)]
    supervised = [t for t, m in zip(first, masks[: len(first)]) if m]
    assert tok.decode(supervised) == "7<|assistant_end|>"
    second_start = len(first)
    second_end = tokens.index(bos, second_start + 1)
    sup2 = tok.decode([t for t, m in zip(tokens[second_start:second_end], masks[second_start:second_end]) if m])
    assert sup2 == "Using python: <|python_start|>3+4<|python_end|> so 7.<|assistant_end|>"
    assert manifest["supervised_tokens"] == sum(masks)


def test_dataset_pack_documents_all_supervised(tmp_path, tok):
    docs = [{"id": str(i), "text": f"Document {i}: the quick brown fox.", "source": "t"} for i in range(6)]
    pack = import_dataset_pack(None, tmp_path / "pack", documents=docs, progress=False)
    manifest_path = sh.write_token_shards(pack, tok, tmp_path / "shards", progress=False, val_fraction=0.0)
    (tokens, mask), = list(sh.iter_shard_pairs(manifest_path))
    expected = [t for d in iter_pack_documents(pack) for t in tok(d["text"])["input_ids"]]
    assert tokens.tolist() == expected and mask is None  # documents: every token is a target, no mask shard
    manifest = json.loads(manifest_path.read_text())
    offsets = np.load(tmp_path / "shards" / manifest["shards"][0]["index"]).tolist()
    lengths = [len(tok(d["text"])["input_ids"]) for d in iter_pack_documents(pack)]
    assert offsets == np.concatenate([[0], np.cumsum(lengths)]).tolist()
    assert manifest["documents"] == 6 and manifest["splits"]["train"]["num_tokens"] == len(expected)


def test_parallel_tokenisation_is_identical_and_splits_validation(tmp_path, tok):
    docs = [{"id": f"doc{i}", "text": f"Document {i}: the quick brown fox jumps {i % 7} times."} for i in range(300)]
    paths = {}
    for n in (1, 2):
        paths[n] = sh.write_document_shards(iter(docs), tok, tmp_path / f"p{n}", source="t", shard_tokens=500,
                                            val_fraction=0.2, num_proc=n, batch_docs=16, progress=False)
    one, two = (json.loads(paths[n].read_text()) for n in (1, 2))
    assert [s["sha256"] for s in one["shards"]] == [s["sha256"] for s in two["shards"]]
    val_ids = {d["id"] for d in docs if sh.is_validation(d, 0.2)}
    assert one["splits"]["val"]["sequences"] == len(val_ids) and 30 < len(val_ids) < 90
    assert one["splits"]["train"]["sequences"] == 300 - len(val_ids)
    val_tokens = np.concatenate([t for t, _ in sh.iter_shard_pairs(paths[1], split="val")]).tolist()
    assert val_tokens == [t for d in docs if d["id"] in val_ids for t in tok(d["text"])["input_ids"]]
    assert all(s["num_tokens"] <= 500 for s in one["shards"]) and len(one["shards"]) > 4
    for s in one["shards"]:
        assert s["sha256"]["tokens"] == sha256_file(tmp_path / "p1" / s["tokens"])
    sh.load_shard_manifest(paths[1], verify_sha256=True)


def test_large_vocabularies_get_uint32_shards(tmp_path):
    ids = np.array([0, 65_535, 65_536, 199_999], dtype=np.int64)
    path = sh.write_shard(tmp_path / "big.bin", ids, vocab_size=200_000)
    header = np.frombuffer(path.read_bytes()[:1024], dtype=np.int32)
    assert header[1] == sh.VERSION_U32 and header[5] == 4 and path.stat().st_size == 1024 + 4 * 4
    assert sh.read_shard(path).tolist() == ids.tolist() and sh.read_shard(path).dtype == np.uint32
    assert sh.version_for_vocab(65_536) == sh.VERSION and sh.version_for_vocab(65_537) == sh.VERSION_U32
    with pytest.raises(PicochatInputError, match="values outside uint16"):
        sh.write_shard(tmp_path / "small.bin", ids, vocab_size=1000)


def test_corrupt_shards_are_refused(tmp_path):
    path = sh.write_shard(tmp_path / "x.bin", np.arange(10, dtype=np.uint16))
    data = bytearray(path.read_bytes())
    (tmp_path / "trunc.bin").write_bytes(bytes(data[:-2]))
    with pytest.raises(PicochatInputError, match="header promises"):
        sh.read_shard(tmp_path / "trunc.bin")
    data[0:4] = np.int32(123).tobytes()
    (tmp_path / "magic.bin").write_bytes(bytes(data))
    with pytest.raises(PicochatInputError, match="bad magic"):
        sh.read_shard(tmp_path / "magic.bin")
    with pytest.raises(PicochatInputError, match="expected a mask shard"):
        sh.read_shard(path, kind=sh.KIND_MASK)


def test_choice_eval_file(tmp_path, tok):
    paths = build_task_pack(tmp_path / "tp", profile="capability", sft_rows=64, eval_rows=60, answer_style="direct")
    save_tokenizer(tok, tmp_path / "tok")
    rc = cli_main(["data", "shards", "--input", str(paths["eval"]), "--tokenizer", str(tmp_path / "tok"),
                   "--out-dir", str(tmp_path / "shards"), "--choice-eval"])
    assert rc == 0
    records = sh.read_choice_eval(tmp_path / "shards" / "choice_eval.jsonl")
    choice_rows = [r for r in read_rows(paths["eval"]) if r.get("correct_choice")]
    assert len(records) == len(choice_rows) > 0
    letter_ids = [tok.convert_tokens_to_ids(x) for x in "ABCD"]
    for rec, row in zip(records, choice_rows):
        assert rec["letter_token_ids"] == letter_ids and rec["letters"][rec["gold"]] == row["correct_choice"]
        assert rec["tokens"][rec["answer_position"]] == tok.convert_tokens_to_ids("<|assistant_start|>")
        full = tok.apply_chat_template(row["messages"], tokenize=True, return_dict=True)["input_ids"]
        assert full[: len(rec["tokens"])] == rec["tokens"]  # the gold letter is the next token after the prompt
        assert full[len(rec["tokens"])] == letter_ids[rec["gold"]]


def test_choice_eval_reader_validates(tmp_path):
    bad = tmp_path / "c.jsonl"
    bad.write_text(json.dumps({"id": "x", "tokens": [1, 2], "answer_position": 5, "letters": ["A"],
                               "letter_token_ids": [3], "gold": 0}) + "\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match=r"c.jsonl:1, field 'answer_position'"):
        sh.read_choice_eval(bad)


def test_cli_bad_rows(tmp_path, tok, capsys):
    save_tokenizer(tok, tmp_path / "tok")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"id": "a", "messages": [], "category": "c", "skill": "math", "split": "t", "source": "s"}\n')
    rc = cli_main(["data", "shards", "--input", str(rows), "--tokenizer", str(tmp_path / "tok"), "--out-dir", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and "rows.jsonl:1, field 'messages'" in err[-1] and not (tmp_path / "o").exists()


def test_sharegpt_and_alpaca_jsonl_shard_as_the_same_conversations(tmp_path, tok):
    """`data shards` reads every accepted row format: ShareGPT and Alpaca rows give the tokens and masks of the
    equivalent messages rows (they were read as documents without a "text" field and refused)."""
    messages = [{"messages": [{"role": "user", "content": "What is 3 + 4?"}, {"role": "assistant", "content": "7"}]},
                {"messages": [{"role": "user", "content": "Name a fruit.\n\nOne word."}, {"role": "assistant", "content": "Pear"}]}]
    sharegpt = [{"conversations": [{"from": "human", "value": "What is 3 + 4?"}, {"from": "gpt", "value": "7"}]},
                {"conversations": [{"from": "human", "value": "Name a fruit.\n\nOne word."}, {"from": "gpt", "value": "Pear"}]}]
    alpaca = [{"instruction": "What is 3 + 4?", "input": "", "output": "7"},
              {"instruction": "Name a fruit.", "input": "One word.", "output": "Pear"}]
    outs = {}
    for name, records in (("messages", messages), ("sharegpt", sharegpt), ("alpaca", alpaca)):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
        assert sh.input_kind(path) == "conversations"
        manifest = sh.write_token_shards(path, tok, tmp_path / f"shards_{name}", shard_tokens=1000, progress=False)
        pairs = list(sh.iter_shard_pairs(manifest))
        outs[name] = (np.concatenate([t for t, _ in pairs]).tolist(), np.concatenate([m for _, m in pairs]).tolist())
    assert outs["sharegpt"] == outs["messages"] and outs["alpaca"] == outs["messages"]
    assert sum(outs["messages"][1]) > 0
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"text": "plain document"}) + "\n")
    assert sh.input_kind(docs) == "documents"
