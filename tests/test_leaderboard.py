"""Leaderboard: runs are compared only on the same eval file; paired rows get the exact McNemar test, unpaired
counts Fisher's exact test; p-values are Holm-corrected across the board; the test is named in the table."""

from __future__ import annotations

import json

import pytest
from scipy.stats import fisher_exact
from statsmodels.stats.contingency_tables import mcnemar

from picochat_hf.cli import main
from picochat_hf.eval.leaderboard import build_leaderboard
from picochat_hf.eval.stats import wilson_ci
from picochat_hf.gates.evidence import evidence_files
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.io import sha256_file
from picochat_hf.utils.errors import PicochatInputError

FILE_A, FILE_B = "a" * 64, "b" * 64


def fake_run(root, name, passed, n, *, file_sha=FILE_A, rows=True, gate=None, ext=None):
    """A run folder with a chat eval of `passed`/`n` (rows 0..passed-1 pass) on eval file `file_sha`."""
    run = root / name
    (run / "eval").mkdir(parents=True)
    summary = {"n": n, "passed": passed, "pass_rate": passed / n, "ci": wilson_ci(passed, n), "ci_method": "wilson",
               "prompt_echo_rate": 0.0, "unsupported_claim_rate": 0.0, "refusal_pass_rate": None,
               "by_skill": {"math": {"n": n, "passed": passed, "pass_rate": passed / n, "ci": wilson_ci(passed, n)}}}
    report = {"kind": "chat", "config": {"input": f"eval_{file_sha[0]}.jsonl", "input_sha256": file_sha}, "summary": summary}
    (run / "eval" / "eval_report.json").write_text(json.dumps(report))
    if rows:
        results = [{"id": f"r{i}", "skill": "math", "passed": i < passed} for i in range(n)]
        (run / "eval" / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results))
    if ext:
        (run / "external_eval" / "arc").mkdir(parents=True)
        c, m = ext
        external = {"benchmark": "arc", "n": m, "letter_acc": c / m, "acc": 0.3, "acc_norm": 0.35, "random_baseline": 0.25,
                    "correct": {"letter_acc": c}, "ci": {"letter_acc": wilson_ci(c, m)}}
        (run / "external_eval" / "arc" / "eval_report.json").write_text(json.dumps(
            {"kind": "external", "config": {"input": "arc.jsonl", "input_sha256": "c" * 64}, "summary": summary, "external": external}))
    if gate:  # a current verdict: it records the sha256 of every evidence file the run holds
        rd = RunDir(run)
        evidence = {rd.rel(f): sha256_file(f) for f in evidence_files(rd)}
        (run / "gates").mkdir()
        (run / "gates" / "release.json").write_text(json.dumps({"status": gate, "checks": [], "evidence": evidence}))
    return run


@pytest.fixture
def rejudged(monkeypatch):
    """fake_run writes no eval file (and with rows=False no results.jsonl), so its cells cannot be re-judged and are
    never ranked; the tests of the ranking itself take its counts as re-judged (test_leaderboard_evidence tests that)."""
    monkeypatch.setattr("picochat_hf.eval.leaderboard._mark_unverified", lambda cells, why: None)


def _board(tmp_path, name="lb"):
    return json.loads((tmp_path / f"{name}.json").read_text())["board"]


