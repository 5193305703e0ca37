"""Leaderboard cells re-derive what they show: a count nothing could re-judge (its eval file gone or edited since
it was scored, no per-row results) is marked unverified wherever it is shown, a verdict that does not follow
from its row is not ranked (external benchmarks too), and the run's model is the hash of the weights present."""

from __future__ import annotations

import json
import shutil

import pytest

from gate_fixtures import build_chain, edit_json, fake_weights
from picochat_hf.eval.leaderboard import build_leaderboard
from picochat_hf.eval.leaderboard_render import UNVERIFIED
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.verify import may_publish, verify_release
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.provenance import weights_sha256

from test_leaderboard import _forge, _scored_run, fake_run


def _own_rows(run, name: str):
    """Point `run`'s chat eval at its own copy of the eval rows (same bytes, same hash), so one run's file can go."""
    report_path = run / "eval" / "eval_report.json"
    report = json.loads(report_path.read_text())
    mine = run.parent / f"{name}_eval_rows.jsonl"
    shutil.copyfile(run / report["config"]["input"], mine)  # recorded relative to the run
    report["config"]["input"] = str(mine)
    report_path.write_text(json.dumps(report))
    return mine


def _pair(tmp_path):
    honest = _scored_run(tmp_path, "run-a", [{"id": "r0", "reply": "57"}, {"id": "r1", "reply": "5"}])
    forged = _scored_run(tmp_path, "run-b", [{"id": "r0", "reply": "58"}, {"id": "r1", "reply": "4"}])
    return honest, forged


def _cells(tmp_path):
    return json.loads((tmp_path / "lb.json").read_text())["board"]["quantities"]


def test_a_forged_count_whose_eval_file_is_gone_is_marked_unverified(tmp_path):
    """The forged run's eval file deleted: its flipped verdict was ranked ★ on the stored 2/2 with no word."""
    honest, forged = _pair(tmp_path)
    mine = _own_rows(forged, "run-b")
    _forge(forged)
    mine.unlink()
    md = build_leaderboard([forged], tmp_path / "lb.md").read_text()  # (replies files are never compared across runs)
    cell = _cells(tmp_path)["eval"]["run-b"]
    assert "is gone" in cell["unverified"] and str(mine) in cell["unverified"] and cell["passed"] == 2
    assert _cells(tmp_path)["skill:math"]["run-b"]["unverified"] == cell["unverified"]
    line = next(ln for ln in md.splitlines() if ln.startswith("| chat eval |"))
    assert line == f"| chat eval | 100.0% (2/2) [34, 100] {UNVERIFIED} |"
    assert f"- run-b's eval, skill:math: its eval file {mine} is gone" in md
    build_leaderboard([honest], tmp_path / "lb.md", force=True)
    assert _cells(tmp_path)["eval"]["run-a"]["unverified"] is None


def test_an_unverified_count_never_takes_the_star_from_a_verified_one(tmp_path):
    """A forged 9/10 nothing could re-judge was the best and took ★ from a re-judged 5/10 on the same rows; the
    star now goes to the verified cell, and the higher unverified one is marked as not ranked first, never 'worse'."""
    from picochat_hf.eval.leaderboard import board, collect_run
    from picochat_hf.eval.leaderboard_render import _text

    from test_leaderboard import fake_run

    runs = [collect_run(fake_run(tmp_path, "honest", 5, 10)), collect_run(fake_run(tmp_path, "forged", 9, 10))]
    assert all(r["cells"]["eval"]["unverified"] for r in runs)  # fake_run's eval file is not on disk
    for q in runs[0]["cells"]:
        runs[0]["cells"][q]["unverified"] = None  # as if its rows had been re-judged
    cells = board(runs)["quantities"]["eval"]
    assert (cells["honest"]["best"], cells["forged"]["best"]) == (True, False)
    assert (cells["forged"]["above_best"], cells["forged"]["worse"]) == (True, False)
    assert _text(cells["forged"]).startswith("90.0% (9/10)") and "above ★, not ranked first (unverified)" in _text(cells["forged"])
    assert "★" in _text(cells["honest"]) and UNVERIFIED not in _text(cells["honest"])
    both = board([collect_run(fake_run(tmp_path / "x", "a", 5, 10)), collect_run(fake_run(tmp_path / "x", "b", 9, 10))])
    # all unverified: none is ranked (this asserted [False, True], a star on a count nothing re-judged)
    assert [both["quantities"]["eval"][n]["best"] for n in ("a", "b")] == [False, False]
    assert [both["quantities"]["eval"][n]["ranked"] for n in ("a", "b")] == [False, False] and both["tests"] == 0


