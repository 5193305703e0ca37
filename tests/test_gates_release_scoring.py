"""Which scoring rules judged an eval: the report records the sha256 of its effective scoring config.

Before, a report named its scoring YAML but not what it held: results scored under a user's config that was edited
afterwards, or under another config with the report renamed to the shipped one, looked like results of the rules it
names. The gate now loads the config a report names and compares its hash (`scoring:*`).
"""

from __future__ import annotations

import json
import os

from eval_fixtures import chat_row, llama_model, save_checkpoint, write_jsonl
from gate_fixtures import all_pass_but_rerun, build_chain, check_named, edit_json
from picochat_hf.eval.chat_eval import run_chat_eval
from picochat_hf.eval.scoring import SHIPPED_SCORING, load_scoring_config
from picochat_hf.eval.scoring_identity import scoring_sha256
from picochat_hf.eval.scoring_tables import tables_fingerprint, tables_sha256
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.release_scoring import scoring_problem
from picochat_hf.gates.release_tokens import budget_problem
from picochat_hf.run_dir import RunDir

EVAL = "scoring:eval/eval_report.json"
SHIPPED = scoring_sha256(load_scoring_config())
TABLES = tables_sha256(tables_fingerprint())


def _gate(run: RunDir) -> dict:
    return run_release_gate(run, "skill_release", write=False)


def _named(run: RunDir, name: str, digest: str) -> None:
    edit_json(run.eval_report("eval"), lambda r: r["config"].update(scoring_config=name, scoring_config_sha256=digest))


def test_a_user_config_edited_after_the_eval_blocks_and_the_unedited_one_passes(tmp_path):
    """Before: the report named scoring/mine.yaml and passed whatever the file held when the gate ran."""
    run = RunDir(build_chain(tmp_path))
    mine = run.root / "scoring" / "mine.yaml"
    mine.parent.mkdir()
    mine.write_text("echo_run_words: 10\n")  # the shipped value: the same rules, so the same verdicts
    digest = scoring_sha256(load_scoring_config(mine))
    assert digest == SHIPPED  # a key left out, or given its shipped value, judges the same: one hash
    _named(run, str(mine), digest)
    result = _gate(run)
    assert all_pass_but_rerun(result)
    assert check_named(result, EVAL)["why"] == (f"eval/eval_report.json was judged by the rules of {mine} (sha256 {digest[:12]}) and "
                                                f"the scorer's tables (sha256 {TABLES[:12]}).")
    mine.write_text("echo_run_words: 40\n")  # edited after the eval
    c = check_named(_gate(run), EVAL)
    now = scoring_sha256(load_scoring_config(mine))
    assert c["status"] == "block" and c["why"] == (
        f"eval/eval_report.json was judged under scoring rules {digest[:12]}, but {mine} now gives {now[:12]}: its verdicts were "
        "scored by rules other than the ones it names (the file edited since, or another picochat version's scorer); re-run the eval.")


def test_results_of_another_config_named_as_the_shipped_one_block(tmp_path):
    """Before: a report scored under a user's config and renamed to the shipped scorer looked default-scored."""
    run = RunDir(build_chain(tmp_path))
    other = tmp_path / "lenient.yaml"
    other.write_text("echo_run_words: 40\n")
    _named(run, SHIPPED_SCORING, scoring_sha256(load_scoring_config(other)))
    c = check_named(_gate(run), EVAL)
    assert c["status"] == "block" and c["why"].startswith(f"eval/eval_report.json was judged under scoring rules "
                                                          f"{scoring_sha256(load_scoring_config(other))[:12]}, but {SHIPPED_SCORING} now gives {SHIPPED[:12]}")
    _named(run, SHIPPED_SCORING, SHIPPED)  # the neighbour: default-scored and recorded so
    assert check_named(_gate(run), EVAL)["status"] == "pass"