def test_paired_rows_use_exact_mcnemar_and_holm(rejudged, tmp_path, monkeypatch):
    # these runs hold a chat eval only, so re-running the gate on them would block; the verdicts' evidence hashes
    # are current, and re-running the gate is verify_release's own test (test_gates_verify.py)
    monkeypatch.setattr("picochat_hf.gates.verify.rerun_disagreement", lambda run, release: None)
    a = fake_run(tmp_path, "run-a", 60, 100, gate="approved")
    b = fake_run(tmp_path, "run-b", 55, 100, gate="warn")
    c = fake_run(tmp_path, "run-c", 30, 100)
    md = build_leaderboard([c, b, a], tmp_path / "lb.md").read_text()
    chat = _board(tmp_path)["quantities"]["eval"]
    assert chat["run-a"]["best"]
    # rows r0..r54 pass in both a and b; r55..r59 pass only in a: 5 discordant pairs, all one way
    assert chat["run-b"]["test"] == "McNemar exact, 100 shared rows"
    assert chat["run-b"]["p"] == pytest.approx(mcnemar([[55, 0], [5, 40]], exact=True).pvalue)
    assert chat["run-c"]["p"] == pytest.approx(mcnemar([[30, 0], [30, 40]], exact=True).pvalue)
    assert not chat["run-b"]["worse"] and chat["run-c"]["worse"]
    assert all(e["p_holm"] >= e["p"] for e in chat.values() if "p" in e)
    line = next(ln for ln in md.splitlines() if ln.startswith("| chat eval |"))
    assert "60.0% (60/100) [50, 69] ★" in line and "≈ (McNemar exact, 100 shared rows: p=" in line and "worse (McNemar exact" in line
    assert "| run-a | approved |" in md and "| run-c | not run |" in md
    with pytest.raises(PicochatInputError, match="--force"):
        build_leaderboard([a], tmp_path / "lb.md")
    assert main(["leaderboard", str(a), str(b), "--out", str(tmp_path / "two.md")]) == 0


def test_unpaired_counts_use_fisher_exact_not_a_z_test(rejudged, tmp_path):
    a = fake_run(tmp_path, "run-a", 3, 3, rows=False)
    b = fake_run(tmp_path, "run-b", 0, 3, rows=False)
    build_leaderboard([a, b], tmp_path / "lb.md")
    e = _board(tmp_path)["quantities"]["eval"]["run-b"]
    assert e["test"] == "Fisher exact (unpaired)" and e["p"] == pytest.approx(0.1)  # a z-test says 0.014
    assert not e["worse"]


def test_runs_on_different_eval_files_are_not_compared(rejudged, tmp_path):
    a = fake_run(tmp_path, "run-a", 60, 100)
    b = fake_run(tmp_path, "run-b", 40, 100)
    d = fake_run(tmp_path, "run-d", 90, 100, file_sha=FILE_B)  # best-looking, but on another file
    md = build_leaderboard([a, b, d], tmp_path / "lb.md").read_text()
    chat = _board(tmp_path)["quantities"]["eval"]
    assert set(chat) == {"run-a", "run-b"} and chat["run-a"]["best"]
    assert "## Not compared (different eval files)" in md
    assert (f"- run-d was scored on eval file {FILE_B[:12]} (eval_b.jsonl); the board compares eval on {FILE_A[:12]} "
            "(eval_a.jsonl), so its numbers are not comparable.") in md
    line = next(ln for ln in md.splitlines() if ln.startswith("| chat eval |"))
    assert line.endswith("| – |")  # run-d's column stays empty


def test_holm_controls_the_board(rejudged, tmp_path):
    # raw Fisher p = 0.027 for each of three comparisons (chat, its math skill, arc); Holm triples the smallest,
    # so none is called worse although each alone is below 0.05
    a = fake_run(tmp_path, "run-a", 31, 50, rows=False, ext=(32, 50))
    b = fake_run(tmp_path, "run-b", 19, 50, rows=False, ext=(20, 50))
    build_leaderboard([a, b], tmp_path / "lb.md")
    board = _board(tmp_path)
    chat, ext = board["quantities"]["eval"]["run-b"], board["quantities"]["external:arc"]["run-b"]
    assert chat["p"] == pytest.approx(fisher_exact([[31, 19], [19, 31]]).pvalue)
    assert chat["p"] < 0.05
    assert ext["p"] < 0.05
    assert board["tests"] == 3  # chat, math skill, arc
    assert chat["p_holm"] >= 0.05 and not chat["worse"] and not ext["worse"]


