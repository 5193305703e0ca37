"""gates/preflight.json is the preflight the run trained with: one re-run under another profile (its status
the same) is another verdict. Release profiles block naming the file, the field and both profiles (also when the
release profile accepts both), the lenient research profile warns, and `bundle --check` agrees: a verdict forged
to pass over it fails, naming the check. The same preflight under the profile the run recorded passes."""

from __future__ import annotations

import json

import pytest

from gate_fixtures import build_chain, check_named, edit_json
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir


def _rerun_under(run: RunDir, profile: str) -> None:
    edit_json(run.preflight, lambda p: p.update(profile=profile))


@pytest.mark.parametrize("gate_profile,severity", [("first_release", "block"), ("research", "warn")])
def test_a_preflight_rerun_under_another_profile_is_not_the_runs(tmp_path, gate_profile, severity):
    run = RunDir(build_chain(tmp_path, profile="skill_release"))
    _rerun_under(run, "first_release")  # first_release accepts both profiles: only the record can tell
    result = run_release_gate(run.root, gate_profile)
    c = check_named(result, "preflight_record")
    assert c["status"] == severity, c["why"]
    assert "gates/preflight.json ran under profile first_release" in c["why"]
    assert "sft/train_report.json recorded its preflight under profile skill_release (preflight.profile)" in c["why"]
    if severity == "block":
        assert result["status"] == "blocked"


def test_the_preflight_under_the_recorded_profile_passes(tmp_path):
    run = RunDir(build_chain(tmp_path, profile="first_release"))
    result = run_release_gate(run.root, "first_release")
    c = check_named(result, "preflight_record")
    assert c["status"] == "pass", c["why"]


def test_a_verdict_forged_over_a_rerun_preflight_fails_the_bundle_check(tmp_path):
    root = build_chain(tmp_path, profile="skill_release")
    (root / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "num_parameters": 1000}))
    run = RunDir(root)
    run_release_gate(run.root, "first_release")
    _rerun_under(run, "first_release")
    gate = run_release_gate(run.root, "first_release", write=False)
    assert check_named(gate, "preflight_record")["status"] == "block"

    import hashlib

    def forge(v):  # the verdict's evidence hash made the doctored file's, its checks left as they were (passing)
        v["evidence"]["gates/preflight.json"] = hashlib.sha256(run.preflight.read_bytes()).hexdigest()

    edit_json(run.release, forge)
    res = check_bundle(make_bundle(run.root, tmp_path / "forged.tar.gz"))
    assert not res["ok"]
    assert any(p.startswith("gates/release.json records preflight_record as pass") and "gives block" in p
               and "gates/preflight.json ran under profile first_release" in p for p in res["problems"]), res["problems"]
