"""`ShardStream` over row shards: labels follow the mask shard the writer stored (assistant tokens only)."""

from __future__ import annotations

import numpy as np
import pytest
from train_fixtures import chat_rows, tokenizer, write_rows

from picochat_hf.data import shards as sh
from picochat_hf.training.stream import ShardStream, open_shards
from picochat_hf.utils.errors import PicochatInputError


@pytest.fixture(scope="module")
def row_shards(tmp_path_factory):
    root = tmp_path_factory.mktemp("rowshards")
    rows = write_rows(root / "rows.jsonl", chat_rows(sizes={"math": 12}))
    return sh.write_token_shards(rows, tokenizer(), root / "shards", shard_tokens=300, progress=False).parent


def _first_rows(stream: ShardStream, n: int) -> list:
    out = []
    for row in stream.rows():
        out.append(row)
        if len(out) == n:
            return out
    return out


def test_examples_label_only_the_masked_tokens(row_shards):
    manifest = open_shards(row_shards, tokenizer())
    stream = ShardStream(manifest, split="train", seq_len=64, seed=0, buffer_size=4)
    masks = {i: sh.read_shard(row_shards / s["mask"], kind=sh.KIND_MASK) for i, s in enumerate(stream.shards)}
    seen_masked = seen_supervised = 0
    for row in _first_rows(stream, 12):
        for (shard, start, end), ex in zip(row, stream.examples(row)):
            mask = np.asarray(masks[shard][start:end]) > 0
            ids = np.asarray(stream.tokens(shard)[start:end], dtype=np.int64)
            assert ex["input_ids"].tolist() == ids.tolist()
            assert ex["labels"].tolist() == np.where(mask, ids, -100).tolist()
            seen_masked += int((~mask).sum())
            seen_supervised += int(mask.sum())
    assert seen_masked and seen_supervised  # the rows hold both user text (masked) and assistant text


def test_supervised_text_is_the_assistant_replies(row_shards):
    tok = tokenizer()
    stream = ShardStream(open_shards(row_shards, tok), split="train", seq_len=256, seed=0, buffer_size=4)
    row = _first_rows(stream, 1)[0]
    for ex in stream.examples(row):
        labels = ex["labels"].tolist()
        text = tok.decode([t for t in labels if t != -100])
        assert "What is" not in text and "<|user_start|>" not in text
        assert text.endswith("<|assistant_end|>")


def test_mask_shard_of_another_length_is_refused(row_shards, tmp_path):
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(row_shards, bad)
    manifest = open_shards(bad, tokenizer())
    first = manifest["shards"][0]
    mask = sh.read_shard(bad / first["mask"], kind=sh.KIND_MASK)
    sh.write_shard(bad / first["mask"], np.asarray(mask[:-1]), kind=sh.KIND_MASK)
    stream = ShardStream(manifest, split="train", seq_len=64)
    with pytest.raises(PicochatInputError, match="mask"):
        for row in _first_rows(stream, 40):
            stream.examples(row)


def test_mask_values_other_than_0_and_1_are_refused(row_shards, tmp_path):
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(row_shards, bad)
    manifest = open_shards(bad, tokenizer())
    for s in manifest["shards"]:
        mask = np.asarray(sh.read_shard(bad / s["mask"], kind=sh.KIND_MASK)).copy()
        mask[mask == 1] = 7
        sh.write_shard(bad / s["mask"], mask, kind=sh.KIND_MASK)
    stream = ShardStream(manifest, split="train", seq_len=64)
    with pytest.raises(PicochatInputError, match="0 or 1"):
        for row in _first_rows(stream, 4):
            stream.examples(row)


def _rewrite_manifest(folder, edit) -> None:
    import json

    path = folder / "shards.json"
    manifest = json.loads(path.read_text())
    edit(manifest)
    path.write_text(json.dumps(manifest))


