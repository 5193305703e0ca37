"""The run report prints only numbers its files back, and says so when a file does not stand for the run's model:
a report about other weights, per-row results that disagree with the counts, a missing baseline or an empty eval."""

from __future__ import annotations

import json

from picochat_hf.eval.stats import wilson_ci
from picochat_hf.report.render import write_run_report

MODEL, OTHER = "1" * 64, "2" * 64


def _report(passed, n, weights=MODEL, **extra):
    summary = {"n": n, "passed": passed, "pass_rate": passed / n if n else 0.0, "ci": wilson_ci(passed, n), "ci_method": "wilson",
               "prompt_echo_rate": 0.0, "unsupported_claim_rate": None, "refusal_pass_rate": None,
               "by_skill": {"math": {"n": n, "passed": passed, "pass_rate": passed / n if n else 0.0, "ci": wilson_ci(passed, n)}}}
    return {"kind": "chat", "config": {"input": "eval.jsonl", "input_sha256": "a" * 64}, "summary": summary,
            "model": {"path": "ckpt", "weights_sha256": weights}, **extra}


def _write(run, rel, data):
    path = run / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)


def _rows(passed, n):
    return "".join(json.dumps({"id": f"r{i}", "skill": "math", "passed": i < passed}) + "\n" for i in range(n))


def _line(md, label):
    return next(ln for ln in md.splitlines() if ln.startswith(f"| {label} |"))


def test_report_flags_evidence_about_another_model_or_with_disagreeing_rows(tmp_path):
    run = tmp_path / "run"
    _write(run, "eval/eval_report.json", _report(8, 10))
    _write(run, "eval/results.jsonl", _rows(3, 10))  # the rows pass 3, the report claims 8
    _write(run, "sft_fit/eval_report.json", _report(6, 10))
    _write(run, "sft_fit/results.jsonl", _rows(6, 10))
    ext = {"benchmark": "arc", "n": 10, "letter_acc": 0.9, "acc": 0.9, "acc_norm": 0.9, "correct": {"letter_acc": 9},
           "ci": {"letter_acc": wilson_ci(9, 10)}}
    _write(run, "external_eval/arc/eval_report.json", _report(9, 10, weights=OTHER, external=ext))
    _write(run, "lm_eval/lm_eval_results.json", {"model_path": "elsewhere", "weights_sha256": OTHER,
                                                  "scores": {"arc": {"acc": 0.875, "acc_stderr": 0.01}}})
    md = write_run_report(run)["md"].read_text()
    chat = _line(md, "Visible chat eval")
    assert "does not hold" in chat and "passes 3 of 10 rows, not the report's 8/10" in chat
    assert "| math | does not hold |" in md and "passes 3 of 10 rows, not the report's 8/10" in _line(md, "math")
    fit = _line(md, "SFT fit")
    assert "| 0.6 |" in fit and "6/10" in fit
    letter = _line(md, "arc letter_acc")
    assert "does not hold" in letter and "about another model" in letter and OTHER[:12] in letter
    assert "random baseline" not in letter  # the file records none; 0% would be invented
    lm = _line(md, "lm-eval arc acc")
    assert "does not hold" in lm and "elsewhere" in lm


def test_report_says_not_measured_for_an_empty_eval(tmp_path):
    run = tmp_path / "run"
    _write(run, "eval/eval_report.json", _report(0, 0))
    md = write_run_report(run)["md"].read_text()
    assert "| Visible chat eval | not measured |" in md
    assert "| math | not measured |" in md


def test_report_flags_a_rate_or_interval_that_its_own_counts_do_not_give(tmp_path):
    run = tmp_path / "run"
    rep = _report(35, 100)
    rep["summary"]["pass_rate"] = 0.9  # the headline rate was edited; the counts still say 35/100
    rep["summary"]["by_skill"]["math"]["ci"] = [0.8, 0.95]
    _write(run, "eval/eval_report.json", rep)
    fit = _report(60, 100)
    _write(run, "sft_fit/eval_report.json", fit)
    md = write_run_report(run)["md"].read_text()
    chat = _line(md, "Visible chat eval")
    assert "does not hold" in chat and "pass_rate 0.9" in chat and "35/100" in chat
    assert "| math | does not hold |" in md and "95% CI" in _line(md, "math")
    assert "| 0.6 |" in _line(md, "SFT fit")


