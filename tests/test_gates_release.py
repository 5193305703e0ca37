"""Release gate: a complete evidence chain passes every check (approved once its replies are re-run); each broken
link blocks with its own check and a sentence naming both sides; thresholds come from YAML profiles; numbers print with enough digits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import yaml

from gate_fixtures import GOOD_SKILLS, PARAMS, all_pass_but_rerun, build_chain, check_named, edit_json, fake_weights, result_rows, write_eval, write_external, write_fit, write_json
from picochat_hf.cli import main as cli_main
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir
from picochat_hf.utils.errors import PicochatInputError
from picochat_hf.utils.provenance import weights_sha256


# eval rows a skill where no assertion counts rows: GOOD_SKILLS still clear every skill_release threshold and interval
# at 40 (the verdict is the one 80 give), and every gate run re-judges each row with the scorer
ROWS = 40


def _not_passing(result):
    return [c["why"] for c in result["checks"] if c["status"] != "pass"]


def test_complete_chain_is_approved_and_written(tmp_path):
    run = build_chain(tmp_path)
    result = run_release_gate(run, "skill_release")
    assert all_pass_but_rerun(result), _not_passing(result)
    saved = json.loads((run / "gates" / "release.json").read_text())
    assert all_pass_but_rerun(saved)
    assert all({"name", "status", "value", "threshold", "why"} <= set(c) for c in saved["checks"])
    assert "Status: warn" in (run / "gates" / "release.md").read_text()
    assert set(saved["evidence"]) >= {"eval/eval_report.json", "eval/results.jsonl", "honesty/honesty_report.json",
                                      "external_eval/arc_easy/eval_report.json", "base/train_report.json", "sft/train_report.json"}
    assert saved["checkpoint"]["weights_sha256"] == weights_sha256(run / "sft" / "checkpoint")
    for name in ("eval_model", "sft_fit_model", "honesty_eval_file", "honesty_sft_file", "honesty_corpus", "preflight_profile",
                 "base_run", "sft_run", "token_budget", "sft_checkpoint_origin"):
        assert check_named(result, name)["status"] == "pass", name


def test_eval_of_another_checkpoint_blocks_naming_both(tmp_path):
    run = RunDir(build_chain(tmp_path))
    other = fake_weights(tmp_path / "other_model", seed=7)
    rows = result_rows(GOOD_SKILLS, 80)
    write_eval(run, "eval", rows, input_path=run.task_pack_dir / "eval.jsonl", checkpoint=other)
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "eval_model")
    assert result["status"] == "blocked" and c["status"] == "block"
    released, scored = weights_sha256(run.released_checkpoint)[:12], weights_sha256(other)[:12]
    assert c["why"] == (f"eval/eval_report.json scored weights {scored} ({other}), but the released checkpoint sft/checkpoint "
                        f"has weights {released}.")
    assert c["why"] in result["blocking"]


def test_replies_report_is_not_evidence_about_a_checkpoint(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    edit_json(run.eval_report("eval"), lambda r: r.update(kind="replies", replies="replies.jsonl", model={"kind": "replies"}))
    c = check_named(run_release_gate(run.root, "skill_release"), "eval_model")
    assert c["status"] == "block"
    assert c["why"] == ("eval/eval_report.json scores a replies file (replies.jsonl), not a model, so it is no evidence about "
                        "the released checkpoint sft/checkpoint.")


def test_report_without_weights_hash_cannot_be_tied(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    edit_json(run.eval_report("sft_fit"), lambda r: r["model"].pop("weights_sha256"))
    c = check_named(run_release_gate(run.root, "skill_release"), "sft_fit_model")
    assert c["status"] == "block" and "does not record the weights it scored" in c["why"]


def test_checkpoint_replaced_after_training_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    fake_weights(run.released_checkpoint, seed=3)  # someone swapped the weights; every eval now speaks of others
    result = run_release_gate(run.root, "skill_release")
    origin = check_named(result, "sft_checkpoint_origin")
    assert origin["status"] == "block" and origin["why"].startswith("sft/train_report.json says SFT wrote weights ")
    assert check_named(result, "eval_model")["status"] == "block"


def test_scan_of_another_eval_file_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    edit_json(run.honesty_report, lambda h: h["inputs"]["sha256"].update(eval="ab" * 32))
    c = check_named(run_release_gate(run.root, "skill_release"), "honesty_eval_file")
    assert c["status"] == "block"
    eval_file = run.task_pack_dir / "eval.jsonl"
    assert c["why"].startswith(f"The honesty scan covered eval file abababababab ({eval_file}), but eval/eval_report.json scored ")


def test_scan_that_skipped_or_mismatched_the_sft_file_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    edit_json(run.honesty_report, lambda h: h["inputs"].update(sft_rows=0))
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "honesty_sft_file")
    assert c["status"] == "block" and c["why"] == "The honesty scan did not include SFT rows, so leaks into them are unchecked."
    assert check_named(run_release_gate(run.root, "research"), "honesty_sft_file")["status"] == "warn"
    edit_json(run.honesty_report, lambda h: (h["inputs"].update(sft_rows=1), h["inputs"]["sha256"].update(sft="cd" * 32)))
    c = check_named(run_release_gate(run.root, "skill_release"), "honesty_sft_file")
    assert c["status"] == "block" and "but sft/train_report.json trained on " in c["why"]


def test_scan_with_empty_corpus_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    edit_json(run.honesty_report, lambda h: h["inputs"].update(corpus_stats={"documents": 0}))
    c = check_named(run_release_gate(run.root, "skill_release"), "honesty_corpus")
    assert c["status"] == "block"
    assert c["why"] == "The honesty scan read 0 corpus documents, so leaks into the pretraining corpus are unchecked."


def test_research_preflight_is_not_accepted_by_a_release_profile(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS, profile="research"))
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "preflight_profile")
    assert result["status"] == "blocked" and c["status"] == "block"
    assert c["why"] == ("The preflight ran under profile research (gates/preflight.json), which release profile skill_release does not "
                        "accept (it accepts skill_release); re-run training with --preflight-profile skill_release.")
    assert not any(c["name"] == "preflight_profile" for c in run_release_gate(run.root, "research")["checks"])


@pytest.mark.parametrize("change,status", [({"status": "completed", "steps": 6, "max_steps": 300}, "stopped"),
                                           ({"status": "diverged"}, "diverged")])
def test_stopped_or_diverged_base_run_blocks(tmp_path, change, status):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    edit_json(run.train_report("base"), lambda r: r.update(change))
    c = check_named(run_release_gate(run.root, "skill_release"), "base_run")
    assert c["status"] == "block" and c["value"] == status
    assert c["why"].startswith(f"The base run's status is {status} (")
    assert c["why"].endswith("; base/train_report.json); a release needs a completed run.")


def test_token_budget_reads_tokens_actually_trained(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    edit_json(run.train_report("base"), lambda r: r.update(real_tokens_seen=32))  # planned 25x, trained 0.032x
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "token_budget")
    assert c["status"] == "block" and c["value"] == pytest.approx(0.032)
    assert c["why"] == ("The base run trained on 32 tokens for 1,000 parameters = 0.032 tokens per parameter (base/train_report.json); "
                        "a release needs 18 (0.90 of 20).")
    demo = run_release_gate(run.root, "demo_release")  # the demo's one stated exception: shown, as a warning
    c = check_named(demo, "token_budget")
    assert c["status"] == "warn" and "does not enforce the release budget" in c["why"]
    assert c["why"].endswith(f"release budget of {c['threshold']:g} (0.90 of 20; a stated exception).")  # the 20 the card states
    assert demo["exceptions"] and demo["exceptions"][0].startswith("Token budget not enforced")


def test_skill_below_min_n_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    rows = [r for r in result_rows(GOOD_SKILLS, 80) if not (r["skill"] == "math" and int(r["id"].split("-")[1]) >= 3)]
    for r in rows:
        if r["skill"] == "math":
            r["passed"] = True  # 3 of 3 would "clear" any threshold
    write_eval(run, "eval", rows, input_path=run.task_pack_dir / "eval.jsonl", checkpoint=run.released_checkpoint)
    c = check_named(run_release_gate(run.root, "skill_release"), "skill_math")
    assert c["status"] == "block" and c["value"] == 3 and c["threshold"] == 20
    assert c["why"] == "Math has 3 eval rows; profile skill_release needs at least 20 to judge it."


def test_unmeasured_rates_say_not_measured_never_zero(tmp_path):
    run = RunDir(build_chain(tmp_path))
    rows = result_rows({"choice": 0.7}, 80)  # choice-only: no generated replies, no refusal rows
    write_eval(run, "eval", rows, input_path=run.task_pack_dir / "eval.jsonl", checkpoint=run.released_checkpoint)
    result = run_release_gate(run.root, "skill_release")
    echo = check_named(result, "prompt_echo")
    assert echo["status"] == "block" and echo["value"] is None
    assert echo["why"] == "Prompt echo was not measured: the eval has no generated replies."
    assert check_named(result, "refusal")["why"] == "Refusal behaviour (declining unanswerable prompts) was not measured: the eval has no refusal rows."
    assert check_named(result, "skill_math")["why"] == "Math was not measured (no eval rows); the profile requires 30%."
    assert not any("0%" in c["why"] for c in result["checks"] if c["name"] in ("prompt_echo", "unsupported_claims", "refusal"))


def test_wilson_lower_bound_is_a_warning_tier(tmp_path):
    run = build_chain(tmp_path, {**GOOD_SKILLS, "math": 0.35}, n=40)  # 14/40 = 35% clears 30%, lower bound ~22%
    result = run_release_gate(run, "skill_release")
    c = check_named(result, "skill_math")
    assert c["status"] == "warn" and c["lower_bound"] < 0.30
    assert c["why"].startswith("Math passed at 35% (95% CI 22")
    assert "but the interval's lower bound 22" in c["why"] and c["why"].endswith("is below the threshold 30%: more rows are needed to be sure it clears.")
    assert result["status"] == "warn"


def test_sentences_show_enough_digits_and_never_repeat(tmp_path):
    run = RunDir(build_chain(tmp_path))
    rows = result_rows(GOOD_SKILLS, 80)
    extra = [dict(r, id=f"x{i}", skill="identity", passed=i < 1199) for i, r in enumerate([rows[0]] * 2000)]
    rows = [r for r in rows if r["skill"] != "identity"] + extra  # 1199/2000 = 59.95%
    write_eval(run, "eval", rows, input_path=run.task_pack_dir / "eval.jsonl", checkpoint=run.released_checkpoint)
    result = run_release_gate(run.root, "skill_release")
    assert check_named(result, "skill_identity")["why"] == "Identity failed at 59.95%; release threshold is 60%."
    run.eval_report("eval").unlink()
    result = run_release_gate(run.root, "skill_release")
    assert len(result["blocking"]) == len(set(result["blocking"]))
    assert sum("eval/eval_report.json is missing" in why for why in result["blocking"]) == 1


def test_one_benchmark_scored_two_ways_counts_once(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.4, "acc_norm,none": 0.38}},
                                     "weights_sha256": weights_sha256(run.released_checkpoint)})
    result = run_release_gate(run.root, "skill_release")
    assert [c["name"] for c in result["checks"] if c["status"] != "pass"] == ["replies_rerun"], _not_passing(result)
    assert check_named(result, "external_benchmark")["value"] == 1


def test_lm_eval_results_are_listed_only_for_the_released_weights_and_never_counted(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS, external=False))
    write_json(run.lm_eval_results, {"results": {"arc_easy": {"acc,none": 0.4, "acc_stderr,none": 0.05, "acc_norm,none": 0.38}},
                                     "n-samples": {"arc_easy": {"effective": 100}}, "model_path": "export",
                                     "weights_sha256": weights_sha256(run.released_checkpoint)})
    result = run_release_gate(run.root, "skill_release")
    # the gate cannot re-run lm-eval's requests: its scores are listed, and the profile's external benchmark is unmet
    assert [c["name"] for c in result["checks"] if c["status"] != "pass"] == ["external_benchmark", "replies_rerun"], _not_passing(result)
    assert check_named(result, "external_benchmark")["value"] == 0
    assert result["external"][0]["metric"] == "acc_norm,none" and result["external"][0]["n"] == 100
    edit_json(run.lm_eval_results, lambda r: r.update(weights_sha256="0" * 64))
    c = check_named(run_release_gate(run.root, "skill_release"), "external_model:lm_eval/lm_eval_results.json")
    assert c["status"] == "block" and c["why"].startswith("lm_eval/lm_eval_results.json scored weights 000000000000 (export)")


def test_failing_math_blocks_with_the_sentence_and_passes_after_threshold_change(tmp_path):
    run = build_chain(tmp_path, {**GOOD_SKILLS, "math": 0.175})  # 14 of 80
    result = run_release_gate(run, "skill_release")
    assert result["status"] == "blocked"
    math = check_named(result, "skill_math")
    assert math["status"] == "block" and math["threshold"] == 0.30
    assert math["why"] == "Math failed at 17.5%; release threshold is 30%."
    assert result["blocking"] == [math["why"]]
    packaged = Path(__import__("picochat_hf.gates", fromlist=["x"]).__file__).parent / "profiles" / "skill_release.yaml"
    profile = yaml.safe_load(packaged.read_text())
    profile["release"]["skills"]["math"]["min"] = 0.10
    profile["name"] = "my_profile"  # a copy under the packaged name would make the verdict read "under skill_release"
    mine = tmp_path / "my_profile.yaml"
    mine.write_text(yaml.safe_dump(profile))
    assert cli_main(["gate", "release", "--run-dir", str(run), "--profile", str(mine), "--regenerate-rows", "0", "--force"]) == 0
    assert all_pass_but_rerun(json.loads((run / "gates" / "release.json").read_text()))
    (tmp_path / "override.yaml").write_text("extends: skill_release\nname: lenient_math\nrelease: {skills: {math: {min: 0.05}}}\n")
    result = run_release_gate(run, tmp_path / "override.yaml")
    assert all_pass_but_rerun(result) and result["profile"] == "lenient_math"
    assert check_named(result, "skill_identity")["threshold"] == 0.60  # inherited


def test_first_release_keeps_math_diagnostic(tmp_path):
    run = build_chain(tmp_path, {**GOOD_SKILLS, "math": 0.1, "spelling": 0.1})
    result = run_release_gate(run, "first_release")
    assert result["status"] == "warn"
    assert check_named(result, "skill_math")["status"] == "warn"
    assert "a warning under profile first_release" in check_named(result, "skill_spelling")["why"]
    assert run_release_gate(run, "skill_release")["status"] == "blocked"


def test_missing_external_benchmark_blocks_release_profiles_only(tmp_path):
    run = build_chain(tmp_path, n=ROWS, external=False)
    result = run_release_gate(run, "first_release")
    ext = check_named(result, "external_benchmark")
    assert result["status"] == "blocked" and ext["status"] == "block" and ext["value"] == 0
    assert run_release_gate(run, "research")["status"] == "warn"


@pytest.mark.parametrize("name", ["honesty", "preflight", "prompt_echo"])
def test_always_blocking_findings_block_even_research(tmp_path, name):
    run = RunDir(build_chain(tmp_path, n=ROWS, echo_every=5 if name == "prompt_echo" else 0))
    if name == "honesty":
        edit_json(run.honesty_report, lambda h: (h.update(status="blocked"), h["counts"].update(eval_prompts_failing=1)))
    if name == "preflight":
        edit_json(run.preflight, lambda p: p.update(status="blocked"))
    result = run_release_gate(run.root, "research")
    assert result["status"] == "blocked"
    assert check_named(result, name)["status"] == "block"
    if name == "preflight":
        edit_json(run.train_report("sft"), lambda r: r["preflight"].update(status="blocked", override=True))
        assert check_named(run_release_gate(run.root, "research"), name)["why"].endswith("training went on with an explicit override.")


def test_missing_evidence_and_bad_reports(tmp_path, capsys):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    run.eval_report("sft_fit_heldout").unlink()
    result = run_release_gate(run.root, "skill_release")
    c = check_named(result, "sft_fit_heldout")
    assert c["status"] == "block" and "sft_fit_heldout/eval_report.json is missing" in c["why"]
    run.eval_report("eval").write_text(json.dumps({"summary": {"n": 3, "pass_rate": "high"}}))
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--force"]) == 2
    assert "field 'summary.pass_rate'" in capsys.readouterr().err
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--profile", "nope", "--force"]) == 2


def test_cli_release_gate_judges_a_named_checkpoint(tmp_path, capsys):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    other = fake_weights(tmp_path / "elsewhere", seed=5)
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--checkpoint", str(other)]) == 1
    out = capsys.readouterr().out
    assert "[block] eval_model: eval/eval_report.json scored weights" in out and f"but the released checkpoint {other} has weights" in out


def test_replies_scored_with_eval_score_are_never_evidence_about_the_checkpoint(tmp_path):
    from eval_fixtures import chat_row, write_jsonl
    from picochat_hf.eval.score_replies import run_score_replies

    run = RunDir(build_chain(tmp_path, n=ROWS))
    rows = write_jsonl(tmp_path / "rows.jsonl", [chat_row(i, f"Name the colour {w}.", must_include=[w]) for i, w in enumerate(["red", "blue"])])
    replies = write_jsonl(tmp_path / "replies.jsonl", [{"id": "r0", "reply": "red"}, {"id": "r1", "reply": "green"}])
    run_score_replies(rows, replies, run.eval_dir("eval"), force=True)
    c = check_named(run_release_gate(run.root, "skill_release"), "eval_model")
    assert c["status"] == "block"
    assert c["why"] == (f"eval/eval_report.json scores a replies file ({replies}), not a model, so it is no evidence about "
                        "the released checkpoint sft/checkpoint.")


@pytest.mark.parametrize("edit", [
    lambda r: r["summary"]["by_skill"]["identity"].update(pass_rate=1.0, passed=80),  # a skill raised by hand
    lambda r: r["summary"].update(unsupported_claim_rate=0.0, refusal_pass_rate=1.0),
    lambda r: r["summary"]["by_skill"].update(math={"n": 80, "passed": 80, "pass_rate": 1.0, "ci": [0.95, 1.0]}),
])
def test_eval_report_edited_by_hand_before_the_gate_blocks(tmp_path, edit):
    """Numbers that do not follow from the report's own per-row results are no evidence."""
    run = RunDir(build_chain(tmp_path, {**GOOD_SKILLS, "identity": 0.5, "refusal": 0.5, "math": 0.0}))
    edit_json(run.eval_report("eval"), edit)
    result = run_release_gate(run, "skill_release")
    assert result["status"] == "blocked"
    assert check_named(result, "rows:eval/eval_report.json")["status"] == "block"
    assert "does not follow from its results.jsonl" in check_named(result, "rows:eval/eval_report.json")["why"]


