"""An external benchmark counts toward the profile's `min_count` only when it scored at least the rule's `min_n`
rows: one cut by `max_rows` to a handful of rows (or none) is no benchmark result. Release profiles block naming
the report and its row count, research warns, and `bundle --check` agrees on a verdict forged to pass over it. A
report whose `external.n` claims more rows than its results hold fails `rows:*`. A benchmark of `min_n` rows passes."""

from __future__ import annotations

import json

import pytest

from gate_fixtures import build_chain, check_named, edit_json, write_external
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir

SOURCE = "external_eval/arc_easy/eval_report.json"


@pytest.mark.parametrize("profile,severity", [("skill_release", "block"), ("research", "warn")])
def test_a_benchmark_of_a_few_rows_is_not_counted(tmp_path, profile, severity):
    run = RunDir(build_chain(tmp_path))
    write_external(run, run.released_checkpoint, n=5, correct=2)
    c = check_named(run_release_gate(run.root, profile), "external_benchmark")
    assert c["status"] == severity and c["value"] == 0, c["why"]
    assert f"arc_easy letter_acc=0.400 ({SOURCE}; not counted: scored 5 rows, fewer than the profile's min_n 20)" in c["why"], c["why"]


def test_a_benchmark_of_min_n_rows_counts(tmp_path):
    run = RunDir(build_chain(tmp_path))
    write_external(run, run.released_checkpoint, n=20, correct=7)
    c = check_named(run_release_gate(run.root, "skill_release"), "external_benchmark")
    assert c["status"] == "pass" and c["value"] == 1 and "not counted" not in c["why"], c["why"]


def test_a_row_count_claimed_beyond_the_results_fails_rows(tmp_path):
    run = RunDir(build_chain(tmp_path))
    write_external(run, run.released_checkpoint, n=5, correct=2)
    edit_json(run.root / SOURCE, lambda r: r["external"].update(n=100))
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, f"rows:{SOURCE}")
    assert result["status"] == "blocked" and c["status"] == "block"
    assert "external.n: reported 100, the rows give 5" in c["why"] and SOURCE in c["why"], c["why"]


def test_a_verdict_forged_over_a_cut_benchmark_fails_the_bundle_check(tmp_path):
    root = build_chain(tmp_path)
    (root / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "num_parameters": 1000}))
    run = RunDir(root)
    honest = run_release_gate(run.root, "skill_release")
    write_external(run, run.released_checkpoint, n=5, correct=2)

    import hashlib

    def forge(v):  # the verdict re-hashed over the cut benchmark, its passing checks kept
        for rel in (SOURCE, SOURCE.replace("eval_report.json", "results.jsonl")):
            v["evidence"][rel] = hashlib.sha256((run.root / rel).read_bytes()).hexdigest()

    edit_json(run.release, forge)
    assert check_named(honest, "external_benchmark")["status"] == "pass"
    res = check_bundle(make_bundle(run.root, tmp_path / "forged.tar.gz"))
    assert not res["ok"]
    assert any(p.startswith("gates/release.json records external_benchmark as pass") and "gives block" in p
               and "not counted: scored 5 rows" in p for p in res["problems"]), res["problems"]
