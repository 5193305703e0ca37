"""The generation budget, held to each reply's recorded token count.

Results did not record how many tokens each reply was generated with, so the gate could only bound the budget from
the replies' lengths: a reply recorded as generated with more tokens than `max_new_tokens`, or one that ran out of
budget early without a stop token, passed. Results now record `num_generated_tokens` and `stopped_on_eos`; the
gate holds every reply to at most the budget and a reply that did not stop on EOS to exactly the budget. Results
without the counts (stripped, or written before they existed) block under a release profile and warn under research.
"""

from __future__ import annotations

import json

from gate_fixtures import all_pass_but_rerun, build_chain, build_chain_with_tokenizer, check_named, edit_json
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.release_tokens import budget_problem
from picochat_hf.run_dir import RunDir

EVAL = "settings:eval/eval_report.json"


def _counted(run: RunDir, budget: int = 64, change=None) -> None:
    """The visible eval as `eval chat` now writes it: a budget, and each generated reply's token counts (one token per
    character and a stop token, which fits any vocabulary); `change(result)` edits the results after."""
    edit_json(run.eval_report("eval"), lambda r: r["config"].update(max_new_tokens=budget, decoding="greedy", reply_token_counts=True))
    path = RunDir.results_beside(run.eval_report("eval"))
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    for r in rows:
        if "choice" not in r:
            r.update(num_generated_tokens=len(r["reply"]) + 1, stopped_on_eos=True, reply_tokens=len(r["reply"]), hit_token_limit=False)
    if change is not None:
        change(rows)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def _first_generated(rows: list[dict]) -> dict:
    return next(r for r in rows if "choice" not in r)


def _gate(run: RunDir) -> dict:
    return run_release_gate(run, "skill_release", write=False)


def test_recorded_counts_within_the_budget_pass_and_say_nothing_is_unverified(tmp_path):
    run = RunDir(build_chain(tmp_path))
    _counted(run)
    result = _gate(run)
    c = check_named(result, EVAL)
    assert all_pass_but_rerun(result) and "unverified" not in c and c["why"] == (
        "eval/eval_report.json's recorded decoding and generation budget agree with its replies.")
    assert not any("settings:eval/eval_report.json" in line for line in result["unverified"])


def test_a_reply_generated_with_more_tokens_than_the_budget_blocks(tmp_path):
    """Before: 'identity-0' recording 65 generated tokens under max_new_tokens 64 passed (its text fits 64 tokens)."""
    run = RunDir(build_chain(tmp_path))
    _counted(run, change=lambda rows: _first_generated(rows).update(num_generated_tokens=65, reply_tokens=64))
    c = check_named(_gate(run), EVAL)
    assert c["status"] == "block"
    assert c["why"] == "eval/eval_report.json row 'identity-0' generated 65 tokens, more than max_new_tokens 64."


def test_a_reply_that_did_not_stop_on_eos_must_use_the_whole_budget(tmp_path):
    """Before: a reply cut at the token limit after 20 of 64 tokens passed; greedy generation only ends early on a stop
    token. The neighbour: a cut reply that used all 64 tokens passes."""
    run = RunDir(build_chain(tmp_path))

    def cut_at(n: int):
        return lambda rows: _first_generated(rows).update(num_generated_tokens=n, stopped_on_eos=False, reply_tokens=n, hit_token_limit=True)

    _counted(run, change=cut_at(20))
    c = check_named(_gate(run), EVAL)
    assert c["status"] == "block" and c["why"] == (
        "eval/eval_report.json row 'identity-0' did not stop on EOS yet generated 20 tokens: greedy generation under "
        "max_new_tokens 64 ends early only on a stop token.")
    _counted(run, change=cut_at(64))
    assert check_named(_gate(run), EVAL)["status"] == "pass"