def test_a_named_config_that_is_gone_blocks_and_one_moved_with_the_run_passes(tmp_path, monkeypatch):
    run = RunDir(build_chain(tmp_path))
    _named(run, "scoring/mine.yaml", SHIPPED)  # recorded relative to where the eval ran
    monkeypatch.chdir(tmp_path)
    c = check_named(_gate(run), EVAL)
    assert c["status"] == "block" and c["why"] == ("eval/eval_report.json names scoring config scoring/mine.yaml, which is gone, so "
                                                   "the rules that judged it cannot be loaded.")
    (run.root / "scoring").mkdir()
    (run.root / "scoring" / "mine.yaml").write_text("echo_run_words: 10\n")  # found under the run directory, wherever the gate runs
    result = _gate(run)
    assert os.getcwd() != str(run.root) and check_named(result, EVAL)["status"] == "pass"
    assert check_named(result, "verdicts:eval/eval_report.json")["status"] == "pass"  # re-judged with that file too


def test_a_report_without_the_hash_blocks_a_release_and_warns_under_research(tmp_path):
    """Before: a report with its scoring_config_sha256 removed passed as "unverified" under skill_release. Evidence
    the gate needs and cannot verify is missing evidence: it blocks under the release profiles, warns under research."""
    run = RunDir(build_chain(tmp_path))
    assert check_named(_gate(run), EVAL)["why"] == (f"eval/eval_report.json was judged by the rules of {SHIPPED_SCORING} (sha256 "
                                                    f"{SHIPPED[:12]}) and the scorer's tables (sha256 {TABLES[:12]}).")
    edit_json(run.eval_report("eval"), lambda r: r["config"].pop("scoring_config_sha256"))
    note = ("eval/eval_report.json records no config.scoring_config_sha256 (written before picochat recorded it, or removed), so "
            f"whether {SHIPPED_SCORING} still holds the rules that judged it is unverified")
    for profile in ("skill_release", "demo_release"):
        result = run_release_gate(run, profile, write=False)
        c = check_named(result, EVAL)
        assert result["status"] == "blocked" and c["status"] == "block"
        assert c["why"] == f"{note}; profile {profile} needs it: re-run the eval."
    research = run_release_gate(run, "research", write=False)
    c = check_named(research, EVAL)
    assert c["status"] == "warn" and c["why"] == f"{note}; profile research needs it: re-run the eval."


def test_chat_eval_records_the_scoring_hash_and_each_replys_token_counts(tiny_tokenizer, tmp_path):
    """What `eval chat` writes is what the gate holds it to: the effective scoring config's hash (the shipped one's,
    or a user's file's), and per reply the generated token count within max_new_tokens."""
    ckpt = save_checkpoint(llama_model(tiny_tokenizer, seed=1), tiny_tokenizer, tmp_path / "llama")
    rows = write_jsonl(tmp_path / "rows.jsonl", [chat_row(i, f"Tell me about the number {i}.", must_include=["x"]) for i in range(3)])
    rep = run_chat_eval(rows, ckpt, tmp_path / "eval", max_new_tokens=6, batch_size=2, progress=False)
    assert rep["config"]["scoring_config_sha256"] == SHIPPED and rep["config"]["reply_token_counts"] is True
    assert rep["config"]["scoring_tables_sha256"] == TABLES and set(rep["config"]["scoring_tables"]) >= {"decline_forms.yaml", "asked_topics.yaml"}
    results = [json.loads(line) for line in (tmp_path / "eval" / "results.jsonl").read_text().splitlines()]
    for r in results:
        assert 1 <= r["num_generated_tokens"] <= 6 and r["hit_token_limit"] is (not r["stopped_on_eos"])
        assert r["reply_tokens"] == r["num_generated_tokens"] - r["stopped_on_eos"]
        assert r["stopped_on_eos"] or r["num_generated_tokens"] == 6
    assert budget_problem(results, 6, None, True) == (None, False)
    mine = tmp_path / "mine.yaml"
    mine.write_text("echo_run_words: 12\n")
    rep = run_chat_eval(rows, ckpt, tmp_path / "eval_mine", max_new_tokens=6, scoring_config=mine, progress=False)
    assert rep["config"]["scoring_config_sha256"] == scoring_sha256(load_scoring_config(mine)) != SHIPPED
    assert scoring_problem(None, rep["config"]) is None