def _edit(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_same_file_other_scorer_settings_or_other_rows_are_not_compared(tmp_path):
    a = fake_run(tmp_path, "run-a", 40, 100)
    b = fake_run(tmp_path, "run-b", 90, 100)  # same file, but scored with a looser scorer
    _edit(b / "eval" / "eval_report.json", lambda r: r["config"].update(scoring_config="loose.yaml"))
    c = fake_run(tmp_path, "run-c", 95, 100)  # same file and count, other rows (another subset)
    (c / "eval" / "results.jsonl").write_text("".join(
        json.dumps({"id": f"x{i}", "skill": "math", "passed": i < 95}) + "\n" for i in range(100)))
    md = build_leaderboard([a, b, c], tmp_path / "lb.md").read_text()
    board = _board(tmp_path)
    assert set(board["quantities"]["eval"]) == {"run-a"}
    why = " ".join(e["why"] for e in board["excluded"] if e["quantity"] == "eval")
    assert "run-b" in why and "scoring_config" in why and "loose.yaml" in why
    assert "run-c" in why and "other rows" in why
    assert "★" not in next(ln for ln in md.splitlines() if ln.startswith("| chat eval |"))  # best of one is no win


def test_results_rows_that_disagree_with_the_report_counts_are_not_ranked(tmp_path):
    a = fake_run(tmp_path, "run-a", 50, 100)
    b = fake_run(tmp_path, "run-b", 80, 100)
    # the report claims 80/100 but its per-row results pass only 30
    (b / "eval" / "results.jsonl").write_text("".join(
        json.dumps({"id": f"r{i}", "skill": "math", "passed": i < 30}) + "\n" for i in range(100)))
    build_leaderboard([a, b], tmp_path / "lb.md")
    board = _board(tmp_path)
    assert set(board["quantities"]["eval"]) == {"run-a"}
    why = next(e["why"] for e in board["excluded"] if e["quantity"] == "eval")
    assert "run-b" in why and "30 of 100" in why and "80/100" in why


def test_evidence_about_another_model_is_not_ranked(tmp_path):
    a = fake_run(tmp_path, "run-a", 20, 50, ext=(10, 50))
    b = fake_run(tmp_path, "run-b", 25, 50, ext=(45, 50))
    _edit(a / "eval" / "eval_report.json", lambda r: r.update(model={"path": "ckpt", "weights_sha256": "1" * 64}))
    _edit(b / "eval" / "eval_report.json", lambda r: r.update(model={"path": "ckpt-b", "weights_sha256": "3" * 64}))
    _edit(a / "external_eval" / "arc" / "eval_report.json", lambda r: r.update(model={"path": "ckpt", "weights_sha256": "1" * 64}))
    _edit(b / "external_eval" / "arc" / "eval_report.json", lambda r: r.update(model={"path": "other", "weights_sha256": "2" * 64}))
    (b / "lm_eval").mkdir()
    (b / "lm_eval" / "lm_eval_results.json").write_text(json.dumps(
        {"model_path": "other", "weights_sha256": "2" * 64, "scores": {"arc": {"acc": 0.9}}}))
    md = build_leaderboard([a, b], tmp_path / "lb.md").read_text()
    board = _board(tmp_path)
    assert set(board["quantities"]["external:arc"]) == {"run-a"}
    why = next(e["why"] for e in board["excluded"] if e["quantity"] == "external:arc")
    assert "run-b" in why and "another model" in why and "2222222222" in why
    assert "0.900" not in md and "lm-eval" in md and "another model" in md


def test_a_stale_release_verdict_is_shown_as_stale(tmp_path):
    a = fake_run(tmp_path, "run-a", 60, 100, gate="approved")
    _edit(a / "gates" / "release.json", lambda r: r.update(evidence={"eval/eval_report.json": "0" * 64}))
    md = build_leaderboard([a], tmp_path / "lb.md").read_text()
    line = next(ln for ln in md.splitlines() if ln.startswith("| run-a |"))
    assert "approved" in line and "stale" in line and "eval/eval_report.json" in line
    assert json.loads((tmp_path / "lb.json").read_text())["runs"][0]["gate_state"] == "stale"


def test_tied_best_runs_are_both_marked_best(rejudged, tmp_path):
    a = fake_run(tmp_path, "run-a", 50, 100)
    b = fake_run(tmp_path, "run-b", 50, 100)
    build_leaderboard([a, b], tmp_path / "lb.md")
    chat = _board(tmp_path)["quantities"]["eval"]
    assert chat["run-a"]["best"] and chat["run-b"]["best"]


def test_runs_whose_reports_record_no_eval_file_are_not_compared(tmp_path):
    a = fake_run(tmp_path, "run-a", 40, 100)
    b = fake_run(tmp_path, "run-b", 90, 100, rows=False)
    c = fake_run(tmp_path, "run-c", 95, 100, rows=False)
    for run in (b, c):  # neither records which file it scored: the two cannot be told to share one
        _edit(run / "eval" / "eval_report.json", lambda r: r["config"].pop("input_sha256"))
    build_leaderboard([a, b, c], tmp_path / "lb.md")
    board = _board(tmp_path)
    assert set(board["quantities"]["eval"]) == {"run-a"}
    why = " ".join(e["why"] for e in board["excluded"] if e["quantity"] == "eval")
    assert "run-b" in why and "run-c" in why and "records no input_sha256" in why


def test_the_same_run_or_model_twice_is_refused(tmp_path):
    import shutil

    a = fake_run(tmp_path, "run-a", 40, 100)
    (tmp_path / "again").mkdir()
    (tmp_path / "again" / "run-a2").symlink_to(a)
    with pytest.raises(PicochatInputError, match="same run folder"):
        build_leaderboard([a, tmp_path / "again" / "run-a2"], tmp_path / "lb.md")
    _edit(a / "eval" / "eval_report.json", lambda r: r.update(model={"path": "ckpt", "weights_sha256": "1" * 64}))
    shutil.copytree(a, tmp_path / "copy-of-a")
    with pytest.raises(PicochatInputError, match="same model"):
        build_leaderboard([a, tmp_path / "copy-of-a"], tmp_path / "lb.md")
    assert not (tmp_path / "lb.md").exists()


def test_a_run_alone_on_its_file_is_not_declared_best(tmp_path):
    a = fake_run(tmp_path, "run-a", 60, 100)
    b = fake_run(tmp_path, "run-b", 40, 100, file_sha=FILE_B)
    md = build_leaderboard([a, b], tmp_path / "lb.md").read_text()
    chat = _board(tmp_path)["quantities"]["eval"]
    assert set(chat) == {"run-a"} and not chat["run-a"]["best"]
    assert "★" not in md.split("## Chat eval and fits")[1]


def test_lm_eval_results_that_record_no_weights_are_left_off(tmp_path):
    a = fake_run(tmp_path, "run-a", 20, 50)
    (a / "lm_eval").mkdir()
    (a / "lm_eval" / "lm_eval_results.json").write_text(json.dumps({"model_path": "somewhere", "scores": {"arc": {"acc": 0.9}}}))
    md = build_leaderboard([a], tmp_path / "lb.md").read_text()
    assert "0.900" not in md and "record no weights_sha256" in md


@pytest.mark.parametrize("bad, field", [
    ('["r0", true]\n', "results.jsonl:1: expected a JSON object"),
    ('{"id": "r0", "skill": "math", "passed": "yes"}\n', "passed"),
])  # fmt: skip
def test_malformed_result_rows_are_a_one_line_error(tmp_path, bad, field, capsys):
    a = fake_run(tmp_path, "run-a", 1, 1)
    (a / "eval" / "results.jsonl").write_text(bad)
    assert main(["leaderboard", str(a), "--out", str(tmp_path / "lb.md")]) == 2
    err = capsys.readouterr().err
    assert "results.jsonl" in err and field in err and "Traceback" not in err
    assert not (tmp_path / "lb.md").exists()


def test_an_external_report_without_benchmark_or_counts_is_a_one_line_error(tmp_path, capsys):
    a = fake_run(tmp_path, "run-a", 1, 2, ext=(1, 2))
    _edit(a / "external_eval" / "arc" / "eval_report.json", lambda r: r["external"].pop("n"))
    assert main(["leaderboard", str(a), "--out", str(tmp_path / "lb.md")]) == 2
    err = capsys.readouterr().err
    assert "external_eval/arc/eval_report.json" in err and "external.n" in err


def test_two_reports_of_one_benchmark_in_a_run_are_refused(tmp_path, capsys):
    import shutil

    a = fake_run(tmp_path, "run-a", 1, 2, ext=(1, 2))
    shutil.copytree(a / "external_eval" / "arc", a / "external_eval" / "arc-rerun")
    _edit(a / "external_eval" / "arc-rerun" / "eval_report.json", lambda r: r["external"].update(correct={"letter_acc": 2}, letter_acc=1.0))
    assert main(["leaderboard", str(a), "--out", str(tmp_path / "lb.md")]) == 2
    assert "second report of benchmark 'arc'" in capsys.readouterr().err


def test_a_replies_file_scored_in_a_run_with_a_model_is_not_ranked_as_the_model(tmp_path):
    a = fake_run(tmp_path, "run-a", 40, 100)
    b = fake_run(tmp_path, "run-b", 95, 100)
    _edit(a / "eval" / "eval_report.json", lambda r: r.update(model={"path": "ckpt-a", "weights_sha256": "1" * 64}))
    _edit(b / "eval" / "eval_report.json", lambda r: r.update(model={"path": "ckpt-b", "weights_sha256": "3" * 64}))
    (b / "sft_fit").mkdir()
    rep = json.loads((b / "eval" / "eval_report.json").read_text())
    rep.update(kind="replies", model={"path": "answers.jsonl", "kind": "replies"})
    (b / "sft_fit" / "eval_report.json").write_text(json.dumps(rep))
    (b / "gates").mkdir()
    (b / "gates" / "release.json").write_text(json.dumps({"status": "approved", "checkpoint": {"weights_sha256": "3" * 64}}))
    build_leaderboard([a, b], tmp_path / "lb.md")
    board = _board(tmp_path)
    assert "sft_fit" not in board["quantities"]
    why = next(e["why"] for e in board["excluded"] if e["quantity"] == "sft_fit")
    assert "replies file (answers.jsonl)" in why


def test_impossible_counts_are_not_ranked(tmp_path):
    a = fake_run(tmp_path, "run-a", 50, 100, rows=False)
    b = fake_run(tmp_path, "run-b", 60, 100, rows=False)
    _edit(b / "eval" / "eval_report.json", lambda r: r["summary"].update(passed=120, pass_rate=1.2))  # 120 of 100 rows
    build_leaderboard([a, b], tmp_path / "lb.md")
    board = _board(tmp_path)
    assert "run-b" not in board["quantities"].get("eval", {})
    assert any("120/100" in e["why"] and e["run"] == "run-b" for e in board["excluded"])


def test_a_release_verdict_that_is_not_an_object_is_a_one_line_error(tmp_path, capsys):
    a = fake_run(tmp_path, "run-a", 50, 100)
    (a / "gates").mkdir()
    (a / "gates" / "release.json").write_text("[]")
    assert main(["leaderboard", str(a), "--out", str(tmp_path / "lb.md")]) == 2
    assert "release.json" in capsys.readouterr().err


def _lm(run, acc, rows, weights="1" * 64, task_hash="e" * 64):
    _edit(run / "eval" / "eval_report.json", lambda r: r.update(model={"path": run.name, "weights_sha256": weights}))
    (run / "lm_eval").mkdir()
    (run / "lm_eval" / "lm_eval_results.json").write_text(json.dumps(
        {"model_path": run.name, "weights_sha256": weights, "scores": {"arc": {"acc": acc}}, "results": {"arc": {"acc,none": acc}},
         "n-samples": {"arc": {"original": 30, "effective": rows}}, "versions": {"arc": 1.0}, "config": {"limit": None},
         **({"task_hashes": {"arc": task_hash}} if task_hash else {})}))


def test_lm_eval_scores_on_other_rows_are_left_off(tmp_path):
    a, b, c = (fake_run(tmp_path, f"run-{x}", 20, 50) for x in "abc")
    _lm(a, 0.3, 30, "1" * 64)
    _lm(b, 0.35, 30, "2" * 64)
    _lm(c, 0.9, 10, "3" * 64)  # scored on 10 of the 30 rows
    md = build_leaderboard([a, b, c], tmp_path / "lb.md").read_text()
    line = next(ln for ln in md.splitlines() if ln.startswith("| arc | acc |"))
    assert "0.300" in line and "0.350" in line and "0.900" not in line
    assert "run-c's lm-eval arc ran with setup" in md and '"rows": 10' in md


def test_external_benchmark_files_that_differ_are_not_compared(tmp_path):
    a = fake_run(tmp_path, "run-a", 20, 50, ext=(10, 50))
    b = fake_run(tmp_path, "run-b", 20, 50, ext=(12, 50))
    c = fake_run(tmp_path, "run-c", 20, 50, ext=(45, 50))
    _edit(c / "external_eval" / "arc" / "eval_report.json", lambda r: r["config"].update(input_sha256="d" * 64))
    build_leaderboard([a, b, c], tmp_path / "lb.md")
    board = _board(tmp_path)
    assert set(board["quantities"]["external:arc"]) == {"run-a", "run-b"}
    assert any(e["run"] == "run-c" and "dddddddddddd" in e["why"] for e in board["excluded"])


def test_a_blocked_or_stale_run_is_never_presented_as_best_without_a_word(rejudged, tmp_path, monkeypatch):
    """Reading the board top-down, a run whose gate is blocked, stale or not run comes after the release
    candidates, its column says why, and a ★ on it says it is not a release."""
    monkeypatch.setattr("picochat_hf.gates.verify.rerun_disagreement", lambda run, release: None)
    top = fake_run(tmp_path, "run-top", 70, 100, gate="blocked")
    ok = fake_run(tmp_path, "run-ok", 60, 100, gate="approved")
    stale = fake_run(tmp_path, "run-stale", 50, 100, gate="approved")
    _edit(stale / "gates" / "release.json", lambda r: r.update(evidence={"eval/eval_report.json": "0" * 64}))
    none = fake_run(tmp_path, "run-none", 40, 100)
    md = build_leaderboard([top, stale, none, ok], tmp_path / "lb.md").read_text()
    header = next(ln for ln in md.splitlines() if ln.startswith("| quantity |"))
    assert header == "| quantity | run-ok | run-top ⚠ blocked | run-stale ⚠ stale | run-none ⚠ gate not run |"
    line = next(ln for ln in md.splitlines() if ln.startswith("| chat eval |"))
    assert "70.0% (70/100) [60, 78] ★ (gate blocked: not a release)" in line
    assert line.index("60.0% (60/100)") < line.index("70.0% (70/100)")
    assert "| run-ok | approved | release candidate |" in md and "| run-top | blocked | ⚠ not a release candidate |" in md
    assert md.index("| run-ok | approved") < md.index("| run-top | blocked")
    data = json.loads((tmp_path / "lb.json").read_text())
    chat = data["board"]["quantities"]["eval"]
    assert chat["run-top"]["best"] and not chat["run-top"]["release_candidate"] and chat["run-ok"]["release_candidate"]
    assert {r["run"]: r["standing"] for r in data["runs"]} == {"run-top": "blocked", "run-stale": "stale", "run-none": "gate not run",
                                                               "run-ok": "release candidate"}


def test_lm_eval_scores_on_other_task_data_are_left_off(tmp_path):
    """One task name, same rows, version and limit, but other documents, prompts or targets (lm-eval's task hash
    differs), or no hash recorded: not the same test, so not side by side."""
    a, b, c, d = (fake_run(tmp_path, f"run-{x}", 20, 50) for x in "abcd")
    _lm(a, 0.3, 30, "1" * 64)
    _lm(b, 0.35, 30, "2" * 64)
    _lm(c, 0.9, 30, "3" * 64, task_hash="f" * 64)  # an easier file under the same task name
    _lm(d, 0.8, 30, "4" * 64, task_hash=None)
    md = build_leaderboard([a, b, c, d], tmp_path / "lb.md").read_text()
    line = next(ln for ln in md.splitlines() if ln.startswith("| arc | acc |"))
    assert "0.300" in line and "0.350" in line and "0.900" not in line and "0.800" not in line
    assert "run-c's lm-eval arc ran with setup" in md and '"task_hash": "ffffffff' in md
    assert "run-d's lm-eval arc records no task hash (task_hashes), so the task data it scored cannot be traced" in md


def test_lm_eval_scores_edited_apart_from_lm_evals_results_are_left_off(tmp_path):
    """`scores` is a summary of lm-eval's own `results`: a file whose scores were raised on their own is no lm-eval
    output, and neither is one without results."""
    a, b, c = (fake_run(tmp_path, f"run-{x}", 20, 50) for x in "abc")
    _lm(a, 0.3, 30, "1" * 64)
    _lm(b, 0.35, 30, "2" * 64)
    _edit(b / "lm_eval" / "lm_eval_results.json", lambda r: r["scores"]["arc"].update(acc=0.95))
    _lm(c, 0.4, 30, "3" * 64)
    _edit(c / "lm_eval" / "lm_eval_results.json", lambda r: r.pop("results"))
    md = build_leaderboard([a, b, c], tmp_path / "lb.md").read_text()
    line = next(ln for ln in md.splitlines() if ln.startswith("| arc | acc |"))
    assert "0.300" in line and "0.950" not in line and "0.350" not in line and "0.400" not in line
    assert "run-b's lm-eval results (run-b): their scores do not follow from lm-eval's results (arc acc 0.95 stored, 0.35 in results)" in md
    assert "run-c's lm-eval results (run-c): they hold no lm-eval 'results' object to read the scores from" in md


def _same_weights(run, sha="1" * 64):
    _edit(run / "eval" / "eval_report.json", lambda r: r.update(model={"path": "ckpt", "weights_sha256": sha}))


def test_one_checkpoint_under_two_eval_packs_is_listed_twice_with_its_identity(tmp_path):
    """Two honest runs of the same weights on different eval files rank in different groups: both are listed, and the
    run table shows they are one model."""
    a = fake_run(tmp_path, "pack-a", 60, 100)
    b = fake_run(tmp_path, "pack-b", 40, 100, file_sha=FILE_B)
    c = fake_run(tmp_path, "other", 50, 100)
    for run in (a, b):
        _same_weights(run)
    _same_weights(c, "2" * 64)
    md = build_leaderboard([a, b, c], tmp_path / "lb.md").read_text()
    data = json.loads((tmp_path / "lb.json").read_text())
    assert {r["run"] for r in data["runs"]} == {"pack-a", "pack-b", "other"}
    assert set(data["board"]["quantities"]["eval"]) == {"pack-a", "other"}  # pack-b scored another file
    assert "| pack-a | not run | ⚠ not a release candidate | 111111111111 (also pack-b) |" in md
    assert "| pack-b | not run | ⚠ not a release candidate | 111111111111 (also pack-a) |" in md


def test_the_same_model_is_ranked_once_where_two_of_its_runs_share_a_ranking(rejudged, tmp_path):
    """Two runs of one checkpoint that differ somewhere (here the chat eval's file) but share a ranking (the external
    benchmark on the same rows) would count the model twice there: the second is left out of that ranking, saying so."""
    a = fake_run(tmp_path, "pack-a", 60, 100, ext=(30, 50))
    b = fake_run(tmp_path, "pack-b", 40, 100, file_sha=FILE_B, ext=(30, 50))
    c = fake_run(tmp_path, "other", 50, 100, ext=(20, 50))
    for run in (a, b):
        _same_weights(run)
        _edit(run / "external_eval" / "arc" / "eval_report.json", lambda r: r.update(model={"path": "ckpt", "weights_sha256": "1" * 64}))
    _same_weights(c, "2" * 64)
    _edit(c / "external_eval" / "arc" / "eval_report.json", lambda r: r.update(model={"path": "ckpt", "weights_sha256": "2" * 64}))
    md = build_leaderboard([a, b, c], tmp_path / "lb.md").read_text()
    board = _board(tmp_path)
    assert set(board["quantities"]["external:arc"]) == {"pack-a", "other"}
    why = [e["why"] for e in board["excluded"] if e["run"] == "pack-b" and e["quantity"] == "external:arc"]
    assert why == ["pack-b holds the same model as pack-a (weights 111111111111), scored on the same external:arc rows; "
                   "a model is ranked once, as pack-a."]
    assert "## Counted once (one model in two runs)" in md and why[0] in md
    assert board["tests"] == 3  # eval, skill:math and external:arc: pack-a vs other each, never pack-a vs pack-b


@pytest.mark.parametrize("layout", ["empty", "no_run", "parent"])
def test_a_folder_with_no_run_is_refused_not_listed_as_gate_not_run(tmp_path, capsys, layout):
    """An empty folder, one holding only unrelated files (or a training run with nothing scored), or the parent of the
    runs was written as a "gate not run" row of a model that is not there; it is now a one-line error, nothing written."""
    folder = tmp_path / "runs"
    folder.mkdir()
    if layout == "no_run":
        (folder / "notes.txt").write_text("nothing here\n")
        (folder / "sft").mkdir()
        (folder / "sft" / "train_report.json").write_text('{"stage": "sft"}\n')
    if layout == "parent":
        fake_run(folder, "run-a", 1, 2)
    out = tmp_path / "lb.md"
    assert main(["leaderboard", str(folder), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "nothing to compare" in err and str(folder) in err and len(err.strip().splitlines()) == 1
    assert ("run folders run-a: give those" in err) == (layout == "parent")
    assert not out.exists() and not out.with_suffix(".json").exists()
    with pytest.raises(PicochatInputError, match="nothing to compare"):
        build_leaderboard([fake_run(tmp_path, "run-b", 1, 2), folder], out)
    assert not out.exists()


def test_a_run_with_only_a_gate_verdict_or_one_report_is_still_listed(tmp_path):
    """The right-format counterpart: a run with a single eval report is a row (its gate state as it is)."""
    a = fake_run(tmp_path, "run-a", 1, 2)
    build_leaderboard([a], tmp_path / "lb.md")
    data = json.loads((tmp_path / "lb.json").read_text())
    assert [r["run"] for r in data["runs"]] == ["run-a"]


def _scored_run(tmp_path, name: str, replies: list[dict]):
    """A run whose chat eval is `picochat eval score`'s real report on two math rows."""
    from eval_fixtures import chat_row, write_jsonl

    rows = tmp_path / "eval_rows.jsonl"
    if not rows.exists():
        write_jsonl(rows, [chat_row(0, "What is 23 + 34?", skill="math", normalized_answer="57"),
                           chat_row(1, "What is 2 + 2?", skill="math", normalized_answer="4")])
    given = write_jsonl(tmp_path / f"{name}_replies.jsonl", replies)
    assert main(["eval", "score", "--input", str(rows), "--replies", str(given), "--out-dir", str(tmp_path / name / "eval")]) == 0
    return tmp_path / name


def _forge(run):
    """Flip the failing "58" for 23 + 34 to passed and edit the report's counts to match (2/2)."""
    results = run / "eval" / "results.jsonl"
    lines = [json.loads(x) for x in results.read_text().splitlines()]
    lines[0]["passed"] = True
    results.write_text("".join(json.dumps(r) + "\n" for r in lines))
    report_path = run / "eval" / "eval_report.json"
    report = json.loads(report_path.read_text())
    for part in (report["summary"], report["summary"]["by_skill"]["math"]):
        part["passed"], part["pass_rate"] = 2, 1.0
    report_path.write_text(json.dumps(report))


def test_a_flipped_verdict_with_a_matching_summary_is_not_ranked(tmp_path):
    """results.jsonl's `passed` flags were ranked as recorded; "58" for 23 + 34 flipped to passed, with the report's
    counts edited to match, made a wrong reply count. The leaderboard re-judges verdicts whose rows it can read."""
    honest = _scored_run(tmp_path, "run-a", [{"id": "r0", "reply": "57"}, {"id": "r1", "reply": "5"}])
    forged = _scored_run(tmp_path, "run-b", [{"id": "r0", "reply": "58"}, {"id": "r1", "reply": "4"}])
    assert [json.loads(x)["passed"] for x in (forged / "eval" / "results.jsonl").read_text().splitlines()] == [False, True]
    _forge(forged)
    build_leaderboard([honest, forged], tmp_path / "lb.md")
    chat = _board(tmp_path)["quantities"]["eval"]
    assert "run-b" not in chat or "verdicts that do not follow" in str(chat["run-b"])
    md = (tmp_path / "lb.md").read_text()
    assert "run-b's eval cannot be ranked" in md and "verdicts that do not follow" in md
    # the same runs, unedited, are ranked as scored
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    a = _scored_run(fresh, "run-a", [{"id": "r0", "reply": "57"}, {"id": "r1", "reply": "5"}])
    b = _scored_run(fresh, "run-b", [{"id": "r0", "reply": "58"}, {"id": "r1", "reply": "4"}])
    build_leaderboard([a, b], fresh / "lb.md")
    assert "cannot be ranked" not in (fresh / "lb.md").read_text()