def test_counts_that_disagree_with_the_fields_they_give_block():
    """hit_token_limit is `not stopped_on_eos`, reply_tokens leaves the stop token out; a count that is no count blocks.
    The neighbour: the honest record of '101' (3 tokens and a stop token) passes."""
    honest = {"id": "x", "reply": "101", "num_generated_tokens": 4, "stopped_on_eos": True, "reply_tokens": 3, "hit_token_limit": False}
    assert budget_problem([honest], 64, None, True) == (None, False)
    for change, said in (
        ({"hit_token_limit": True}, "row 'x' records hit_token_limit True, but stopped_on_eos True"),
        ({"reply_tokens": 4}, "row 'x' records reply_tokens 4, but 4 generated tokens less its stop token are 3"),
        ({"num_generated_tokens": "4"}, "row 'x' records num_generated_tokens '4' and stopped_on_eos True, not a count of generated "
                                        "tokens and a yes/no"),
        ({"num_generated_tokens": 0, "stopped_on_eos": False}, "row 'x' records num_generated_tokens 0 and stopped_on_eos False, not"),
    ):
        why, unverified = budget_problem([{**honest, **change}], 64, None, True)
        assert why is not None and why.startswith(said) and not unverified


def test_a_reply_longer_than_its_recorded_tokens_can_decode_to_blocks(tmp_path):
    """The shipped vocabulary's longest token has 3 characters: 'I do not know that.' (19) needs at least 5 tokens, so a
    record of 3 generated tokens (2 and a stop token) is not its record; 6 (5 and a stop token) is."""
    run = RunDir(build_chain_with_tokenizer(tmp_path))

    def refusal(n: int):
        def change(rows: list[dict]) -> None:
            row = next(r for r in rows if r["reply"] == "I do not know that.")
            row.update(num_generated_tokens=n, reply_tokens=n - 1)
        return change

    _counted(run, change=refusal(3))
    c = check_named(_gate(run), EVAL)
    assert c["status"] == "block" and c["why"].endswith("'s reply (19 characters) needs at least 5 tokens, more than the 2 it records generating.")
    _counted(run, change=refusal(6))
    assert check_named(_gate(run), EVAL)["status"] == "pass"


def test_counts_removed_from_a_report_block_under_a_release_profile_and_warn_under_research(tmp_path):
    """Before: deleting a reply's counts hid it from the exact check, and deleting every count with the report's
    `reply_token_counts` flag passed as "unverified". A report that says it records them and a reply without them
    blocks; results with no counts at all (stripped, or written before they existed) are missing evidence: they block
    under the release profiles and warn only under research, naming the results file and the fields."""
    run = RunDir(build_chain(tmp_path))

    def drop(rows: list[dict]) -> None:
        for key in ("num_generated_tokens", "stopped_on_eos"):
            _first_generated(rows).pop(key)

    _counted(run, change=drop)
    c = check_named(_gate(run), EVAL)
    assert c["status"] == "block" and c["why"] == (
        "eval/eval_report.json row 'identity-0' records no num_generated_tokens, though the report says its results record them.")
    _counted(run, change=lambda rows: [r.pop(k, None) for r in rows for k in ("num_generated_tokens", "stopped_on_eos", "reply_tokens")])
    edit_json(run.eval_report("eval"), lambda r: r["config"].pop("reply_token_counts"))
    note = ("eval/results.jsonl records no num_generated_tokens or stopped_on_eos for its replies (written before picochat recorded "
            "them, or removed), so whether each reply stayed within max_new_tokens is unverified: only the replies' lengths bound it")
    for profile in ("skill_release", "first_release"):
        result = run_release_gate(run, profile, write=False)
        c = check_named(result, EVAL)
        assert result["status"] == "blocked" and c["status"] == "block"
        assert c["why"] == f"{note}; profile {profile} needs them: re-run the eval."
    c = check_named(run_release_gate(run, "research", write=False), EVAL)
    assert c["status"] == "warn" and c["why"] == f"{note}; profile research needs them: re-run the eval."


def test_the_share_of_replies_cut_at_the_limit_must_follow_from_the_rows():
    """Before: a summary claiming no reply was cut at max_new_tokens, over rows recording cut replies, re-derived clean."""
    from picochat_hf.eval.rows_eval import summarize
    from picochat_hf.export.rederive import rederive

    rows = [{"id": f"r{i}", "skill": "math", "category": "math", "stage": "s", "passed": True, "failures": [], "echo": False,
             "expects_refusal": False, "unsupported_claim": False, "format_ok": None, "hit_token_limit": i < 3} for i in range(10)]
    report = {"summary": summarize(rows)}
    assert report["summary"]["hit_token_limit_rate"] == 0.3 and rederive(report, rows) == []
    report["summary"]["hit_token_limit_rate"] = 0.0
    assert rederive(report, rows) == ["summary.hit_token_limit_rate: reported 0.0, the rows give 0.3"]