def test_a_forged_count_whose_eval_file_was_edited_is_marked_unverified(tmp_path):
    """The same with the eval file still there but edited since (the rows it scored can no longer be rebuilt)."""
    honest, forged = _pair(tmp_path)
    mine = _own_rows(forged, "run-b")
    _forge(forged)
    mine.write_text(mine.read_text().replace("What is 23 + 34?", "What is 23 + 35?"))
    md = build_leaderboard([forged], tmp_path / "lb.md").read_text()
    cell = _cells(tmp_path)["eval"]["run-b"]
    assert "no longer hashes to" in cell["unverified"] and "is gone" not in cell["unverified"]
    assert UNVERIFIED in md and "no longer hashes to" in md


def test_a_forged_count_whose_eval_file_is_there_is_still_not_ranked_and_honest_runs_are_not_marked(tmp_path):
    """The neighbours: the file present, the forgery is caught (not merely marked); honest runs carry no mark."""
    honest, forged = _pair(tmp_path)
    _own_rows(forged, "run-b")
    _forge(forged)
    md = build_leaderboard([honest, forged], tmp_path / "lb.md").read_text()
    assert "run-b" not in _cells(tmp_path)["eval"] and "verdicts that do not follow" in md
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    a, b = _pair(fresh)
    md = build_leaderboard([a, b], fresh / "lb.md").read_text()
    assert UNVERIFIED not in md and "## Unverified" not in md
    assert all(e["unverified"] is None for q in _cells(fresh).values() for e in q.values())


def test_a_cell_without_per_row_results_is_marked_unverified(tmp_path):
    a = fake_run(tmp_path, "run-a", 3, 3, rows=False)
    md = build_leaderboard([a], tmp_path / "lb.md").read_text()
    assert "no results.jsonl" in _cells(tmp_path)["eval"]["run-a"]["unverified"] and UNVERIFIED in md


