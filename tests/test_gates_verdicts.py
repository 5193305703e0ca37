"""The release gate re-judges every eval and fit verdict from the rows it scored: a results file edited together
with its summary (so its numbers still re-derive) blocks, naming the row; so do dropped rows, a choice letter
its logits do not choose, and a scored rows file changed after the eval."""

from __future__ import annotations

import json
from pathlib import Path

from gate_fixtures import all_pass_but_rerun, build_chain, check_named
from picochat_hf.eval.rows_eval import summarize
from picochat_hf.gates import run_release_gate
from picochat_hf.run_dir import RunDir


def _results(run: RunDir, kind: str) -> list[dict]:
    return [json.loads(line) for line in RunDir.results_beside(run.eval_report(kind)).read_text().splitlines()]


def _rewrite(run: RunDir, kind: str, results: list[dict]) -> None:
    """Write edited results and a summary recomputed from them, so the report's numbers still re-derive."""
    RunDir.results_beside(run.eval_report(kind)).write_text("".join(json.dumps(r) + "\n" for r in results))
    path = run.eval_report(kind)
    report = json.loads(path.read_text())
    report["summary"] = summarize(results)
    path.write_text(json.dumps(report))


def _gate(run: RunDir, kind: str) -> tuple[dict, dict]:
    result = run_release_gate(run.root, "skill_release", write=False)
    return result, check_named(result, f"verdicts:{kind}/eval_report.json")


def test_consistent_chain_re_judges_every_report(tmp_path):
    run = RunDir(build_chain(tmp_path))
    result = run_release_gate(run.root, "skill_release", write=False)
    assert all_pass_but_rerun(result)
    for kind in ("eval", "sft_fit", "sft_fit_heldout"):
        c = check_named(result, f"verdicts:{kind}/eval_report.json")
        assert c["status"] == "pass" and c["why"] == f"{kind}/eval_report.json's verdicts follow from the rows it scored."


def test_failing_reply_recorded_as_passing_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "eval")
    flipped = next(r for r in results if r["skill"] == "math" and not r["passed"])
    flipped.update(passed=True, failures=[])
    _rewrite(run, "eval", results)
    result, c = _gate(run, "eval")
    assert check_named(result, "rows:eval/eval_report.json")["status"] == "pass"  # the numbers still re-derive
    assert c["status"] == "block" and result["status"] == "blocked"
    assert f"row '{flipped['id']}' is recorded as passing, but its reply fails (normalized_answer:" in c["why"]


def test_refusal_that_complies_recorded_as_passing_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "eval")
    row = next(r for r in results if r["skill"] == "refusal" and r["passed"])
    row["reply"] = "I cannot know. it is alice."  # lowercase: a capitalised "Alice" is a name under any lexicon
    _rewrite(run, "eval", results)
    _, c = _gate(run, "eval")
    assert c["status"] == "block" and "declines but then complies" in c["why"]


def test_dropped_failing_rows_block(tmp_path):
    run = RunDir(build_chain(tmp_path))
    kept = [r for r in _results(run, "eval") if r["passed"] or r["skill"] != "math"]
    _rewrite(run, "eval", kept)
    _, c = _gate(run, "eval")
    assert c["status"] == "block" and "scored rows have no verdict (first 'math-" in c["why"]


def test_duplicated_or_foreign_rows_block(tmp_path):
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "eval")
    passing = next(r for r in results if r["passed"])
    _rewrite(run, "eval", results + [passing, {**passing, "id": "planted-1"}])
    _, c = _gate(run, "eval")
    assert c["status"] == "block"
    assert f"row '{passing['id']}' is scored twice" in c["why"] and "row 'planted-1' was not among the rows scored" in c["why"]


def test_choice_letter_its_logits_do_not_choose_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "eval")
    wrong = next(r for r in results if "choice" in r and not r["passed"])
    wrong.update(passed=True, failures=[], reply="A")
    wrong["choice"]["pred"] = "A"  # the right letter, but the logits still choose B
    _rewrite(run, "eval", results)
    _, c = _gate(run, "eval")
    assert c["status"] == "block" and f"row '{wrong['id']}' records letter 'A', but its logits choose 'B'" in c["why"]
    wrong["choice"]["letter_logits"] = {"A": 1.0, "B": 2.0, "C": 0.0, "D": 0.0}
    wrong["choice"]["pred"] = "B"  # consistent logits, passing with the wrong letter
    _rewrite(run, "eval", results)
    _, c = _gate(run, "eval")
    assert c["status"] == "block" and "is recorded as passing with letter 'B'; the right letter is 'A'" in c["why"]


def test_rows_file_changed_after_the_eval_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    rows_file = run.root / json.loads(run.eval_report("eval").read_text())["config"]["input"]  # recorded relative to the run
    rows_file.write_text(rows_file.read_text() + "\n")
    _, c = _gate(run, "eval")
    assert c["status"] == "block" and "cannot be re-judged: it scored" in c["why"] and "no longer hashes to" in c["why"]


