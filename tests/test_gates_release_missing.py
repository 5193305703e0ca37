"""Evidence the release gate needs and cannot verify blocks under the release profiles and warns under research.

Before, a report of generated replies with its `max_new_tokens` removed skipped the budget check altogether (the
token counts were then never read), a train report without `inputs.sft_input_sha256` left the fit untied to the
file trained on without a word, and a visible eval with too few non-choice rows to judge warned under every profile.
Each now takes the profile's `missing_evidence` severity (or the rule's own under a release profile), naming the
file and field; the same evidence recorded passes.
"""

from __future__ import annotations

from gate_fixtures import all_pass_but_rerun, build_chain, check_named, edit_json
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir


def _gates(run: RunDir) -> tuple[dict, dict]:
    return run_release_gate(run, "skill_release", write=False), run_release_gate(run, "research", write=False)


def test_a_report_without_its_generation_budget_blocks_and_the_recorded_one_passes(tmp_path):
    run = RunDir(build_chain(tmp_path))
    result = run_release_gate(run, "skill_release", write=False)
    assert all_pass_but_rerun(result)  # the fixture records max_new_tokens and every reply's token counts, as the evals do
    assert check_named(result, "settings:sft_fit/eval_report.json")["status"] == "pass"
    for kind in ("eval", "sft_fit"):
        edit_json(run.eval_report(kind), lambda r: [r["config"].pop(k) for k in ("max_new_tokens", "reply_token_counts")])
    release, research = _gates(run)
    for kind in ("eval", "sft_fit"):
        name = f"settings:{kind}/eval_report.json"
        c = check_named(release, name)
        assert c["status"] == "block" and release["status"] == "blocked" and check_named(research, name)["status"] == "warn"
        assert c["why"] == (f"{kind}/eval_report.json records no config.max_new_tokens for the replies in {kind}/results.jsonl "
                            "(removed, or written by hand), so whether each reply stayed within a generation budget is "
                            "unverified; profile skill_release needs them: re-run the eval.")


def test_fits_untied_to_the_file_trained_on_block(tmp_path):
    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("sft"), lambda r: r["inputs"].pop("sft_input_sha256"))
    release, research = _gates(run)
    for kind in ("sft_fit", "sft_fit_heldout"):
        c = check_named(release, f"{kind}_origin")
        assert c["status"] == "block" and check_named(research, f"{kind}_origin")["status"] == "warn"
        assert c["why"] == (f"sft/train_report.json records no inputs.sft_input_sha256, so the rows {kind}/eval_report.json scored "
                            "cannot be tied to the SFT file trained on.")


def test_too_few_non_choice_rows_to_judge_block_a_release(tmp_path):
    run = RunDir(build_chain(tmp_path, n=3))  # 3 rows of each of 5 non-choice skills: 15, under min_rows 20
    release, research = _gates(run)
    c = check_named(release, "visible_eval")
    assert c["status"] == "block" and check_named(research, "visible_eval")["status"] == "warn"
    assert c["why"] == "Only 15 non-choice eval rows (fewer than 20); too few to judge the visible pass rate."
