"""Numbers that parse but switch a check off or never finish: each is one line, exit 2, nothing written.

The table in test_bad_inputs.py holds malformed input; this one holds well-formed values out of the range
where the command still does what its evidence says (an n-gram longer than any prompt finds no leak; a row
budget no pool can fill runs until memory runs out). The workspace and the runner are test_bad_inputs'.
"""

from __future__ import annotations

import json

import pytest
import test_bad_inputs
from test_bad_inputs import EVAL, NEW, run_case, snapshot

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