def test_eval_report_without_its_rows_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    (run.root / "external_eval" / "arc_easy" / "results.jsonl").unlink()
    result = run_release_gate(run, "skill_release")
    assert result["status"] == "blocked"
    assert "has no results.jsonl beside it" in check_named(result, "rows:external_eval/arc_easy/eval_report.json")["why"]


@pytest.mark.parametrize("release", [
    {"skills": {"math": {"mn": 0.9, "severity": "block"}}},        # typo in a threshold key: the parent's 0.30 would stay
    {"sft_fit": {"minimum": 0.99, "severity": "block"}},
    {"skils": {"math": {"min": 0.9, "severity": "block"}}},         # typo in a section name
    {"skills": {"math": {"min": "0.9", "severity": "block"}}},      # a threshold that is not a number
    {"skills": {"math": {"min": 0.9, "severity": "blok"}}},
    {"contamination": {"max_failing_prompt": 5, "severity": "block"}},
])
def test_profile_with_a_typo_in_a_threshold_key_is_an_input_error(tmp_path, release):
    """A user profile's misspelled setting never silently leaves the packaged threshold in force."""
    run = build_chain(tmp_path)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"name": "mine", "extends": "skill_release", "release": release}))
    with pytest.raises(PicochatInputError) as err:
        run_release_gate(run, path, write=False)
    assert "mine.yaml" in str(err.value)
    typo = tmp_path / "typo.yaml"
    typo.write_text(yaml.safe_dump({"name": "mine", "extends": "skill_release", "relase": {"min_n": 50},
                                    "preflight": {"release_token_budget": {"min_tokens_per_parm": 40}}}))
    with pytest.raises(PicochatInputError):
        run_release_gate(run, typo, write=False)


