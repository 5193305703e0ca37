"""Numbers that parse but switch a check off or never finish: each is one line, exit 2, nothing written.

The table in test_bad_inputs.py holds malformed input; this one holds well-formed values out of the range
where the command still does what its evidence says (an n-gram longer than any prompt finds no leak; a row
budget no pool can fill runs until memory runs out). The workspace and the runner are test_bad_inputs'.
"""

from __future__ import annotations

import json

import pytest
import test_bad_inputs
from test_bad_inputs import EVAL, MODEL, NEW, ROWS, run_case, snapshot

from picochat_hf.honesty import load_scan_config, run_scan

CASES: list[tuple[str, list[str], str]] = [
    # ---- honesty scan: an n-gram (or minimum) longer than every prompt turns the overlap check off
    ("scan-ngram-huge", ["honesty", "scan", "--eval", EVAL, "--ngram-size", str(10**9), "--out-dir", NEW], "field 'ngram_size'"),
    ("scan-ngram-33", ["honesty", "scan", "--eval", EVAL, "--ngram-size", "33", "--out-dir", NEW], "must be <= 32"),
    ("scan-ngram-2-63", ["honesty", "scan", "--eval", EVAL, "--ngram-size", str(2**63), "--out-dir", NEW], "--ngram-size"),
    ("scan-config-ngram-huge", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/scan_limits/ngram.yaml", "--out-dir", NEW],
     "ngram.yaml:1, field 'ngram_size': must be <= 32"),
    ("scan-config-min-words-huge", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/scan_limits/min_words.yaml", "--out-dir", NEW],
     "min_words.yaml:1, field 'min_words'"),
    ("scan-config-num-perm-huge", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/scan_limits/num_perm.yaml", "--out-dir", NEW],
     "num_perm.yaml:1, field 'num_perm'"),
    ("scan-config-num-perm-0", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/scan_limits/num_perm0.yaml", "--out-dir", NEW],
     "num_perm0.yaml:1, field 'num_perm'"),
    ("scan-config-signature-digits", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/scan_limits/digits.yaml", "--out-dir", NEW],
     "digits.yaml:1, field 'signature_min_digits'"),
    ("scan-config-list-options", ["honesty", "scan", "--eval", EVAL, "--config", "{w}/scan_limits/options.yaml", "--out-dir", NEW],
     "options.yaml:1, field 'choice_list_min_options'"),
    # ---- task pack: a row budget no pool can fill is refused, at once when past the limits, else when a stage runs dry
    ("taskpack-sft-rows-huge", ["data", "task-pack", "--sft-rows", str(10**18), "--out-dir", NEW], "field 'sft_rows'"),
    ("taskpack-sft-rows-2-63", ["data", "task-pack", "--sft-rows", str(2**63), "--out-dir", NEW], "--sft-rows"),
    ("taskpack-sft-rows-1e20", ["data", "task-pack", "--sft-rows", "1e20", "--out-dir", NEW], "--sft-rows"),
    ("taskpack-eval-rows-huge", ["data", "task-pack", "--eval-rows", str(10**12), "--out-dir", NEW], "field 'eval_rows'"),
    ("taskpack-eval-pool-used-up", ["data", "task-pack", "--profile", "release", "--sft-rows", "40", "--eval-rows", "100000",
                                    "--out-dir", NEW], "stage identity_name gives only"),
    # ---- sft-mixture sizes that would write until the disk or memory is full
    ("mixture-spelling-size-huge", ["data", "sft-mixture", "--source", "offline", "--simple-spelling-size", str(10**15), "--out-dir", NEW],
     "field 'simple_spelling_size'"),
    ("mixture-bee-size-huge", ["data", "sft-mixture", "--source", "offline", "--spelling-bee-size", "5000001", "--out-dir", NEW],
     "field 'spelling_bee_size': must be within [0, 5000000]"),
    ("mixture-epochs-huge", ["data", "sft-mixture", "--source", "offline", "--mmlu-epochs", str(10**12), "--out-dir", NEW],
     "field 'mmlu_epochs'"),
    ("mixture-identity-epochs-101", ["data", "sft-mixture", "--source", "offline", "--identity-epochs", "101", "--out-dir", NEW],
     "field 'identity_epochs'"),
    # ---- one JSON object naming a key twice: this reader keeps the last value, others the first
    ("score-replies-duplicate-key", ["eval", "score", "--input", EVAL, "--replies", "{w}/scan_limits/dupkey_replies.jsonl",
                                     "--out-dir", NEW], "dupkey_replies.jsonl:1, field 'reply'"),
    ("score-eval-array-duplicate-key", ["eval", "score", "--input", "{w}/scan_limits/dupkey_eval.json", "--replies",
                                        "{w}/replies.jsonl", "--out-dir", NEW], "dupkey_eval.json:2, field 'must_include'"),
    # ---- a reply budget that fits the context alone but not after the prompt (the model's context is 64 tokens)
    ("chat-prompt-plus-budget", ["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--max-new-tokens", "60", "--no-progress",
                                 "--out-dir", NEW], "new tokens fit every prompt"),
    # ---- the tokenizer trainer aborts the whole process (no Python error) on a vocabulary it cannot allocate
    ("tokenizer-vocab-1e9", ["tokenizer", "train", "--default", "--vocab-size", str(10**9), "--out-dir", NEW], "field 'vocab_size'"),
    ("tokenizer-vocab-2-20-plus-1", ["tokenizer", "train", "--default", "--vocab-size", str(2**20 + 1), "--out-dir", NEW],
     "must be at most 1048576"),
    ("release-regenerate-rows-huge", ["gate", "release", "--run-dir", "{w}/run", "--regenerate-rows", str(10**30), "--force"],
     "--regenerate-rows"),
    # ---- a corpus with no text: a clean scan of it would be evidence about nothing
    ("scan-corpus-empty", ["honesty", "scan", "--eval", EVAL, "--corpus", "{w}/empty.txt", "--out-dir", NEW], "empty.txt: no text"),
    ("scan-corpus-blank-jsonl", ["honesty", "scan", "--eval", EVAL, "--corpus", "{w}/blank_text.jsonl", "--out-dir", NEW],
     "blank_text.jsonl: no text"),
    # ---- a model name is the card's title and sits in its code example: no blank name, newline or quote
    ("export-model-name-empty", ["export", "hf", "--checkpoint", MODEL, "--model-name", "", "--out-dir", NEW], "--model-name"),
    ("export-model-name-newline", ["export", "hf", "--checkpoint", MODEL, "--model-name", "x\n## Release gate: approved",
                                   "--out-dir", NEW], "--model-name"),
    ("export-model-name-quote", ["export", "hf", "--checkpoint", MODEL, "--model-name", 'x", trust_remote_code=True) #',
                                 "--out-dir", NEW], "--model-name"),
    ("fit-prompt-plus-budget", ["eval", "sft-fit", "--input", ROWS, "--checkpoint", MODEL, "--max-new-tokens", "64", "--no-progress",
                                "--out-dir", NEW], "field 'max_new_tokens'"),
]

