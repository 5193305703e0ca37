"""Release checks whose evidence is absent block under a release profile and warn under research, and `bundle --check`
re-derives them as the gate does.

Before, `honesty_corpus_origin` was left out (a silent pass) when base/train_report.json recorded no
inputs.dataset_pack_sha256: the scan's corpus was tied to nothing, yet nothing said so. It is now missing evidence,
unless the base report's plan shows it trained on no dataset pack. `base_checkpoint_origin` was the verdict's word in a
bundle; it reads only the bundled train reports and is re-derived now.
"""

from __future__ import annotations

import json

from gate_fixtures import all_pass_but_rerun, build_chain, check_named, edit_json
from picochat_hf.export import check_bundle, make_bundle
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir

CORPUS = "honesty_corpus_origin"


def _gate(run: RunDir, profile: str = "skill_release") -> dict:
    return run_release_gate(run, profile, write=False)


def test_a_base_report_without_the_pack_hash_blocks_a_release_and_warns_under_research(tmp_path):
    run = RunDir(build_chain(tmp_path))
    assert check_named(_gate(run), CORPUS)["status"] == "pass"
    edit_json(run.train_report("base"), lambda r: r.pop("inputs"))
    for profile, status in (("skill_release", "block"), ("research", "warn")):
        c = check_named(_gate(run, profile), CORPUS)
        assert c["status"] == status
        assert c["why"] == ("base/train_report.json records no plan and no inputs.dataset_pack_sha256, so the corpus the honesty "
                            "scan read cannot be tied to the one the base run trained on.")
    edit_json(run.train_report("base"), lambda r: r.update(plan={"stage": "base", "dataset_pack": "packs/tiny"}, inputs={}))
    c = check_named(_gate(run), CORPUS)
    assert c["status"] == "block" and c["why"].startswith("base/train_report.json names dataset pack 'packs/tiny' in its plan but "
                                                          "records no inputs.dataset_pack_sha256, so")


def test_a_base_run_trained_on_documents_has_no_pack_to_tie(tmp_path):
    """The right answer in the same shape: a plan naming no dataset pack owes no pack hash (honesty_corpus still holds)."""
    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("base"), lambda r: r.update(plan={"stage": "base", "dataset_pack": None}, inputs={}))
    result = _gate(run)
    assert not any(c["name"] == CORPUS for c in result["checks"]) and all_pass_but_rerun(result)
    assert check_named(result, "honesty_corpus")["status"] == "pass"


def _forged_bundle(run: RunDir, tmp_path, name: str) -> dict:
    """Judge the run, edit its verdict to approve every check, bundle it and check the bundle."""
    run_release_gate(run, "skill_release")
    honest = json.loads(run.release.read_text())
    assert honest["status"] == "blocked" and check_named(honest, name)["status"] == "block"

    def forge(v: dict) -> None:
        for c in v["checks"]:
            c["status"] = "pass"
        v.update(status="approved", blocking=[])

    edit_json(run.release, forge)
    return check_bundle(make_bundle(run.root, tmp_path / "forged.tar.gz"))


def test_bundle_check_fails_an_approved_verdict_forged_over_a_base_report_without_the_pack_hash(tmp_path):
    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("base"), lambda r: r.pop("inputs"))
    res = _forged_bundle(run, tmp_path, CORPUS)
    said = [p for p in res["problems"] if p.startswith(f"gates/release.json records {CORPUS} as pass")]
    assert not res["ok"] and said and "gives block" in said[0] and "records no plan and no inputs.dataset_pack_sha256" in said[0]


def test_bundle_check_rederives_the_base_origin(tmp_path):
    """Before: base_checkpoint_origin was the verdict's word in a bundle; a verdict approving a base report about another
    base run passed the check."""
    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("base"), lambda r: r["outputs"].update(checkpoint_weights_sha256="cd" * 32))
    res = _forged_bundle(run, tmp_path, "base_checkpoint_origin")
    said = [p for p in res["problems"] if p.startswith("gates/release.json records base_checkpoint_origin as pass")]
    assert not res["ok"] and said and "gives block" in said[0] and "the base report is about another base run" in said[0]


