"""Eval reports record the paths they name inside their run (`config.input`, `model.path`, `model.tokenizer`)
relative to the run root, as the verdicts do (`gates/recorded_paths.py`): a copied or moved run, gated afresh, re-judges
its own eval file, never the original run's; a path outside the run, and a report outside a run layout, keep their paths
as given; an older report's absolute path is still read."""

from __future__ import annotations

import json
import shutil

from gate_fixtures import build_chain, check_named, edit_json, gated_chain, result_rows, GOOD_SKILLS
from picochat_hf.eval.report import write_report
from picochat_hf.eval.rows_eval import summarize
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir

VERDICT = "verdicts:eval/eval_report.json"


def _report(run: RunDir, kind: str = "eval") -> dict:
    return json.loads(run.eval_report(kind).read_text())


def test_reports_record_their_run_paths_relative_to_it(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    ev, fit = _report(run), _report(run, "sft_fit")
    assert ev["config"]["input"] == "task_pack/eval.jsonl" and fit["config"]["input"] == "task_pack/sft.jsonl"
    assert ev["model"]["path"] == "sft/checkpoint" and ev["model"]["tokenizer"] == "sft/checkpoint"
    assert ev["model"]["weights_sha256"] and ev["model"]["tokenizer_sha256"]  # hashed from the path before it was recorded


def test_a_copy_gated_afresh_rejudges_its_own_eval_file(tmp_path):
    run = gated_chain(tmp_path)
    copy = RunDir(tmp_path / "copy")
    shutil.copytree(run, copy.root)
    copy.release.unlink()  # no verdict to say where the copy came from
    (run / "task_pack" / "eval.jsonl").write_text("")  # the original's file changes: not the copy's business
    assert check_named(run_release_gate(copy.root, "skill_release"), VERDICT)["status"] == "pass"
    c = check_named(run_release_gate(run, "skill_release"), VERDICT)
    assert c["status"] == "block" and "scored task_pack/eval.jsonl, which is gone or no longer hashes" in c["why"], c["why"]


def test_a_copy_whose_own_eval_file_changed_blocks_naming_it(tmp_path):
    run = gated_chain(tmp_path)
    copy = RunDir(tmp_path / "copy")
    shutil.copytree(run, copy.root)
    (copy.task_pack_dir / "eval.jsonl").write_text("")
    result = run_release_gate(copy.root, "skill_release")
    c = check_named(result, VERDICT)
    assert result["status"] == "blocked" and c["status"] == "block"
    assert "eval/eval_report.json cannot be re-judged: it scored task_pack/eval.jsonl" in c["why"], c["why"]


def test_an_older_absolute_path_inside_the_run_is_still_read(tmp_path):
    run = RunDir(build_chain(tmp_path))
    edit_json(run.eval_report("eval"), lambda r: r["config"].update(input=str(run.task_pack_dir / "eval.jsonl")))
    assert check_named(run_release_gate(run.root, "skill_release"), VERDICT)["status"] == "pass"


def test_paths_outside_the_run_and_reports_outside_a_run_are_kept_as_given(tmp_path):
    rows = result_rows(GOOD_SKILLS, 2)
    outside = tmp_path / "elsewhere" / "eval.jsonl"
    model = {"path": "org/hub-model", "tokenizer": "org/hub-model", "num_parameters": 1, "prompt_format": "chat_template"}
    report = {"kind": "chat", "config": {"input": str(outside)}, "model": model, "summary": summarize(rows), "examples": []}
    run = RunDir(tmp_path / "run")
    write_report(run.eval_dir("eval"), report, rows)
    kept = _report(run)
    assert kept["config"]["input"] == str(outside) and kept["model"]["path"] == "org/hub-model"
    inside = str(run.task_pack_dir / "eval.jsonl")
    write_report(tmp_path / "my_reports", {**report, "config": {"input": inside}}, rows)
    assert json.loads((tmp_path / "my_reports" / "eval_report.json").read_text())["config"]["input"] == inside