def test_an_external_letter_flipped_to_right_is_not_ranked(tmp_path):
    """External benchmark cells were ranked on their results.jsonl as recorded: a wrong letter edited into the right
    one (logits too), with the counts to match, ranked as a hit. They are re-judged from the benchmark file now."""
    run = RunDir(build_chain(tmp_path))
    build_leaderboard([run.root], tmp_path / "honest.md")
    honest = json.loads((tmp_path / "honest.json").read_text())["board"]["quantities"]["external:arc_easy"]["run"]
    assert honest["unverified"] is None and honest["problem"] is None
    folder = run.external_dir("arc_easy")
    rows = [json.loads(x) for x in (folder / "results.jsonl").read_text().splitlines()]
    rows[50].update(passed=True, failures=[])  # its letter is still B, the logits' choice
    (folder / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    edit_json(folder / "eval_report.json", lambda r: r["external"]["correct"].update(letter_acc=32))
    md = build_leaderboard([run.root], tmp_path / "lb.md").read_text()
    assert "external:arc_easy" not in _cells(tmp_path) and "recorded as passing with letter 'B'" in md
    (run.external_data_dir / "arc_easy.jsonl").unlink()
    md = build_leaderboard([run.root], tmp_path / "lb.md", force=True).read_text()
    assert "benchmark file" in _cells(tmp_path)["external:arc_easy"]["run"]["unverified"] and "is gone" in md


def _copied_from(tmp_path):
    """Run `a` (real chain, gate run) and `b`: a's folder copied whole, then b's own SFT weights written over the copy,
    so every evidence file (gates/release.json included) is a's, byte for byte, and only the weights are b's."""
    a = RunDir(build_chain(tmp_path / "a"))
    run_release_gate(a.root, "skill_release")
    b = RunDir(tmp_path / "b" / "run-b")
    shutil.copytree(a.root, b.root)
    fake_weights(b.released_checkpoint, seed=3)
    return a, b


def test_a_release_verdict_copied_from_another_run_is_not_about_this_runs_model(tmp_path):
    """The copied verdict names a's checkpoint, which still hashes as judged, so it read current and the leaderboard
    ranked b as a's model. A run folder is relocatable (gates/recorded_paths.py): the copied verdict's checkpoint is
    b's own sft/checkpoint, whose weights are not the ones judged, so the verdict is stale naming them, and b's model
    is the hash of b's own weights."""
    a, b = _copied_from(tmp_path)
    assert verify_release(a)["state"] == "current"
    v = verify_release(b)
    assert v["state"] == "stale" and "released weights (sft/checkpoint) changed" in v["sentence"], v["sentence"]
    assert may_publish(v)[0] is False
    build_leaderboard([b.root], tmp_path / "lb.md")
    row = json.loads((tmp_path / "lb.json").read_text())["runs"][0]
    assert row["model_weights_sha256"] == weights_sha256(b.released_checkpoint) and row["gate_state"] == "stale"
    assert "eval" not in _cells(tmp_path)  # its evidence scored a's weights
    md = (tmp_path / "lb.md").read_text()
    assert "run-b's eval cannot be ranked: about another model" in md


def test_a_verdict_on_a_copy_of_the_same_tensors_outside_the_run_still_stands(tmp_path):
    """The neighbour: `gate release --checkpoint` on a copy of this run's released tensors outside the folder (another
    file hash) is about this run's model, and stays current."""
    from safetensors.torch import load_file, save_file

    run = RunDir(build_chain(tmp_path))
    copy = tmp_path / "copy"
    copy.mkdir()
    save_file(load_file(str(run.released_checkpoint / "model.safetensors")), str(copy / "model.safetensors"), metadata={"note": "copy"})
    assert weights_sha256(copy) != weights_sha256(run.released_checkpoint)
    run_release_gate(run.root, "skill_release", checkpoint=copy)
    assert verify_release(run)["state"] == "current"


def test_the_board_hashes_the_weights_present_not_the_recorded_hash(tmp_path):
    """A release.json whose recorded weights hash was edited to another model's (the weights in the folder untouched)
    ranked the run as that model; where the weights are present the board hashes them."""
    a = fake_run(tmp_path, "run-a", 6, 10, gate="approved")
    ckpt = fake_weights(RunDir(a).released_checkpoint, seed=4)
    edit_json(a / "gates" / "release.json", lambda r: r.update(checkpoint={"path": str(ckpt), "weights_sha256": "9" * 64}))
    build_leaderboard([a], tmp_path / "lb.md")
    row = json.loads((tmp_path / "lb.json").read_text())["runs"][0]
    assert row["model_weights_sha256"] == weights_sha256(ckpt) and row["gate_state"] == "stale"


def test_a_report_that_records_no_weights_is_not_ranked_as_the_runs_model(tmp_path):
    """The run holds weights (its model is known) but its chat eval records none: it was ranked as that model."""
    a = fake_run(tmp_path, "run-a", 9, 10)
    b = fake_run(tmp_path, "run-b", 5, 10)
    fake_weights(RunDir(a).released_checkpoint, seed=1)
    fake_weights(RunDir(b).released_checkpoint, seed=2)
    _edit_model(b, weights_sha256(RunDir(b).released_checkpoint))
    md = build_leaderboard([a, b], tmp_path / "lb.md").read_text()
    assert set(_cells(tmp_path)["eval"]) == {"run-b"}
    assert "run-a's eval cannot be ranked: its report records no weights_sha256" in md
    _edit_model(a, weights_sha256(RunDir(a).released_checkpoint))  # the neighbour: tied to its weights, it ranks
    build_leaderboard([a, b], tmp_path / "lb.md", force=True)
    assert set(_cells(tmp_path)["eval"]) == {"run-a", "run-b"}


def _edit_model(run, sha):
    edit_json(run / "eval" / "eval_report.json", lambda r: r.update(model={"path": "ckpt", "weights_sha256": sha}))


def test_a_report_that_names_no_eval_file_is_marked_unverified_in_words(tmp_path):
    a = fake_run(tmp_path, "run-a", 3, 4)
    edit_json(a / "eval" / "eval_report.json", lambda r: r["config"].pop("input"))
    build_leaderboard([a], tmp_path / "lb.md")
    assert _cells(tmp_path)["eval"]["run-a"]["unverified"].startswith("its report records no eval file path")


@pytest.mark.parametrize("linked", ["eval_report.json", "results.jsonl", "eval"])
def test_evidence_linked_in_from_another_run_is_not_ranked(tmp_path, linked):
    """A run whose chat eval (report, rows or the whole eval/ folder) is a link to another run's was ranked on that
    run's numbers; it is not this run's record, as the gate's evidence_inside_run check rules."""
    other = fake_run(tmp_path / "elsewhere", "run-x", 2, 10)  # the same numbers: only the link is wrong
    a = fake_run(tmp_path, "run-a", 2, 10)
    target, link = (other / "eval", a / "eval") if linked == "eval" else (other / "eval" / linked, a / "eval" / linked)
    shutil.rmtree(link) if link.is_dir() else link.unlink()
    link.symlink_to(target, target_is_directory=target.is_dir())
    md = build_leaderboard([a], tmp_path / "lb.md").read_text()
    assert "eval" not in _cells(tmp_path) and "run-a's eval cannot be ranked: eval/" in md and "outside the run folder" in md


@pytest.mark.parametrize("dated, ranked", [("2020-01-01T00:00:00+00:00", False), ("2031-01-01T00:00:00+00:00", True)])
def test_a_report_dated_before_the_training_that_wrote_the_weights_is_not_ranked(tmp_path, dated, ranked):
    """A chat eval written before sft/train_report.json wrote the run's weights (its weights hash edited in) ranked as
    a score of them; written after, it ranks."""
    a = fake_run(tmp_path, "run-a", 7, 10)
    ckpt = fake_weights(RunDir(a).released_checkpoint, seed=1)
    (a / "sft" / "train_report.json").write_text(json.dumps({"stage": "sft", "provenance": {"created_at": "2030-01-01T00:00:00+00:00"},
                                                             "outputs": {"checkpoint_weights_sha256": weights_sha256(ckpt)}}))
    edit_json(a / "eval" / "eval_report.json", lambda r: r.update(model={"path": str(ckpt), "weights_sha256": weights_sha256(ckpt)},
                                                                   provenance={"created_at": dated}))
    md = build_leaderboard([a], tmp_path / "lb.md").read_text()
    assert ("eval" in _cells(tmp_path)) is ranked
    assert ("before sft/train_report.json wrote the run's weights at 2030-01-01T00:00:00+00:00" in md) is not ranked


def test_an_undated_report_beside_a_dated_training_report_is_marked_unverified(tmp_path):
    """The gate blocks an eval report with no date in a run whose training is dated; the board ranked it with no word.
    It now carries the unverified mark and the reason; a dated one after the training carries none."""
    a = fake_run(tmp_path, "run-a", 7, 10)
    ckpt = fake_weights(RunDir(a).released_checkpoint, seed=1)
    (a / "sft" / "train_report.json").write_text(json.dumps({"stage": "sft", "provenance": {"created_at": "2030-01-01T00:00:00+00:00"},
                                                             "outputs": {"checkpoint_weights_sha256": weights_sha256(ckpt)}}))
    model = {"path": str(ckpt), "weights_sha256": weights_sha256(ckpt)}
    edit_json(a / "eval" / "eval_report.json", lambda r: r.update(model=model))
    md = build_leaderboard([a], tmp_path / "lb.md").read_text()
    why = _cells(tmp_path)["eval"]["run-a"]["unverified"]
    assert why.startswith("its report records no date, so nothing shows it was written after sft/train_report.json")
    assert UNVERIFIED in md and "records no date" in md
    edit_json(a / "eval" / "eval_report.json", lambda r: r.update(provenance={"created_at": "2031-01-01T00:00:00+00:00"}))
    build_leaderboard([a], tmp_path / "lb.md", force=True)
    assert "records no date" not in str(_cells(tmp_path)["eval"]["run-a"]["unverified"])


def test_an_unverified_count_is_shown_but_never_ranked_tested_or_starred(tmp_path):
    """Unverified cells took ★, '≈' and 'worse' marks and a place in the Holm correction, with only a trailing mark to
    say the count was the report's word. They are now shown with the mark and nothing that reads as a ranking result;
    the verified cells are ranked among themselves."""
    from picochat_hf.eval.leaderboard import board, collect_run
    from picochat_hf.eval.leaderboard_render import render

    runs = [collect_run(fake_run(tmp_path, name, k, 10)) for name, k in (("a", 5), ("b", 4), ("c", 9), ("d", 1))]
    for run in runs[:2]:
        for cell in run["cells"].values():
            cell["unverified"] = None  # as if its rows had been re-judged
    data = board(runs)
    cells = data["quantities"]["eval"]
    assert data["tests"] == 2  # a against b, on eval and on its math skill: c and d take part in no test
    assert [cells[n]["ranked"] for n in "abcd"] == [True, True, False, False]
    assert [cells[n]["best"] for n in "abcd"] == [True, False, False, False]
    assert all("p" not in cells[n] and "test" not in cells[n] and not cells[n]["worse"] for n in "cd")
    assert (cells["c"]["above_best"], cells["d"]["above_best"]) == (True, False)
    md = render(runs, data)
    line = next(ln for ln in md.splitlines() if ln.startswith("| chat eval |")).split(" | ")
    assert "★" in line[1] and "≈ (McNemar exact" in line[2]
    assert line[3] == f"90.0% (9/10) [60, 98] above ★, not ranked first (unverified) {UNVERIFIED}"
    assert line[4].rstrip(" |") == f"10.0% (1/10) [2, 40] {UNVERIFIED}"
    assert "## Unverified (⚠ unverified: not ranked" in md and "- c's eval, skill:math: its eval file" in md
    alone = board([collect_run(fake_run(tmp_path / "x", "e", 9, 10)), collect_run(fake_run(tmp_path / "x", "f", 2, 10))])
    assert alone["tests"] == 0 and not any(e["best"] or e.get("worse") for e in alone["quantities"]["eval"].values())


def test_lm_eval_results_linked_in_from_another_run_are_left_off(tmp_path):
    """A run's lm_eval/lm_eval_results.json that is a link to another run's file (which can change under this one) was
    shown as this run's scores; the chat eval's links were already refused. Left off now, with the reason."""
    from test_leaderboard import _lm

    other, a = fake_run(tmp_path / "elsewhere", "run-x", 2, 10), fake_run(tmp_path, "run-a", 2, 10)
    _lm(other, 0.9, 30)
    _lm(a, 0.3, 30)
    md = build_leaderboard([a], tmp_path / "honest.md").read_text()
    assert "0.300" in next(ln for ln in md.splitlines() if ln.startswith("| arc | acc |"))
    (a / "lm_eval" / "lm_eval_results.json").unlink()
    (a / "lm_eval" / "lm_eval_results.json").symlink_to(other / "lm_eval" / "lm_eval_results.json")
    md = build_leaderboard([a], tmp_path / "lb.md").read_text()
    assert "0.900" not in md and "| arc | acc |" not in md
    assert "run-a's lm-eval results (run-x): lm_eval/lm_eval_results.json is a link to" in md and "outside the run folder" in md