def _ship_tokenizer(run: RunDir) -> None:
    """Give the fixture's checkpoint a tokenizer, and score its fits and benchmark again with it (as a run whose
    checkpoint shipped one from the start: each report records the tokenizer's sha256)."""
    (run.released_checkpoint / "tokenizer.json").write_text('{"model": "released"}')
    for kind, rate in (("sft_fit", 0.92), ("sft_fit_heldout", 0.7)):
        write_fit(run, kind, rate, sft_file=run.task_pack_dir / "sft.jsonl", checkpoint=run.released_checkpoint)
    write_external(run, run.released_checkpoint)


def test_eval_of_the_released_weights_with_another_tokenizer_blocks(tmp_path):
    """Same weights, other tokenizer: the report is not about what is released (and a swapped tokenizer is stale)."""
    run = RunDir(build_chain(tmp_path))
    ckpt = run.released_checkpoint
    _ship_tokenizer(run)
    other = tmp_path / "other_tok"
    other.mkdir()
    (other / "tokenizer.json").write_text('{"model": "another"}')
    write_eval(run, "eval", result_rows(GOOD_SKILLS, 80), input_path=run.task_pack_dir / "eval.jsonl", checkpoint=ckpt)
    edit_json(run.eval_report("eval"), lambda r: r["model"].update(tokenizer=str(other), tokenizer_sha256=None))
    result = run_release_gate(run, "skill_release", write=False)
    assert check_named(result, "eval_model")["status"] == "block" and "does not record its sha256" in check_named(result, "eval_model")["why"]
    from picochat_hf.utils.provenance import input_sha256
    edit_json(run.eval_report("eval"), lambda r: r["model"].update(tokenizer_sha256=input_sha256(other)))
    result = run_release_gate(run, "skill_release", write=False)
    assert check_named(result, "eval_model")["status"] == "block" and "ships tokenizer" in check_named(result, "eval_model")["why"]
    edit_json(run.eval_report("eval"), lambda r: r["model"].update(tokenizer=str(ckpt), tokenizer_sha256=input_sha256(ckpt)))
    result = run_release_gate(run, "skill_release")
    assert all_pass_but_rerun(result), _not_passing(result)
    from picochat_hf.gates import verify_release
    (ckpt / "tokenizer.json").write_text('{"model": "swapped after the gate"}')
    assert verify_release(run)["state"] == "stale"


