"""Streamed pretraining from token shards: world-size-invariant batches, exact resume, shard checks."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from train_fixtures import tokenizer

from picochat_hf.cli import main as cli_main
from picochat_hf.data import shards as sh
from picochat_hf.training.callbacks import read_metrics
from picochat_hf.training.stream import ShardStream, open_shards, stream_totals
from picochat_hf.utils.errors import PicochatInputError

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}


def _docs(n: int = 60) -> list[dict]:
    rng = np.random.default_rng(0)
    words = ["the", "fox", "jumps", "over", "a", "lazy", "dog", "and", "runs", "far", "away", "from", "home", "today"]
    return [{"id": f"d{i}", "text": " ".join(rng.choice(words, size=int(rng.integers(5, 120)))) + "."} for i in range(n)]


@pytest.fixture(scope="module")
def shard_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("stream")
    tok = tokenizer()
    tok.save_pretrained(root / "tok")
    sh.write_document_shards(_docs(), tok, root / "shards", source="test", shard_tokens=800, val_fraction=0.15,
                             num_proc=1, progress=False)
    return root


def _train_args(root, out, **over) -> list[str]:
    args = {"--shards": str(root / "shards"), "--tokenizer": str(root / "tok"), "--output_dir": str(out),
            "--depth": "1", "--max_length": "64", "--per_device_train_batch_size": "4", "--max_steps": "6",
            "--learning_rate": "3e-3", "--warmup_steps": "1", "--device_kind": "cpu", "--seed": "3",
            "--eval_steps": "3", "--packing_buffer": "16", "--allow_blocked_preflight": "true"}
    args.update(over)
    return [x for kv in args.items() for x in kv]


PROBE = textwrap.dedent(
    """
    import sys, time
    from picochat_hf.training import trainer
    from picochat_hf.training.config import PicochatPretrainConfig, parse_config
    from picochat_hf.training.pretrain import run_pretrain

    delay = float(sys.argv[1])
    if delay:  # slow each step down so the test can kill the run between checkpoints
        original = trainer.PackedSFTTrainer.training_step

        def slow_step(self, *a, **k):
            time.sleep(delay)
            return original(self, *a, **k)

        trainer.PackedSFTTrainer.training_step = slow_step
    run_pretrain(parse_config(PicochatPretrainConfig, sys.argv[2:]))
    """
)


def _losses(out) -> dict[int, float]:
    return {m["step"]: m["loss"] for m in read_metrics(out / "metrics.jsonl") if "loss" in m}


def _run(tmp_path, args, *, nproc: int = 1, delay: float = 0.0, wait: bool = True):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    cmd = [sys.executable, str(probe), str(delay), *args]
    if nproc > 1:
        cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(nproc), str(probe), str(delay), *args]
    if not wait:
        return subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    proc = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def _run_here(args) -> None:
    """A one-process run in this interpreter (no second start of torch and transformers), on one thread as `_run`'s
    subprocesses (ENV's OMP_NUM_THREADS=1), so its curve is the one a subprocess would log."""
    import torch

    from picochat_hf.training.config import PicochatPretrainConfig, parse_config
    from picochat_hf.training.pretrain import run_pretrain

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        run_pretrain(parse_config(PicochatPretrainConfig, args))
    finally:
        torch.set_num_threads(threads)


def test_row_stream_is_deterministic_and_covers_every_token(shard_dir):
    manifest = open_shards(shard_dir / "shards", tokenizer())
    stream = ShardStream(manifest, split="train", seq_len=64, seed=1, buffer_size=8)
    rows = []
    for row in stream.rows():
        rows.append(row)
        if len(rows) == 200:
            break
    again = []
    for row in ShardStream(manifest, split="train", seq_len=64, seed=1, buffer_size=8).rows():
        again.append(row)
        if len(again) == 200:
            break
    assert rows == again
    assert all(sum(e - s for _, s, e in row) <= 64 for row in rows)
    # one pass holds every train token exactly once (pieces of length 1 carry no target and are skipped)
    train_tokens = manifest["splits"]["train"]["num_tokens"]
    pieces = list(stream.pieces(0))
    assert sum(n for n, _ in pieces) == train_tokens
    bos = tokenizer().bos_token_id
    starts = [p for n, p in pieces if n >= 2 and stream.tokens(p[0])[p[1]] == bos]
    assert len(starts) == manifest["splits"]["train"]["sequences"] - sum(1 for n, p in pieces if n < 2 and stream.tokens(p[0])[p[1]] == bos)
    totals = stream_totals(stream, 10)
    assert totals["real_tokens"] + totals["padding_tokens"] == 10 * 64


def test_rank_slices_of_the_row_stream_make_the_same_global_batches(shard_dir):
    """What accelerate's BatchSamplerShard hands each rank: for W ranks x R/W rows, the union of one step's
    micro-batches equals the 1-rank x R-row batch (the world-size invariance the 2-process test measures)."""
    from accelerate.data_loader import BatchSamplerShard

    from picochat_hf.training.stream import ShardRowSampler

    manifest = open_shards(shard_dir / "shards", tokenizer())

    def steps(world: int, rows: int, accum: int, n: int) -> list[list]:
        per_rank = []
        for rank in range(world):
            sampler = ShardRowSampler(ShardStream(manifest, split="train", seq_len=64, seed=2, buffer_size=16), rows)
            shard = iter(BatchSamplerShard(sampler, num_processes=world, process_index=rank))
            per_rank.append([next(shard) for _ in range(n * accum)])
        # optimizer step k: micro-batches k*accum .. of every rank
        return [sorted(row for r in range(world) for b in per_rank[r][k * accum:(k + 1) * accum] for row in b) for k in range(n)]

    one = steps(1, 8, 1, 5)
    assert steps(2, 4, 1, 5) == one
    assert steps(4, 2, 1, 5) == one
    assert steps(2, 2, 2, 5) == one  # accumulation too: 2 ranks x 2 rows x 2 micro-batches


@pytest.mark.slow
def test_two_processes_and_one_give_the_same_loss_curve(shard_dir, tmp_path):
    one = tmp_path / "one" / "base"
    two = tmp_path / "two" / "base"
    _run_here(_train_args(shard_dir, one, **{"--per_device_train_batch_size": "4"}))
    _run(tmp_path, _train_args(shard_dir, two, **{"--per_device_train_batch_size": "2"}), nproc=2)
    a, b = _losses(one), _losses(two)
    assert sorted(a) == sorted(b) == list(range(1, 7))
    assert [a[k] for k in sorted(a)] == pytest.approx([b[k] for k in sorted(b)], rel=1e-4, abs=1e-5)
    assert a[6] < a[1]  # it learns
    ra = json.loads((one / "train_report.json").read_text())
    rb = json.loads((two / "train_report.json").read_text())
    assert rb["plan"]["world_size"] == 2 and ra["plan"]["world_size"] == 1
    assert ra["real_tokens_seen"] == rb["real_tokens_seen"] and ra["data"]["stream"] == rb["data"]["stream"]
    assert ra["final_eval"]["eval_loss"] == pytest.approx(rb["final_eval"]["eval_loss"], rel=1e-4)


@pytest.mark.slow
def test_kill_nine_and_resume_gives_the_uninterrupted_curve(shard_dir, tmp_path):
    steps = {"--max_steps": "10", "--save_strategy": "steps", "--save_steps": "2", "--eval_steps": "5"}
    ref = tmp_path / "ref" / "base"
    _run_here(_train_args(shard_dir, ref, **steps))
    out = tmp_path / "cut" / "base"
    proc = _run(tmp_path, _train_args(shard_dir, out, **steps), delay=0.4, wait=False)
    deadline = time.time() + 300
    while not (out / "checkpoint-4" / "trainer_state.json").exists():
        assert proc.poll() is None, proc.stderr.read()[-3000:]
        assert time.time() < deadline
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "train_report.json").exists()  # it really died mid-run
    _run_here(_train_args(shard_dir, out, **steps, **{"--resume_from_checkpoint": "last"}))  # it reads what the killed run left
    a, b = _losses(ref), _losses(out)
    assert sorted(a) == sorted(b) == list(range(1, 11))
    assert [a[k] for k in sorted(a)] == pytest.approx([b[k] for k in sorted(b)], rel=1e-5, abs=1e-6)
    ra = json.loads((ref / "train_report.json").read_text())
    rb = json.loads((out / "train_report.json").read_text())
    assert ra["data"]["stream"] == rb["data"]["stream"] and ra["real_tokens_seen"] == rb["real_tokens_seen"]