def test_a_report_that_read_a_tokenizer_the_release_does_not_ship_blocks(tmp_path):
    """Before: with no tokenizer.json beside the released checkpoint (nor in tokenizer/), the tokenizer a report recorded was
    never compared, so evals of the weights under any tokenizer passed as evidence about a release shipping none."""
    run = RunDir(build_chain(tmp_path))
    name = "external_model:external_eval/arc_easy/eval_report.json"
    assert check_named(_gate(run), name)["status"] == "pass"  # neither side has a tokenizer.json: the right answer
    report = run.external_dir("arc_easy") / "eval_report.json"
    edit_json(report, lambda r: r["model"].update(tokenizer="elsewhere/tokenizer", tokenizer_sha256="ab" * 32))
    for profile, status in (("skill_release", "block"), ("research", "warn")):
        result = _gate(run, profile)
        c = check_named(result, name)
        assert c["status"] == status
        assert c["why"] == ("external_eval/arc_easy/eval_report.json scored the released weights with tokenizer abababababab "
                            "(elsewhere/tokenizer), but sft/checkpoint ships no tokenizer.json (none in it, its parent folder or the "
                            "run's tokenizer/), so the release is not the model that was scored.")
    assert result["status"] != "approved"


def test_a_rate_without_the_count_of_its_rows_blocks_a_release_and_warns_under_research(tmp_path):
    """Before: with summary.unsupported_claim_n or summary.generated.n removed, the rate was judged on rows nobody could count."""
    run = RunDir(build_chain(tmp_path))
    result = _gate(run)
    assert all(check_named(result, n)["status"] == "pass" for n in ("refusal", "unsupported_claims", "prompt_echo"))
    edit_json(run.eval_report("eval"), lambda r: (r["summary"].pop("unsupported_claim_n"), r["summary"].pop("generated")))
    for profile, status in (("skill_release", "block"), ("research", "warn")):
        result = _gate(run, profile)
        assert check_named(result, "refusal")["status"] == "pass"  # its by_skill.refusal entry counts its rows
        for name, field, count in (("unsupported_claims", "unsupported_claim_rate", "unsupported_claim_n"),
                                   ("prompt_echo", "prompt_echo_rate", "generated.n")):
            c = check_named(result, name)
            assert c["status"] == status
            assert c["why"] == (f"eval/eval_report.json records summary.{field} but no summary.{count}, so the number of rows it is "
                                "a rate of is unknown.")


MIXED = "honesty_mixed_documents"


def _mix(run: RunDir, sha: str | None) -> None:
    edit_json(run.train_report("base"), lambda r: r.setdefault("data", {}).update(
        mix_documents="runs/x/base_task_text.jsonl", mix_documents_sha256=sha))


def test_documents_mixed_into_pretraining_that_the_scan_did_not_read_block(tmp_path):
    """Before: the demo's task text (mixed into base pretraining beside the pack) was never tied to the scan: a scan of
    the pack alone passed, though a leak in the mixed documents would go unseen."""
    run = RunDir(build_chain(tmp_path))
    _mix(run, "ee" * 32)
    for profile, status in (("skill_release", "block"), ("research", "warn")):
        c = check_named(_gate(run, profile), MIXED)
        assert c["status"] == status
        assert c["why"].startswith("base/train_report.json mixed documents eeeeeeeeeeee (runs/x/base_task_text.jsonl) into "
                                   "pretraining, but the honesty scan read corpus ")
    _mix(run, None)
    for profile, status in (("skill_release", "block"), ("research", "warn")):
        c = check_named(_gate(run, profile), MIXED)
        assert c["status"] == status and "records no data.mix_documents_sha256" in c["why"]


def test_documents_mixed_into_pretraining_that_the_scan_read_pass(tmp_path):
    """The right answer in the same shape: the scan's corpus hashes hold the mixed documents' sha256."""
    run = RunDir(build_chain(tmp_path))
    edit_json(run.honesty_report, lambda h: h["inputs"]["sha256"]["corpus"].update({"runs/x/base_task_text.jsonl": "ee" * 32}))
    _mix(run, "ee" * 32)
    result = _gate(run)
    c = check_named(result, MIXED)
    assert c["status"] == "pass" and c["why"] == ("The honesty scan read the documents the base run mixed into pretraining "
                                                  "(sha256 eeeeeeeeeeee).")
    assert check_named(result, CORPUS)["status"] == "pass"
    # and a run that mixed nothing in has no such check
    assert not any(c["name"] == MIXED for c in _gate(RunDir(build_chain(tmp_path / "plain")))["checks"])


def test_bundle_check_fails_an_approved_verdict_forged_over_unscanned_mixed_documents(tmp_path):
    run = RunDir(build_chain(tmp_path))
    _mix(run, "ee" * 32)
    res = _forged_bundle(run, tmp_path, MIXED)
    said = [p for p in res["problems"] if p.startswith(f"gates/release.json records {MIXED} as pass")]
    assert not res["ok"] and said and "gives block" in said[0] and "mixed documents eeeeeeeeeeee" in said[0]
