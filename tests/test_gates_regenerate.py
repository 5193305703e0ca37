"""The gate re-runs the released model on recorded replies (`--regenerate-rows`): an untouched eval of a real tiny
model passes; a reply rewritten by hand into the right answer (summary recomputed, so it re-derives and
re-judges as right) and a choice letter edited together with its logits block, naming the row."""

from __future__ import annotations

import json

import pytest
import torch

from gate_fixtures import build_chain, check_named, write_rows
from helpers_model import randomize
from picochat_hf import PicochatConfig, PicochatForCausalLM
from picochat_hf.cli import main as cli_main
from picochat_hf.eval.chat_eval import run_chat_eval
from picochat_hf.eval.rows_eval import summarize
from picochat_hf.gates import run_release_gate
from picochat_hf.gates.regenerate import sample_ids
from picochat_hf.gates.run_once import DEFAULT_ROWS, sample_salt
from picochat_hf.run_dir import RunDir

EVAL_ROWS = [
    {"id": "m1", "messages": [{"role": "user", "content": "What is 2 + 3?"}], "skill": "math", "category": "math", "normalized_answer": "5"},
    {"id": "m2", "messages": [{"role": "user", "content": "What is 4 + 4?"}], "skill": "math", "category": "math", "normalized_answer": "8"},
    {"id": "s1", "messages": [{"role": "user", "content": "Spell cat."}], "skill": "spelling", "category": "spelling",
     "normalized_answer": "c-a-t"},
    {"id": "c1", "messages": [{"role": "user", "content": "Which is a fruit?"}], "skill": "choice", "category": "choice",
     "choices": ["stone", "apple", "chair"], "correct_choice": "B"},
]


def _run(tmp_path, tok):
    """A run whose released checkpoint is a real tiny picochat model and whose eval is that model's own."""
    cfg = PicochatConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=128, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                         pad_token_id=tok.pad_token_id)
    torch.manual_seed(5)
    model = randomize(PicochatForCausalLM(cfg), seed=5, std=0.1).eval()
    ckpt = tmp_path / "run" / "sft" / "checkpoint"
    model.save_pretrained(ckpt)
    tok.save_pretrained(ckpt)
    run = RunDir(build_chain(tmp_path, checkpoint=ckpt))
    rows = write_rows(run.task_pack_dir / "eval.jsonl", EVAL_ROWS)
    run_chat_eval(rows, ckpt, run.eval_dir("eval"), max_new_tokens=6, batch_size=4, force=True, progress=False)
    return run


def _results(run: RunDir) -> list[dict]:
    return [json.loads(line) for line in RunDir.results_beside(run.eval_report("eval")).read_text().splitlines()]


def _rewrite(run: RunDir, results: list[dict]) -> None:
    RunDir.results_beside(run.eval_report("eval")).write_text("".join(json.dumps(r) + "\n" for r in results))
    report = json.loads(run.eval_report("eval").read_text())
    report["summary"] = summarize(results)
    run.eval_report("eval").write_text(json.dumps(report))


def _gate(run: RunDir, n: int = 4) -> tuple[dict, dict]:
    result = run_release_gate(run.root, "skill_release", write=False, regenerate_rows=n)
    return result, check_named(result, "regenerated:eval/eval_report.json")


def test_untouched_eval_regenerates_and_a_rewritten_reply_blocks(tmp_path, tiny_tokenizer):
    run = _run(tmp_path, tiny_tokenizer)
    result, c = _gate(run)
    assert c["status"] == "pass" and c["value"] == 4 and c["why"].startswith("The released checkpoint gives the recorded reply again on 4")
    assert check_named(result, "regenerated:sft_fit/eval_report.json")["status"] == "block"  # the fixture's fit replies are not the model's

    results = _results(run)
    wrong = next(r for r in results if r["id"] == "m1")
    assert not wrong["passed"]  # a random tiny model does not answer 2 + 3
    wrong.update(reply="5", passed=True, failures=[])
    _rewrite(run, results)
    result, c = _gate(run)
    assert check_named(result, "verdicts:eval/eval_report.json")["status"] == "pass"  # "5" re-judges as right
    assert c["status"] == "block" and result["status"] == "blocked"
    assert "(1 of 4 sampled rows): row 'm1': the model replies " in c["why"] and "the results record '5'" in c["why"]