def test_eval_of_other_rows_than_the_run_planned_blocks(tmp_path):
    """An eval (and a scan) of an easier eval file than the one the run planned and preflighted is not the run's evidence."""
    from picochat_hf.utils.io import sha256_file
    run = RunDir(build_chain(tmp_path))
    planned = run.task_pack_dir / "eval.jsonl"
    edit_json(run.train_report("sft"), lambda r: r["inputs"].update(eval_input=str(planned), eval_input_sha256=sha256_file(planned)))
    assert all_pass_but_rerun(run_release_gate(run, "skill_release", write=False))
    easy = tmp_path / "easy_eval.jsonl"
    write_eval(run, "eval", result_rows({**GOOD_SKILLS, "math": 0.95}, 80), input_path=easy, checkpoint=run.released_checkpoint)
    edit_json(run.honesty_report, lambda h: (h["inputs"].update(eval=str(easy)), h["inputs"]["sha256"].update(eval=sha256_file(easy))))
    result = run_release_gate(run, "skill_release", write=False)
    assert result["status"] == "blocked" and check_named(result, "eval_rows_origin")["status"] == "block"
    assert check_named(result, "honesty_eval_file")["status"] == "pass"


def test_scan_of_another_corpus_than_the_base_run_trained_on_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path, n=ROWS))
    edit_json(run.train_report("base"), lambda r: r.update(inputs={"dataset_pack_sha256": "ab" * 32}))
    edit_json(run.honesty_report, lambda h: h["inputs"]["sha256"].update(corpus={"tiny_corpus.txt": "cd" * 32}))
    result = run_release_gate(run, "skill_release", write=False)
    assert result["status"] == "blocked" and check_named(result, "honesty_corpus_origin")["status"] == "block"
    edit_json(run.honesty_report, lambda h: h["inputs"]["sha256"].update(corpus={"dataset_pack": "ab" * 32}))
    assert all_pass_but_rerun(run_release_gate(run, "skill_release", write=False))


