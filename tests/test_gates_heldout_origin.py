"""The held-out fit is held-out only when sft/train_report.json shows SFT left its rows out.

Before, `sft_fit_heldout_origin` passed when sft/train_report.json had no `data` section (or no SFT report at all):
nothing showed the held-out rows were held out, yet the check said "scored rows SFT held out". It is now missing
evidence: it blocks under a release profile and warns under research, naming the file and the field. A bundle of
an approved verdict forged over such evidence fails `bundle --check`, naming the check.
"""

from __future__ import annotations

import json

from gate_fixtures import build_chain, check_named, edit_json
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir

NAME = "sft_fit_heldout_origin"


def _gate(run: RunDir, profile: str = "skill_release") -> dict:
    return run_release_gate(run, profile, write=False)


def test_a_train_report_without_a_data_section_blocks_a_release_and_warns_under_research(tmp_path):
    run = RunDir(build_chain(tmp_path))
    c = check_named(_gate(run), NAME)  # the right answer: SFT recorded the split the fit scored
    assert c["status"] == "pass" and c["why"].startswith("sft_fit_heldout/eval_report.json scored rows SFT held out "
                                                         "(sft/train_report.json data.heldout val_fraction=")
    edit_json(run.train_report("sft"), lambda r: r.pop("data"))
    for profile, status in (("skill_release", "block"), ("research", "warn")):
        result = _gate(run, profile)
        c = check_named(result, NAME)
        assert c["status"] == status, c
        assert c["why"] == ("sft/train_report.json records no data section, so whether SFT held out the rows "
                            "sft_fit_heldout/eval_report.json scored (its val_fraction and seed) cannot be shown: held-out fit may be recall.")
    assert result["status"] != "approved"


def test_a_heldout_split_without_its_seed_or_fraction_blocks_and_the_whole_split_passes(tmp_path):
    run = RunDir(build_chain(tmp_path))
    whole = json.loads(run.train_report("sft").read_text())["data"]["heldout"]
    for key in ("seed", "val_fraction"):
        edit_json(run.train_report("sft"), lambda r: r["data"]["heldout"].pop(key))
        result = _gate(run)
        c = check_named(result, NAME)
        assert result["status"] == "blocked" and c["status"] == "block"
        assert c["why"].startswith("sft/train_report.json records no data.heldout.val_fraction and data.heldout.seed, so whether")
        edit_json(run.train_report("sft"), lambda r: r["data"].update(heldout=dict(whole)))
        assert check_named(_gate(run), NAME)["status"] == "pass"


def test_fits_without_an_sft_report_block_naming_it(tmp_path):
    """Before: with sft/train_report.json gone, sft_fit had no origin check and the held-out fit's passed."""
    run = RunDir(build_chain(tmp_path))
    run.train_report("sft").unlink()
    result = _gate(run)
    assert result["status"] == "blocked"
    for kind in ("sft_fit", "sft_fit_heldout"):
        c = check_named(result, f"{kind}_origin")
        assert c["status"] == "block"
        assert c["why"] == (f"sft/train_report.json is missing, so the rows {kind}/eval_report.json scored cannot be tied to the "
                            "SFT file trained on.")


def test_bundle_check_fails_an_approved_verdict_forged_over_a_train_report_without_data(tmp_path):
    """The gate and `bundle --check` agree: the bundled reports give the block the forged verdict hides."""
    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("sft"), lambda r: r.pop("data"))
    run_release_gate(run, "skill_release")
    honest = json.loads(run.release.read_text())
    blocked = check_named(honest, NAME)
    assert honest["status"] == "blocked" and blocked["status"] == "block"

    def forge(v: dict) -> None:
        c = check_named(v, NAME)
        c.update(status="pass", why="sft_fit_heldout/eval_report.json scored rows SFT held out.")
        for other in v["checks"]:
            other["status"] = "pass"
        v.update(status="approved", blocking=[])

    edit_json(run.release, forge)
    res = check_bundle(make_bundle(run.root, tmp_path / "forged.tar.gz"))
    assert not res["ok"]
    said = [p for p in res["problems"] if p.startswith(f"gates/release.json records {NAME} as pass")]
    assert said and "gives block" in said[0] and "records no data section" in said[0], res["problems"]