def test_report_flags_an_external_score_its_counts_do_not_give(tmp_path):
    run = tmp_path / "run"
    _write(run, "eval/eval_report.json", _report(5, 10))
    ext = {"benchmark": "arc", "n": 30, "letter_acc": 0.8, "acc": 0.3, "correct": {"letter_acc": 4, "acc": 9},
           "random_baseline": 0.25, "ci": {"letter_acc": wilson_ci(4, 30), "acc": wilson_ci(9, 30)}}
    _write(run, "external_eval/arc/eval_report.json", _report(4, 30, external=ext))
    md = write_run_report(run)["md"].read_text()
    letter = _line(md, "arc letter_acc")
    assert "does not hold" in letter and "letter_acc 0.8 is not 4/30" in letter
    acc = _line(md, "arc acc")
    assert "| 0.3 |" in acc and "random baseline 25.0%" in acc


def test_report_flags_lm_eval_scores_that_record_no_weights(tmp_path):
    run = tmp_path / "run"
    _write(run, "eval/eval_report.json", _report(5, 10))
    _write(run, "lm_eval/lm_eval_results.json", {"model_path": "somewhere", "scores": {"arc": {"acc": 0.875}}})
    md = write_run_report(run)["md"].read_text()
    lm = _line(md, "lm-eval arc acc")
    assert "does not hold" in lm and "no weights_sha256" in lm


def test_report_flags_a_replies_file_scored_in_a_run_with_a_model(tmp_path):
    run = tmp_path / "run"
    _write(run, "eval/eval_report.json", _report(5, 10))
    replies = _report(9, 10)
    replies.update(kind="replies", model={"path": "answers.jsonl", "kind": "replies"})
    _write(run, "sft_fit/eval_report.json", replies)
    md = write_run_report(run)["md"].read_text()
    fit = _line(md, "SFT fit")
    assert "does not hold" in fit and "replies file (answers.jsonl)" in fit
    assert "| 0.5 |" in _line(md, "Visible chat eval")


def test_report_flags_more_passes_than_rows(tmp_path):
    run = tmp_path / "run"
    rep = _report(10, 10)
    rep["summary"].update(passed=12, pass_rate=1.2)
    _write(run, "eval/eval_report.json", rep)
    md = write_run_report(run)["md"].read_text()
    chat = _line(md, "Visible chat eval")
    assert "does not hold" in chat and "12/10" in chat


def test_report_flags_lm_eval_scores_that_do_not_follow_from_its_results(tmp_path):
    run = tmp_path / "run"
    _write(run, "eval/eval_report.json", _report(5, 10))
    _write(run, "lm_eval/lm_eval_results.json", {"model_path": "here", "weights_sha256": MODEL,
                                                  "scores": {"arc": {"acc": 0.875}}, "results": {"arc": {"acc,none": 0.25}}})
    lm = _line(write_run_report(run)["md"].read_text(), "lm-eval arc acc")
    assert "does not hold" in lm and "their scores do not follow from lm-eval's results (arc acc 0.875 stored, 0.25 in results)" in lm


def test_report_counts_parameters_in_the_released_weights_not_the_train_report(tmp_path):
    """A train report whose parameter count was edited down (its stored tokens per parameter edited up with it):
    the report shows the released weights' own count and divides the tokens trained by it."""
    import torch
    from safetensors.torch import save_file

    run = tmp_path / "run"
    _write(run, "eval/eval_report.json", _report(6, 10))
    _write(run, "eval/results.jsonl", _rows(6, 10))
    (run / "sft" / "checkpoint").mkdir(parents=True)
    save_file({"w": torch.zeros(1000)}, str(run / "sft" / "checkpoint" / "model.safetensors"))
    _write(run, "sft/train_report.json", {"num_parameters": 250, "steps": 3})
    _write(run, "base/train_report.json", {"num_parameters": 250, "real_tokens_seen": 5000, "steps": 3,
                                           "tokens_per_parameter": {"real": 20.0}})
    md = write_run_report(run)["md"].read_text()
    params = _line(md, "parameters")
    assert "1,000" in params or "| 1000 |" in params
    assert "sft/checkpoint" in params and "250" in params  # the report's count is shown apart, as what it says
    tpp = _line(md, "base tokens per parameter (trained on)")
    assert "| 5.00 |" in tpp
    assert "20" in tpp  # the stored number is named as what the report says, not shown as the value