def test_choice_letter_edited_with_its_logits_blocks(tmp_path, tiny_tokenizer):
    run = _run(tmp_path, tiny_tokenizer)
    results = _results(run)
    row = next(r for r in results if r["id"] == "c1")
    row["choice"]["letter_logits"] = {k: (9.0 if k == "B" else 0.0) for k in row["choice"]["letter_logits"]}
    row["choice"]["pred"], row["reply"], row["passed"], row["failures"] = "B", "B", True, []
    _rewrite(run, results)
    result, c = _gate(run)
    assert check_named(result, "verdicts:eval/eval_report.json")["status"] == "pass"
    assert c["status"] == "block" and "row 'c1': the model chooses " in c["why"] and "the results record 'B'" in c["why"]


def test_sample_takes_passing_rows_first_and_is_deterministic():
    results = [{"id": f"r{i}", "passed": i % 3 == 0} for i in range(12)]
    first = sample_ids(results, 4, "salt")
    assert set(first) == {"r0", "r3", "r6", "r9"} and first == sample_ids(results, 4, "salt")
    assert sample_ids(results, 5, "salt")[:4] == first and set(sample_ids(results, 4, "other")) == set(first)
    assert len(sample_ids(results, 50, "salt")) == 12


def test_cli_option_on_by_default_and_off_in_the_library(tmp_path, tiny_tokenizer, capsys):
    run = _run(tmp_path, tiny_tokenizer)
    assert not any(c["name"].startswith("regenerated:") for c in run_release_gate(run.root, "skill_release", write=False)["checks"])
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--profile", "research", "--regenerate-rows", "2"]) == 0
    release = json.loads(run.release.read_text())
    assert release["regenerate_rows"] == 2
    err = capsys.readouterr().err  # what was not re-run is said; what was re-run is not
    assert "re-judged, not re-run" not in err and "the honesty report was read, not re-run (--rescan)" in err
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--profile", "research", "--force"]) == 0
    assert json.loads(run.release.read_text())["regenerate_rows"] == DEFAULT_ROWS  # a plain gate re-runs a few rows
    assert "re-judged, not re-run" not in capsys.readouterr().err
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--profile", "research", "--regenerate-rows", "0", "--force"]) == 0
    assert "the recorded replies were re-judged, not re-run (--regenerate-rows N" in capsys.readouterr().err
    assert cli_main(["gate", "release", "--run-dir", str(run.root), "--profile", "research", "--regenerate-rows", "2", "--force"]) == 0
    assert check_named(release, "regenerated:eval/eval_report.json")["status"] == "pass"
    with pytest.raises(SystemExit) as usage:  # a usage error, refused by the parser as every count flag is
        cli_main(["gate", "release", "--run-dir", str(run.root), "--regenerate-rows", "-1", "--force"])
    assert usage.value.code == 2
    assert "--regenerate-rows: must be >= 0" in capsys.readouterr().err


def test_consumers_recheck_the_recorded_regeneration(tmp_path, tiny_tokenizer):
    """verify_release cannot re-run the model, but a recorded re-run must name the sample the results file draws,
    for every eval and fit report: a blocking re-run deleted, or a pass whose rows were drawn from other results,
    makes the verdict stale."""
    from gate_fixtures import edit_json
    from picochat_hf.gates.verify import verify_release

    run = _run(tmp_path, tiny_tokenizer)
    run_release_gate(run.root, "research", regenerate_rows=3)
    release = json.loads(run.release.read_text())
    c = check_named(release, "regenerated:eval/eval_report.json")
    assert c["status"] == "pass" and c["rows"] == sample_ids(_results(run), 3, sample_salt(release["sample_seed"], __import__("hashlib").sha256(
        RunDir.results_beside(run.eval_report("eval")).read_bytes()).hexdigest()))
    assert verify_release(run)["state"] == "current"
    original = run.release.read_text()

    def drop_fit(r):  # the fixture's fit replies are not the model's: their re-run blocked; the claim leaves it out
        r["checks"] = [x for x in r["checks"] if x["name"] != "regenerated:sft_fit/eval_report.json"]
    edit_json(run.release, drop_fit)
    v = verify_release(run)
    assert v["state"] == "stale" and "records no regenerated:sft_fit/eval_report.json check" in v["sentence"]

    run.release.write_text(original)
    # three rows of the results that are not the drawn sample (a fixed list was the sample itself now and then)
    drawn = check_named(json.loads(original), "regenerated:eval/eval_report.json")["rows"]
    others = [r["id"] for r in _results(run) if r["id"] not in drawn][:2] + drawn[:1]
    edit_json(run.release, lambda r: check_named(r, "regenerated:eval/eval_report.json").update(rows=others))
    v = verify_release(run)
    assert v["state"] == "stale" and "the rows it names are not the sample of eval/eval_report.json's results" in v["sentence"]