@pytest.mark.parametrize("break_link", [
    lambda run: edit_json(run.eval_report("sft_fit_heldout"), lambda r: r["config"].update(
        heldout_check={"status": "trained_on_heldout", "why": "training used all rows"})),
    lambda run: edit_json(run.train_report("sft"), lambda r: r.update(data={"heldout": None, "train_rows": 300})),
    lambda run: edit_json(run.train_report("sft"), lambda r: r.update(data={"heldout": {"val_fraction": 0.2, "seed": 1}})),
    lambda run: edit_json(run.eval_report("sft_fit"), lambda r: r["config"].update(input_sha256="ef" * 32)),
])
def test_fit_of_rows_sft_did_not_hold_out_or_another_file_blocks(tmp_path, break_link):
    """A held-out fit over rows training saw is recall; a fit of another file is not about the SFT run."""
    run = RunDir(build_chain(tmp_path, n=ROWS))
    for kind in ("sft_fit", "sft_fit_heldout"):
        edit_json(run.eval_report(kind), lambda r: r["config"].update(val_fraction=0.1, seed=0))
    edit_json(run.train_report("sft"), lambda r: r.update(data={"heldout": {"val_fraction": 0.1, "seed": 0}}))
    assert all_pass_but_rerun(run_release_gate(run, "skill_release", write=False))
    break_link(run)
    result = run_release_gate(run, "skill_release", write=False)
    assert result["status"] == "blocked", _not_passing(result)
    assert any(c["name"].endswith("_origin") and c["status"] == "block" for c in result["checks"])


