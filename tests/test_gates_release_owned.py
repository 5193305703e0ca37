"""The run owns the release it ships: a released checkpoint or tokenizer reached through a symlink, or shared as a
hard link, with another run's identical files hashes as the release and passed every content check (a warn verdict,
capped only by `replies_rerun`); it now blocks, naming the link. Links inside the run directory stay the run's own."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from gate_fixtures import TOKENIZER_FILES, all_pass_but_rerun, build_chain, build_chain_with_tokenizer, check_named
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.release_owned import HARD_LINK_ADVICE
from picochat_hf.run_dir import RunDir


def _with_tokenizer(root: Path) -> RunDir:
    return RunDir(build_chain_with_tokenizer(root))


def _gate(run: RunDir) -> tuple[dict, dict]:
    result = run_release_gate(run, "skill_release", write=False)
    return result, check_named(result, "release_owned")


def test_released_checkpoint_linked_to_another_runs_identical_checkpoint_blocks(tmp_path):
    run, other = RunDir(build_chain(tmp_path / "a")), RunDir(build_chain(tmp_path / "b"))
    shutil.rmtree(run.released_checkpoint)
    run.released_checkpoint.symlink_to(other.released_checkpoint, target_is_directory=True)
    result, c = _gate(run)
    assert c["status"] == "block" and result["status"] == "blocked"
    target = other.released_checkpoint.resolve()
    assert c["why"] == (f"sft/checkpoint/config.json is a link to {target / 'config.json'}, outside the run directory (1 more): the "
                        "run does not own the release it ships (another run's files can change under it); copy the files into the run "
                        "directory.")
    assert check_named(result, "sft_checkpoint_origin")["status"] == "pass"  # the same bytes: only ownership tells them apart


def test_weight_file_symlinked_to_another_runs_file_blocks_and_a_link_inside_the_run_passes(tmp_path):
    run, other = RunDir(build_chain(tmp_path / "a")), RunDir(build_chain(tmp_path / "b"))
    weights = run.released_checkpoint / "model.safetensors"
    weights.unlink()
    weights.symlink_to(other.released_checkpoint / "model.safetensors")
    result, c = _gate(run)
    assert c["status"] == "block" and c["why"].startswith("sft/checkpoint/model.safetensors is a link to ")
    # the neighbour: the same file kept elsewhere in this run and linked to
    kept = run.root / "weights_store" / "model.safetensors"
    kept.parent.mkdir()
    shutil.copyfile(other.released_checkpoint / "model.safetensors", kept)
    weights.unlink()
    weights.symlink_to(kept)
    result, c = _gate(run)
    assert c["status"] == "pass" and all_pass_but_rerun(result)


def test_weight_file_hard_linked_with_another_runs_file_blocks_and_one_inside_the_run_passes(tmp_path):
    run, other = RunDir(build_chain(tmp_path / "a")), RunDir(build_chain(tmp_path / "b"))
    weights = run.released_checkpoint / "model.safetensors"
    weights.unlink()
    os.link(other.released_checkpoint / "model.safetensors", weights)
    result, c = _gate(run)
    assert c["status"] == "block" and result["status"] == "blocked"
    assert c["why"].startswith("sft/checkpoint/model.safetensors is a hard link: 1 of its 2 names lie outside the run directory")
    # the neighbour: the run's own file, with a second name inside the run (an in-run copy made by linking)
    weights.unlink()
    shutil.copyfile(other.released_checkpoint / "model.safetensors", weights)
    os.link(weights, run.root / "model_backup.safetensors")
    result, c = _gate(run)
    assert c["status"] == "pass" and all_pass_but_rerun(result)


def test_shipped_tokenizer_linked_to_another_runs_tokenizer_blocks(tmp_path):
    run, other = _with_tokenizer(tmp_path / "a"), _with_tokenizer(tmp_path / "b")
    result, c = _gate(run)
    assert c["status"] == "pass" and all_pass_but_rerun(result) and result["checkpoint"]["tokenizer_sha256"]
    tok = run.released_checkpoint / "tokenizer.json"
    tok.unlink()
    tok.symlink_to(other.released_checkpoint / "tokenizer.json")
    result, c = _gate(run)
    assert c["status"] == "block" and c["why"].startswith("sft/checkpoint/tokenizer.json is a link to ")
    assert check_named(result, "eval_model")["status"] == "pass"  # the same identity: only ownership tells them apart
    # the neighbour: linked to the run's own tokenizer/ folder
    run.tokenizer_dir.mkdir()
    (run.tokenizer_dir / "tokenizer.json").write_text(TOKENIZER_FILES["tokenizer.json"])
    tok.unlink()
    tok.symlink_to(Path("..") / ".." / "tokenizer" / "tokenizer.json")
    result, c = _gate(run)
    assert c["status"] == "pass" and all_pass_but_rerun(result)


def test_run_tokenizer_folder_linked_to_another_runs_blocks(tmp_path):
    """A checkpoint without its own tokenizer ships the run's tokenizer/: that folder linked out is not the run's."""
    run, other = RunDir(build_chain(tmp_path / "a")), RunDir(build_chain(tmp_path / "b"))
    other.tokenizer_dir.mkdir()
    (other.tokenizer_dir / "tokenizer.json").write_text(TOKENIZER_FILES["tokenizer.json"])
    run.tokenizer_dir.symlink_to(other.tokenizer_dir, target_is_directory=True)
    _, c = _gate(run)
    assert c["status"] == "block" and c["why"].startswith("tokenizer/tokenizer.json is a link to ")


def test_a_run_directory_reached_through_a_symlink_owns_its_release(tmp_path):
    run = RunDir(build_chain(tmp_path / "a"))
    alias = tmp_path / "latest"
    alias.symlink_to(run.root, target_is_directory=True)
    result, c = _gate(RunDir(alias))
    assert c["status"] == "pass" and all_pass_but_rerun(result)


def test_evidence_hard_linked_with_another_runs_files_blocks_and_a_second_name_inside_the_run_passes(tmp_path):
    """eval/'s files as hard links to another run's identical eval (every content check passes, and no symlink shows
    it) are that run's record: a rewrite there rewrites this run's evidence."""
    run, other = RunDir(build_chain(tmp_path / "a")), RunDir(build_chain(tmp_path / "b"))
    for name in ("eval_report.json", "results.jsonl"):
        (run.eval_dir("eval") / name).unlink()
        os.link(other.eval_dir("eval") / name, run.eval_dir("eval") / name)
    result = run_release_gate(run, "skill_release", write=False)
    c = check_named(result, "evidence_inside_run")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert c["why"] == ("eval/eval_report.json is a hard link: 1 of its 2 names lie outside the run directory (1 more): evidence "
                        f"must be the run's own files; {HARD_LINK_ADVICE}.")
    assert check_named(result, "verdicts:eval/eval_report.json")["status"] == "pass"
    # the neighbour: the run's own files, each with a second name inside the run
    for name in ("eval_report.json", "results.jsonl"):
        own = run.eval_dir("eval") / name
        data = own.read_bytes()
        own.unlink()
        own.write_bytes(data)
        os.link(own, run.root / f"kept_{name}")
    result = run_release_gate(run, "skill_release", write=False)
    assert check_named(result, "evidence_inside_run")["status"] == "pass" and all_pass_but_rerun(result)


def test_a_run_snapshot_made_with_cp_al_blocks_saying_to_copy_with_cp_a_and_a_cp_a_copy_passes(tmp_path):
    """`cp -al` makes every file of the snapshot a second name of the original's: a hard link cannot tell the original
    from the copy, and a write through either name rewrites both, so both runs block (the original too). Before, the
    sentence said only "copy the files into the run directory"; it now says to copy with cp -a. A `cp -a` copy owns
    its files and passes."""
    original = RunDir(build_chain(tmp_path / "a"))
    snapshot = RunDir(tmp_path / "snapshot")
    subprocess.run(["cp", "-al", str(original.root), str(snapshot.root)], check=True)
    result, c = _gate(snapshot)
    assert c["status"] == "block" and result["status"] == "blocked"
    assert c["why"].startswith("sft/checkpoint/config.json is a hard link: 1 of its 2 names lie outside the run directory (")
    assert c["why"].endswith(f"the run does not own the release it ships (another run's files can change under it); copy the files "
                             f"into the run directory; {HARD_LINK_ADVICE}.")
    assert "cp -a instead" in check_named(result, "evidence_inside_run")["why"]
    copy = RunDir(tmp_path / "copy")
    subprocess.run(["cp", "-a", str(original.root), str(copy.root)], check=True)
    result, c = _gate(copy)
    assert c["status"] == "pass" and check_named(result, "evidence_inside_run")["status"] == "pass"
