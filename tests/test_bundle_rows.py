"""`bundle --check` sees results of another eval pack as `gate release` does: the bundle carries the rows the visible eval
and the external benchmarks scored (`eval_rows/`), and re-judges `verdicts:*` on them. A forged approval over another
pack's results, or another benchmark's answers, fails naming the check and the row; a bundle that leaves the scored
rows out (or carries other rows in their place) fails naming the report; an honest bundle, and one whose right reply is
reworded, passes."""

from __future__ import annotations

import hashlib
import json
import tarfile

from gate_fixtures import check_named, edit_json, gated_chain
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir

from test_bundle_check import _rewrite_signed
from test_gates_release_pairing import _forge_over, _other_pack, _results, _write_results

VERDICT = "verdicts:eval/eval_report.json"


def _bundle(run: RunDir, path):
    return check_bundle(make_bundle(run.root, path))


def _verdict_problems(res: dict, name: str) -> list[str]:
    return [p for p in res["problems"] if p.startswith(f"gates/release.json records {name} as ")]


def test_an_honest_bundle_carries_the_scored_rows_and_rederives_their_verdicts(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    out = make_bundle(run.root, tmp_path / "b.tar.gz")
    with tarfile.open(out) as tar:
        names = tar.getnames()
    assert "run/eval_rows/eval/eval.jsonl" in names and "run/eval_rows/external_eval/arc_easy/arc_easy.jsonl" in names
    assert not any(n.endswith("sft.jsonl") for n in names)  # training data stays out
    res = check_bundle(out)
    assert res["ok"], res["problems"]
    left = " ".join(res["unverified_checks"])
    for name in (VERDICT, "verdicts:external_eval/arc_easy/eval_report.json", "eval_rows_whole", "eval_rows_origin"):
        assert name not in left, left
    assert "verdicts:sft_fit/eval_report.json" in left  # the SFT file is not bundled


def test_a_forged_approval_over_another_packs_results_fails_the_bundle_check(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    _write_results(run, _other_pack(_results(run)))
    _forge_over(run, [run.eval_report("eval"), RunDir.results_beside(run.eval_report("eval"))])
    res = _bundle(run, tmp_path / "forged.tar.gz")
    assert not res["ok"]
    bad = _verdict_problems(res, VERDICT)
    assert bad and "gives block" in bad[0] and "records prompt \"another pack's q" in bad[0], res["problems"]
    gate = run_release_gate(run.root, "skill_release")  # the gate agrees
    assert gate["status"] == "blocked" and check_named(gate, VERDICT)["status"] == "block"


def test_a_right_reply_reworded_passes_both(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    rows = _results(run)
    row = next(r for r in rows if r["skill"] == "math" and r["passed"])
    row["reply"] = f"The answer is {row['reply']}."
    _write_results(run, rows)
    gate = run_release_gate(run.root, "skill_release")
    assert check_named(gate, VERDICT)["status"] == "pass"
    res = _bundle(run, tmp_path / "reworded.tar.gz")
    assert res["ok"], res["problems"]


def test_a_forged_approval_over_another_benchmarks_answers_fails_the_bundle_check(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    report = run.external_dir("arc_easy") / "eval_report.json"
    results = RunDir.results_beside(report)
    rows = [json.loads(line) for line in results.read_text().splitlines()]
    for r in rows:  # another benchmark's answer key: B is right, so the B choices pass
        r["choice"]["gold"], r["passed"] = "B", r["choice"]["pred"] == "B"
    results.write_text("".join(json.dumps(r) + "\n" for r in rows))
    n, passed = len(rows), sum(r["passed"] for r in rows)
    edit_json(report, lambda rep: (rep["summary"].update(passed=passed, pass_rate=passed / n),
                                   rep["external"].update(letter_acc=passed / n, acc=passed / n)))
    _forge_over(run, [report, results])
    res = _bundle(run, tmp_path / "forged.tar.gz")
    bad = _verdict_problems(res, "verdicts:external_eval/arc_easy/eval_report.json")
    assert not res["ok"] and bad and "gives block" in bad[0] and "gold letter 'B'" in bad[0], res["problems"]
    gate = run_release_gate(run.root, "skill_release")
    assert check_named(gate, "verdicts:external_eval/arc_easy/eval_report.json")["status"] == "block"


def _without_rows(src, dst, replace: bytes | None):
    """The bundle with eval_rows/eval/eval.jsonl dropped (`replace` None) or holding `replace`, its manifest entry
    dropped or re-hashed to match and the archive re-signed (a forger's bundle that lists what it holds)."""
    def change(name, data):
        if name.endswith("/eval_rows/eval/eval.jsonl"):
            return replace
        if name.endswith("/bundle_manifest.json"):
            m = json.loads(data)
            m["files"] = [f for f in m["files"] if f["path"] != "eval_rows/eval/eval.jsonl" or replace is not None]
            for f in m["files"]:
                if f["path"] == "eval_rows/eval/eval.jsonl":
                    f["sha256"] = hashlib.sha256(replace).hexdigest()
            return json.dumps(m).encode()
        return data

    _rewrite_signed(src, dst, change)
    return dst


def test_a_bundle_without_the_scored_rows_fails_naming_the_report(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    honest = make_bundle(run.root, tmp_path / "b.tar.gz")
    res = check_bundle(_without_rows(honest, tmp_path / "dropped.tar.gz", None))
    assert not res["ok"]
    named = [p for p in res["problems"] if p.startswith("eval/eval_report.json scored rows ")]
    assert named and "eval_rows/eval/" in named[0] and VERDICT in named[0], res["problems"]
    assert VERDICT in " ".join(res["unverified_checks"])


def test_a_bundle_carrying_other_rows_fails_naming_the_report(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    honest = make_bundle(run.root, tmp_path / "b.tar.gz")
    other = b'{"id": "x", "messages": [{"role": "user", "content": "another pack"}]}\n'
    res = check_bundle(_without_rows(honest, tmp_path / "other.tar.gz", other))
    named = [p for p in res["problems"] if p.startswith("eval/eval_report.json scored rows ")]
    assert not res["ok"] and named and "does not carry" in named[0], res["problems"]


def test_make_bundle_names_scored_rows_that_are_gone(tmp_path):
    run = RunDir(gated_chain(tmp_path))
    (run.task_pack_dir / "eval.jsonl").unlink()
    res = _bundle(run, tmp_path / "gone.tar.gz")
    assert "rows eval/eval_report.json scored" in res["missing_expected"]
    assert not res["ok"] and any(p.startswith("eval/eval_report.json scored rows ") for p in res["problems"])