def test_conversation_shard_without_its_mask_is_refused_not_read_as_documents(row_shards, tmp_path):
    import shutil

    for kind in ("conversations", "documents"):  # the kind relabelled too: the supervised count still tells
        bad = tmp_path / kind
        shutil.copytree(row_shards, bad)

        def drop_mask(m, kind=kind):
            m["input_kind"] = kind
            for s in m["shards"]:
                s.pop("mask")
                s["sha256"].pop("mask")

        _rewrite_manifest(bad, drop_mask)
        stream = ShardStream(open_shards(bad, tokenizer()), split="train", seq_len=64)
        with pytest.raises(PicochatInputError, match="no mask shard") as err:
            stream.examples(_first_rows(stream, 1)[0])
        assert "shards[" in str(err.value) and ".mask" in str(err.value)


def test_document_shards_keep_every_token_a_target(tmp_path):
    docs = [{"id": f"d{i}", "text": f"the fox {i} jumps over the lazy dog."} for i in range(20)]
    manifest = sh.write_document_shards(docs, tokenizer(), tmp_path / "docs", source="t", val_fraction=0.0, progress=False)
    stream = ShardStream(open_shards(manifest.parent, tokenizer()), split="train", seq_len=32)
    for row in _first_rows(stream, 3):
        for ex in stream.examples(row):
            assert ex["labels"].tolist() == ex["input_ids"].tolist()


def test_validation_pieces_refuse_masked_shards(row_shards):
    from picochat_hf.training.stream import validation_pieces

    stream = ShardStream(open_shards(row_shards, tokenizer()), split="train", seq_len=64)
    with pytest.raises(PicochatInputError, match="supervision masks"):
        validation_pieces(stream, None)


def _user_start(tok) -> int:
    return tok.convert_tokens_to_ids("<|user_start|>")


def test_no_target_is_trained_without_the_question_it_answers(row_shards):
    """Conversations longer than a row are cut into pieces; a later piece would hold the tail of an answer (and later
    turns) with the question cut away, so every piece that keeps a target starts its conversation."""
    tok = tokenizer()
    stream = ShardStream(open_shards(row_shards, tok), split="train", seq_len=20, seed=0, buffer_size=4)
    assert any(n == 0 for n, _ in stream.pieces(0))  # some conversations are longer than a row
    user = _user_start(tok)
    offsets = {i: set(stream.offsets(i).tolist()) for i in range(len(stream.shards))}
    cut = supervised = 0
    for row in _first_rows(stream, 60):
        for (shard, start, _end), ex in zip(row, stream.examples(row)):
            ids, labels = ex["input_ids"].tolist(), ex["labels"].tolist()
            trained = [k for k, t in enumerate(labels) if t != -100]
            supervised += len(trained)
            if trained:
                assert start in offsets[shard], (shard, start)  # the piece opens its conversation
                assert user in ids[: trained[0]]  # and holds a question before its first target
            cut += start not in offsets[shard]
    assert supervised and not cut


def test_documents_longer_than_a_row_still_train_every_piece(tmp_path):
    docs = [{"id": f"d{i}", "text": " ".join(["the fox jumps over the lazy dog"] * 6)} for i in range(6)]
    manifest = sh.write_document_shards(docs, tokenizer(), tmp_path / "docs", source="t", val_fraction=0.0, progress=False)
    stream = ShardStream(open_shards(manifest.parent, tokenizer()), split="train", seq_len=16)
    pieces = list(stream.pieces(0))
    assert len(pieces) > len(docs)  # every document is cut, and every cut piece is kept
    assert sum(n for n, _ in pieces) == manifest_tokens(manifest)


def manifest_tokens(manifest_path) -> int:
    import json

    return json.loads(manifest_path.read_text())["splits"]["train"]["num_tokens"]


def test_dropped_conversation_tails_are_counted_in_the_totals(row_shards):
    from picochat_hf.training.stream import stream_totals

    tok = tokenizer()
    short = stream_totals(ShardStream(open_shards(row_shards, tok), split="train", seq_len=20, buffer_size=4), 8)
    whole = stream_totals(ShardStream(open_shards(row_shards, tok), split="train", seq_len=512, buffer_size=4), 8)
    assert short["conversation_tails_dropped"] > 0 and short["conversation_tail_tokens_dropped"] > 0
    assert whole["conversation_tails_dropped"] == whole["conversation_tail_tokens_dropped"] == 0
    assert short["real_tokens"] + short["padding_tokens"] == 8 * 20


