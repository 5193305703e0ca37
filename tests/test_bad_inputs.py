"""The bad-input contract, as a table: every command, fed malformed input, exits 2 with one line.

Each case runs `picochat ...` in process (`picochat_hf.cli.main`) inside a shared workspace of valid and
broken inputs, and asserts: exit code 2, exactly one line on stderr naming the field or file, no
traceback, and the workspace unchanged (no new, changed or deleted file, modes included).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import stat
from pathlib import Path

import pytest
import torch

from picochat_hf.cli import main as cli_main

W = "{w}"  # the workspace, substituted into every argument
EVAL = "{w}/eval.jsonl"
ROWS = "{w}/rows.jsonl"
MODEL = "{w}/model"
NEW = "{w}/out/new"  # an output path that must never appear

# (case id, argv, text the one error line must contain)
CASES: list[tuple[str, list[str], str]] = [
    # ---- data import
    ("import-latin1", ["data", "import", "--input", "{w}/latin1.jsonl", "--out-dir", NEW], "latin1.jsonl"),
    ("import-missing", ["data", "import", "--input", "{w}/nope.txt", "--out-dir", NEW], "nope.txt"),
    ("import-dir", ["data", "import", "--input", "{w}/adir", "--out-dir", NEW], "adir"),
    ("import-corrupt-gz", ["data", "import", "--input", "{w}/corrupt.jsonl.gz", "--out-dir", NEW], "corrupt.jsonl.gz"),
    ("import-corrupt-parquet", ["data", "import", "--input", "{w}/corrupt.parquet", "--out-dir", NEW], "corrupt.parquet"),
    ("import-max-rows-0", ["data", "import", "--default", "--max-rows", "0", "--out-dir", NEW], "--max-rows"),
    ("import-max-rows-neg", ["data", "import", "--default", "--max-rows", "-1", "--out-dir", NEW], "--max-rows"),
    ("import-shard-chars-0", ["data", "import", "--default", "--shard-chars", "0", "--out-dir", NEW], "--shard-chars"),
    ("import-min-chars-neg", ["data", "import", "--default", "--min-chars", "-1", "--out-dir", NEW], "--min-chars"),
    ("import-out-is-file", ["data", "import", "--default", "--out-dir", "{w}/afile.txt"], "afile.txt"),
    ("import-out-exists", ["data", "import", "--default", "--out-dir", "{w}/done"], "did not write (keep.txt)"),
    # ---- data task-pack
    ("taskpack-sft-rows-0", ["data", "task-pack", "--sft-rows", "0", "--out-dir", NEW], "--sft-rows"),
    ("taskpack-eval-rows-neg", ["data", "task-pack", "--eval-rows", "-5", "--out-dir", NEW], "--eval-rows"),
    ("taskpack-too-few", ["data", "task-pack", "--sft-rows", "10", "--out-dir", NEW], "sft_rows"),
    ("taskpack-profile", ["data", "task-pack", "--profile", "nope", "--out-dir", NEW], "--profile"),
    ("taskpack-pack-json", ["data", "task-pack", "--dataset-pack", "{w}/notjson.jsonl", "--out-dir", NEW], "notjson.jsonl"),
    ("taskpack-pack-missing", ["data", "task-pack", "--dataset-pack", "{w}/nope.json", "--out-dir", NEW], "nope.json"),
    ("taskpack-out-is-file", ["data", "task-pack", "--out-dir", "{w}/afile.txt"], "afile.txt"),
    ("taskpack-out-exists", ["data", "task-pack", "--profile", "release", "--sft-rows", "40", "--eval-rows", "20",
                             "--out-dir", "{w}/taskpack"], "already exists"),
    # ---- data sft-mixture
    ("mixture-bad-answer", ["data", "sft-mixture", "--source", "offline", "--mmlu-file", "{w}/mmlu_bad.jsonl",
                            "--max-rows-per-source", "5", "--out-dir", NEW], "answer"),
    ("mixture-latin1", ["data", "sft-mixture", "--source", "offline", "--mmlu-file", "{w}/latin1.jsonl", "--out-dir", NEW], "latin1.jsonl"),
    ("mixture-missing", ["data", "sft-mixture", "--source", "offline", "--mmlu-file", "{w}/nope.jsonl", "--out-dir", NEW], "nope.jsonl"),
    ("mixture-notjson", ["data", "sft-mixture", "--source", "offline", "--smoltalk-file", "{w}/notjson.jsonl", "--out-dir", NEW], "notjson.jsonl"),
    ("mixture-max-rows-0", ["data", "sft-mixture", "--max-rows-per-source", "0", "--out-dir", NEW], "--max-rows-per-source"),
    ("mixture-epochs-neg", ["data", "sft-mixture", "--mmlu-epochs", "-1", "--out-dir", NEW], "--mmlu-epochs"),
    ("mixture-source", ["data", "sft-mixture", "--source", "bogus", "--out-dir", NEW], "--source"),
    ("mixture-words-dir", ["data", "sft-mixture", "--source", "offline", "--words-file", "{w}/adir", "--out-dir", NEW], "adir"),
    # ---- data reasoning-import
    ("reasoning-rows-0", ["data", "reasoning-import", "--input", "{w}/traces.jsonl", "--max-rows", "0", "--out-dir", NEW], "--max-rows"),
    ("reasoning-latin1", ["data", "reasoning-import", "--input", "{w}/latin1.jsonl", "--out-dir", NEW], "latin1.jsonl"),
    ("reasoning-corrupt-parquet", ["data", "reasoning-import", "--input", "{w}/corrupt.parquet", "--out-dir", NEW], "corrupt.parquet"),
    ("reasoning-missing", ["data", "reasoning-import", "--input", "{w}/nope.jsonl", "--out-dir", NEW], "nope.jsonl"),
    ("reasoning-max-chars-0", ["data", "reasoning-import", "--input", "{w}/traces.jsonl", "--max-chars", "0", "--out-dir", NEW], "--max-chars"),
    # ---- data shards
    ("shards-broken-tokenizer", ["data", "shards", "--input", ROWS, "--tokenizer", "{w}/tok_broken", "--out-dir", NEW], "tok_broken"),
    ("shards-missing-tokenizer", ["data", "shards", "--input", ROWS, "--tokenizer", "{w}/nope", "--out-dir", NEW], "nope"),
    ("shards-latin1", ["data", "shards", "--input", "{w}/latin1.jsonl", "--tokenizer", "{w}/tok", "--out-dir", NEW], "latin1.jsonl"),
    ("shards-tokens-0", ["data", "shards", "--input", ROWS, "--tokenizer", "{w}/tok", "--shard-tokens", "0", "--out-dir", NEW], "--shard-tokens"),
    ("shards-val-fraction", ["data", "shards", "--input", ROWS, "--tokenizer", "{w}/tok", "--val-fraction", "1.5", "--out-dir", NEW], "--val-fraction"),
    # ---- tokenizer train
    ("tokenizer-vocab-small", ["tokenizer", "train", "--default", "--vocab-size", "10", "--out-dir", NEW], "vocab_size"),
    ("tokenizer-vocab-0", ["tokenizer", "train", "--default", "--vocab-size", "0", "--out-dir", NEW], "--vocab-size"),
    ("tokenizer-missing", ["tokenizer", "train", "--input", "{w}/nope.txt", "--out-dir", NEW], "nope.txt"),
    ("tokenizer-dir", ["tokenizer", "train", "--input", "{w}/adir", "--out-dir", NEW], "adir"),
    ("tokenizer-latin1", ["tokenizer", "train", "--input", "{w}/latin1.jsonl", "--vocab-size", "300", "--out-dir", NEW], "latin1.jsonl"),
    ("tokenizer-out-is-file", ["tokenizer", "train", "--default", "--out-dir", "{w}/afile.txt"], "afile.txt"),
    # ---- train sft / base / dpo
    ("sft-batch-0", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--batch-size", "0", "--out-dir", NEW], "per_device_train_batch_size"),
    ("sft-steps-neg", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--steps", "-5", "--out-dir", NEW], "max_steps"),
    ("sft-lr-nan", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--learning-rate", "nan", "--out-dir", NEW], "learning_rate"),
    ("sft-yaml-malformed", ["train", "sft", "--config", "{w}/malformed.yaml", "--out-dir", NEW], "malformed.yaml:"),
    ("sft-yaml-unknown", ["train", "sft", "--config", "{w}/unknown_key.yaml", "--out-dir", NEW], "unknown_key.yaml:2, field 'foo_bar'"),
    ("sft-yaml-type", ["train", "sft", "--config", "{w}/wrong_type.yaml", "--out-dir", NEW], "wrong_type.yaml:1, field 'max_steps'"),
    ("sft-set-unknown", ["train", "sft", "--input", ROWS, "--set", "foo=1", "--out-dir", NEW], "'foo'"),
    ("sft-set-type", ["train", "sft", "--input", ROWS, "--set", "max_length=abc", "--out-dir", NEW], "max_length"),
    ("sft-set-malformed", ["train", "sft", "--input", ROWS, "--set", "noequals", "--out-dir", NEW], "set"),
    ("sft-heldout", ["train", "sft", "--input", ROWS, "--heldout-fraction", "1.5", "--out-dir", NEW], "heldout_fraction"),
    ("sft-input-latin1", ["train", "sft", "--input", "{w}/latin1.jsonl", "--checkpoint", MODEL, "--device", "cpu", "--out-dir", NEW], "latin1.jsonl"),
    ("sft-input-dir", ["train", "sft", "--input", "{w}/adir", "--checkpoint", MODEL, "--device", "cpu", "--out-dir", NEW], "adir"),
    ("sft-bad-config-json", ["train", "sft", "--input", ROWS, "--checkpoint", "{w}/m_badconfig", "--tokenizer", "{w}/tok",
                             "--device", "cpu", "--out-dir", NEW], "m_badconfig"),
    ("sft-truncated-weights", ["train", "sft", "--input", ROWS, "--checkpoint", "{w}/m_truncated", "--device", "cpu", "--out-dir", NEW], "m_truncated"),
    ("sft-pickle-weights", ["train", "sft", "--input", ROWS, "--checkpoint", "{w}/m_pickle", "--device", "cpu", "--out-dir", NEW], "safetensors"),
    ("sft-broken-tokenizer", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--tokenizer", "{w}/tok_broken", "--device", "cpu",
                              "--out-dir", NEW], "tok_broken"),
    ("sft-resume-missing", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--resume-from-checkpoint", "{w}/nope",
                            "--out-dir", "{w}/done"], "nope"),
    ("sft-out-is-file", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--device", "cpu", "--out-dir", "{w}/afile.txt"], "afile.txt"),
    # blocked by the release profile (no base-run token budget, skills missing); an epoch run's steps are now planned
    ("sft-preflight-blocked", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--device", "cpu", "--seq-len", "64",
                               "--preflight-profile", "skill_release", "--out-dir", NEW], "preflight gate blocked"),
    ("sft-resume-last-none", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--resume-from-checkpoint", "last",
                              "--out-dir", "{w}/done"], "no complete checkpoint"),
    ("sft-out-exists", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--device", "cpu", "--out-dir", "{w}/done"], "did not write (keep.txt)"),
    ("base-val-fraction", ["train", "base", "--documents", "default", "--val-fraction", "1.5", "--out-dir", NEW], "val_fraction"),
    ("base-documents-latin1", ["train", "base", "--documents", "{w}/latin1.jsonl", "--tokenizer", "{w}/tok", "--device", "cpu",
                               "--preset", "cpu-tiny", "--out-dir", NEW], "latin1.jsonl"),
    ("base-max-documents-0", ["train", "base", "--documents", "default", "--max-documents", "0", "--out-dir", NEW], "max_documents"),
    ("base-depth-0", ["train", "base", "--documents", "default", "--depth", "0", "--out-dir", NEW], "depth"),
    ("base-depth-huge", ["train", "base", "--documents", "default", "--depth", "1000000", "--out-dir", NEW], "depth"),
    ("base-model-config-list", ["train", "base", "--documents", "default", "--tokenizer", "{w}/tok", "--preset", "cpu-tiny",
                                "--seq-len", "64", "--steps", "1", "--device", "cpu", "--set", "model_config=[1]", "--out-dir", NEW], "field 'model_config': must be a JSON object"),
    ("base-model-config-typo", ["train", "base", "--documents", "default", "--tokenizer", "{w}/tok", "--preset", "cpu-tiny",
                                "--seq-len", "64", "--steps", "1", "--device", "cpu", "--set", 'model_config={"hiden_size": 64}',
                                "--out-dir", NEW], "unknown PicochatConfig field 'hiden_size'"),
    ("dpo-notjson", ["train", "dpo", "--input", "{w}/notjson.jsonl", "--checkpoint", MODEL, "--device", "cpu", "--out-dir", NEW], "notjson.jsonl"),
    ("dpo-beta-neg", ["train", "dpo", "--input", ROWS, "--beta", "-1", "--out-dir", NEW], "beta"),
    # ---- eval sft-fit / chat / external / write-demo-arc / lm-harness
    ("fit-max-rows-neg", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", MODEL, "--max-rows", "-1", "--out-dir", NEW], "--max-rows"),
    ("fit-max-rows-0", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", MODEL, "--max-rows", "0", "--out-dir", NEW], "--max-rows"),
    ("fit-val-fraction", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", MODEL, "--val-fraction", "1.5", "--out-dir", NEW], "--val-fraction"),
    ("fit-batch-0", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", MODEL, "--batch-size", "0", "--out-dir", NEW], "--batch-size"),
    ("fit-max-new-tokens-neg", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", MODEL, "--max-new-tokens", "-1", "--out-dir", NEW], "--max-new-tokens"),
    ("fit-no-weights", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", "{w}/m_noweights", "--out-dir", NEW], "m_noweights"),
    ("fit-truncated-weights", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", "{w}/m_truncated", "--out-dir", NEW], "m_truncated"),
    ("fit-bad-config-json", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", "{w}/m_badconfig", "--tokenizer", "{w}/tok", "--out-dir", NEW], "m_badconfig"),
    ("fit-pickle-weights", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", "{w}/m_pickle", "--out-dir", NEW], "safetensors"),
    ("fit-input-latin1", ["eval", "sft-fit", "--input", "{w}/latin1.jsonl", "--checkpoint", MODEL, "--out-dir", NEW], "latin1.jsonl"),
    ("fit-input-dir", ["eval", "sft-fit", "--input", "{w}/adir", "--checkpoint", MODEL, "--out-dir", NEW], "adir"),
    ("fit-broken-tokenizer", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", MODEL, "--tokenizer", "{w}/tok_broken", "--out-dir", NEW], "tok_broken"),
    ("chat-notjson", ["eval", "chat", "--input", "{w}/notjson.jsonl", "--checkpoint", MODEL, "--out-dir", NEW], "notjson.jsonl"),
    ("chat-scoring-yaml", ["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--scoring-config", "{w}/malformed.yaml", "--out-dir", NEW], "malformed.yaml"),
    ("chat-out-is-file", ["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--out-dir", "{w}/afile.txt"], "afile.txt"),
    ("chat-out-exists", ["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--out-dir", "{w}/done"], "did not write (keep.txt)"),
    ("chat-prompt-too-long", ["eval", "chat", "--input", "{w}/long_eval.jsonl", "--checkpoint", MODEL, "--out-dir", NEW], "exceeds the model's context"),
    ("chat-max-new-tokens-past-context", ["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--max-new-tokens", "300",
                                          "--no-progress", "--out-dir", NEW], "field 'max_new_tokens'"),
    ("fit-max-new-tokens-past-context", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", MODEL, "--max-new-tokens", "65",
                                         "--no-progress", "--out-dir", NEW], "field 'max_new_tokens'"),
    ("external-latin1", ["eval", "external", "--input", "{w}/latin1.jsonl", "--format", "arc", "--checkpoint", MODEL, "--out-dir", NEW], "latin1.jsonl"),
    ("external-notjson", ["eval", "external", "--input", "{w}/notjson.jsonl", "--format", "arc", "--checkpoint", MODEL, "--out-dir", NEW], "notjson.jsonl"),
    ("external-missing-model", ["eval", "external", "--input", "{w}/arc.jsonl", "--checkpoint", "{w}/nope", "--out-dir", NEW], "nope"),
    ("score-replies-notjson", ["eval", "score", "--input", EVAL, "--replies", "{w}/notjson.jsonl", "--out-dir", NEW], "notjson.jsonl"),
    ("score-replies-latin1", ["eval", "score", "--input", EVAL, "--replies", "{w}/latin1.jsonl", "--out-dir", NEW], "latin1.jsonl"),
    ("score-config-unknown", ["eval", "score", "--input", EVAL, "--replies", "{w}/replies.jsonl", "--scoring-config",
                              "{w}/unknown_key.yaml", "--out-dir", NEW], "max_steps"),
    ("score-config-repeated-key", ["eval", "score", "--input", EVAL, "--replies", "{w}/replies.jsonl", "--scoring-config",
                                   "{w}/scoring_twice.yaml", "--out-dir", NEW], "scoring_twice.yaml:3, field 'echo_run_words'"),
    ("score-out-exists", ["eval", "score", "--input", EVAL, "--replies", "{w}/replies.jsonl", "--out-dir", "{w}/done"], "did not write (keep.txt)"),
    ("demo-arc-exists", ["eval", "write-demo-arc", "--out", "{w}/afile.txt"], "afile.txt"),
    ("lm-missing-model", ["eval", "lm-harness", "--checkpoint", "{w}/nope", "--tasks", "picochat_arc_demo", "--out-dir", NEW], "nope"),
    ("lm-batch-0", ["eval", "lm-harness", "--checkpoint", MODEL, "--tasks", "picochat_arc_demo", "--batch-size", "0", "--out-dir", NEW], "batch_size"),
    ("lm-limit-neg", ["eval", "lm-harness", "--checkpoint", MODEL, "--tasks", "picochat_arc_demo", "--limit", "-1", "--out-dir", NEW], "--limit"),
    ("lm-arc-missing", ["eval", "lm-harness", "--checkpoint", MODEL, "--tasks", "picochat_arc_local", "--arc-file", "{w}/nope.jsonl",
                        "--out-dir", NEW], "nope.jsonl"),
    ("lm-arc-notjson-dry-run", ["eval", "lm-harness", "--checkpoint", MODEL, "--tasks", "picochat_arc_local", "--arc-file",
                                "{w}/notjson.jsonl", "--dry-run", "--out-dir", NEW], "notjson.jsonl"),
    ("lm-arc-empty-dry-run", ["eval", "lm-harness", "--checkpoint", MODEL, "--tasks", "picochat_arc_local", "--arc-file",
                              "{w}/empty.txt", "--dry-run", "--out-dir", NEW], "empty.txt"),
    ("lm-mmlu-empty-dry-run", ["eval", "lm-harness", "--checkpoint", MODEL, "--tasks", "picochat_mmlu_local", "--mmlu-file",
                               "{w}/empty.txt", "--dry-run", "--out-dir", NEW], "empty.txt"),
    ("lm-batch-auto-bad", ["eval", "lm-harness", "--checkpoint", MODEL, "--tasks", "picochat_arc_demo", "--batch-size", "auto:x",
                           "--dry-run", "--out-dir", NEW], "batch_size"),
    ("lm-arc-file-dir", ["eval", "lm-harness", "--checkpoint", MODEL, "--tasks", "picochat_arc_local", "--arc-file", "{w}/adir",
                         "--dry-run", "--out-dir", NEW], "adir"),
    ("lm-dry-run-config-type", ["eval", "lm-harness", "--checkpoint", "{w}/m_cfgtype", "--tasks", "picochat_arc_demo", "--dry-run",
                                "--out-dir", NEW], "m_cfgtype/config.json"),
    ("lm-dry-run-truncated", ["eval", "lm-harness", "--checkpoint", "{w}/m_truncated", "--tasks", "picochat_arc_demo", "--dry-run",
                              "--out-dir", NEW], "m_truncated"),
    ("lm-dry-run-pickle", ["eval", "lm-harness", "--checkpoint", "{w}/m_pickle", "--tasks", "picochat_arc_demo", "--dry-run",
                           "--out-dir", NEW], "safetensors"),
    ("lm-no-tasks", ["eval", "lm-harness", "--checkpoint", MODEL, "--tasks", ",", "--out-dir", NEW], "tasks"),
    # ---- gate preflight / release
    ("preflight-unknown-key", ["gate", "preflight", "--config", "{w}/unknown_key.yaml", "--no-write"], "foo_bar"),
    ("preflight-malformed", ["gate", "preflight", "--config", "{w}/malformed.yaml", "--no-write"], "malformed.yaml"),
    ("preflight-plan-notjson", ["gate", "preflight", "--plan", "{w}/notjson.jsonl", "--no-write"], "notjson.jsonl"),
    ("preflight-plan-list", ["gate", "preflight", "--plan", "{w}/list.json", "--no-write"], "list.json"),
    ("preflight-profile", ["gate", "preflight", "--plan", "{w}/plan.json", "--profile", "nope", "--no-write"], "nope"),
    ("preflight-plan-count-text", ["gate", "preflight", "--plan", "{w}/plan_types.json", "--no-write"], "plan_types.json:1, field 'max_steps'"),
    ("preflight-plan-nan", ["gate", "preflight", "--plan", "{w}/plan_nan.json", "--no-write"], "plan_nan.json:1, field 'learning_rate'"),
    ("preflight-plan-config-list", ["gate", "preflight", "--plan", "{w}/plan_cfg.json", "--no-write"], "plan_cfg.json:1, field 'model_config'"),
    ("release-missing-run", ["gate", "release", "--run-dir", "{w}/nope"], "nope"),
    ("release-exists", ["gate", "release", "--run-dir", "{w}/run"], "already exists"),
    ("release-checkpoint-missing", ["gate", "release", "--run-dir", "{w}/run", "--checkpoint", "{w}/nope", "--force"],
     "nope, field 'checkpoint'"),
    ("release-checkpoint-file", ["gate", "release", "--run-dir", "{w}/run", "--checkpoint", "{w}/afile.txt", "--force"],
     "afile.txt, field 'checkpoint'"),
    ("release-profile", ["gate", "release", "--run-dir", "{w}/run", "--profile", "nope", "--force"], "nope"),
    # ---- honesty scan
    ("scan-latin1", ["honesty", "scan", "--eval", "{w}/latin1.jsonl", "--out-dir", NEW], "latin1.jsonl"),
    ("scan-missing", ["honesty", "scan", "--eval", "{w}/nope.jsonl", "--out-dir", NEW], "nope.jsonl"),
    ("scan-report-md", ["honesty", "scan", "--eval", EVAL, "--out-dir", "{w}/run"], "report.md"),
    ("scan-ngram-0", ["honesty", "scan", "--eval", EVAL, "--ngram-size", "0", "--out-dir", NEW], "--ngram-size"),
    ("scan-config-yaml", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/malformed.yaml", "--out-dir", NEW], "malformed.yaml"),
    ("scan-config-unknown", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/unknown_key.yaml", "--out-dir", NEW], "max_steps"),
    ("scan-corpus-missing", ["honesty", "scan", "--eval", EVAL, "--corpus", "{w}/nope.txt", "--out-dir", NEW], "nope.txt"),
    ("scan-corpus-latin1-txt", ["honesty", "scan", "--eval", EVAL, "--corpus", "{w}/latin1.txt", "--out-dir", NEW], "latin1.txt: not UTF-8"),
    ("scan-generated-notjson", ["honesty", "scan", "--eval", EVAL, "--generated", "{w}/notjson.jsonl", "--out-dir", NEW], "notjson.jsonl"),
    # ---- export
    ("export-truncated", ["export", "hf", "--checkpoint", "{w}/m_truncated", "--model-name", "x", "--out-dir", NEW], "m_truncated"),
    ("export-pickle", ["export", "hf", "--checkpoint", "{w}/m_pickle", "--model-name", "x", "--out-dir", NEW], "safetensors"),
    ("export-missing", ["export", "hf", "--checkpoint", "{w}/nope", "--model-name", "x", "--out-dir", NEW], "nope"),
    ("export-out-is-file", ["export", "hf", "--checkpoint", MODEL, "--model-name", "x", "--out-dir", "{w}/afile.txt"], "afile.txt"),
    ("export-push-no-repo", ["export", "hf", "--checkpoint", MODEL, "--model-name", "x", "--push-to-hub", "--out-dir", NEW], "repo_id"),
    # accepted and ignored before: the folder was written and nothing uploaded
    ("export-repo-no-push", ["export", "hf", "--checkpoint", MODEL, "--model-name", "x", "--repo-id", "me/x", "--out-dir", NEW], "add --push-to-hub"),
    ("export-private-no-push", ["export", "hf", "--checkpoint", MODEL, "--model-name", "x", "--private", "--out-dir", NEW], "--private only applies"),
    ("export-native-badconfig", ["export", "native", "--checkpoint", "{w}/m_badconfig", "--out-dir", NEW], "m_badconfig"),
    # ---- bundle / leaderboard / report
    ("bundle-check-missing", ["bundle", "--check", "{w}/nope.tar.gz"], "nope.tar.gz"),
    ("bundle-check-corrupt", ["bundle", "--check", "{w}/corrupt.jsonl.gz"], "corrupt.jsonl.gz"),
    ("bundle-run-missing", ["bundle", "--run-dir", "{w}/nope", "--out", "{w}/out/b.tar.gz"], "nope"),
    ("bundle-no-out", ["bundle", "--run-dir", "{w}/run"], "out"),
    ("leaderboard-wrong-type", ["leaderboard", "{w}/run_wrongtype", "--out", "{w}/out/lb.md"], "run_wrongtype"),
    ("leaderboard-missing", ["leaderboard", "{w}/nope", "--out", "{w}/out/lb.md"], "nope"),
    ("leaderboard-out-exists", ["leaderboard", "{w}/run", "--out", "{w}/afile.txt"], "afile.txt"),
    ("report-missing", ["report", "--run-dir", "{w}/nope"], "nope"),
    ("report-wrong-type", ["report", "--run-dir", "{w}/run_wrongtype", "--force", "--no-manifest"], "run_wrongtype"),
    ("report-exists", ["report", "--run-dir", "{w}/run"], "already exists"),
    # ---- demo (config validated before anything runs or is written)
    ("demo-yaml-malformed", ["demo", "--config", "{w}/malformed.yaml", "--out-dir", NEW], "malformed.yaml:"),
    ("demo-yaml-unknown", ["demo", "--config", "{w}/unknown_key.yaml", "--out-dir", NEW], "unknown_key.yaml:1, field 'max_steps'"),
    ("demo-wrong-type", ["demo", "--config", "{w}/demo_wide.yaml", "--out-dir", NEW], "demo_wide.yaml:1, field 'hidden_size'"),
    ("demo-negative", ["demo", "--config", "{w}/demo_negative.yaml", "--out-dir", NEW], "demo_negative.yaml:2, field 'base_steps'"),
    ("demo-max-new-tokens-past-context", ["demo", "--config", "{w}/demo_budget.yaml", "--out-dir", NEW],
     "demo_budget.yaml:2, field 'eval_max_new_tokens'"),
    ("demo-seed-negative", ["demo", "--seed", "-1", "--out-dir", NEW], "field 'seed'"),
    ("demo-force-bad-config", ["demo", "--config", "{w}/demo_wide.yaml", "--out-dir", "{w}/demo_run", "--force"], "hidden_size"),
    ("demo-out-is-file", ["demo", "--out-dir", "{w}/afile.txt"], "afile.txt"),
    ("demo-out-exists", ["demo", "--out-dir", "{w}/demo_run"], "already exists"),
    ("demo-out-holds-another-run", ["demo", "--out-dir", "{w}/run", "--force"], "did not write (gates, report.md)"),
    # ---- counts too large for the 64-bit integers the libraries take
    ("tokenizer-vocab-huge", ["tokenizer", "train", "--default", "--vocab-size", "99999999999999999999", "--out-dir", NEW], "--vocab-size"),
    # ---- scan settings that would switch leak detection off: NaN, a share no text reaches, the wrong type
    ("scan-config-nan", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/scan_nan.yaml", "--out-dir", NEW],
     "scan_nan.yaml:2, field 'fail_coverage': must be a finite number"),
    ("scan-config-share-above-1", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/scan_share.yaml", "--out-dir", NEW],
     "scan_share.yaml:1, field 'near_threshold': must be <= 1.0"),
    ("scan-config-float-for-int", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/scan_float.yaml", "--out-dir", NEW],
     "scan_float.yaml:1, field 'ngram_size': must be int"),
    ("scan-config-string-for-list", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/scan_str_list.yaml", "--out-dir", NEW],
     "scan_str_list.yaml:1, field 'generic_phrases': must be list"),
    # ---- a tokenizer from nothing, or from text that is not UTF-8
    ("tokenizer-empty-txt", ["tokenizer", "train", "--input", "{w}/empty.txt", "--vocab-size", "300", "--out-dir", NEW], "no text to train on"),
    ("tokenizer-blank-jsonl", ["tokenizer", "train", "--input", "{w}/blank_text.jsonl", "--vocab-size", "300", "--out-dir", NEW],
     "no text to train on"),
    ("tokenizer-latin1-txt", ["tokenizer", "train", "--input", "{w}/latin1.txt", "--vocab-size", "300", "--out-dir", NEW], "latin1.txt: not UTF-8"),
    # ---- a config.json that parses but is no valid config: one line about config.json, not a transformers traceback
    ("chat-config-wrong-type", ["eval", "chat", "--input", EVAL, "--checkpoint", "{w}/m_cfgtype", "--out-dir", NEW], "m_cfgtype/config.json"),
    ("export-config-wrong-type", ["export", "hf", "--checkpoint", "{w}/m_cfgtype", "--model-name", "x", "--out-dir", NEW], "hidden_size"),
    ("sft-config-wrong-type", ["train", "sft", "--input", ROWS, "--checkpoint", "{w}/m_cfgtype", "--device", "cpu", "--out-dir", NEW],
     "m_cfgtype/config.json"),
    ("fit-config-no-model-type", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", "{w}/m_cfgnotype", "--out-dir", NEW], "field 'model_type'"),
    ("chat-config-unknown-model-type", ["eval", "chat", "--input", EVAL, "--checkpoint", "{w}/m_cfgunknown", "--out-dir", NEW],
     "unknown model_type 'not_a_model'"),
    # ---- seeds: [0, 2**32 - 1], what numpy and torch accept, for every command that takes one
    ("sft-seed-huge", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--seed", "4294967296", "--out-dir", NEW], "field 'seed'"),
    ("sft-set-data-seed-huge", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--set", "data_seed=4294967296", "--out-dir", NEW],
     "field 'data_seed'"),
    ("demo-seed-huge", ["demo", "--seed", "4294967296", "--out-dir", NEW], "field 'seed'"),
    ("taskpack-seed-neg", ["data", "task-pack", "--seed", "-1", "--out-dir", NEW], "--seed"),
    ("mixture-seed-huge", ["data", "sft-mixture", "--seed", "4294967296", "--out-dir", NEW], "--seed"),
    ("reasoning-seed-neg", ["data", "reasoning-import", "--input", "{w}/traces.jsonl", "--seed", "-2", "--out-dir", NEW], "--seed"),
    ("fit-seed-huge", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", MODEL, "--seed", "99999999999999999999", "--out-dir", NEW], "--seed"),
    # ---- an output that is, or holds, an input (writing it, or --force, would delete what the command reads)
    ("chat-out-is-checkpoint", ["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--out-dir", MODEL, "--force"],
     "holds the input --checkpoint"),
    ("sft-out-is-checkpoint", ["train", "sft", "--input", ROWS, "--checkpoint", MODEL, "--device", "cpu", "--out-dir", MODEL, "--force"],
     "holds the input --checkpoint"),
    ("export-out-is-checkpoint", ["export", "hf", "--checkpoint", MODEL, "--model-name", "x", "--out-dir", MODEL, "--force"],
     "holds the input --checkpoint"),
    ("tokenizer-out-holds-input", ["tokenizer", "train", "--input", "{w}/inputs/corpus.txt", "--vocab-size", "300", "--out-dir",
                                   "{w}/inputs", "--force"], "holds the input --input"),
    ("scan-out-holds-eval", ["honesty", "scan", "--eval", "{w}/inputs/eval.jsonl", "--out-dir", "{w}/inputs", "--force"], "holds the input --eval"),
    ("score-out-holds-replies", ["eval", "score", "--input", EVAL, "--replies", "{w}/inputs/replies.jsonl", "--out-dir", "{w}/inputs",
                                 "--force"], "holds the input --replies"),
    ("bundle-out-is-run", ["bundle", "--run-dir", "{w}/run", "--out", "{w}/run", "--force"], "holds the input --run-dir"),
    ("import-out-holds-input-via-dots", ["data", "import", "--input", "{w}/inputs/corpus.txt", "--out-dir", "{w}/inputs/../inputs", "--force"],
     "holds the input --input"),
    # ---- an empty path: not the current folder (type=Path reads "" as "."), not the default run folder
    ("demo-out-dir-empty", ["demo", "--out-dir", ""], "field 'out_dir'"),
    ("chat-out-dir-empty", ["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--out-dir", "", "--force"], "field 'out_dir'"),
    ("export-out-dir-blank", ["export", "hf", "--checkpoint", MODEL, "--model-name", "x", "--out-dir= "], "field 'out_dir'"),
    ("chat-checkpoint-empty", ["eval", "chat", "--input", EVAL, "--checkpoint", "", "--out-dir", NEW], "field 'checkpoint'"),
    ("report-run-dir-empty", ["report", "--run-dir", "", "--force"], "field 'run_dir'"),
    # ---- usage
    ("usage-unknown-command", ["frobnicate"], "frobnicate"),
    ("usage-missing-required", ["eval", "chat", "--input", EVAL], "--checkpoint"),
]


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def _chat_rows(n: int, split: str) -> list[dict]:
    return [{"id": f"{split}-{i}", "category": "math", "skill": "math", "split": split, "source": "test",
             "messages": [{"role": "user", "content": f"What is {i} plus {i + 1}?"},
                          {"role": "assistant", "content": str(2 * i + 1)}][: 2 if split == "train" else 1],
             **({"must_include": [str(2 * i + 1)]} if split == "eval" else {})} for i in range(n)]


def _models(w: Path, tokenizer) -> None:
    from picochat_hf import PicochatConfig, PicochatForCausalLM

    torch.manual_seed(0)
    cfg = PicochatConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=1,
                         max_position_embeddings=64, bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.pad_token_id)
    model = PicochatForCausalLM(cfg)
    for name in ("model", "m_truncated", "m_noweights", "m_badconfig", "m_pickle", "m_cfgtype", "m_cfgnotype", "m_cfgunknown"):
        model.save_pretrained(w / name)
        tokenizer.save_pretrained(w / name)
    weights = (w / "m_truncated" / "model.safetensors").read_bytes()
    (w / "m_truncated" / "model.safetensors").write_bytes(weights[: len(weights) // 3])
    (w / "m_noweights" / "model.safetensors").unlink()
    (w / "m_badconfig" / "config.json").write_text('{"model_type": "picochat", "hidden_size": ', encoding="utf-8")
    (w / "m_pickle" / "model.safetensors").unlink()
    good = json.loads((w / "model" / "config.json").read_text(encoding="utf-8"))
    (w / "m_cfgtype" / "config.json").write_text(json.dumps({**good, "hidden_size": "big"}), encoding="utf-8")
    (w / "m_cfgnotype" / "config.json").write_text(json.dumps({k: v for k, v in good.items() if k != "model_type"}), encoding="utf-8")
    unknown = {k: v for k, v in good.items() if k != "auto_map"}
    (w / "m_cfgunknown" / "config.json").write_text(json.dumps({**unknown, "model_type": "not_a_model"}), encoding="utf-8")
    torch.save(model.state_dict(), w / "m_pickle" / "pytorch_model.bin")
    tokenizer.save_pretrained(w / "tok")
    tokenizer.save_pretrained(w / "tok_broken")
    (w / "tok_broken" / "tokenizer.json").write_text("{ not a tokenizer", encoding="utf-8")


def _runs(w: Path) -> None:
    _write(w / "run" / "report.md", "# a finished run's report\n")
    _write(w / "run" / "gates" / "release.json", json.dumps({"status": "approved", "profile": "research", "checks": []}))
    _write(w / "run_wrongtype" / "eval" / "eval_report.json", json.dumps({"kind": "chat", "summary": {"n": "many", "pass_rate": "high"}}))
    _write(w / "run_wrongtype" / "run_manifest.json", json.dumps(["not", "a", "mapping"]))
    _write(w / "done" / "keep.txt", "an earlier result\n")
    _write(w / "demo_run" / "demo_config.json", json.dumps({"seed": 0}))  # a demo's own run folder


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, tiny_tokenizer):
    from picochat_hf.data.task_pack import build_task_pack
    from picochat_hf.eval.external import write_demo_arc_file

    w = tmp_path_factory.mktemp("bad_inputs")
    (w / "adir").mkdir()
    _write(w / "rows.jsonl", _jsonl(_chat_rows(12, "train")))
    _write(w / "eval.jsonl", _jsonl(_chat_rows(6, "eval")))
    long_prompt = " ".join(["word"] * 400)
    _write(w / "long_eval.jsonl", _jsonl([{**_chat_rows(1, "eval")[0], "messages": [{"role": "user", "content": long_prompt}]}]))
    _write(w / "traces.jsonl", _jsonl([{"question": f"q{i}?", "trace": "think", "answer": str(i)} for i in range(3)]))
    _write(w / "latin1.jsonl", '{"text": "caf\u00e9", "question": "x"}\n'.encode("latin-1"))
    _write(w / "notjson.jsonl", "{not json\n")
    _write(w / "empty.txt", "")
    _write(w / "blank_text.jsonl", _jsonl([{"text": "   "}, {"text": ""}]))
    _write(w / "latin1.txt", "Un caf\u00e9 cr\u00e8me, s'il vous pla\u00eet.\n".encode("latin-1"))
    _write(w / "replies.jsonl", _jsonl([{"id": f"eval-{i}", "reply": str(2 * i + 1)} for i in range(6)]))
    _write(w / "list.json", "[1, 2, 3]\n")
    _write(w / "plan.json", json.dumps({"stage": "sft"}))
    _write(w / "plan_types.json", json.dumps({"stage": "sft", "seq_len": 64, "max_steps": "many"}))
    _write(w / "plan_nan.json", '{"stage": "sft", "learning_rate": NaN}')
    _write(w / "plan_cfg.json", json.dumps({"stage": "base", "model_config": [1, 2]}))
    _write(w / "afile.txt", "an existing file\n")
    _write(w / "inputs" / "corpus.txt", "A corpus paragraph that is long enough to be kept as a document.\n" * 20)
    _write(w / "inputs" / "eval.jsonl", _jsonl(_chat_rows(6, "eval")))
    _write(w / "inputs" / "replies.jsonl", _jsonl([{"id": f"eval-{i}", "reply": str(2 * i + 1)} for i in range(6)]))
    _write(w / "corrupt.jsonl.gz", gzip.compress(b'{"text": "hello world, hello"}\n' * 50)[:40])
    _write(w / "corrupt.parquet", b"PAR1" + os.urandom(64))
    _write(w / "mmlu_bad.jsonl", _jsonl([{"question": "q?", "choices": ["a", "b", "c", "d"], "answer": 1},
                                         {"question": "q2?", "choices": ["a", "b", "c", "d"], "answer": "Z"}]))
    _write(w / "malformed.yaml", "max_steps: [1, 2\n")
    _write(w / "unknown_key.yaml", "max_steps: 2\nfoo_bar: 1\n")
    _write(w / "scoring_twice.yaml", "echo_run_words: 10\nlead_in_max_words: 12\necho_run_words: 1000\n")
    _write(w / "wrong_type.yaml", "max_steps: many\n")
    _write(w / "demo_wide.yaml", "hidden_size: wide\n")
    _write(w / "scan_nan.yaml", "min_words: 3\nfail_coverage: .nan\n")
    _write(w / "scan_share.yaml", "near_threshold: 1.5\n")
    _write(w / "scan_float.yaml", "ngram_size: 8.5\n")
    _write(w / "scan_str_list.yaml", "generic_phrases: the answer is\n")
    _write(w / "demo_negative.yaml", "seed: 1\nbase_steps: -3\n")
    _write(w / "demo_budget.yaml", "context_len: 256\neval_max_new_tokens: 5000\n")
    write_demo_arc_file(w / "arc.jsonl")
    build_task_pack(w / "taskpack", profile="release", sft_rows=40, eval_rows=20)
    _models(w, tiny_tokenizer)
    _runs(w)
    return w


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every path under `root` with its content hash (or 'dir') and mode."""
    out = {}
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        digest = "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        out[str(p.relative_to(root))] = (digest, stat.S_IMODE(st.st_mode))
    return out


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    import transformers

    monkeypatch.setenv("TQDM_DISABLE", "1")
    monkeypatch.setenv("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")
    transformers.logging.set_verbosity_error()


