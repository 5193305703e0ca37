"""Tokenizer: special tokens, BOS, chat template masks, hash stability, CLI errors."""

from __future__ import annotations

import json

import pytest
from transformers import AutoTokenizer

from picochat_hf.cli import main
from picochat_hf.tokenizer import SPECIAL_TOKENS, load_tokenizer, tokenizer_hash, train_tokenizer

CONVERSATION = [
    {"role": "system", "content": "Answer briefly."},
    {"role": "user", "content": "What is 12 + 30?"},
    {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Let me add. "},
            {"type": "python", "text": "12 + 30"},
            {"type": "python_output", "text": "42"},
            {"type": "text", "text": "It is 42."},
        ],
    },
    {"role": "user", "content": "And doubled?"},
    {"role": "assistant", "content": "84."},
]


def test_special_tokens_and_bos(tiny_tokenizer):
    for tok in SPECIAL_TOKENS:
        ids = tiny_tokenizer.convert_tokens_to_ids(tok)
        assert isinstance(ids, int) and tiny_tokenizer.convert_ids_to_tokens(ids) == tok
    ids = tiny_tokenizer("hello world").input_ids
    assert ids[0] == tiny_tokenizer.bos_token_id and ids.count(tiny_tokenizer.bos_token_id) == 1
    assert tiny_tokenizer.eos_token == "<|assistant_end|>" and tiny_tokenizer.pad_token == "<|pad|>"
    assert tiny_tokenizer.decode(ids, skip_special_tokens=True) == "hello world"


def test_assistant_mask_is_exact_with_tool_call(tiny_tokenizer_dir):
    tok = AutoTokenizer.from_pretrained(tiny_tokenizer_dir)
    enc = tok.apply_chat_template(CONVERSATION, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    ids, mask = enc["input_ids"], enc["assistant_masks"]
    assert ids[0] == tok.bos_token_id and ids.count(tok.bos_token_id) == 1  # no double BOS
    supervised = tok.decode([i for i, m in zip(ids, mask) if m])
    assert supervised == "Let me add. <|python_start|>12 + 30<|python_end|>It is 42.<|assistant_end|>84.<|assistant_end|>"
    unsupervised = tok.decode([i for i, m in zip(ids, mask) if not m])
    assert unsupervised == (
        "<|bos|><|user_start|>Answer briefly.\n\nWhat is 12 + 30?<|user_end|><|assistant_start|>"
        "<|output_start|>42<|output_end|><|user_start|>And doubled?<|user_end|><|assistant_start|>"
    )
    # token-exact: the mask flips exactly at the special-token boundaries
    toks = tok.convert_ids_to_tokens(ids)
    for t, m in zip(toks, mask):
        if t in ("<|assistant_end|>", "<|python_start|>", "<|python_end|>"):
            assert m == 1
        if t in ("<|assistant_start|>", "<|user_start|>", "<|user_end|>", "<|output_start|>", "<|output_end|>", "<|bos|>"):
            assert m == 0


def test_generation_prompt(tiny_tokenizer):
    text = tiny_tokenizer.apply_chat_template([{"role": "user", "content": "Hi"}], tokenize=False, add_generation_prompt=True)
    assert text == "<|bos|><|user_start|>Hi<|user_end|><|assistant_start|>"


def test_hash_is_stable_across_save_load_and_changes_with_vocab(tiny_tokenizer, tiny_tokenizer_dir):
    reloaded = load_tokenizer(tiny_tokenizer_dir)
    assert tokenizer_hash(reloaded) == tokenizer_hash(tiny_tokenizer)
    assert (tiny_tokenizer_dir / "tokenizer_hash.txt").read_text().strip() == tokenizer_hash(tiny_tokenizer)
    other = train_tokenizer(["some other text " * 50], vocab_size=300)
    assert tokenizer_hash(other) != tokenizer_hash(tiny_tokenizer)


def test_vocab_too_small_is_rejected():
    with pytest.raises(ValueError, match="vocab_size must be larger than 266"):
        train_tokenizer(["abc"], vocab_size=100)


def test_cli_train_from_jsonl_and_errors(tmp_path, capsys):
    data = tmp_path / "rows.jsonl"
    data.write_text("\n".join(json.dumps({"text": f"document number {i} about tokenizers"}) for i in range(50)) + "\n")
    out = tmp_path / "tok"
    assert main(["tokenizer", "train", "--input", str(data), "--vocab-size", "300", "--out-dir", str(out)]) == 0
    assert (out / "tokenizer.json").exists() and (out / "chat_template.jinja").exists()
    # never overwrite without --force
    assert main(["tokenizer", "train", "--input", str(data), "--vocab-size", "300", "--out-dir", str(out)]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": \n')
    assert main(["tokenizer", "train", "--input", str(bad), "--vocab-size", "300", "--out-dir", str(tmp_path / "t2")]) == 2
    err = capsys.readouterr().err
    assert "bad.jsonl:2" in err and "malformed JSON" in err
    assert not (tmp_path / "t2").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_digit_grouping():
    texts = ["call 2048 now " * 40]
    assert train_tokenizer(texts, vocab_size=300, digit_group=1).tokenize("x 2048")[-4:] == ["2", "0", "4", "8"]
    assert train_tokenizer(texts, vocab_size=300, digit_group=2).tokenize("x 2048")[-2:] == ["20", "48"]
    with pytest.raises(ValueError, match="digit_group"):
        train_tokenizer(texts, vocab_size=300, digit_group=5)
