"""Push re-checks what an exported folder can show about itself when its run directory is gone: the manifest's
gate block against the card it shipped with (header, tag, and the release table's checks rolled up), the block's
own fields against each other, and the weights against the manifest's hash. A copied folder whose manifest is
edited to claim approval is refused; an honest copy still pushes. With the run directory reachable, the
manifest's gate must be the run's re-checked verdict."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from gate_fixtures import GOOD_SKILLS, build_chain, edit_json
from helpers_model import save_released_checkpoint
from picochat_hf.export import export_hf
from picochat_hf.export import hub as hub_module
from picochat_hf.gates import run_release_gate
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.io import sha256_file


# 40 eval rows a skill (the gate judges a skill from 20): every GOOD_SKILLS rate, and math's 0.1, is a whole count of them
ROWS_PER_SKILL = 40


def _export(tmp_path, tok, skills=None, allow_blocked=False):
    ckpt = save_released_checkpoint(tmp_path / "run" / "sft" / "checkpoint", tok)
    run = build_chain(tmp_path, skills, n=ROWS_PER_SKILL, checkpoint=ckpt)
    run_release_gate(run, "skill_release")
    out = export_hf(ckpt, tmp_path / "export", model_name="m", allow_blocked=allow_blocked, verify=False)
    return run, out


def _copied(tmp_path, out, run):
    """The folder copied elsewhere and its run directory gone."""
    copy = tmp_path / "copied"
    shutil.copytree(out, copy)
    shutil.rmtree(run)
    return copy


@pytest.fixture(scope="module")
def copied_exports(tmp_path_factory, tiny_tokenizer):
    """The warn export and the blocked (overridden) export of a gated run, each copied elsewhere with its run
    directory gone, built once; a test edits its own copy (`_own_copy`)."""
    out = {}
    for name, skills in (("warn", None), ("blocked", {**GOOD_SKILLS, "math": 0.1})):
        root = tmp_path_factory.mktemp(name)
        run, folder = _export(root, tiny_tokenizer, skills, allow_blocked=skills is not None)
        out[name] = _copied(root, folder, run)
    return out


def _own_copy(tmp_path, copied_exports, name):
    """This test's copy of a module-built copied export (its run directory is gone as in `_copied`)."""
    return shutil.copytree(copied_exports[name], tmp_path / "copied")


def _resign(folder):
    """Rewrite the manifest's file table to the folder as it is now (a forger who edits the card too)."""
    manifest = json.loads((folder / "release_manifest.json").read_text())
    for f in manifest["files"]:
        f["sha256"] = sha256_file(folder / f["path"])
    (folder / "release_manifest.json").write_text(json.dumps(manifest))


def test_an_honest_copy_without_its_run_directory_still_pushes(tmp_path, copied_exports):
    copy = _own_copy(tmp_path, copied_exports, "warn")
    assert hub_module.publishable(copy) == (True, "")


def test_manifest_edited_to_approved_is_refused_without_the_run(tmp_path, copied_exports):
    copy = _own_copy(tmp_path, copied_exports, "warn")
    edit_json(copy / "release_manifest.json", lambda m: m["gate"].update(status="approved"))
    ok, why = hub_module.publishable(copy)
    assert not ok and "release_manifest.json says the release gate is approved, but README.md says warn" in why
    with pytest.raises(PicochatInputError, match="says the release gate is approved, but README.md says warn"):
        hub_module.push_to_hub(copy, "me/m")


def test_blocked_export_edited_to_approved_is_refused_without_the_run(tmp_path, copied_exports):
    copy = _own_copy(tmp_path, copied_exports, "blocked")
    assert not hub_module.publishable(copy)[0]
    edit_json(copy / "release_manifest.json", lambda m: m["gate"].update(status="approved", blocking=[], exported_despite_block=False))
    ok, why = hub_module.publishable(copy)
    assert not ok and "README.md says blocked" in why