PROGRESS = re.compile(r"\[\d+:\d+(<[\d:?]+)?(, [^\]]*)?\]\s*$")  # a tqdm bar of work done before the bad row


def run_case(argv: list[str], w: Path, capsys) -> tuple[int, list[str]]:
    """Run `picochat argv` in process; the exit code and stderr's lines (progress bars aside)."""
    args = [a.replace(W, str(w)) for a in argv]
    try:
        rc = cli_main(args)
    except SystemExit as exc:  # argparse usage errors exit through SystemExit
        rc = exc.code
    err = capsys.readouterr().err.replace("\r", "\n")
    return rc, [line for line in err.splitlines() if line.strip() and not PROGRESS.search(line)]


@pytest.mark.parametrize("case_id,argv,expect", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_exit_2_and_leaves_nothing(case_id, argv, expect, workspace, capsys):
    before = snapshot(workspace)
    rc, lines = run_case(argv, workspace, capsys)
    after = snapshot(workspace)
    assert rc == 2, f"exit {rc}: {lines}"
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0] and "error" in lines[0]
    assert expect in lines[0], lines[0]
    assert after == before, {k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)}


def test_the_table_covers_every_command():
    from picochat_hf.cli import build_parser

    commands = set()
    for action in build_parser()._subparsers._group_actions[0].choices.items():
        name, sub = action
        subs = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
        commands |= {f"{name} {s}" for a in subs for s in a.choices} if subs else {name}
    covered = {" ".join(a for a in argv[:2] if not a.startswith("-") and "{" not in a) for _, argv, _ in CASES}
    covered |= {argv[0] for _, argv, _ in CASES}
    assert len(CASES) >= 60
    assert commands <= covered, sorted(commands - covered)