def test_a_checkpoint_from_a_plan_that_kept_conversation_tails_is_not_resumed(row_shards, tmp_path):
    """Before, the plan kept every piece of a long conversation; replayed now, the data position would differ."""
    import json

    from picochat_hf.training.stream import STREAM_FILE, check_stream_resume, stream_identity

    stream = ShardStream(open_shards(row_shards, tokenizer()), split="train", seq_len=20)
    identity = stream_identity(stream, 4)
    assert identity["conversation_pieces"] == "first_only"
    old = {k: v for k, v in identity.items() if k != "conversation_pieces"}
    (tmp_path / STREAM_FILE).write_text(json.dumps(old))
    with pytest.raises(PicochatInputError, match="conversation_pieces"):
        check_stream_resume(tmp_path, identity)
    (tmp_path / STREAM_FILE).write_text(json.dumps(identity))
    check_stream_resume(tmp_path, identity)


def test_document_streams_keep_their_identity(tmp_path):
    from picochat_hf.training.stream import stream_identity

    docs = [{"id": f"d{i}", "text": f"the fox {i} jumps."} for i in range(8)]
    manifest = sh.write_document_shards(docs, tokenizer(), tmp_path / "docs", source="t", val_fraction=0.0, progress=False)
    stream = ShardStream(open_shards(manifest.parent, tokenizer()), split="train", seq_len=32)
    assert "conversation_pieces" not in stream_identity(stream, 4)


def _trainer_at(step: int, rows: int):
    from types import SimpleNamespace

    args = SimpleNamespace(gradient_accumulation_steps=1, world_size=1)
    return SimpleNamespace(args=args, state=SimpleNamespace(global_step=step), _train_batch_size=rows)


def _collated_targets(stream: ShardStream, num_rows: int) -> tuple[int, int]:
    """(label tokens != -100, real tokens) of the first rows as the training collator builds them."""
    from picochat_hf.training.packing import PackingCollator

    rows = [stream.examples(r) for r in _first_rows(stream, num_rows)]
    batch = PackingCollator(0, stream.seq_len)(rows)
    return int((batch["labels"] != -100).sum()), int(batch["num_real_tokens"])


@pytest.mark.parametrize("seq_len", [20, 64])
def test_streamed_supervised_tokens_are_the_label_tokens_trained(row_shards, seq_len):
    """The report's supervised count (the token budget's evidence) is exactly the labels != -100 the model saw: a
    conversation's user turns and each piece's first token are inputs, not targets."""
    from picochat_hf.training.pretrain import _streamed_done

    stream = ShardStream(open_shards(row_shards, tokenizer()), split="train", seq_len=seq_len, buffer_size=4)
    targets, real = _collated_targets(stream, 6)
    done, totals = _streamed_done(_trainer_at(3, 2), stream)
    assert (done["supervised_tokens"], done["real_tokens"]) == (targets, real)
    assert totals["supervised_tokens"] == targets < real - totals["pieces"]


def test_streamed_document_tokens_are_all_targets_but_each_piece_first(tmp_path):
    from picochat_hf.training.pretrain import _streamed_done

    docs = [{"id": f"d{i}", "text": f"the fox {i} jumps over the lazy dog."} for i in range(20)]
    manifest = sh.write_document_shards(docs, tokenizer(), tmp_path / "docs", source="t", val_fraction=0.0, progress=False)
    stream = ShardStream(open_shards(manifest.parent, tokenizer()), split="train", seq_len=32, buffer_size=4)
    targets, real = _collated_targets(stream, 4)
    done, totals = _streamed_done(_trainer_at(2, 2), stream)
    assert (done["supervised_tokens"], done["real_tokens"]) == (targets, real)
    assert targets == real - totals["pieces"]