def test_card_header_and_tag_edited_too_are_refused_by_the_release_table(tmp_path, copied_exports):
    copy = _own_copy(tmp_path, copied_exports, "blocked")
    card = (copy / "README.md").read_text()
    card = card.replace("release-gate-blocked", "release-gate-approved")
    card = re.sub(r"> \*\*Release gate: BLOCKED\.\*\*.*?\n\n", "**Release gate: approved** (profile `skill_release`). Fine.\n\n", card, flags=re.S)
    (copy / "README.md").write_text(card)
    _resign(copy)
    edit_json(copy / "release_manifest.json", lambda m: m["gate"].update(status="approved", blocking=[], exported_despite_block=False))
    ok, why = hub_module.publishable(copy)
    assert not ok and "README.md's release checks roll up to blocked" in why


def test_weights_hash_in_the_manifest_must_be_the_folders(tmp_path, copied_exports):
    copy = _own_copy(tmp_path, copied_exports, "warn")
    edit_json(copy / "release_manifest.json", lambda m: m.update(weights_sha256="ab" * 32))
    ok, why = hub_module.publishable(copy)
    assert not ok and "weights" in why


def test_manifest_gate_must_be_the_runs_verdict_when_the_run_is_there(tmp_path, tiny_tokenizer):
    run, out = _export(tmp_path, tiny_tokenizer)
    assert hub_module.publishable(out) == (True, "")
    honest = (out / "release_manifest.json").read_text()
    edit_json(out / "release_manifest.json", lambda m: m["gate"].update(status="approved"))
    ok, why = hub_module.publishable(out)
    assert not ok and "approved" in why and "warn" in why
    # card header and manifest naming another profile (status untouched, files re-signed): with the run there its
    # verdict ran under skill_release; without it the card's header and the manifest must agree
    (out / "release_manifest.json").write_text(honest)
    assert "(profile `skill_release`)" in (out / "README.md").read_text()
    edit_json(out / "release_manifest.json", lambda m: m["gate"].update(profile="first_release"))
    ok, why = hub_module.publishable(out)
    assert not ok and "release_manifest.json says profile first_release, but README.md names profile skill_release" in why
    card = out / "README.md"
    card.write_text(card.read_text().replace("(profile `skill_release`)", "(profile `first_release`)", 1))
    _resign(out)
    ok, why = hub_module.publishable(out)
    assert not ok and "ran under profile skill_release" in why
    copy = _copied(tmp_path, out, run)
    edit_json(copy / "release_manifest.json", lambda m: m["gate"].update(profile="skill_release"))
    ok, why = hub_module.publishable(copy)
    assert not ok and "release_manifest.json says profile skill_release, but README.md names profile first_release" in why


def test_a_card_rewritten_to_approved_throughout_still_needs_a_recorded_rerun(tmp_path, copied_exports):
    """Header, tag, the release table's one warning and the manifest all rewritten to approved: the table names no
    re-run of the model's replies, and approved means they were re-run."""
    copy = _own_copy(tmp_path, copied_exports, "warn")
    card = (copy / "README.md").read_text().replace("release-gate-warn", "release-gate-approved")
    card = card.replace("**Release gate: warn**", "**Release gate: approved**").replace("| replies_rerun | warn |", "| replies_rerun | pass |")
    (copy / "README.md").write_text(card)
    _resign(copy)
    edit_json(copy / "release_manifest.json", lambda m: m["gate"].update(status="approved"))
    ok, why = hub_module.publishable(copy)
    assert not ok and "README.md says approved, but its release checks record no re-run of the model's replies" in why


def test_an_export_without_any_gate_pushes_and_cannot_be_edited_to_approved(tmp_path, tiny_tokenizer):
    ckpt = save_released_checkpoint(tmp_path / "loose", tiny_tokenizer)
    out = export_hf(ckpt, tmp_path / "export", model_name="m", verify=False)
    assert hub_module.publishable(out) == (True, "")
    edit_json(out / "release_manifest.json", lambda m: m["gate"].update(status="approved", state="current", profile="skill_release"))
    ok, why = hub_module.publishable(out)
    assert not ok and "says the release gate is approved, but README.md says not_run" in why

