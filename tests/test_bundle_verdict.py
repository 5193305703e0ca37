"""`bundle --check` re-derives the bundled verdict's checks that need only bundled files (the fits, the visible eval's
skills and rates, external benchmarks, training, preflight, honesty scan) under the profile the verdict names: a verdict whose
skill value or threshold was edited, its status still the roll-up of its checks, and its manifest entry re-hashed,
passed the check. The checks a bundle cannot re-derive (weights, scored rows files, the scan, re-runs) are named."""

from __future__ import annotations

import hashlib
import json

import pytest

from gate_fixtures import honest_bundle, build_chain, fake_weights
from picochat_hf.cli import main as cli_main
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate

from test_bundle_check import _rewrite_signed


@pytest.fixture
def bundle(tmp_path):
    return honest_bundle(tmp_path)


def _forge_verdict(src, dst, change):
    """Rewrite the bundled gates/release.json with `change(verdict)`, re-hash it in the manifest and re-sign the archive."""
    forged_release: dict = {}

    def forge(name, data):
        if name.endswith("/gates/release.json"):
            verdict = json.loads(data)
            change(verdict)
            forged_release["bytes"] = json.dumps(verdict).encode()
            return forged_release["bytes"]
        return data

    _rewrite_signed(src, dst, forge)
    digest = hashlib.sha256(forged_release["bytes"]).hexdigest()

    def manifest(name, data):
        if name.endswith("bundle_manifest.json"):
            m = json.loads(data)
            for f in m["files"]:
                if f["path"] == "gates/release.json":
                    f["sha256"] = digest
            return json.dumps(m).encode()
        return data

    final = dst.with_name("final_" + dst.name)
    _rewrite_signed(dst, final, manifest)
    return final


def _check(verdict: dict, name: str) -> dict:
    return next(c for c in verdict["checks"] if c["name"] == name)


def test_an_honest_bundle_rederives_its_verdict_and_names_what_it_cannot(bundle, capsys):
    res = check_bundle(bundle)
    assert res["ok"], res["problems"]
    [said] = res["unverified_checks"]
    assert said.startswith("release checks: ") and "re-derived from the bundled reports and the profile" in said
    assert "released_checkpoint" in said and "verdicts:sft_fit/eval_report.json" in said  # the SFT rows file is not bundled
    assert "verdicts:eval/eval_report.json" not in said and "eval_model" not in said  # eval_rows/ and the weights hashes
    assert not any(f" {name}," in said or said.endswith(f" {name}") for name in ("skill_math", "sft_fit", "honesty", "contamination",
                                                                                 "base_run", "preflight", "preflight_plan",
                                                                                 "external_benchmark"))
    assert cli_main(["bundle", "--check", str(bundle)]) == 0
    assert f"not verifiable from the bundle: {said}" in capsys.readouterr().out


def test_a_skill_value_raised_in_the_verdict_fails_the_check(bundle, tmp_path):
    def raise_math(v):
        c = _check(v, "skill_math")
        c.update(value=0.9, why=c["why"].replace("50%", "90%"))

    res = check_bundle(_forge_verdict(bundle, tmp_path / "f.tar.gz", raise_math))
    assert res["altered"] == [] and res["archive_sha256"] is True and not res["ok"]
    assert any(p.startswith("gates/release.json records skill_math as pass (value 0.9, threshold 0.3), but the bundled evidence "
                            "under profile skill_release gives pass (value 0.5, threshold 0.3)") for p in res["problems"]), res["problems"]


def test_a_threshold_lowered_to_pass_a_failing_skill_fails_the_check(tmp_path):
    ckpt = fake_weights(tmp_path / "run" / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text('{"model": "released"}')
    from gate_fixtures import GOOD_SKILLS

    run = build_chain(tmp_path, {**GOOD_SKILLS, "math": 0.1}, checkpoint=ckpt)
    (run / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "num_parameters": 1000}))
    verdict = run_release_gate(run, "skill_release")
    assert _check(verdict, "skill_math")["status"] == "block"
    out = make_bundle(run, tmp_path / "b.tar.gz")
    assert check_bundle(out)["ok"]  # blocked, but an honest record of it

    def pass_math(v):
        c = _check(v, "skill_math")
        c.update(status="pass", threshold=0.05, why="Math passed at 10%; threshold is 5%.")
        v["blocking"] = [w for w in v["blocking"] if "Math" not in w]
        others = [x["status"] for x in v["checks"]]
        v["status"] = "blocked" if "block" in others else "warn"

    res = check_bundle(_forge_verdict(out, tmp_path / "f.tar.gz", pass_math))
    assert not res["ok"]
    assert any(p.startswith("gates/release.json records skill_math as pass (value 0.1, threshold 0.05), but the bundled evidence "
                            "under profile skill_release gives block (value 0.1, threshold 0.3)") for p in res["problems"]), res["problems"]


def test_a_check_dropped_from_the_verdict_fails_and_a_user_profile_is_named_as_unverifiable(bundle, tmp_path):
    res = check_bundle(_forge_verdict(bundle, tmp_path / "f.tar.gz", lambda v: v.update(checks=[c for c in v["checks"]
                                                                                              if c["name"] != "sft_fit_heldout"])))
    assert any(p.startswith("gates/release.json leaves out check sft_fit_heldout, which the bundled evidence gives as pass")
               for p in res["problems"]), res["problems"]
    res = check_bundle(_forge_verdict(bundle, tmp_path / "h.tar.gz", lambda v: _check(v, "contamination").update(threshold=99)))
    assert any(p.startswith("gates/release.json records contamination as pass (value 0, threshold 99), but the bundled evidence "
                            "under profile skill_release gives pass (value 0, threshold ") for p in res["problems"]), res["problems"]
    res = check_bundle(_forge_verdict(bundle, tmp_path / "g.tar.gz", lambda v: v.update(profile_source="/somewhere/mine.yaml")))
    assert not any("records skill_" in p for p in res["problems"])
    assert res["unverified_checks"][0].startswith("release checks: gates/release.json was judged under profile 'skill_release' "
                                                  "(/somewhere/mine.yaml), not a packaged one")