def test_honesty_report_edited_to_read_clean_blocks(tmp_path):
    """Counts and status must follow from the scan's findings: a leak edited out of the numbers still blocks."""
    run = RunDir(build_chain(tmp_path, n=ROWS))
    leak = {"severity": "warn", "kind": "exact_sft_prompt", "eval_id": "e1", "reference": "s1", "value": None, "detail": "copied"}
    edit_json(run.honesty_report, lambda h: h.update(findings=[leak]))  # counts still 0, status ready, severity relabelled
    result = run_release_gate(run, "skill_release", write=False)
    assert result["status"] == "blocked" and check_named(result, "honesty_findings")["status"] == "block"
    edit_json(run.honesty_report, lambda h: h.pop("findings"))
    assert check_named(run_release_gate(run, "skill_release", write=False), "honesty_findings")["status"] == "block"


def test_profile_file_that_takes_a_packaged_profiles_name_is_an_input_error(tmp_path):
    """A copy of skill_release with lower thresholds, still named skill_release, would make a verdict (and a
    preflight that `accepts: [skill_release]` trusts) read as the packaged profile's."""
    run = build_chain(tmp_path, {**GOOD_SKILLS, "math": 0.1})
    path = tmp_path / "copy.yaml"
    path.write_text(yaml.safe_dump({"name": "skill_release", "extends": "skill_release",
                                    "release": {"skills": {"math": {"min": 0.05, "severity": "block"}}}}))
    with pytest.raises(PicochatInputError) as err:
        run_release_gate(run, path, write=False)
    assert "copy.yaml" in str(err.value) and "name" in str(err.value) and "packaged profile's name" in str(err.value)
    path.write_text(yaml.safe_dump({"name": "lenient_math", "extends": "skill_release",
                                    "release": {"skills": {"math": {"min": 0.05, "severity": "block"}}}}))
    result = run_release_gate(run, path, write=False)
    assert result["profile"] == "lenient_math" and check_named(result, "skill_math")["status"] == "pass"