def test_report_ties_evidence_to_the_weights_present_not_the_verdicts_recorded_hash(tmp_path):
    """gates/release.json's recorded weights hash edited to the hash every report names (another model's), the weights in
    sft/checkpoint untouched: the report took the recorded hash as the run's model and printed the other model's scores
    as the run's. Where weights are present the report hashes them; the neighbour, reports about them, still holds."""
    from gate_fixtures import fake_weights
    from picochat_hf.utils.provenance import weights_sha256

    run = tmp_path / "run"
    own = weights_sha256(fake_weights(run / "sft" / "checkpoint"))
    _write(run, "eval/eval_report.json", _report(8, 10, weights=OTHER))
    _write(run, "eval/results.jsonl", _rows(8, 10))
    _write(run, "gates/release.json", {"status": "approved", "checks": [], "checkpoint": {"path": "elsewhere", "weights_sha256": OTHER}})
    md = write_run_report(run)["md"].read_text()
    said = f"about another model: weights {OTHER[:12]}, not the run's {own[:12]}"
    assert said in _line(md, "Visible chat eval") and said in _line(md, "math")
    _write(run, "eval/eval_report.json", _report(8, 10, weights=own))
    md = write_run_report(run, force=True)["md"].read_text()
    assert "does not hold" not in _line(md, "Visible chat eval") and "does not hold" not in _line(md, "math")


def test_report_flags_a_verdict_flipped_with_its_summary_edited_to_match(tmp_path):
    """results.jsonl's failing "58" for 23 + 34 flipped to passed and the report's counts edited to 2/2: rows and counts
    agree, so the report printed 100% as the run's score. It now re-judges the verdicts it can read, as the gate does;
    the same run unedited holds."""
    from test_leaderboard import _forge, _scored_run

    run = _scored_run(tmp_path, "run-b", [{"id": "r0", "reply": "58"}, {"id": "r1", "reply": "4"}])
    md = write_run_report(run)["md"].read_text()
    assert "does not hold" not in _line(md, "Visible chat eval") and "does not hold" not in _line(md, "math")
    _forge(run)
    report = json.loads((run / "eval" / "eval_report.json").read_text())
    for part in (report["summary"], report["summary"]["by_skill"]["math"]):
        part["ci"] = wilson_ci(2, 2)  # the interval forged too, so every count agrees with every other
    (run / "eval" / "eval_report.json").write_text(json.dumps(report))
    md = write_run_report(run, force=True)["md"].read_text()
    for label in ("Visible chat eval", "math"):
        assert "does not hold" in _line(md, label) and "verdicts that do not follow from its rows" in _line(md, label)


def test_report_flags_a_report_dated_before_the_training_that_wrote_the_weights(tmp_path):
    """A chat eval dated before sft/train_report.json wrote the run's weights (their hash edited in) printed as a score of
    them; the gate blocks it and the leaderboard does not rank it. Dated after the training, it holds."""
    from gate_fixtures import fake_weights
    from picochat_hf.utils.provenance import weights_sha256

    run = tmp_path / "run"
    own = weights_sha256(fake_weights(run / "sft" / "checkpoint"))
    _write(run, "sft/train_report.json", {"stage": "sft", "provenance": {"created_at": "2030-01-01T00:00:00+00:00"},
                                          "outputs": {"checkpoint_weights_sha256": own}})
    _write(run, "eval/results.jsonl", _rows(8, 10))
    for dated, holds in (("2020-01-01T00:00:00+00:00", False), ("2031-01-01T00:00:00+00:00", True)):
        _write(run, "eval/eval_report.json", _report(8, 10, weights=own, provenance={"created_at": dated}))
        md = write_run_report(run, force=True)["md"].read_text()
        said = (f"written at {dated}, before sft/train_report.json wrote the run's weights at 2030-01-01T00:00:00+00:00: "
                "it cannot have scored them")
        assert (said in _line(md, "Visible chat eval")) is not holds and (said in _line(md, "math")) is not holds


