"""The settings a report records for what it measured agree with its replies: a decoding or a generation budget
edited by hand (the replies left as they were) passed every check; they now block, naming the field. The settings
that choose the scored rows (a fit's split seed and fraction) already block through the rows they no longer give."""

from __future__ import annotations

import json

from gate_fixtures import all_pass_but_rerun, build_chain, build_chain_with_tokenizer, check_named, edit_json
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.release_config import longest_token
from picochat_hf.run_dir import RunDir

EVAL = "settings:eval/eval_report.json"


def _recorded(run: RunDir, **config) -> None:
    """Every eval and fit report records `config` as the eval writers do (greedy, their token budget)."""
    for kind in ("eval", "sft_fit", "sft_fit_heldout"):
        edit_json(run.eval_report(kind), lambda r: r["config"].update(config))


def _gate(run: RunDir) -> dict:
    return run_release_gate(run, "skill_release", write=False)


def _old_results(run: RunDir) -> None:
    """Results as written before the evals recorded each reply's token counts: only the replies' lengths bound the budget."""
    for kind in ("eval", "sft_fit", "sft_fit_heldout"):
        edit_json(run.eval_report(kind), lambda r: r["config"].pop("reply_token_counts", None))
        results = RunDir.results_beside(run.eval_report(kind))
        rows = [json.loads(line) for line in results.read_text().splitlines()]
        drop = ("num_generated_tokens", "stopped_on_eos", "reply_tokens")
        results.write_text("".join(json.dumps({k: v for k, v in r.items() if k not in drop}) + "\n" for r in rows))


def _only_counts_missing(result: dict) -> bool:
    """The length rule holds: what is left of `settings:eval/...` is the missing counts (missing evidence: a block)."""
    c = check_named(result, EVAL)
    return c["status"] == "block" and c["why"].startswith("eval/results.jsonl records no num_generated_tokens or stopped_on_eos")


def test_a_report_recording_sampled_replies_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    _recorded(run, decoding="greedy", max_new_tokens=64, temperature=None)
    assert all_pass_but_rerun(_gate(run))  # the writers' own settings
    for key, value in (("decoding", "sample"), ("temperature", 0.8), ("do_sample", True), ("top_p", 0.9), ("num_beams", 4)):
        edit_json(run.eval_report("eval"), lambda r: r["config"].update({key: value}))
        result = _gate(run)
        c = check_named(result, EVAL)
        assert c["status"] == "block" and result["status"] == "blocked"
        assert c["why"] == (f"eval/eval_report.json records {key} {value!r}, but picochat evals and the gate's re-run decode "
                            "greedily, so its replies are not what the gate re-judges and re-runs.")
        _recorded(run, decoding="greedy", temperature=0.0, do_sample=False, top_p=1.0, num_beams=1)


def test_greedy_settings_stated_as_their_neutral_values_pass(tmp_path):
    run = RunDir(build_chain(tmp_path))
    _recorded(run, decoding="greedy", temperature=0.0, do_sample=False, top_p=1.0, num_beams=1, max_new_tokens=64)
    result = _gate(run)
    assert check_named(result, EVAL)["status"] == "pass" and all_pass_but_rerun(result)


def test_a_budget_edited_below_what_the_replies_needed_blocks_without_a_tokenizer(tmp_path):
    """No vocabulary to read: a non-empty reply needs one token, so max_new_tokens 1 with hit_token_limit false is not
    what generated it (and 0, or a non-number, is no budget)."""
    run = RunDir(build_chain(tmp_path))
    _old_results(run)
    _recorded(run, max_new_tokens=1)
    c = check_named(_gate(run), EVAL)
    assert c["status"] == "block"
    assert c["why"] == ("eval/eval_report.json row 'identity-0''s reply needs at least 1 token, all of max_new_tokens 1, yet records "
                        "hit_token_limit false.")
    for bad in (0, "64", True):
        _recorded(run, max_new_tokens=bad)
        c = check_named(_gate(run), EVAL)
        assert c["status"] == "block" and c["why"] == f"eval/eval_report.json records max_new_tokens {bad!r}, not a count of tokens."
    _recorded(run, max_new_tokens=2)  # the neighbour: the smallest budget the replies fit under
    assert _only_counts_missing(_gate(run))


