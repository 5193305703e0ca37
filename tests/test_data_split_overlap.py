"""Train and validation shards never share a document: copies under other ids land in one split, and a manifest
whose val shards share some sequences with train is refused (one identical to a train shard already was)."""

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


def _docs(n: int) -> list[dict]:
    return [{"id": f"d{i}", "text": f"Document {i}: the fox jumps {i} times over {i % 5} dogs."} for i in range(n)]


def _sequences(shards_json, split: str) -> set[tuple[int, ...]]:
    manifest = sh.load_shard_manifest(shards_json)
    folder = shards_json.parent
    out = set()
    for s in manifest["shards"]:
        if s["split"] == split:
            tokens, offsets = sh.read_shard(folder / s["tokens"]), sh.read_index(folder, s)
            out |= {tuple(tokens[offsets[k]:offsets[k + 1]].tolist()) for k in range(len(offsets) - 1)}
    return out


def test_copies_of_a_document_under_other_ids_land_in_one_split(tmp_path, tok):
    docs = _docs(60)
    copies = [{"id": f"copy{k}-{d['id']}", "text": text} for k, d in enumerate(docs[:30])
              for text in (d["text"], d["text"].upper(), "  " + d["text"].replace(" ", "   "))]
    path = sh.write_document_shards(docs + copies, tok, tmp_path / "s", source="t", shard_tokens=400, val_fraction=0.3,
                                    progress=False)
    train, val = _sequences(path, "train"), _sequences(path, "val")
    assert val and train and not train & val
    for d in docs[:30]:  # the case and spacing variants follow their original too
        assert len({sh.is_validation({"id": f"x{k}", "text": t}, 0.3)
                    for k, t in enumerate((d["text"], d["text"].upper(), " " + d["text"] + " "))}) == 1


def test_documents_without_text_still_split_by_id():
    assert sh.is_validation({"id": "d1"}, 0.5) == sh.is_validation({"id": "d1", "text": ""}, 0.5)


def _add_val_shard(folder, tok, sequences: list[list[int]]) -> None:
    writer = sh.TokenShardWriter(folder, vocab_size=len(tok), shard_tokens=10_000, prefix="extra", with_mask=False, split="val")
    for ids in sequences:
        writer.add(ids)
    manifest = json.loads((folder / "shards.json").read_text())
    manifest["shards"] += writer.close()
    (folder / "shards.json").write_text(json.dumps(manifest))


def test_val_shards_sharing_one_train_sequence_are_refused(tmp_path, tok):
    path = sh.write_document_shards(_docs(40), tok, tmp_path / "s", source="t", val_fraction=0.3, progress=False)
    one_train = sorted(_sequences(path, "train"))[3]
    fresh = tok("A document nobody trains on, about rivers.")["input_ids"]
    _add_val_shard(path.parent, tok, [fresh, list(one_train)])
    with pytest.raises(PicochatInputError, match="validation would score text the model trains on") as err:
        sh.load_shard_manifest(path)
    assert str(path) in str(err.value) and "field 'shards[" in str(err.value)


def test_lone_bos_sequences_in_both_splits_are_no_overlap(tmp_path, tok):
    path = sh.write_document_shards(_docs(40), tok, tmp_path / "s", source="t", val_fraction=0.3, progress=False)
    fresh = tok("A document nobody trains on, about rivers.")["input_ids"]
    _add_val_shard(path.parent, tok, [[tok.bos_token_id], fresh])
    writer = sh.TokenShardWriter(path.parent, vocab_size=len(tok), shard_tokens=10_000, prefix="bos", with_mask=False)
    writer.add([tok.bos_token_id])
    manifest = json.loads(path.read_text())
    manifest["shards"] += writer.close()
    path.write_text(json.dumps(manifest))
    assert sh.load_shard_manifest(path)["shards"]


def test_in_memory_pretraining_holds_out_a_document_with_all_its_copies(monkeypatch, tiny_tokenizer):
    """With no document hashed into validation, the last one is held out; its copies under other ids go with it
    instead of staying in train, where validation would score text the model trained on."""
    from types import SimpleNamespace

    from picochat_hf.training import pretrain

    docs = [{"id": "a", "text": "The river runs to the sea."}, {"id": "b", "text": "Cats sleep all day long."},
            {"id": "c", "text": "the river  runs to the SEA."}, {"id": "d", "text": "The river runs to the sea."}]
    monkeypatch.setattr(pretrain, "iter_documents", lambda config: iter(docs))
    monkeypatch.setattr(pretrain, "is_validation", lambda doc, fraction: False)
    config = SimpleNamespace(max_documents=None, val_fraction=0.01, max_length=64, dataset_pack=None, documents="x")
    train, val, data = pretrain._in_memory_data(config, tiny_tokenizer)
    assert data["validation_documents"] == 3 and data["train_documents"] == 1