def test_report_re_derives_the_tokenizer_hash_instead_of_reading_the_stored_one(tmp_path, tiny_tokenizer_dir):
    """tokenizer/tokenizer_hash.txt edited (or left from another tokenizer): the report printed it as the run's
    tokenizer hash. It now hashes the tokenizer it sits beside and names the stored file that disagrees."""
    import shutil

    from picochat_hf.tokenizer import load_tokenizer, tokenizer_hash

    run = tmp_path / "run"
    shutil.copytree(tiny_tokenizer_dir, run / "tokenizer")
    real = tokenizer_hash(load_tokenizer(run / "tokenizer"))
    _write(run, "eval/eval_report.json", _report(8, 10))
    md = write_run_report(run)["md"].read_text()
    assert _line(md, "tokenizer hash") == f"| tokenizer hash | {real[:16]}… | `tokenizer/tokenizer_hash.txt` |  |"
    (run / "tokenizer" / "tokenizer_hash.txt").write_text("f00d" * 16 + "\n")
    md = write_run_report(run, force=True)["md"].read_text()
    line = _line(md, "tokenizer hash")
    assert f"| {real[:16]}… | `tokenizer/tokenizer.json` |" in line and "f00df00d" not in line.split("|")[2]
    assert "tokenizer/tokenizer_hash.txt says f00df00df00df00d…, not the hash of the tokenizer beside it" in line


def test_report_flags_evidence_read_through_another_tokenizer_or_template(tmp_path):
    """The eval asked the run's weights through one chat template; the checkpoint now ships another (or the report
    names no tokenizer, or hashed tokenizer.json alone as older code did): the report printed its rates as the run's
    model's. The release gate blocks each; the report now says why each does not hold, and the untouched one holds."""
    from gate_fixtures import fake_weights
    from picochat_hf.utils.io import sha256_file
    from picochat_hf.utils.provenance import input_sha256, weights_sha256

    run = tmp_path / "run"
    ckpt = fake_weights(run / "sft" / "checkpoint")
    (ckpt / "tokenizer.json").write_text('{"model": "released"}')
    (ckpt / "chat_template.jinja").write_text("{{ messages }}")
    own, read = weights_sha256(ckpt), input_sha256(ckpt)
    ext = {"benchmark": "arc", "n": 10, "letter_acc": 0.9, "acc": 0.9, "acc_norm": 0.9, "correct": {"letter_acc": 9},
           "ci": {"letter_acc": wilson_ci(9, 10)}}

    def report_with(tokenizer_sha256, **extra):
        rep = _report(8, 10, weights=own, **extra)
        if tokenizer_sha256:
            rep["model"]["tokenizer_sha256"] = tokenizer_sha256
        return rep

    _write(run, "eval/results.jsonl", _rows(8, 10))
    for rel, tok in (("eval/eval_report.json", read), ("external_eval/arc/eval_report.json", read)):
        _write(run, rel, report_with(tok, **({"external": ext} if "arc" in rel else {})))
    md = write_run_report(run)["md"].read_text()
    assert "does not hold" not in _line(md, "Visible chat eval") and "does not hold" not in _line(md, "arc letter_acc")
    (ckpt / "chat_template.jinja").write_text("{{ messages | reverse }}")
    md = write_run_report(run, force=True)["md"].read_text()
    said = f"about another tokenizer: {read[:12]}, not the {input_sha256(ckpt)[:12]} the run ships (sft/checkpoint)"
    assert said in _line(md, "Visible chat eval") and said in _line(md, "math") and said in _line(md, "arc letter_acc")
    _write(run, "eval/eval_report.json", report_with(None))
    _write(run, "external_eval/arc/eval_report.json", report_with(sha256_file(ckpt / "tokenizer.json"), external=ext))
    md = write_run_report(run, force=True)["md"].read_text()
    assert "records no tokenizer hash" in _line(md, "Visible chat eval") and "records no tokenizer hash" in _line(md, "math")
    assert "tokenizer.json alone (written by older picochat_hf)" in _line(md, "arc letter_acc")