def test_eval_of_an_export_the_manifest_vouches_for_must_hold_the_released_tensors(tmp_path):
    """An eval of weights X passes as "the export of the released checkpoint" only when export/ holds X and X's
    tensors are the released ones: another model's eval with export/release_manifest.json edited to name its
    weights blocks; an export holding the same tensors under another hash passes."""
    from safetensors.torch import save_file

    run = RunDir(build_chain(tmp_path, n=ROWS))
    released = weights_sha256(run.released_checkpoint)
    other = fake_weights(tmp_path / "other_model", seed=9)

    def vouch_for(folder: Path) -> None:
        got = weights_sha256(folder)
        write_json(run.release_manifest, {"weights_sha256": got, "source_weights_sha256": released})
        edit_json(run.eval_report("eval"), lambda r: r["model"].update(path=str(folder), weights_sha256=got))

    vouch_for(other)  # the manifest alone names the other model's weights
    c = check_named(run_release_gate(run.root, "skill_release", write=False), "eval_model")
    assert c["status"] == "block" and "export/ holds weights none recorded" in c["why"]
    fake_weights(run.export_dir, seed=9)  # export/ holds the other model
    vouch_for(run.export_dir)
    c = check_named(run_release_gate(run.root, "skill_release", write=False), "eval_model")
    assert c["status"] == "block" and c["why"].endswith("but its tensor w differs from the released checkpoint's.")
    save_file({"w": torch.arange(PARAMS, dtype=torch.float32)}, str(run.export_dir / "model.safetensors"), metadata={"format": "pt"})
    vouch_for(run.export_dir)
    assert weights_sha256(run.export_dir) != released
    c = check_named(run_release_gate(run.root, "skill_release", write=False), "eval_model")
    assert c["status"] == "pass" and "scored the export of the released checkpoint" in c["why"]


def test_visible_eval_of_the_first_rows_of_its_file_blocks(tmp_path):
    """An eval cut down by max_rows to the first rows of the pack's eval file (summary and results consistent,
    every verdict re-judging) is a subsample, not the visible eval."""
    from picochat_hf.eval.rows_eval import summarize

    run = RunDir(build_chain(tmp_path))
    assert check_named(run_release_gate(run, "skill_release", write=False), "eval_rows_whole")["status"] == "pass"
    results_path = RunDir.results_beside(run.eval_report("eval"))
    kept = [json.loads(line) for line in results_path.read_text().splitlines()][:200]
    results_path.write_text("".join(json.dumps(r) + "\n" for r in kept))
    edit_json(run.eval_report("eval"), lambda r: (r["config"].update(max_rows=200), r.update(summary=summarize(kept))))
    result = run_release_gate(run, "skill_release", write=False)
    assert check_named(result, "verdicts:eval/eval_report.json")["status"] == "pass"  # the 200 rows re-judge
    c = check_named(result, "eval_rows_whole")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert c["why"] == ("eval/eval_report.json scored 200 of the 480 rows of its eval file (max_rows 200); a release's visible eval "
                        "scores every row.")


def test_evidence_reached_through_a_link_outside_the_run_blocks(tmp_path):
    """eval/ as a link to a folder elsewhere (the same files, so every content check passes) is not the run's record."""
    run = RunDir(build_chain(tmp_path, n=ROWS))
    elsewhere = tmp_path / "shared_eval"
    run.eval_dir("eval").rename(elsewhere)
    run.eval_dir("eval").symlink_to(elsewhere, target_is_directory=True)
    result = run_release_gate(run, "skill_release", write=False)
    c = check_named(result, "evidence_inside_run")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert c["why"] == (f"eval/eval_report.json is a link to {elsewhere.resolve() / 'eval_report.json'}, outside the run directory "
                        "(1 more): evidence must be the run's own files.")
    assert check_named(result, "verdicts:eval/eval_report.json")["status"] == "pass"
    inside = RunDir(build_chain(tmp_path / "inside", n=ROWS))
    assert check_named(run_release_gate(inside, "skill_release", write=False), "evidence_inside_run")["status"] == "pass"


