"""Run folders that are copied or moved (`cp -r runs/a runs/b`, `mv runs/a /data/a`) verify exactly as the original:
the verdict records the released checkpoint relative to the run root, and an older verdict's absolute path inside
the run root it recorded (`run_dir`) names the same place in the copy. A copy whose weights or evidence were changed
is still stale and names the file; a checkpoint outside the run (a foreign model, or the original run's checkpoint
named with --checkpoint) is still judged as outside: its files are read where they are, never mapped into the copy."""

from __future__ import annotations

import json
import shutil

from gate_fixtures import build_chain, edit_json, fake_weights, gated_chain
from picochat_hf.cli import main as cli_main
from picochat_hf.eval.leaderboard import collect_run
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.verify import verify_release
from picochat_hf.run_dir import RunDir


def _release(run):
    return json.loads((run / "gates" / "release.json").read_text())


def test_verdict_records_the_checkpoint_inside_the_run_relative_to_it(tmp_path):
    assert _release(gated_chain(tmp_path))["checkpoint"]["path"] == "sft/checkpoint"


def test_a_copy_verifies_as_the_original(tmp_path):
    run = gated_chain(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    original, copied = verify_release(run), verify_release(copy)
    assert original["state"] == copied["state"] == "current", copied["sentence"]
    assert copied["sentence"] == original["sentence"] and copied["status"] == original["status"]
    assert collect_run(copy)["gate_state"] == "current"  # the leaderboard does not mark the copy stale


def test_a_moved_run_verifies_as_before(tmp_path):
    run = gated_chain(tmp_path)
    moved = shutil.move(str(run), str(tmp_path / "elsewhere" / "run"))
    assert verify_release(moved)["state"] == "current", verify_release(moved)["sentence"]


def test_a_copy_with_other_weights_is_stale_and_names_them(tmp_path):
    run = gated_chain(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    fake_weights(copy / "sft" / "checkpoint", seed=1)
    got = verify_release(copy)
    assert got["state"] == "stale" and "the released weights (sft/checkpoint)" in got["changed"]
    assert verify_release(run)["state"] == "current"  # the original is untouched


def test_a_copy_with_other_eval_results_is_stale_and_names_them(tmp_path):
    run = gated_chain(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    results = copy / "eval" / "results.jsonl"
    results.write_text(results.read_text().replace('"passed": false', '"passed": true', 1))
    got = verify_release(copy)
    assert got["state"] == "stale" and "eval/results.jsonl" in got["changed"] and "eval/results.jsonl" in got["sentence"]
    assert verify_release(run)["state"] == "current"


def test_a_copy_with_other_eval_rows_is_stale_though_the_original_still_holds_them(tmp_path):
    # the reports record the absolute path of the rows they scored, under the original run: the copy's re-run reads
    # the copy's own rows, so changed data there is not vouched for by the original's unchanged file
    run = gated_chain(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    rows = RunDir(copy).task_pack_dir / "eval.jsonl"
    rows.write_text(rows.read_text().replace('"q ', '"Q ', 1))
    got = verify_release(copy)
    assert got["state"] == "stale" and "eval/eval_report.json" in got["sentence"]
    moved = shutil.move(str(copy), str(tmp_path / "moved"))  # and a moved one, whose original rows are gone
    assert verify_release(moved)["state"] == "stale"


def _as_older_verdict(run):
    """gates/release.json as picochat_hf wrote it before relative paths: the checkpoint named by its absolute path."""
    edit_json(run / "gates" / "release.json", lambda r: r["checkpoint"].update(path=str((run / "sft" / "checkpoint").resolve())))


def test_an_older_verdict_with_absolute_paths_resolves_inside_the_copy(tmp_path):
    run = gated_chain(tmp_path)
    _as_older_verdict(run)
    assert verify_release(run)["state"] == "current"
    moved = shutil.move(str(run), str(tmp_path / "moved"))  # the recorded absolute path no longer exists
    assert verify_release(moved)["state"] == "current", verify_release(moved)["sentence"]


def test_an_older_verdict_never_passes_on_the_original_runs_files(tmp_path):
    # the copy's weights changed, the original's did not: the old absolute path names the copy's own checkpoint,
    # so the original's unchanged weights cannot stand in for them
    run = gated_chain(tmp_path)
    _as_older_verdict(run)
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    fake_weights(copy / "sft" / "checkpoint", seed=1)
    got = verify_release(copy)
    assert got["state"] == "stale" and "the released weights (sft/checkpoint)" in got["changed"]


def test_a_copy_gated_on_the_original_runs_checkpoint_judges_it_as_outside(tmp_path):
    # `gate release --checkpoint ORIGINAL/sft/checkpoint` on a copy: that folder is another run's, so it is recorded
    # absolute and read where it is; when the original's weights change, the copy's verdict goes stale
    run = gated_chain(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    elsewhere = run / "sft" / "checkpoint"
    result = run_release_gate(copy, "skill_release", checkpoint=elsewhere)
    assert result["checkpoint"]["path"] == str(elsewhere.resolve())
    assert str(elsewhere.resolve()) in next(c for c in result["checks"] if c["name"] == "released_checkpoint")["why"]
    assert verify_release(copy)["state"] == "current"
    fake_weights(elsewhere, seed=1)
    got = verify_release(copy)
    assert got["state"] == "stale" and any(str(elsewhere.resolve()) in c for c in got["changed"])


def test_a_foreign_checkpoint_stays_foreign_in_an_older_verdict(tmp_path):
    # an absolute path outside the run root the verdict recorded is not mapped into the run
    run = gated_chain(tmp_path)
    foreign = fake_weights(tmp_path / "foreign" / "checkpoint", seed=2)
    edit_json(run / "gates" / "release.json", lambda r: r["checkpoint"].update(path=str(foreign)))
    got = verify_release(run)
    assert got["state"] == "stale" and str(foreign) in got["sentence"]


def test_bundle_check_on_a_copy(tmp_path):
    run = gated_chain(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    out = tmp_path / "copy.tar.gz"
    assert cli_main(["bundle", "--run-dir", str(copy), "--out", str(out)]) == 0
    got = check_bundle(out)
    assert got["ok"], got["problems"]
    assert cli_main(["bundle", "--check", str(out)]) == 0
    assert check_bundle(make_bundle(run, tmp_path / "orig.tar.gz"))["ok"]


def test_export_hf_on_a_copy_of_a_gated_run(tmp_path, tiny_tokenizer, capsys):
    # the fixture's best verdict is warn (its replies were never re-run), which exports as approved does
    from helpers_model import save_released_checkpoint

    tok = tiny_tokenizer
    ckpt = save_released_checkpoint(tmp_path / "run" / "sft" / "checkpoint", tok)
    run = build_chain(tmp_path, checkpoint=ckpt)
    run_release_gate(run, "skill_release")
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    out = tmp_path / "export"
    assert cli_main(["export", "hf", "--checkpoint", str(copy / "sft" / "checkpoint"), "--out-dir", str(out), "--model-name", "m"]) == 0
    manifest = json.loads((out / "release_manifest.json").read_text())
    assert manifest["gate"]["state"] == "current" and manifest["run_dir"] == str(copy.resolve())
    fake_weights(copy / "sft" / "checkpoint", seed=1)  # a copy whose weights changed is refused, naming them
    assert cli_main(["export", "hf", "--checkpoint", str(copy / "sft" / "checkpoint"), "--out-dir", str(tmp_path / "e2"),
                     "--model-name", "m"]) == 2
    assert "sft/checkpoint" in capsys.readouterr().err