workspace = test_bad_inputs.workspace  # the shared fixture, built once for this module

SCAN_LIMITS = {"ngram.yaml": "ngram_size: 1000000000\n", "min_words.yaml": "min_words: 500\n", "num_perm.yaml": "num_perm: 100000000\n",
               "num_perm0.yaml": "num_perm: 0\n", "digits.yaml": "signature_min_digits: 40\n", "options.yaml": "choice_list_min_options: 11\n"}


@pytest.fixture(scope="module")
def limits_workspace(workspace):
    folder = workspace / "scan_limits"
    folder.mkdir(exist_ok=True)
    for name, text in SCAN_LIMITS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "dupkey_replies.jsonl").write_text('{"id": "eval-0", "reply": "99", "reply": "1"}\n', encoding="utf-8")
    lines = [json.dumps(r) for r in test_bad_inputs._chat_rows(6, "eval")]
    lines[0] = lines[0].replace('"must_include": ["1"]', '"must_include": ["99"], "must_include": ["1"]')
    text = "[\n" + ",\n".join(lines) + "\n]\n"
    (folder / "dupkey_eval.json").write_text(text, encoding="utf-8")
    return workspace


@pytest.mark.parametrize("case_id,argv,expect", CASES, ids=[c[0] for c in CASES])
def test_out_of_range_number_is_one_line_exit_2_and_leaves_nothing(case_id, argv, expect, limits_workspace, capsys):
    before = snapshot(limits_workspace)
    rc, lines = run_case(argv, limits_workspace, capsys)
    assert rc == 2, f"exit {rc}: {lines}"
    assert len(lines) == 1 and "Traceback" not in lines[0] and "error" in lines[0], lines
    assert expect in lines[0], lines[0]
    assert snapshot(limits_workspace) == before