def test_scan_run_with_other_settings_than_the_shipped_ones_blocks(tmp_path):
    """A scan with a longer n-gram and a higher fail coverage finds fewer leaks: its clean status is no evidence."""
    run = RunDir(build_chain(tmp_path, n=ROWS))
    assert check_named(run_release_gate(run, "skill_release", write=False), "honesty_settings")["status"] == "pass"
    edit_json(run.honesty_report, lambda h: h["config"].update(ngram_size=30, fail_coverage=0.99))
    result = run_release_gate(run, "skill_release", write=False)
    c = check_named(result, "honesty_settings")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert c["why"] == ("The honesty scan ran with other settings than the shipped ones (ngram_size 30 instead of 8, fail_coverage 0.99 "
                        "instead of 0.5); re-run it with honesty/scan_defaults.yaml.")
    edit_json(run.honesty_report, lambda h: h.pop("config"))
    assert "ngram_size not recorded" in check_named(run_release_gate(run, "skill_release", write=False), "honesty_settings")["why"]


def test_named_checkpoint_that_this_runs_sft_did_not_write_blocks(tmp_path):
    """--checkpoint naming another model, with every eval re-pointed at it, would make this run's training and scan
    evidence about a model it never trained; a copy of the SFT output under another hash is still the release."""
    from safetensors.torch import save_file

    run = RunDir(build_chain(tmp_path, n=ROWS))
    other = fake_weights(tmp_path / "elsewhere", seed=5)
    for kind in ("eval", "sft_fit", "sft_fit_heldout"):
        edit_json(run.eval_report(kind), lambda r: r["model"].update(path=str(other), tokenizer=str(other), weights_sha256=weights_sha256(other)))
    edit_json(run.external_dir("arc_easy") / "eval_report.json", lambda r: r["model"].update(weights_sha256=weights_sha256(other)))
    result = run_release_gate(run, "skill_release", checkpoint=other, write=False)
    assert check_named(result, "eval_model")["status"] == "pass"
    c = check_named(result, "sft_checkpoint_origin")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert c["why"].endswith(f"but {other} holds weights {weights_sha256(other)[:12]}: the evidence of this run's training is not about it.")
    copy = tmp_path / "copy"
    copy.mkdir()
    save_file({"w": torch.arange(PARAMS, dtype=torch.float32)}, str(copy / "model.safetensors"), metadata={"format": "pt"})
    assert weights_sha256(copy) != weights_sha256(run.released_checkpoint)
    c = check_named(run_release_gate(run, "skill_release", checkpoint=copy, write=False), "sft_checkpoint_origin")
    assert c["status"] == "pass" and "holds the same tensors" in c["why"]


def test_preflight_edited_to_read_ready_blocks(tmp_path):
    """A blocked preflight whose status was edited to ready (its checks left as they were), or one whose status
    is not what the training run recorded, is not this run's preflight."""
    run = RunDir(build_chain(tmp_path, n=ROWS))
    assert check_named(run_release_gate(run, "skill_release", write=False), "preflight_record")["status"] == "pass"
    block = {"name": "lr", "status": "block", "value": 1.0, "threshold": 0.01, "why": "Learning rate 1.0 is above 0.01."}
    write_json(run.preflight, {"status": "ready", "profile": "skill_release", "checks": [block]})
    result = run_release_gate(run, "skill_release", write=False)
    c = check_named(result, "preflight_record")
    assert c["status"] == "block" and c["why"] == "gates/preflight.json says ready, but its own checks roll up to blocked."
    edit_json(run.train_report("sft"), lambda r: r["preflight"].update(status="blocked"))
    write_json(run.preflight, {"status": "ready", "profile": "skill_release", "checks": []})
    c = check_named(run_release_gate(run, "skill_release", write=False), "preflight_record")
    assert c["status"] == "block" and c["why"] == ("gates/preflight.json says ready, but sft/train_report.json recorded preflight status "
                                                   "blocked when it ran.")


def test_eval_file_the_run_never_planned_is_said_not_silently_passed(tmp_path):
    """Without a planned eval file in sft/train_report.json, an eval of any file the scan also covered would be
    taken as the run's; the gate now says the link is missing: missing evidence, which blocks a release profile (it
    was a warning under every profile) and warns under research."""
    run = RunDir(build_chain(tmp_path, n=ROWS))
    assert check_named(run_release_gate(run, "skill_release", write=False), "eval_rows_origin")["status"] == "pass"
    edit_json(run.train_report("sft"), lambda r: r["inputs"].pop("eval_input_sha256"))
    assert check_named(run_release_gate(run, "research", write=False), "eval_rows_origin")["status"] == "warn"
    result = run_release_gate(run, "skill_release", write=False)
    c = check_named(result, "eval_rows_origin")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert c["why"].startswith("sft/train_report.json records no planned eval rows (inputs.eval_input_sha256)")
    # the preflight hashed the eval rows it checked: a train report without that hash is not tied to them, and blocks
    tie = check_named(result, "preflight_plan")
    assert tie["status"] == "block" and result["status"] == "blocked" and "records no inputs.eval_input_sha256" in tie["why"]
