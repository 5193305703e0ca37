"""`bundle --check` re-derives the verdict's `scoring:*` checks from the bundled eval and fit reports.

Before, it re-derived rows, settings, evidence dates, parameters and the token budget, but took `scoring:*` as the
verdict wrote it: a bundle of results scored under another scoring config, or with the hash removed, whose verdict
was edited to record that check as passing, passed the check. Each case below is a run broken before the gate ran
(so the verdict's evidence hashes match the bundled files), bundled, and its verdict forged to the honest pass.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import picochat_hf.eval as eval_pkg
from gate_fixtures import build_chain, edit_json, fake_weights, honest_bundle
from picochat_hf.eval import scoring_tables
from picochat_hf.eval.scoring import load_scoring_config
from picochat_hf.eval.scoring_identity import scoring_sha256
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir
from test_bundle_verdict import _forge_verdict

EVAL = "scoring:eval/eval_report.json"


def _scoring(verdict: dict) -> dict:
    return next(c for c in verdict["checks"] if c["name"] == EVAL)


def _broken_bundle(tmp_path: Path, breaker) -> tuple[Path, dict]:
    """A fixture run whose eval report `breaker` edits before the gate runs, bundled, with the verdict forged: its
    scoring check replaced by the honest run's pass record, its status the warn of an honest fixture verdict."""
    ckpt = fake_weights(tmp_path / "run" / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text('{"model": "released"}')
    run = build_chain(tmp_path, checkpoint=ckpt)
    (run / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "num_parameters": 1000}))
    honest = _scoring(run_release_gate(run, "skill_release", write=False))
    edit_json(RunDir(run).eval_report("eval"), breaker)
    verdict = run_release_gate(run, "skill_release")
    assert _scoring(verdict)["status"] == "block" and verdict["status"] == "blocked"
    out = make_bundle(run, tmp_path / "b.tar.gz")

    def forge(v: dict) -> None:
        v["checks"] = [honest if c["name"] == EVAL else c for c in v["checks"]]
        v["blocking"], v["status"] = [], "warn"

    return _forge_verdict(out, tmp_path / "f.tar.gz", forge), honest


def _problem(res: dict, *said: str) -> str:
    found = [p for p in res["problems"] if p.startswith(f"gates/release.json records {EVAL} as pass")]
    assert len(found) == 1 and "\n" not in found[0], res["problems"]
    assert all(s in found[0] for s in said), found[0]
    return found[0]


def test_an_honest_bundle_rederives_its_scoring_checks(tmp_path):
    res = check_bundle(honest_bundle(tmp_path))
    assert res["ok"], res["problems"]
    assert EVAL not in res["unverified_checks"][0] and "scoring:sft_fit/eval_report.json" not in res["unverified_checks"][0]


def test_results_with_the_scoring_hash_removed_fail_the_check(tmp_path):
    bundle, _ = _broken_bundle(tmp_path, lambda r: r["config"].pop("scoring_config_sha256"))
    res = check_bundle(bundle)
    assert not res["ok"]
    _problem(res, "gives block", "records no config.scoring_config_sha256")


def test_results_scored_under_another_scoring_config_fail_the_check(tmp_path):
    """Results swapped in from a run scored under a lenient config (its hash recorded), named as the shipped scorer."""
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text("echo_run_words: 40\n")
    other = scoring_sha256(load_scoring_config(lenient))
    bundle, _ = _broken_bundle(tmp_path, lambda r: r["config"].update(scoring_config_sha256=other))
    res = check_bundle(bundle)
    assert not res["ok"]
    _problem(res, "gives block", f"was judged under scoring rules {other[:12]}")


def test_results_scored_under_a_modified_table_fail_the_check(tmp_path):
    """The report's tables fingerprint is that of a picochat whose decline_forms.yaml differs."""
    def other_tables(r: dict) -> None:
        tables = dict(r["config"]["scoring_tables"], **{"decline_forms.yaml": "0" * 64})
        r["config"].update(scoring_tables=tables, scoring_tables_sha256=scoring_tables.tables_sha256(tables))

    bundle, _ = _broken_bundle(tmp_path, other_tables)
    res = check_bundle(bundle)
    assert not res["ok"]
    _problem(res, "gives block", "(decline_forms.yaml edited)")


def test_an_edited_scoring_check_fails_and_the_honest_one_passes(tmp_path):
    bundle = honest_bundle(tmp_path)
    res = check_bundle(_forge_verdict(bundle, tmp_path / "f.tar.gz", lambda v: _scoring(v).update(value="0" * 12)))
    assert not res["ok"]
    assert any(p.startswith(f"gates/release.json records {EVAL} as pass (value '000000000000'") for p in res["problems"]), res["problems"]
    res = check_bundle(_forge_verdict(bundle, tmp_path / "g.tar.gz", lambda v: v.update(checks=[c for c in v["checks"] if c["name"] != EVAL])))
    assert any(p.startswith(f"gates/release.json leaves out check {EVAL}, which the bundled evidence gives as pass") for p in res["problems"])
    assert check_bundle(_forge_verdict(bundle, tmp_path / "h.tar.gz", lambda v: None))["ok"]  # re-signed but unchanged


@pytest.fixture
def edited_tables(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tables"
    folder.mkdir()
    for p in Path(eval_pkg.__file__).parent.glob("*.yaml"):
        shutil.copy(p, folder / p.name)
    return folder


def test_a_bundle_checked_by_a_picochat_with_other_tables_fails(tmp_path, edited_tables, monkeypatch):
    """An honest bundle's results were scored by tables other than the checker's: its verdicts are not re-derivable."""
    bundle = honest_bundle(tmp_path)
    monkeypatch.setattr(scoring_tables, "TABLES_DIR", edited_tables)
    assert check_bundle(bundle)["ok"]  # the same tables, copied
    reasons = edited_tables / "decline_reasons.yaml"
    reasons.write_text(reasons.read_text() + "\nzz_added_entry: [one more phrase]\n")
    res = check_bundle(bundle)
    assert not res["ok"]
    _problem(res, "gives block", "(decline_reasons.yaml edited)")
