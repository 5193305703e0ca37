"""`bundle --check` re-derives the bundled verdict's checks once: it asked twice (for the verdict's mismatches and for
the checks it cannot re-derive), re-judging every bundled eval row each time. Inside `rederive_once()` the second ask
of the same verdict, members and summary gets the first answer; another verdict, other members or another summary is
re-derived afresh, and outside the block nothing is kept."""

from __future__ import annotations

import json

from gate_fixtures import honest_bundle
from picochat_hf.export import bundle_verdict, check_bundle


def _counting(monkeypatch) -> list[tuple]:
    calls: list[tuple] = []
    real = bundle_verdict._rederived_checks

    def counted(release, kept, summary):
        calls.append((json.dumps(release, sort_keys=True), id(kept), json.dumps(summary, sort_keys=True)))
        return real(release, kept, summary)

    monkeypatch.setattr(bundle_verdict, "_rederived_checks", counted)
    return calls


def test_check_bundle_rederives_the_verdict_once_with_the_same_findings(tmp_path, monkeypatch):
    bundle = honest_bundle(tmp_path)
    calls = _counting(monkeypatch)
    res = check_bundle(bundle)
    assert len(calls) == 1  # the verdict's mismatches and its unverified checks come from the one re-derivation
    assert res["ok"] and res["problems"] == []
    assert len(res["unverified_checks"]) == 1
    assert res["unverified_checks"][0].startswith("release checks: ") and "are the verdict's word" in res["unverified_checks"][0]


def test_rederive_once_keeps_an_answer_only_for_the_same_verdict_members_and_summary(monkeypatch):
    calls = _counting(monkeypatch)
    release = {"profile": "no_such_profile", "checks": []}  # not a packaged profile: answered without reading a member
    kept, other_kept = {}, {}
    bundle_verdict.rederived_checks(release, kept, {})
    bundle_verdict.rederived_checks(release, kept, {})
    assert len(calls) == 2  # outside the block: every ask re-derives
    with bundle_verdict.rederive_once():
        first = bundle_verdict.rederived_checks(release, kept, {})
        assert bundle_verdict.rederived_checks(dict(release), kept, {}) == first and len(calls) == 3
        bundle_verdict.rederived_checks({**release, "checks": [{"name": "skill_math"}]}, kept, {})  # another verdict
        bundle_verdict.rederived_checks(release, other_kept, {})  # other members
        bundle_verdict.rederived_checks(release, kept, {"num_parameters": 1})  # another summary
        assert len(calls) == 6
    bundle_verdict.rederived_checks(release, kept, {})
    assert len(calls) == 7  # the block's answers are gone with it
    assert isinstance(first, str) and "not a packaged one" in first