def test_the_largest_accepted_ngram_still_finds_a_long_leak(tmp_path):
    """The cap is not a number picked at random: at n = 32 a 40-word prompt copied into SFT text is still a leak."""
    words = ("the quick brown fox jumps over the lazy dog while seven small birds sing about rivers mountains and "
             "old stone bridges near a quiet village where children play games every sunny afternoon before dinner").split()
    prompt = " ".join(words[:40])
    row = {"id": "e0", "category": "general", "skill": "general", "split": "eval", "source": "t",
           "messages": [{"role": "user", "content": prompt}], "must_include": ["x"]}
    sft = {"id": "s0", "category": "general", "skill": "general", "split": "train", "source": "t",
           "messages": [{"role": "user", "content": "Please read: " + prompt + " Then say ok."}, {"role": "assistant", "content": "ok"}]}
    (tmp_path / "eval.jsonl").write_text(json.dumps(row) + "\n")
    (tmp_path / "sft.jsonl").write_text(json.dumps(sft) + "\n")
    cfg = load_scan_config(None, ngram_size=32)
    report = run_scan(eval_path=tmp_path / "eval.jsonl", sft_path=tmp_path / "sft.jsonl", corpus_paths=[], generated_paths=[],
                      out_dir=tmp_path / "scan", config=cfg)
    assert report["status"] == "blocked", report["summary"]
    assert load_scan_config(None, ngram_size=8).ngram_size == 8  # the default and small sizes are untouched


def test_a_stage_that_runs_dry_stops_after_work_bounded_by_its_pool(monkeypatch):
    """Asking 30000 rows of a stage with 40 distinct prompts stops after a few thousand draws (the pool's size), not
    after 60 x 30000, and says which stage and budget."""
    import random

    from picochat_hf.data import task_pack as tp
    from picochat_hf.data.skills import Task
    from picochat_hf.utils.errors import PicochatInputError

    draws = []

    def tiny(rng: random.Random, split: str, style: str) -> Task:
        draws.append(1)
        n = rng.randrange(40)
        return Task(skill="math", category="t", stage="tiny", group=str(n), prompt=f"What is {n} plus one?", answer=str(n + 1))

    monkeypatch.setitem(tp.STAGES, "tiny", ("math", tiny))
    plan = {("c", "math", "tiny"): 30000}
    comps = {"c": {"component": "c", "benchmark_profile": "b"}}
    with pytest.raises(PicochatInputError, match="stage tiny gives only 40 distinct eval prompts") as err:
        tp._generate_split("eval", plan, profile="p", comps=comps, answer_style="direct", seed=0, hf_tasks={}, taken=set())
    assert err.value.field == "eval_rows"
    assert len(draws) < 5000, len(draws)
    draws.clear()
    rows, _ = tp._generate_split("eval", {("c", "math", "tiny"): 40}, profile="p", comps=comps, answer_style="direct", seed=0,
                                 hf_tasks={}, taken=set())
    assert len(rows) == 40 and len({r["messages"][0]["content"] for r in rows}) == 40  # a pool used exactly is enough