def test_a_budget_edited_below_what_the_replies_needed_blocks_with_the_shipped_vocabulary(tmp_path):
    """The shipped vocabulary's longest token has 3 characters, so 'I do not know that.' (19) needs at least 5 tokens."""
    run = RunDir(build_chain_with_tokenizer(tmp_path))
    assert longest_token(run.released_checkpoint) == 3
    _recorded(run, decoding="greedy", max_new_tokens=64)
    assert all_pass_but_rerun(_gate(run))  # the counts recorded, as the evals write them
    _old_results(run)
    assert _only_counts_missing(_gate(run))
    _recorded(run, max_new_tokens=4)
    c = check_named(_gate(run), EVAL)
    assert c["status"] == "block" and "needs at least 5 tokens, more than max_new_tokens 4" in c["why"]
    _recorded(run, max_new_tokens=5)  # all of the budget, yet recorded as stopping short of it
    c = check_named(_gate(run), EVAL)
    assert c["status"] == "block" and "needs at least 5 tokens, all of max_new_tokens 5, yet records hit_token_limit false" in c["why"]
    results = RunDir.results_beside(run.eval_report("eval"))
    rows = [json.loads(line) for line in results.read_text().splitlines()]
    results.write_text("".join(json.dumps({**r, "hit_token_limit": True}) + "\n" for r in rows))  # the honest record of a cut reply
    assert _only_counts_missing(_gate(run))
    _recorded(run, max_new_tokens=6)
    results.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert _only_counts_missing(_gate(run))


def test_a_fit_split_setting_edited_by_hand_blocks(tmp_path):
    run = RunDir(build_chain(tmp_path))
    for kind, change in (("sft_fit_heldout", {"seed": 7}), ("sft_fit", {"seed": 7}), ("sft_fit", {"val_fraction": 0.2})):
        before = json.loads(run.eval_report(kind).read_text())
        edit_json(run.eval_report(kind), lambda r: r["config"].update(change))
        result = _gate(run)
        c = check_named(result, f"verdicts:{kind}/eval_report.json")
        assert c["status"] == "block" and result["status"] == "blocked"
        run.eval_report(kind).write_text(json.dumps(before))


def test_a_heldout_check_edited_to_held_out_blocks_and_the_one_the_files_give_passes(tmp_path):
    """The held-out fit's own word that SFT left its rows out, worked out again from sft/train_report.json: the fixture's
    SFT report (its data section removed) records no split, so the fit can only say 'unknown'; 'held_out' written in by hand blocks."""
    from picochat_hf.eval.splits import DEFAULT_SPLIT_SEED, DEFAULT_VAL_FRACTION

    run = RunDir(build_chain(tmp_path))
    edit_json(run.train_report("sft"), lambda r: r.pop("data"))  # an SFT report that records no split
    name = "settings:sft_fit_heldout/eval_report.json"
    edit_json(run.eval_report("sft_fit_heldout"), lambda r: r["config"].update(heldout_check={"status": "held_out", "why": "same split"}))
    result = _gate(run)
    c = check_named(result, name)
    assert c["status"] == "block" and result["status"] == "blocked"
    assert c["why"].startswith("sft_fit_heldout/eval_report.json records heldout_check status 'held_out', but the train report beside "
                               "sft/checkpoint and the rows it scored give 'unknown' (")
    # the neighbour: SFT recorded the split it held out, and the fit says so
    split = {"val_fraction": DEFAULT_VAL_FRACTION, "seed": DEFAULT_SPLIT_SEED}
    edit_json(run.train_report("sft"), lambda r: r.update(data={"heldout": split, "train_rows": 900}))
    result = _gate(run)
    assert check_named(result, name)["status"] == "pass" and all_pass_but_rerun(result)
    # an SFT run that trained on every row: the fit's 'held_out' is recall passed off as generalisation
    edit_json(run.train_report("sft"), lambda r: r.update(data={"train_input": r["inputs"]["sft_input"], "train_rows": 1000}))
    c = check_named(_gate(run), name)
    assert c["status"] == "block" and "give 'trained_on_heldout'" in c["why"]


def test_the_token_lower_bound_never_exceeds_what_a_real_tokenizer_generated(tiny_tokenizer_dir):
    """The honest side of the budget check: any ids a model could generate, decoded as the eval decodes them, give a
    reply whose lower bound is at most the number of ids (so no honest reply is taken for an edited budget)."""
    import math
    import random

    from transformers import AutoTokenizer

    longest = longest_token(tiny_tokenizer_dir)
    assert isinstance(longest, int) and longest > 1
    tok = AutoTokenizer.from_pretrained(tiny_tokenizer_dir)
    rng = random.Random(0)
    for _ in range(300):
        ids = [rng.randrange(len(tok)) for _ in range(rng.randint(1, 48))]
        reply = tok.decode(ids, skip_special_tokens=True).strip()
        assert math.ceil(len(reply) / (longest + 1)) <= len(ids)
    longest_ids = [max(range(len(tok)), key=lambda i: len(tok.decode([i])))] * 8  # the longest piece, repeated
    reply = tok.decode(longest_ids, skip_special_tokens=True).strip()
    assert math.ceil(len(reply) / (longest + 1)) <= 8
