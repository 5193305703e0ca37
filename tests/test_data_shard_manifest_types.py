"""`shards.json` fields of the wrong JSON type are one line naming the file and field, never a TypeError or a check
that a non-number slips past: a `"vocab_size": "300"` failed comparing str with int, and NaN compared false with the
model's vocabulary, so the check that the shards' ids fit the embedding was skipped."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data import shards as sh
from picochat_hf.tokenizer import train_tokenizer
from picochat_hf.utils.errors import PicochatInputError


@pytest.fixture(scope="module")
def tok():
    texts = [f"Document {i}: the quick brown fox jumps over the lazy dog {i} times." for i in range(100)]
    return train_tokenizer(texts, vocab_size=300)


@pytest.fixture
def shards_json(tmp_path, tok):
    docs = [{"id": f"d{i}", "text": f"Document {i}: the fox jumps {i} times over {i % 5} dogs."} for i in range(30)]
    return sh.write_document_shards(docs, tok, tmp_path / "s", source="t", val_fraction=0.3, progress=False)


def _set(path, field: str, raw: str) -> None:
    manifest = json.loads(path.read_text())
    manifest[field] = "@@"
    path.write_text(json.dumps(manifest, indent=1).replace('"@@"', raw))


@pytest.mark.parametrize("raw", ['"300"', "NaN", "true", "300.5", "[300]", "-1", "0"])
def test_a_vocab_size_that_is_no_positive_integer_is_refused(shards_json, tok, raw):
    _set(shards_json, "vocab_size", raw)
    with pytest.raises(PicochatInputError, match="vocab_size") as err:
        sh.load_shard_manifest(shards_json, vocab_size=len(tok))
    assert err.value.field == "vocab_size" and err.value.path == str(shards_json)


@pytest.mark.parametrize("raw", ['"0"', "true", "0.0", "-3"])
def test_a_bos_token_id_that_is_no_token_id_is_refused(shards_json, tok, raw):
    _set(shards_json, "bos_token_id", raw)
    with pytest.raises(PicochatInputError) as err:
        sh.load_shard_manifest(shards_json, vocab_size=len(tok))
    assert err.value.field == "bos_token_id"


def test_an_honest_manifest_still_loads_and_a_larger_vocabulary_is_still_refused(shards_json, tok):
    manifest = sh.load_shard_manifest(shards_json, vocab_size=len(tok))
    assert manifest["vocab_size"] == len(tok)
    _set(shards_json, "vocab_size", str(len(tok) + 1))
    with pytest.raises(PicochatInputError, match="the model has"):
        sh.load_shard_manifest(shards_json, vocab_size=len(tok))