def _preflight_config(tmp_path, tokenizer_dir):
    text = (f"tokenizer: {tokenizer_dir}\noutput_dir: {tmp_path / 'run' / 'base'}\npreset: cpu-tiny\nmax_length: 64\n"
            "per_device_train_batch_size: 2\nmax_steps: 2\nlearning_rate: 0.003\nseed: 1\n")
    (tmp_path / "pretrain.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "pretrain.yaml"


def test_preflight_locks_the_run_folder_its_config_names(tmp_path, tiny_tokenizer_dir, capsys):
    """`gate preflight --config` writes into the run folder the config's output_dir names (runs/x/base -> runs/x): a
    second command holding that folder makes it stop with one line, writing nothing, as an explicit --run-dir does."""
    from picochat_hf.cli import main as cli_main
    from picochat_hf.utils.io import _acquire, remove_empty

    config = _preflight_config(tmp_path, tiny_tokenizer_dir)
    run = tmp_path / "run"
    fd, lock, created = _acquire(run)  # another command's lock: a separate open file, as another process holds it
    try:
        before = snapshot(tmp_path)
        rc = cli_main(["gate", "preflight", "--config", str(config)])
        err = capsys.readouterr().err.strip().splitlines()
        assert rc == 2 and len(err) == 1 and "is in use by another picochat command" in err[0], err
        assert snapshot(tmp_path) == before
    finally:
        import os

        os.unlink(lock)
        os.close(fd)
        remove_empty(created)
    assert cli_main(["gate", "preflight", "--config", str(config)]) in (0, 1)
    assert (run / "gates" / "preflight.json").is_file()
    assert not list(tmp_path.glob("**/*picochat-lock")), "the lock file is removed after the command"


def test_the_largest_reply_budget_that_fits_runs_and_one_more_is_refused(workspace, tmp_path, capsys):
    import re

    rc, lines = run_case(["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--max-new-tokens", "60", "--no-progress",
                          "--out-dir", str(tmp_path / "a")], workspace, capsys)
    fits = int(re.search(r"at most (\d+) new tokens fit", lines[0]).group(1))
    assert rc == 2 and 0 < fits < 60
    rc, lines = run_case(["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--max-new-tokens", str(fits + 1),
                          "--no-progress", "--out-dir", str(tmp_path / "b")], workspace, capsys)
    assert rc == 2 and not (tmp_path / "b").exists()
    rc, lines = run_case(["eval", "chat", "--input", EVAL, "--checkpoint", MODEL, "--max-new-tokens", str(fits), "--no-progress",
                          "--out-dir", str(tmp_path / "c")], workspace, capsys)
    assert rc == 0, lines
    assert (tmp_path / "c" / "eval_report.json").is_file()


def test_skill_growth_budget_is_checked_against_the_context_before_training(tiny_tokenizer):
    from picochat_hf.training.skill_growth import SkillGrowthCallback
    from picochat_hf.utils.errors import PicochatInputError

    rows = test_bad_inputs._chat_rows(4, "eval")
    with pytest.raises(PicochatInputError, match="growth_max_new_tokens") as err:
        SkillGrowthCallback(rows, tiny_tokenizer, "g.jsonl", [1], max_new_tokens=60, context=64, source="growth.jsonl")
    assert "growth.jsonl" in str(err.value) and "exceeds the model's context of 64 tokens" in str(err.value)
    fits = int(str(err.value).split("at most ")[1].split()[0])
    SkillGrowthCallback(rows, tiny_tokenizer, "g.jsonl", [1], max_new_tokens=fits, context=64)  # exactly full: accepted
    with pytest.raises(PicochatInputError):
        SkillGrowthCallback(rows, tiny_tokenizer, "g.jsonl", [1], max_new_tokens=fits + 1, context=64)


@pytest.mark.parametrize("name,ok", [("picochat-demo", True), ("someone/picochat_d20.v2", True), ("m", True), ("", False),
                                     (" ", False), ("a/b/c", False), ("-x", False), ("x y", False), ("x" * 97, False)])
def test_model_names_are_hub_style(name, ok):
    import argparse

    from picochat_hf.cli.export import model_name

    if ok:
        assert model_name(name) == name
    else:
        with pytest.raises(argparse.ArgumentTypeError):
            model_name(name)