def test_tokenizer_mismatch_and_bad_shards_are_refused(shard_dir, tmp_path, capsys):
    import shutil

    from picochat_hf.tokenizer import train_tokenizer

    other = train_tokenizer(["a b c d e f g"] * 20, vocab_size=300)
    other.save_pretrained(tmp_path / "other")
    base = ["train", "base", "--shards", str(shard_dir / "shards"), "--out-dir", str(tmp_path / "o"), "--depth", "1",
            "--steps", "2", "--device", "cpu", "--seq-len", "64"]
    assert cli_main([*base, "--tokenizer", str(tmp_path / "other")]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "shards.json, field 'tokenizer_hash'" in err and not (tmp_path / "o").exists()

    bad = tmp_path / "bad"
    shutil.copytree(shard_dir / "shards", bad)
    first = json.loads((bad / "shards.json").read_text())["shards"][0]["tokens"]
    data = bytearray((bad / first).read_bytes())
    data[4:8] = np.int32(7).tobytes()  # unknown version
    (bad / first).write_bytes(bytes(data))
    base[3] = str(bad)
    assert cli_main([*base, "--tokenizer", str(shard_dir / "tok")]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"{first}, field 'header[1]'" in err and "unsupported version 7" in err
    data[4:8] = np.int32(1).tobytes()
    (bad / first).write_bytes(bytes(data[:-2]))  # truncated
    assert cli_main([*base, "--tokenizer", str(shard_dir / "tok")]) == 2
    assert "field 'header[2]'" in capsys.readouterr().err
    assert cli_main(["train", "base", "--shards", str(tmp_path / "nowhere"), "--tokenizer", str(shard_dir / "tok"),
                     "--out-dir", str(tmp_path / "o"), "--depth", "1", "--steps", "2", "--device", "cpu"]) == 2
    assert "no shards.json here" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_shards_without_a_trainable_document_are_refused_not_looped_on(tmp_path):
    tok = tokenizer()
    sh.write_document_shards([{"id": f"d{i}", "text": ""} for i in range(4)], tok, tmp_path / "s", source="test",
                             val_fraction=0.0, num_proc=1, progress=False)
    manifest = open_shards(tmp_path / "s", tok)
    assert [s["sequences"] for s in manifest["shards"]] == [4] and manifest["num_tokens"] == 4  # a lone BOS each
    stream = ShardStream(manifest, split="train", seq_len=64)
    with pytest.raises(PicochatInputError, match="no train document holds 2 or more tokens") as err:
        next(stream.rows())
    assert err.value.field == "shards"
    with pytest.raises(PicochatInputError, match="no train document holds 2 or more tokens"):
        stream_totals(stream, 1)


@pytest.mark.parametrize("field", ["tokenizer_hash", "vocab_size"])
def test_a_manifest_that_does_not_name_its_tokenizer_is_refused(shard_dir, tmp_path, field):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(shard_dir / "shards", copy)
    manifest = json.loads((copy / "shards.json").read_text())
    manifest.pop(field)
    (copy / "shards.json").write_text(json.dumps(manifest))
    with pytest.raises(PicochatInputError) as err:
        open_shards(copy, tokenizer())
    assert err.value.field == field and str(copy / "shards.json") in str(err.value)


def _base_cli(shards, tok_dir, out) -> list[str]:
    return ["train", "base", "--shards", str(shards), "--tokenizer", str(tok_dir), "--out-dir", str(out), "--depth", "1",
            "--steps", "2", "--device", "cpu", "--seq-len", "64"]


def test_shards_without_validation_documents_are_refused_in_one_line(shard_dir, tmp_path, capsys):
    """The validation loss picks best_checkpoint and is the run's held-out evidence: a shard set without val
    shards, or whose val documents are lone BOS tokens, is refused, not trained without one."""
    tok = tokenizer()
    sh.write_document_shards(_docs(20), tok, tmp_path / "noval", source="t", val_fraction=0.0, progress=False)
    docs = [{"id": f"d{i}", "text": "" if sh.is_validation({"id": f"d{i}"}, 0.3) else "the fox jumps over the dog"}
            for i in range(30)]
    sh.write_document_shards(docs, tok, tmp_path / "bosval", source="t", val_fraction=0.3, progress=False)
    assert json.loads((tmp_path / "bosval" / "shards.json").read_text())["splits"]["val"]["sequences"] > 0
    for name, reason in (("noval", "no val shards"), ("bosval", "no val document holds 2 or more tokens")):
        assert cli_main(_base_cli(tmp_path / name, shard_dir / "tok", tmp_path / "o")) == 2
        err = capsys.readouterr().err.strip().splitlines()[-1]
        assert f"{name}/shards.json, field 'splits.val': {reason}" in err and not (tmp_path / "o").exists()


def _edited_copy(shard_dir, dest, edit):
    import shutil

    shutil.copytree(shard_dir / "shards", dest)
    manifest = json.loads((dest / "shards.json").read_text())
    edit(dest, manifest)
    (dest / "shards.json").write_text(json.dumps(manifest))
    return dest


def _as_val(dest, manifest, copy_file: bool):
    import shutil

    train = next(s for s in manifest["shards"] if s["split"] == "train")
    val = {**train, "split": "val"}
    if copy_file:  # the same tokens under another name
        for key in ("tokens", "index"):
            shutil.copy(dest / train[key], dest / f"copy_{train[key]}")
            val[key] = f"copy_{train[key]}"
    manifest["shards"].append(val)


@pytest.mark.parametrize("edit, reason", [
    (lambda d, m: m["shards"].insert(1, dict(m["shards"][0])), "lists the file of shards[0] again"),
    (lambda d, m: _as_val(d, m, copy_file=False), "lists the file of shards[0] again"),
    (lambda d, m: _as_val(d, m, copy_file=True), "holds exactly the tokens of train shards[0]"),
])
def test_a_shard_listed_twice_or_a_train_shard_as_validation_is_refused(shard_dir, tmp_path, edit, reason):
    bad = _edited_copy(shard_dir, tmp_path / "bad", edit)
    with pytest.raises(PicochatInputError, match=re.escape(reason)) as err:
        open_shards(bad, tokenizer())
    assert err.value.path == str(bad / "shards.json") and err.value.field.endswith("].tokens")


def _edit_index(dest, manifest, how):
    path = dest / manifest["shards"][0]["index"]
    offsets = np.load(path)
    if how == "garbage":
        path.write_bytes(b"not an array")
    elif how == "float":
        np.save(path, offsets.astype(np.float64))
    elif how == "decreasing":
        offsets[1], offsets[2] = offsets[2], offsets[1]
        np.save(path, offsets)
    else:  # shifted: increasing and covering the shard, but the second document no longer starts at its BOS
        offsets[1] += 1
        np.save(path, offsets)


@pytest.mark.parametrize("how, reason", [("garbage", "not a readable .npy array"), ("float", "offsets must be integers"),
                                         ("decreasing", "offsets must increase"), ("shifted", "sequence 1 starts with token")])
def test_a_sequence_index_that_does_not_match_its_tokens_is_refused(shard_dir, tmp_path, how, reason):
    bad = _edited_copy(shard_dir, tmp_path / "bad", lambda d, m: _edit_index(d, m, how))
    stream = ShardStream(open_shards(bad, tokenizer()), split="train", seq_len=64)
    with pytest.raises(PicochatInputError, match=reason) as err:
        stream_totals(stream, 50)
    assert err.value.field == "index" and err.value.path.endswith(".idx.npy")


@pytest.mark.parametrize("name", ["docs.json", "docs.ndjson", "docs.csv", "docs.parquet", "docs.jsonl.gz"])
def test_in_memory_documents_read_every_data_file_layout_by_its_text_column(tmp_path, name):
    """A JSON array, NDJSON, CSV or parquet file of {"text"} records was read as one plain-text file: the model
    would have trained on the file's JSON or CSV syntax."""
    import gzip
    from types import SimpleNamespace

    import pyarrow as pa
    import pyarrow.parquet as pq

    from picochat_hf.training.pretrain import iter_documents

    docs = [{"id": "a", "text": "The fox jumps."}, {"id": "b", "text": "A lazy dog sleeps."}]
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(docs, indent=1))
    elif name.endswith(".csv"):
        path.write_text("id,text\n" + "".join(f"{d['id']},{d['text']}\n" for d in docs))
    elif name.endswith(".parquet"):
        pq.write_table(pa.Table.from_pylist(docs), path)
    else:
        data = "".join(json.dumps(d) + "\n" for d in docs).encode("utf-8")
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    config = SimpleNamespace(dataset_pack=None, documents=str(path))
    assert list(iter_documents(config)) == docs
    if name.endswith(".json"):
        path.write_text(json.dumps([{"body": "no text column"}]))
        with pytest.raises(PicochatInputError, match="expected an object with a 'text' string") as err:
            list(iter_documents(config))
        assert (err.value.line, err.value.field) == (1, "text")


def test_a_shard_written_for_another_vocabulary_is_refused(shard_dir, tmp_path):
    """A token shard from a shard set with a larger vocabulary, dropped into this folder with matching counts,
    would feed ids past the model's embedding: its header's vocabulary must be the manifest's."""
    def swap(dest, manifest):
        first = manifest["shards"][0]
        tokens = np.asarray(sh.read_shard(dest / first["tokens"])).copy()
        sh.write_shard(dest / first["tokens"], tokens, vocab_size=70_000, version=1)

    bad = _edited_copy(shard_dir, tmp_path / "bad", swap)
    with pytest.raises(PicochatInputError, match="written for a vocabulary of 70000, the manifest says") as err:
        open_shards(bad, tokenizer())
    assert err.value.field == "header[4]"


def test_resuming_with_another_stream_is_refused(shard_dir, tmp_path, capsys):
    """Resume replays the row plan up to the checkpoint's step: with another seed, row length, packing buffer,
    global batch or shard set it would continue on rows the weights never reached (or saw twice)."""
    from picochat_hf.training.config import PicochatPretrainConfig, parse_config
    from picochat_hf.training.pretrain import run_pretrain
    from picochat_hf.training.stream import STREAM_FILE, check_stream_resume

    out = tmp_path / "base"
    steps = {"--max_steps": "2", "--save_strategy": "steps", "--save_steps": "2", "--eval_steps": "2"}
    run_pretrain(parse_config(PicochatPretrainConfig, _train_args(shard_dir, out, **steps)))
    saved = json.loads((out / "checkpoint-2" / STREAM_FILE).read_text())
    assert saved["rows_per_step"] == 4 and saved["seed"] == 3 and saved["max_length"] == 64
    more = {**steps, "--max_steps": "4", "--resume_from_checkpoint": "last"}
    for flag, value, field in (("--data_seed", "9", "seed"), ("--per_device_train_batch_size", "2", "rows_per_step"),
                               ("--packing_buffer", "8", "packing_buffer")):
        with pytest.raises(PicochatInputError) as err:
            run_pretrain(parse_config(PicochatPretrainConfig, _train_args(shard_dir, out, **more, **{flag: value})))
        assert err.value.field == field and err.value.path.endswith(STREAM_FILE)
    assert not (out / "checkpoint-4").exists()
    with pytest.raises(PicochatInputError, match="data position is unknown"):  # a checkpoint without the record
        check_stream_resume(tmp_path, saved)


def test_muon_base_stage_under_ddp_matches_one_process(shard_dir, tmp_path):
    """The base stage (ShardPretrainTrainer) with muon_learning_rate: two DDP processes see the all-reduced gradient
    and step both children as one process does. Muon's Newton-Schulz runs in bfloat16, so the curves agree to
    bfloat16's rounding of (float-reordered) gradients, not bitwise."""
    muon = {"--muon_learning_rate": "0.02", "--max_steps": "4", "--eval_steps": "4"}
    one = tmp_path / "one" / "base"
    two = tmp_path / "two" / "base"
    _run_here(_train_args(shard_dir, one, **muon, **{"--per_device_train_batch_size": "4"}))
    _run(tmp_path, _train_args(shard_dir, two, **muon, **{"--per_device_train_batch_size": "2"}), nproc=2)
    a, b = _losses(one), _losses(two)
    assert sorted(a) == sorted(b) == [1, 2, 3, 4]
    assert [a[k] for k in sorted(a)] == pytest.approx([b[k] for k in sorted(b)], rel=1e-3)
    for out in (one, two):
        assert json.loads((out / "train_report.json").read_text())["plan"]["muon_learning_rate"] == 0.02
