"""`bundle --check` re-derives the verdict's checks that read files a bundle also carries.

Before, `unverified_checks` named rows:*, settings:*, evidence_dates, token_budget and released_parameters as the verdict's
word, so a verdict edited to pass any of them (its manifest entry re-hashed, the archive re-signed) passed the
check. They are now re-run on the bundled members: each eval's results.jsonl and the released tokenizer, the
bundled reports' dates, and the parameter count bundling made of the judged weights.
"""

from __future__ import annotations

import json

import pytest

from gate_fixtures import honest_bundle, build_chain, edit_json, fake_weights
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate

from test_bundle_verdict import _check, _forge_verdict

REDERIVED_NOW = ("rows:eval/eval_report.json", "rows:sft_fit/eval_report.json", "rows:external_eval/arc_easy/eval_report.json",
                 "settings:eval/eval_report.json", "settings:sft_fit/eval_report.json", "evidence_dates", "token_budget",
                 "released_parameters")


@pytest.fixture
def bundle(tmp_path):
    return honest_bundle(tmp_path)


def _names_left(res: dict) -> str:
    [said] = res["unverified_checks"]
    return said.split(" and are the verdict's word: ", 1)[1]


def test_an_honest_bundle_rederives_the_file_checks_and_names_the_heldout_part(bundle):
    res = check_bundle(bundle)
    assert res["ok"], res["problems"]
    left = _names_left(res)
    assert not [name for name in REDERIVED_NOW if f"{name}," in left or left.endswith(name)]
    assert "settings:sft_fit_heldout/eval_report.json (its heldout_check, which needs the SFT rows file)" in left


def test_file_checks_edited_in_the_verdict_fail_the_check(bundle, tmp_path):
    """The parameter count, the budget and the evidence dates raised or passed by hand are what the bundle gives again."""
    for name, change in (("released_parameters", {"value": 999}), ("token_budget", {"value": 99.0}),
                         ("evidence_dates", {"why": "Every eval report was written long after training."}),
                         ("settings:eval/eval_report.json", {"why": "Trust me."}),
                         ("rows:eval/eval_report.json", {"why": "Trust me."})):
        res = check_bundle(_forge_verdict(bundle, tmp_path / f"{name.replace(':', '_').replace('/', '_')}.tar.gz",
                                          lambda v, name=name, change=change: _check(v, name).update(change)))
        assert not res["ok"] and any(p.startswith(f"gates/release.json records {name} as pass") for p in res["problems"]), (name, res["problems"])


def test_a_blocked_budget_forged_to_pass_fails_and_its_honest_block_passes(tmp_path):
    """The visible eval records max_new_tokens 1 and replies generated with more tokens: the gate blocks settings:eval.
    The honest blocked verdict passes the bundle check; the verdict forged to pass that check does not."""
    ckpt = fake_weights(tmp_path / "run" / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text(json.dumps({"model": {"type": "BPE", "vocab": {"a": 0, "bc": 1}}}))
    run = build_chain(tmp_path, checkpoint=ckpt)
    (run / "run_manifest.json").write_text(json.dumps({"git_commit": "abc123", "num_parameters": 1000}))
    edit_json(run / "eval" / "eval_report.json", lambda r: r["config"].update(max_new_tokens=1))
    verdict = run_release_gate(run, "skill_release")
    blocked = _check(verdict, "settings:eval/eval_report.json")
    assert blocked["status"] == "block" and "more than max_new_tokens 1" in blocked["why"]  # the recorded counts, as the evals write them
    out = make_bundle(run, tmp_path / "b.tar.gz")
    assert check_bundle(out)["ok"]

    def pass_it(v):
        _check(v, "settings:eval/eval_report.json").update(
            status="pass", value="consistent", why="eval/eval_report.json's recorded decoding and generation budget agree with its replies.")
        v["blocking"] = [w for w in v["blocking"] if w != blocked["why"]]

    res = check_bundle(_forge_verdict(out, tmp_path / "f.tar.gz", pass_it))
    assert not res["ok"] and any(p.startswith("gates/release.json records settings:eval/eval_report.json as pass (value 'consistent'")
                                 and p.endswith(blocked["why"]) for p in res["problems"]), res["problems"]


def test_a_heldout_settings_block_is_left_to_the_verdict(bundle, tmp_path):
    """The held-out fit's heldout_check needs the SFT rows file: a verdict blocking on it is not contradicted by the
    bundle (the check stays named as unverified in part); one passing it must still give the bundle's sentence."""
    def block_heldout(v):
        _check(v, "settings:sft_fit_heldout/eval_report.json").update(status="block", value="differs", why="heldout_check differs.")

    res = check_bundle(_forge_verdict(bundle, tmp_path / "h.tar.gz", block_heldout))
    assert not any("settings:sft_fit_heldout" in p for p in res["problems"]), res["problems"]
    res = check_bundle(_forge_verdict(bundle, tmp_path / "p.tar.gz",
                                      lambda v: _check(v, "settings:sft_fit_heldout/eval_report.json").update(why="Trust me.")))
    assert any(p.startswith("gates/release.json records settings:sft_fit_heldout/eval_report.json as pass") for p in res["problems"])
