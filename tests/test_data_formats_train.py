"""TRL's dataset types through the trainers: `picochat train sft` and `accelerate launch recipes/sft.py` (CPU, a tiny
model, 2 steps) train exactly the answers each type holds, and refuse the types that hold none, or a bad answer,
with one line naming the file, line and field, writing nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from train_fixtures import picochat_model, save_model_dir, stub_preflight, tokenizer

from picochat_hf.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
Q = [{"role": "user", "content": "What color is the sky?"}]
CALL = {"type": "function", "id": "c1", "function": {"name": "weather", "arguments": '{"city": "Paris"}'}}
# one record of each TRL type that holds an answer, and the answer text the trainer is given for it
TRL_TYPES = [
    ({"prompt": "What color is grass?", "completion": "Green."}, "Green.<|assistant_end|>"),
    ({"prompt": Q, "completion": [{"role": "assistant", "content": "Blue."}]}, "Blue.<|assistant_end|>"),
    ({"prompt": "What is 2 plus 2?", "chosen": "Four.", "rejected": "Five."}, "Four.<|assistant_end|>"),
    ({"chosen": [*Q, {"role": "assistant", "content": "Blue!"}], "rejected": [*Q, {"role": "assistant", "content": "Red."}]},
     "Blue!<|assistant_end|>"),
    ({"prompt": "What is snow?", "completion": "Ice.", "label": True}, "Ice.<|assistant_end|>"),
    ({"messages": [{"role": "system", "content": "Be brief."}, *Q, {"role": "assistant", "content": "Azure."}]},
     "Azure.<|assistant_end|>"),
    ({"messages": [{"role": "user", "content": [{"type": "text", "text": "Name "}, {"type": "text", "text": "a cat."}]},
                   {"role": "assistant", "content": [{"type": "text", "text": "Tom."}]}]}, "Tom.<|assistant_end|>"),
    ({"messages": [*Q, {"role": "assistant", "tool_calls": [CALL]}, {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
                   {"role": "assistant", "content": "Blue."}]},
     '<|python_start|>{"name": "weather", "arguments": {"city": "Paris"}}<|python_end|>Blue.<|assistant_end|>'),
]


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_the_trainer_is_given_exactly_each_types_answer_tokens(tmp_path, monkeypatch):
    from picochat_hf.training.config import PicochatSFTConfig, parse_config
    from picochat_hf.training.sft import build_sft_trainer

    stub_preflight(monkeypatch, "ready")
    rows = _write(tmp_path / "trl.jsonl", [r for r, _ in TRL_TYPES])
    config = parse_config(PicochatSFTConfig, ["--input", str(rows), "--output_dir", str(tmp_path / "o"), "--max_length", "128",
                                              "--device_kind", "cpu", "--max_steps", "2"])
    trainer, data = build_sft_trainer(config, model=picochat_model(), tokenizer=tokenizer())
    tok = tokenizer()
    trained = [tok.decode([t for t in labels if t != -100]) for labels in trainer.train_dataset["labels"]]
    assert trained == [answer for _, answer in TRL_TYPES]
    assert data["row_formats"]["formats"] == {"conversational": 3, "preference": 2, "prompt_completion": 3}


def _sft_cli(tmp_path: Path, rows: Path, out: Path) -> list[str]:
    base = save_model_dir(picochat_model(), tmp_path / "base")
    return ["train", "sft", "--input", str(rows), "--checkpoint", str(base), "--out-dir", str(out), "--steps", "2",
            "--batch-size", "2", "--seq-len", "96", "--device", "cpu"]


def test_train_sft_trains_every_type_and_reports_each_format(tmp_path, monkeypatch, capsys):
    stub_preflight(monkeypatch, "ready")
    out = tmp_path / "run" / "sft"
    rows = _write(tmp_path / "trl.jsonl", [r for r, _ in TRL_TYPES])
    assert cli_main(_sft_cli(tmp_path, rows, out)) == 0, capsys.readouterr().err
    report = json.loads((out / "train_report.json").read_text())
    assert report["data"]["train_rows"] == len(TRL_TYPES)
    assert report["data"]["row_formats"]["formats"] == {"conversational": 3, "preference": 2, "prompt_completion": 3}


@pytest.mark.parametrize("record,field", [
    ({"prompt": "What color is the sky?"}, "messages"),  # prompt-only
    ({"text": "The sky is blue."}, "messages"),  # language modeling
    ({"prompt": "Which is larger, 9.8 or 9.11?", "completions": ["9.11 > 9.8"], "labels": [False]}, "messages"),  # stepwise
    ({"prompt": "What color is the sky?", "completion": "Green.", "label": 0}, "label"),  # unpaired, undesirable
    ({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "sky.png"}},
                                                {"type": "text", "text": "What color?"}]},
                   {"role": "assistant", "content": "Blue."}]}, "messages[0].content[0]"),
])
def test_train_sft_refuses_a_type_without_a_trainable_answer_naming_line_and_field(tmp_path, monkeypatch, capsys,
                                                                                    record, field):
    stub_preflight(monkeypatch, "ready")
    out = tmp_path / "run" / "sft"
    rows = _write(tmp_path / "trl.jsonl", [TRL_TYPES[0][0], record])
    args = _sft_cli(tmp_path, rows, out)
    capsys.readouterr()  # the base model's save progress aside
    assert cli_main(args) == 2
    errors = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(errors) == 1 and f"trl.jsonl:2, field '{field}'" in errors[0], errors
    assert not out.exists()


def _recipe(tmp_path: Path, rows: Path, out: Path, launcher: list[str] | None = None) -> subprocess.CompletedProcess:
    base = save_model_dir(picochat_model(), tmp_path / "base")
    config = tmp_path / "sft.yaml"
    config.write_text(f"input: {rows}\ncheckpoint: {base}\noutput_dir: {out}\ndevice_kind: cpu\nmax_steps: 2\n"
                      "per_device_train_batch_size: 2\nmax_length: 96\nlogging_steps: 1\n",
                      encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    if launcher is None:
        launcher = ["-m", "accelerate.commands.launch", "--config_file", str(ROOT / "accelerate_configs" / "cpu.yaml")]
    return subprocess.run([sys.executable, *launcher, str(ROOT / "recipes" / "sft.py"), "--config", str(config)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)


def test_accelerate_launch_recipe_reads_the_trl_types_and_refuses_a_bad_one(tmp_path):
    rows = _write(tmp_path / "trl.jsonl", [r for r, _ in TRL_TYPES])
    done = _recipe(tmp_path, rows, tmp_path / "run" / "sft")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "run" / "sft" / "train_report.json").read_text())
    assert report["data"]["row_formats"]["formats"] == {"conversational": 3, "preference": 2, "prompt_completion": 3}
    bad = _write(tmp_path / "bad.jsonl", [TRL_TYPES[0][0], {"prompt": "What color is the sky?", "completion": "Green.",
                                                            "label": "0"}])
    done = _recipe(tmp_path, bad, tmp_path / "run2" / "sft")
    # the recipe exits 2 with one line; accelerate's launcher reports any child failure as its own exit 1, echoing the
    # child's stderr in a RuntimeError traceback
    assert done.returncode == 1 and "returned non-zero exit status 2" in done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith(str(ROOT / "recipes" / "sft.py") + ": error:")]
    assert len(errors) == 1 and "bad.jsonl:2, field 'label': label '0'" in errors[0], errors
    assert not (tmp_path / "run2").exists()
    direct = _recipe(tmp_path, bad, tmp_path / "run3" / "sft", launcher=[])
    assert direct.returncode == 2 and "bad.jsonl:2, field 'label'" in direct.stderr.strip().splitlines()[-1]
    assert not (tmp_path / "run3").exists()