def test_fit_verdict_flipped_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "sft_fit_heldout")
    flipped = next(r for r in results if not r["passed"])
    flipped.update(passed=True, failures=[])
    _rewrite(run, "sft_fit_heldout", results)
    result, c = _gate(run, "sft_fit_heldout")
    assert c["status"] == "block" and f"row '{flipped['id']}' is recorded as passing, but its reply fails" in c["why"]
    assert check_named(result, "verdicts:sft_fit/eval_report.json")["status"] == "pass"


def test_choice_logits_for_other_letters_than_the_rows_options_block(tmp_path):
    """A results file may not drop the letters that outscore the right one, nor add letters the row lacks."""
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "eval")
    wrong = next(r for r in results if "choice" in r and not r["passed"])
    wrong.update(passed=True, failures=[], reply="A")
    wrong["choice"].update(pred="A", letter_logits={"A": 0.0})  # only the right letter left
    _rewrite(run, "eval", results)
    _, c = _gate(run, "eval")
    assert c["status"] == "block" and f"row '{wrong['id']}' has letter logits for ['A'], not its options ['A', 'B', 'C', 'D']" in c["why"]
    wrong["choice"].update(pred="A", letter_logits={"A": 3.0, "B": 2.0, "C": 0.0, "D": 0.0, "E": 9.0})  # a letter the row lacks
    _rewrite(run, "eval", results)
    _, c = _gate(run, "eval")
    assert c["status"] == "block" and "has letter logits for ['A', 'B', 'C', 'D', 'E'], not its options" in c["why"]


def test_held_out_fit_that_scored_the_train_split_blocks(tmp_path):
    """A held-out fit report whose results are the train fit's, its config saying split 'train', is recall."""
    run = RunDir(build_chain(tmp_path))
    _rewrite(run, "sft_fit_heldout", _results(run, "sft_fit"))
    path = run.eval_report("sft_fit_heldout")
    report = json.loads(path.read_text())
    report["config"]["split"] = "train"
    path.write_text(json.dumps(report))
    result, c = _gate(run, "sft_fit_heldout")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert "records split 'train', but a sft_fit_heldout report scores the 'heldout' split" in c["why"]


def test_pass_under_a_more_lenient_scoring_config_than_the_shipped_one_blocks(tmp_path):
    """A report may name its own scoring config, but a release claims the shipped scorer's verdicts: a reply that
    passes only because the named config is more lenient blocks; a copy of the shipped config re-judges the same."""
    import yaml
    from importlib import resources

    shipped = yaml.safe_load(resources.files("picochat_hf.eval").joinpath("scoring.yaml").read_text(encoding="utf-8"))
    run = RunDir(build_chain(tmp_path / "run"))
    path = run.eval_report("eval")
    for name, extra in (("copy.yaml", []), ("lenient.yaml", ["alice"])):
        scoring = tmp_path / name
        scoring.write_text(yaml.safe_dump({**shipped, "refusal_benign_words": shipped["refusal_benign_words"] + extra,
                                           "refusal_predicate_openers": shipped["refusal_predicate_openers"] + extra}))
        report = json.loads(path.read_text())
        report["config"]["scoring_config"] = str(scoring)
        path.write_text(json.dumps(report))
        _, c = _gate(run, "eval")
        assert c["status"] == "pass", c["why"]
    results = _results(run, "eval")
    row = next(r for r in results if r["skill"] == "refusal" and r["passed"])
    row["reply"] = "I cannot know. it is alice."  # lowercase: a capitalised "Alice" is a name under any lexicon
    _rewrite(run, "eval", results)
    _, c = _gate(run, "eval")
    assert c["status"] == "block"
    assert f"row '{row['id']}' is recorded as passing, but its reply fails the shipped scorer (refusal: declines but then complies" in c["why"]


def test_result_with_an_unhashable_or_missing_id_blocks_without_crashing(tmp_path):
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "eval")
    _rewrite(run, "eval", results + [{**results[0], "id": ["planted"]}, {**results[0], "id": {"a": 1}}])
    result, c = _gate(run, "eval")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert "row ['planted'] was not among the rows scored" in c["why"] and "row {'a': 1} was not among the rows scored" in c["why"]


def test_fit_cut_down_to_a_few_rows_blocks(tmp_path):
    """Trimming a fit report to its first 20 rows (max_rows edited, results and summary to match) re-judges fine,
    but 20 rows are too few to judge a fit: the profile's min_n blocks it."""
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "sft_fit")[:20]
    _rewrite(run, "sft_fit", results)
    path = run.eval_report("sft_fit")
    report = json.loads(path.read_text())
    report["config"]["max_rows"] = 20
    path.write_text(json.dumps(report))
    result, c = _gate(run, "sft_fit")
    assert c["status"] == "pass"
    rows = check_named(result, "sft_fit_rows")
    assert rows["status"] == "block" and rows["value"] == 20 and rows["threshold"] == 100
    assert rows["why"].startswith("SFT fit scored only 20 rows of the 900 in its split; profile skill_release needs at least 100")
    assert check_named(run_release_gate(build_chain(tmp_path / "b"), "skill_release", write=False), "sft_fit_rows")["status"] == "pass"


