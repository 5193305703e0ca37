"""Two CPU processes (torchrun, gloo): same sampler order on both ranks, disjoint batches, one report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from train_fixtures import chat_rows, picochat_model, save_model_dir, write_rows

PROBE = textwrap.dedent(
    """
    import json, os, sys
    from picochat_hf.training import trainer
    from picochat_hf.training.config import PicochatSFTConfig, parse_config
    from picochat_hf.training.sft import run_sft

    rows = []
    original = trainer._RowsView.__getitem__

    def recording_getitem(self, row):
        rows.append(list(row))
        return original(self, row)

    trainer._RowsView.__getitem__ = recording_getitem
    out = run_sft(parse_config(PicochatSFTConfig, sys.argv[1:]))
    rank = int(os.environ["RANK"])
    (out / f"rank{rank}.json").write_text(json.dumps({"rows": rows, "world": int(os.environ["WORLD_SIZE"])}))
    """
)


@pytest.mark.slow
def test_two_process_cpu_run(tmp_path):
    write_rows(tmp_path / "train.jsonl", chat_rows(0))
    save_model_dir(picochat_model(), tmp_path / "base")
    (tmp_path / "probe.py").write_text(PROBE)
    out = tmp_path / "run" / "sft"
    seq_len, rows, steps = 96, 2, 3
    args = ["--input", str(tmp_path / "train.jsonl"), "--checkpoint", str(tmp_path / "base"), "--output_dir", str(out),
            "--max_length", str(seq_len), "--per_device_train_batch_size", str(rows), "--max_steps", str(steps),
            "--learning_rate", "1e-3", "--device_kind", "cpu", "--seed", "5", "--sampling", "uniform", "--packing_buffer", "8",
            "--allow_blocked_preflight", "true"]  # the gate has its own tests; this one is about ranks
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                           str(tmp_path / "probe.py"), *args], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    r0 = json.loads((out / "rank0.json").read_text())
    r1 = json.loads((out / "rank1.json").read_text())
    assert r0["world"] == r1["world"] == 2
    # accelerate's loader collates one batch ahead, so a rank may have fetched steps + 1 batches
    b0 = [r0["rows"][k : k + rows] for k in range(0, rows * steps, rows)]
    b1 = [r1["rows"][k : k + rows] for k in range(0, rows * steps, rows)]

    # both ranks follow the one shared order: rank r gets global batches r, r + 2, r + 4, ...
    from train_fixtures import tokenizer

    from picochat_hf.training.sampling import PackedBatchSampler
    from picochat_hf.training.tokenize import tokenize_conversations

    ts = tokenize_conversations(chat_rows(0), tokenizer(), seq_len=seq_len)
    sampler = PackedBatchSampler(ts.lengths, ts.categories, seq_len=seq_len, rows_per_batch=rows, sampling="uniform", seed=5, buffer_size=8)
    shared = [[list(r) for r in batch] for batch in sampler.plan(2 * steps)]
    assert b0 == shared[0::2]
    assert b1 == shared[1::2]
    # uniform sampling draws without replacement: within a pass the ranks never see the same conversation
    seen0 = {i for batch in b0 for row in batch for i in row}
    seen1 = {i for batch in b1 for row in batch for i in row}
    assert seen0 and seen1 and not seen0 & seen1

    report = json.loads((out / "train_report.json").read_text())
    assert report["plan"]["world_size"] == 2
    assert report["tokens_per_step"] == 2 * rows * seq_len
    assert report["steps"] == steps
