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
    if gate:
        (run / "gates").mkdir()
        (run / "gates" / "release.json").write_text(json.dumps({"status": gate, "checks": []}))
    if ext:
        (run / "external_eval" / "arc").mkdir(parents=True)
        c, m = ext
        external = {"benchmark": "arc", "n": m, "letter_acc": c / m, "acc": 0.3, "acc_norm": 0.35, "random_baseline": 0.25,
                    "correct": {"letter_acc": c}, "ci": {"letter_acc": wilson_ci(c, m)}}
        (run / "external_eval" / "arc" / "eval_report.json").write_text(json.dumps(
            {"kind": "external", "config": {"input": "arc.jsonl", "input_sha256": "c" * 64}, "summary": summary, "external": external}))
    return run


def _board(tmp_path, name="lb"):
    return json.loads((tmp_path / f"{name}.json").read_text())["board"]


def test_paired_rows_use_exact_mcnemar_and_holm(tmp_path):
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


def test_unpaired_counts_use_fisher_exact_not_a_z_test(tmp_path):
    a = fake_run(tmp_path, "run-a", 3, 3, rows=False)
    b = fake_run(tmp_path, "run-b", 0, 3, rows=False)
    build_leaderboard([a, b], tmp_path / "lb.md")
    e = _board(tmp_path)["quantities"]["eval"]["run-b"]
    assert e["test"] == "Fisher exact (unpaired)" and e["p"] == pytest.approx(0.1)  # a z-test says 0.014
    assert not e["worse"]


def test_runs_on_different_eval_files_are_not_compared(tmp_path):
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


def test_holm_controls_the_board(tmp_path):
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