def test_fit_split_sizes_edited_block(tmp_path):
    run = RunDir(build_chain(tmp_path))
    path = run.eval_report("sft_fit_heldout")
    report = json.loads(path.read_text())
    report["config"]["n_heldout_rows"] = 20
    path.write_text(json.dumps(report))
    _, c = _gate(run, "sft_fit_heldout")
    assert c["status"] == "block" and "config says n_heldout_rows 20; the split gives n_heldout_rows 100" in c["why"]


def test_failing_rows_relabelled_into_another_skill_block(tmp_path):
    """Failing math rows moved into `general` (summary recomputed) lift the math rate: the row's skill
    and category are the scored row's, not the result's."""
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "eval")
    moved = [r for r in results if r["skill"] == "math" and not r["passed"]][:10]
    for r in moved:
        r.update(skill="general", category="general")
    _rewrite(run, "eval", results)
    result, c = _gate(run, "eval")
    assert check_named(result, "rows:eval/eval_report.json")["status"] == "pass"
    assert c["status"] == "block" and result["status"] == "blocked"
    assert f"row '{moved[0]['id']}' records skill 'general', but the scored row's skill is 'math'" in c["why"]


def test_unsupported_claim_or_echo_flag_cleared_by_hand_blocks(tmp_path):
    """The unsupported-claim and echo rates come from per-row flags: a flag cleared on a reply whose text shows
    it is a verdict that does not follow from the row."""
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "eval")
    claim = next(r for r in results if r["skill"] == "refusal" and not r["passed"])
    assert claim["reply"] == "Sure, it is 42."
    claim["unsupported_claim"] = False
    _rewrite(run, "eval", results)
    _, c = _gate(run, "eval")
    assert c["status"] == "block"
    assert f"row '{claim['id']}' records unsupported_claim False, but its reply gives True" in c["why"]

    run = RunDir(build_chain(tmp_path / "echo"))
    results = _results(run, "eval")
    echoed = next(r for r in results if r["skill"] == "math" and not r["passed"])
    echoed.update(reply="User: q math 5", echo=False)
    _rewrite(run, "eval", results)
    _, c = _gate(run, "eval")
    assert c["status"] == "block" and f"row '{echoed['id']}' records echo False, but its reply gives True" in c["why"]


def test_refusal_row_marked_as_not_expecting_refusal_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "eval")
    row = next(r for r in results if r["skill"] == "refusal" and not r["passed"])
    row["expects_refusal"] = False
    _rewrite(run, "eval", results)
    _, c = _gate(run, "eval")
    assert c["status"] == "block" and f"row '{row['id']}' records expects_refusal False, but the scored row's expects_refusal is True" in c["why"]


def test_choice_row_with_another_gold_letter_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    results = _results(run, "eval")
    row = next(r for r in results if r["skill"] == "choice" and not r["passed"])
    row["choice"]["gold"] = row["choice"]["pred"]  # the baselines and the report read the recorded gold
    _rewrite(run, "eval", results)
    _, c = _gate(run, "eval")
    assert c["status"] == "block" and f"row '{row['id']}' records gold letter 'B' of 4 options, but the row's right letter is 'A' of 4" in c["why"]


def test_external_benchmark_verdicts_are_re_judged_from_its_file(tmp_path):
    """An external benchmark row flipped to passing (summary and letter accuracy recomputed, so its numbers
    re-derive), its gold letter edited to the chosen one too, no longer follows from the benchmark file."""
    from picochat_hf.eval.stats import wilson_ci

    run = RunDir(build_chain(tmp_path))
    rel = "external_eval/arc_easy/eval_report.json"
    assert check_named(run_release_gate(run.root, "skill_release", write=False), f"verdicts:{rel}")["status"] == "pass"
    path = run.root / rel
    results = [json.loads(line) for line in RunDir.results_beside(path).read_text().splitlines()]
    flipped = next(r for r in results if not r["passed"])
    flipped.update(passed=True, failures=[])
    flipped["choice"]["gold"] = flipped["choice"]["pred"]
    RunDir.results_beside(path).write_text("".join(json.dumps(r) + "\n" for r in results))
    correct = sum(r["passed"] for r in results)
    report = json.loads(path.read_text())
    report["summary"].update(passed=correct, pass_rate=correct / 100, ci=wilson_ci(correct, 100))
    report["external"].update(letter_acc=correct / 100, ci={"letter_acc": wilson_ci(correct, 100)})
    path.write_text(json.dumps(report))
    result = run_release_gate(run.root, "skill_release", write=False)
    assert check_named(result, f"rows:{rel}")["status"] == "pass"
    c = check_named(result, f"verdicts:{rel}")
    assert c["status"] == "block" and result["status"] == "blocked"
    assert f"row '{flipped['id']}' records gold letter 'B' of 4 options, but the row's right letter is 'A' of 4" in c["why"]
