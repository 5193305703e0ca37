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
    with pytest.raises(PicochatInputError, match="holds exactly the tokens of train shards") as err:
        sh.load_shard_manifest(path, verify_sha256=True)  # the full pass names the shared sequence
    assert "field 'shards[" in str(err.value)


def test_lone_bos_sequences_in_both_splits_are_no_overlap(tmp_path, tok):
    path = sh.write_document_shards(_docs(40), tok, tmp_path / "s", source="t", val_fraction=0.3, progress=False)
    fresh = tok("A document nobody trains on, about rivers.")["input_ids"]
    _add_val_shard(path.parent, tok, [[tok.bos_token_id], fresh])
    writer = sh.TokenShardWriter(path.parent, vocab_size=len(tok), shard_tokens=10_000, prefix="bos", with_mask=False)
    writer.add([tok.bos_token_id])
    manifest = json.loads(path.read_text())
    manifest["shards"] += writer.close()
    path.write_text(json.dumps(manifest))
    # the shards added by hand are not covered by the check recorded at write time: refused until the full check runs
    with pytest.raises(PicochatInputError, match="not covered by the split-overlap check"):
        sh.load_shard_manifest(path)
    assert sh.load_shard_manifest(path, verify_sha256=True)["shards"]


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


def _written(tmp_path, tok):
    path = sh.write_document_shards(_docs(60), tok, tmp_path / "s", source="t", shard_tokens=300, val_fraction=0.3,
                                    progress=False)
    return path, json.loads(path.read_text())


def test_the_check_runs_once_when_shards_are_written_not_at_every_load(tmp_path, tok, monkeypatch):
    from picochat_hf.data import split_overlap

    path, manifest = _written(tmp_path, tok)
    record = manifest["split_overlap"]
    assert record["overlaps"] == 0 and record["val_sequences"] == manifest["splits"]["val"]["sequences"] > 0
    assert len(record["shards"]) == len(manifest["shards"])
    reads = []
    monkeypatch.setattr(split_overlap, "_sequence_hashes", lambda folder, shard: reads.append(shard) or iter(()))
    assert sh.load_shard_manifest(path)["shards"] and not reads  # a training start reads no token for this check
    sh.load_shard_manifest(path, verify_sha256=True)
    assert len(reads) == manifest["splits"]["val"]["shards"]  # --verify-shards reruns it, val shards first


def _edit(path, edit) -> None:
    manifest = json.loads(path.read_text())
    edit(manifest)
    path.write_text(json.dumps(manifest))


@pytest.mark.parametrize("name, edit, field", [
    ("record missing", lambda m: m.pop("split_overlap"), "split_overlap"),
    ("record not a mapping", lambda m: m.update(split_overlap=["ok"]), "split_overlap"),
    ("record says an overlap", lambda m: m["split_overlap"].update(overlaps=1), "split_overlap"),
    ("record of other shards", lambda m: m["split_overlap"].update(shards=[["train", "0" * 64, "0" * 64]]), "shards[0]"),
    ("a train shard relabelled val", lambda m: m["shards"][0].update(split="val"), "shards[0]"),
    ("another index for a shard", lambda m: m["shards"][-1]["sha256"].update(index="f" * 64), "shards["),
    ("a shard without hashes", lambda m: m["shards"][-1].pop("sha256"), "shards["),
])
def test_a_record_missing_or_not_matching_the_shards_is_refused(tmp_path, tok, name, edit, field):
    path, _ = _written(tmp_path, tok)
    _edit(path, edit)
    with pytest.raises(PicochatInputError) as err:
        sh.load_shard_manifest(path)
    assert str(path) in str(err.value) and f"field '{field}" in str(err.value), (name, str(err.value))
    assert "--verify-shards" in str(err.value)


def test_dropping_shards_keeps_the_record_valid_and_verify_ignores_a_forged_record(tmp_path, tok):
    """Honest neighbour: fewer shards than were checked cannot overlap. Attack: a record edited to cover an
    overlapping val shard passes the cheap load, and --verify-shards, which reads the tokens, refuses it."""
    path, manifest = _written(tmp_path, tok)
    train = [i for i, s in enumerate(manifest["shards"]) if s["split"] == "train"]
    assert len(train) > 1
    _edit(path, lambda m: m["shards"].pop(train[0]))
    assert sh.load_shard_manifest(path)["shards"]
    one_train = sorted(_sequences(path, "train"))[0]
    _add_val_shard(path.parent, tok, [list(one_train)])
    _edit(path, lambda m: m["split_overlap"]["shards"].append(["val", m["shards"][-1]["sha256"]["tokens"],
                                                                m["shards"][-1]["sha256"]["index"]]))
    assert sh.load_shard_manifest(path)["shards"]  # the cheap check trusts the manifest's hashes, as documented
    with pytest.raises(PicochatInputError, match="holds exactly the tokens of train shards"):
        sh.load_shard_manifest(path, verify_sha256=True)


def test_rows_shards_without_val_need_no_record(tmp_path, tok):
    path, _ = _written(tmp_path, tok)
    _edit(path, lambda m: (m.pop("split_overlap"), m.update(shards=[s for s in m["shards"] if s["split"] == "train"])))
    assert sh.load_shard_manifest(path)["shards"]
